/**
 * AWS SAM: `Globals`, AWS::Serverless::Function (+ Events, Policies, the generated role,
 * FunctionUrlConfig ...), AWS::Serverless::Api / HttpApi (auth, stages, domains), implicit APIs,
 * LayerVersion, StateMachine, SimpleTable.
 */
import type { Api, AuthType, EventSourceMapping, Fn, Identity, Trigger, TriggerAuth, TriggerKind, Where } from '../../model/types.js';
import { restStageSettings } from './apigw.js';
import { type Builder, type ResourceEntry, refOf } from './builder.js';
import { managedPolicy, policyDocument, samPolicies } from './iam.js';
import { bool, isObj, list, num, type Obj, str } from './intrinsics.js';
import { envVars, layers, localCode, mapping, newFn, roleRef, tags, urlCors, urlTrigger, vpc } from './lambda.js';
import { findOperation, readOpenApi } from './openapi.js';

/** A property read from the function, falling back to `Globals.Function`. */
interface Prop {
  value: unknown;
  parent: Obj;
  key: string;
  fromGlobals: boolean;
}

export class SamProps {
  constructor(
    readonly own: Obj,
    readonly globals: Obj | undefined,
  ) {}
  get(key: string): Prop | undefined {
    if (this.own[key] !== undefined) return { value: this.own[key], parent: this.own, key, fromGlobals: false };
    if (this.globals && this.globals[key] !== undefined) return { value: this.globals[key], parent: this.globals, key, fromGlobals: true };
    return undefined;
  }
}

