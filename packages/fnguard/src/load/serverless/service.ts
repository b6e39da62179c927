/** One resolved serverless.yml into a Model fragment (functions, identities, APIs, layers, resources). */
import { resolve as resolvePath } from 'node:path';
import {
  type Api,
  type ApiStage,
  type App,
  type EnvVar,
  type Fn,
  type FunctionUrl,
  type Identity,
  isUnknown,
  type Layer,
  type LayerRef,
  type Maybe,
  type Resource,
  type Where,
} from '../../model/types.js';
import { loadCloudFormationResources } from '../cloudformation/index.js';
import type { LoadContext } from '../types.js';
import { at, atKey, boolAt, isObj, listAt, normalizedName, numAt, type Obj, objAt, type Svc, strAt, strListAt } from './context.js';
import { type ApiIds, loadEvents } from './events.js';
import { defaultRole, eventSourceStatements, externalRole, functionRole, type ProviderIam, providerIam, statementsAt } from './iam.js';
import { alertAlarms, applyDomainManager, stepFunctions } from './plugins.js';

/** Build the Model fragment of one service. */
export function buildService(s: Svc, ctx: Pick<LoadContext, 'diagnostic' | 'root'>): Partial<App> {
  const p = s.provider;
  const functions: Fn[] = [];
  const identities: Identity[] = [];
  const apis: Api[] = [];
  const layers: Layer[] = [];
  const resources: Resource[] = [];

  const fnsNode = s.cfg.functions;
  let fnEntries: [string, unknown, Obj][] = [];
  if (isObj(fnsNode) && !isUnknown(fnsNode)) fnEntries = Object.entries(fnsNode).map(([k, v]) => [k, v, fnsNode]);
  else if (Array.isArray(fnsNode)) {
    for (const part of fnsNode)
      if (isObj(part) && !isUnknown(part)) for (const [k, v] of Object.entries(part)) fnEntries.push([k, v, part]);
  } else if (fnsNode !== undefined && fnsNode !== null && !isUnknown(fnsNode))
    s.diag(
      'warning',
      'functions must be a mapping of function names to settings; ignored',
      at(s, s.cfg, 'functions', 'functions'),
      'invalid-config',
    );
  const functionKeys = new Set(fnEntries.map(([k]) => k));

  // APIs (one per kind, created when an event uses it)
  const apiIds: ApiIds = {};
  const apiGateway = objAt(s, p, 'apiGateway', 'provider.apiGateway');
  const httpApiCfg = objAt(s, p, 'httpApi', 'provider.httpApi');
  const externalRest = apiGateway?.restApiId !== undefined;
  const externalHttp = httpApiCfg?.id !== undefined;
  const uses = (type: string) =>
    fnEntries.some(([, f]) => isObj(f) && Array.isArray(f.events) && f.events.some((e) => isObj(e) && e[type] !== undefined));
  let restApi: Api | undefined;
  if (uses('http') && !externalRest) {
    restApi = restApiOf(s, apiGateway);
    apiIds.rest = restApi.id;
    apis.push(restApi);
  }
  if (uses('httpApi') && !externalHttp) {
    const api = httpApiOf(s, httpApiCfg);
    apiIds.http = api.id;
    apis.push(api);
  }
  if (uses('websocket')) {
    const api = websocketApiOf(s);
    apiIds.websocket = api.id;
    apis.push(api);
  }
  const endpointType =
    strAt(s, p, 'endpointType', 'provider.endpointType') ?? (apiGateway ? strAt(s, apiGateway, 'endpointType') : undefined);

  // IAM
  const piam: ProviderIam = providerIam(s);
  const inheritDefault =
    isObj(s.cfg.custom) && isObj(s.cfg.custom['serverless-iam-roles-per-function'])
      ? s.cfg.custom['serverless-iam-roles-per-function'].defaultInherit === true
      : false;
  const providerVpc = objAt(s, p, 'vpc', 'provider.vpc');
  const externalIds = new Map<string, Identity>();
  const logicalRoleUsers: { fn: Fn; logicalId: string; where: Where }[] = [];
  const defaultUsers: Fn[] = [];
  let anyDefaultVpc = false;

  const byLogical: Record<string, Fn> = {};
  const fnCfgs: { fn: Fn; cfg: Obj }[] = [];
  for (const [fkey, f, parent] of fnEntries) {
    const fpath = `functions.${fkey}`;
    if (!isObj(f) || isUnknown(f)) {
      s.diag('warning', `${fpath} must be a mapping; ignored`, atKey(s, parent, fkey, fpath), 'invalid-config');
      continue;
    }
    let fn: Fn;
    try {
      fn = buildFunction(s, fkey, f, parent, functionKeys, apiIds, endpointType, () => {
        if (restApi) restApi.requestValidation = true;
      });
    } catch (e) {
      s.diag('error', `could not read ${fpath}: ${(e as Error)?.message ?? e}`, atKey(s, parent, fkey, fpath), 'adapter-error');
      continue;
    }
    functions.push(fn);
    fnCfgs.push({ fn, cfg: f });
    byLogical[`${normalizedName(fkey)}LambdaFunction`] = fn;
    // identity
    const vpc = fn.vpc !== undefined;
    const own = functionRole(s, fkey, f, piam, vpc, inheritDefault);
    const fnRole = f.role !== undefined && f.role !== null ? roleOf(s, f, fpath) : undefined;
    if (fnRole?.kind === 'logical') logicalRoleUsers.push({ fn, logicalId: fnRole.logicalId, where: fnRole.where });
    else if (fnRole?.kind === 'external') useExternal(s, externalIds, fnRole.arn, fnRole.where, fn);
    else if (own) {
      own.statements.push(...eventSourceStatements(fn));
      own.usedBy.push(fn.id);
      fn.identity = own.id;
      identities.push(own);
    } else if (piam.role?.kind === 'logical') logicalRoleUsers.push({ fn, logicalId: piam.role.logicalId, where: piam.role.where });
    else if (piam.role?.kind === 'external') useExternal(s, externalIds, piam.role.arn, piam.role.where, fn);
    else {
      defaultUsers.push(fn);
      if (vpc) anyDefaultVpc = true;
    }
  }
  identities.push(...externalIds.values());
  let role: Identity | undefined;
  if (defaultUsers.length > 0) {
    role = defaultRole(
      s,
      piam,
      defaultUsers.map((f) => f.name),
      anyDefaultVpc || providerVpc !== undefined,
    );
    for (const fn of defaultUsers) {
      fn.identity = role.id;
      role.usedBy.push(fn.id);
      role.statements.push(...eventSourceStatements(fn));
    }
    identities.push(role);
  }

  // service-defined layers
  const layersNode = objAt(s, s.cfg, 'layers', 'layers');
  const layerByLogical = new Map<string, Layer>();
  if (layersNode) {
    for (const [lkey, l] of Object.entries(layersNode)) {
      if (!isObj(l)) continue;
      const lpath = `layers.${lkey}`;
      const layer: Layer = { id: `${s.prefix}layer:${lkey}`, permissions: [], where: atKey(s, layersNode, lkey, lpath) };
      const name = strAt(s, l, 'name');
      layer.name = name ?? lkey;
      const lp = strAt(s, l, 'path');
      if (typeof lp === 'string') layer.contentDir = resolvePath(s.dir, lp);
      const rt = strListAt(s, l, 'compatibleRuntimes');
      if (rt) layer.compatibleRuntimes = rt;
      const acc = listAt(s, l, 'allowedAccounts', `${lpath}.allowedAccounts`);
      acc?.forEach((_, i) => {
        const principal = strAt(s, acc, i);
        if (principal !== undefined) layer.permissions.push({ principal, where: at(s, acc, i, `${lpath}.allowedAccounts[${i}]`) });
      });
      layers.push(layer);
      layerByLogical.set(`${normalizedName(lkey)}LambdaLayer`, layer);
    }
  }
  for (const fn of functions)
    for (const l of fn.layers)
      if (isUnknown(l.arn) && l.arn.target && layerByLogical.has(l.arn.target)) l.layerId = layerByLogical.get(l.arn.target)?.id;

  // plugins that change what is deployed
  applyDomainManager(s, apis);
  resources.push(...alertAlarms(s, fnCfgs));
  resources.push(...stepFunctions(s, functions));

  // deployment bucket
  const db = deploymentBucket(s);
  if (db) resources.push(db);

  // resources: through the CloudFormation adapter
  const part: Partial<App> = { functions, identities, apis, layers, resources, sources: [] };
  const resNode = s.cfg.resources;
  if (resNode !== undefined && resNode !== null && !isUnknown(resNode) && !isObj(resNode) && !Array.isArray(resNode))
    s.diag(
      'warning',
      'resources must be a mapping (Resources, Outputs...) or a list of them; ignored',
      at(s, s.cfg, 'resources', 'resources'),
      'invalid-config',
    );
  else if (resNode !== undefined && resNode !== null && !isUnknown(resNode)) {
    const apiByLogical: Record<string, Api> = {};
    for (const api of apis) apiByLogical[api.id.slice(s.prefix.length)] = api;
    const res = loadCloudFormationResources(resNode, s.pos, ctx, {
      file: s.file,
      format: 'serverless',
      functions: byLogical,
      apis: apiByLogical,
      ...(role ? { identities: { IamRoleLambdaExecution: role } } : {}),
    });
    part.functions?.push(...(res.functions ?? []));
    part.identities?.push(...(res.identities ?? []));
    part.apis?.push(...(res.apis ?? []));
    part.layers?.push(...(res.layers ?? []));
    part.resources?.push(...(res.resources ?? []));
  }
  applyExtensions(s, byLogical, role);
  // function `role: MyRole` -> the identity defined in resources
  for (const { fn, logicalId, where } of logicalRoleUsers) {
    const idn = part.identities?.find((i) => i.id === `${s.prefix}${logicalId}`);
    if (idn) {
      fn.identity = idn.id;
      if (!idn.usedBy.includes(fn.id)) idn.usedBy.push(fn.id);
    } else {
      s.diag('warning', `role '${logicalId}' is not defined in resources; its permissions are unknown`, where, 'unknown-role');
      useExternal(s, externalIds, logicalId, where, fn);
      const ext = externalIds.get(logicalId);
      if (ext && !part.identities?.includes(ext)) part.identities?.push(ext);
    }
  }
  return part;
}

