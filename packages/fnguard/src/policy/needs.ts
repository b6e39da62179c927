/**
 * From detected SDK calls (and the function's configuration) to the permissions it needs:
 * IAM actions from the operation table (or the same-named action, validated against the
 * catalogue), resources rendered from the request parameters and the function's environment
 * variables resolved through the Model. Nothing unresolved becomes `*`: an unresolved part is
 * kept as a visible `<unresolved:Var>` marker and listed.
 */
import { type Fn, isUnknown, type Maybe } from '../model/types.js';
import { type ArnPart, collapseRefs, fillTemplate, normalize, type RefIndex, type RefTarget, targetArn } from './arn.js';
import { actionDetail, canonicalAction, type OperationSpec, resourceTypeArn, type ServiceSpec, serviceSpec } from './catalog.js';
import type { SdkCall } from './detect.js';
import { describeValue, hasParam, literalString, type StaticValue, valuesAt } from './value.js';

export interface NeededResource {
  parts: ArnPart[];
  /** Why (part of) it could not be resolved; the parts then hold a `<unresolved:Var>` marker. */
  unresolved?: string;
  /** The action only supports `Resource: "*"`. */
  wildcardOnly?: boolean;
}

/** Where a permission comes from: a code call or the function's configuration. */
export interface NeedSource {
  kind: 'call' | 'config';
  /** `s3.GetObject` / `logs (function log group)` */
  label: string;
  file: string;
  line: number;
  column: number;
  presigned?: boolean;
}

export interface Need {
  action: string;
  /** The action is in the IAM catalogue (false: the `service:Operation` fallback). */
  verified: boolean;
  resource: NeededResource;
  source: NeedSource;
  /** Why it is needed when it is an extra (`VersionId is set`, `customer-managed KMS key of DataBucket`). */
  note?: string;
  /**
   * The deployment framework adds this permission to the role itself (SAM and the Serverless
   * Framework grant tracing, VPC, event-source and dead-letter permissions when those are
   * configured); the Model may not show it, so it is never reported missing.
   */
  frameworkGranted?: boolean;
  /** A condition the generated statement carries (`iam:PassedToService` for `iam:PassRole`). */
  condition?: Record<string, Record<string, string>>;
}

export interface NeedContext {
  fn: Fn;
  index: RefIndex;
}

const DATA_VARS = new Set(['ObjectName', 'IndexName']);
const MAX_RESOURCES_PER_ACTION = 16;

type VarValue = { parts: ArnPart[]; target?: RefTarget } | { unresolved: string };

function isUnresolved(v: VarValue): v is { unresolved: string } {
  return 'unresolved' in v;
}

function marker(variable: string): string {
  return `<unresolved:${variable}>`;
}

/* ------------------------------------------------------------------ values of variables */

function envValue(name: string, ctx: NeedContext): { text: string } | { target: RefTarget } | { unresolved: string } {
  const env = ctx.fn.env.find((e) => e.name === name);
  if (!env) return { unresolved: `process.env.${name} is not set in the function's configuration` };
  return maybeValue(env.value, `process.env.${name}`, ctx);
}

function maybeValue(v: Maybe<string>, label: string, ctx: NeedContext): { text: string } | { target: RefTarget } | { unresolved: string } {
  if (!isUnknown(v)) return { text: v };
  if (v.target) {
    const t = ctx.index.byRef(v.target, { format: ctx.fn.format });
    if (t) return { target: t };
    return { unresolved: `${label} = ${v.expr}: ${v.target} is not a resource fnguard can name` };
  }
  return { unresolved: `${label} = ${v.expr} cannot be resolved statically` };
}

/**
 * The parts of a value for a variable: literals, env values (strings or Model targets); a
 * concatenation keeps known parts, and an unknown tail becomes `*` only for data variables
 * (object keys), never for the resource's identity.
 */
