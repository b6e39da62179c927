/**
 * Serverless Framework variables (`${source:address, fallback}`), resolved statically where the
 * value is in the project, otherwise an explicit `Unknown`:
 *
 * - `${self:path}` (`self:custom.x`, `self:provider.stage`), `${opt:stage}` (from `ctx.opts`),
 *   `${sls:stage}`, `${env:X}` (from `ctx.env`), `${file(./x.yml):path}` (files read through
 *   `ctx.readText`, relative to the service dir, never outside the scan root), `${param:x}`
 *   (`ctx.opts['param:x']` or the v4 top-level `params:` block), nested variables, fallbacks
 *   (`${a, b, 'literal', 42}`), string interpolation.
 * - `${ssm:...}` and anything naming `secretsmanager` become Unknown with `hint: 'secret-reference'`;
 *   `${cf:...}` `hint: 'ref'`; `${param:}` not set `hint: 'parameter'`; a missing `${env:}`/`${opt:}`
 *   without fallback `hint: 'variable'`; other sources (`s3`, `aws`, `git`, custom resolvers) Unknown.
 * - Cycles and runaway nesting become Unknown plus a diagnostic; there is a global work budget.
 *
 * The resolver is synchronous. `${file()}` of a file not loaded yet is recorded in `pendingFiles`;
 * the caller loads those files and runs a fresh resolver again (see `resolveConfig`).
 * Resolution is copy-on-write: containers that change are copied and keep their positions.
 */
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { type Diagnostic, isUnknown, type Unknown, unknown, type Where } from '../../model/types.js';
import { parseJson } from '../json/parseJson.js';
import type { LoadContext } from '../types.js';
import { parseYaml } from '../yaml/parseYaml.js';
import type { PositionMap } from '../yaml/positions.js';

const MISSING: unique symbol = Symbol('missing');
type Resolved = unknown;

/** Maximum nesting of variable resolutions (self -> self -> file -> ...). */
export const MAX_VARIABLE_DEPTH = 48;
/** Maximum number of variable resolutions per document (protects against exponential documents). */
export const MAX_VARIABLE_WORK = 200_000;
/** Maximum length of an interpolated string. */
export const MAX_STRING_LENGTH = 1_000_000;

export interface LoadedFile {
  value?: unknown;
  error?: string;
}

export interface ResolverOptions {
  /** Absolute path of serverless.yml. */
  file: string;
  /** Service directory (`${file()}` paths are relative to it). */
  dir: string;
  env: Record<string, string | undefined>;
  opts: Record<string, string>;
  positions: PositionMap;
  /** Files loaded for `${file()}`, by absolute path. */
  files: Map<string, LoadedFile>;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class VariableResolver {
  readonly pendingFiles = new Set<string>();
  readonly diagnostics: Diagnostic[] = [];
  private readonly raw: unknown;
  private readonly o: ResolverOptions;
  private readonly memo = new Map<string, Resolved>();
  private readonly active = new Set<string>();
  private readonly containerMemo = new WeakMap<object, unknown>();
  private work = 0;
  private budgetReported = false;

  constructor(raw: unknown, o: ResolverOptions) {
    this.raw = raw;
    this.o = o;
  }

  /** Resolve the whole document (copy-on-write). */
  resolveAll(): unknown {
    return this.value(this.raw, undefined, undefined, 0);
  }

  /** The stage: `--stage`, then `provider.stage`, then `dev`. */
  stage(depth = 0): Resolved {
    if (this.o.opts.stage) return this.o.opts.stage;
    const v = this.self('provider.stage', depth + 1, { file: this.o.file, line: 1, column: 1 });
    return v === MISSING || v === undefined || v === null ? 'dev' : v;
  }

  /** Resolve a value found at `parent[key]` (strings with variables, containers recursively). */
  value(v: unknown, parent: unknown, key: string | number | undefined, depth: number): Resolved {
    if (typeof v === 'string') {
      if (!v.includes('${')) return v;
      const r = this.string(v, this.o.positions.at(parent, key), depth);
      return r === MISSING ? unknown(v, { hint: 'variable', where: this.o.positions.at(parent, key) }) : r;
    }
    if (typeof v !== 'object' || v === null || isUnknown(v)) return v;
    const done = this.containerMemo.get(v);
    if (done !== undefined) return done;
    if (depth > MAX_VARIABLE_DEPTH) return v;
    if (Array.isArray(v)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const r = this.value(v[i], v, i, depth + 1);
        if (r !== v[i]) {
          out ??= v.slice();
          out[i] = r;
        }
      }
      const res = out ?? v;
      if (out) this.copyInfo(v, out);
      this.containerMemo.set(v, res);
      return res;
    }
    let out: Obj | undefined;
    for (const [k, x] of Object.entries(v as Obj)) {
      const r = this.value(x, v, k, depth + 1);
      if (r !== x) {
        out ??= { ...(v as Obj) };
        out[k] = r;
      }
    }
    const res = out ?? v;
    if (out) this.copyInfo(v, out);
    this.containerMemo.set(v, res);
    return res;
  }

