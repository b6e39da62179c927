/**
 * One CloudFormation / SAM / CDK template (already parsed into plain values with positions) into
 * a Model fragment. See index.ts for the public API.
 */
import { basename, dirname, resolve } from 'node:path';
import type { Api, App, Diagnostic, Fn, Identity, Layer, Resource, SourceFormat, Trigger, Where } from '../../model/types.js';
import type { PositionMap } from '../yaml/positions.js';
import { fnIn, linkApiResource, linkBodyOperations, loadHttpApiV2, loadMethod, loadRestApi, loadRoute } from './apigw.js';
import { Builder, type ResourceEntry, refOf } from './builder.js';
import { condition, isObj, list, num, type Obj, str, type Tpl } from './intrinsics.js';
import {
  linkEventInvokeConfig,
  linkEventSourceMapping,
  linkPermission,
  linkPolicy,
  linkUrl,
  loadLambdaFunction,
  loadRole,
} from './lambda.js';
import {
  isPolicyType,
  LINK_TYPES,
  linkResourcePolicy,
  linkResourceToFunctions,
  loadParameters,
  loadResource,
  RESOURCE_TYPES,
} from './resources.js';
import { type ImplicitApis, loadSamApi, loadSamFunction, loadSamHttpApi, samEvents } from './sam.js';

export interface TemplateOptions {
  /** Absolute path of the template (positions and diagnostics point here). */
  file: string;
  /** Scan root (ids use the path relative to it). */
  root: string;
  /** Force a format (`serverless` for a serverless.yml `resources:` section); detected otherwise. */
  format?: SourceFormat;
  /** The file is CDK output (`cdk.out/...`). */
  cdk?: boolean;
  /**
   * Model objects built elsewhere, addressable by logical id (serverless: `HelloLambdaFunction`,
   * `IamRoleLambdaExecution`): permissions, URLs, triggers, log groups and IAM policies in the
   * template attach to them. They are not returned in the fragment.
   */
  functions?: Record<string, Fn>;
  identities?: Record<string, Identity>;
  /** APIs built elsewhere by logical id (serverless: `ApiGatewayRestApi`, `HttpApi`): stages, WAF, keys, domains attach to them. */
  apis?: Record<string, Api>;
}

const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

function relPath(root: string, file: string): string {
  const r = file.startsWith(root) ? file.slice(root.length).replace(/^[\\/]+/, '') : file;
  return r.split('\\').join('/');
}

function section(t: Pick<Tpl, 'pos' | 'diag'>, doc: Obj, key: string, file: string): Obj {
  const v = doc[key];
  if (v === undefined || v === null) return {};
  if (!isObj(v)) {
    t.diag('warning', `${key} must be a mapping; ignored`, { ...t.pos.at(doc, key), file, path: key }, 'invalid-template');
    return {};
  }
  return v;
}

/** Detect the format of a parsed template. */
export function detectFormat(doc: Obj, opts: Pick<TemplateOptions, 'cdk' | 'format'>): SourceFormat {
  if (opts.format) return opts.format;
  const res = isObj(doc.Resources) ? doc.Resources : {};
  if (opts.cdk) return 'cdk';
  for (const r of Object.values(res)) if (isObj(r) && isObj(r.Metadata) && typeof r.Metadata['aws:cdk:path'] === 'string') return 'cdk';
  const tr = doc.Transform;
  const trs = Array.isArray(tr) ? tr : [tr];
  if (trs.some((x) => x === SAM_TRANSFORM)) return 'sam';
  for (const r of Object.values(res)) if (isObj(r) && typeof r.Type === 'string' && r.Type.startsWith('AWS::Serverless::')) return 'sam';
  return 'cloudformation';
}

