/**
 * Symbolic ARNs: an ARN as a list of literal text, pseudo parameters (partition, region,
 * account) and references to resources of the Model (their name or their ARN). The same form is
 * used for the ARNs the code needs and for the ARNs a granted policy names, so the evaluator can
 * compare them, and the renderers can write them as CloudFormation intrinsics or Terraform
 * references.
 */
import type { App, Fn, Resource, SourceFormat } from '../model/types.js';
import { resourceTypeArn } from './catalog.js';

export type Pseudo = 'partition' | 'region' | 'account';

export type ArnPart = string | { pseudo: Pseudo } | { ref: string; attr: 'name' | 'arn' };

/** A resource of the Model an ARN can point at (a supporting resource or a function). */
export interface RefTarget {
  /** Model id (`OrdersTable`, `terraform:.#aws_s3_bucket.data`, a Fn id). */
  id: string;
  /** Logical id / TF address as written in the source (for rendering). */
  address: string;
  format: SourceFormat;
  kind: ModelKind;
  /** The physical name when the source sets it literally. */
  name?: string;
  /** The Model resource (undefined for functions). */
  resource?: Resource;
}

/** How each Model resource type maps to IAM, CloudFormation and Terraform. */
export interface ModelKind {
  type: string;
  prefix: string;
  /** IAM resource type (catalogue key) of the resource itself. */
  resourceType: string;
  /** The ARN template variable that holds its name. */
  nameVar: string;
  /** CloudFormation: how to get the name and the ARN (`Ref` or a GetAtt attribute). */
  cfnName: string;
  cfnArn: string;
  /** Terraform attributes. */
  tfName: string;
  tfArn: string;
  /** The ARN attribute is not the plain resource ARN (log groups end in `:*`): render by name. */
  noArnRef?: boolean;
}

export const MODEL_KINDS: readonly ModelKind[] = [
  {
    type: 's3-bucket',
    prefix: 's3',
    resourceType: 'bucket',
    nameVar: 'BucketName',
    cfnName: 'Ref',
    cfnArn: 'Arn',
    tfName: 'bucket',
    tfArn: 'arn',
  },
  {
    type: 'dynamodb-table',
    prefix: 'dynamodb',
    resourceType: 'table',
    nameVar: 'TableName',
    cfnName: 'Ref',
    cfnArn: 'Arn',
    tfName: 'name',
    tfArn: 'arn',
  },
  {
    type: 'sqs-queue',
    prefix: 'sqs',
    resourceType: 'queue',
    nameVar: 'QueueName',
    cfnName: 'QueueName',
    cfnArn: 'Arn',
    tfName: 'name',
    tfArn: 'arn',
  },
  {
    type: 'sns-topic',
    prefix: 'sns',
    resourceType: 'topic',
    nameVar: 'TopicName',
    cfnName: 'TopicName',
    cfnArn: 'Ref',
    tfName: 'name',
    tfArn: 'arn',
  },
  {
    type: 'secret',
    prefix: 'secretsmanager',
    resourceType: 'secret',
    nameVar: 'SecretId',
    cfnName: 'Ref',
    cfnArn: 'Ref',
    tfName: 'name',
    tfArn: 'arn',
  },
  { type: 'kms-key', prefix: 'kms', resourceType: 'key', nameVar: 'KeyId', cfnName: 'Ref', cfnArn: 'Arn', tfName: 'key_id', tfArn: 'arn' },
  {
    type: 'state-machine',
    prefix: 'states',
    resourceType: 'stateMachine',
    nameVar: 'StateMachineName',
    cfnName: 'Name',
    cfnArn: 'Ref',
    tfName: 'name',
    tfArn: 'arn',
  },
  {
    type: 'kinesis-stream',
    prefix: 'kinesis',
    resourceType: 'stream',
    nameVar: 'StreamName',
    cfnName: 'Ref',
    cfnArn: 'Arn',
    tfName: 'name',
    tfArn: 'arn',
  },
  {
    type: 'eventbridge-bus',
    prefix: 'events',
    resourceType: 'event-bus',
    nameVar: 'EventBusName',
    cfnName: 'Ref',
    cfnArn: 'Arn',
    tfName: 'name',
    tfArn: 'arn',
  },
  {
    type: 'log-group',
    prefix: 'logs',
    resourceType: 'log-group',
    nameVar: 'LogGroupName',
    cfnName: 'Ref',
    cfnArn: 'Arn',
    tfName: 'name',
    tfArn: 'arn',
    noArnRef: true,
  },
  {
    type: 'cognito-user-pool',
    prefix: 'cognito-idp',
    resourceType: 'userpool',
    nameVar: 'UserPoolId',
    cfnName: 'Ref',
    cfnArn: 'Arn',
    tfName: 'id',
    tfArn: 'arn',
  },
  {
    type: 'ssm-parameter',
    prefix: 'ssm',
    resourceType: 'parameter',
    nameVar: 'ParameterNameWithoutLeadingSlash',
    cfnName: 'Ref',
    cfnArn: '',
    tfName: 'name',
    tfArn: 'arn',
    noArnRef: true,
  },
  {
    type: 'appsync-api',
    prefix: 'appsync',
    resourceType: 'graphqlapi',
    nameVar: 'GraphQLAPIId',
    cfnName: 'ApiId',
    cfnArn: 'Arn',
    tfName: 'id',
    tfArn: 'arn',
  },
  {
    type: 'iam-role',
    prefix: 'iam',
    resourceType: 'role',
    nameVar: 'RoleNameWithPath',
    cfnName: 'Ref',
    cfnArn: 'Arn',
    tfName: 'name',
    tfArn: 'arn',
  },
  {
    type: 'function',
    prefix: 'lambda',
    resourceType: 'function',
    nameVar: 'FunctionName',
    cfnName: 'Ref',
    cfnArn: 'Arn',
    tfName: 'function_name',
    tfArn: 'arn',
  },
];

