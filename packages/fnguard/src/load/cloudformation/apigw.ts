/**
 * API Gateway v1 (REST) and v2 (HTTP/WebSocket) resources of plain CloudFormation: APIs, methods
 * and routes (-> triggers on the integrated function), stages, authorizers, validators, domains,
 * API keys, usage plans, WAFv2 associations.
 */
import type { Api, ApiStage, AuthType, Fn, Trigger, TriggerAuth } from '../../model/types.js';
import { type Builder, type ResourceEntry, refOf, refsIn } from './builder.js';
import { policyDocument } from './iam.js';
import { bool, isObj, num, type Obj, str } from './intrinsics.js';
import { readOpenApi } from './openapi.js';

export function newApi(b: Builder, e: ResourceEntry, kind: Api['kind']): Api {
  return { id: b.id(e.id), kind, stages: [], where: e.where };
}

export function loadRestApi(b: Builder, e: ResourceEntry): Api {
  const t = b.t;
  const p = e.props;
  const api = newApi(b, e, 'rest');
  const name = str(t, p.Name, p, 'Name');
  if (name !== undefined) api.name = name;
  const ec = p.EndpointConfiguration;
  if (isObj(ec) && ec.Types !== undefined) {
    const types = Array.isArray(ec.Types) ? ec.Types : [ec.Types];
    const first = str(t, types[0], types, 0);
    if (first !== undefined) api.endpointType = first;
  } else api.endpointType = 'EDGE';
  if (p.Policy !== undefined)
    api.policy = policyDocument(
      t,
      p.Policy,
      p,
      'Policy',
      { kind: 'inline', name: 'resource-policy' },
      `Resources.${e.id}.Properties.Policy`,
    );
  const dis = bool(t, p.DisableExecuteApiEndpoint, p, 'DisableExecuteApiEndpoint');
  if (dis !== undefined) api.disableExecuteApiEndpoint = dis;
  const ops = readOpenApi(b, p.Body, `Resources.${e.id}.Properties.Body`);
  if (ops) b.openApiOps.set(api, ops);
  return api;
}

export function loadHttpApiV2(b: Builder, e: ResourceEntry): Api {
  const t = b.t;
  const p = e.props;
  const proto = str(t, p.ProtocolType, p, 'ProtocolType');
  const api = newApi(b, e, proto === 'WEBSOCKET' ? 'websocket' : 'http');
  const name = str(t, p.Name, p, 'Name');
  if (name !== undefined) api.name = name;
  api.endpointType = 'REGIONAL';
  const dis = bool(t, p.DisableExecuteApiEndpoint, p, 'DisableExecuteApiEndpoint');
  if (dis !== undefined) api.disableExecuteApiEndpoint = dis;
  const ops = readOpenApi(b, p.Body, `Resources.${e.id}.Properties.Body`);
  if (ops) b.openApiOps.set(api, ops);
  // quick create: `Target` makes a $default route to the function with no authorization
  if (p.Target !== undefined) {
    const fn = fnIn(b, p.Target);
    if (fn)
      fn.triggers.push({
        kind: 'http-api',
        auth: { type: 'none' },
        public: true,
        method: 'ANY',
        path: '$default',
        apiId: api.id,
        resourceId: e.id,
        where: b.propWhere(e, 'Target'),
      });
  }
  return api;
}

/** The function a Uri/Target/ARN value points at. */
export function fnIn(b: Builder, v: unknown): Fn | undefined {
  const direct = b.fnByTarget(refOf(v));
  if (direct) return direct;
  for (const r of refsIn(v)) {
    const fn = b.fnByTarget(r);
    if (fn) return fn;
  }
  if (typeof v === 'string') {
    const m = /:function:([^:/]+)/.exec(v);
    if (m) return b.fnByLiteralName(m[1] as string);
  }
  return undefined;
}

function apiOf(b: Builder, v: unknown): Api | undefined {
  const target = refOf(v);
  return target ? b.apis.get(target) : undefined;
}