export function loadSamFunction(b: Builder, e: ResourceEntry, globals: Obj | undefined): Fn {
  const t = b.t;
  const P = new SamProps(e.props, globals);
  const fn = newFn(b, e);
  const w = (pr: Prop, sub?: string): Where =>
    b.at(
      pr.parent,
      pr.key,
      pr.fromGlobals
        ? `Globals.Function.${pr.key}${sub ? `.${sub}` : ''}`
        : (e.cdkPath ?? `Resources.${e.id}.Properties.${pr.key}${sub ? `.${sub}` : ''}`),
    );
  const s = (key: string): string | ReturnType<typeof str> => {
    const pr = P.get(key);
    return pr ? str(t, pr.value, pr.parent, pr.key) : undefined;
  };
  const n = (key: string): ReturnType<typeof num> => {
    const pr = P.get(key);
    return pr ? num(t, pr.value, pr.parent, pr.key) : undefined;
  };
  const fnName = s('FunctionName');
  if (fnName !== undefined) fn.functionName = fnName;
  const rt = P.get('Runtime');
  if (rt) {
    const v = str(t, rt.value, rt.parent, rt.key);
    if (v !== undefined) fn.runtime = v;
    fn.runtimeWhere = w(rt);
  }
  const handler = s('Handler');
  if (handler !== undefined) fn.handler = handler;
  const timeout = n('Timeout');
  if (timeout !== undefined) fn.timeout = timeout;
  const mem = n('MemorySize');
  if (mem !== undefined) fn.memory = mem;
  const rc = n('ReservedConcurrentExecutions');
  if (rc !== undefined) fn.reservedConcurrency = rc;
  const pcc = P.get('ProvisionedConcurrencyConfig');
  if (pcc && isObj(pcc.value)) {
    const v = num(t, pcc.value.ProvisionedConcurrentExecutions, pcc.value, 'ProvisionedConcurrentExecutions');
    if (v !== undefined) fn.provisionedConcurrency = v;
  }
  const kms = s('KmsKeyArn');
  if (kms !== undefined) fn.kmsKeyArn = kms;
  const tracing = s('Tracing');
  if (tracing !== undefined) fn.tracing = tracing;
  const rl = s('RecursiveLoop');
  if (rl !== undefined) fn.recursiveLoop = rl;
  const arch = P.get('Architectures');
  if (arch) {
    const v = list(t, arch.value, arch.parent, arch.key);
    if (v) fn.architectures = v;
  }
  // code
  const pkg = s('PackageType');
  const image = s('ImageUri');
  if (pkg === 'Image' || image !== undefined) {
    fn.packageType = 'image';
    if (image !== undefined) fn.imageUri = image;
  } else {
    fn.packageType = 'zip';
    const inline = P.get('InlineCode');
    const codeUri = P.get('CodeUri');
    if (inline) {
      fn.packaging = { artifact: 'inline', where: w(inline) };
      if (typeof inline.value === 'string') fn.inlineCode = { text: inline.value, where: w(inline) };
    } else if (codeUri) {
      if (typeof codeUri.value === 'string') localCode(b, fn, codeUri.value);
    } else if (!e.cdkPath) localCode(b, fn, '.');
  }
  // environment: Globals variables merged under the function's
  const genv = globals ? envVars(b, globals.Environment, e, 'provider', 'Globals.Function') : [];
  for (const ev of genv) ev.where = { ...ev.where, path: `Globals.Function.Environment.Variables.${ev.name}` };
  const fenv = envVars(b, e.props.Environment, e, 'function', `Resources.${e.id}.Properties`);
  const own = new Set(fenv.map((x) => x.name));
  fn.env = [...genv.filter((x) => !own.has(x.name)), ...fenv];
  const vpcP = P.get('VpcConfig');
  if (vpcP) vpc(b, fn, vpcP.value, vpcP.parent, vpcP.key, e);
  const dlq = P.get('DeadLetterQueue');
  if (dlq && isObj(dlq.value)) {
    const target = str(t, dlq.value.TargetArn, dlq.value, 'TargetArn');
    if (target !== undefined) fn.deadLetter = { target, where: w(dlq) };
  }
  const eic = P.get('EventInvokeConfig');
  if (eic && isObj(eic.value)) {
    const v = eic.value;
    const d: NonNullable<Fn['destinations']> = { where: w(eic) };
    const dc = v.DestinationConfig;
    if (isObj(dc)) {
      if (isObj(dc.OnSuccess)) {
        const x = str(t, dc.OnSuccess.Destination, dc.OnSuccess, 'Destination');
        if (x !== undefined) d.onSuccess = x;
        else if (dc.OnSuccess.Type !== undefined) d.onSuccess = str(t, dc.OnSuccess.Type, dc.OnSuccess, 'Type') ?? '';
      }
      if (isObj(dc.OnFailure)) {
        const x = str(t, dc.OnFailure.Destination, dc.OnFailure, 'Destination');
        if (x !== undefined) d.onFailure = x;
        else if (dc.OnFailure.Type !== undefined) d.onFailure = str(t, dc.OnFailure.Type, dc.OnFailure, 'Type') ?? '';
      }
    }
    const mr = num(t, v.MaximumRetryAttempts, v, 'MaximumRetryAttempts');
    if (mr !== undefined) d.maximumRetryAttempts = mr;
    fn.destinations = d;
  }
  // Layers: Globals first, then the function's (SAM concatenates lists)
  if (globals?.Layers !== undefined)
    layers(b, fn, globals.Layers, globals, 'Layers', e, (i) =>
      b.at(
        Array.isArray(globals.Layers) ? globals.Layers : globals,
        Array.isArray(globals.Layers) ? i : 'Layers',
        `Globals.Function.Layers[${i}]`,
      ),
    );
  if (e.props.Layers !== undefined) layers(b, fn, e.props.Layers, e.props, 'Layers', e);
  const csc = P.get('CodeSigningConfigArn');
  if (csc) {
    const config = str(t, csc.value, csc.parent, csc.key);
    if (config !== undefined) fn.codeSigning = { config, where: w(csc) };
  }
  const lc = P.get('LoggingConfig');
  if (lc && isObj(lc.value)) {
    fn.logs = { where: w(lc) };
    const lg = str(t, lc.value.LogGroup, lc.value, 'LogGroup');
    if (lg !== undefined) fn.logs.logGroup = lg;
    const fmt = str(t, lc.value.LogFormat, lc.value, 'LogFormat');
    if (fmt !== undefined) fn.logs.format = fmt;
  }
  const tg = P.get('Tags');
  if (tg) tags(b, fn, tg.value);
  // Function URL
  const fuc = P.get('FunctionUrlConfig');
  if (fuc && isObj(fuc.value)) {
    const v = fuc.value;
    const auth = str(t, v.AuthType, v, 'AuthType');
    fn.url = { auth: auth === 'NONE' ? 'none' : auth === 'AWS_IAM' ? 'iam' : typeof auth === 'object' ? auth : 'iam', where: w(fuc) };
    const cors = urlCors(b, v.Cors, v, 'Cors', `${w(fuc).path}.Cors`);
    if (cors) fn.url.cors = cors;
    const mode = str(t, v.InvokeMode, v, 'InvokeMode');
    if (mode !== undefined) fn.url.invokeMode = mode;
    fn.triggers.push(urlTrigger(fn));
  }
  // Role: explicit role, or the generated one
  const role = P.get('Role');
  if (role) roleRef(b, fn, role.value, role.parent, role.key, e);
  else b.identities.set(`${e.id}Role`, generatedRole(b, e, P, fn));
  return fn;
}

