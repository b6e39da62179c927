/**
 * Mutable state while one template is loaded: the Model objects created so far, indexed by logical
 * id, and small helpers shared by the CloudFormation, SAM and supporting-resource loaders.
 */
import type { Api, ApiStage, Fn, Identity, Layer, ModelSuppression, Resource, SourceFormat, Trigger, Where } from '../../model/types.js';
import { isObj, type Obj, type Tpl } from './intrinsics.js';
import type { OpenApiOperation } from './openapi.js';
import type { AuthConfig } from './sam.js';

export interface ResourceEntry {
  id: string;
  type: string;
  props: Obj;
  /** The resource node itself (for positions of Type/Properties/Metadata). */
  node: Obj;
  where: Where;
  cdkPath?: string;
}

export class Builder {
  readonly t: Tpl;
  /** `<format>:<rel>#` */
  readonly prefix: string;
  readonly functions = new Map<string, Fn>();
  readonly identities = new Map<string, Identity>();
  readonly apis = new Map<string, Api>();
  readonly layers = new Map<string, Layer>();
  readonly resources = new Map<string, Resource>();
  /** All resource entries by logical id. */
  readonly entries = new Map<string, ResourceEntry>();
  /** SAM Api/HttpApi `Auth` blocks, by API. */
  readonly authConfigs = new Map<Api, AuthConfig>();
  /** Operations of readable inline OpenAPI definitions (SAM DefinitionBody, CFN Body), by API. */
  readonly openApiOps = new Map<Api, OpenApiOperation[]>();

  constructor(t: Tpl) {
    this.t = t;
    this.prefix = `${t.format}:${t.rel}#`;
  }

  get format(): SourceFormat {
    return this.t.format;
  }

  /** The Model id for a logical id. */
  id(logicalId: string): string {
    return `${this.prefix}${logicalId}`;
  }

  typeOf(logicalId: string | undefined): string | undefined {
    return logicalId ? this.entries.get(logicalId)?.type : undefined;
  }

  /** Position of a property of a resource, with a logical path. */
  propWhere(e: ResourceEntry, key: string, sub?: string): Where {
    const w = this.t.pos.at(e.props, key);
    return { ...w, path: e.cdkPath ?? `Resources.${e.id}.Properties.${key}${sub ? `.${sub}` : ''}` };
  }

  /** Position inside an arbitrary object of a resource, with a logical path. */
  at(obj: unknown, key: string | number | undefined, path: string): Where {
    return { ...this.t.pos.at(obj, key), path };
  }

  /** The function a value points at: `!Ref Fn`, `!GetAtt Fn.Arn`, `${Fn.Arn}`, an alias/version of it, or its literal name. */
  fnByTarget(target: string | undefined): Fn | undefined {
    if (!target) return undefined;
    const direct = this.functions.get(target);
    if (direct) return direct;
    const e = this.entries.get(target);
    if (e && (e.type === 'AWS::Lambda::Alias' || e.type === 'AWS::Lambda::Version')) {
      const fnRef = refOf(e.props.FunctionName);
      if (fnRef && fnRef !== target) return this.functions.get(fnRef);
    }
    return undefined;
  }

  fnByLiteralName(name: string): Fn | undefined {
    const short = name.includes(':function:') ? (name.split(':function:')[1]?.split(':')[0] ?? name) : name;
    for (const fn of this.functions.values()) if (fn.functionName === short) return fn;
    return undefined;
  }

  addTrigger(fn: Fn, trigger: Trigger): void {
    fn.triggers.push(trigger);
  }

  stage(api: Api, name: string | undefined, where: Where): ApiStage {
    const existing = name === undefined ? undefined : api.stages.find((s) => s.name === name);
    if (existing) return existing;
    const st: ApiStage = { name: name ?? '$default', where };
    api.stages.push(st);
    return st;
  }
}

/** The logical id a value references (Ref/GetAtt/simple Sub), if any. */
export function refOf(v: unknown): string | undefined {
  if (!isObj(v)) return undefined;
  const keys = Object.keys(v);
  if (keys.length !== 1) return undefined;
  const k = keys[0];
  const a = v[k as string];
  if (k === 'Ref') return typeof a === 'string' ? a : undefined;
  if (k === 'Fn::GetAtt') {
    if (Array.isArray(a)) return typeof a[0] === 'string' ? a[0] : undefined;
    return typeof a === 'string' ? a.split('.')[0] : undefined;
  }
  if (k === 'Fn::Sub') {
    const s = Array.isArray(a) ? a[0] : a;
    if (typeof s !== 'string') return undefined;
    const m = /^\$\{([A-Za-z0-9]+)(?:\.[A-Za-z.]+)?\}$/.exec(s);
    return m?.[1];
  }
  return undefined;
}

/** Every `${Name}`/`${Name.Attr}` and Ref/GetAtt target inside a value (for Uri/ARN strings). */
export function refsIn(v: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 12) return out;
  if (typeof v === 'string') {
    for (const m of v.matchAll(/\$\{([A-Za-z0-9]+)(?:\.[A-Za-z.]+)?\}/g)) out.push(m[1] as string);
    return out;
  }
  if (Array.isArray(v)) {
    for (const x of v) refsIn(x, out, depth + 1);
    return out;
  }
  if (isObj(v)) {
    const r = refOf(v);
    if (r && ('Ref' in v || 'Fn::GetAtt' in v)) out.push(r);
    for (const x of Object.values(v)) refsIn(x, out, depth + 1);
  }
  return out;
}

/** `Metadata.fnguard.ignore`: `[{ id|rule, reason }]` or `['RULE-ID: reason']`. */
export function suppressionsOf(t: Tpl, node: Obj, path: string): ModelSuppression[] | undefined {
  const md = node.Metadata;
  if (!isObj(md)) return undefined;
  const fg = md.fnguard;
  if (!isObj(fg)) return undefined;
  const ign = fg.ignore;
  const items = Array.isArray(ign) ? ign : ign === undefined ? [] : [ign];
  const out: ModelSuppression[] = [];
  items.forEach((it, i) => {
    const where = {
      ...t.pos.at(Array.isArray(ign) ? ign : fg, Array.isArray(ign) ? i : 'ignore'),
      path: `${path}.Metadata.fnguard.ignore`,
    };
    if (typeof it === 'string') {
      const m = /^\s*([A-Za-z0-9*?_-]+)\s*(?::\s*(.*))?$/.exec(it);
      if (m) out.push({ rule: m[1] as string, ...(m[2] ? { reason: m[2].trim() } : {}), where });
      else t.diag('warning', `cannot read suppression "${it}" (expected "RULE-ID: reason")`, where, 'invalid-suppression');
    } else if (isObj(it) && it.id === undefined && it.rule === undefined && Object.keys(it).length === 1) {
      // YAML `- PERM-01: reason` is a one-key mapping
      const [rule, reason] = Object.entries(it)[0] as [string, unknown];
      out.push({ rule, ...(typeof reason === 'string' ? { reason } : {}), where });
    } else if (isObj(it)) {
      const rule = typeof it.id === 'string' ? it.id : typeof it.rule === 'string' ? it.rule : undefined;
      if (rule) out.push({ rule, ...(typeof it.reason === 'string' ? { reason: it.reason } : {}), where });
      else t.diag('warning', 'suppression without an id/rule', where, 'invalid-suppression');
    } else t.diag('warning', 'suppression must be a string or an object', where, 'invalid-suppression');
  });
  return out.length ? out : undefined;
}