function roleOf(s: Svc, f: Obj, fpath: string) {
  const v = f.role;
  const where = at(s, f, 'role', `${fpath}.role`);
  if (typeof v === 'string') {
    if (v.startsWith('arn:')) return { kind: 'external' as const, arn: v, where };
    if (/^[A-Za-z0-9]+$/.test(v)) return { kind: 'logical' as const, logicalId: v, where };
  }
  if (isObj(v) && !isUnknown(v)) {
    const ga = v['Fn::GetAtt'];
    const target = Array.isArray(ga) ? ga[0] : typeof ga === 'string' ? ga.split('.')[0] : typeof v.Ref === 'string' ? v.Ref : undefined;
    if (typeof target === 'string' && isObj(s.t.resources[target])) return { kind: 'logical' as const, logicalId: target, where };
  }
  const arn = strAt(s, f, 'role') ?? String(v);
  return { kind: 'external' as const, arn, where };
}

function useExternal(s: Svc, map: Map<string, Identity>, arn: Maybe<string>, where: Where, fn: Fn): void {
  const key = typeof arn === 'string' ? arn : arn.expr;
  let idn = map.get(key);
  if (!idn) {
    idn = externalRole(s, arn, where);
    map.set(key, idn);
  }
  idn.usedBy.push(fn.id);
  fn.identity = idn.id;
}