const KIND_BY_TYPE = new Map(MODEL_KINDS.map((k) => [k.type, k] as const));

function modelKindOf(r: Resource): ModelKind | undefined {
  if (r.sourceType === 'aws_ssm_parameter' || r.sourceType === 'AWS::SSM::Parameter') return KIND_BY_TYPE.get('ssm-parameter');
  return KIND_BY_TYPE.get(r.type);
}

/** The readable address of a Model id (`terraform:.#aws_s3_bucket.data` -> `aws_s3_bucket.data`). */
export function addressOf(id: string): string {
  const h = id.lastIndexOf('#');
  return h >= 0 ? id.slice(h + 1) : id;
}

/** Index of the Model resources (and functions) symbolic ARNs can name. */
export class RefIndex {
  readonly byId = new Map<string, RefTarget>();
  private readonly byAddress = new Map<string, RefTarget[]>();
  private readonly byName = new Map<string, RefTarget[]>();

  constructor(app: App) {
    for (const r of app.resources) {
      const kind = modelKindOf(r);
      if (!kind) continue;
      this.add({
        id: r.id,
        address: addressOf(r.id),
        format: r.format,
        kind,
        resource: r,
        ...(typeof r.name === 'string' ? { name: r.name } : {}),
      });
    }
    for (const i of app.identities) {
      if (i.provider !== 'aws' || i.external) continue;
      const kind = KIND_BY_TYPE.get('iam-role') as ModelKind;
      this.add({
        id: i.id,
        address: addressOf(i.id),
        format: i.id.startsWith('terraform:') ? 'terraform' : 'cloudformation',
        kind,
        ...(typeof i.name === 'string' ? { name: i.name } : {}),
      });
    }
    for (const f of app.functions) {
      if (f.provider !== 'aws') continue;
      const kind = KIND_BY_TYPE.get('function') as ModelKind;
      const address = f.resourceId ?? f.name;
      this.add({ id: f.id, address, format: f.format, kind, ...(typeof f.functionName === 'string' ? { name: f.functionName } : {}) });
    }
  }

  private add(t: RefTarget): void {
    this.byId.set(t.id, t);
    const list = this.byAddress.get(t.address) ?? [];
    list.push(t);
    this.byAddress.set(t.address, list);
    if (t.name) {
      const n = this.byName.get(`${t.kind.type}:${t.name}`) ?? [];
      n.push(t);
      this.byName.set(`${t.kind.type}:${t.name}`, n);
    }
  }

