/**
 * Settings of common Serverless Framework plugins that change what gets deployed:
 * - `serverless-domain-manager` (`custom.customDomain` / `custom.customDomains`): custom domains
 *   and their TLS security policy (the plugin's default is TLS 1.2) -> `Api.domains`.
 * - `serverless-plugin-aws-alerts` (`custom.alerts`, function `alarms`): CloudWatch alarms on the
 *   functions -> `cloudwatch-alarm` resources.
 * Plugins are honoured only when listed in `plugins:` (a list, or `{ modules: [...] }`).
 */
import { type Api, type Fn, isKnown, isUnknown, type Maybe, type Resource } from '../../model/types.js';
import { at, atKey, isObj, listAt, type Obj, type Svc, strAt, strListAt } from './context.js';

export function pluginNames(s: Svc): Set<string> {
  const p = s.cfg.plugins;
  const list = Array.isArray(p) ? p : isObj(p) && Array.isArray(p.modules) ? p.modules : [];
  return new Set(list.filter((x): x is string => typeof x === 'string'));
}

/** `serverless-domain-manager` domains onto the service's APIs. */
export function applyDomainManager(s: Svc, apis: Api[]): void {
  if (!pluginNames(s).has('serverless-domain-manager')) return;
  const custom = isObj(s.cfg.custom) ? s.cfg.custom : undefined;
  if (!custom) return;
  const entries: { cfg: Obj; parent: unknown; key: string | number; path: string; apiType?: string }[] = [];
  if (isObj(custom.customDomain) && !isUnknown(custom.customDomain))
    entries.push({ cfg: custom.customDomain, parent: custom, key: 'customDomain', path: 'custom.customDomain' });
  const many = listAt(s, custom, 'customDomains', 'custom.customDomains');
  many?.forEach((item, i) => {
    if (!isObj(item) || isUnknown(item)) return;
    // `- rest: {...}` / `- http: {...}` / `- websocket: {...}`, or a plain domain mapping
    const typed = ['rest', 'http', 'websocket'].find((k) => isObj(item[k]));
    if (typed)
      entries.push({ cfg: item[typed] as Obj, parent: item, key: typed, path: `custom.customDomains[${i}].${typed}`, apiType: typed });
    else entries.push({ cfg: item, parent: many, key: i, path: `custom.customDomains[${i}]` });
  });
  for (const e of entries) {
    if (e.cfg.enabled === false || e.cfg.enabled === 'false') continue;
    const typeV = e.apiType ?? strAt(s, e.cfg, 'apiType');
    const kind = typeV === 'http' ? 'http' : typeV === 'websocket' ? 'websocket' : 'rest';
    const api = apis.find((a) => a.kind === kind);
    if (!api) continue;
    const name = strAt(s, e.cfg, 'domainName', `${e.path}.domainName`) ?? '';
    const sp = strAt(s, e.cfg, 'securityPolicy', `${e.path}.securityPolicy`);
    const securityPolicy: Maybe<string> = sp === undefined ? 'TLS_1_2' : typeof sp === 'string' ? sp.toUpperCase() : sp;
    const where =
      e.cfg.securityPolicy !== undefined ? at(s, e.cfg, 'securityPolicy', `${e.path}.securityPolicy`) : at(s, e.parent, e.key, e.path);
    api.domains ??= [];
    api.domains.push({ name, securityPolicy, where });
  }
}

const DEFAULT_ALARMS: Record<string, string> = {
  functionErrors: 'Errors',
  functionThrottles: 'Throttles',
  functionInvocations: 'Invocations',
  functionDuration: 'Duration',
};