function buildFunction(
  s: Svc,
  fkey: string,
  f: Obj,
  parent: Obj,
  functionKeys: Set<string>,
  apiIds: ApiIds,
  endpointType: Maybe<string> | undefined,
  onRequestValidation: () => void,
): Fn {
  const p = s.provider;
  const path = `functions.${fkey}`;
  const fn: Fn = {
    id: `${s.prefix}${fkey}`,
    name: fkey,
    provider: 'aws',
    format: 'serverless',
    env: [],
    layers: [],
    triggers: [],
    permissions: [],
    codeDir: s.dir,
    resourceId: `${normalizedName(fkey)}LambdaFunction`,
    where: atKey(s, parent, fkey, path),
  };
  const name = strAt(s, f, 'name', `${path}.name`);
  if (name !== undefined) fn.functionName = name;
  else if (typeof s.service === 'string' && typeof s.stage === 'string') fn.functionName = `${s.service}-${s.stage}-${fkey}`;

  // code: zip or image
  const image = f.image;
  if (image !== undefined && image !== null) {
    fn.packageType = 'image';
    const uri = imageUri(s, f, path);
    if (uri !== undefined) fn.imageUri = uri;
  } else {
    const rt = f.runtime !== undefined ? strAt(s, f, 'runtime', `${path}.runtime`) : strAt(s, p, 'runtime', 'provider.runtime');
    if (rt !== undefined) {
      fn.runtime = rt;
      fn.runtimeWhere = f.runtime !== undefined ? at(s, f, 'runtime', `${path}.runtime`) : at(s, p, 'runtime', 'provider.runtime');
    }
    fn.packageType = 'zip';
  }
  const handler = strAt(s, f, 'handler', `${path}.handler`);
  if (handler !== undefined) fn.handler = handler;

  // environment: provider level, overridden by function level
  const fenv = envOf(s, f, 'environment', `${path}.environment`, 'function');
  const penv = envOf(s, p, 'environment', 'provider.environment', 'provider').filter((e) => !fenv.some((x) => x.name === e.name));
  fn.env = [...penv, ...fenv];
  const kms = pick(s, f, p, 'kmsKeyArn', path, 'provider');
  if (kms !== undefined) fn.kmsKeyArn = kms;

  const timeout = f.timeout !== undefined ? numAt(s, f, 'timeout', `${path}.timeout`) : numAt(s, p, 'timeout', 'provider.timeout');
  if (timeout !== undefined) fn.timeout = timeout;
  const memory =
    f.memorySize !== undefined ? numAt(s, f, 'memorySize', `${path}.memorySize`) : numAt(s, p, 'memorySize', 'provider.memorySize');
  if (memory !== undefined) fn.memory = memory;
  const rc = f.reservedConcurrency !== undefined ? numAt(s, f, 'reservedConcurrency', `${path}.reservedConcurrency`) : undefined;
  if (rc !== undefined) fn.reservedConcurrency = rc;
  const pc = f.provisionedConcurrency !== undefined ? numAt(s, f, 'provisionedConcurrency', `${path}.provisionedConcurrency`) : undefined;
  if (pc !== undefined) fn.provisionedConcurrency = pc;

  // tracing
  const ptr = objAt(s, p, 'tracing', 'provider.tracing');
  const tr = f.tracing !== undefined ? tracingValue(s, f, 'tracing') : ptr ? tracingValue(s, ptr, 'lambda') : undefined;
  if (tr !== undefined) fn.tracing = tr;

  // vpc
  const vpcHolder = f.vpc !== undefined ? f : p;
  const vpc = objAt(s, vpcHolder, 'vpc', vpcHolder === f ? `${path}.vpc` : 'provider.vpc');
  if (vpc) {
    fn.vpc = {
      subnetIds: strListAt(s, vpc, 'subnetIds') ?? [],
      securityGroupIds: strListAt(s, vpc, 'securityGroupIds') ?? [],
      where: atKey(s, vpcHolder, 'vpc', vpcHolder === f ? `${path}.vpc` : 'provider.vpc'),
    };
  }

  // async failure handling
  const onError = strAt(s, f, 'onError', `${path}.onError`);
  if (onError !== undefined) fn.deadLetter = { target: onError, where: at(s, f, 'onError', `${path}.onError`) };
  const dest = objAt(s, f, 'destinations', `${path}.destinations`);
  if (dest || f.maximumRetryAttempts !== undefined) {
    const d: NonNullable<Fn['destinations']> = {
      where: dest ? atKey(s, f, 'destinations', `${path}.destinations`) : at(s, f, 'maximumRetryAttempts', `${path}.maximumRetryAttempts`),
    };
    for (const k of ['onSuccess', 'onFailure'] as const) {
      if (!dest || dest[k] === undefined || dest[k] === null) continue;
      const x = dest[k];
      const v = isObj(x) && !isUnknown(x) && x.arn !== undefined ? strAt(s, x, 'arn') : strAt(s, dest, k);
      if (v !== undefined) d[k] = v;
    }
    const mra = numAt(s, f, 'maximumRetryAttempts', `${path}.maximumRetryAttempts`);
    if (mra !== undefined) d.maximumRetryAttempts = mra;
    fn.destinations = d;
  }

  // function URL
  if (f.url !== undefined && f.url !== null && f.url !== false) fn.url = urlOf(s, f, path);

  // layers: the function's list replaces the provider's
  const lHolder = f.layers !== undefined ? f : p;
  const lpath = lHolder === f ? `${path}.layers` : 'provider.layers';
  const ls = listAt(s, lHolder, 'layers', lpath);
  ls?.forEach((_, i) => {
    const arn = strAt(s, ls, i);
    if (arn === undefined) return;
    const ref: LayerRef = { arn, where: at(s, ls, i, `${lpath}[${i}]`) };
    fn.layers.push(ref);
  });

  // logs
  const logs = logsOf(s, f, path);
  if (logs) fn.logs = logs;
  const rl = strAt(s, f, 'recursiveLoop', `${path}.recursiveLoop`);
  if (rl !== undefined) fn.recursiveLoop = rl;
  const arch = f.architecture !== undefined ? strAt(s, f, 'architecture') : strAt(s, p, 'architecture');
  if (arch !== undefined) fn.architectures = [arch];

  // tags
  const tags: Record<string, Maybe<string>> = {};
  for (const [holder, hp] of [
    [p, 'provider'],
    [f, path],
  ] as const) {
    const tg = objAt(s, holder, 'tags', `${hp}.tags`);
    if (tg) for (const k of Object.keys(tg)) tags[k] = strAt(s, tg, k) ?? '';
  }
  if (Object.keys(tags).length) fn.tags = tags;

  // packaging
  const packaging = packagingOf(s, f, path);
  if (packaging) {
    fn.packaging = packaging;
    if (typeof packaging.artifact === 'string') fn.codeArtifact = resolvePath(s.dir, packaging.artifact);
  }

  fn.triggers = loadEvents({ s, fkey, functionKeys, apiIds, endpointType, onRequestValidation }, f);
  return fn;
}

