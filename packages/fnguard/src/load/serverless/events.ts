/** Serverless Framework `functions.<f>.events[]` into Model triggers. */
import {
  type EventSourceMapping,
  isKnown,
  isUnknown,
  type Maybe,
  type Trigger,
  type TriggerAuth,
  type TriggerKind,
  type Where,
} from '../../model/types.js';
import { at, atKey, boolAt, isObj, listAt, numAt, type Obj, objAt, type Svc, strAt, strListAt } from './context.js';

export interface ApiIds {
  rest?: string;
  http?: string;
  websocket?: string;
}

export interface EventContext {
  s: Svc;
  fkey: string;
  /** Function keys of the service (a string authorizer naming one is a Lambda authorizer). */
  functionKeys: Set<string>;
  apiIds: ApiIds;
  /** REST endpoint type (`provider.endpointType`): PRIVATE makes `http` events non-public. */
  endpointType: Maybe<string> | undefined;
  /** Set when an `http` event uses request schemas (REST request validation). */
  onRequestValidation(): void;
}

const ASYNC_KINDS = new Set<TriggerKind>(['s3', 'sns', 'eventbridge', 'schedule', 'iot', 'cloudwatch-logs']);

/** Triggers of one function. Unknown event types become `other` with an info diagnostic. */
export function loadEvents(ec: EventContext, f: Obj): Trigger[] {
  const { s, fkey } = ec;
  const path = `functions.${fkey}.events`;
  const events = listAt(s, f, 'events', path);
  const out: Trigger[] = [];
  if (!events) return out;
  for (const [i, item] of events.entries()) {
    const ipath = `${path}[${i}]`;
    if (typeof item === 'string' && /^[A-Za-z]+$/.test(item)) {
      // a bare event name (`- alexaSkill`): the event with no settings
      const holder: Obj = { [item]: null };
      s.pos.set(holder, {
        where: at(s, events, i, ipath),
        keys: new Map([[item, { key: at(s, events, i, ipath), value: at(s, events, i, ipath) }]]),
      });
      const t = loadEvent(ec, holder, item, `${ipath}.${item}`);
      if (t) out.push(t);
      continue;
    }
    if (!isObj(item) || isUnknown(item)) {
      if (item !== null && !isUnknown(item))
        s.diag('warning', `${ipath} must be a mapping like \`- http: ...\`; ignored`, at(s, events, i, ipath), 'invalid-config');
      continue;
    }
    for (const type of Object.keys(item)) {
      try {
        const t = loadEvent(ec, item, type, `${ipath}.${type}`);
        if (t) out.push(t);
      } catch (e) {
        s.diag('error', `could not read ${ipath}.${type}: ${(e as Error)?.message ?? e}`, at(s, item, type, ipath), 'adapter-error');
      }
    }
  }
  return out;
}