function varParts(v: StaticValue, variable: string, ctx: NeedContext): VarValue {
  const dataVar = DATA_VARS.has(variable);
  const one = (x: StaticValue): VarValue => {
    if (x.kind === 'literal') return { parts: [String(x.value)] };
    if (x.kind === 'env') {
      const e = envValue(x.name, ctx);
      if ('text' in e) return { parts: [e.text] };
      if ('target' in e) return { parts: [{ ref: e.target.id, attr: 'name' }], target: e.target };
      return dataVar ? { parts: ['*'] } : e;
    }
    if (dataVar) return { parts: ['*'] };
    return { unresolved: `${variable} = ${describeValue(x)} is not known statically` };
  };
  if (v.kind !== 'concat') return one(v);
  const parts: ArnPart[] = [];
  let target: RefTarget | undefined;
  for (const p of v.parts) {
    const r = one(p);
    if (isUnresolved(r)) return r;
    parts.push(...r.parts);
    target ??= r.target;
    if (r.parts.includes('*')) break;
  }
  return target && parts.length === 1 ? { parts, target } : { parts: normalize(parts) };
}

/* ------------------------------------------------------------------ resources */

interface ResourceChoice {
  type: string;
  vars: Record<string, string>;
}

/** The resource types to emit for an action: required ones, replaced by a more specific optional one whose parameters are set. */
function chooseTypes(action: string, spec: ServiceSpec, input: StaticValue): ResourceChoice[] | 'wildcard' | undefined {
  const d = actionDetail(action);
  if (!d) return undefined;
  if (d.wildcardOnly) return 'wildcard';
  const types = (d.resourceTypes ?? []).map((t) => ({ name: t.replace(/\*$/, ''), required: t.endsWith('*') }));
  const mapped = types.filter((t) => spec.resources[t.name]);
  // no required resource type and none the request names: the action is granted on `*` (e.g. cloudwatch:PutMetricData)
  if (mapped.length === 0) return types.some((t) => t.required) ? undefined : 'wildcard';
  const present = (t: { name: string }) =>
    Object.entries(spec.resources[t.name] ?? {}).every(
      ([variable, paths]) => spec.defaults?.[variable] !== undefined || paths.split('|').some((p) => hasParam(input, p) !== false),
    );
  const required = mapped.filter((t) => t.required);
  const optional = mapped.filter((t) => !t.required && present(t));
  const specific = optional.filter((o) =>
    required.some((r) => Object.keys(spec.resources[o.name] ?? {}).length > Object.keys(spec.resources[r.name] ?? {}).length),
  );
  const chosen = specific.length > 0 ? specific : required.length > 0 ? required : optional.length > 0 ? [optional[0]] : [mapped[0]];
  return chosen
    .filter((t): t is { name: string; required: boolean } => !!t)
    .map((t) => ({ type: t.name, vars: spec.resources[t.name] ?? {} }));
}

/** Resource ARNs of one resource type from the request. */
function resourcesFor(prefix: string, choice: ResourceChoice, input: StaticValue, spec: ServiceSpec, ctx: NeedContext): NeededResource[] {
  const tpl = resourceTypeArn(prefix, choice.type);
  if (!tpl) return [{ parts: [marker(choice.type)], unresolved: `no ARN format for ${prefix} ${choice.type}` }];
  // whole-ARN parameters
  for (const [variable, paths] of Object.entries(choice.vars)) {
    if (!variable.startsWith('@')) continue;
    const vals = paths.split('|').flatMap((p) => valuesAt(input, p));
    if (vals.length === 0) continue;
    return vals.slice(0, MAX_RESOURCES_PER_ACTION).map((v) => wholeArn(variable, v, prefix, choice.type, ctx));
  }
  const values: Record<string, ArnPart[][]> = {};
  let unresolved: string | undefined;
  for (const [variable, paths] of Object.entries(choice.vars)) {
    if (variable.startsWith('@')) continue;
    const vals = paths
      .split('|')
      .flatMap((p) => valuesAt(input, p))
      .flatMap((v) => (v.kind === 'array' ? v.items : [v]));
    const out: ArnPart[][] = [];
    for (const v of vals.slice(0, MAX_RESOURCES_PER_ACTION)) {
      // a name parameter may hold a whole ARN (FunctionName, SecretId, KeyId, TableName)
      const lit = literalString(v);
      if (lit?.startsWith('arn:')) return [{ parts: [lit] }];
      const r = varParts(v, variable, ctx);
      if (isUnresolved(r)) {
        unresolved ??= r.unresolved;
        out.push([marker(variable)]);
        continue;
      }
      if (r.target && r.target.kind.resourceType.toLowerCase() === choice.type && r.target.kind.nameVar === variable) {
        const whole = targetArn(r.target);
        if (whole) return [{ parts: whole }];
      }
      out.push(adjust(prefix, variable, r.parts, paths));
    }
    if (out.length === 0) {
      const def = spec.defaults?.[variable];
      if (def !== undefined) out.push([def]);
      else if (DATA_VARS.has(variable)) out.push(['*']);
      else {
        unresolved ??= `the request does not show ${paths.split('|')[0]}`;
        out.push([marker(variable)]);
      }
    }
    values[variable] = out;
  }
  const combos = cartesian(values).slice(0, MAX_RESOURCES_PER_ACTION);
  const res: NeededResource[] = [];
  for (const c of combos) {
    let parts = fillTemplate(tpl, c);
    if (!parts) continue;
    parts = collapseRefs(parts, ctx.index);
    res.push(unresolved ? { parts, unresolved } : { parts });
  }
  return res.length > 0 ? res : [{ parts: [marker(choice.type)], unresolved: unresolved ?? 'resource not resolved' }];
}