function pick(s: Svc, f: Obj, p: Obj, key: string, path: string, ppath: string): Maybe<string> | undefined {
  return f[key] !== undefined ? strAt(s, f, key, `${path}.${key}`) : strAt(s, p, key, `${ppath}.${key}`);
}

function tracingValue(s: Svc, parent: Obj, key: string): Maybe<string> | undefined {
  const v = parent[key];
  if (v === true) return 'Active';
  if (v === false || v === undefined || v === null) return undefined;
  const r = strAt(s, parent, key);
  if (r === 'true') return 'Active';
  if (r === 'false') return undefined;
  return r;
}

function envOf(s: Svc, parent: Obj, key: string, path: string, level: 'provider' | 'function'): EnvVar[] {
  const env = objAt(s, parent, key, path);
  if (!env) return [];
  const out: EnvVar[] = [];
  for (const name of Object.keys(env)) {
    const v = env[name];
    let value: Maybe<string> | undefined;
    if (v === null || v === undefined) value = '';
    else if (isObj(v) && !isUnknown(v) && !isIntrinsicLike(v)) {
      s.diag('warning', `${path}.${name} must be a string; ignored`, at(s, env, name, `${path}.${name}`), 'invalid-config');
      continue;
    } else value = strAt(s, env, name);
    out.push({ name, value: value ?? '', where: at(s, env, name, `${path}.${name}`), level });
  }
  return out;
}