/** Load a parsed template into a Model fragment. Never throws for bad content: emits diagnostics. */
export function loadTemplate(doc: unknown, pos: PositionMap, diagnostic: (d: Diagnostic) => void, opts: TemplateOptions): Partial<App> {
  const file = opts.file;
  const diag = (level: Diagnostic['level'], message: string, where: Where, code: string): void => {
    diagnostic({ level, file: where.file || file, line: where.line, column: where.column, message, code });
  };
  if (!isObj(doc)) {
    diag('error', 'not a CloudFormation template: the top level must be a mapping', { file, line: 1, column: 1 }, 'invalid-template');
    return {};
  }
  const format = detectFormat(doc, opts);
  const probe = { pos, diag };
  const t: Tpl = {
    file,
    rel: relPath(opts.root, file),
    dir: dirname(file),
    format,
    pos,
    parameters: section(probe, doc, 'Parameters', file),
    mappings: section(probe, doc, 'Mappings', file),
    conditions: section(probe, doc, 'Conditions', file),
    resources: section(probe, doc, 'Resources', file),
    diag,
  };
  const b = new Builder(t);
  const external = new Set<string>();
  for (const [id, fn] of Object.entries(opts.functions ?? {})) {
    b.functions.set(id, fn);
    external.add(`fn:${id}`);
  }
  for (const [id, idn] of Object.entries(opts.identities ?? {})) {
    b.identities.set(id, idn);
    external.add(`idn:${id}`);
  }
  for (const [id, api] of Object.entries(opts.apis ?? {})) {
    b.apis.set(id, api);
    external.add(`api:${id}`);
  }

  // entries
  for (const [id, node] of Object.entries(t.resources)) {
    const keyWhere = pos.atKey(t.resources, id);
    if (id.startsWith('Fn::')) {
      // AWS::Include / AWS::LanguageExtensions (Fn::ForEach) are expanded at deploy time only
      diag(
        'info',
        `${id.split('::').slice(0, 2).join('::')} in Resources is not expanded; the resources it creates are not checked`,
        keyWhere,
        'unsupported-transform',
      );
      continue;
    }
    if (!isObj(node)) {
      diag('warning', `resource ${id} must be a mapping; ignored`, keyWhere, 'invalid-resource');
      continue;
    }
    if (typeof node.Type !== 'string') {
      diag('warning', `resource ${id} has no Type; ignored`, keyWhere, 'invalid-resource');
      continue;
    }
    if (typeof node.Condition === 'string' && condition(t, node.Condition) === false) {
      diag('info', `resource ${id} is not created (condition ${node.Condition} is false)`, keyWhere, 'condition-false');
      continue;
    }
    let props: Obj = {};
    if (isObj(node.Properties)) props = node.Properties;
    else if (node.Properties !== undefined && node.Properties !== null)
      diag('warning', `Properties of ${id} must be a mapping; ignored`, pos.at(node, 'Properties'), 'invalid-resource');
    const md = isObj(node.Metadata) ? node.Metadata : undefined;
    const cdkPath = typeof md?.['aws:cdk:path'] === 'string' ? (md['aws:cdk:path'] as string) : undefined;
    const entry: ResourceEntry = { id, type: node.Type, props, node, where: { ...keyWhere, path: cdkPath ?? `Resources.${id}` } };
    if (cdkPath) entry.cdkPath = cdkPath;
    if (b.functions.has(id) && external.has(`fn:${id}`)) external.delete(`fn:${id}`); // the template defines it after all
    b.entries.set(id, entry);
  }
  const entries = [...b.entries.values()];
  const globals = format === 'sam' ? section(probe, doc, 'Globals', file) : {};
  const gFn = isObj(globals.Function) ? globals.Function : undefined;
  const gApi = isObj(globals.Api) ? globals.Api : undefined;
  const gHttp = isObj(globals.HttpApi) ? globals.HttpApi : undefined;

  // pass 1a: identities and functions
  for (const e of entries) {
    if (e.type === 'AWS::IAM::Role') b.identities.set(e.id, loadRole(b, e));
  }
  for (const e of entries) {
    try {
      if (e.type === 'AWS::Lambda::Function') b.functions.set(e.id, cdkCode(e, loadLambdaFunction(b, e), opts));
      else if (e.type === 'AWS::Serverless::Function') b.functions.set(e.id, cdkCode(e, loadSamFunction(b, e, gFn), opts));
    } catch (err) {
      diag('error', `could not load function ${e.id}: ${(err as Error)?.message ?? err}`, e.where, 'adapter-error');
    }
  }
  // pass 1b: APIs, layers, supporting resources
  const layers = new Map<string, Layer>();
  for (const e of entries) {
    try {
      switch (e.type) {
        case 'AWS::ApiGateway::RestApi':
          b.apis.set(e.id, loadRestApi(b, e));
          break;
        case 'AWS::ApiGatewayV2::Api':
          b.apis.set(e.id, loadHttpApiV2(b, e));
          break;
        case 'AWS::Serverless::Api':
          b.apis.set(e.id, loadSamApi(b, e, gApi));
          break;
        case 'AWS::Serverless::HttpApi':
          b.apis.set(e.id, loadSamHttpApi(b, e, gHttp));
          break;
        case 'AWS::Lambda::LayerVersion':
        case 'AWS::Serverless::LayerVersion':
          layers.set(e.id, loadLayer(b, e, opts));
          break;
        default:
          if (RESOURCE_TYPES[e.type]) {
            const r = loadResource(b, e);
            if (r) b.resources.set(e.id, r);
          }
      }
    } catch (err) {
      diag('error', `could not load ${e.type} ${e.id}: ${(err as Error)?.message ?? err}`, e.where, 'adapter-error');
    }
  }

  // pass 2: links
  const implicit: ImplicitApis = {};
  if (gApi) implicit.globalsApi = gApi;
  if (gHttp) implicit.globalsHttpApi = gHttp;
  const pendingHttp: [Fn, Trigger][] = [];
  const fnOf = (v: unknown): Fn | undefined => {
    const target = refOf(v);
    if (target) return b.fnByTarget(target);
    const s = str(t, v);
    return typeof s === 'string' ? b.fnByLiteralName(s) : undefined;
  };
  for (const e of entries) {
    try {
      const p = e.props;
      switch (e.type) {
        case 'AWS::Serverless::Function': {
          const fn = b.functions.get(e.id);
          if (fn) samEvents(b, e, fn, implicit);
          break;
        }
        case 'AWS::IAM::Policy':
        case 'AWS::IAM::ManagedPolicy':
          linkPolicy(b, e);
          break;
        case 'AWS::Lambda::Permission': {
          const fn = fnOf(p.FunctionName);
          if (!fn) break;
          const trig = linkPermission(b, e, fn);
          if (trig) pendingHttp.push([fn, trig]);
          break;
        }
        case 'AWS::Lambda::Url': {
          const fn = fnOf(p.TargetFunctionArn);
          if (fn) linkUrl(b, e, fn);
          break;
        }
        case 'AWS::Lambda::EventSourceMapping': {
          const fn = fnOf(p.FunctionName);
          if (fn) linkEventSourceMapping(b, e, fn);
          break;
        }
        case 'AWS::Lambda::EventInvokeConfig': {
          const fn = fnOf(p.FunctionName);
          if (fn) linkEventInvokeConfig(b, p, fn, e.where);
          break;
        }
        case 'AWS::Lambda::Alias': {
          const fn = fnOf(p.FunctionName);
          const pc = p.ProvisionedConcurrencyConfig;
          if (fn && isObj(pc)) {
            const v = num(t, pc.ProvisionedConcurrentExecutions, pc, 'ProvisionedConcurrentExecutions');
            if (v !== undefined) fn.provisionedConcurrency = v;
          }
          break;
        }
        case 'AWS::Lambda::LayerVersionPermission': {
          const layer = layers.get(refOf(p.LayerVersionArn) ?? '');
          if (layer) {
            const perm: Layer['permissions'][number] = { principal: str(t, p.Principal, p, 'Principal') ?? '', where: e.where };
            const org = str(t, p.OrganizationId, p, 'OrganizationId');
            if (org !== undefined) perm.organizationId = org;
            layer.permissions.push(perm);
          }
          break;
        }
        case 'AWS::ApiGateway::Method':
          loadMethod(b, e);
          break;
        case 'AWS::ApiGatewayV2::Route':
          loadRoute(b, e);
          break;
        case 'AWS::ApiGateway::Stage':
        case 'AWS::ApiGateway::Deployment':
        case 'AWS::ApiGateway::ApiKey':
        case 'AWS::ApiGateway::UsagePlan':
        case 'AWS::ApiGatewayV2::Stage':
          linkApiResource(b, e);
          break;
        default:
          if (isPolicyType(e.type)) linkResourcePolicy(b, e);
          else if (RESOURCE_TYPES[e.type] || LINK_TYPES.has(e.type)) linkResourceToFunctions(b, e);
      }
    } catch (err) {
      diag('error', `could not link ${e.type} ${e.id}: ${(err as Error)?.message ?? err}`, e.where, 'adapter-error');
    }
  }
  // pass 3: things that need stages/APIs complete
  for (const e of entries) {
    if (
      e.type === 'AWS::WAFv2::WebACLAssociation' ||
      e.type === 'AWS::ApiGateway::DomainName' ||
      e.type === 'AWS::ApiGatewayV2::DomainName'
    ) {
      try {
        linkApiResource(b, e);
      } catch (err) {
        diag('error', `could not link ${e.type} ${e.id}: ${(err as Error)?.message ?? err}`, e.where, 'adapter-error');
      }
    }
  }
  for (const [id, api] of b.apis) linkBodyOperations(b, id, api);
  // API Gateway authorizer functions: invoked by API Gateway before auth, not routes themselves
  const authorizerFns = authorizerFunctions(b, entries);
  for (const [fn, trig] of authorizerFns) fn.triggers.push(trig);
  // permission-implied triggers only where methods/routes/rules/notifications did not declare one
  const HTTP = new Set(['rest-api', 'http-api', 'websocket']);
  for (const [fn, trig] of pendingHttp) {
    if (
      HTTP.has(trig.kind) &&
      (authorizerFns.has(fn) || JSON.stringify(b.entries.get(trig.resourceId ?? '')?.props.SourceArn ?? '').includes('/authorizers/'))
    )
      continue;
    if (!fn.triggers.some((x) => x.kind === trig.kind || (HTTP.has(x.kind) && HTTP.has(trig.kind)))) fn.triggers.push(trig);
  }
  // code signing enforcement from a config in this template
  for (const fn of b.functions.values()) {
    if (!fn.codeSigning) continue;
    const e = b.entries.get(fn.resourceId ?? '');
    const ref = e ? refOf(e.props.CodeSigningConfigArn) : undefined;
    const csc = ref ? b.resources.get(ref) : undefined;
    const pol = csc?.props.untrustedArtifactOnDeployment;
    if (pol === 'Enforce' || pol === 'Warn') fn.codeSigning.enforcement = pol;
  }
  // usedBy
  const idnById = new Map<string, Identity>();
  for (const idn of b.identities.values()) idnById.set(idn.id, idn);
  for (const fn of b.functions.values()) {
    const idn = fn.identity ? idnById.get(fn.identity) : undefined;
    if (idn && !idn.usedBy.includes(fn.id)) idn.usedBy.push(fn.id);
  }

  const params = loadParameters(b, t.parameters);
  const functions = [...b.functions.entries()].filter(([id]) => !external.has(`fn:${id}`)).map(([, f]) => f);
  const identities = [...b.identities.entries()].filter(([id]) => !external.has(`idn:${id}`)).map(([, i]) => i);
  const resources: Resource[] = [...params, ...b.resources.values()];
  return {
    functions,
    identities,
    apis: [...b.apis.entries()].filter(([id]) => !external.has(`api:${id}`)).map(([, a]) => a),
    layers: [...layers.values()],
    resources,
    sources: [{ file, format, ...(format === 'cdk' ? { unit: basename(file).replace(/\.template\.json$/i, '') } : {}) }],
  };
}