/** The role SAM generates: AWSLambdaBasicExecutionRole + Policies (+ event-source managed policies). */
function generatedRole(b: Builder, e: ResourceEntry, P: SamProps, fn: Fn): Identity {
  const t = b.t;
  const where: Where = { ...e.where, path: `${e.cdkPath ?? `Resources.${e.id}`} (generated role)` };
  const idn: Identity = {
    id: b.id(`${e.id}Role`),
    provider: 'aws',
    statements: [],
    managedPolicies: [],
    trust: [
      {
        effect: 'Allow',
        actions: ['sts:AssumeRole'],
        principal: { Service: ['lambda.amazonaws.com'] },
        where,
        origin: { kind: 'inline', name: 'trust' },
      },
    ],
    usedBy: [],
    where,
  };
  const basic = managedPolicy(
    t,
    'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
    undefined,
    undefined,
    idn.statements,
    where.path ?? '',
  );
  if (basic) {
    basic.where = where;
    for (const st of idn.statements) st.where = where;
    idn.managedPolicies.push(basic);
  }
  const pol = P.get('Policies');
  if (pol) {
    const r = samPolicies(
      t,
      pol.value,
      pol.parent,
      pol.key,
      pol.fromGlobals ? 'Globals.Function.Policies' : `Resources.${e.id}.Properties.Policies`,
    );
    idn.statements.push(...r.statements);
    idn.managedPolicies.push(...r.managed);
  }
  const pb = P.get('PermissionsBoundary');
  if (pb) {
    const v = str(t, pb.value, pb.parent, pb.key);
    if (v !== undefined) idn.permissionsBoundary = v;
  }
  const arp = P.get('AssumeRolePolicyDocument');
  if (arp)
    idn.trust = policyDocument(
      t,
      arp.value,
      arp.parent,
      arp.key,
      { kind: 'inline', name: 'trust' },
      `Resources.${e.id}.Properties.AssumeRolePolicyDocument`,
    );
  fn.identity = idn.id;
  return idn;
}

/** Event-source managed policies SAM adds to the generated role. */
const EVENT_POLICY: Record<string, string> = {
  SQS: 'AWSLambdaSQSQueueExecutionRole',
  Kinesis: 'AWSLambdaKinesisExecutionRole',
  DynamoDB: 'AWSLambdaDynamoDBExecutionRole',
};