  /** The target a reference (`OrdersTable`, `aws_s3_bucket.data`, `module.x.aws_sqs_queue.q`) names; undefined when absent or ambiguous. */
  byRef(ref: string, near?: { format: SourceFormat; file?: string }): RefTarget | undefined {
    const list = this.byId.has(ref) ? [this.byId.get(ref) as RefTarget] : (this.byAddress.get(ref) ?? []);
    if (list.length === 1) return list[0];
    if (list.length > 1 && near) {
      const same = list.filter((t) => t.format === near.format);
      if (same.length === 1) return same[0];
    }
    return undefined;
  }

  /** A unique resource of a Model type with this physical name. */
  byPhysicalName(type: string, name: string): RefTarget | undefined {
    const list = this.byName.get(`${type}:${name}`) ?? [];
    return list.length === 1 ? list[0] : undefined;
  }

  /** The function target of a Model Fn. */
  ofFunction(fn: Fn): RefTarget | undefined {
    return this.byId.get(fn.id);
  }
}

/* ------------------------------------------------------------------ building */

/** Parse an ARN template of the catalogue (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`) with values for its variables. */
export function fillTemplate(template: string, values: Record<string, ArnPart[]>): ArnPart[] | undefined {
  const out: ArnPart[] = [];
  const re = /\$\{([A-Za-z0-9]+)\}/g;
  let last = 0;
  for (let m = re.exec(template); m; m = re.exec(template)) {
    if (m.index > last) out.push(template.slice(last, m.index));
    const v = m[1] as string;
    if (v === 'Partition') out.push({ pseudo: 'partition' });
    else if (v === 'Region') out.push({ pseudo: 'region' });
    else if (v === 'Account') out.push({ pseudo: 'account' });
    else {
      const val = values[v];
      if (!val) return undefined;
      out.push(...val);
    }
    last = m.index + m[0].length;
  }
  if (last < template.length) out.push(template.slice(last));
  return normalize(out);
}

/** The ARN of a Model target: `{ref, arn}` when it renders as the plain resource ARN, else the template filled with its name. */
export function targetArn(t: RefTarget): ArnPart[] | undefined {
  if (!t.kind.noArnRef) return [{ ref: t.id, attr: 'arn' }];
  const tpl = resourceTypeArn(t.kind.prefix, t.kind.resourceType);
  return tpl ? fillTemplate(tpl, { [t.kind.nameVar]: [{ ref: t.id, attr: 'name' }] }) : undefined;
}

/** The resource's own ARN template with its name token: used to expand `{ref, arn}` for evaluation. */
function expandedArn(t: RefTarget): ArnPart[] | undefined {
  const tpl = resourceTypeArn(t.kind.prefix, t.kind.resourceType);
  if (!tpl) return undefined;
  let name: ArnPart[] = [{ ref: t.id, attr: 'name' }];
  if (t.kind.type === 'secret') name = [{ ref: t.id, attr: 'name' }, '-??????'];
  return fillTemplate(tpl, { [t.kind.nameVar]: name });
}

/**
 * Replace the name of a target inside an ARN by a reference to its ARN when the ARN starts with
 * the target's own ARN (`arn:...:table/${OrdersTable}/index/x` -> `${OrdersTable.Arn}/index/x`).
 */
export function collapseRefs(parts: ArnPart[], index: RefIndex): ArnPart[] {
  const refIdx = parts.findIndex((p) => typeof p === 'object' && 'ref' in p && p.attr === 'name');
  if (refIdx < 0) return parts;
  const ref = parts[refIdx] as { ref: string };
  const t = index.byId.get(ref.ref);
  if (!t || t.kind.noArnRef || t.kind.type === 'secret') return parts;
  const own = expandedArn(t);
  if (!own) return parts;
  const k = own.length;
  if (parts.length < k || !own.every((p, i) => samePart(p, parts[i] as ArnPart))) return parts;
  return normalize([{ ref: t.id, attr: 'arn' }, ...parts.slice(k)]);
}

function samePart(a: ArnPart, b: ArnPart): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if ('pseudo' in a) return 'pseudo' in b && a.pseudo === b.pseudo;
  return 'ref' in b && a.ref === b.ref && a.attr === b.attr;
}