/**
 * Functions used as API Gateway authorizers (REST/HTTP `Authorizer.AuthorizerUri`, SAM
 * `Auth.Authorizers.*.FunctionArn`), with the trigger that describes it: API Gateway calls them
 * with the caller's token before any authorization (`detail.apiGatewayAuthorizer`).
 */
function authorizerFunctions(b: Builder, entries: ResourceEntry[]): Map<Fn, Trigger> {
  const out = new Map<Fn, Trigger>();
  const add = (v: unknown, name: string, where: Where): void => {
    const fn = fnIn(b, v);
    if (fn && !out.has(fn))
      out.set(fn, { kind: 'other', auth: { type: 'iam' }, public: false, detail: { apiGatewayAuthorizer: name }, resourceId: name, where });
  };
  for (const e of entries) {
    if (e.type === 'AWS::ApiGateway::Authorizer' || e.type === 'AWS::ApiGatewayV2::Authorizer') add(e.props.AuthorizerUri, e.id, e.where);
    else if (e.type === 'AWS::Serverless::Api' || e.type === 'AWS::Serverless::HttpApi') {
      const auth = e.props.Auth;
      const azs = isObj(auth) && isObj(auth.Authorizers) ? auth.Authorizers : {};
      for (const [name, a] of Object.entries(azs))
        if (isObj(a) && a.FunctionArn !== undefined)
          add(a.FunctionArn, name, b.at(azs, name, `Resources.${e.id}.Properties.Auth.Authorizers.${name}`));
    }
  }
  return out;
}