/** The path of an AWS::ApiGateway::Resource, following ParentId (cycles and depth guarded). */
function resourcePath(b: Builder, v: unknown): string | undefined {
  const parts: string[] = [];
  const seen = new Set<string>();
  let cur = refOf(v);
  // `!GetAtt Api.RootResourceId` is the root
  if (cur && b.typeOf(cur) !== 'AWS::ApiGateway::Resource') return '/';
  while (cur && !seen.has(cur) && parts.length < 64) {
    seen.add(cur);
    const e = b.entries.get(cur);
    if (e?.type !== 'AWS::ApiGateway::Resource') break;
    const part = str(b.t, e.props.PathPart, e.props, 'PathPart');
    if (typeof part !== 'string') return undefined;
    parts.unshift(part);
    cur = refOf(e.props.ParentId);
    if (cur && b.typeOf(cur) !== 'AWS::ApiGateway::Resource') break;
  }
  return `/${parts.join('/')}`;
}

function authorizerAuth(b: Builder, authorizerId: unknown): Pick<TriggerAuth, 'type' | 'authorizer'> {
  const target = refOf(authorizerId);
  const e = target ? b.entries.get(target) : undefined;
  if (!e) return { type: 'unknown', ...(authorizerId !== undefined ? { authorizer: str(b.t, authorizerId) ?? '' } : {}) };
  const type = str(b.t, e.props.Type ?? e.props.AuthorizerType, e.props, e.props.Type !== undefined ? 'Type' : 'AuthorizerType');
  const kind: AuthType =
    type === 'COGNITO_USER_POOLS' ? 'cognito' : type === 'JWT' ? 'jwt' : type === 'TOKEN' || type === 'REQUEST' ? 'lambda' : 'unknown';
  return { type: kind, authorizer: target as string };
}

/** AWS::ApiGateway::Method -> a rest-api trigger on the integrated function. */
export function loadMethod(b: Builder, e: ResourceEntry): void {
  const t = b.t;
  const p = e.props;
  const api = apiOf(b, p.RestApiId);
  if (p.RequestValidatorId !== undefined && api) api.requestValidation = true;
  const integ = p.Integration;
  if (!isObj(integ)) return;
  const fn = fnIn(b, integ.Uri);
  if (!fn) return;
  const method = str(t, p.HttpMethod, p, 'HttpMethod');
  const authType = str(t, p.AuthorizationType, p, 'AuthorizationType');
  const apiKey = bool(t, p.ApiKeyRequired, p, 'ApiKeyRequired');
  let auth: TriggerAuth;
  if (authType === undefined || authType === 'NONE') auth = { type: apiKey === true ? 'api-key' : 'none' };
  else if (authType === 'AWS_IAM') auth = { type: 'iam' };
  else if (authType === 'COGNITO_USER_POOLS') auth = { type: 'cognito', ...pickAuthorizer(authorizerAuth(b, p.AuthorizerId)) };
  else if (authType === 'CUSTOM') auth = { type: 'lambda', ...pickAuthorizer(authorizerAuth(b, p.AuthorizerId)) };
  else auth = { type: 'unknown' };
  if (apiKey === true) auth.apiKeyRequired = true;
  if (Array.isArray(p.AuthorizationScopes)) auth.scopes = p.AuthorizationScopes.filter((s): s is string => typeof s === 'string');
  auth.where = b.propWhere(e, p.AuthorizationType !== undefined ? 'AuthorizationType' : 'HttpMethod');
  const trig: Trigger = {
    kind: 'rest-api',
    auth,
    public: publicOf(api),
    method: typeof method === 'string' ? method.toUpperCase() : 'ANY',
    resourceId: e.id,
    where: e.where,
  };
  const path = resourcePath(b, p.ResourceId);
  if (path !== undefined) trig.path = path;
  if (api) trig.apiId = api.id;
  fn.triggers.push(trig);
}

function pickAuthorizer(a: Pick<TriggerAuth, 'type' | 'authorizer'>): Pick<TriggerAuth, 'authorizer'> {
  return a.authorizer !== undefined ? { authorizer: a.authorizer } : {};
}

export function publicOf(api: Api | undefined): boolean | 'unknown' {
  if (!api) return 'unknown';
  const ep = api.endpointType;
  if (ep === undefined) return true;
  if (typeof ep !== 'string') return 'unknown';
  return ep.toUpperCase() !== 'PRIVATE';
}