  private copyInfo(from: object, to: object): void {
    const info = this.o.positions.get(from);
    if (info) this.o.positions.set(to, info);
  }

  private diag(level: Diagnostic['level'], message: string, where: Where, code: string): void {
    if (this.diagnostics.length > 200) return;
    this.diagnostics.push({ level, file: where.file || this.o.file, line: where.line, column: where.column, message, code });
  }

  private spend(where: Where): boolean {
    if (++this.work <= MAX_VARIABLE_WORK) return true;
    if (!this.budgetReported) {
      this.budgetReported = true;
      this.diag('warning', `more than ${MAX_VARIABLE_WORK} variable resolutions; the rest are left unresolved`, where, 'variable-budget');
    }
    return false;
  }

  /** A string that contains `${`: one variable (any type) or an interpolation (string or Unknown). */
  string(s: string, where: Where, depth: number): Resolved | typeof MISSING {
    if (depth > MAX_VARIABLE_DEPTH) {
      this.diag('warning', `variables nested deeper than ${MAX_VARIABLE_DEPTH} levels: ${clip(s)}`, where, 'variable-depth');
      return unknown(s, { hint: 'variable', where });
    }
    if (!this.spend(where)) return unknown(s, { hint: 'variable', where });
    const spans = splitSpans(s);
    if (spans === undefined) return s; // unbalanced: serverless treats it as text
    if (spans.length === 1 && typeof spans[0] === 'object') return this.variable(spans[0].inner, s, where, depth + 1);
    let text = '';
    let hint: Unknown['hint'] | undefined;
    let target: string | undefined;
    for (const sp of spans) {
      if (typeof sp === 'string') {
        text += sp;
        continue;
      }
      const r = this.variable(sp.inner, `\${${sp.inner}}`, where, depth + 1);
      if (r === MISSING || r === undefined) {
        hint = strongest(hint, 'variable');
      } else if (isUnknown(r)) {
        hint = strongest(hint, r.hint ?? 'other');
        target ??= r.target;
      } else if (typeof r === 'string' || typeof r === 'number' || typeof r === 'boolean') {
        const piece = String(r);
        if (text.length + piece.length > MAX_STRING_LENGTH) {
          this.diag('warning', `variable expands to more than ${MAX_STRING_LENGTH} characters: ${clip(s)}`, where, 'variable-budget');
          return unknown(s, { hint: 'variable', where });
        }
        text += piece;
      } else if (r === null) {
        text += 'null';
      } else {
        hint = strongest(hint, 'other');
      }
    }
    if (hint) return unknown(s, { hint, ...(target ? { target } : {}), where });
    return text;
  }

  /** The content of one `${...}`: fallbacks separated by top-level commas. */
  private variable(inner: string, expr: string, where: Where, depth: number): Resolved | typeof MISSING {
    const parts = splitTopLevel(inner, ',');
    for (let i = 0; i < parts.length; i++) {
      const part = (parts[i] as string).trim();
      if (part === '') continue;
      const r = this.part(part, expr, where, depth, i > 0);
      if (r === MISSING || r === undefined || r === null) continue;
      return r;
    }
    return MISSING;
  }