/** CDK asset metadata (`aws:asset:path`, relative to the assembly dir) -> `codeDir`/`codeArtifact`. */
function cdkCode(e: ResourceEntry, fn: Fn, opts: TemplateOptions): Fn {
  const md = e.node.Metadata;
  if (!isObj(md)) return fn;
  const asset = md['aws:asset:path'];
  const prop = md['aws:asset:property'];
  if (typeof asset !== 'string' || (prop !== undefined && prop !== 'Code' && prop !== 'CodeUri')) return fn;
  const abs = resolve(dirname(opts.file), asset);
  if (/\.(zip|jar)$/i.test(asset)) fn.codeArtifact = abs;
  else fn.codeDir = abs;
  return fn;
}

function loadLayer(b: Builder, e: ResourceEntry, opts: TemplateOptions): Layer {
  const t = b.t;
  const p = e.props;
  const layer: Layer = { id: b.id(e.id), permissions: [], where: e.where };
  const name = str(t, p.LayerName, p, 'LayerName');
  if (name !== undefined) layer.name = name;
  const rts = list(t, p.CompatibleRuntimes, p, 'CompatibleRuntimes');
  if (rts) layer.compatibleRuntimes = rts;
  const content = p.ContentUri;
  if (typeof content === 'string' && !/^s3:\/\//i.test(content)) layer.contentDir = resolve(t.dir, content);
  const md = e.node.Metadata;
  if (isObj(md) && typeof md['aws:asset:path'] === 'string') layer.contentDir = resolve(dirname(opts.file), md['aws:asset:path'] as string);
  return layer;
}