/** AWS::ApiGatewayV2::Route -> an http-api/websocket trigger on the integrated function. */
export function loadRoute(b: Builder, e: ResourceEntry): void {
  const t = b.t;
  const p = e.props;
  const api = apiOf(b, p.ApiId);
  const integTarget = refsIn(p.Target).find((r) => b.typeOf(r) === 'AWS::ApiGatewayV2::Integration');
  const integ = integTarget ? b.entries.get(integTarget) : undefined;
  const fn = integ ? fnIn(b, integ.props.IntegrationUri) : undefined;
  if (!fn) return;
  const routeKey = str(t, p.RouteKey, p, 'RouteKey');
  const authType = str(t, p.AuthorizationType, p, 'AuthorizationType');
  let auth: TriggerAuth;
  if (authType === undefined || authType === 'NONE') auth = { type: 'none' };
  else if (authType === 'AWS_IAM') auth = { type: 'iam' };
  else if (authType === 'JWT') auth = { type: 'jwt', ...pickAuthorizer(authorizerAuth(b, p.AuthorizerId)) };
  else if (authType === 'CUSTOM') auth = { type: 'lambda', ...pickAuthorizer(authorizerAuth(b, p.AuthorizerId)) };
  else auth = { type: 'unknown' };
  if (bool(t, p.ApiKeyRequired, p, 'ApiKeyRequired') === true) auth.apiKeyRequired = true;
  if (Array.isArray(p.AuthorizationScopes)) auth.scopes = p.AuthorizationScopes.filter((s): s is string => typeof s === 'string');
  auth.where = b.propWhere(e, p.AuthorizationType !== undefined ? 'AuthorizationType' : 'RouteKey');
  const trig: Trigger = {
    kind: api?.kind === 'websocket' ? 'websocket' : 'http-api',
    auth,
    public: api ? true : 'unknown',
    resourceId: e.id,
    where: e.where,
  };
  if (typeof routeKey === 'string') {
    const sp = routeKey.indexOf(' ');
    if (sp > 0) {
      trig.method = routeKey.slice(0, sp).toUpperCase();
      trig.path = routeKey.slice(sp + 1);
    } else trig.path = routeKey;
  } else if (routeKey !== undefined) trig.path = routeKey;
  if (api) trig.apiId = api.id;
  fn.triggers.push(trig);
}

/** Stage settings shared by v1 Stage, v1 Deployment.StageDescription and SAM Api. */
export function restStageSettings(b: Builder, st: ApiStage, p: Obj): void {
  const t = b.t;
  const als = p.AccessLogSetting ?? p.AccessLogSettings;
  if (isObj(als)) {
    const dest = str(t, als.DestinationArn, als, 'DestinationArn');
    st.accessLogging = { destination: dest ?? '' };
    const fmt = str(t, als.Format, als, 'Format');
    if (fmt !== undefined) st.accessLogging.format = fmt;
  }
  const tr = bool(t, p.TracingEnabled, p, 'TracingEnabled');
  if (tr !== undefined) st.tracingEnabled = tr;
  const cc = bool(t, p.CacheClusterEnabled, p, 'CacheClusterEnabled');
  if (cc !== undefined) st.cacheEnabled = cc;
  // stage-wide method settings (`/*` + `*`) or the StageDescription-level shortcuts
  const ms = Array.isArray(p.MethodSettings) ? p.MethodSettings : [];
  for (const m of [p, ...ms]) {
    if (!isObj(m)) continue;
    const all =
      m === p || ((m.ResourcePath === undefined || m.ResourcePath === '/*') && (m.HttpMethod === undefined || m.HttpMethod === '*'));
    if (!all) continue;
    const ll = str(t, m.LoggingLevel, m, 'LoggingLevel');
    if (ll !== undefined) st.loggingLevel = ll;
    const dt = bool(t, m.DataTraceEnabled, m, 'DataTraceEnabled');
    if (dt !== undefined) st.dataTraceEnabled = dt;
    const rl = num(t, m.ThrottlingRateLimit, m, 'ThrottlingRateLimit');
    const bl = num(t, m.ThrottlingBurstLimit, m, 'ThrottlingBurstLimit');
    if (rl !== undefined || bl !== undefined)
      st.throttling = { ...(rl !== undefined ? { rateLimit: rl } : {}), ...(bl !== undefined ? { burstLimit: bl } : {}) };
    const ce = bool(t, m.CachingEnabled, m, 'CachingEnabled');
    if (ce !== undefined && m !== p) st.cacheEnabled = ce;
    const enc = bool(t, m.CacheDataEncrypted, m, 'CacheDataEncrypted');
    if (enc !== undefined) st.cacheEncrypted = enc;
  }
  if (isObj(p.Variables)) {
    const vars = p.Variables;
    st.variables = Object.keys(vars).map((name) => ({
      name,
      value: str(t, vars[name], vars, name) ?? '',
      where: b.at(vars, name, `Variables.${name}`),
    }));
  }
}

