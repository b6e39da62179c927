/**
 * Plain CloudFormation Lambda and IAM resources: AWS::Lambda::Function, Permission, Url,
 * EventSourceMapping, LayerVersion(+Permission), EventInvokeConfig, CodeSigningConfig, Alias,
 * AWS::IAM::Role/Policy/ManagedPolicy.
 */
import { isAbsolute, resolve } from 'node:path';
import type { EnvVar, EventSourceMapping, Fn, Identity, Maybe, PolicyStatement, Trigger, TriggerKind, Where } from '../../model/types.js';
import { type Builder, type ResourceEntry, refOf, suppressionsOf } from './builder.js';
import { managedPolicy, policyDocument } from './iam.js';
import { bool, isObj, list, num, type Obj, str } from './intrinsics.js';

/** Fields common to AWS::Lambda::Function and AWS::Serverless::Function, read from one props object. */
export function newFn(b: Builder, e: ResourceEntry): Fn {
  const fn: Fn = {
    id: b.id(e.id),
    name: e.id,
    provider: 'aws',
    format: b.format,
    env: [],
    layers: [],
    triggers: [],
    permissions: [],
    resourceId: e.id,
    where: e.where,
  };
  if (e.cdkPath) fn.cdkPath = e.cdkPath;
  const sup = suppressionsOf(b.t, e.node, `Resources.${e.id}`);
  if (sup) fn.suppressions = sup;
  return fn;
}

export function envVars(b: Builder, env: unknown, e: ResourceEntry, level: 'provider' | 'function', basePath: string): EnvVar[] {
  if (!isObj(env)) return [];
  const vars = env.Variables;
  if (!isObj(vars)) return [];
  return Object.keys(vars).map((name) => ({
    name,
    value: str(b.t, vars[name], vars, name) ?? '',
    where: b.at(vars, name, `${e.cdkPath ?? basePath}.Environment.Variables.${name}`),
    level,
  }));
}

export function loadLambdaFunction(b: Builder, e: ResourceEntry): Fn {
  const t = b.t;
  const p = e.props;
  const fn = newFn(b, e);
  const set = <K extends keyof Fn>(k: K, v: Fn[K] | undefined): void => {
    if (v !== undefined) fn[k] = v;
  };
  set('functionName', str(t, p.FunctionName, p, 'FunctionName'));
  set('runtime', str(t, p.Runtime, p, 'Runtime'));
  if (p.Runtime !== undefined) fn.runtimeWhere = b.propWhere(e, 'Runtime');
  set('handler', str(t, p.Handler, p, 'Handler'));
  set('timeout', num(t, p.Timeout, p, 'Timeout'));
  set('memory', num(t, p.MemorySize, p, 'MemorySize'));
  set('reservedConcurrency', num(t, p.ReservedConcurrentExecutions, p, 'ReservedConcurrentExecutions'));
  set('kmsKeyArn', str(t, p.KmsKeyArn, p, 'KmsKeyArn'));
  set('recursiveLoop', str(t, p.RecursiveLoop, p, 'RecursiveLoop'));
  set('architectures', list(t, p.Architectures, p, 'Architectures'));
  const pkg = str(t, p.PackageType, p, 'PackageType');
  if (pkg === 'Image') fn.packageType = 'image';
  else if (pkg === 'Zip') fn.packageType = 'zip';
  const code = p.Code;
  if (isObj(code)) {
    if (code.ImageUri !== undefined) {
      set('imageUri', str(t, code.ImageUri, code, 'ImageUri'));
      fn.packageType = 'image';
    } else fn.packageType ??= 'zip';
    const zip = code.ZipFile;
    if (zip !== undefined) {
      const where = { ...b.t.pos.at(code, 'ZipFile'), path: e.cdkPath ?? `Resources.${e.id}.Properties.Code.ZipFile` };
      fn.packaging = { artifact: 'inline', where };
      if (typeof zip === 'string') fn.inlineCode = { text: zip, where };
    }
  } else if (typeof code === 'string') {
    // `aws cloudformation package` input: Code can be a local path
    localCode(b, fn, code);
  }
  const tracing = isObj(p.TracingConfig) ? str(t, p.TracingConfig.Mode, p.TracingConfig, 'Mode') : undefined;
  if (tracing !== undefined) fn.tracing = tracing;
  fn.env = envVars(b, p.Environment, e, 'function', `Resources.${e.id}.Properties`);
  vpc(b, fn, p.VpcConfig, p, 'VpcConfig', e);
  if (isObj(p.DeadLetterConfig)) {
    const target = str(t, p.DeadLetterConfig.TargetArn, p.DeadLetterConfig, 'TargetArn');
    if (target !== undefined) fn.deadLetter = { target, where: b.propWhere(e, 'DeadLetterConfig') };
  }
  layers(b, fn, p.Layers, p, 'Layers', e);
  if (p.CodeSigningConfigArn !== undefined) {
    const config = str(t, p.CodeSigningConfigArn, p, 'CodeSigningConfigArn');
    if (config !== undefined) fn.codeSigning = { config, where: b.propWhere(e, 'CodeSigningConfigArn') };
  }
  if (isObj(p.LoggingConfig)) {
    const lc = p.LoggingConfig;
    fn.logs = { where: b.propWhere(e, 'LoggingConfig') };
    const lg = str(t, lc.LogGroup, lc, 'LogGroup');
    if (lg !== undefined) fn.logs.logGroup = lg;
    const fmt = str(t, lc.LogFormat, lc, 'LogFormat');
    if (fmt !== undefined) fn.logs.format = fmt;
  }
  tags(b, fn, p.Tags);
  roleRef(b, fn, p.Role, p, 'Role', e);
  return fn;
}

