/**
 * IAM documents from templates: policy documents -> `PolicyStatement[]`, managed policy ARNs ->
 * `ManagedPolicyRef` (AWS-managed ones expanded from data/aws-managed-policies.br, src/policy/managed.ts), SAM
 * `Policies` (inline documents, managed names/ARNs, SAM policy templates expanded from
 * data/sam-policy-templates.json with their parameters substituted where static).
 *
 * `Fn::If` inside a policy (whole statements or documents) contributes both branches: a statement
 * that may be deployed is kept (rules treat a granted permission as granted).
 */
import { readDataJson } from '../../dataFile.js';
import {
  type ManagedPolicyRef,
  type Maybe,
  type PolicyStatement,
  type Principal,
  type Unknown,
  unknown,
  type Where,
} from '../../model/types.js';
import { awsManagedStatements } from '../../policy/managed.js';
import {
  condition,
  evaluate,
  exprOf,
  intrinsicName,
  isObj,
  list,
  NO_VALUE,
  type Obj,
  pattern,
  refTargetOf,
  str,
  type Tpl,
  whereAt,
} from './intrinsics.js';

interface DataStatement {
  effect?: string;
  actions?: string[];
  notActions?: string[];
  resources: string[];
  condition?: Record<string, Record<string, unknown>>;
}
interface SamTemplateData {
  parameters: string[];
  statements: DataStatement[];
}

let samCache: Record<string, SamTemplateData> | undefined;

function readData<T>(name: string, key: string): Record<string, T> {
  return (readDataJson<Record<string, unknown>>(name)[key] ?? {}) as Record<string, T>;
}

/** The SAM policy templates, by name (loaded once, lazily). */
export function samPolicyTemplates(): Record<string, SamTemplateData> {
  samCache ??= readData<SamTemplateData>('sam-policy-templates.json', 'templates');
  return samCache;
}

type Origin = NonNullable<PolicyStatement['origin']>;

/** A policy document (`{ Version, Statement }`) into statements. */
export function policyDocument(
  t: Tpl,
  doc: unknown,
  parent: unknown,
  key: string | number,
  origin: Origin,
  path: string,
): PolicyStatement[] {
  const out: PolicyStatement[] = [];
  collectDocument(t, doc, parent, key, origin, path, out, 0);
  return out;
}

function collectDocument(
  t: Tpl,
  doc: unknown,
  parent: unknown,
  key: string | number,
  origin: Origin,
  path: string,
  out: PolicyStatement[],
  depth: number,
): void {
  if (depth > 8 || doc === undefined || doc === null) return;
  if (typeof doc === 'string') {
    // JSON-in-a-string documents (seen in JSON templates and CDK output)
    try {
      const parsed = JSON.parse(doc) as unknown;
      if (isObj(parsed)) collectDocument(t, parsed, parent, key, origin, path, out, depth + 1);
    } catch {
      t.diag('info', `policy document at ${path} is a string that is not JSON; ignored`, whereAt(t, parent, key), 'policy-unreadable');
    }
    return;
  }
  const name = intrinsicName(doc);
  if (name === 'Fn::If' && isObj(doc) && Array.isArray(doc['Fn::If'])) {
    const arr = doc['Fn::If'] as unknown[];
    const c = typeof arr[0] === 'string' ? condition(t, arr[0]) : undefined;
    if (c !== false) collectDocument(t, arr[1], arr, 1, origin, path, out, depth + 1);
    if (c !== true) collectDocument(t, arr[2], arr, 2, origin, path, out, depth + 1);
    return;
  }
  if (name || !isObj(doc)) {
    if (evaluate(t, doc, 0, parent, key) !== NO_VALUE)
      t.diag(
        'info',
        `policy document at ${path} is computed (${exprOf(doc)}); its statements are unknown`,
        whereAt(t, parent, key),
        'policy-unknown',
      );
    return;
  }
  const stmts = doc.Statement;
  if (Array.isArray(stmts)) {
    for (const [i, s] of stmts.entries()) collectStatement(t, s, stmts, i, origin, `${path}.Statement[${i}]`, out, depth + 1);
  } else if (stmts !== undefined) collectStatement(t, stmts, doc, 'Statement', origin, `${path}.Statement`, out, depth + 1);
}

function collectStatement(
  t: Tpl,
  s: unknown,
  parent: unknown,
  key: string | number,
  origin: Origin,
  path: string,
  out: PolicyStatement[],
  depth: number,
): void {
  if (depth > 10) return;
  const name = intrinsicName(s);
  if (name === 'Fn::If' && isObj(s) && Array.isArray(s['Fn::If'])) {
    const arr = s['Fn::If'] as unknown[];
    const c = typeof arr[0] === 'string' ? condition(t, arr[0]) : undefined;
    if (c !== false) collectStatement(t, arr[1], arr, 1, origin, path, out, depth + 1);
    if (c !== true) collectStatement(t, arr[2], arr, 2, origin, path, out, depth + 1);
    return;
  }
  if (name || !isObj(s)) {
    if (evaluate(t, s, 0, parent, key) !== NO_VALUE && s !== null)
      t.diag('info', `policy statement at ${path} is computed (${exprOf(s)}); ignored`, whereAt(t, parent, key), 'policy-unknown');
    return;
  }
  out.push(statement(t, s, parent, key, origin, path));
}

