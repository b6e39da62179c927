/**
 * Terraform resources of one unit (a root module and its local modules) into the Model.
 * Ids are `terraform:<unit dir>#<address>`; positions point at the block or the attribute.
 */
import {
  type Api,
  type ApiStage,
  type App,
  type Fn,
  type Identity,
  type InvokePermission,
  isKnown,
  isUnknown,
  type Layer,
  type Maybe,
  type PolicyStatement,
  type Principal,
  type Provider,
  type Resource,
  type ResourceProps,
  type Trigger,
  type TriggerKind,
  type Unknown,
  unknown,
  type Where,
} from '../../model/types.js';
import { awsManagedStatements } from '../../policy/managed.js';
import { Encoded, isObject, PolicyDocRef, toMaybeString, type Value } from './evaluate.js';
import type { BlockRef, Unit } from './modules.js';
import { listOf, Node, refTarget, whereOf } from './node.js';

interface Res {
  ref: BlockRef;
  type: string;
  address: string;
  node: Node;
  where: Where;
}

const SUPPORT_TYPES: Record<string, string> = {
  aws_sqs_queue: 'sqs-queue',
  aws_sns_topic: 'sns-topic',
  aws_s3_bucket: 's3-bucket',
  aws_dynamodb_table: 'dynamodb-table',
  aws_kinesis_stream: 'kinesis-stream',
  aws_cloudwatch_event_bus: 'eventbridge-bus',
  aws_cloudwatch_event_rule: 'eventbridge-rule',
  aws_cloudwatch_log_group: 'log-group',
  aws_sfn_state_machine: 'state-machine',
  aws_cognito_identity_pool: 'cognito-identity-pool',
  aws_cognito_user_pool: 'cognito-user-pool',
  aws_cloudwatch_metric_alarm: 'cloudwatch-alarm',
  aws_secretsmanager_secret: 'secret',
  aws_kms_key: 'kms-key',
  aws_lambda_code_signing_config: 'code-signing-config',
  aws_appsync_graphql_api: 'appsync-api',
  aws_api_gateway_account: 'other',
  aws_ssm_parameter: 'parameter',
  aws_sns_topic_subscription: 'sns-subscription',
};