  private part(part: string, expr: string, where: Where, depth: number, fallback: boolean): Resolved | typeof MISSING {
    const q = part[0];
    if ((q === "'" || q === '"') && part.endsWith(q) && part.length >= 2) {
      const lit = part.slice(1, -1);
      return lit.includes('${') ? this.string(lit, where, depth + 1) : lit;
    }
    if (/^-?\d+(\.\d+)?$/.test(part)) return Number(part);
    if (part === 'true') return true;
    if (part === 'false') return false;
    if (part === 'null') return MISSING;
    if (part.startsWith('${') && part.endsWith('}') && findClose(part, 0) === part.length - 1)
      return this.variable(part.slice(2, -1), part, where, depth + 1);
    // the address may itself contain variables: `self:custom.${opt:stage}.x`
    let ref = part;
    if (ref.includes('${')) {
      const r = this.string(ref, where, depth + 1);
      if (typeof r !== 'string') {
        const hint = isUnknown(r) ? (r.hint ?? 'variable') : 'variable';
        return unknown(expr, { hint, where });
      }
      ref = r;
    }
    const fileM = /^file\((.*?)\)(?::(.*))?$/s.exec(ref);
    if (fileM) return this.file((fileM[1] ?? '').trim(), fileM[2]?.trim(), expr, where, depth);
    const colon = ref.indexOf(':');
    // a bare word as a fallback (`${opt:stage, dev}`): the framework's older syntax, a literal
    if (colon < 0) return fallback && /^[\w.-]+$/.test(ref) ? ref : unknown(expr, { hint: 'other', where });
    const source = ref.slice(0, colon).trim();
    const address = ref.slice(colon + 1).trim();
    switch (source) {
      case 'self':
        return this.self(address, depth + 1, where);
      case 'opt': {
        const v = this.o.opts[address];
        return v === undefined ? MISSING : v;
      }
      case 'env': {
        const v = Object.hasOwn(this.o.env, address) ? this.o.env[address] : undefined;
        return v === undefined ? MISSING : v;
      }
      case 'sls':
        if (address === 'stage') return this.stage(depth + 1);
        return unknown(expr, { hint: 'variable', where });
      case 'param': {
        const v = this.o.opts[`param:${address}`];
        if (v !== undefined) return v;
        const fromParams = this.params(address, depth + 1, where);
        if (fromParams !== MISSING) return fromParams;
        return unknown(expr, { hint: 'parameter', where });
      }
      case 'ssm':
        return unknown(expr, { hint: 'secret-reference', where });
      case 'cf':
        return unknown(expr, { hint: 'ref', target: address.split('.')[0] ?? address, where });
      default:
        if (/secretsmanager|(^|:)ssm:|secret/i.test(ref)) return unknown(expr, { hint: 'secret-reference', where });
        if (source.startsWith('cf.')) return unknown(expr, { hint: 'ref', target: address.split('.')[0] ?? address, where });
        return unknown(expr, { hint: source === 'aws' ? 'variable' : 'other', where });
    }
  }

  /** v4 `stages: { <stage>: { params }, default: { params } }` and `params: { <stage>: {...}, default: {...} }`. */
  private params(address: string, depth: number, where: Where): Resolved | typeof MISSING {
    if (!isObj(this.raw)) return MISSING;
    const stage = this.stage(depth);
    const prefixes: string[] = [];
    if (isObj(this.raw.stages)) {
      if (typeof stage === 'string') prefixes.push(`stages.${stage}.params`);
      prefixes.push('stages.default.params');
    }
    if (isObj(this.raw.params)) {
      if (typeof stage === 'string') prefixes.push(`params.${stage}`);
      prefixes.push('params.default');
    }
    for (const p of prefixes) {
      const v = this.self(`${p}.${address}`, depth, where);
      if (v !== MISSING) return v;
    }
    return MISSING;
  }

  /** `${self:a.b.c}`: walk the raw document, resolving along the way. */
  self(address: string, depth: number, where: Where): Resolved | typeof MISSING {
    return this.lookup(this.raw, 'self', address, depth, where, () => {
      if (address === 'provider.stage') return this.o.opts.stage ?? 'dev';
      if (address === 'provider.region') return this.o.opts.region ?? 'us-east-1';
      return MISSING;
    });
  }