function isIntrinsicLike(v: Obj): boolean {
  const keys = Object.keys(v);
  return keys.length === 1 && (keys[0] === 'Ref' || (keys[0] as string).startsWith('Fn::'));
}

function imageUri(s: Svc, f: Obj, path: string): Maybe<string> | undefined {
  const img = f.image;
  if (typeof img === 'string' || isUnknown(img)) {
    const v = strAt(s, f, 'image', `${path}.image`);
    if (typeof v === 'string' && !v.includes('/') && !v.includes('@') && !v.includes(':')) return providerImage(s, v) ?? v;
    return v;
  }
  if (isObj(img)) {
    if (img.uri !== undefined) return strAt(s, img, 'uri', `${path}.image.uri`);
    const name = strAt(s, img, 'name');
    if (typeof name === 'string') return providerImage(s, name);
  }
  return undefined;
}

/** `provider.ecr.images.<name>`: an explicit `uri`, or an image built from a local path (Unknown). */
function providerImage(s: Svc, name: string): Maybe<string> | undefined {
  const ecr = isObj(s.provider.ecr) ? s.provider.ecr : undefined;
  const images = ecr && isObj(ecr.images) ? ecr.images : undefined;
  const def = images?.[name];
  if (!isObj(def)) return undefined;
  if (def.uri !== undefined) return strAt(s, def, 'uri');
  return undefined;
}

function urlOf(s: Svc, f: Obj, path: string): FunctionUrl {
  const v = f.url;
  const where = atKey(s, f, 'url', `${path}.url`);
  const url: FunctionUrl = { auth: 'none', where };
  if (!isObj(v) || isUnknown(v)) return url;
  const auth = strAt(s, v, 'authorizer', `${path}.url.authorizer`);
  if (auth !== undefined) url.auth = typeof auth === 'string' ? (auth.toLowerCase() === 'aws_iam' ? 'iam' : 'none') : auth;
  const mode = strAt(s, v, 'invokeMode');
  if (mode !== undefined) url.invokeMode = mode;
  const cors = v.cors;
  const cw = at(s, v, 'cors', `${path}.url.cors`);
  if (cors === true) url.cors = { allowOrigins: ['*'], allowMethods: ['*'], allowHeaders: ['*'], where: cw };
  else if (isObj(cors) && !isUnknown(cors)) {
    // serverless defaults: origins and methods `*` unless set (`null` removes them)
    const c: NonNullable<FunctionUrl['cors']> = { where: cw };
    const origins =
      cors.allowedOrigins === undefined ? ['*'] : cors.allowedOrigins === null ? undefined : strListAt(s, cors, 'allowedOrigins');
    if (origins) c.allowOrigins = origins;
    const methods =
      cors.allowedMethods === undefined ? ['*'] : cors.allowedMethods === null ? undefined : strListAt(s, cors, 'allowedMethods');
    if (methods) c.allowMethods = methods;
    const headers = cors.allowedHeaders === null ? undefined : strListAt(s, cors, 'allowedHeaders');
    if (headers) c.allowHeaders = headers;
    const cred = boolAt(s, cors, 'allowCredentials');
    if (cred !== undefined) c.allowCredentials = cred;
    url.cors = c;
  }
  return url;
}

function logsOf(s: Svc, f: Obj, path: string): Fn['logs'] | undefined {
  const p = s.provider;
  const out: NonNullable<Fn['logs']> = { where: at(s, f, 'logRetentionInDays', `${path}.logRetentionInDays`) };
  let any = false;
  if (f.logRetentionInDays !== undefined) {
    const r = numAt(s, f, 'logRetentionInDays', `${path}.logRetentionInDays`);
    if (r !== undefined) out.retentionInDays = r;
    any = true;
  } else if (p.logRetentionInDays !== undefined) {
    const r = numAt(s, p, 'logRetentionInDays', 'provider.logRetentionInDays');
    if (r !== undefined) out.retentionInDays = r;
    out.where = at(s, p, 'logRetentionInDays', 'provider.logRetentionInDays');
    any = true;
  }
  const dp = f.logDataProtectionPolicy ?? p.logDataProtectionPolicy;
  if (dp !== undefined && dp !== null) {
    out.dataProtection = true;
    if (!any)
      out.where =
        f.logDataProtectionPolicy !== undefined
          ? at(s, f, 'logDataProtectionPolicy', `${path}.logDataProtectionPolicy`)
          : at(s, p, 'logDataProtectionPolicy', 'provider.logDataProtectionPolicy');
    any = true;
  }
  // v4: provider.logs.lambda / function logs
  const plogs = isObj(p.logs) ? p.logs : undefined;
  const lambdaLogs = isObj(f.logs) ? f.logs : plogs && isObj(plogs.lambda) ? plogs.lambda : undefined;
  if (lambdaLogs) {
    const g = strAt(s, lambdaLogs, 'logGroup');
    if (g !== undefined) out.logGroup = g;
    const fmt = strAt(s, lambdaLogs, 'logFormat');
    if (fmt !== undefined) out.format = fmt;
    if (g !== undefined || fmt !== undefined) any = true;
  }
  return any ? out : undefined;
}