function str(v: Maybe<string> | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Split `a.b.c` addresses: for `module.x.aws_sqs_queue.q` the prefix is `module.x.`. */
function toArray<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

export class UnitBuilder {
  readonly app: Partial<App> & Required<Pick<App, 'functions' | 'identities' | 'apis' | 'layers' | 'resources' | 'diagnostics'>> = {
    functions: [],
    identities: [],
    apis: [],
    layers: [],
    resources: [],
    diagnostics: [],
    sources: [],
  };
  private readonly byAddr = new Map<string, Res>();
  private readonly byType = new Map<string, Res[]>();
  private readonly fnByAddr = new Map<string, Fn>();
  private readonly idByAddr = new Map<string, Identity>();
  private readonly policyDocs = new Map<string, PolicyStatement[]>();
  private readonly apiByAddr = new Map<string, Api>();
  private readonly resByAddr = new Map<string, Resource>();
  private readonly logGroupFn = new Map<string, Fn>();

  constructor(readonly unit: Unit) {
    for (const inst of unit.instances)
      for (const ref of inst.blocks) {
        const b = ref.block;
        if (b.blockType !== 'resource' && b.blockType !== 'data' && b.blockType !== 'variable') continue;
        const type = b.blockType === 'variable' ? 'variable' : b.blockType === 'data' ? `data.${b.labels[0] ?? ''}` : (b.labels[0] ?? '');
        let path = ref.address;
        if (b.body.attributes.some((a) => a.name === 'count')) path += ' (count: one object for every instance)';
        else if (b.body.attributes.some((a) => a.name === 'for_each')) path += ' (for_each: one object for every instance)';
        const node = new Node(b.body, b.range, ref.file.path, ref.ev, ref.address);
        const r: Res = { ref, type, address: ref.address, node, where: whereOf(ref.file.path, b.range, path) };
        this.byAddr.set(ref.address, r);
        const l = this.byType.get(type) ?? [];
        l.push(r);
        this.byType.set(type, l);
      }
    for (const f of new Set(unit.instances.flatMap((i) => i.files.map((x) => x.path))))
      this.app.sources?.push({ file: f, format: 'terraform', unit: unit.rel });
  }

  id(address: string): string {
    return `terraform:${this.unit.rel}#${address}`;
  }

  private of(type: string): Res[] {
    return this.byType.get(type) ?? [];
  }

  /** Resolve a reference-ish value to a known address of one of the given types. */
  private target(v: unknown, types: string[]): Res | undefined {
    const t = refTarget(v);
    if (t) {
      const r = this.byAddr.get(t);
      if (r && types.includes(r.type)) return r;
    }
    return undefined;
  }

  private fnOf(v: unknown): Fn | undefined {
    const r = this.target(v, ['aws_lambda_function']);
    if (r) return this.fnByAddr.get(r.address);
    if (typeof v === 'string') {
      for (const fn of this.fnByAddr.values())
        if (fn.functionName === v || (typeof fn.functionName === 'string' && v.endsWith(`:function:${fn.functionName}`))) return fn;
    }
    if (isUnknown(v)) {
      const m = /\baws_lambda_function\.([\w-]+)/.exec(v.expr);
      if (m) {
        const prefix = v.target?.replace(/aws_lambda_function\.[\w-]+$/, '') ?? '';
        return this.fnByAddr.get(`${prefix}aws_lambda_function.${m[1]}`) ?? this.fnByAddr.get(`aws_lambda_function.${m[1]}`);
      }
    }
    return undefined;
  }

  build(): void {
    const phases: [string, () => void][] = [
      ['policy documents', () => this.policyDocuments()],
      ['IAM', () => this.identities()],
      ['layers', () => this.layersAndSigning()],
      ['functions', () => this.functions()],
      ['Google Cloud', () => this.gcp()],
      ['Azure', () => this.azure()],
      ['resources', () => this.supportResources()],
      ['API Gateway', () => this.apis()],
      ['function settings', () => this.lambdaSatellites()],
      ['event sources', () => this.eventSources()],
      ['variables', () => this.parameters()],
    ];
    // an unexpected shape in one phase must not lose what the others found
    for (const [name, run] of phases) {
      try {
        run();
      } catch (e) {
        this.app.diagnostics.push({
          level: 'error',
          file: this.unit.dir,
          message: `terraform (${this.unit.rel}): cannot read ${name}: ${(e as Error)?.message ?? e}`,
          code: 'terraform-error',
        });
      }
    }
  }

  /* ------------------------------------------------------------------ IAM */

  private statementsFromDoc(doc: Value, where: Where, origin: PolicyStatement['origin']): PolicyStatement[] {
    if (!isObject(doc)) return [];
    const st = doc.Statement;
    const list = Array.isArray(st) ? st : st !== undefined ? [st] : [];
    return list.map((s, k) => this.statementFromJson(s, { ...where, path: `${where.path ?? ''}.Statement[${k}]` }, origin));
  }

  private statementFromJson(s: Value, where: Where, origin: PolicyStatement['origin']): PolicyStatement {
    if (!isObject(s)) return { effect: unknown(JSON.stringify(s) ?? 'statement', { hint: 'other' }), where, ...(origin ? { origin } : {}) };
    const strs = (v: Value | undefined): Maybe<string>[] | undefined => (v === undefined ? undefined : listOf(v, 'policy'));
    const eff = s.Effect;
    const st: PolicyStatement = {
      effect:
        eff === 'Allow' || eff === 'Deny'
          ? eff
          : eff === undefined
            ? 'Allow'
            : unknown(String(toMaybeString(eff, 'Effect')), { hint: 'other' }),
      where,
    };
    if (typeof s.Sid === 'string') st.sid = s.Sid;
    const set = <K extends 'actions' | 'notActions' | 'resources' | 'notResources'>(k: K, v: Value | undefined) => {
      const l = strs(v);
      if (l) st[k] = l;
    };
    set('actions', s.Action);
    set('notActions', s.NotAction);
    set('resources', s.Resource);
    set('notResources', s.NotResource);
    const pr = (v: Value | undefined): Principal | Unknown | undefined => {
      if (v === undefined) return undefined;
      if (v === '*') return '*';
      if (!isObject(v)) return isUnknown(v) ? v : unknown('Principal', { hint: 'other' });
      const out: Exclude<Principal, '*'> = {};
      for (const key of ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const) if (v[key] !== undefined) out[key] = strs(v[key]) ?? [];
      return out;
    };
    const p = pr(s.Principal);
    if (p) st.principal = p;
    const np = pr(s.NotPrincipal);
    if (np) st.notPrincipal = np;
    if (s.Condition !== undefined)
      st.condition = isObject(s.Condition)
        ? (s.Condition as Record<string, Record<string, unknown>>)
        : unknown('Condition', { hint: 'other' });
    if (origin) st.origin = origin;
    return st;
  }

  /** `data "aws_iam_policy_document"` statement blocks -> statements with their own positions. */
  private policyDocuments(): void {
    for (const r of this.of('data.aws_iam_policy_document')) {
      const out: PolicyStatement[] = [];
      for (const s of r.node.blocks('statement')) {
        const eff = s.str('effect');
        const st: PolicyStatement = {
          effect:
            eff === undefined || eff === 'Allow'
              ? 'Allow'
              : eff === 'Deny'
                ? 'Deny'
                : isUnknown(eff)
                  ? eff
                  : unknown(eff, { hint: 'other' }),
          where: s.where(),
        };
        const sid = s.str('sid');
        if (typeof sid === 'string') st.sid = sid;
        const a = s.list('actions');
        if (a) st.actions = a;
        const na = s.list('not_actions');
        if (na) st.notActions = na;
        const rs = s.list('resources');
        if (rs) st.resources = rs;
        const nr = s.list('not_resources');
        if (nr) st.notResources = nr;
        const principals = (name: string): Principal | undefined => {
          const bs = s.blocks(name);
          if (bs.length === 0) return undefined;
          const out: Exclude<Principal, '*'> = {};
          for (const b of bs) {
            const type = b.str('type');
            const ids = b.list('identifiers') ?? [];
            if (type === '*' && ids.some((x) => x === '*')) return '*';
            const key = type === 'AWS' || type === 'Service' || type === 'Federated' || type === 'CanonicalUser' ? type : undefined;
            if (key) out[key] = [...(out[key] ?? []), ...ids];
          }
          return out;
        };
        const p = principals('principals');
        if (p) st.principal = p;
        const np = principals('not_principals');
        if (np) st.notPrincipal = np;
        const conds = s.blocks('condition');
        if (conds.length) {
          const c: Record<string, Record<string, unknown>> = {};
          for (const cb of conds) {
            const test = str(cb.str('test')) ?? '?';
            const variable = str(cb.str('variable')) ?? '?';
            const byTest = c[test] ?? {};
            byTest[variable] = cb.list('values') ?? [];
            c[test] = byTest;
          }
          st.condition = c;
        }
        out.push(st);
      }
      this.policyDocs.set(r.address, out);
    }
    // source_policy_documents / override_policy_documents that are other policy documents (one level)
    for (const r of this.of('data.aws_iam_policy_document')) {
      const own = this.policyDocs.get(r.address) ?? [];
      for (const attr of ['source_policy_documents', 'override_policy_documents']) {
        const v = r.node.val(attr);
        for (const x of Array.isArray(v) ? v : []) if (x instanceof PolicyDocRef) own.push(...(this.policyDocs.get(x.address) ?? []));
      }
    }
  }

  /** Statements from a policy attribute: jsonencode({...}), heredoc JSON, a policy document data source, a file(). */
  private policyFrom(node: Node, attr: string, origin: PolicyStatement['origin']): PolicyStatement[] | undefined {
    const a = node.attr(attr);
    if (!a) return undefined;
    const where = node.where(attr);
    // jsonencode({ Statement = [ {...}, ... ] }): position every statement
    if (a.expr.type === 'call' && a.expr.name === 'jsonencode' && a.expr.args[0]?.type === 'object') {
      const stItem = a.expr.args[0].items.find(
        (it) => (it.key.type === 'variable' ? it.key.name : it.key.type === 'literal' ? it.key.value : undefined) === 'Statement',
      );
      if (stItem) {
        const items = stItem.value.type === 'tuple' ? stItem.value.items : [stItem.value];
        return items.map((it, k) =>
          this.statementFromJson(node.ev.eval(it), whereOf(node.file, it.range, `${where.path}.Statement[${k}]`), origin),
        );
      }
    }
    const v = node.ev.eval(a.expr);
    if (v instanceof PolicyDocRef) return (this.policyDocs.get(v.address) ?? []).map((s) => (origin ? { ...s, origin } : s));
    if (v instanceof Encoded) return this.statementsFromDoc(v.value, where, origin);
    if (typeof v === 'string') {
      try {
        return this.statementsFromDoc(JSON.parse(v) as Value, where, origin);
      } catch {
        this.app.diagnostics.push({
          level: 'warning',
          file: where.file,
          line: where.line,
          column: where.column,
          message: `${attr}: not valid JSON`,
          code: 'terraform-policy-json',
        });
        return [];
      }
    }
    if (isUnknown(v) && a.expr.type === 'template') return this.placeholderPolicy(node, a.expr, where, origin);
    return undefined;
  }

  /** A heredoc/template JSON policy with interpolations: parse it with the unknown parts as placeholders. */
  private placeholderPolicy(
    node: Node,
    e: Extract<import('../hcl/ast.js').Expr, { type: 'template' }>,
    where: Where,
    origin: PolicyStatement['origin'],
  ): PolicyStatement[] | undefined {
    const unknowns: Maybe<string>[] = [];
    let text = '';
    for (const p of e.parts) {
      if (p.type === 'text') text += p.value;
      else if (p.type === 'interp') {
        const v = node.ev.eval(p.expr);
        if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') text += JSON.stringify(String(v)).slice(1, -1);
        else {
          unknowns.push(toMaybeString(v, node.ev.text(p.expr)) ?? unknown(node.ev.text(p.expr), { hint: 'other' }));
          text += `@@FNGUARD_UNKNOWN_${unknowns.length - 1}@@`;
        }
      } else return undefined;
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      return undefined;
    }
    const restore = (v: unknown): Value => {
      if (typeof v === 'string') {
        const m = /^@@FNGUARD_UNKNOWN_(\d+)@@$/.exec(v);
        if (m) return (unknowns[Number(m[1])] ?? unknown('?')) as Value;
        if (v.includes('@@FNGUARD_UNKNOWN_'))
          return unknown(
            v.replace(
              /@@FNGUARD_UNKNOWN_(\d+)@@/g,
              (_, k) => `\${${str(unknowns[Number(k)] as string) ?? (unknowns[Number(k)] as Unknown).expr}}`,
            ),
            { hint: 'other' },
          );
        return v;
      }
      if (Array.isArray(v)) return v.map(restore);
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, restore(x)]));
      return v as Value;
    };
    return this.statementsFromDoc(restore(doc), where, origin);
  }

  /** A managed policy ARN into a ref; AWS-managed ones known to the data are expanded into `into`. */
  private managedRef(arn: Maybe<string>, where: Where, into: PolicyStatement[]): Identity['managedPolicies'][number] {
    const ref: Identity['managedPolicies'][number] = { arn, where };
    if (typeof arn === 'string') {
      const m = /^arn:aws[\w-]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn);
      ref.awsManaged = !!m;
      ref.name = m?.[1] ?? arn.split('/').pop() ?? arn;
      const stmts = m?.[1] ? awsManagedStatements(m[1], where) : undefined;
      if (stmts) into.push(...stmts);
    }
    return ref;
  }

  private roleOf(v: unknown): Identity | undefined {
    const r = this.target(v, ['aws_iam_role']);
    if (r) return this.idByAddr.get(r.address);
    if (typeof v === 'string')
      for (const id of this.idByAddr.values())
        if (id.name === v || (typeof id.name === 'string' && v.endsWith(`:role/${id.name}`))) return id;
    return undefined;
  }

  private identities(): void {
    for (const r of this.of('aws_iam_role')) {
      const n = r.node;
      const id: Identity = { id: this.id(r.address), provider: 'aws', statements: [], managedPolicies: [], usedBy: [], where: r.where };
      const name = n.str('name');
      if (name !== undefined) id.name = name;
      const trust = this.policyFrom(n, 'assume_role_policy', undefined);
      if (trust) id.trust = trust;
      for (const ip of n.blocks('inline_policy')) {
        const s = this.policyFrom(ip, 'policy', {
          kind: 'inline',
          ...(typeof ip.str('name') === 'string' ? { name: ip.str('name') as string } : {}),
        });
        if (s) id.statements.push(...s);
      }
      const mpa = n.list('managed_policy_arns');
      if (mpa) for (const arn of mpa) id.managedPolicies.push(this.managedRef(arn, n.where('managed_policy_arns'), id.statements));
      const pb = n.str('permissions_boundary');
      if (pb !== undefined) id.permissionsBoundary = pb;
      this.idByAddr.set(r.address, id);
      this.app.identities.push(id);
    }
    for (const r of this.of('aws_iam_role_policy')) {
      const role = this.roleOf(r.node.val('role'));
      const s = this.policyFrom(r.node, 'policy', { kind: 'inline', name: str(r.node.str('name')) ?? r.address });
      if (role && s) role.statements.push(...s);
    }
    const customer = new Map<string, PolicyStatement[]>();
    for (const r of this.of('aws_iam_policy'))
      customer.set(
        r.address,
        this.policyFrom(r.node, 'policy', { kind: 'customer-managed', name: str(r.node.str('name')) ?? r.address }) ?? [],
      );
    const attach = (roleVal: unknown, arnAttr: Node, where: Where) => {
      const role = this.roleOf(roleVal);
      if (!role) return;
      const v = arnAttr.val('policy_arn');
      const pol = this.target(v, ['aws_iam_policy']);
      if (pol) {
        role.statements.push(...(customer.get(pol.address) ?? []));
        role.managedPolicies.push({
          arn: toMaybeString(v, arnAttr.text('policy_arn') ?? '') ?? unknown('policy_arn'),
          name: str(pol.node.str('name')) ?? pol.address,
          awsManaged: false,
          where,
        });
      } else
        role.managedPolicies.push(
          this.managedRef(toMaybeString(v, arnAttr.text('policy_arn') ?? '') ?? unknown('policy_arn'), where, role.statements),
        );
    };
    for (const r of this.of('aws_iam_role_policy_attachment')) attach(r.node.val('role'), r.node, r.where);
    for (const r of this.of('aws_iam_policy_attachment')) {
      const roles = r.node.val('roles');
      for (const x of Array.isArray(roles) ? roles : []) attach(x, r.node, r.where);
    }
  }

  /* ------------------------------------------------------------------ Lambda */

  private layersAndSigning(): void {
    for (const r of this.of('aws_lambda_layer_version')) {
      const l: Layer = { id: this.id(r.address), permissions: [], where: r.where };
      const name = r.node.str('layer_name');
      if (name !== undefined) l.name = name;
      const cr = r.node.list('compatible_runtimes');
      if (cr) l.compatibleRuntimes = cr;
      const sd = this.archiveDir(r.node.val('filename'));
      if (sd) l.contentDir = sd.dir;
      this.app.layers.push(l);
    }
    for (const r of this.of('aws_lambda_layer_version_permission')) {
      const target = this.target(r.node.val('layer_name'), ['aws_lambda_layer_version']);
      const l = target && this.app.layers.find((x) => x.id === this.id(target.address));
      if (!l) continue;
      const p: Layer['permissions'][number] = { principal: r.node.str('principal') ?? unknown('principal'), where: r.where };
      const org = r.node.str('organization_id');
      if (org !== undefined) p.organizationId = org;
      l.permissions.push(p);
    }
  }

  /** `filename = data.archive_file.x.output_path` (or the same path): the archive's source dir and excludes. */
  private archiveDir(filename: Value | undefined): { dir: string; excludes?: string[]; where: Where } | undefined {
    if (filename === undefined) return undefined;
    const t = refTarget(filename);
    for (const a of this.of('data.archive_file')) {
      const out = a.node.val('output_path');
      if (!(t === a.address || (typeof filename === 'string' && out === filename))) continue;
      const sd = a.node.val('source_dir');
      const sf = a.node.val('source_file');
      const base = a.ref.inst.scope.rootDir;
      const abs = (p: string) => (p.startsWith('/') ? p : `${base}/${p}`.replace(/\/\.\//g, '/'));
      const dir = typeof sd === 'string' ? abs(sd) : typeof sf === 'string' ? abs(sf).replace(/\/[^/]*$/, '') : undefined;
      if (!dir) return undefined;
      const ex = a.node.list('excludes')?.filter((x): x is string => typeof x === 'string');
      return { dir: normalize(dir), ...(ex ? { excludes: ex } : {}), where: a.where };
    }
    return undefined;
  }

  private functions(): void {
    for (const r of this.of('aws_lambda_function')) {
      const n = r.node;
      const fn: Fn = {
        id: this.id(r.address),
        name: r.address.split('.').pop() ?? r.address,
        provider: 'aws',
        format: 'terraform',
        env: [],
        layers: [],
        triggers: [],
        permissions: [],
        resourceId: r.address,
        where: r.where,
      };
      const set = <K extends keyof Fn>(k: K, v: Fn[K] | undefined) => {
        if (v !== undefined) fn[k] = v;
      };
      set('functionName', n.str('function_name'));
      set('runtime', n.str('runtime'));
      if (n.has('runtime')) fn.runtimeWhere = n.where('runtime');
      set('handler', n.str('handler'));
      const pt = n.str('package_type');
      fn.packageType = typeof pt === 'string' && pt.toLowerCase() === 'image' ? 'image' : n.has('image_uri') ? 'image' : 'zip';
      set('imageUri', n.str('image_uri'));
      const filename = n.val('filename');
      if (typeof filename === 'string')
        fn.codeArtifact = normalize(filename.startsWith('/') ? filename : `${r.ref.inst.scope.rootDir}/${filename}`);
      const arch = this.archiveDir(filename);
      if (arch) {
        fn.codeDir = arch.dir;
        fn.packaging = { ...(arch.excludes ? { patterns: arch.excludes.map((x) => `!${x}`) } : {}), where: arch.where };
      }
      const s3 = n.str('s3_key');
      if (s3 !== undefined) fn.packaging = { ...fn.packaging, artifact: s3 };
      set('kmsKeyArn', n.str('kms_key_arn'));
      set('timeout', n.num('timeout'));
      set('memory', n.num('memory_size'));
      const rc = n.num('reserved_concurrent_executions');
      if (rc !== undefined && !(typeof rc === 'number' && rc === -1)) fn.reservedConcurrency = rc;
      const tc = n.block('tracing_config');
      if (tc) set('tracing', tc.str('mode'));
      const vpc = n.block('vpc_config');
      if (vpc)
        fn.vpc = { subnetIds: vpc.list('subnet_ids') ?? [], securityGroupIds: vpc.list('security_group_ids') ?? [], where: vpc.where() };
      const dlq = n.block('dead_letter_config');
      if (dlq) fn.deadLetter = { target: dlq.str('target_arn') ?? unknown('target_arn'), where: dlq.where() };
      const layers = n.list('layers');
      if (layers)
        fn.layers = layers.map((arn) => {
          const t = this.target(arn, ['aws_lambda_layer_version']);
          return { arn, ...(t ? { layerId: this.id(t.address) } : {}), where: n.where('layers') };
        });
      const csc = n.str('code_signing_config_arn');
      if (csc !== undefined) {
        const c = this.target(csc, ['aws_lambda_code_signing_config']);
        const enf = c?.node.block('policies')?.str('untrusted_artifact_on_deployment');
        fn.codeSigning = {
          config: csc,
          ...(c ? { enforcement: enf === 'Enforce' || enf === 'Warn' ? enf : isUnknown(enf) ? enf : 'Warn' } : {}),
          where: n.where('code_signing_config_arn'),
        };
      }
      const lc = n.block('logging_config');
      if (lc) {
        fn.logs = { where: lc.where() };
        const f = lc.str('log_format');
        if (f !== undefined) fn.logs.format = f;
        const g = lc.str('log_group');
        if (g !== undefined) fn.logs.logGroup = g;
      }
      const rl = n.str('recursive_loop');
      if (rl !== undefined) fn.recursiveLoop = rl;
      set('architectures', n.list('architectures'));
      const tags = n.map('tags');
      if (tags && !isUnknown(tags)) fn.tags = tags;
      for (const env of n.blocks('environment'))
        for (const e of env.mapEntries('variables') ?? []) fn.env.push({ name: e.key, value: e.value, where: e.where, level: 'function' });
      const roleVal = n.val('role');
      const role = this.roleOf(roleVal);
      if (role) {
        fn.identity = role.id;
        role.usedBy.push(fn.id);
      } else if (roleVal !== undefined) {
        const arn = toMaybeString(roleVal, n.text('role') ?? 'role') ?? unknown('role');
        const key = typeof arn === 'string' ? arn : arn.expr;
        let ext = this.app.identities.find((i) => i.external && (i.arn === key || (isUnknown(i.arn) && i.arn.expr === key)));
        if (!ext) {
          ext = {
            id: this.id(`role:${key}`),
            provider: 'aws',
            statements: [],
            managedPolicies: [],
            usedBy: [],
            external: true,
            arn,
            where: n.where('role'),
          };
          this.app.identities.push(ext);
        }
        ext.usedBy.push(fn.id);
        fn.identity = ext.id;
      }
      this.fnByAddr.set(r.address, fn);
      this.app.functions.push(fn);
    }
  }

  /** Permissions, URLs, invoke configs, log groups, alarms on the functions. */
  private lambdaSatellites(): void {
    for (const r of this.of('aws_lambda_permission')) {
      const n = r.node;
      const fn = this.fnOf(n.val('function_name'));
      if (!fn) continue;
      const p: InvokePermission = {
        id: this.id(r.address),
        principal: n.str('principal') ?? unknown('principal'),
        action: n.str('action') ?? 'lambda:InvokeFunction',
        where: r.where,
      };
      const opt = (k: keyof InvokePermission, a: string) => {
        const v = n.str(a);
        if (v !== undefined) (p as unknown as Record<string, unknown>)[k] = v;
      };
      opt('sourceArn', 'source_arn');
      opt('sourceAccount', 'source_account');
      opt('principalOrgId', 'principal_org_id');
      opt('functionUrlAuthType', 'function_url_auth_type');
      fn.permissions.push(p);
    }
    for (const r of this.of('aws_lambda_function_url')) {
      const n = r.node;
      const fn = this.fnOf(n.val('function_name'));
      if (!fn) continue;
      const at = n.str('authorization_type');
      fn.url = {
        auth: at === 'NONE' ? 'none' : at === 'AWS_IAM' ? 'iam' : isUnknown(at) ? at : unknown(String(at)),
        resourceId: this.id(r.address),
        where: r.where,
      };
      const im = n.str('invoke_mode');
      if (im !== undefined) fn.url.invokeMode = im;
      const c = n.block('cors');
      if (c) {
        fn.url.cors = { where: c.where() };
        const o = c.list('allow_origins');
        if (o) fn.url.cors.allowOrigins = o;
        const m = c.list('allow_methods');
        if (m) fn.url.cors.allowMethods = m;
        const h = c.list('allow_headers');
        if (h) fn.url.cors.allowHeaders = h;
        const ac = c.bool('allow_credentials');
        if (ac !== undefined) fn.url.cors.allowCredentials = ac;
      }
      fn.triggers.push({
        kind: 'function-url',
        auth: { type: fn.url.auth === 'none' ? 'none' : fn.url.auth === 'iam' ? 'iam' : 'unknown', where: n.where('authorization_type') },
        public: true,
        resourceId: this.id(r.address),
        where: r.where,
      });
    }
    for (const r of this.of('aws_lambda_function_event_invoke_config')) {
      const n = r.node;
      const fn = this.fnOf(n.val('function_name'));
      if (!fn) continue;
      const d: NonNullable<Fn['destinations']> = { where: r.where };
      const dc = n.block('destination_config');
      const ok = dc?.block('on_success')?.str('destination');
      if (ok !== undefined) d.onSuccess = ok;
      const bad = dc?.block('on_failure')?.str('destination');
      if (bad !== undefined) d.onFailure = bad;
      const mr = n.num('maximum_retry_attempts');
      if (mr !== undefined) d.maximumRetryAttempts = mr;
      fn.destinations = d;
    }
    for (const r of this.of('aws_cloudwatch_log_group')) {
      const name = r.node.str('name');
      let fn: Fn | undefined;
      if (typeof name === 'string') {
        const m = /^\/aws\/lambda\/(.+)$/.exec(name);
        if (m) fn = this.fnOf(m[1]);
      } else if (isUnknown(name)) fn = this.fnOf(name);
      if (!fn) continue;
      const logs: NonNullable<Fn['logs']> = { ...fn.logs, where: r.where };
      const ret = r.node.num('retention_in_days');
      if (ret !== undefined) logs.retentionInDays = ret;
      if (typeof name === 'string' || name === undefined || typeof fn.functionName !== 'string') {
        if (name !== undefined) logs.logGroup = name;
      } else {
        logs.logGroup = `/aws/lambda/${fn.functionName}`;
        const res = this.resByAddr.get(r.address);
        if (res) res.name = logs.logGroup;
      }
      const kms = r.node.str('kms_key_id');
      if (kms !== undefined) logs.kmsKeyId = kms;
      fn.logs = logs;
      this.logGroupFn.set(r.address, fn);
    }
    for (const r of this.of('aws_cloudwatch_log_data_protection_policy')) {
      const g = r.node.val('log_group_name');
      const lg = this.target(g, ['aws_cloudwatch_log_group']);
      const fn = lg ? this.logGroupFn.get(lg.address) : undefined;
      if (fn?.logs) fn.logs.dataProtection = true;
    }
    for (const r of this.of('aws_lambda_provisioned_concurrency_config')) {
      const fn = this.fnOf(r.node.val('function_name'));
      const pc = r.node.num('provisioned_concurrent_executions');
      if (fn && pc !== undefined) fn.provisionedConcurrency = pc;
    }
  }

  private addTrigger(fn: Fn, t: Trigger): void {
    fn.triggers.push(t);
  }

  private eventSources(): void {
    for (const r of this.of('aws_lambda_event_source_mapping')) {
      const n = r.node;
      const fn = this.fnOf(n.val('function_name'));
      if (!fn) continue;
      const src = n.val('event_source_arn');
      const t = refTarget(src) ?? (typeof src === 'string' ? src : '');
      const kind: TriggerKind = /aws_sqs_queue|:sqs:/.test(t)
        ? 'sqs'
        : /aws_kinesis_stream|:kinesis:/.test(t)
          ? 'kinesis'
          : /aws_dynamodb_table|:dynamodb:/.test(t)
            ? 'dynamodb-stream'
            : /aws_msk_cluster|:kafka:/.test(t) || n.has('self_managed_event_source')
              ? 'kafka'
              : /aws_mq_broker|:mq:/.test(t)
                ? 'mq'
                : 'other';
      const mapping: NonNullable<Trigger['mapping']> = { where: r.where };
      const bs = n.num('batch_size');
      if (bs !== undefined) mapping.batchSize = bs;
      const mr = n.num('maximum_retry_attempts');
      if (mr !== undefined) mapping.maximumRetryAttempts = mr;
      const bis = n.bool('bisect_batch_on_function_error');
      if (bis !== undefined) mapping.bisectBatchOnFunctionError = bis;
      const of = n.block('destination_config')?.block('on_failure')?.str('destination_arn');
      if (of !== undefined) mapping.onFailure = of;
      const frt = n.list('function_response_types')?.filter((x): x is string => typeof x === 'string');
      if (frt) mapping.functionResponseTypes = frt;
      const en = n.bool('enabled');
      if (en !== undefined) mapping.enabled = en;
      const target = refTarget(src);
      this.addTrigger(fn, {
        kind,
        auth: { type: 'iam' },
        public: false,
        source: target ? this.id(target) : (toMaybeString(src, n.text('event_source_arn') ?? '') ?? unknown('event_source_arn')),
        mapping,
        resourceId: this.id(r.address),
        where: r.where,
      });
    }
    // S3 notifications
    for (const r of this.of('aws_s3_bucket_notification')) {
      const bucket = refTarget(r.node.val('bucket'));
      for (const lf of r.node.blocks('lambda_function')) {
        const fn = this.fnOf(lf.val('lambda_function_arn'));
        if (!fn) continue;
        const events = lf.list('events')?.filter((x): x is string => typeof x === 'string');
        this.addTrigger(fn, {
          kind: 's3',
          auth: { type: 'iam' },
          public: false,
          async: true,
          source: bucket ? this.id(bucket) : unknown(r.node.text('bucket') ?? 'bucket', { hint: 'ref' }),
          ...(events ? { detail: { events } } : {}),
          resourceId: this.id(r.address),
          where: lf.where(),
        });
      }
    }
    // SNS subscriptions
    for (const r of this.of('aws_sns_topic_subscription')) {
      if (r.node.str('protocol') !== 'lambda') continue;
      const fn = this.fnOf(r.node.val('endpoint'));
      if (!fn) continue;
      const topic = refTarget(r.node.val('topic_arn'));
      this.addTrigger(fn, {
        kind: 'sns',
        auth: { type: 'iam' },
        public: false,
        async: true,
        source: topic ? this.id(topic) : (r.node.str('topic_arn') ?? unknown('topic_arn')),
        resourceId: this.id(r.address),
        where: r.where,
      });
    }
    // EventBridge targets
    for (const r of this.of('aws_cloudwatch_event_target')) {
      const fn = this.fnOf(r.node.val('arn'));
      if (!fn) continue;
      const rule = this.target(r.node.val('rule'), ['aws_cloudwatch_event_rule']);
      const sched = rule?.node.str('schedule_expression');
      const detail: Record<string, unknown> = {};
      if (sched !== undefined) detail.schedule = sched;
      const pat = rule?.node.str('event_pattern');
      if (pat !== undefined) detail.eventPattern = pat;
      if (r.node.block('dead_letter_config')) detail.deadLetter = r.node.block('dead_letter_config')?.str('arn');
      this.addTrigger(fn, {
        kind: sched !== undefined ? 'schedule' : 'eventbridge',
        auth: { type: 'iam' },
        public: false,
        async: true,
        ...(rule ? { source: this.id(rule.address) } : {}),
        detail,
        resourceId: this.id(r.address),
        where: r.where,
      });
    }
    // permissions that imply a trigger not otherwise declared
    for (const fn of this.fnByAddr.values())
      for (const p of fn.permissions) {
        const pr = str(p.principal);
        if (!pr) continue;
        const kind: TriggerKind | undefined =
          pr === 'apigateway.amazonaws.com'
            ? 'rest-api'
            : pr === 's3.amazonaws.com'
              ? 's3'
              : pr === 'sns.amazonaws.com'
                ? 'sns'
                : pr === 'events.amazonaws.com'
                  ? 'eventbridge'
                  : undefined;
        if (!kind) continue;
        const has = fn.triggers.some(
          (t) =>
            t.kind === kind ||
            (kind === 'rest-api' && (t.kind === 'http-api' || t.kind === 'websocket')) ||
            (kind === 'eventbridge' && t.kind === 'schedule'),
        );
        if (has) continue;
        const src = p.sourceArn;
        const apiV2 = isUnknown(src) && /aws_apigatewayv2_api/.test(src.expr);
        this.addTrigger(fn, {
          kind: apiV2 ? 'http-api' : kind,
          auth: { type: kind === 'rest-api' ? 'unknown' : 'iam' },
          public: kind === 'rest-api' ? 'unknown' : false,
          ...(kind !== 'rest-api' ? { async: true } : {}),
          ...(src !== undefined ? { source: src } : {}),
          resourceId: p.id,
          where: p.where,
        });
      }
  }

  /* ------------------------------------------------------------------ API Gateway */

  private apis(): void {
    // v1
    for (const r of this.of('aws_api_gateway_rest_api')) {
      const api: Api = { id: this.id(r.address), kind: 'rest', stages: [], where: r.where };
      const name = r.node.str('name');
      if (name !== undefined) api.name = name;
      const ep = r.node.block('endpoint_configuration')?.list('types')?.[0];
      if (ep !== undefined) api.endpointType = ep;
      const pol = this.policyFrom(r.node, 'policy', undefined);
      if (pol) api.policy = pol;
      const d = r.node.bool('disable_execute_api_endpoint');
      if (d !== undefined) api.disableExecuteApiEndpoint = d;
      this.apiByAddr.set(r.address, api);
      this.app.apis.push(api);
    }
    for (const r of this.of('aws_api_gateway_rest_api_policy')) {
      const api = this.apiOf(r.node.val('rest_api_id'));
      const pol = this.policyFrom(r.node, 'policy', undefined);
      if (api && pol) api.policy = [...(api.policy ?? []), ...pol];
    }
    for (const r of this.of('aws_api_gateway_request_validator')) {
      const api = this.apiOf(r.node.val('rest_api_id'));
      if (api) api.requestValidation = true;
    }
    for (const r of this.of('aws_api_gateway_stage')) {
      const api = this.apiOf(r.node.val('rest_api_id'));
      if (!api) continue;
      const st = this.stage(r, 'stage_name');
      const x = r.node.bool('xray_tracing_enabled');
      if (x !== undefined) st.tracingEnabled = x;
      const ce = r.node.bool('cache_cluster_enabled');
      if (ce !== undefined) st.cacheEnabled = ce;
      const vars = r.node.mapEntries('variables');
      if (vars) st.variables = vars.map((v) => ({ name: v.key, value: v.value, where: v.where }));
      api.stages.push(st);
    }
    for (const r of this.of('aws_api_gateway_method_settings')) {
      const api = this.apiOf(r.node.val('rest_api_id'));
      if (!api) continue;
      const sn = r.node.val('stage_name');
      const stTarget = refTarget(sn);
      const st =
        api.stages.find((s) => (stTarget && s.where === this.byAddr.get(stTarget)?.where) || (typeof sn === 'string' && s.name === sn)) ??
        api.stages[0];
      const s = r.node.block('settings');
      if (!st || !s) continue;
      const ll = s.str('logging_level');
      if (ll !== undefined) st.loggingLevel = ll;
      const dt = s.bool('data_trace_enabled');
      if (dt !== undefined) st.dataTraceEnabled = dt;
      const rl = s.num('throttling_rate_limit');
      const bl = s.num('throttling_burst_limit');
      if (rl !== undefined || bl !== undefined)
        st.throttling = { ...(rl !== undefined ? { rateLimit: rl } : {}), ...(bl !== undefined ? { burstLimit: bl } : {}) };
      const ce = s.bool('caching_enabled');
      if (ce !== undefined) st.cacheEnabled = ce;
      const enc = s.bool('cache_data_encrypted');
      if (enc !== undefined) st.cacheEncrypted = enc;
    }
    for (const r of this.of('aws_api_gateway_usage_plan')) {
      for (const as of r.node.blocks('api_stages')) {
        const api = this.apiOf(as.val('api_id'));
        const th = r.node.block('throttle_settings');
        if (api && th)
          api.usagePlanThrottling = { ...optNum('rateLimit', th.num('rate_limit')), ...optNum('burstLimit', th.num('burst_limit')) };
      }
    }
    for (const r of [...this.of('aws_api_gateway_domain_name'), ...this.of('aws_apigatewayv2_domain_name')]) {
      const sp = r.node.str('security_policy') ?? r.node.block('domain_name_configuration')?.str('security_policy');
      const dom = {
        name: r.node.str('domain_name') ?? unknown('domain_name'),
        ...(sp !== undefined ? { securityPolicy: sp } : {}),
        where: r.where,
      };
      // the APIs mapped to the domain (base path / API mappings); without mappings, every API of that kind
      const mapped = [...this.of('aws_api_gateway_base_path_mapping'), ...this.of('aws_apigatewayv2_api_mapping')]
        .filter((m) => refTarget(m.node.val('domain_name')) === r.address)
        .map((m) => this.apiOf(m.node.val('api_id')))
        .filter((a): a is Api => a !== undefined);
      const apis = mapped.length ? mapped : this.app.apis.filter((a) => (r.type.includes('v2') ? a.kind !== 'rest' : a.kind === 'rest'));
      for (const a of new Set(apis)) a.domains = [...(a.domains ?? []), dom];
    }
    for (const r of this.of('aws_api_gateway_api_key')) {
      const v = r.node.str('value');
      const key = {
        ...(r.node.str('name') !== undefined ? { name: r.node.str('name') as Maybe<string> } : {}),
        ...(v !== undefined ? { value: v } : {}),
        where: r.where,
      };
      const api = this.app.apis.find((a) => a.kind === 'rest');
      if (api) api.apiKeys = [...(api.apiKeys ?? []), key];
    }
    const authorizers = new Map<string, Res>();
    for (const r of [...this.of('aws_api_gateway_authorizer'), ...this.of('aws_apigatewayv2_authorizer')]) authorizers.set(r.address, r);
    for (const r of this.of('aws_api_gateway_method')) {
      const api = this.apiOf(r.node.val('rest_api_id'));
      const method = str(r.node.str('http_method')) ?? 'ANY';
      const integ = this.of('aws_api_gateway_integration').find((i) => {
        const m = refTarget(i.node.val('http_method'));
        const res = refTarget(i.node.val('resource_id'));
        if (m) return m === r.address;
        return res !== undefined && res === refTarget(r.node.val('resource_id')) && str(i.node.str('http_method')) === method;
      });
      const fn = integ ? this.fnOf(integ.node.val('uri')) : undefined;
      if (!fn) continue;
      const at = str(r.node.str('authorization')) ?? 'NONE';
      const akr = r.node.bool('api_key_required');
      const type =
        at === 'NONE'
          ? akr === true
            ? 'api-key'
            : 'none'
          : at === 'AWS_IAM'
            ? 'iam'
            : at === 'COGNITO_USER_POOLS'
              ? 'cognito'
              : at === 'CUSTOM'
                ? 'lambda'
                : 'unknown';
      const authz = refTarget(r.node.val('authorizer_id'));
      const t: Trigger = {
        kind: 'rest-api',
        auth: {
          type,
          ...(akr === true ? { apiKeyRequired: true } : {}),
          ...(authz ? { authorizer: this.id(authz) } : {}),
          where: r.node.where('authorization'),
        },
        public: api
          ? api.endpointType === undefined
            ? true
            : typeof api.endpointType === 'string'
              ? api.endpointType.toUpperCase() !== 'PRIVATE'
              : 'unknown'
          : 'unknown',
        method: method.toUpperCase(),
        resourceId: this.id(r.address),
        where: r.where,
      };
      const resPath = this.target(r.node.val('resource_id'), ['aws_api_gateway_resource'])?.node.str('path_part');
      if (resPath !== undefined) t.path = typeof resPath === 'string' ? `/${resPath}` : resPath;
      if (api) t.apiId = api.id;
      this.addTrigger(fn, t);
    }
    // v2
    for (const r of this.of('aws_apigatewayv2_api')) {
      const pt = str(r.node.str('protocol_type')) ?? 'HTTP';
      const api: Api = { id: this.id(r.address), kind: pt === 'WEBSOCKET' ? 'websocket' : 'http', stages: [], where: r.where };
      const name = r.node.str('name');
      if (name !== undefined) api.name = name;
      const d = r.node.bool('disable_execute_api_endpoint');
      if (d !== undefined) api.disableExecuteApiEndpoint = d;
      this.apiByAddr.set(r.address, api);
      this.app.apis.push(api);
      // quick-create: target = lambda arn
      const qt = this.fnOf(r.node.val('target'));
      if (qt)
        this.addTrigger(qt, {
          kind: 'http-api',
          auth: { type: 'none' },
          public: true,
          method: 'ANY',
          apiId: api.id,
          resourceId: api.id,
          where: r.node.where('target'),
        });
    }
    for (const r of this.of('aws_apigatewayv2_stage')) {
      const api = this.apiOf(r.node.val('api_id'));
      if (!api) continue;
      const st = this.stage(r, 'name');
      const drs = r.node.block('default_route_settings');
      if (drs) {
        const rl = drs.num('throttling_rate_limit');
        const bl = drs.num('throttling_burst_limit');
        if (rl !== undefined || bl !== undefined) st.throttling = { ...optNum('rateLimit', rl), ...optNum('burstLimit', bl) };
        const ll = drs.str('logging_level');
        if (ll !== undefined) st.loggingLevel = ll;
        const dt = drs.bool('data_trace_enabled');
        if (dt !== undefined) st.dataTraceEnabled = dt;
      }
      api.stages.push(st);
    }
    for (const r of this.of('aws_apigatewayv2_route')) {
      const api = this.apiOf(r.node.val('api_id'));
      const integ = this.target(r.node.val('target'), ['aws_apigatewayv2_integration']) ?? this.integrationFromTarget(r.node.val('target'));
      const fn = integ ? this.fnOf(integ.node.val('integration_uri')) : undefined;
      if (!fn) continue;
      const at = str(r.node.str('authorization_type')) ?? 'NONE';
      const type = at === 'NONE' ? 'none' : at === 'AWS_IAM' ? 'iam' : at === 'JWT' ? 'jwt' : at === 'CUSTOM' ? 'lambda' : 'unknown';
      const rk = str(r.node.str('route_key')) ?? '';
      const [m, p] = rk.includes(' ') ? rk.split(' ', 2) : ['ANY', rk];
      const authz = refTarget(r.node.val('authorizer_id'));
      const scopes = r.node.list('authorization_scopes')?.filter((x): x is string => typeof x === 'string');
      const t: Trigger = {
        kind: api?.kind === 'websocket' ? 'websocket' : 'http-api',
        auth: {
          type,
          ...(authz ? { authorizer: this.id(authz) } : {}),
          ...(scopes?.length ? { scopes } : {}),
          where: r.node.where('authorization_type'),
        },
        public: true,
        method: (m ?? 'ANY').toUpperCase(),
        path: p ?? rk,
        resourceId: this.id(r.address),
        where: r.where,
      };
      if (api) t.apiId = api.id;
      const akr = r.node.bool('api_key_required');
      if (akr === true) t.auth.apiKeyRequired = true;
      this.addTrigger(fn, t);
    }
    for (const r of this.of('aws_wafv2_web_acl_association')) {
      const res = r.node.val('resource_arn');
      const t = refTarget(res);
      const acl = r.node.str('web_acl_arn') ?? unknown('web_acl_arn');
      if (!t) continue;
      const stageRes = this.byAddr.get(t);
      for (const api of this.app.apis) for (const st of api.stages) if (stageRes && st.where === stageRes.where) st.webAclArn = acl;
    }
  }

  private integrationFromTarget(v: unknown): Res | undefined {
    // "integrations/${aws_apigatewayv2_integration.x.id}"
    if (!isUnknown(v)) return undefined;
    const m = /aws_apigatewayv2_integration\.([\w-]+)/.exec(v.expr);
    if (!m) return undefined;
    return this.of('aws_apigatewayv2_integration').find((i) => i.address.endsWith(`aws_apigatewayv2_integration.${m[1]}`));
  }

  private apiOf(v: unknown): Api | undefined {
    const r = this.target(v, ['aws_api_gateway_rest_api', 'aws_apigatewayv2_api']);
    return r ? this.apiByAddr.get(r.address) : undefined;
  }

  private stage(r: Res, nameAttr: string): ApiStage {
    const st: ApiStage = { name: r.node.str(nameAttr) ?? unknown(nameAttr), where: r.where };
    const al = r.node.block('access_log_settings');
    if (al) {
      st.accessLogging = { destination: al.str('destination_arn') ?? unknown('destination_arn') };
      const f = al.str('format');
      if (f !== undefined) st.accessLogging.format = f;
    }
    return st;
  }

  /* ------------------------------------------------------------------ supporting resources */

  private supportResources(): void {
    for (const [tfType, type] of Object.entries(SUPPORT_TYPES))
      for (const r of this.of(tfType)) {
        const n = r.node;
        const props: ResourceProps = {};
        const kmsAttr = {
          aws_sqs_queue: 'kms_master_key_id',
          aws_sns_topic: 'kms_master_key_id',
          aws_cloudwatch_log_group: 'kms_key_id',
          aws_secretsmanager_secret: 'kms_key_id',
          aws_kinesis_stream: 'kms_key_id',
        }[tfType];
        if (kmsAttr) {
          const k = n.str(kmsAttr);
          if (k !== undefined) props.kmsKeyId = k;
          const aws = typeof k === 'string' && /^alias\/aws\//.test(k);
          if (tfType === 'aws_sqs_queue')
            props.encryption =
              k !== undefined ? (aws ? 'aws-managed' : 'cmk') : n.bool('sqs_managed_sse_enabled') === false ? 'none' : 'aws-managed';
          else if (tfType === 'aws_sns_topic') props.encryption = k === undefined ? 'none' : aws ? 'aws-managed' : 'cmk';
          else if (tfType === 'aws_kinesis_stream')
            props.encryption = str(n.str('encryption_type')) === 'KMS' ? (aws ? 'aws-managed' : 'cmk') : 'none';
          else props.encryption = k === undefined ? 'aws-managed' : 'cmk';
        }
        switch (tfType) {
          case 'aws_sqs_queue': {
            props.redrive = n.has('redrive_policy');
            const vt = n.num('visibility_timeout_seconds');
            if (vt !== undefined) props.visibilityTimeout = vt;
            const pol = this.policyFrom(n, 'policy', undefined);
            if (pol) this.policies.set(r.address, pol);
            break;
          }
          case 'aws_sns_topic': {
            const pol = this.policyFrom(n, 'policy', undefined);
            if (pol) this.policies.set(r.address, pol);
            break;
          }
          case 'aws_dynamodb_table': {
            const sse = n.block('server_side_encryption');
            const k = sse?.str('kms_key_arn');
            props.encryption = sse?.bool('enabled') === true && k !== undefined ? 'cmk' : 'aws-managed';
            if (k !== undefined) props.kmsKeyId = k;
            const pitr = n.block('point_in_time_recovery')?.bool('enabled');
            if (pitr !== undefined) props.pointInTimeRecovery = pitr;
            break;
          }
          case 'aws_cloudwatch_log_group': {
            const ret = n.num('retention_in_days');
            if (ret !== undefined) props.retentionInDays = ret;
            break;
          }
          case 'aws_sfn_state_machine': {
            const lc = n.block('logging_configuration');
            const lvl = lc?.str('level');
            if (lvl !== undefined) props.loggingLevel = lvl;
            const tr = n.block('tracing_configuration')?.bool('enabled');
            if (tr !== undefined) props.tracingEnabled = tr;
            break;
          }
          case 'aws_cognito_identity_pool': {
            const a = n.bool('allow_unauthenticated_identities');
            if (a !== undefined) props.allowUnauthenticated = a;
            break;
          }
          case 'aws_cloudwatch_metric_alarm': {
            const mn = n.str('metric_name');
            if (mn !== undefined) props.metricName = mn;
            const ns = n.str('namespace');
            if (ns !== undefined) props.namespace = ns;
            const dims = n.map('dimensions');
            if (dims && !isUnknown(dims)) {
              props.dimensions = dims;
              const fn =
                dims.FunctionName !== undefined
                  ? this.fnOf(
                      n.val('dimensions') &&
                        (isObject(n.val('dimensions')) ? (n.val('dimensions') as Record<string, Value>).FunctionName : undefined),
                    )
                  : undefined;
              if (fn) props.functionId = fn.id;
            }
            props.alarmActions = n.list('alarm_actions') ?? [];
            break;
          }
          case 'aws_kms_key': {
            const rot = n.bool('enable_key_rotation');
            if (rot !== undefined) props.enableKeyRotation = rot;
            break;
          }
          case 'aws_lambda_code_signing_config': {
            const p = n.block('policies')?.str('untrusted_artifact_on_deployment');
            props.untrustedArtifactOnDeployment = p ?? 'Warn';
            break;
          }
          case 'aws_cloudwatch_event_rule': {
            const s = n.str('schedule_expression');
            if (s !== undefined) props.scheduleExpression = s;
            const p = n.str('event_pattern');
            if (p !== undefined) props.eventPattern = p;
            const st = n.str('state') ?? (n.bool('is_enabled') === false ? 'DISABLED' : undefined);
            if (st !== undefined) props.state = st;
            break;
          }
          case 'aws_sns_topic_subscription': {
            const pr = n.str('protocol');
            if (pr !== undefined) props.protocol = pr;
            const ep = n.str('endpoint');
            if (ep !== undefined) props.endpoint = ep;
            props.redrive = n.has('redrive_policy');
            break;
          }
          case 'aws_api_gateway_account': {
            const c = n.str('cloudwatch_role_arn');
            if (c !== undefined) props.cloudwatchRoleArn = c;
            break;
          }
          default:
            break;
        }
        const res: Resource = { id: this.id(r.address), type, sourceType: tfType, format: 'terraform', props, where: r.where };
        const name = n.str('name') ?? n.str('bucket') ?? n.str('function_name');
        if (name !== undefined) res.name = name;
        const pol = this.policies.get(r.address);
        if (pol) res.policy = pol;
        this.resByAddr.set(r.address, res);
        this.app.resources.push(res);
      }
    // standalone policies and bucket settings
    const attachPolicy = (types: string[], targetAttr: string) => {
      for (const t of types)
        for (const r of this.of(t)) {
          const tgt = refTarget(r.node.val(targetAttr));
          const res = tgt ? this.resByAddr.get(tgt) : undefined;
          const pol = this.policyFrom(r.node, 'policy', undefined);
          if (res && pol) res.policy = [...(res.policy ?? []), ...pol];
        }
    };
    attachPolicy(['aws_sqs_queue_policy'], 'queue_url');
    attachPolicy(['aws_sns_topic_policy'], 'arn');
    attachPolicy(['aws_s3_bucket_policy'], 'bucket');
    for (const r of this.of('aws_s3_bucket_public_access_block')) {
      const tgt = refTarget(r.node.val('bucket'));
      const res = tgt ? this.resByAddr.get(tgt) : undefined;
      if (!res) continue;
      const all = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'].map((k) => r.node.bool(k));
      res.props.blockPublicAccess = all.every((x) => x === true)
        ? true
        : all.some((x) => isUnknown(x))
          ? unknown(r.address, { hint: 'other' })
          : false;
    }
    for (const r of this.of('aws_sqs_queue_redrive_policy')) {
      const tgt = refTarget(r.node.val('queue_url'));
      const res = tgt ? this.resByAddr.get(tgt) : undefined;
      if (res) res.props.redrive = true;
    }
    for (const r of this.of('aws_s3_bucket_server_side_encryption_configuration')) {
      const tgt = refTarget(r.node.val('bucket'));
      const res = tgt ? this.resByAddr.get(tgt) : undefined;
      const alg = r.node.block('rule')?.block('apply_server_side_encryption_by_default')?.str('sse_algorithm');
      if (res && alg !== undefined) res.props.encryption = alg === 'aws:kms' || alg === 'aws:kms:dsse' ? 'cmk' : 'aws-managed';
    }
  }

  private readonly policies = new Map<string, PolicyStatement[]>();

  /* ------------------------------------------------------------------ variables */

  private parameters(): void {
    for (const r of this.of('variable')) {
      const props: ResourceProps = {};
      const s = r.node.bool('sensitive');
      if (s !== undefined) props.sensitive = s;
      if (s === true) props.noEcho = true;
      const d = r.node.attr('default');
      if (d) {
        const v = r.node.ev.eval(d.expr);
        const ms = toMaybeString(v, r.node.ev.text(d.expr));
        if (ms !== undefined && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) props.default = ms;
        props.defaultWhere = r.node.where('default');
      }
      const t = r.node.text('type');
      if (t !== undefined) props.parameterType = t;
      const desc = r.node.str('description');
      if (typeof desc === 'string') props.description = desc;
      const name = r.address.replace(/^(.*\.)?var\./, '');
      this.app.resources.push({
        id: this.id(r.address),
        type: 'parameter',
        sourceType: 'variable',
        name,
        format: 'terraform',
        props,
        where: r.where,
      });
    }
    for (const tv of this.unit.tfvarsFiles)
      for (const a of tv.hcl.body.attributes) {
        const ev = this.unit.instances[0]?.files[0] ? undefined : undefined;
        void ev;
        const v = a.expr.type === 'literal' ? a.expr.value : undefined;
        if (typeof v !== 'string') continue;
        this.app.resources.push({
          id: this.id(`tfvars:${tv.rel}:${a.name}`),
          type: 'parameter',
          sourceType: 'tfvars',
          name: a.name,
          format: 'terraform',
          props: { default: v, tfvarsFile: tv.rel },
          where: whereOf(tv.path, a.range, a.name),
        });
      }
  }

  /* ------------------------------------------------------------------ Google Cloud, Azure */

  private cloudFn(r: Res, provider: Provider, extra: Partial<Fn>): Fn {
    const fn: Fn = {
      id: this.id(r.address),
      name: r.address.split('.').pop() ?? r.address,
      provider,
      format: 'terraform',
      env: [],
      layers: [],
      triggers: [],
      permissions: [],
      resourceId: r.address,
      where: r.where,
      ...extra,
    };
    this.fnByAddr.set(r.address, fn);
    this.app.functions.push(fn);
    return fn;
  }

  private gcpIdentity(fn: Fn, sa: Maybe<string> | undefined, where: Where): void {
    const account = sa ?? 'default';
    const key = typeof account === 'string' ? account : account.expr;
    let id = this.app.identities.find(
      (x) => x.provider === 'gcp' && (x.serviceAccount === account || (isUnknown(x.serviceAccount) && x.serviceAccount.expr === key)),
    );
    if (!id) {
      id = {
        id: this.id(`gcp-service-account:${key}`),
        provider: 'gcp',
        statements: [],
        managedPolicies: [],
        serviceAccount: account,
        usedBy: [],
        where,
      };
      this.app.identities.push(id);
    }
    id.usedBy.push(fn.id);
    fn.identity = id.id;
  }

  private gcp(): void {
    for (const r of [...this.of('google_cloudfunctions_function'), ...this.of('google_cloudfunctions2_function')]) {
      const n = r.node;
      const gen2 = r.type === 'google_cloudfunctions2_function';
      const bc = gen2 ? n.block('build_config') : n;
      const sc = gen2 ? n.block('service_config') : n;
      const fn = this.cloudFn(r, 'gcp', {});
      const name = n.str('name');
      if (name !== undefined) fn.functionName = name;
      const rt = bc?.str('runtime');
      if (rt !== undefined) {
        fn.runtime = rt;
        fn.runtimeWhere = bc?.where('runtime') ?? r.where;
      }
      const ep = bc?.str('entry_point');
      if (ep !== undefined) fn.handler = ep;
      const to = sc?.num(gen2 ? 'timeout_seconds' : 'timeout');
      if (to !== undefined) fn.timeout = to;
      const envAttr = (node: Node | undefined, attr: string) => {
        for (const e of node?.mapEntries(attr) ?? []) fn.env.push({ name: e.key, value: e.value, where: e.where, level: 'function' });
      };
      envAttr(sc, 'environment_variables');
      for (const s of sc?.blocks('secret_environment_variables') ?? []) {
        const key = str(s.str('key'));
        if (key)
          fn.env.push({
            name: key,
            value: unknown(`secret:${str(s.str('secret')) ?? '?'}`, { hint: 'secret-reference' }),
            where: s.where(),
            level: 'function',
          });
      }
      this.gcpIdentity(fn, sc?.str('service_account_email'), sc?.where('service_account_email') ?? r.where);
      fn.cloud = {};
      const ing = sc?.str('ingress_settings');
      if (ing !== undefined) fn.cloud.ingress = ing;
      const http = gen2 ? !n.has('event_trigger') : n.bool('trigger_http') === true;
      if (!gen2) {
        const lvl = n.str('https_trigger_security_level');
        if (http) fn.cloud.httpsOnly = lvl === undefined ? false : lvl === 'SECURE_ALWAYS' ? true : isUnknown(lvl) ? lvl : false;
      }
      const sd = this.archiveDir(n.val('source_archive_object') ?? undefined);
      if (sd) fn.codeDir = sd.dir;
      else {
        const obj = this.target(
          gen2 ? n.block('build_config')?.block('source')?.block('storage_source')?.val('object') : n.val('source_archive_object'),
          ['google_storage_bucket_object'],
        );
        const src = obj ? this.archiveDir(obj.node.val('source')) : undefined;
        if (src) fn.codeDir = src.dir;
      }
      if (http)
        fn.triggers.push({
          kind: 'http',
          auth: { type: 'iam' },
          public: typeof ing === 'string' ? ing === 'ALLOW_ALL' : ing === undefined ? true : 'unknown',
          resourceId: fn.id,
          where: n.where(gen2 ? undefined : 'trigger_http'),
        });
      else {
        const et = n.block('event_trigger');
        const type = str(et?.str('event_type') ?? et?.str('event_type'));
        fn.triggers.push({
          kind: type?.includes('pubsub') ? 'pubsub' : type?.includes('storage') ? 'storage' : 'other',
          auth: { type: 'iam' },
          public: false,
          async: true,
          where: et?.where() ?? r.where,
        });
      }
    }
    const iam = [
      'google_cloudfunctions_function_iam_member',
      'google_cloudfunctions_function_iam_binding',
      'google_cloudfunctions2_function_iam_member',
      'google_cloud_run_service_iam_member',
      'google_cloud_run_v2_service_iam_member',
      'google_cloudfunctions2_function_iam_binding',
    ];
    for (const t of iam)
      for (const r of this.of(t)) {
        const role = str(r.node.str('role')) ?? '';
        if (!/invoker/i.test(role)) continue;
        const target = r.node.val('cloud_function') ?? r.node.val('service') ?? r.node.val('name');
        const fn = this.fnOf(target) ?? this.gcpFnByRef(target);
        if (!fn) continue;
        const members = r.node.list('members') ?? (r.node.has('member') ? [r.node.str('member') ?? unknown('member')] : []);
        fn.cloud = { ...fn.cloud, invokers: [...(fn.cloud?.invokers ?? []), ...members] };
        if (members.some((m) => m === 'allUsers' || m === 'allAuthenticatedUsers'))
          for (const tr of fn.triggers)
            if (tr.kind === 'http') {
              tr.public = true;
              tr.auth = { type: 'none', where: r.where };
            }
      }
  }

  private gcpFnByRef(v: unknown): Fn | undefined {
    const t = refTarget(v);
    if (t) return this.fnByAddr.get(t);
    if (isUnknown(v)) {
      const m = /(google_cloudfunctions2?_function)\.([\w-]+)/.exec(v.expr);
      if (m) return this.fnByAddr.get(`${m[1]}.${m[2]}`);
    }
    if (typeof v === 'string') for (const fn of this.app.functions) if (fn.provider === 'gcp' && fn.functionName === v) return fn;
    return undefined;
  }

  private azure(): void {
    for (const r of [
      ...this.of('azurerm_linux_function_app'),
      ...this.of('azurerm_windows_function_app'),
      ...this.of('azurerm_function_app'),
    ]) {
      const n = r.node;
      const fn = this.cloudFn(r, 'azure', {});
      const name = n.str('name');
      if (name !== undefined) fn.functionName = name;
      for (const e of n.mapEntries('app_settings') ?? []) fn.env.push({ name: e.key, value: e.value, where: e.where, level: 'function' });
      const rt = fn.env.find((e) => e.name === 'FUNCTIONS_WORKER_RUNTIME');
      if (rt) fn.runtime = rt.value;
      const site = n.block('site_config');
      const stack = site?.block('application_stack');
      if (stack) {
        for (const [k, label] of [
          ['node_version', 'node'],
          ['python_version', 'python'],
          ['dotnet_version', 'dotnet'],
          ['java_version', 'java'],
          ['powershell_core_version', 'powershell'],
        ] as const) {
          const v = stack.str(k);
          if (typeof v === 'string') {
            fn.runtime = `${label}${v.replace(/^~/, '')}`;
            fn.runtimeWhere = stack.where(k);
          }
        }
      }
      const idb = n.block('identity');
      const idType = idb?.str('type');
      const ident: Identity = {
        id: this.id(`${r.address}:identity`),
        provider: 'azure',
        statements: [],
        managedPolicies: [],
        usedBy: [fn.id],
        where: idb?.where() ?? r.where,
      };
      if (idType !== undefined) ident.name = idType;
      if (idb) {
        this.app.identities.push(ident);
        fn.identity = ident.id;
      }
      const settings: Record<string, Maybe<string | boolean | number>> = {};
      const https = n.bool('https_only');
      settings.httpsOnly = https ?? false;
      const tls = site?.str('minimum_tls_version') ?? site?.str('min_tls_version');
      if (tls !== undefined) settings.minimumTlsVersion = tls;
      const ftps = site?.str('ftps_state');
      if (ftps !== undefined) settings.ftpsState = ftps;
      const cc = n.bool('client_certificate_enabled') ?? n.bool('client_cert_enabled');
      if (cc !== undefined) settings.clientCertificateEnabled = cc;
      const ccm = n.str('client_certificate_mode');
      if (ccm !== undefined) settings.clientCertificateMode = ccm;
      const pub = n.bool('public_network_access_enabled');
      if (pub !== undefined) settings.publicNetworkAccessEnabled = pub;
      const a1 = n.block('auth_settings');
      const a2 = n.block('auth_settings_v2');
      let auth: Maybe<boolean> | undefined;
      if (a1) auth = a1.bool('enabled');
      if (a2) auth = a2.bool('auth_enabled') ?? true;
      fn.cloud = { httpsOnly: https ?? false, authEnabled: auth ?? false, settings };
      if (pub === false) fn.cloud.ingress = 'private';
      fn.triggers.push({
        kind: 'http',
        auth: { type: auth === true ? 'unknown' : auth === false ? 'function-key' : 'unknown', where: (a2 ?? a1)?.where() ?? r.where },
        public: pub !== false,
        resourceId: fn.id,
        where: r.where,
      });
    }
  }
}

function optNum<K extends string>(k: K, v: Maybe<number> | undefined): Partial<Record<K, Maybe<number>>> {
  return v === undefined ? {} : ({ [k]: v } as Record<K, Maybe<number>>);
}

function normalize(p: string): string {
  const parts: string[] = [];
  for (const s of p.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') parts.pop();
    else parts.push(s);
  }
  return `/${parts.join('/')}`;
}

void isKnown;
void toArray;