  private lookup(
    root: unknown,
    rootKey: string,
    address: string,
    depth: number,
    where: Where,
    fallback: () => Resolved | typeof MISSING,
  ): Resolved | typeof MISSING {
    const key = `${rootKey}:${address}`;
    if (this.memo.has(key)) return this.memo.get(key);
    if (this.active.has(key)) {
      this.diag('warning', `variable cycle through \${${rootKey}:${address}}`, where, 'variable-cycle');
      return unknown(`\${${rootKey}:${address}}`, { hint: 'variable', where });
    }
    if (depth > MAX_VARIABLE_DEPTH) {
      this.diag(
        'warning',
        `variables nested deeper than ${MAX_VARIABLE_DEPTH} levels at \${${rootKey}:${address}}`,
        where,
        'variable-depth',
      );
      return unknown(`\${${rootKey}:${address}}`, { hint: 'variable', where });
    }
    this.active.add(key);
    let result: Resolved | typeof MISSING;
    try {
      const segs = address === '' ? [] : address.split(/\.|\[(\d+)\]/).filter((x) => x !== undefined && x !== '');
      let cur: unknown = root;
      let parent: unknown;
      let lastKey: string | number | undefined;
      let found = true;
      for (const [i, seg] of segs.entries()) {
        if (typeof cur === 'string' && cur.includes('${')) {
          // the value on the way is itself a variable: resolve the prefix first
          cur = this.lookup(root, rootKey, segs.slice(0, i).join('.'), depth + 1, where, () => MISSING);
        }
        if (Array.isArray(cur) && /^\d+$/.test(seg) && Number(seg) < cur.length) {
          parent = cur;
          lastKey = Number(seg);
          cur = cur[Number(seg)];
        } else if (isObj(cur) && !isUnknown(cur) && Object.hasOwn(cur, seg)) {
          parent = cur;
          lastKey = seg;
          cur = cur[seg];
        } else if (isUnknown(cur)) {
          result = unknown(`\${${rootKey}:${address}}`, {
            hint: cur.hint ?? 'variable',
            ...(cur.target ? { target: cur.target } : {}),
            where,
          });
          this.memo.set(key, result);
          return result;
        } else {
          found = false;
          break;
        }
      }
      if (!found || cur === undefined || cur === null) result = fallback();
      else result = this.value(cur, parent, lastKey, depth + 1);
    } finally {
      this.active.delete(key);
    }
    this.memo.set(key, result);
    return result;
  }

  private file(path: string, address: string | undefined, expr: string, where: Where, depth: number): Resolved | typeof MISSING {
    let p = path;
    if ((p.startsWith("'") && p.endsWith("'")) || (p.startsWith('"') && p.endsWith('"'))) p = p.slice(1, -1);
    if (p === '' || p.startsWith('~')) return unknown(expr, { hint: 'other', where });
    if (/\.(c|m)?[jt]s$/i.test(p)) {
      this.diag(
        'info',
        `${expr}: JavaScript/TypeScript variable files are never executed; left unresolved`,
        where,
        'skipped-executable-config',
      );
      return unknown(expr, { hint: 'other', where });
    }
    const abs = isAbsolute(p) ? p : resolvePath(this.o.dir, p);
    const loaded = this.o.files.get(abs);
    if (!loaded) {
      this.pendingFiles.add(abs);
      return unknown(expr, { hint: 'other', where });
    }
    if (loaded.error !== undefined) {
      this.diag('warning', `${expr}: ${loaded.error}`, where, 'variable-file');
      return MISSING;
    }
    return this.lookup(loaded.value, `file(${abs})`, address ?? '', depth + 1, where, () => MISSING);
  }
}

export interface ConfigResolution {
  value: unknown;
  diagnostics: Diagnostic[];
  resolver: VariableResolver;
}

/** Resolve a whole serverless config, loading `${file()}` files (YAML/JSON) as needed. */
export async function resolveConfig(
  raw: unknown,
  o: Omit<ResolverOptions, 'files'>,
  ctx: Pick<LoadContext, 'readText'>,
  files: Map<string, LoadedFile> = new Map(),
): Promise<ConfigResolution> {
  // load the plain `${file(./x.yml)}` files up front: saves a resolution round in the common case
  for (const abs of staticFileRefs(raw, o.dir)) {
    if (files.size >= 64) break;
    if (!files.has(abs)) files.set(abs, await loadVariableFile(abs, o.positions, ctx));
  }
  let resolver = new VariableResolver(raw, { ...o, files });
  let value = resolver.resolveAll();
  for (let round = 0; round < 8 && resolver.pendingFiles.size > 0; round++) {
    for (const abs of resolver.pendingFiles) {
      if (files.size >= 64) {
        files.set(abs, { error: 'too many variable files (limit 64)' });
        continue;
      }
      files.set(abs, await loadVariableFile(abs, o.positions, ctx));
    }
    resolver = new VariableResolver(raw, { ...o, files });
    value = resolver.resolveAll();
  }
  return { value, diagnostics: resolver.diagnostics, resolver };
}