function loadEvent(ec: EventContext, item: Obj, type: string, path: string): Trigger | undefined {
  const { s } = ec;
  const where = atKey(s, item, type, path);
  const v = item[type];
  const cfg = isObj(v) && !isUnknown(v) ? v : undefined;
  const base = (kind: TriggerKind): Trigger => ({
    kind,
    auth: { type: 'iam' },
    public: false,
    ...(ASYNC_KINDS.has(kind) ? { async: true } : {}),
    where,
  });
  switch (type) {
    case 'http':
      return restEvent(ec, item, type, path, where);
    case 'httpApi':
      return httpApiEvent(ec, item, type, path, where);
    case 'websocket': {
      const t: Trigger = { kind: 'websocket', auth: { type: 'none' }, public: true, where };
      if (ec.apiIds.websocket) t.apiId = ec.apiIds.websocket;
      const route = cfg ? strAt(s, cfg, 'route', `${path}.route`) : strAt(s, item, type, path);
      if (route !== undefined) t.path = route;
      if (cfg?.authorizer !== undefined && cfg.authorizer !== null) {
        const name = isObj(cfg.authorizer)
          ? (strAt(s, cfg.authorizer, 'name') ?? strAt(s, cfg.authorizer, 'arn'))
          : strAt(s, cfg, 'authorizer');
        t.auth = {
          type: 'lambda',
          where: at(s, cfg, 'authorizer', `${path}.authorizer`),
          ...(name !== undefined ? { authorizer: name } : {}),
        };
      }
      return t;
    }
    case 'alb':
      return albEvent(ec, cfg, path, where);
    case 's3': {
      const t = base('s3');
      const bucket = cfg ? strAt(s, cfg, 'bucket', `${path}.bucket`) : strAt(s, item, type, path);
      if (bucket !== undefined) t.source = bucket;
      if (cfg) {
        const d: Record<string, unknown> = {};
        if (cfg.event !== undefined) d.event = strAt(s, cfg, 'event');
        if (cfg.rules !== undefined) d.rules = cfg.rules;
        if (cfg.existing !== undefined) d.existing = boolAt(s, cfg, 'existing');
        if (Object.keys(d).length) t.detail = d;
      }
      return t;
    }
    case 'sqs': {
      const t = base('sqs');
      const arn = cfg ? strAt(s, cfg, 'arn', `${path}.arn`) : strAt(s, item, type, path);
      if (arn !== undefined) t.source = arn;
      t.mapping = mapping(s, cfg, where, path);
      return t;
    }
    case 'sns': {
      const t = base('sns');
      const src = cfg
        ? (strAt(s, cfg, 'arn', `${path}.arn`) ?? strAt(s, cfg, 'topicName', `${path}.topicName`))
        : strAt(s, item, type, path);
      if (src !== undefined) t.source = src;
      if (cfg) {
        const d: Record<string, unknown> = {};
        if (cfg.filterPolicy !== undefined) d.filterPolicy = cfg.filterPolicy;
        if (cfg.redrivePolicy !== undefined) d.redrivePolicy = cfg.redrivePolicy;
        if (Object.keys(d).length) t.detail = d;
      }
      return t;
    }
    case 'stream':
    case 'kinesis':
    case 'dynamodb': {
      const arn = cfg ? strAt(s, cfg, 'arn', `${path}.arn`) : strAt(s, item, type, path);
      const st = cfg ? strAt(s, cfg, 'type') : undefined;
      const t = base(streamKind(type, st, arn, s));
      if (arn !== undefined) t.source = arn;
      t.mapping = mapping(s, cfg, where, path);
      return t;
    }
    case 'msk':
    case 'kafka': {
      const t = base('kafka');
      if (cfg) {
        const src = type === 'msk' ? strAt(s, cfg, 'arn', `${path}.arn`) : strListAt(s, cfg, 'bootstrapServers')?.find(() => true);
        if (src !== undefined) t.source = src;
        const topic = strAt(s, cfg, 'topic');
        if (topic !== undefined) t.detail = { topic };
      }
      t.mapping = mapping(s, cfg, where, path);
      return t;
    }
    case 'activemq':
    case 'rabbitmq': {
      const t = base('mq');
      if (cfg) {
        const arn = strAt(s, cfg, 'arn', `${path}.arn`);
        if (arn !== undefined) t.source = arn;
        const queue = strAt(s, cfg, 'queue');
        if (queue !== undefined) t.detail = { broker: type, queue };
      }
      t.mapping = mapping(s, cfg, where, path);
      return t;
    }
    case 'schedule': {
      const t = base('schedule');
      const rate = cfg ? (cfg.rate !== undefined ? strListAt(s, cfg, 'rate') : undefined) : strListAt(s, item, type);
      if (rate !== undefined) t.detail = { rate };
      if (cfg?.input !== undefined) t.detail = { ...t.detail, input: cfg.input };
      return t;
    }
    case 'eventBridge': {
      const t = base(cfg?.schedule !== undefined ? 'schedule' : 'eventbridge');
      if (cfg) {
        const bus = strAt(s, cfg, 'eventBus', `${path}.eventBus`);
        t.source = bus ?? 'default';
        const d: Record<string, unknown> = {};
        if (cfg.pattern !== undefined) d.pattern = cfg.pattern;
        if (cfg.schedule !== undefined) d.schedule = strAt(s, cfg, 'schedule');
        if (cfg.deadLetterQueueArn !== undefined) d.deadLetterQueueArn = strAt(s, cfg, 'deadLetterQueueArn');
        if (cfg.retryPolicy !== undefined) d.retryPolicy = cfg.retryPolicy;
        if (Object.keys(d).length) t.detail = d;
      }
      return t;
    }
    case 'cloudwatchEvent': {
      const t = base('eventbridge');
      t.source = 'default';
      if (cfg?.event !== undefined) t.detail = { pattern: cfg.event };
      return t;
    }
    case 'cloudwatchLog': {
      const t = base('cloudwatch-logs');
      const group = cfg ? strAt(s, cfg, 'logGroup', `${path}.logGroup`) : strAt(s, item, type, path);
      if (group !== undefined) t.source = group;
      if (cfg?.filter !== undefined) t.detail = { filter: strAt(s, cfg, 'filter') };
      return t;
    }
    case 'cognitoUserPool': {
      const t = base('cognito');
      if (cfg) {
        const pool = strAt(s, cfg, 'pool', `${path}.pool`);
        if (pool !== undefined) t.source = pool;
        const trig = strAt(s, cfg, 'trigger');
        if (trig !== undefined) t.detail = { trigger: trig };
      }
      return t;
    }
    case 'iot':
    case 'iotFleetProvisioning': {
      const t = base('iot');
      if (cfg?.sql !== undefined) t.detail = { sql: strAt(s, cfg, 'sql') };
      return t;
    }
    case 'alexaSkill':
    case 'alexaSmartHome': {
      const t = base('alexa');
      const appId = cfg ? strAt(s, cfg, 'appId', `${path}.appId`) : typeof item[type] === 'string' ? strAt(s, item, type) : undefined;
      if (appId !== undefined) t.source = appId;
      // without an application id any Alexa skill may invoke the function
      else t.public = 'unknown';
      return t;
    }
    case 'cloudFront': {
      const t: Trigger = { kind: 'other', auth: { type: 'unknown' }, public: 'unknown', where, detail: { type } };
      return t;
    }
    default: {
      s.diag('info', `event type '${type}' is not modelled; recorded as 'other'`, where, 'unsupported-event');
      return { kind: 'other', auth: { type: 'unknown' }, public: 'unknown', where, detail: { type } };
    }
  }
}