/** Merge adjacent literals. */
export function normalize(parts: ArnPart[]): ArnPart[] {
  const out: ArnPart[] = [];
  for (const p of parts) {
    if (p === '') continue;
    const last = out[out.length - 1];
    if (typeof p === 'string' && typeof last === 'string') out[out.length - 1] = last + p;
    else out.push(p);
  }
  return out;
}

/* ------------------------------------------------------------------ parsing granted resources */

const CFN_PSEUDO: Record<string, Pseudo> = { 'AWS::Partition': 'partition', 'AWS::Region': 'region', 'AWS::AccountId': 'account' };

/**
 * A granted resource the adapter left Unknown, back into symbolic form: CloudFormation
 * (`!GetAtt X.Arn`, `!Ref X`, `!Sub ...${X.Arn}...`, SAM-template `arn:...${X}`) and Terraform
 * (`aws_x.y.arn`, `"${aws_x.y.arn}/*"`). Undefined when it cannot be read back.
 */
export function parseGrantedExpr(expr: string, format: SourceFormat, index: RefIndex): ArnPart[] | undefined {
  const e = expr.trim();
  if (format === 'terraform') return parseTerraform(e, index);
  let m = /^!GetAtt ([A-Za-z0-9]+)\.([A-Za-z]+)$/.exec(e);
  if (m) return cfnAttr(m[1] as string, m[2] as string, index, format);
  m = /^!Ref ([A-Za-z0-9:]+)$/.exec(e);
  if (m) return cfnAttr(m[1] as string, 'Ref', index, format);
  const sub = e.startsWith('!Sub ') ? e.slice(5) : e;
  if (sub.startsWith('!') || sub.startsWith('[') || sub.startsWith('{')) return undefined;
  const out: ArnPart[] = [];
  const re = /\$\{([^}]+)\}/g;
  let last = 0;
  for (let mm = re.exec(sub); mm; mm = re.exec(sub)) {
    if (mm.index > last) out.push(sub.slice(last, mm.index));
    const v = mm[1] as string;
    if (v.startsWith('!')) out.push(`\${${v.slice(1)}}`);
    else if (CFN_PSEUDO[v]) out.push({ pseudo: CFN_PSEUDO[v] as Pseudo });
    else {
      const [id, attr] = v.split('.') as [string, string | undefined];
      const parts = cfnAttr(id, attr ?? 'Ref', index, format);
      if (!parts) return undefined;
      out.push(...parts);
    }
    last = mm.index + mm[0].length;
  }
  if (last < sub.length) out.push(sub.slice(last));
  return normalize(out);
}

function cfnAttr(id: string, attr: string, index: RefIndex, format: SourceFormat): ArnPart[] | undefined {
  if (CFN_PSEUDO[id]) return [{ pseudo: CFN_PSEUDO[id] as Pseudo }];
  const t = index.byRef(id, { format });
  if (!t) return undefined;
  if (attr === t.kind.cfnArn || (attr === 'Arn' && t.kind.cfnArn === 'Arn')) return targetArn(t);
  if (attr === t.kind.cfnName) return [{ ref: t.id, attr: 'name' }];
  return undefined;
}

function parseTerraform(e: string, index: RefIndex): ArnPart[] | undefined {
  let s = e;
  if (s.startsWith('"') && s.endsWith('"')) s = s.slice(1, -1);
  else s = `\${${s}}`;
  const out: ArnPart[] = [];
  const re = /\$\{([^}]+)\}/g;
  let last = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    if (m.index > last) out.push(s.slice(last, m.index));
    const v = (m[1] as string).trim();
    const p = tfRef(v, index);
    if (!p) return undefined;
    out.push(...p);
    last = m.index + m[0].length;
  }
  if (last < s.length) out.push(s.slice(last));
  return normalize(out);
}

function tfRef(v: string, index: RefIndex): ArnPart[] | undefined {
  if (/^data\.aws_partition\.[\w-]+\.partition$/.test(v)) return [{ pseudo: 'partition' }];
  if (/^data\.aws_region\.[\w-]+\.(name|region)$/.test(v)) return [{ pseudo: 'region' }];
  if (/^data\.aws_caller_identity\.[\w-]+\.account_id$/.test(v)) return [{ pseudo: 'account' }];
  const m = /^((?:module\.[\w-]+\.)*[a-z0-9_]+\.[\w-]+)\.([a-z_]+)$/.exec(v);
  if (!m) return undefined;
  const t = index.byRef(m[1] as string, { format: 'terraform' });
  if (!t) return undefined;
  const attr = m[2] as string;
  if (attr === t.kind.tfArn) return targetArn(t);
  if (attr === t.kind.tfName || (t.kind.type === 's3-bucket' && attr === 'id')) return [{ ref: t.id, attr: 'name' }];
  return undefined;
}