const EVENT_KIND: Record<string, TriggerKind> = {
  Api: 'rest-api',
  HttpApi: 'http-api',
  S3: 's3',
  SQS: 'sqs',
  SNS: 'sns',
  Kinesis: 'kinesis',
  DynamoDB: 'dynamodb-stream',
  EventBridgeRule: 'eventbridge',
  CloudWatchEvent: 'eventbridge',
  Schedule: 'schedule',
  ScheduleV2: 'schedule',
  CognitoUserPool: 'cognito',
  IoTRule: 'iot',
  MSK: 'kafka',
  MQ: 'mq',
  SelfManagedKafka: 'kafka',
  CloudWatchLogs: 'cloudwatch-logs',
  AlexaSkill: 'alexa',
  DocumentDB: 'other',
};

const ASYNC = new Set(['S3', 'SNS', 'EventBridgeRule', 'CloudWatchEvent', 'Schedule', 'ScheduleV2', 'IoTRule', 'CloudWatchLogs']);
const SOURCE_KEY: Record<string, string> = {
  S3: 'Bucket',
  SQS: 'Queue',
  SNS: 'Topic',
  Kinesis: 'Stream',
  DynamoDB: 'Stream',
  MSK: 'Stream',
  MQ: 'Broker',
  CognitoUserPool: 'UserPool',
  CloudWatchLogs: 'LogGroupName',
  DocumentDB: 'Cluster',
  EventBridgeRule: 'EventBusName',
  AlexaSkill: 'SkillId',
};

/** SAM function `Events` -> triggers (called after APIs are loaded). */
export function samEvents(b: Builder, e: ResourceEntry, fn: Fn, implicit: ImplicitApis): void {
  const t = b.t;
  const events = e.props.Events;
  if (events === undefined) return;
  if (!isObj(events)) {
    t.diag('warning', `Events of ${e.id} must be a mapping`, b.propWhere(e, 'Events'), 'invalid-property');
    return;
  }
  for (const [name, ev] of Object.entries(events)) {
    const where: Where = { ...t.pos.atKey(events, name), path: `${e.cdkPath ?? `Resources.${e.id}.Properties.Events`}.${name}` };
    if (!isObj(ev) || typeof ev.Type !== 'string') {
      t.diag('warning', `event ${name} of ${e.id} has no Type`, where, 'invalid-property');
      continue;
    }
    const type = ev.Type;
    const props = isObj(ev.Properties) ? ev.Properties : {};
    const kind = EVENT_KIND[type];
    if (!kind) {
      t.diag('info', `event type ${type} of ${e.id} is not modelled`, where, 'unsupported-event');
      continue;
    }
    let trig: Trigger;
    if (type === 'Api') trig = apiEvent(b, props, where, implicit);
    else if (type === 'HttpApi') trig = httpApiEvent(b, props, where, implicit);
    else {
      trig = { kind, auth: { type: 'iam' }, public: false, where };
      if (ASYNC.has(type)) trig.async = true;
      const sk = SOURCE_KEY[type];
      if (sk && props[sk] !== undefined) {
        const src = str(t, props[sk], props, sk);
        if (src !== undefined) trig.source = src;
      }
      if (
        type === 'SQS' ||
        type === 'Kinesis' ||
        type === 'DynamoDB' ||
        type === 'MSK' ||
        type === 'MQ' ||
        type === 'SelfManagedKafka' ||
        type === 'DocumentDB'
      ) {
        trig.mapping = mapping(b, props, where) as EventSourceMapping;
        if (type === 'SQS' || type === 'MQ') trig.async = false;
      }
      const detail: Record<string, unknown> = {};
      if (type === 'Schedule' || type === 'ScheduleV2') {
        const expr = str(
          t,
          props.Schedule ?? props.ScheduleExpression,
          props,
          props.Schedule !== undefined ? 'Schedule' : 'ScheduleExpression',
        );
        if (expr !== undefined) detail.schedule = expr;
      }
      if (type === 'S3' && props.Events !== undefined) detail.events = list(t, props.Events, props, 'Events');
      if ((type === 'EventBridgeRule' || type === 'CloudWatchEvent') && props.Pattern !== undefined) detail.pattern = props.Pattern;
      if (type === 'DocumentDB') detail.source = 'documentdb';
      if (type === 'AlexaSkill' && props.SkillId === undefined) detail.skillId = null;
      if (type === 'IoTRule' && props.Sql !== undefined) detail.sql = str(t, props.Sql, props, 'Sql');
      if (isObj(props.DeadLetterConfig)) detail.deadLetterConfig = true;
      if (Object.keys(detail).length) trig.detail = detail;
    }
    fn.triggers.push(trig);
    // SAM adds the poller policy for stream/queue sources to the generated role
    const pol = EVENT_POLICY[type];
    const idn = fn.identity ? [...b.identities.values()].find((i) => i.id === fn.identity) : undefined;
    if (pol && idn && !idn.external && idn.id === b.id(`${e.id}Role`)) {
      const ref = managedPolicy(t, `arn:aws:iam::aws:policy/service-role/${pol}`, undefined, undefined, idn.statements, `${where.path}`);
      if (ref) {
        ref.where = where;
        for (const st of idn.statements) if (st.origin?.name === pol) st.where = where;
        idn.managedPolicies.push(ref);
      }
    }
  }
}