function streamKind(type: string, st: Maybe<string> | undefined, arn: Maybe<string> | undefined, s: Svc): TriggerKind {
  if (type === 'kinesis') return 'kinesis';
  if (type === 'dynamodb') return 'dynamodb-stream';
  if (st === 'dynamodb') return 'dynamodb-stream';
  if (st === 'kinesis') return 'kinesis';
  if (typeof arn === 'string') return arn.includes(':dynamodb:') ? 'dynamodb-stream' : 'kinesis';
  if (arn && isUnknown(arn)) {
    if (arn.expr.includes('StreamArn') || arn.expr.includes(':dynamodb:')) return 'dynamodb-stream';
    const res = arn.target ? s.t.resources[arn.target] : undefined;
    if (isObj(res) && res.Type === 'AWS::DynamoDB::Table') return 'dynamodb-stream';
  }
  return 'kinesis';
}

function mapping(s: Svc, cfg: Obj | undefined, where: Where, path: string): EventSourceMapping {
  const m: EventSourceMapping = { where };
  if (!cfg) return m;
  const batch = numAt(s, cfg, 'batchSize', `${path}.batchSize`);
  if (batch !== undefined) m.batchSize = batch;
  const retries = numAt(s, cfg, 'maximumRetryAttempts', `${path}.maximumRetryAttempts`);
  if (retries !== undefined) m.maximumRetryAttempts = retries;
  const bisect = boolAt(s, cfg, 'bisectBatchOnFunctionError');
  if (bisect !== undefined) m.bisectBatchOnFunctionError = bisect;
  const enabled = boolAt(s, cfg, 'enabled');
  if (enabled !== undefined) m.enabled = enabled;
  const frt = strAt(s, cfg, 'functionResponseType');
  if (typeof frt === 'string') m.functionResponseTypes = [frt];
  const dest = objAt(s, cfg, 'destinations', `${path}.destinations`);
  if (dest && dest.onFailure !== undefined && dest.onFailure !== null) {
    const of = isObj(dest.onFailure) && dest.onFailure.arn !== undefined ? strAt(s, dest.onFailure, 'arn') : strAt(s, dest, 'onFailure');
    if (of !== undefined) m.onFailure = of;
  }
  return m;
}