function packagingOf(s: Svc, f: Obj, path: string): Fn['packaging'] | undefined {
  const svcPkg = isObj(s.cfg.package) ? s.cfg.package : undefined;
  const fpkg = objAt(s, f, 'package', `${path}.package`);
  if (!fpkg && !svcPkg) return undefined;
  const out: NonNullable<Fn['packaging']> = {};
  const patterns: string[] = [];
  for (const pkg of [svcPkg, fpkg]) {
    if (!pkg) continue;
    for (const k of ['patterns', 'include'] as const)
      for (const x of strListAt(s, pkg, k) ?? []) if (typeof x === 'string') patterns.push(x);
    for (const x of strListAt(s, pkg, 'exclude') ?? []) if (typeof x === 'string') patterns.push(`!${x}`);
  }
  if (patterns.length) out.patterns = patterns;
  const ind = fpkg?.individually ?? svcPkg?.individually;
  if (typeof ind === 'boolean') out.individually = ind;
  const art =
    fpkg?.artifact !== undefined ? strAt(s, fpkg, 'artifact') : svcPkg?.artifact !== undefined ? strAt(s, svcPkg, 'artifact') : undefined;
  if (art !== undefined) out.artifact = art;
  out.where = fpkg ? atKey(s, f, 'package', `${path}.package`) : atKey(s, s.cfg, 'package', 'package');
  return out;
}

/* APIs ------------------------------------------------------------------------------------- */

function restLogging(s: Svc, key: 'restApi' | 'websocket', stage: ApiStage): void {
  const logs = isObj(s.provider.logs) ? s.provider.logs : undefined;
  const v = logs?.[key];
  if (v === undefined || v === null || v === false) return;
  const cfg = isObj(v) ? v : {};
  const access = cfg.accessLogging === undefined ? true : cfg.accessLogging;
  if (access !== false) {
    const fmt = strAt(s, cfg, 'format');
    stage.accessLogging = {
      destination: `/aws/api-gateway/${typeof s.service === 'string' ? s.service : '<service>'}-${typeof s.stage === 'string' ? s.stage : '<stage>'}`,
    };
    if (fmt !== undefined) stage.accessLogging.format = fmt;
  }
  const exec = cfg.executionLogging === undefined ? true : cfg.executionLogging;
  if (exec !== false) {
    const level = strAt(s, cfg, 'level');
    stage.loggingLevel = level ?? 'INFO';
    const full = cfg.fullExecutionData === undefined ? true : boolAt(s, cfg, 'fullExecutionData');
    if (full !== undefined) stage.dataTraceEnabled = full;
  } else stage.loggingLevel = 'OFF';
}

function stageWhere(s: Svc, fallback: Where): Where {
  return s.provider.stage !== undefined ? at(s, s.provider, 'stage', 'provider.stage') : { ...fallback, path: 'provider.stage' };
}