/** Service-specific shapes of names: SSM names without the leading slash (paths get `/*`), secret names get the random suffix. */
function adjust(prefix: string, variable: string, parts: ArnPart[], paths: string): ArnPart[] {
  const out = [...parts];
  if (variable === 'ParameterNameWithoutLeadingSlash' && typeof out[0] === 'string') {
    out[0] = out[0].replace(/^\//, '');
    if (paths.includes('Path')) {
      const last = out[out.length - 1];
      if (typeof last === 'string') out[out.length - 1] = `${last.replace(/\/$/, '')}/*`;
      else out.push('/*');
    }
  }
  if (prefix === 'secretsmanager' && variable === 'SecretId') {
    const last = out[out.length - 1];
    if (typeof last !== 'string' || !last.endsWith('*')) out.push('-??????');
  }
  return normalize(out);
}

function wholeArn(variable: string, v: StaticValue, prefix: string, type: string, ctx: NeedContext): NeededResource {
  if (variable === '@unresolvable') return { parts: [marker(type)], unresolved: `the ${prefix} ${type} ARN is not in the request` };
  if (v.kind === 'env') {
    const e = envValue(v.name, ctx);
    if ('text' in e) return literalArn(variable, e.text, prefix, type);
    if ('target' in e) {
      const whole = targetArn(e.target);
      if (whole) return { parts: whole };
      return { parts: [marker(type)], unresolved: `${e.target.address} has no ARN form` };
    }
    return { parts: [marker(type)], unresolved: e.unresolved };
  }
  const lit = literalString(v);
  if (lit !== undefined) return literalArn(variable, lit, prefix, type);
  return { parts: [marker(type)], unresolved: `${describeValue(v)} is not known statically` };
}

function literalArn(variable: string, text: string, prefix: string, type: string): NeededResource {
  if (variable === '@queueUrl') {
    const m = /^https:\/\/(?:sqs\.)?([a-z0-9-]+)\.(?:queue\.)?amazonaws\.com(?:\.cn)?\/(\d{12})\/([\w-]+(?:\.fifo)?)$/.exec(text);
    if (m) return { parts: [`arn:aws:sqs:${m[1]}:${m[2]}:${m[3]}`] };
    return { parts: [marker(type)], unresolved: `queue URL ${text} not understood` };
  }
  if (variable === '@kmsKey') {
    if (text.startsWith('arn:')) return { parts: [text] };
    if (text.startsWith('alias/')) return { parts: kmsAlias(text) };
    return { parts: ['arn:', { pseudo: 'partition' }, ':kms:', { pseudo: 'region' }, ':', { pseudo: 'account' }, `:key/${text}`] };
  }
  if (text.startsWith('arn:')) return { parts: [text] };
  return { parts: [marker(type)], unresolved: `${text} is not an ARN (${prefix} ${type})` };
}

function kmsAlias(alias: string): ArnPart[] {
  return ['arn:', { pseudo: 'partition' }, ':kms:', { pseudo: 'region' }, ':', { pseudo: 'account' }, `:${alias}`];
}

function cartesian(values: Record<string, ArnPart[][]>): Record<string, ArnPart[]>[] {
  let out: Record<string, ArnPart[]>[] = [{}];
  for (const [k, list] of Object.entries(values)) {
    const next: Record<string, ArnPart[]>[] = [];
    for (const o of out) for (const v of list) next.push({ ...o, [k]: v });
    out = next.slice(0, 64);
  }
  return out;
}

/* ------------------------------------------------------------------ actions of a call */

interface ActionSpec {
  action: string;
  group?: string;
  when?: string;
  unless?: string;
}

function parseSpec(s: string): ActionSpec {
  const [action, ...rest] = s.split(/\s+/);
  const out: ActionSpec = { action: action as string };
  for (const r of rest) {
    if (r.startsWith('<')) out.group = r.slice(1);
    else if (r.startsWith('?')) out.when = r.slice(1);
    else if (r.startsWith('!')) out.unless = r.slice(1);
  }
  return out;
}

const PARTIQL_VERBS = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];