/** An API Gateway REST authorizer (`http.authorizer`) into an auth. */
function restAuth(ec: EventContext, a: unknown, parent: Obj, path: string): TriggerAuth {
  const { s } = ec;
  const where = at(s, parent, 'authorizer', path);
  if (typeof a === 'string') {
    if (a.toLowerCase() === 'aws_iam') return { type: 'iam', where };
    if (a.includes('cognito-idp')) return { type: 'cognito', authorizer: a, where };
    return { type: 'lambda', authorizer: a, where };
  }
  if (isUnknown(a)) return { type: 'unknown', authorizer: a, where };
  if (!isObj(a)) return { type: 'unknown', where };
  const auth: TriggerAuth = { type: 'unknown', where };
  const type = strAt(s, a, 'type');
  const arn = strAt(s, a, 'arn');
  const name = strAt(s, a, 'name');
  const ref = arn ?? name ?? strAt(s, a, 'authorizerId');
  if (ref !== undefined) auth.authorizer = ref;
  const scopes = strListAt(s, a, 'scopes');
  if (scopes) auth.scopes = scopes.filter((x): x is string => typeof x === 'string');
  const ty = typeof type === 'string' ? type.toUpperCase() : undefined;
  if (ty === 'AWS_IAM') auth.type = 'iam';
  else if (ty === 'COGNITO_USER_POOLS') auth.type = 'cognito';
  else if (ty === 'TOKEN' || ty === 'REQUEST' || ty === 'CUSTOM') auth.type = 'lambda';
  else if (typeof arn === 'string') auth.type = arn.includes('cognito-idp') ? 'cognito' : 'lambda';
  else if (arn && isUnknown(arn)) {
    const res = arn.target ? ec.s.t.resources[arn.target] : undefined;
    auth.type = isObj(res) && res.Type === 'AWS::Cognito::UserPool' ? 'cognito' : 'lambda';
  } else if (name !== undefined) auth.type = 'lambda';
  else if (a.authorizerId !== undefined) auth.type = 'unknown';
  return auth;
}

function restEvent(ec: EventContext, item: Obj, type: string, path: string, where: Where): Trigger {
  const { s } = ec;
  const v = item[type];
  const t: Trigger = { kind: 'rest-api', auth: { type: 'none' }, public: true, where };
  if (ec.apiIds.rest) t.apiId = ec.apiIds.rest;
  if (ec.endpointType !== undefined) {
    if (isUnknown(ec.endpointType)) t.public = 'unknown';
    else if (ec.endpointType.toUpperCase() === 'PRIVATE') t.public = false;
  }
  if (typeof v === 'string') {
    const [method, p] = splitRoute(v);
    t.method = method;
    if (p !== undefined) t.path = p;
    return t;
  }
  if (!isObj(v) || isUnknown(v)) {
    if (isUnknown(v)) t.path = v;
    else s.diag('warning', `${path} must be a string like 'GET /path' or a mapping; ignored`, where, 'invalid-config');
    return t;
  }
  const method = strAt(s, v, 'method', `${path}.method`);
  t.method = typeof method === 'string' ? method.toUpperCase() : 'ANY';
  const p = strAt(s, v, 'path', `${path}.path`);
  if (p !== undefined) t.path = typeof p === 'string' ? normPath(p) : p;
  if (v.authorizer !== undefined && v.authorizer !== null) t.auth = restAuth(ec, v.authorizer, v, `${path}.authorizer`);
  const priv = boolAt(s, v, 'private');
  if (priv === true) {
    t.auth.apiKeyRequired = true;
    if (t.auth.type === 'none') t.auth = { ...t.auth, type: 'api-key', where: at(s, v, 'private', `${path}.private`) };
  }
  if (v.async === true) t.async = true;
  const d: Record<string, unknown> = {};
  if (v.cors !== undefined) d.cors = v.cors;
  const req = objAt(s, v, 'request', `${path}.request`);
  if (req && (req.schemas !== undefined || req.schema !== undefined)) {
    d.requestSchemas = true;
    ec.onRequestValidation();
  }
  if (v.integration !== undefined) d.integration = v.integration;
  if (Object.keys(d).length) t.detail = d;
  return t;
}