/** v2 stage settings (AccessLogSettings, DefaultRouteSettings). */
export function httpStageSettings(b: Builder, st: ApiStage, p: Obj): void {
  const t = b.t;
  const als = p.AccessLogSettings ?? p.AccessLogSetting;
  if (isObj(als)) {
    st.accessLogging = { destination: str(t, als.DestinationArn, als, 'DestinationArn') ?? '' };
    const fmt = str(t, als.Format, als, 'Format');
    if (fmt !== undefined) st.accessLogging.format = fmt;
  }
  const drs = p.DefaultRouteSettings;
  if (isObj(drs)) {
    const ll = str(t, drs.LoggingLevel, drs, 'LoggingLevel');
    if (ll !== undefined) st.loggingLevel = ll;
    const dt = bool(t, drs.DataTraceEnabled, drs, 'DataTraceEnabled');
    if (dt !== undefined) st.dataTraceEnabled = dt;
    const rl = num(t, drs.ThrottlingRateLimit, drs, 'ThrottlingRateLimit');
    const bl = num(t, drs.ThrottlingBurstLimit, drs, 'ThrottlingBurstLimit');
    if (rl !== undefined || bl !== undefined)
      st.throttling = { ...(rl !== undefined ? { rateLimit: rl } : {}), ...(bl !== undefined ? { burstLimit: bl } : {}) };
  }
  if (isObj(p.StageVariables)) {
    const vars = p.StageVariables;
    st.variables = Object.keys(vars).map((name) => ({
      name,
      value: str(t, vars[name], vars, name) ?? '',
      where: b.at(vars, name, `StageVariables.${name}`),
    }));
  }
}