function statement(t: Tpl, s: Obj, parent: unknown, key: string | number, origin: Origin, path: string): PolicyStatement {
  const where: Where = { ...whereAt(t, parent, key), path };
  const effect = str(t, s.Effect, s, 'Effect');
  const st: PolicyStatement = {
    effect:
      effect === 'Allow' || effect === 'Deny'
        ? effect
        : isUnknownish(effect)
          ? effect
          : unknown(String(effect ?? '(none)'), { hint: 'other', where }),
    where,
    origin,
  };
  if (typeof s.Sid === 'string') st.sid = s.Sid;
  if (s.Action !== undefined) st.actions = list(t, s.Action, s, 'Action') ?? [];
  if (s.NotAction !== undefined) st.notActions = list(t, s.NotAction, s, 'NotAction') ?? [];
  if (s.Resource !== undefined) st.resources = list(t, s.Resource, s, 'Resource') ?? [];
  if (s.NotResource !== undefined) st.notResources = list(t, s.NotResource, s, 'NotResource') ?? [];
  if (s.Principal !== undefined) st.principal = principal(t, s.Principal, s, 'Principal');
  if (s.NotPrincipal !== undefined) st.notPrincipal = principal(t, s.NotPrincipal, s, 'NotPrincipal');
  if (s.Condition !== undefined) {
    st.condition =
      isObj(s.Condition) && !intrinsicName(s.Condition)
        ? (s.Condition as Record<string, Record<string, unknown>>)
        : unknown(exprOf(s.Condition), { hint: 'other', where });
  }
  return st;
}

function isUnknownish(v: unknown): v is Unknown {
  return isObj(v) && v.kind === 'unknown';
}

/** A Principal block: `'*'`, or `{ AWS, Service, Federated, CanonicalUser }` lists. */
export function principal(t: Tpl, p: unknown, parent: unknown, key: string): Principal | Unknown {
  if (p === '*') return '*';
  if (typeof p === 'string') return { AWS: [p] };
  if (!isObj(p) || intrinsicName(p)) return unknown(exprOf(p), { hint: 'other', where: whereAt(t, parent, key) });
  const out: Exclude<Principal, '*'> = {};
  for (const k of ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const) {
    if (p[k] !== undefined) out[k] = list(t, p[k], p, k) ?? [];
  }
  return out;
}

const AWS_MANAGED = /^arn:(?:aws[a-z-]*|\$\{AWS::Partition\}):iam::aws:policy\/(?:.*\/)?([^/]+)$/;

/** A managed policy ARN (or a SAM managed-policy name) into a ref; AWS-managed ones are expanded into `into`. */
export function managedPolicy(
  t: Tpl,
  v: unknown,
  parent: unknown,
  key: string | number | undefined,
  into: PolicyStatement[],
  path: string,
): ManagedPolicyRef | undefined {
  const where: Where = { ...whereAt(t, parent, key), path };
  const arn = str(t, v, parent, key);
  if (arn === undefined) return undefined;
  const text = typeof arn === 'string' ? arn : pattern(v);
  let name: string | undefined;
  let awsManaged = false;
  if (text) {
    const m = AWS_MANAGED.exec(text);
    if (m) {
      name = m[1];
      awsManaged = true;
    } else if (!text.startsWith('arn:') && !text.includes('${') && /^[\w+=,.@-]+$/.test(text)) {
      // SAM accepts bare AWS-managed policy names
      name = text;
      awsManaged = true;
    } else {
      const last = /:policy\/(?:.*\/)?([^/]+)$/.exec(text);
      if (last) name = last[1];
    }
  }
  const ref: ManagedPolicyRef = {
    arn: typeof arn === 'string' && awsManaged && !arn.startsWith('arn:') ? `arn:aws:iam::aws:policy/${arn}` : arn,
    where,
  };
  if (name) ref.name = name;
  if (awsManaged) {
    ref.awsManaged = true;
    const stmts = name ? awsManagedStatements(name, where) : undefined;
    if (stmts) into.push(...stmts);
  }
  return ref;
}