/** Absolute paths of `${file(path)}` references whose path has no variable in it. */
function staticFileRefs(raw: unknown, dir: string): Set<string> {
  const out = new Set<string>();
  const visit = (v: unknown, depth: number): void => {
    if (depth > 200 || out.size >= 64) return;
    if (typeof v === 'string') {
      if (!v.includes('${file(')) return;
      for (const m of v.matchAll(/\$\{file\(\s*['"]?([^)'"$]+?)['"]?\s*\)/g)) {
        const p = m[1] ?? '';
        if (p && !p.startsWith('~') && !/\.(c|m)?[jt]s$/i.test(p)) out.add(isAbsolute(p) ? p : resolvePath(dir, p));
      }
    } else if (Array.isArray(v)) for (const x of v) visit(x, depth + 1);
    else if (typeof v === 'object' && v !== null) for (const x of Object.values(v)) visit(x, depth + 1);
  };
  visit(raw, 0);
  return out;
}

async function loadVariableFile(abs: string, positions: PositionMap, ctx: Pick<LoadContext, 'readText'>): Promise<LoadedFile> {
  let text: string;
  try {
    text = await ctx.readText(abs);
  } catch (e) {
    return { error: (e as Error)?.message ?? String(e) };
  }
  const r = /\.json$/i.test(abs) ? parseJson(text, abs) : parseYaml(text, abs);
  if (!r.ok) {
    const d = r.diagnostics.find((x) => x.level === 'error');
    return { error: `cannot parse ${abs}${d?.line ? ` (line ${d.line})` : ''}: ${d?.message ?? 'invalid'}` };
  }
  copyPositions(r.value, r.positions, positions, 0);
  return { value: r.value === undefined ? null : r.value };
}

/** Register positions of a value parsed from another file in the service's map (they keep their own `file`). */
function copyPositions(v: unknown, from: PositionMap, to: PositionMap, depth: number): void {
  if (typeof v !== 'object' || v === null || depth > 200) return;
  const info = from.get(v);
  if (info) to.set(v, info);
  for (const x of Array.isArray(v) ? v : Object.values(v)) copyPositions(x, from, to, depth + 1);
}

/* ------------------------------------------------------------------------------------------ */

type Span = string | { inner: string };

/** Index of the `}` closing the `${` at `start`, or -1. Quotes inside are skipped. */
export function findClose(s: string, start: number): number {
  let depth = 0;
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (c === '$' && s[i + 1] === '{') {
      depth++;
      i++;
    } else if (c === '}') {
      depth--;
      if (depth === 0) return i;
    } else if ((c === "'" || c === '"') && depth > 0) {
      const end = s.indexOf(c, i + 1);
      if (end < 0) return -1;
      i = end;
    }
  }
  return -1;
}

/** Split a string into literal text and top-level `${...}` spans; undefined when unbalanced. */
export function splitSpans(s: string): Span[] | undefined {
  const out: Span[] = [];
  let i = 0;
  while (i < s.length) {
    const open = s.indexOf('${', i);
    if (open < 0) {
      out.push(s.slice(i));
      break;
    }
    if (open > i) out.push(s.slice(i, open));
    const close = findClose(s, open);
    if (close < 0) return undefined;
    out.push({ inner: s.slice(open + 2, close) });
    i = close + 1;
  }
  return out;
}

/** Split on `sep` outside `${...}` and quotes. */
export function splitTopLevel(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '$' && s[i + 1] === '{') {
      depth++;
      i++;
    } else if (c === '}' && depth > 0) depth--;
    else if ((c === "'" || c === '"') && (i === 0 || /[\s,]/.test(s[i - 1] ?? ''))) {
      const end = s.indexOf(c, i + 1);
      if (end > 0) i = end;
    } else if (c === sep && depth === 0) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}

const HINT_RANK: Record<NonNullable<Unknown['hint']>, number> = { 'secret-reference': 5, ref: 4, parameter: 3, variable: 2, other: 1 };

function strongest(a: Unknown['hint'] | undefined, b: NonNullable<Unknown['hint']>): NonNullable<Unknown['hint']> {
  return a === undefined || HINT_RANK[b] > HINT_RANK[a] ? b : a;
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