function restApiOf(s: Svc, apiGateway: Obj | undefined): Api {
  const p = s.provider;
  const where = apiGateway ? atKey(s, p, 'apiGateway', 'provider.apiGateway') : atKey(s, s.cfg, 'provider', 'provider');
  const api: Api = { id: `${s.prefix}ApiGatewayRestApi`, kind: 'rest', stages: [], where };
  const name =
    strAt(s, p, 'apiName') ?? (typeof s.service === 'string' && typeof s.stage === 'string' ? `${s.stage}-${s.service}` : undefined);
  if (name !== undefined) api.name = name;
  const ept = strAt(s, p, 'endpointType') ?? (apiGateway ? strAt(s, apiGateway, 'endpointType') : undefined);
  api.endpointType = typeof ept === 'string' ? ept.toUpperCase() : (ept ?? 'EDGE');
  const stage: ApiStage = { name: s.stage, where: stageWhere(s, where) };
  const ptr = isObj(p.tracing) ? p.tracing : undefined;
  const trace = ptr ? boolAt(s, ptr, 'apiGateway') : undefined;
  stage.tracingEnabled = trace ?? false;
  restLogging(s, 'restApi', stage);
  // usage plan throttling (v3 `provider.apiGateway.usagePlan`, legacy `provider.usagePlan`)
  const up = apiGateway?.usagePlan ?? p.usagePlan;
  const plans = Array.isArray(up) ? up.flatMap((x) => (isObj(x) ? Object.values(x) : [])) : [up];
  for (const plan of plans) {
    if (!isObj(plan) || !isObj(plan.throttle)) continue;
    const th = plan.throttle;
    const rate = numAt(s, th, 'rateLimit');
    const burst = numAt(s, th, 'burstLimit');
    api.usagePlanThrottling = { ...(rate !== undefined ? { rateLimit: rate } : {}), ...(burst !== undefined ? { burstLimit: burst } : {}) };
    break;
  }
  // API keys with values
  const keysHolder = apiGateway?.apiKeys !== undefined ? apiGateway : p.apiKeys !== undefined ? p : undefined;
  if (keysHolder) {
    const keys = listAt(s, keysHolder, 'apiKeys', keysHolder === p ? 'provider.apiKeys' : 'provider.apiGateway.apiKeys');
    const out: NonNullable<Api['apiKeys']> = [];
    const visit = (k: unknown, parent: unknown, idx: number | string, path: string): void => {
      if (typeof k === 'string' || isUnknown(k)) out.push({ name: strAt(s, parent, idx) ?? '', where: at(s, parent, idx, path) });
      else if (isObj(k)) {
        if (k.value !== undefined || k.name !== undefined) {
          const e: NonNullable<Api['apiKeys']>[number] = { where: at(s, k, k.value !== undefined ? 'value' : 'name', path) };
          const n = strAt(s, k, 'name');
          if (n !== undefined) e.name = n;
          const v = strAt(s, k, 'value');
          if (v !== undefined) e.value = v;
          out.push(e);
        } else
          for (const [plan, list] of Object.entries(k))
            if (Array.isArray(list)) for (const [i, x] of list.entries()) visit(x, list, i, `${path}.${plan}[${i}]`);
      }
    };
    for (const [i, k] of (keys ?? []).entries()) visit(k, keys, i, `provider.apiGateway.apiKeys[${i}]`);
    if (out.length) api.apiKeys = out;
  }
  // resource policy
  const rpHolder = apiGateway?.resourcePolicy !== undefined ? apiGateway : p.resourcePolicy !== undefined ? p : undefined;
  if (rpHolder) {
    const list = listAt(s, rpHolder, 'resourcePolicy', 'provider.apiGateway.resourcePolicy');
    if (list) {
      api.policy = [];
      // statements are plain IAM statements with Principal
      for (const [i, st] of list.entries()) {
        if (!isObj(st)) continue;
        const stmts = statementsFrom(s, list, i);
        api.policy.push(...stmts);
      }
    }
  }
  if (apiGateway?.disableDefaultEndpoint !== undefined) {
    const d = boolAt(s, apiGateway, 'disableDefaultEndpoint');
    if (d !== undefined) api.disableExecuteApiEndpoint = d;
  }
  api.stages.push(stage);
  return api;
}

function statementsFrom(s: Svc, list: unknown[], i: number) {
  // reuse the IAM statement reader on a one-statement list
  const holder = { statements: [list[i]] };
  s.pos.set(holder.statements, { where: s.pos.at(list, i), items: [s.pos.at(list, i)] });
  return statementsAtLocal(s, holder, `provider.apiGateway.resourcePolicy[${i}]`);
}

function statementsAtLocal(s: Svc, holder: Obj, path: string) {
  return statementsAt(s, holder, 'statements', path, 'resourcePolicy').map((st) => ({ ...st, where: { ...st.where, path } }));
}

function httpApiOf(s: Svc, cfg: Obj | undefined): Api {
  const p = s.provider;
  const where = cfg ? atKey(s, p, 'httpApi', 'provider.httpApi') : atKey(s, s.cfg, 'provider', 'provider');
  const api: Api = { id: `${s.prefix}HttpApi`, kind: 'http', stages: [], endpointType: 'REGIONAL', where };
  const name = cfg ? strAt(s, cfg, 'name') : undefined;
  if (name !== undefined) api.name = name;
  else if (typeof s.service === 'string' && typeof s.stage === 'string') api.name = `${s.stage}-${s.service}`;
  if (cfg?.disableDefaultEndpoint !== undefined) {
    const d = boolAt(s, cfg, 'disableDefaultEndpoint');
    if (d !== undefined) api.disableExecuteApiEndpoint = d;
  }
  // HTTP APIs deploy to the `$default` stage
  const stage: ApiStage = { name: '$default', where: { ...where } };
  const logs = isObj(p.logs) ? p.logs : undefined;
  const hl = logs?.httpApi;
  if (hl !== undefined && hl !== null && hl !== false) {
    stage.accessLogging = {
      destination: `/aws/http-api/${typeof s.service === 'string' ? s.service : '<service>'}-${typeof s.stage === 'string' ? s.stage : '<stage>'}`,
    };
    if (isObj(hl)) {
      const fmt = strAt(s, hl, 'format');
      if (fmt !== undefined) stage.accessLogging.format = fmt;
    }
  }
  api.stages.push(stage);
  return api;
}

function websocketApiOf(s: Svc): Api {
  const where = atKey(s, s.cfg, 'provider', 'provider');
  const api: Api = { id: `${s.prefix}WebsocketsApi`, kind: 'websocket', stages: [], where };
  const name = strAt(s, s.provider, 'websocketsApiName');
  if (name !== undefined) api.name = name;
  const stage: ApiStage = { name: s.stage, where: stageWhere(s, where) };
  restLogging(s, 'websocket', stage);
  api.stages.push(stage);
  return api;
}