function dataStatements(stmts: DataStatement[], where: Where, origin: Origin, params: Record<string, Maybe<string>>): PolicyStatement[] {
  return stmts.map((d) => {
    const st: PolicyStatement = { effect: d.effect === 'Deny' ? 'Deny' : 'Allow', where, origin };
    if (d.actions) st.actions = [...d.actions];
    if (d.notActions) st.notActions = [...d.notActions];
    st.resources = d.resources.map((r) => substitute(r, params, where));
    if (d.condition) {
      const cond: Record<string, Record<string, unknown>> = {};
      for (const [op, kv] of Object.entries(d.condition)) {
        cond[op] = {};
        for (const [k, val] of Object.entries(kv))
          (cond[op] as Record<string, unknown>)[k] = typeof val === 'string' ? substitute(val, params, where) : val;
      }
      st.condition = cond;
    }
    return st;
  });
}

/** Fill `${Param}` placeholders; pseudo parameters or unknown params make the value Unknown. */
function substitute(template: string, params: Record<string, Maybe<string>>, where: Where): Maybe<string> {
  if (!template.includes('${')) return template;
  let hint: Unknown['hint'] = 'other';
  let target: string | undefined;
  let known = true;
  const text = template.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
    const v = params[name];
    if (typeof v === 'string') return v;
    known = false;
    if (v !== undefined) {
      if (v.hint === 'ref' || v.hint === 'parameter' || v.hint === 'secret-reference') hint = v.hint;
      target ??= v.target;
      return `\${${v.expr.replace(/^!Ref /, '').replace(/^!GetAtt /, '')}}`;
    }
    return whole;
  });
  if (known) return text;
  return unknown(text, { hint, ...(target ? { target } : {}), where });
}

/**
 * SAM `Policies`: a string (managed name/ARN), a document, a SAM template `{ Name: { params } }`,
 * an intrinsic (managed ARN), or a list of those.
 */
export function samPolicies(
  t: Tpl,
  v: unknown,
  parent: unknown,
  key: string,
  path: string,
): { statements: PolicyStatement[]; managed: ManagedPolicyRef[] } {
  const statements: PolicyStatement[] = [];
  const managed: ManagedPolicyRef[] = [];
  const one = (p: unknown, par: unknown, k: string | number, ppath: string): void => {
    if (p === undefined || p === null) return;
    if (typeof p === 'string' || intrinsicName(p)) {
      if (intrinsicName(p) === 'Fn::If' && isObj(p) && Array.isArray(p['Fn::If'])) {
        const arr = p['Fn::If'] as unknown[];
        const c = typeof arr[0] === 'string' ? condition(t, arr[0]) : undefined;
        if (c !== false) one(arr[1], arr, 1, ppath);
        if (c !== true) one(arr[2], arr, 2, ppath);
        return;
      }
      if (evaluate(t, p, 0, par, k) === NO_VALUE) return;
      // a customer-managed policy defined in this template: expand its document
      const target = refTargetOf(p);
      const res = target ? t.resources[target] : undefined;
      if (target && isObj(res) && res.Type === 'AWS::IAM::ManagedPolicy') {
        const props = isObj(res.Properties) ? res.Properties : {};
        managed.push({ arn: str(t, p, par, k) ?? '', name: target, awsManaged: false, where: { ...whereAt(t, par, k), path: ppath } });
        statements.push(
          ...policyDocument(
            t,
            props.PolicyDocument,
            props,
            'PolicyDocument',
            { kind: 'customer-managed', name: target },
            `Resources.${target}.Properties.PolicyDocument`,
          ),
        );
        return;
      }
      const ref = managedPolicy(t, p, par, k, statements, ppath);
      if (ref) managed.push(ref);
      return;
    }
    if (!isObj(p)) {
      t.diag('warning', `unexpected policy entry at ${ppath}`, whereAt(t, par, k), 'invalid-property');
      return;
    }
    if ('Statement' in p) {
      statements.push(...policyDocument(t, p, par, k, { kind: 'inline' }, ppath));
      return;
    }
    const keys = Object.keys(p);
    const name = keys.length === 1 ? (keys[0] as string) : undefined;
    const tpl = name ? samPolicyTemplates()[name] : undefined;
    if (!name || !tpl) {
      t.diag(
        'warning',
        `unknown SAM policy template ${name ?? keys.join(',')} at ${ppath}; its permissions are unknown`,
        whereAt(t, par, k),
        'unknown-policy-template',
      );
      return;
    }
    const args = p[name];
    const params: Record<string, Maybe<string>> = {};
    for (const pn of tpl.parameters) {
      const raw = isObj(args) ? args[pn] : undefined;
      const val = str(t, raw, args, pn);
      if (val !== undefined) params[pn] = val;
    }
    const where: Where = { ...whereAt(t, par, k), path: ppath };
    statements.push(...dataStatements(tpl.statements, where, { kind: 'sam-template', name }, params));
  };
  if (Array.isArray(v)) {
    for (const [i, p] of v.entries()) one(p, v, i, `${path}[${i}]`);
  } else one(v, parent, key, path);
  return { statements, managed };
}