export interface ImplicitApis {
  rest?: Api;
  http?: Api;
  globalsApi?: Obj;
  globalsHttpApi?: Obj;
}

export interface AuthConfig {
  defaultAuthorizer?: string;
  apiKeyRequired?: boolean;
  authorizers: Record<string, AuthType>;
  iam?: boolean;
  /** The API has an OpenAPI definition (auth may be declared there). */
  opaque?: boolean;
}

export function readAuth(b: Builder, auth: unknown): AuthConfig {
  const cfg: AuthConfig = { authorizers: {} };
  if (!isObj(auth)) return cfg;
  const da = str(b.t, auth.DefaultAuthorizer, auth, 'DefaultAuthorizer');
  if (typeof da === 'string') cfg.defaultAuthorizer = da;
  if (bool(b.t, auth.ApiKeyRequired, auth, 'ApiKeyRequired') === true) cfg.apiKeyRequired = true;
  if (bool(b.t, auth.EnableIamAuthorizer, auth, 'EnableIamAuthorizer') === true) cfg.iam = true;
  if (isObj(auth.Authorizers)) {
    for (const [name, a] of Object.entries(auth.Authorizers)) {
      if (!isObj(a)) continue;
      cfg.authorizers[name] =
        a.UserPoolArn !== undefined
          ? 'cognito'
          : a.JwtConfiguration !== undefined
            ? 'jwt'
            : a.FunctionArn !== undefined
              ? 'lambda'
              : 'unknown';
    }
  }
  return cfg;
}

function resolveAuth(cfg: AuthConfig | undefined, eventAuth: unknown, b: Builder, where: Where): TriggerAuth {
  const t = b.t;
  const ea = isObj(eventAuth) ? eventAuth : {};
  const named = ea.Authorizer !== undefined ? str(t, ea.Authorizer, ea, 'Authorizer') : undefined;
  const authorizer = named ?? cfg?.defaultAuthorizer;
  let apiKey = cfg?.apiKeyRequired === true;
  const eak = bool(t, ea.ApiKeyRequired, ea, 'ApiKeyRequired');
  if (eak !== undefined) apiKey = eak === true;
  let auth: TriggerAuth;
  if (authorizer === undefined && cfg?.opaque) auth = { type: 'unknown' };
  else if (authorizer === undefined || authorizer === 'NONE') auth = { type: apiKey ? 'api-key' : 'none' };
  else if (typeof authorizer !== 'string') auth = { type: 'unknown', authorizer };
  else if (authorizer === 'AWS_IAM') auth = { type: 'iam' };
  else auth = { type: cfg?.authorizers[authorizer] ?? 'unknown', authorizer };
  if (apiKey) auth.apiKeyRequired = true;
  if (Array.isArray(ea.AuthorizationScopes)) auth.scopes = ea.AuthorizationScopes.filter((s): s is string => typeof s === 'string');
  auth.where = isObj(eventAuth) ? b.at(ea, ea.Authorizer !== undefined ? 'Authorizer' : undefined, `${where.path}.Properties.Auth`) : where;
  return auth;
}