/** Second pass over API Gateway support resources. */
export function linkApiResource(b: Builder, e: ResourceEntry): void {
  const t = b.t;
  const p = e.props;
  switch (e.type) {
    case 'AWS::ApiGateway::Stage': {
      const api = apiOf(b, p.RestApiId);
      if (!api) return;
      const name = str(t, p.StageName, p, 'StageName');
      const st = b.stage(api, typeof name === 'string' ? name : undefined, e.where);
      if (typeof name !== 'string' && name !== undefined) st.name = name;
      restStageSettings(b, st, p);
      return;
    }
    case 'AWS::ApiGateway::Deployment': {
      const api = apiOf(b, p.RestApiId);
      const name = str(t, p.StageName, p, 'StageName');
      if (!api || name === undefined) return;
      const st = b.stage(api, typeof name === 'string' ? name : undefined, e.where);
      if (isObj(p.StageDescription)) restStageSettings(b, st, p.StageDescription);
      return;
    }
    case 'AWS::ApiGateway::ApiKey': {
      const value = p.Value !== undefined ? str(t, p.Value, p, 'Value') : undefined;
      const name = str(t, p.Name, p, 'Name');
      const key: NonNullable<Api['apiKeys']>[number] = { where: e.where };
      if (name !== undefined) key.name = name;
      if (value !== undefined) key.value = value;
      const targets = Array.isArray(p.StageKeys)
        ? p.StageKeys.map((s) => (isObj(s) ? apiOf(b, s.RestApiId) : undefined)).filter((a): a is Api => !!a)
        : [];
      for (const api of targets.length ? targets : restApis(b)) {
        api.apiKeys ??= [];
        api.apiKeys.push(key);
      }
      return;
    }
    case 'AWS::ApiGateway::UsagePlan': {
      const th = p.Throttle;
      const apis = Array.isArray(p.ApiStages)
        ? p.ApiStages.map((s) => (isObj(s) ? apiOf(b, s.ApiId) : undefined)).filter((a): a is Api => !!a)
        : [];
      if (!isObj(th)) return;
      const rl = num(t, th.RateLimit, th, 'RateLimit');
      const bl = num(t, th.BurstLimit, th, 'BurstLimit');
      for (const api of apis)
        api.usagePlanThrottling = { ...(rl !== undefined ? { rateLimit: rl } : {}), ...(bl !== undefined ? { burstLimit: bl } : {}) };
      return;
    }
    case 'AWS::ApiGateway::DomainName':
    case 'AWS::ApiGatewayV2::DomainName': {
      const name = str(t, p.DomainName, p, 'DomainName') ?? '';
      let sp = str(t, p.SecurityPolicy, p, 'SecurityPolicy');
      if (Array.isArray(p.DomainNameConfigurations)) {
        const c = p.DomainNameConfigurations[0];
        if (isObj(c)) sp = str(t, c.SecurityPolicy, c, 'SecurityPolicy') ?? sp;
      }
      const dom = { name, ...(sp !== undefined ? { securityPolicy: sp } : {}), where: e.where };
      // attached through base path / API mappings; otherwise to every API of its kind in the template
      const mapped = [...b.entries.values()]
        .filter(
          (m) =>
            (m.type === 'AWS::ApiGateway::BasePathMapping' || m.type === 'AWS::ApiGatewayV2::ApiMapping') &&
            refOf(m.props.DomainName) === e.id,
        )
        .map((m) => apiOf(b, m.props.RestApiId ?? m.props.ApiId))
        .filter((a): a is Api => !!a);
      const targets = mapped.length
        ? mapped
        : e.type === 'AWS::ApiGateway::DomainName'
          ? restApis(b)
          : [...b.apis.values()].filter((a) => a.kind !== 'rest');
      for (const api of targets) {
        api.domains ??= [];
        api.domains.push(dom);
      }
      return;
    }
    case 'AWS::ApiGatewayV2::Stage': {
      const api = apiOf(b, p.ApiId);
      if (!api) return;
      const name = str(t, p.StageName, p, 'StageName');
      const st = b.stage(api, typeof name === 'string' ? name : undefined, e.where);
      httpStageSettings(b, st, p);
      return;
    }
    case 'AWS::WAFv2::WebACLAssociation': {
      const acl = str(t, p.WebACLArn, p, 'WebACLArn') ?? '';
      const refs = refsIn(p.ResourceArn);
      const text = JSON.stringify(p.ResourceArn ?? '');
      const stageName = /\/stages\/([A-Za-z0-9_-]+)/.exec(text)?.[1];
      for (const r of refs) {
        const api = b.apis.get(r);
        if (api) {
          const stages = stageName ? api.stages.filter((s) => s.name === stageName) : api.stages;
          for (const st of stages.length ? stages : [b.stage(api, stageName, e.where)]) st.webAclArn = acl;
          continue;
        }
        const se = b.entries.get(r);
        if (se && se.type === 'AWS::ApiGateway::Stage') {
          const api2 = apiOf(b, se.props.RestApiId);
          const sn = str(t, se.props.StageName);
          const st = api2?.stages.find((s) => s.name === sn);
          if (st) st.webAclArn = acl;
        }
      }
      return;
    }
    default:
      return;
  }
}

/** Routes declared only in an inline OpenAPI body -> triggers on the integrated functions. */
export function linkBodyOperations(b: Builder, logicalId: string, api: Api): void {
  const ops = b.openApiOps.get(api);
  if (!ops) return;
  for (const op of ops) {
    const fn = fnIn(b, op.uri);
    if (!fn) continue;
    if (fn.triggers.some((x) => x.apiId === api.id && x.method === op.method && x.path === op.path)) continue;
    fn.triggers.push({
      kind: api.kind === 'rest' ? 'rest-api' : api.kind === 'websocket' ? 'websocket' : 'http-api',
      auth: op.auth,
      public: api.kind === 'rest' ? publicOf(api) : true,
      method: op.method,
      path: op.path,
      apiId: api.id,
      resourceId: logicalId,
      where: op.where,
    });
  }
}

function restApis(b: Builder): Api[] {
  return [...b.apis.values()].filter((a) => a.kind === 'rest');
}