function httpApiEvent(ec: EventContext, item: Obj, type: string, path: string, where: Where): Trigger {
  const { s } = ec;
  const v = item[type];
  const t: Trigger = { kind: 'http-api', auth: { type: 'none' }, public: true, where };
  if (ec.apiIds.http) t.apiId = ec.apiIds.http;
  if (typeof v === 'string') {
    if (v.trim() === '*') {
      t.method = '*';
      t.path = '*';
    } else {
      const [method, p] = splitRoute(v);
      t.method = method;
      if (p !== undefined) t.path = p;
    }
    return t;
  }
  if (!isObj(v) || isUnknown(v)) {
    if (!isUnknown(v)) s.diag('warning', `${path} must be a string like 'GET /path' or a mapping; ignored`, where, 'invalid-config');
    return t;
  }
  const method = strAt(s, v, 'method', `${path}.method`);
  t.method = typeof method === 'string' ? method.toUpperCase() : '*';
  const p = strAt(s, v, 'path', `${path}.path`);
  t.path = p === undefined ? '*' : typeof p === 'string' ? (p === '*' ? p : normPath(p)) : p;
  const a = v.authorizer;
  if (a !== undefined && a !== null) {
    const aw = at(s, v, 'authorizer', `${path}.authorizer`);
    if (typeof a === 'string') t.auth = httpAuthByName(ec, a, aw, path);
    else if (isUnknown(a)) t.auth = { type: 'unknown', authorizer: a, where: aw };
    else if (isObj(a)) {
      const ty = strAt(s, a, 'type');
      const name = strAt(s, a, 'name');
      if (typeof ty === 'string' && ty.toLowerCase() === 'aws_iam') t.auth = { type: 'iam', where: aw };
      else if (typeof name === 'string') t.auth = httpAuthByName(ec, name, aw, path);
      else if (a.id !== undefined) {
        const id = strAt(s, a, 'id');
        t.auth = { type: 'unknown', ...(id !== undefined ? { authorizer: id } : {}), where: aw };
      } else t.auth = { type: 'unknown', ...(name !== undefined ? { authorizer: name } : {}), where: aw };
      const scopes = strListAt(s, a, 'scopes');
      if (scopes) t.auth.scopes = scopes.filter((x): x is string => typeof x === 'string');
    }
  }
  return t;
}

function httpAuthByName(ec: EventContext, name: string, where: Where, path: string): TriggerAuth {
  const { s } = ec;
  if (name.toLowerCase() === 'aws_iam') return { type: 'iam', where };
  const httpApi = isObj(s.provider.httpApi) ? s.provider.httpApi : undefined;
  const defs = httpApi && isObj(httpApi.authorizers) ? httpApi.authorizers : undefined;
  const def = defs?.[name];
  if (!isObj(def)) {
    s.diag('warning', `${path}.authorizer '${name}' is not defined in provider.httpApi.authorizers`, where, 'unknown-authorizer');
    return { type: 'unknown', authorizer: name, where };
  }
  const ty = strAt(s, def, 'type');
  return { type: ty === 'request' ? 'lambda' : 'jwt', authorizer: name, where };
}

function albEvent(ec: EventContext, cfg: Obj | undefined, path: string, where: Where): Trigger {
  const { s } = ec;
  const t: Trigger = { kind: 'alb', auth: { type: 'none' }, public: 'unknown', where };
  if (!cfg) return t;
  const listener = strAt(s, cfg, 'listenerArn', `${path}.listenerArn`);
  if (listener !== undefined) t.source = listener;
  const cond = objAt(s, cfg, 'conditions', `${path}.conditions`);
  if (cond) {
    const methods = strListAt(s, cond, 'method');
    const m = methods?.[0];
    if (typeof m === 'string') t.method = m.toUpperCase();
    const paths = strListAt(s, cond, 'path');
    const p = paths?.[0];
    if (p !== undefined) t.path = p;
  }
  if (cfg.authorizer !== undefined && cfg.authorizer !== null) {
    const names = strListAt(s, cfg, 'authorizer') ?? [];
    const alb = isObj(s.provider.alb) ? s.provider.alb : undefined;
    const defs = alb && isObj(alb.authorizers) ? alb.authorizers : {};
    const aw = at(s, cfg, 'authorizer', `${path}.authorizer`);
    let type: TriggerAuth['type'] = 'unknown';
    const first = names.find(isKnown);
    const def = first !== undefined ? defs[first] : undefined;
    if (isObj(def)) {
      const ty = strAt(s, def, 'type');
      type = ty === 'cognito' ? 'cognito' : ty === 'oidc' ? 'jwt' : 'unknown';
    }
    t.auth = { type, ...(names[0] !== undefined ? { authorizer: names[0] } : {}), where: aw };
  }
  return t;
}

function splitRoute(v: string): [string, string | undefined] {
  const m = /^\s*(\S+)(?:\s+(\S+))?/.exec(v);
  if (!m) return ['ANY', undefined];
  return [(m[1] ?? 'ANY').toUpperCase(), m[2] === undefined ? undefined : normPath(m[2])];
}

function normPath(p: string): string {
  return p.startsWith('/') ? p : `/${p}`;
}