function apiEvent(b: Builder, props: Obj, where: Where, implicit: ImplicitApis): Trigger {
  const t = b.t;
  let api: Api | undefined;
  if (props.RestApiId !== undefined) {
    const target = refOf(props.RestApiId);
    api = target ? b.apis.get(target) : undefined;
  } else api = implicit.rest ??= implicitRest(b, implicit, where);
  const cfg = api ? b.authConfigs.get(api) : undefined;
  const trig: Trigger = {
    kind: 'rest-api',
    auth: api || props.RestApiId === undefined ? resolveAuth(cfg, props.Auth, b, where) : { type: 'unknown' },
    public: api ? publicOfApi(api) : 'unknown',
    where,
  };
  const method = str(t, props.Method, props, 'Method');
  if (typeof method === 'string') trig.method = method.toUpperCase();
  const path = str(t, props.Path, props, 'Path');
  if (path !== undefined) trig.path = path;
  if (api) trig.apiId = api.id;
  fromDefinition(b, api, cfg, props, trig);
  if (api && isObj(props.RequestModel) && bool(t, props.RequestModel.ValidateBody, props.RequestModel, 'ValidateBody') !== false)
    api.requestValidation = true;
  return trig;
}

function httpApiEvent(b: Builder, props: Obj, where: Where, implicit: ImplicitApis): Trigger {
  const t = b.t;
  let api: Api | undefined;
  if (props.ApiId !== undefined) {
    const target = refOf(props.ApiId);
    api = target ? b.apis.get(target) : undefined;
  } else api = implicit.http ??= implicitHttp(b, implicit, where);
  const cfg = api ? b.authConfigs.get(api) : undefined;
  const trig: Trigger = {
    kind: 'http-api',
    auth: api || props.ApiId === undefined ? resolveAuth(cfg, props.Auth, b, where) : { type: 'unknown' },
    public: api ? true : 'unknown',
    where,
  };
  const method = str(t, props.Method, props, 'Method');
  trig.method = typeof method === 'string' ? method.toUpperCase() : 'ANY';
  const path = str(t, props.Path, props, 'Path');
  trig.path = path ?? '$default';
  if (api) trig.apiId = api.id;
  fromDefinition(b, api, cfg, props, trig);
  return trig;
}

/** An event without its own authorizer on an API without a SAM default: the OpenAPI operation's auth decides. */
function fromDefinition(b: Builder, api: Api | undefined, cfg: AuthConfig | undefined, props: Obj, trig: Trigger): void {
  const ops = api ? b.openApiOps.get(api) : undefined;
  if (!ops || cfg?.defaultAuthorizer !== undefined) return;
  if (isObj(props.Auth) && props.Auth.Authorizer !== undefined) return;
  const op = findOperation(ops, trig.method, typeof trig.path === 'string' ? trig.path : undefined);
  if (!op) return;
  trig.auth = { ...op.auth, ...(trig.auth.apiKeyRequired ? { apiKeyRequired: true } : {}) };
}

function publicOfApi(api: Api): boolean | 'unknown' {
  const ep = api.endpointType;
  if (ep === undefined) return true;
  if (typeof ep !== 'string') return 'unknown';
  return ep.toUpperCase() !== 'PRIVATE';
}

function implicitRest(b: Builder, implicit: ImplicitApis, where: Where): Api {
  const api: Api = {
    id: b.id('ServerlessRestApi'),
    kind: 'rest',
    stages: [],
    endpointType: 'EDGE',
    where: { ...where, path: 'ServerlessRestApi (implicit)' },
  };
  applySamApi(b, api, implicit.globalsApi ?? {}, undefined, 'Prod');
  b.apis.set('ServerlessRestApi', api);
  return api;
}