/** `{ref, arn}` of targets whose physical name is known, spelled out (`arn:...:table/orders`), for plain JSON policies. */
export function expandNamedRefs(parts: readonly ArnPart[], index: RefIndex): ArnPart[] {
  const out: ArnPart[] = [];
  for (const p of parts) {
    if (typeof p === 'object' && 'ref' in p && p.attr === 'arn') {
      const t = index.byId.get(p.ref);
      const full = t?.name ? expandedArn(t) : undefined;
      if (full) {
        out.push(...full);
        continue;
      }
    }
    out.push(p);
  }
  return normalize(out);
}

/* ------------------------------------------------------------------ concrete form for evaluation */

/** Markers for values decided at deploy time; the evaluator treats them as "any value". */
export const OPAQUE_OPEN = '\u27e6';
export const OPAQUE_CLOSE = '\u27e7';

/**
 * The concrete text of a symbolic ARN for matching: pseudo parameters and unnamed resources become
 * opaque markers (`⟦region⟧`, `⟦OrdersTable⟧`); `{ref, arn}` is expanded through the resource's
 * own ARN template, so `!GetAtt T.Arn` and `arn:...:table/${T}` compare equal.
 */
export function concretize(parts: readonly ArnPart[], index: RefIndex, depth = 0): string {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'string') out += p;
    else if ('pseudo' in p) out += p.pseudo === 'partition' ? 'aws' : `${OPAQUE_OPEN}${p.pseudo}${OPAQUE_CLOSE}`;
    else {
      const t = index.byId.get(p.ref);
      if (p.attr === 'name') out += t?.name ?? `${OPAQUE_OPEN}${t ? t.address : p.ref}${OPAQUE_CLOSE}`;
      else {
        const full = t && depth < 3 ? expandedArn(t) : undefined;
        out += full ? concretize(full, index, depth + 1) : `${OPAQUE_OPEN}${p.ref}.arn${OPAQUE_CLOSE}`;
      }
    }
  }
  return out;
}

/** Display form: `arn:${AWS::Partition}:s3:::${DataBucket}/*` style for CloudFormation, `${addr.attr}` for Terraform. */
export function displayArn(parts: readonly ArnPart[], index: RefIndex, format?: SourceFormat): string {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'string') out += p;
    else if ('pseudo' in p)
      out +=
        format === 'terraform' ? `\${${tfPseudo(p.pseudo)}}` : `\${AWS::${p.pseudo === 'account' ? 'AccountId' : capitalize(p.pseudo)}}`;
    else {
      const t = index.byId.get(p.ref);
      if (!t) out += `\${${p.ref}}`;
      else if ((format ?? t.format) === 'terraform' && t.format === 'terraform')
        out += `\${${t.address}.${p.attr === 'arn' ? t.kind.tfArn : t.kind.tfName}}`;
      else out += `\${${cfnToken(t, p.attr)}}`;
    }
  }
  return out;
}

/** `${X}` / `${X.Arn}` inside a `Fn::Sub` for a CloudFormation target. */
export function cfnToken(t: RefTarget, attr: 'name' | 'arn'): string {
  const a = attr === 'arn' ? t.kind.cfnArn : t.kind.cfnName;
  return a === 'Ref' || a === '' ? t.address : `${t.address}.${a}`;
}

function tfPseudo(p: Pseudo): string {
  if (p === 'partition') return 'data.aws_partition.current.partition';
  if (p === 'region') return 'data.aws_region.current.name';
  return 'data.aws_caller_identity.current.account_id';
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** True when the symbolic ARN contains a pseudo parameter or a reference (needs `Fn::Sub` / interpolation). */
export function isSymbolic(parts: readonly ArnPart[]): boolean {
  return parts.some((p) => typeof p !== 'string');
}