/** Verbs of the PartiQL statements of a request; undefined when some statement is not literal. */
function partiqlVerbs(input: StaticValue): Set<string> | undefined {
  const stmts = [
    ...valuesAt(input, 'Statement'),
    ...valuesAt(input, 'Statements[].Statement'),
    ...valuesAt(input, 'TransactStatements[].Statement'),
  ];
  if (stmts.length === 0) return undefined;
  const verbs = new Set<string>();
  for (const s of stmts) {
    const text = s.kind === 'concat' ? s.parts[0] : s;
    const lit = text?.kind === 'literal' ? String(text.value) : undefined;
    const verb = lit ? /^\s*(\w+)/.exec(lit)?.[1]?.toUpperCase() : undefined;
    if (!verb || !PARTIQL_VERBS.includes(verb)) return undefined;
    verbs.add(verb);
  }
  return verbs;
}

/** Table names of a PartiQL request (`FROM "Orders"`, `INSERT INTO Orders`, `UPDATE "Orders"`). */
function partiqlTables(input: StaticValue): StaticValue[] {
  const stmts = [
    ...valuesAt(input, 'Statement'),
    ...valuesAt(input, 'Statements[].Statement'),
    ...valuesAt(input, 'TransactStatements[].Statement'),
  ];
  const out: StaticValue[] = [];
  for (const s of stmts) {
    const lit = literalString(s) ?? (s.kind === 'concat' && s.parts[0]?.kind === 'literal' ? String(s.parts[0].value) : undefined);
    const m = lit ? /\b(?:FROM|INTO|UPDATE)\s+"?([\w.-]+)"?/i.exec(lit) : undefined;
    if (m) out.push({ kind: 'literal', value: (m[1] as string).split('.')[0] as string });
    else if (s.kind === 'concat') {
      // `SELECT * FROM "${process.env.TABLE}"`
      const i = s.parts.findIndex((p) => p.kind === 'literal' && /\b(?:FROM|INTO|UPDATE)\s+"?$/i.test(String(p.value)));
      const next = i >= 0 ? s.parts[i + 1] : undefined;
      if (next) out.push(next);
    }
  }
  return out;
}

/** Is the `when` condition of an action spec met? Item kinds and statement verbs fan out when unknown. */
function conditionMet(spec: ActionSpec, input: StaticValue): boolean {
  if (spec.when?.startsWith('Statement.')) {
    const verbs = partiqlVerbs(input);
    return verbs ? verbs.has(spec.when.slice('Statement.'.length)) : true;
  }
  if (spec.when) {
    const has = spec.when.startsWith('TransactItems.')
      ? hasParam(input, spec.when.replace('TransactItems.', 'TransactItems[].'))
      : hasParam(input, spec.when);
    if (has === 'maybe') return spec.when.includes('.');
    if (!has) return false;
  }
  if (spec.unless && hasParam(input, spec.unless) === true) return false;
  return true;
}

/** Request parameters seen through a parameter group (the copy source of CopyObject, a role to pass, a second key). */
function groupInput(group: string, input: StaticValue, spec: ServiceSpec): { input: StaticValue; kind: string } {
  const kind = spec.groups?.[group] ?? 'arn';
  const path = group === 'ReplicationRole' ? 'ReplicationConfiguration.Role' : group;
  const v = valuesAt(input, path)[0];
  if (kind === 'copySource') {
    // "bucket/key" (optionally URL-encoded, `?versionId=`): split at the first slash
    const bucket: StaticValue[] = [];
    const key: StaticValue[] = [];
    const parts = v ? (v.kind === 'concat' ? v.parts : [v]) : [];
    let inKey = false;
    for (const p of parts) {
      if (inKey) {
        key.push(p);
        continue;
      }
      if (p.kind === 'literal' && String(p.value).includes('/')) {
        const s = String(p.value).replace(/^\//, '');
        const i = s.indexOf('/');
        if (i >= 0) {
          if (i > 0) bucket.push({ kind: 'literal', value: s.slice(0, i) });
          if (i + 1 < s.length) key.push({ kind: 'literal', value: s.slice(i + 1) });
          inKey = true;
          continue;
        }
      }
      bucket.push(p);
    }
    const props: Record<string, StaticValue> = {};
    if (bucket.length) props.Bucket = bucket.length === 1 ? (bucket[0] as StaticValue) : { kind: 'concat', parts: bucket };
    if (key.length) props.Key = key.length === 1 ? (key[0] as StaticValue) : { kind: 'concat', parts: key };
    return { input: { kind: 'object', props }, kind };
  }
  return { input: v ?? { kind: 'unknown', text: path }, kind };
}

function callSource(call: SdkCall): NeedSource {
  const s: NeedSource = { kind: 'call', label: `${call.service}.${call.operation}`, file: call.file, line: call.line, column: call.column };
  if (call.presigned) s.presigned = true;
  return s;
}

/** The permissions one SDK call needs. `[]` for operations that need none (GetCallerIdentity, Cognito user APIs). */
export function needsOfCall(call: SdkCall, ctx: NeedContext): Need[] {
  const spec = serviceSpec(call.service);
  if (!spec) return [];
  const op: OperationSpec | undefined = spec.operations[call.operation];
  const specs = op ? op.actions.map(parseSpec) : [{ action: `${spec.prefix}:${call.operation}` }];
  const source = callSource(call);
  const out: Need[] = [];
  let input = call.input;
  if (call.service === 'dynamodb') input = dynamoTables(call.operation, input);
  const targets = new Set<RefTarget>();
  for (const s of specs) {
    if (!conditionMet(s, input)) continue;
    const canon = canonicalAction(s.action);
    const action = canon ?? s.action;
    const prefix = action.split(':')[0] as string;
    let reqInput = input;
    let resSpec = spec;
    if (s.group) {
      const g = groupInput(s.group, input, spec);
      if (g.kind === 'arn' || g.kind === 'kmsKey' || g.kind === 'secretArn') {
        const variable = g.kind === 'kmsKey' ? '@kmsKey' : '@arn';
        const type = prefix === 'iam' ? 'role' : prefix === 'kms' ? 'key' : prefix === 'secretsmanager' ? 'secret' : 'resource';
        const need: Need = { action, verified: !!canon, resource: wholeArn(variable, g.input, prefix, type, ctx), source, ...note(s) };
        // a role passed to a service: only to that service
        if (action === 'iam:PassRole') need.condition = { StringEquals: { 'iam:PassedToService': `${spec.prefix}.amazonaws.com` } };
        out.push(need);
        continue;
      }
      reqInput = g.input;
    }
    if (prefix !== spec.prefix) {
      const other = Object.values(serviceSpecs()).find((x) => x.prefix === prefix);
      if (other) resSpec = other;
    }
    const choice = chooseTypes(action, resSpec, reqInput);
    if (choice === 'wildcard') {
      out.push({ action, verified: !!canon, resource: { parts: ['*'], wildcardOnly: true }, source, ...note(s) });
      continue;
    }
    if (!choice) {
      out.push({
        action,
        verified: !!canon,
        resource: { parts: [marker('Resource')], unresolved: canon ? `no resource mapping for ${action}` : `unverified action ${action}` },
        source,
        ...note(s),
      });
      continue;
    }
    for (const c of choice)
      for (const r of resourcesFor(prefix, c, reqInput, resSpec, ctx)) {
        out.push({ action, verified: !!canon, resource: r, source, ...note(s) });
        for (const t of targetsIn(r.parts, ctx)) targets.add(t);
      }
  }
  if (op?.kms) out.push(...kmsNeeds(op.kms, targets, source, ctx));
  return out;
}

function note(s: ActionSpec): { note?: string } {
  if (s.when && !s.when.includes('.')) return { note: `${s.when} is set` };
  if (s.group) return { note: `for ${s.group}` };
  return {};
}

let specsCache: Record<string, ServiceSpec> | undefined;
function serviceSpecs(): Record<string, ServiceSpec> {
  if (!specsCache) {
    specsCache = {};
    for (const k of ['s3', 'dynamodb', 'sqs', 'sns', 'lambda', 'secretsmanager', 'ssm', 'kms', 'sts', 'events', 'states', 'kinesis'])
      specsCache[k] = serviceSpec(k) as ServiceSpec;
  }
  return specsCache;
}

/** DynamoDB requests that name tables in keys (`RequestItems`) or items (`TransactItems[].Put.TableName`) or statements. */
function dynamoTables(operation: string, input: StaticValue): StaticValue {
  if (input.kind !== 'object') return input;
  const extra: StaticValue[] = [];
  const ri = input.props.RequestItems;
  if (ri?.kind === 'object') {
    for (const k of Object.keys(ri.props)) {
      const env = /^\$\{env:(.+)\}$/.exec(k);
      extra.push(env ? { kind: 'env', name: env[1] as string } : { kind: 'literal', value: k });
    }
  }
  for (const kind of ['Get', 'Put', 'Update', 'Delete', 'ConditionCheck'])
    extra.push(...valuesAt(input, `TransactItems[].${kind}.TableName`));
  if (/Statement|Transaction/.test(operation)) extra.push(...partiqlTables(input));
  if (extra.length === 0) return input;
  const existing = input.props.TableName ? [input.props.TableName] : [];
  return { ...input, props: { ...input.props, TableName: { kind: 'array', items: [...existing, ...extra] } } };
}

function targetsIn(parts: ArnPart[], ctx: NeedContext): RefTarget[] {
  const out: RefTarget[] = [];
  for (const p of parts)
    if (typeof p === 'object' && 'ref' in p) {
      const t = ctx.index.byId.get(p.ref);
      if (t) out.push(t);
    }
  return out;
}

/** KMS permissions a customer-managed key on a resource the call touches adds. */
function kmsNeeds(mode: 'decrypt' | 'encrypt' | 'both', targets: Set<RefTarget>, source: NeedSource, ctx: NeedContext): Need[] {
  const out: Need[] = [];
  for (const t of targets) {
    const props = t.resource?.props;
    if (!props || props.encryption !== 'cmk' || props.kmsKeyId === undefined) continue;
    const key = props.kmsKeyId as Maybe<string>;
    let parts: ArnPart[] | undefined;
    let unresolved: string | undefined;
    const v = maybeValue(key, `KMS key of ${t.address}`, ctx);
    if ('text' in v)
      parts = v.text.startsWith('arn:')
        ? [v.text]
        : v.text.startsWith('alias/')
          ? kmsAlias(v.text)
          : ['arn:', { pseudo: 'partition' }, ':kms:', { pseudo: 'region' }, ':', { pseudo: 'account' }, `:key/${v.text}`];
    else if ('target' in v) parts = targetArn(v.target);
    else unresolved = v.unresolved;
    const resource: NeededResource = parts ? { parts } : { parts: [marker('KeyId')], unresolved: unresolved ?? 'KMS key not resolved' };
    const actions =
      mode === 'decrypt' ? ['kms:Decrypt'] : mode === 'encrypt' ? ['kms:GenerateDataKey'] : ['kms:Decrypt', 'kms:GenerateDataKey'];
    for (const a of actions) out.push({ action: a, verified: true, resource, source, note: `customer-managed KMS key of ${t.address}` });
  }
  return out;
}