export function localCode(b: Builder, fn: Fn, path: string): void {
  if (/^s3:\/\//i.test(path) || /^https?:\/\//i.test(path)) return;
  const abs = isAbsolute(path) ? path : resolve(b.t.dir, path);
  if (/\.(zip|jar)$/i.test(path)) fn.codeArtifact = abs;
  else fn.codeDir = abs;
}

export function vpc(b: Builder, fn: Fn, v: unknown, parent: Obj, key: string, e: ResourceEntry): void {
  if (!isObj(v)) return;
  fn.vpc = {
    subnetIds: list(b.t, v.SubnetIds, v, 'SubnetIds') ?? [],
    securityGroupIds: list(b.t, v.SecurityGroupIds, v, 'SecurityGroupIds') ?? [],
    where: b.at(parent, key, `Resources.${e.id}.Properties.${key}`),
  };
}

export function layers(b: Builder, fn: Fn, v: unknown, parent: Obj, key: string, e: ResourceEntry, where?: (i: number) => Where): void {
  if (v === undefined) return;
  const items = Array.isArray(v) ? v : [v];
  items.forEach((item, i) => {
    const arn = str(b.t, item, Array.isArray(v) ? v : parent, Array.isArray(v) ? i : key);
    if (arn === undefined) return;
    const w = where
      ? where(i)
      : b.at(Array.isArray(v) ? v : parent, Array.isArray(v) ? i : key, `${e.cdkPath ?? `Resources.${e.id}.Properties.${key}`}[${i}]`);
    const ref: Fn['layers'][number] = { arn, where: w };
    const target = refOf(item);
    if (target && b.typeOf(target)?.endsWith('LayerVersion')) ref.layerId = b.id(target);
    fn.layers.push(ref);
  });
}

export function tags(b: Builder, fn: Fn, v: unknown): void {
  const out: Record<string, Maybe<string>> = {};
  if (Array.isArray(v)) {
    for (const tg of v) {
      if (!isObj(tg) || typeof tg.Key !== 'string') continue;
      out[tg.Key] = str(b.t, tg.Value, tg, 'Value') ?? '';
    }
  } else if (isObj(v)) {
    for (const k of Object.keys(v)) out[k] = str(b.t, v[k], v, k) ?? '';
  } else return;
  fn.tags = out;
}

/** `Role: !GetAtt R.Arn` -> that identity; a literal or external ARN -> an external identity. */
export function roleRef(b: Builder, fn: Fn, v: unknown, parent: Obj, key: string, e: ResourceEntry): void {
  if (v === undefined) return;
  const target = refOf(v);
  const known = target ? b.identities.get(target) : undefined;
  if (target && (known || b.typeOf(target) === 'AWS::IAM::Role')) {
    fn.identity = known?.id ?? b.id(target);
    return;
  }
  const arn = str(b.t, v, parent, key);
  if (arn === undefined) return;
  const where = b.at(parent, key, `${e.cdkPath ?? `Resources.${e.id}.Properties.${key}`}`);
  const idn: Identity = {
    id: `${b.id(e.id)}:external-role`,
    provider: 'aws',
    statements: [],
    managedPolicies: [],
    external: true,
    arn,
    usedBy: [],
    where,
  };
  // several functions with the same literal role ARN share one identity
  if (typeof arn === 'string') {
    for (const other of b.identities.values()) {
      if (other.external && other.arn === arn) {
        fn.identity = other.id;
        return;
      }
    }
    idn.id = `${b.prefix}role:${arn}`;
  }
  b.identities.set(`external:${idn.id}`, idn);
  fn.identity = idn.id;
}

export function loadRole(b: Builder, e: ResourceEntry): Identity {
  const t = b.t;
  const p = e.props;
  const base = e.cdkPath ?? `Resources.${e.id}.Properties`;
  const idn: Identity = {
    id: b.id(e.id),
    provider: 'aws',
    statements: [],
    managedPolicies: [],
    usedBy: [],
    where: e.where,
  };
  const name = str(t, p.RoleName, p, 'RoleName');
  if (name !== undefined) idn.name = name;
  if (p.AssumeRolePolicyDocument !== undefined)
    idn.trust = policyDocument(
      t,
      p.AssumeRolePolicyDocument,
      p,
      'AssumeRolePolicyDocument',
      { kind: 'inline', name: 'trust' },
      `${base}.AssumeRolePolicyDocument`,
    );
  if (Array.isArray(p.Policies)) {
    p.Policies.forEach((pol, i) => {
      if (!isObj(pol)) return;
      const pname = typeof pol.PolicyName === 'string' ? pol.PolicyName : undefined;
      idn.statements.push(
        ...policyDocument(
          t,
          pol.PolicyDocument,
          pol,
          'PolicyDocument',
          { kind: 'inline', ...(pname ? { name: pname } : {}) },
          `${base}.Policies[${i}].PolicyDocument`,
        ),
      );
    });
  }
  managedArns(b, idn, p.ManagedPolicyArns, p, `${base}.ManagedPolicyArns`);
  if (p.PermissionsBoundary !== undefined) {
    const pb = str(t, p.PermissionsBoundary, p, 'PermissionsBoundary');
    if (pb !== undefined) idn.permissionsBoundary = pb;
  }
  const sup = suppressionsOf(t, e.node, `Resources.${e.id}`);
  if (sup) idn.suppressions = sup;
  return idn;
}

export function managedArns(b: Builder, idn: Identity, v: unknown, parent: Obj, path: string): void {
  if (v === undefined) return;
  const arr = Array.isArray(v) ? v : [v];
  arr.forEach((item, i) => {
    const par = Array.isArray(v) ? v : parent;
    const key = Array.isArray(v) ? i : 'ManagedPolicyArns';
    const target = refOf(item);
    if (target && b.typeOf(target) === 'AWS::IAM::ManagedPolicy') {
      // customer-managed policy in this template: expanded in linkPolicies
      const e = b.entries.get(target);
      idn.managedPolicies.push({
        arn: str(b.t, item, par, key) ?? '',
        name: target,
        awsManaged: false,
        where: b.at(par, key, `${path}[${i}]`),
      });
      if (e)
        idn.statements.push(
          ...policyDocument(
            b.t,
            e.props.PolicyDocument,
            e.props,
            'PolicyDocument',
            { kind: 'customer-managed', name: target },
            e.cdkPath ?? `Resources.${target}.Properties.PolicyDocument`,
          ),
        );
      return;
    }
    const ref = managedPolicy(b.t, item, par, key, idn.statements, `${path}[${i}]`);
    if (ref) idn.managedPolicies.push(ref);
  });
}

/** AWS::IAM::Policy / ManagedPolicy with `Roles`: merge statements into those identities. */
export function linkPolicy(b: Builder, e: ResourceEntry): void {
  const p = e.props;
  const roles = Array.isArray(p.Roles) ? p.Roles : [];
  if (roles.length === 0) return;
  const managed = e.type === 'AWS::IAM::ManagedPolicy';
  let stmts: PolicyStatement[] | undefined;
  for (const r of roles) {
    const target = refOf(r);
    const idn = target ? b.identities.get(target) : undefined;
    if (!idn) continue;
    stmts ??= policyDocument(
      b.t,
      p.PolicyDocument,
      p,
      'PolicyDocument',
      {
        kind: managed ? 'customer-managed' : 'inline',
        name: typeof p.PolicyName === 'string' ? p.PolicyName : typeof p.ManagedPolicyName === 'string' ? p.ManagedPolicyName : e.id,
      },
      e.cdkPath ?? `Resources.${e.id}.Properties.PolicyDocument`,
    );
    idn.statements.push(...stmts);
    if (managed) idn.managedPolicies.push({ arn: `!Ref ${e.id}`, name: e.id, awsManaged: false, where: e.where });
  }
}

const PRINCIPAL_KIND: [RegExp, TriggerKind, boolean][] = [
  [/^s3\.amazonaws\.com$/, 's3', true],
  [/^sns\.amazonaws\.com$/, 'sns', true],
  [/^events\.amazonaws\.com$/, 'eventbridge', true],
  [/^scheduler\.amazonaws\.com$/, 'schedule', true],
  [/^logs\.[a-z0-9-]*\.?amazonaws\.com$|^logs\.amazonaws\.com$/, 'cloudwatch-logs', true],
  [/^iot\.amazonaws\.com$/, 'iot', true],
  [/^cognito-idp\.amazonaws\.com$/, 'cognito', false],
  [/^alexa-appkit\.amazon\.com$|^alexa-connectedhome\.amazon\.com$/, 'alexa', false],
  [/^elasticloadbalancing\.amazonaws\.com$/, 'alb', false],
  [/^apigateway\.amazonaws\.com$/, 'rest-api', false],
  [/^appsync\.amazonaws\.com$/, 'appsync', false],
  [/^states\.amazonaws\.com$/, 'step-functions', false],
];

/** AWS::Lambda::Permission -> `Fn.permissions` (+ a trigger for service principals). */
/** Returns the trigger a service-principal permission implies; the caller adds it only when no other resource declared one of that kind. */
export function linkPermission(b: Builder, e: ResourceEntry, fn: Fn): Trigger | undefined {
  const t = b.t;
  const p = e.props;
  const principal = str(t, p.Principal, p, 'Principal') ?? '';
  const perm: Fn['permissions'][number] = { id: e.id, principal, action: str(t, p.Action, p, 'Action') ?? '', where: e.where };
  const sa = str(t, p.SourceArn, p, 'SourceArn');
  if (sa !== undefined) perm.sourceArn = sa;
  const acct = str(t, p.SourceAccount, p, 'SourceAccount');
  if (acct !== undefined) perm.sourceAccount = acct;
  const org = str(t, p.PrincipalOrgID, p, 'PrincipalOrgID');
  if (org !== undefined) perm.principalOrgId = org;
  const fua = str(t, p.FunctionUrlAuthType, p, 'FunctionUrlAuthType');
  if (fua !== undefined) perm.functionUrlAuthType = fua;
  fn.permissions.push(perm);
  if (typeof principal !== 'string') return undefined;
  for (const [re, kind, async] of PRINCIPAL_KIND) {
    if (!re.test(principal)) continue;
    let k = kind;
    const srcTarget = refOf(p.SourceArn) ?? refsInFirst(p.SourceArn);
    const srcType = b.typeOf(srcTarget);
    if (kind === 'rest-api' && srcType === 'AWS::ApiGatewayV2::Api') k = 'http-api';
    if (kind === 'eventbridge' && srcTarget && b.entries.get(srcTarget)?.props.ScheduleExpression !== undefined) k = 'schedule';
    // API Gateway routes are added from methods/routes; a permission adds one only when none exists
    const http = k === 'rest-api' || k === 'http-api';
    const trig: Trigger = {
      kind: k,
      auth: { type: http || k === 'alb' ? 'unknown' : 'iam' },
      public: http || k === 'alb' ? 'unknown' : false,
      resourceId: e.id,
      where: e.where,
    };
    if (async) trig.async = true;
    if (sa !== undefined) trig.source = sa;
    return trig;
  }
  return undefined;
}

function refsInFirst(v: unknown): string | undefined {
  if (!isObj(v)) return undefined;
  const sub = v['Fn::Sub'];
  const s = Array.isArray(sub) ? sub[0] : sub;
  if (typeof s === 'string') {
    for (const m of s.matchAll(/\$\{([A-Za-z0-9]+)(?:\.[A-Za-z.]+)?\}/g)) if (!(m[1] as string).startsWith('AWS')) return m[1];
  }
  const join = v['Fn::Join'];
  if (Array.isArray(join) && Array.isArray(join[1])) {
    for (const part of join[1]) {
      const r = refOf(part);
      if (r && !r.startsWith('AWS::')) return r;
    }
  }
  return undefined;
}

/** AWS::Lambda::Url -> `Fn.url` + a function-url trigger. */
export function linkUrl(b: Builder, e: ResourceEntry, fn: Fn): void {
  const t = b.t;
  const p = e.props;
  const auth = str(t, p.AuthType, p, 'AuthType');
  fn.url = {
    auth: auth === 'NONE' ? 'none' : auth === 'AWS_IAM' ? 'iam' : auth === undefined ? 'iam' : typeof auth === 'string' ? 'iam' : auth,
    resourceId: e.id,
    where: e.where,
  };
  const cors = urlCors(b, p.Cors, p, 'Cors', `Resources.${e.id}.Properties.Cors`);
  if (cors) fn.url.cors = cors;
  const mode = str(t, p.InvokeMode, p, 'InvokeMode');
  if (mode !== undefined) fn.url.invokeMode = mode;
  fn.triggers.push(urlTrigger(fn, e.id));
}

export function urlCors(b: Builder, c: unknown, parent: Obj, key: string, path: string): NonNullable<Fn['url']>['cors'] | undefined {
  if (!isObj(c)) return undefined;
  const t = b.t;
  const out: NonNullable<NonNullable<Fn['url']>['cors']> = { where: b.at(parent, key, path) };
  const o = list(t, c.AllowOrigins, c, 'AllowOrigins');
  if (o) out.allowOrigins = o;
  const m = list(t, c.AllowMethods, c, 'AllowMethods');
  if (m) out.allowMethods = m;
  const h = list(t, c.AllowHeaders, c, 'AllowHeaders');
  if (h) out.allowHeaders = h;
  const cr = bool(t, c.AllowCredentials, c, 'AllowCredentials');
  if (cr !== undefined) out.allowCredentials = cr;
  return out;
}

export function urlTrigger(fn: Fn, resourceId?: string): Trigger {
  const url = fn.url;
  const auth = url?.auth;
  return {
    kind: 'function-url',
    auth: { type: auth === 'none' ? 'none' : auth === 'iam' ? 'iam' : 'unknown', ...(url ? { where: url.where } : {}) },
    public: true,
    ...(resourceId ? { resourceId } : {}),
    where: url?.where ?? fn.where,
  };
}

/** The trigger kind of an event source ARN (from the referenced resource type or the ARN text). */
export function sourceKind(b: Builder, v: unknown): TriggerKind {
  const target = refOf(v);
  const type = b.typeOf(target);
  if (type) {
    if (type.includes('SQS')) return 'sqs';
    if (type.includes('Kinesis')) return 'kinesis';
    if (type.includes('DynamoDB') || type === 'AWS::Serverless::SimpleTable') return 'dynamodb-stream';
    if (type.includes('MSK')) return 'kafka';
    if (type.includes('AmazonMQ')) return 'mq';
    if (type.includes('DocDB')) return 'other';
  }
  const s = typeof v === 'string' ? v : JSON.stringify(v ?? '');
  if (/:sqs:/.test(s)) return 'sqs';
  if (/:kinesis:/.test(s)) return 'kinesis';
  if (/:dynamodb:/.test(s)) return 'dynamodb-stream';
  if (/:kafka:/.test(s)) return 'kafka';
  if (/:mq:/.test(s)) return 'mq';
  return 'other';
}

export function mapping(b: Builder, p: Obj, where: Where): EventSourceMapping {
  const t = b.t;
  const m: EventSourceMapping = { where };
  const bs = num(t, p.BatchSize, p, 'BatchSize');
  if (bs !== undefined) m.batchSize = bs;
  const mr = num(t, p.MaximumRetryAttempts, p, 'MaximumRetryAttempts');
  if (mr !== undefined) m.maximumRetryAttempts = mr;
  const bisect = bool(t, p.BisectBatchOnFunctionError, p, 'BisectBatchOnFunctionError');
  if (bisect !== undefined) m.bisectBatchOnFunctionError = bisect;
  const dc = p.DestinationConfig;
  if (isObj(dc) && isObj(dc.OnFailure)) {
    const of = str(t, dc.OnFailure.Destination, dc.OnFailure, 'Destination');
    if (of !== undefined) m.onFailure = of;
  }
  if (Array.isArray(p.FunctionResponseTypes))
    m.functionResponseTypes = p.FunctionResponseTypes.filter((x): x is string => typeof x === 'string');
  const en = bool(t, p.Enabled, p, 'Enabled');
  if (en !== undefined) m.enabled = en;
  return m;
}

/** AWS::Lambda::EventSourceMapping -> trigger with `mapping`. */
export function linkEventSourceMapping(b: Builder, e: ResourceEntry, fn: Fn): void {
  const p = e.props;
  let kind = sourceKind(b, p.EventSourceArn);
  if (p.SelfManagedEventSource !== undefined) kind = 'kafka';
  const trig: Trigger = { kind, auth: { type: 'iam' }, public: false, mapping: mapping(b, p, e.where), resourceId: e.id, where: e.where };
  const src = str(b.t, p.EventSourceArn, p, 'EventSourceArn');
  if (src !== undefined) trig.source = src;
  fn.triggers.push(trig);
}

/** AWS::Lambda::EventInvokeConfig -> `Fn.destinations`. */
export function linkEventInvokeConfig(b: Builder, p: Obj, fn: Fn, where: Where): void {
  const t = b.t;
  const d: NonNullable<Fn['destinations']> = { where };
  const dc = p.DestinationConfig;
  if (isObj(dc)) {
    if (isObj(dc.OnSuccess)) {
      const v = str(t, dc.OnSuccess.Destination, dc.OnSuccess, 'Destination');
      if (v !== undefined) d.onSuccess = v;
    }
    if (isObj(dc.OnFailure)) {
      const v = str(t, dc.OnFailure.Destination, dc.OnFailure, 'Destination');
      if (v !== undefined) d.onFailure = v;
    }
  }
  const mr = num(t, p.MaximumRetryAttempts, p, 'MaximumRetryAttempts');
  if (mr !== undefined) d.maximumRetryAttempts = mr;
  fn.destinations = d;
}