function implicitHttp(b: Builder, implicit: ImplicitApis, where: Where): Api {
  const api: Api = {
    id: b.id('ServerlessHttpApi'),
    kind: 'http',
    stages: [],
    endpointType: 'REGIONAL',
    where: { ...where, path: 'ServerlessHttpApi (implicit)' },
  };
  applySamHttpApi(b, api, implicit.globalsHttpApi ?? {}, undefined);
  b.apis.set('ServerlessHttpApi', api);
  return api;
}

/** Shallow merge of Globals.Api/HttpApi under a resource's properties, keeping each key's position. */
function mergeGlobals(b: Builder, globals: Obj | undefined, own: Obj): Obj {
  if (!globals) return own;
  const merged: Obj = { ...globals, ...own };
  const g = b.t.pos.get(globals);
  const o = b.t.pos.get(own);
  b.t.pos.set(merged, { where: o?.where ?? b.t.pos.at(own), keys: new Map([...(g?.keys ?? []), ...(o?.keys ?? [])]) });
  return merged;
}

/** AWS::Serverless::Api (props merged over Globals.Api). */
export function loadSamApi(b: Builder, e: ResourceEntry, globalsApi: Obj | undefined): Api {
  const api: Api = { id: b.id(e.id), kind: 'rest', stages: [], where: e.where };
  applySamApi(b, api, mergeGlobals(b, globalsApi, e.props), e, undefined);
  return api;
}

function applySamApi(b: Builder, api: Api, p: Obj, e: ResourceEntry | undefined, defaultStage: string | undefined): void {
  const t = b.t;
  const name = str(t, p.Name, p, 'Name');
  if (name !== undefined) api.name = name;
  const ec = p.EndpointConfiguration;
  const ept = isObj(ec) ? str(t, ec.Type, ec, 'Type') : ec !== undefined ? str(t, ec, p, 'EndpointConfiguration') : undefined;
  api.endpointType = ept ?? 'EDGE';
  const stageName = p.StageName !== undefined ? str(t, p.StageName, p, 'StageName') : defaultStage;
  const st = b.stage(
    api,
    typeof stageName === 'string' ? stageName : undefined,
    e ? b.propWhere(e, p.StageName !== undefined ? 'StageName' : 'Name') : api.where,
  );
  if (stageName !== undefined && typeof stageName !== 'string') st.name = stageName;
  restStageSettings(b, st, p);
  const auth = readAuth(b, p.Auth);
  b.authConfigs.set(api, auth);
  const up = isObj(p.Auth) && isObj(p.Auth.UsagePlan) ? p.Auth.UsagePlan : undefined;
  if (up && isObj(up.Throttle) && str(t, up.CreateUsagePlan, up, 'CreateUsagePlan') !== 'NONE') {
    const rl = num(t, up.Throttle.RateLimit, up.Throttle, 'RateLimit');
    const bl = num(t, up.Throttle.BurstLimit, up.Throttle, 'BurstLimit');
    api.usagePlanThrottling = { ...(rl !== undefined ? { rateLimit: rl } : {}), ...(bl !== undefined ? { burstLimit: bl } : {}) };
  }
  if (isObj(p.Auth) && isObj(p.Auth.ResourcePolicy)) {
    const rp = p.Auth.ResourcePolicy;
    const cs = rp.CustomStatements;
    if (cs !== undefined)
      api.policy = policyDocument(
        t,
        { Statement: cs },
        rp,
        'CustomStatements',
        { kind: 'inline', name: 'resource-policy' },
        'Auth.ResourcePolicy.CustomStatements',
      );
    else api.policy = [];
  }
  if (isObj(p.Domain)) {
    const d = p.Domain;
    const sp = str(t, d.SecurityPolicy, d, 'SecurityPolicy');
    api.domains = [
      {
        name: str(t, d.DomainName, d, 'DomainName') ?? '',
        ...(sp !== undefined ? { securityPolicy: sp } : {}),
        where: b.at(p, 'Domain', 'Domain'),
      },
    ];
  }
  const dis = bool(t, p.DisableExecuteApiEndpoint, p, 'DisableExecuteApiEndpoint');
  if (dis !== undefined) api.disableExecuteApiEndpoint = dis;
  if (p.DefinitionBody !== undefined || p.DefinitionUri !== undefined) definition(b, api, p);
}