/** `serverless-plugin-aws-alerts` alarms as `cloudwatch-alarm` resources. */
export function alertAlarms(s: Svc, fns: { fn: Fn; cfg: Obj }[]): Resource[] {
  if (!pluginNames(s).has('serverless-plugin-aws-alerts')) return [];
  const custom = isObj(s.cfg.custom) ? s.cfg.custom : undefined;
  const alerts = custom && isObj(custom.alerts) && !isUnknown(custom.alerts) ? custom.alerts : undefined;
  if (!alerts) return [];
  const stages = strListAt(s, alerts, 'stages');
  if (stages && typeof s.stage === 'string' && stages.every((x) => isKnown(x)) && !stages.includes(s.stage)) return [];
  const topics = isObj(alerts.topics) ? alerts.topics : undefined;
  let actions: Maybe<string>[] = [];
  if (topics && topics.alarm !== undefined) {
    const a = topics.alarm;
    const t = isObj(a) && !isUnknown(a) ? strAt(s, a, 'topic') : strAt(s, topics, 'alarm');
    if (t !== undefined) actions = [t];
  }
  const defs = isObj(alerts.definitions) ? alerts.definitions : {};
  const out: Resource[] = [];
  const global = listAt(s, alerts, 'alarms', 'custom.alerts.alarms') ?? [];
  for (const { fn, cfg } of fns) {
    const own = listAt(s, cfg, 'alarms', `functions.${fn.name}.alarms`) ?? [];
    const seen = new Set<string>();
    for (const [list, base] of [
      [global, 'custom.alerts.alarms'],
      [own, `functions.${fn.name}.alarms`],
    ] as const) {
      list.forEach((item, i) => {
        const name = typeof item === 'string' ? item : isObj(item) && typeof item.name === 'string' ? item.name : undefined;
        if (!name || seen.has(name)) return;
        seen.add(name);
        const def = isObj(item) ? item : isObj(defs[name]) ? (defs[name] as Obj) : undefined;
        const metric = def && typeof def.metric === 'string' ? def.metric : DEFAULT_ALARMS[name];
        const namespace = def && typeof def.namespace === 'string' ? def.namespace : 'AWS/Lambda';
        const res: Resource = {
          id: `${s.prefix}alarm:${fn.name}:${name}`,
          type: 'cloudwatch-alarm',
          sourceType: 'serverless-plugin-aws-alerts',
          format: 'serverless',
          name: `${fn.name}-${name}`,
          props: {
            namespace,
            dimensions: { FunctionName: fn.functionName ?? fn.name },
            alarmActions: actions,
            ...(metric ? { metricName: metric } : {}),
          },
          where: at(s, list, i, `${base}[${i}]`),
        };
        out.push(res);
      });
    }
  }
  return out;
}

/**
 * `stepFunctions.stateMachines` (the `serverless-step-functions` plugin, built into v4): each state
 * machine becomes a `state-machine` resource (logging level, tracing), and every function its
 * definition invokes gets a `step-functions` trigger (so it is not mistaken for an orphan).
 */
export function stepFunctions(s: Svc, fns: Fn[]): Resource[] {
  const sf = isObj(s.cfg.stepFunctions) && !isUnknown(s.cfg.stepFunctions) ? s.cfg.stepFunctions : undefined;
  if (!sf) return [];
  const machines = isObj(sf.stateMachines) && !isUnknown(sf.stateMachines) ? sf.stateMachines : undefined;
  if (!machines) return [];
  const byToken = new Map<string, Fn>();
  for (const fn of fns) {
    byToken.set(fn.name, fn);
    if (fn.resourceId) byToken.set(fn.resourceId, fn);
    if (typeof fn.functionName === 'string') byToken.set(fn.functionName, fn);
  }
  const out: Resource[] = [];
  for (const [key, m] of Object.entries(machines)) {
    if (!isObj(m) || isUnknown(m)) continue;
    const path = `stepFunctions.stateMachines.${key}`;
    const where = atKey(s, machines, key, path);
    const name = strAt(s, m, 'name') ?? key;
    const res: Resource = {
      id: `${s.prefix}stateMachine:${key}`,
      type: 'state-machine',
      sourceType: 'serverless:stepFunctions',
      format: 'serverless',
      name,
      props: {},
      where,
    };
    const lc = isObj(m.loggingConfig) && !isUnknown(m.loggingConfig) ? m.loggingConfig : undefined;
    if (lc) {
      const level = strAt(s, lc, 'level');
      if (level !== undefined) res.props.loggingLevel = level;
    }
    const tc = isObj(m.tracingConfig) && !isUnknown(m.tracingConfig) ? m.tracingConfig : undefined;
    if (tc) {
      const en = tc.enabled;
      if (en === true || en === 'true') res.props.tracingEnabled = true;
      else if (en === false || en === 'false') res.props.tracingEnabled = false;
      else if (isUnknown(en)) res.props.tracingEnabled = en;
    }
    out.push(res);
    const invoked = new Set<Fn>();
    collectFunctionRefs(m.definition, byToken, invoked, 0);
    for (const fn of invoked)
      fn.triggers.push({ kind: 'step-functions', auth: { type: 'iam' }, public: false, source: name, resourceId: res.id, where });
  }
  return out;
}

function collectFunctionRefs(v: unknown, byToken: Map<string, Fn>, out: Set<Fn>, depth: number): void {
  if (depth > 64 || v === null || typeof v !== 'object') {
    if (typeof v === 'string') {
      const m = /:function:([^:/"]+)/.exec(v);
      const fn = m ? byToken.get(m[1] as string) : undefined;
      if (fn) out.add(fn);
    }
    return;
  }
  if (Array.isArray(v)) {
    for (const x of v) collectFunctionRefs(x, byToken, out, depth + 1);
    return;
  }
  const o = v as Obj;
  const ga = o['Fn::GetAtt'];
  const target = Array.isArray(ga) ? ga[0] : typeof ga === 'string' ? ga.split('.')[0] : typeof o.Ref === 'string' ? o.Ref : undefined;
  if (typeof target === 'string') {
    const fn = byToken.get(target);
    if (fn) out.add(fn);
  }
  for (const x of Object.values(o)) collectFunctionRefs(x, byToken, out, depth + 1);
}