function deploymentBucket(s: Svc): Resource | undefined {
  const p = s.provider;
  const v = p.deploymentBucket;
  const where = atKey(s, p, 'deploymentBucket', 'provider.deploymentBucket');
  const res: Resource = {
    id: `${s.prefix}deploymentBucket`,
    type: 'deployment-bucket',
    sourceType: 'serverless:deploymentBucket',
    format: 'serverless',
    props: {},
    where: v === undefined ? atKey(s, s.cfg, 'provider', 'provider') : where,
  };
  if (v === undefined || v === null) {
    // Serverless creates one: it enforces TLS and encrypts (SSE-S3) but does not block public access by default (v3)
    res.props.encryption = 'aws-managed';
    res.props.managedByServerless = true;
    return res;
  }
  if (typeof v === 'string' || isUnknown(v)) {
    res.name = strAt(s, p, 'deploymentBucket') ?? '';
    res.props.external = true;
    return res;
  }
  if (!isObj(v)) {
    s.diag('warning', 'provider.deploymentBucket must be a bucket name or a mapping; ignored', where, 'invalid-config');
    return undefined;
  }
  const name = strAt(s, v, 'name');
  if (name !== undefined) res.name = name;
  const bpa = boolAt(s, v, 'blockPublicAccess');
  if (bpa !== undefined) res.props.blockPublicAccess = bpa;
  const sse = v.serverSideEncryption;
  if (sse === undefined) res.props.encryption = 'aws-managed';
  else {
    const alg = strAt(s, v, 'serverSideEncryption');
    res.props.encryption =
      typeof alg === 'string' ? (alg === 'aws:kms' && v.sseKMSKeyId !== undefined ? 'cmk' : 'aws-managed') : (alg ?? 'aws-managed');
    const kms = strAt(s, v, 'sseKMSKeyId');
    if (kms !== undefined) res.props.kmsKeyId = kms;
  }
  if (name !== undefined) res.props.external = true;
  return res;
}

/**
 * `resources.extensions`: Serverless merges these properties into the resources it generates.
 * Read for functions (`<Name>LambdaFunction`) and the default role (`IamRoleLambdaExecution`).
 */
function applyExtensions(s: Svc, byLogical: Record<string, Fn>, role: Identity | undefined): void {
  const blocks = Array.isArray(s.cfg.resources) ? s.cfg.resources : [s.cfg.resources];
  for (const block of blocks) {
    if (!isObj(block) || isUnknown(block)) continue;
    const ext = objAt(s, block, 'extensions', 'resources.extensions');
    if (!ext) continue;
    for (const [id, node] of Object.entries(ext)) {
      const path = `resources.extensions.${id}`;
      if (!isObj(node) || isUnknown(node)) continue;
      const props = objAt(s, node, 'Properties', `${path}.Properties`);
      if (!props) continue;
      const fn = byLogical[id];
      if (fn) extendFunction(s, fn, props, `${path}.Properties`);
      else if (id === 'IamRoleLambdaExecution' && role) {
        const pb = strAt(s, props, 'PermissionsBoundary', `${path}.Properties.PermissionsBoundary`);
        if (pb !== undefined) role.permissionsBoundary = pb;
      }
    }
  }
}

function extendFunction(s: Svc, fn: Fn, p: Obj, path: string): void {
  const w = (k: string) => at(s, p, k, `${path}.${k}`);
  if (p.CodeSigningConfigArn !== undefined) {
    const c = strAt(s, p, 'CodeSigningConfigArn', `${path}.CodeSigningConfigArn`);
    if (c !== undefined) fn.codeSigning = { config: c, where: w('CodeSigningConfigArn') };
  }
  const num = (k: string) => (p[k] !== undefined ? numAt(s, p, k, `${path}.${k}`) : undefined);
  const timeout = num('Timeout');
  if (timeout !== undefined) fn.timeout = timeout;
  const memory = num('MemorySize');
  if (memory !== undefined) fn.memory = memory;
  const rc = num('ReservedConcurrentExecutions');
  if (rc !== undefined) fn.reservedConcurrency = rc;
  const kms = p.KmsKeyArn !== undefined ? strAt(s, p, 'KmsKeyArn', `${path}.KmsKeyArn`) : undefined;
  if (kms !== undefined) fn.kmsKeyArn = kms;
  const rl = p.RecursiveLoop !== undefined ? strAt(s, p, 'RecursiveLoop', `${path}.RecursiveLoop`) : undefined;
  if (rl !== undefined) fn.recursiveLoop = rl;
  const tc = isObj(p.TracingConfig) ? p.TracingConfig : undefined;
  const mode = tc ? strAt(s, tc, 'Mode') : undefined;
  if (mode !== undefined) fn.tracing = mode;
  const lc = isObj(p.LoggingConfig) ? p.LoggingConfig : undefined;
  if (lc) {
    fn.logs ??= { where: w('LoggingConfig') };
    const g = strAt(s, lc, 'LogGroup');
    if (g !== undefined) fn.logs.logGroup = g;
    const f = strAt(s, lc, 'LogFormat');
    if (f !== undefined) fn.logs.format = f;
  }
}