/**
 * With an OpenAPI definition, auth may live in the document: a readable inline body gives each
 * operation's auth; otherwise (includes, DefinitionUri) routes without explicit SAM auth stay unknown.
 */
function definition(b: Builder, api: Api, p: Obj): void {
  const ops = readOpenApi(b, p.DefinitionBody, 'DefinitionBody');
  if (ops) {
    b.openApiOps.set(api, ops);
    return;
  }
  const cfg = b.authConfigs.get(api) ?? { authorizers: {} };
  cfg.opaque = true;
  b.authConfigs.set(api, cfg);
}

/** AWS::Serverless::HttpApi (props merged over Globals.HttpApi). */
export function loadSamHttpApi(b: Builder, e: ResourceEntry, globalsHttp: Obj | undefined): Api {
  const api: Api = { id: b.id(e.id), kind: 'http', stages: [], endpointType: 'REGIONAL', where: e.where };
  applySamHttpApi(b, api, mergeGlobals(b, globalsHttp, e.props), e);
  return api;
}

function applySamHttpApi(b: Builder, api: Api, p: Obj, e: ResourceEntry | undefined): void {
  const t = b.t;
  const name = str(t, p.Name, p, 'Name');
  if (name !== undefined) api.name = name;
  const stageName = str(t, p.StageName, p, 'StageName');
  const st = b.stage(api, typeof stageName === 'string' ? stageName : '$default', e ? e.where : api.where);
  const als = p.AccessLogSettings;
  if (isObj(als)) {
    st.accessLogging = { destination: str(t, als.DestinationArn, als, 'DestinationArn') ?? '' };
    const fmt = str(t, als.Format, als, 'Format');
    if (fmt !== undefined) st.accessLogging.format = fmt;
  }
  const drs = p.DefaultRouteSettings;
  if (isObj(drs)) {
    const rl = num(t, drs.ThrottlingRateLimit, drs, 'ThrottlingRateLimit');
    const bl = num(t, drs.ThrottlingBurstLimit, drs, 'ThrottlingBurstLimit');
    if (rl !== undefined || bl !== undefined)
      st.throttling = { ...(rl !== undefined ? { rateLimit: rl } : {}), ...(bl !== undefined ? { burstLimit: bl } : {}) };
    const dt = bool(t, drs.DataTraceEnabled, drs, 'DataTraceEnabled');
    if (dt !== undefined) st.dataTraceEnabled = dt;
    const ll = str(t, drs.LoggingLevel, drs, 'LoggingLevel');
    if (ll !== undefined) st.loggingLevel = ll;
  }
  b.authConfigs.set(api, readAuth(b, p.Auth));
  if (p.DefinitionBody !== undefined || p.DefinitionUri !== undefined) definition(b, api, p);
  if (isObj(p.Domain)) {
    const d = p.Domain;
    const sp = str(t, d.SecurityPolicy, d, 'SecurityPolicy');
    api.domains = [
      {
        name: str(t, d.DomainName, d, 'DomainName') ?? '',
        ...(sp !== undefined ? { securityPolicy: sp } : {}),
        where: b.at(p, 'Domain', 'Domain'),
      },
    ];
  }
  const dis = bool(t, p.DisableExecuteApiEndpoint, p, 'DisableExecuteApiEndpoint');
  if (dis !== undefined) api.disableExecuteApiEndpoint = dis;
}
