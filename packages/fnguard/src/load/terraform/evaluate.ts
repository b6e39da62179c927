/**
 * A small evaluator for what is statically knowable in Terraform expressions: literals,
 * `var.*` (defaults, tfvars, module arguments), `local.*`, templates with known parts, a set of
 * pure functions (jsonencode, file, merge, concat, lookup, format, ...), operators and
 * conditionals. Everything else becomes an `Unknown` carrying the expression text; references to
 * resources get `hint: 'ref'` and `target: '<address>'`, secret data sources get
 * `hint: 'secret-reference'`.
 *
 * Nothing is executed, nothing is read except through the pre-read `files` map (see `module.ts`).
 */
import { posix } from 'node:path';
import { isUnknown, type Unknown, unknown } from '../../model/types.js';
import type { Expr, TemplatePart } from '../hcl/ast.js';
import { exprText } from '../hcl/parseHcl.js';

/** The result of `jsonencode(...)` when some part is Unknown: keeps the structure for policy readers. */
export class Encoded {
  constructor(
    readonly value: Value,
    readonly expr: string,
  ) {}
}

/** The rendered `data.aws_iam_policy_document.x.json`: the builder reads `address` to get positioned statements. */
export class PolicyDocRef {
  constructor(
    readonly address: string,
    readonly expr: string,
  ) {}
}

export type Value = string | number | boolean | null | Value[] | { [k: string]: Value } | Unknown | Encoded | PolicyDocRef;

export const SECRET_DATA_SOURCES = new Set([
  'aws_secretsmanager_secret_version',
  'aws_secretsmanager_secret',
  'aws_ssm_parameter',
  'aws_ssm_parameters_by_path',
  'aws_kms_secrets',
  'aws_kms_secret',
  'google_secret_manager_secret_version',
  'google_secret_manager_secret_version_access',
  'azurerm_key_vault_secret',
  'vault_generic_secret',
  'vault_kv_secret_v2',
]);

export interface EvalScope {
  /** `var.*` */
  vars: Map<string, Value>;
  /** `local.*` (expressions; evaluated lazily, memoized) */
  locals: Map<string, { expr: Expr; text: string }>;
  localCache: Map<string, Value>;
  /** Absolute module directory (`path.module`) and root module directory (`path.root`). */
  moduleDir: string;
  rootDir: string;
  /** Address prefix of this module instance (`module.x.` or ''). */
  prefix: string;
  /** Pre-read files (absolute path -> text) for `file()`. */
  files: Map<string, string>;
  /** Data blocks of this module: `data.<type>.<name>` -> arguments, for `output_path` and the like. */
  dataArgs: (address: string, attr: string) => Value | undefined;
  /** Extra bindings (for-expression variables). */
  bound?: Map<string, Value>;
  /** Memoized results (values are shared: treat them as read-only). */
  cache?: WeakMap<Expr, Value>;
  /** Recursion guard for locals. */
  evaluating?: Set<string>;
  depth?: number;
}

export function isObject(v: Value | undefined): v is { [k: string]: Value } {
  return (
    typeof v === 'object' && v !== null && !Array.isArray(v) && !isUnknown(v) && !(v instanceof Encoded) && !(v instanceof PolicyDocRef)
  );
}

/** True when the value has at most `limit` nodes (shared sub-values count every time they appear). */
export function sizeWithin(v: Value, limit = 100_000): boolean {
  let budget = limit;
  const walk = (x: Value): boolean => {
    if (--budget < 0) return false;
    if (Array.isArray(x)) return x.every(walk);
    if (isObject(x)) return Object.values(x).every(walk);
    if (typeof x === 'string') {
      budget -= x.length >> 6;
      return budget >= 0;
    }
    return true;
  };
  return walk(v);
}

/**
 * True when no part of the value is Unknown. Values built from shared locals are DAGs whose
 * unfolded size can be exponential, so each container is visited once.
 */
export function isKnownValue(v: Value | undefined, seen = new WeakSet<object>()): boolean {
  if (v === undefined) return false;
  if (isUnknown(v) || v instanceof Encoded || v instanceof PolicyDocRef) return false;
  if (typeof v !== 'object' || v === null) return true;
  if (seen.has(v)) return true;
  seen.add(v);
  const parts = Array.isArray(v) ? v : isObject(v) ? Object.values(v) : [];
  return parts.every((x) => isKnownValue(x, seen));
}

/** The first Unknown-ish part of a value (to describe why it is not known). */
function unknownOf(v: Value, seen = new WeakSet<object>()): Unknown | undefined {
  if (isUnknown(v)) return v;
  if (v instanceof Encoded || v instanceof PolicyDocRef) return unknown(v.expr, { hint: 'other' });
  if (typeof v !== 'object' || v === null || seen.has(v)) return undefined;
  seen.add(v);
  for (const x of Array.isArray(v) ? v : isObject(v) ? Object.values(v) : []) {
    const u = unknownOf(x, seen);
    if (u) return u;
  }
  return undefined;
}

type Src = { text: string };

export class Evaluator {
  constructor(
    readonly src: Src,
    readonly scope: EvalScope,
  ) {}

  text(e: Expr): string {
    return exprText(this.src, e);
  }

  private unk(e: Expr, hint: Unknown['hint'] = 'other', target?: string): Unknown {
    return unknown(this.text(e), target !== undefined ? { hint, target } : { hint });
  }

  eval(e: Expr): Value {
    // results are memoized per module instance (not inside for-expressions, whose variables vary)
    const cacheable = this.scope.bound === undefined;
    if (cacheable) {
      if (!this.scope.cache) this.scope.cache = new WeakMap();
      const hit = this.scope.cache.get(e);
      if (hit !== undefined) return hit;
    }
    const v = this.evalUncached(e);
    if (cacheable) this.scope.cache?.set(e, v);
    return v;
  }

  private evalUncached(e: Expr): Value {
    const depth = (this.scope.depth ?? 0) + 1;
    if (depth > 100) return this.unk(e);
    this.scope.depth = depth;
    try {
      return this.evalInner(e);
    } catch {
      return this.unk(e);
    } finally {
      this.scope.depth = depth - 1;
    }
  }

  private evalInner(e: Expr): Value {
    switch (e.type) {
      case 'literal':
        return e.value;
      case 'template':
        return this.template(e.parts, e);
      case 'paren':
        return this.eval(e.expr);
      case 'tuple':
        return e.items.map((x) => this.eval(x));
      case 'object': {
        const out: { [k: string]: Value } = {};
        for (const it of e.items) {
          const k = it.key.type === 'variable' ? it.key.name : this.eval(it.key);
          if (typeof k !== 'string' && typeof k !== 'number') return this.unk(e);
          if (k === '__proto__') continue;
          out[String(k)] = this.eval(it.value);
        }
        return out;
      }
      case 'variable':
      case 'getattr':
      case 'index':
        return this.traversal(e);
      case 'splat': {
        const obj = this.eval(e.object);
        if (!Array.isArray(obj)) {
          const u = unknownOf(obj);
          return u ? { ...u, expr: this.text(e) } : this.unk(e);
        }
        return obj.map((item) => this.withBinding('__splat__', item, () => this.eval(e.each)));
      }
      case 'splat-item':
        return this.scope.bound?.get('__splat__') ?? this.unk(e);
      case 'call':
        return this.call(e);
      case 'unary': {
        const v = this.eval(e.operand);
        if (e.op === '!' && typeof v === 'boolean') return !v;
        if (e.op === '-' && typeof v === 'number') return -v;
        return this.unk(e);
      }
      case 'binary':
        return this.binary(e);
      case 'conditional': {
        const c = this.eval(e.cond);
        if (c === true) return this.eval(e.whenTrue);
        if (c === false) return this.eval(e.whenFalse);
        return this.unk(e);
      }
      case 'for':
        return this.forExpr(e);
      default:
        return this.unk(e);
    }
  }

  private withBinding<T>(name: string, v: Value, f: () => T): T {
    const prev = this.scope.bound;
    const next = new Map(prev ?? []);
    next.set(name, v);
    this.scope.bound = next;
    try {
      return f();
    } finally {
      this.scope.bound = prev;
    }
  }

  private template(parts: TemplatePart[], e: Expr): Value {
    const single = parts.length === 1 && parts[0]?.type === 'interp';
    if (single && parts[0]?.type === 'interp') return this.eval(parts[0].expr);
    let out = '';
    let secret = false;
    let known = true;
    for (const p of parts) {
      if (p.type === 'text') out += p.value;
      else if (p.type === 'interp') {
        const v = this.eval(p.expr);
        const s = stringify(v);
        if (s === undefined) {
          known = false;
          if (isUnknown(v) && v.hint === 'secret-reference') secret = true;
        } else out += s;
      } else if (p.type === 'if') {
        const c = this.eval(p.cond);
        if (typeof c !== 'boolean') known = false;
        else {
          const v = this.template(c ? p.whenTrue : (p.whenFalse ?? []), e);
          const s = stringify(v);
          if (s === undefined) known = false;
          else out += s;
        }
      } else known = false;
    }
    if (known) return out;
    return unknown(this.text(e), { hint: secret ? 'secret-reference' : 'other' });
  }

  private binary(e: Extract<Expr, { type: 'binary' }>): Value {
    const l = this.eval(e.left);
    if (e.op === '&&' && l === false) return false;
    if (e.op === '||' && l === true) return true;
    const r = this.eval(e.right);
    if (!sizeWithin(l) || !sizeWithin(r) || !isKnownValue(l) || !isKnownValue(r)) return this.unk(e);
    switch (e.op) {
      case '==':
        return JSON.stringify(l) === JSON.stringify(r);
      case '!=':
        return JSON.stringify(l) !== JSON.stringify(r);
      case '&&':
        return l === true && r === true;
      case '||':
        return l === true || r === true;
      default:
        break;
    }
    const a = typeof l === 'string' ? Number(l) : l;
    const b = typeof r === 'string' ? Number(r) : r;
    if (typeof a !== 'number' || typeof b !== 'number' || Number.isNaN(a) || Number.isNaN(b)) return this.unk(e);
    switch (e.op) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        return b === 0 ? this.unk(e) : a / b;
      case '%':
        return b === 0 ? this.unk(e) : a % b;
      case '<':
        return a < b;
      case '>':
        return a > b;
      case '<=':
        return a <= b;
      case '>=':
        return a >= b;
    }
    return this.unk(e);
  }

  private forExpr(e: Extract<Expr, { type: 'for' }>): Value {
    const coll = this.eval(e.coll);
    let entries: [Value, Value][];
    if (Array.isArray(coll)) entries = coll.map((v, k) => [k, v]);
    else if (isObject(coll)) entries = Object.entries(coll);
    else return this.unk(e);
    if (entries.length > 10000) return this.unk(e);
    const outList: Value[] = [];
    const outObj: { [k: string]: Value } = {};
    for (const [k, v] of entries) {
      const r = this.withBinding(e.valVar, v, () =>
        this.withBinding(e.keyVar ?? '__nokey__', k, () => {
          if (e.cond) {
            const c = this.eval(e.cond);
            if (c === false) return undefined;
            if (c !== true) return null;
          }
          const key = e.keyExpr ? this.eval(e.keyExpr) : undefined;
          return { key, val: this.eval(e.valExpr) };
        }),
      );
      if (r === undefined) continue;
      if (r === null) return this.unk(e);
      if (e.keyExpr) {
        if (typeof r.key !== 'string' && typeof r.key !== 'number') return this.unk(e);
        const ks = String(r.key);
        if (ks === '__proto__') continue;
        if (e.grouping) {
          const cur = outObj[ks];
          outObj[ks] = Array.isArray(cur) ? [...cur, r.val] : [r.val];
        } else outObj[ks] = r.val;
      } else outList.push(r.val);
    }
    return e.keyExpr ? outObj : outList;
  }

  /** Flatten `a.b[0].c` into a root name and steps. */
  private steps(e: Expr): { root: string; steps: (string | number | Expr)[] } | undefined {
    const steps: (string | number | Expr)[] = [];
    let cur: Expr = e;
    for (;;) {
      if (cur.type === 'getattr') {
        steps.unshift(cur.name);
        cur = cur.object;
      } else if (cur.type === 'index') {
        const k =
          cur.key.type === 'literal' && (typeof cur.key.value === 'number' || typeof cur.key.value === 'string') ? cur.key.value : cur.key;
        steps.unshift(k);
        cur = cur.object;
      } else if (cur.type === 'variable') return { root: cur.name, steps };
      else if (cur.type === 'splat-item') return { root: '__splat__', steps };
      else return undefined;
    }
  }

  private applySteps(v: Value, steps: (string | number | Expr)[], e: Expr): Value {
    let cur = v;
    for (const s of steps) {
      const key = typeof s === 'object' ? this.eval(s) : s;
      if (isUnknown(cur)) return { ...cur, expr: this.text(e) };
      if (Array.isArray(cur) && (typeof key === 'number' || (typeof key === 'string' && /^\d+$/.test(key))))
        cur = cur[Number(key)] ?? this.unk(e);
      else if (isObject(cur) && (typeof key === 'string' || typeof key === 'number')) {
        const k = String(key);
        cur = Object.hasOwn(cur, k) ? (cur[k] as Value) : this.unk(e);
      } else return this.unk(e);
    }
    return cur;
  }

  private traversal(e: Expr): Value {
    const t = this.steps(e);
    if (!t) {
      // e.g. call(...).attr: evaluate the base and apply what we can
      if (e.type === 'getattr' || e.type === 'index') {
        const base = this.eval(e.object);
        return this.applySteps(base, [e.type === 'getattr' ? e.name : e.key], e);
      }
      return this.unk(e);
    }
    const { root, steps } = t;
    const bound = this.scope.bound?.get(root);
    if (bound !== undefined) return this.applySteps(bound, steps, e);
    const first = steps[0];
    const name = typeof first === 'string' ? first : undefined;
    switch (root) {
      case 'var': {
        if (!name) return this.unk(e, 'variable');
        const v = this.scope.vars.get(name);
        if (v === undefined) return unknown(this.text(e), { hint: 'variable', target: `var.${name}` });
        return this.applySteps(v, steps.slice(1), e);
      }
      case 'local': {
        if (!name) return this.unk(e);
        return this.applySteps(this.local(name, e), steps.slice(1), e);
      }
      case 'path': {
        if (name === 'module') return this.scope.moduleDir;
        if (name === 'root' || name === 'cwd') return this.scope.rootDir;
        return this.unk(e);
      }
      case 'each':
      case 'count':
      case 'self':
      case 'terraform':
        return this.unk(e, 'other');
      case 'module':
        return this.unk(e, 'ref', name ? `${this.scope.prefix}module.${name}` : undefined);
      case 'data': {
        const type = name;
        const dname = steps[1];
        if (!type || typeof dname !== 'string') return this.unk(e);
        const address = `data.${type}.${dname}`;
        const attrs = steps.slice(2).filter((s) => typeof s === 'string');
        if (SECRET_DATA_SOURCES.has(type)) return this.unk(e, 'secret-reference', this.scope.prefix + address);
        if (type === 'aws_iam_policy_document' && (attrs[0] === 'json' || attrs[0] === 'minified_json'))
          return new PolicyDocRef(this.scope.prefix + address, this.text(e));
        const attr = attrs[0];
        if (typeof attr === 'string') {
          const v = this.scope.dataArgs(address, attr);
          if (v !== undefined && isKnownValue(v)) return v;
        }
        return this.unk(e, 'ref', this.scope.prefix + address);
      }
      default: {
        // a resource reference: <type>.<name>[...].<attr>
        if (root.includes('_') && name) return this.unk(e, 'ref', `${this.scope.prefix}${root}.${name}`);
        return this.unk(e);
      }
    }
  }

  private local(name: string, e: Expr): Value {
    const cached = this.scope.localCache.get(name);
    if (cached !== undefined) return cached;
    const def = this.scope.locals.get(name);
    if (!def) return this.unk(e);
    if (!this.scope.evaluating) this.scope.evaluating = new Set();
    const ev = this.scope.evaluating;
    if (ev.has(name)) return this.unk(e);
    ev.add(name);
    let v: Value;
    try {
      const saved = this.scope.bound;
      this.scope.bound = undefined;
      v = new Evaluator(def, this.scope).eval(def.expr);
      this.scope.bound = saved;
    } finally {
      ev.delete(name);
    }
    this.scope.localCache.set(name, v);
    return v;
  }

  private call(e: Extract<Expr, { type: 'call' }>): Value {
    const name = e.name.replace(/^provider::[^:]+::/, '');
    let args = e.args.map((a) => this.eval(a));
    if (e.expandFinal) {
      const last = args[args.length - 1];
      if (!Array.isArray(last)) return this.unk(e);
      args = [...args.slice(0, -1), ...last];
    }
    // values built from shared parts can be exponentially large once expanded: refuse those
    if (!args.every((x) => sizeWithin(x))) return this.unk(e);
    const [a, b, c] = args;
    const str = (v: Value | undefined): string | undefined => (v === undefined ? undefined : stringify(v));
    const U = (): Unknown => this.unk(e);
    switch (name) {
      case 'jsonencode': {
        if (a === undefined) return U();
        if (a instanceof PolicyDocRef) return a;
        if (isKnownValue(a)) return JSON.stringify(a);
        return new Encoded(a, this.text(e));
      }
      case 'jsondecode': {
        if (typeof a !== 'string') return U();
        try {
          return JSON.parse(a) as Value;
        } catch {
          return U();
        }
      }
      case 'file': {
        if (typeof a !== 'string') return U();
        const p = resolveModulePath(this.scope, a);
        const t = this.scope.files.get(p);
        return t === undefined ? U() : t;
      }
      case 'templatefile':
        return U();
      case 'merge': {
        const out: { [k: string]: Value } = {};
        for (const x of args) {
          if (x === null) continue;
          if (!isObject(x)) return U();
          for (const [k, y] of Object.entries(x)) if (k !== '__proto__') out[k] = y;
        }
        return out;
      }
      case 'concat': {
        const out: Value[] = [];
        for (const x of args) {
          if (!Array.isArray(x)) return U();
          out.push(...x);
        }
        return out;
      }
      case 'flatten': {
        if (!Array.isArray(a)) return U();
        const out: Value[] = [];
        const walk = (v: Value[], d: number): void => {
          for (const x of v)
            if (Array.isArray(x) && d < 50) walk(x, d + 1);
            else out.push(x);
        };
        walk(a, 0);
        return out;
      }
      case 'lookup': {
        if (!isObject(a) || typeof b !== 'string') return U();
        if (Object.hasOwn(a, b)) return a[b] as Value;
        return c === undefined ? U() : c;
      }
      case 'element': {
        if (!Array.isArray(a) || typeof b !== 'number' || a.length === 0) return U();
        return a[Math.floor(b) % a.length] ?? U();
      }
      case 'format':
        return typeof a === 'string' ? (format(a, args.slice(1)) ?? U()) : U();
      case 'tostring': {
        if (a === null) return null;
        const s = str(a);
        return s === undefined || Array.isArray(a) || isObject(a) ? U() : s;
      }
      case 'tonumber': {
        if (typeof a === 'number') return a;
        const n = typeof a === 'string' ? Number(a) : Number.NaN;
        return Number.isNaN(n) ? U() : n;
      }
      case 'tobool':
        return a === true || a === 'true' ? true : a === false || a === 'false' ? false : U();
      case 'tolist':
      case 'toset':
        return Array.isArray(a) ? (name === 'toset' ? dedupe(a) : a) : U();
      case 'tomap':
        return isObject(a) ? a : U();
      case 'lower':
      case 'upper':
      case 'trimspace': {
        if (typeof a !== 'string') return U();
        return name === 'lower' ? a.toLowerCase() : name === 'upper' ? a.toUpperCase() : a.trim();
      }
      case 'join': {
        if (typeof a !== 'string') return U();
        const parts: string[] = [];
        for (const l of args.slice(1)) {
          if (!Array.isArray(l)) return U();
          for (const x of l) {
            const s = str(x);
            if (s === undefined) return U();
            parts.push(s);
          }
        }
        return parts.join(a);
      }
      case 'split':
        return typeof a === 'string' && typeof b === 'string' ? b.split(a) : U();
      case 'replace':
        return typeof a === 'string' && typeof b === 'string' && typeof c === 'string' && !b.startsWith('/') ? a.split(b).join(c) : U();
      case 'length':
        return typeof a === 'string' ? [...a].length : Array.isArray(a) ? a.length : isObject(a) ? Object.keys(a).length : U();
      case 'keys':
        return isObject(a) ? Object.keys(a).sort() : U();
      case 'values':
        return isObject(a)
          ? Object.keys(a)
              .sort()
              .map((k) => a[k] as Value)
          : U();
      case 'contains':
        return Array.isArray(a) && isKnownValue(a) && b !== undefined && isKnownValue(b)
          ? a.some((x) => JSON.stringify(x) === JSON.stringify(b))
          : U();
      case 'coalesce': {
        for (const x of args) {
          if (!isKnownValue(x)) return U();
          if (x !== null && x !== '') return x;
        }
        return U();
      }
      case 'try': {
        for (const x of args) if (isKnownValue(x)) return x;
        return U();
      }
      case 'basename':
        return typeof a === 'string' ? posix.basename(a) : U();
      case 'dirname':
        return typeof a === 'string' ? posix.dirname(a) : U();
      case 'abspath':
        return typeof a === 'string' ? resolveModulePath(this.scope, a) : U();
      case 'min':
      case 'max': {
        const ns = args.filter((x): x is number => typeof x === 'number');
        if (ns.length !== args.length || ns.length === 0) return U();
        return name === 'min' ? Math.min(...ns) : Math.max(...ns);
      }
      default:
        return U();
    }
  }
}

function dedupe(a: Value[]): Value[] {
  const seen = new Set<string>();
  const out: Value[] = [];
  for (const x of a) {
    const k = JSON.stringify(x);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(x);
  }
  return out;
}

/** Resolve a path used by `file()` against the root module directory (Terraform's working directory). */
export function resolveModulePath(scope: Pick<EvalScope, 'rootDir'>, p: string): string {
  return posix.isAbsolute(p) ? posix.normalize(p) : posix.join(scope.rootDir, p);
}

/** A value as template text, or undefined when it is not a known primitive. */
export function stringify(v: Value): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof PolicyDocRef) return undefined;
  return undefined;
}

function format(spec: string, args: Value[]): string | undefined {
  let k = 0;
  let bad = false;
  const out = spec.replace(/%(%|[#+\- 0]*\d*(?:\.\d+)?[sdvqftxXobeEgG])/g, (m, verb: string) => {
    if (verb === '%') return '%';
    const v = args[k++];
    if (v === undefined || !isKnownValue(v)) {
      bad = true;
      return '';
    }
    const conv = verb[verb.length - 1];
    if (conv === 'q') return JSON.stringify(stringify(v) ?? JSON.stringify(v));
    if (conv === 'v') return typeof v === 'object' ? JSON.stringify(v) : String(stringify(v));
    if (conv === 'd') {
      if (typeof v === 'number') return String(Math.trunc(v));
      bad = true;
      return '';
    }
    const s = stringify(v);
    if (s === undefined) bad = true;
    void m;
    return s ?? '';
  });
  return bad ? undefined : out;
}

/** Convert an evaluated value to a Model `Maybe<string>` (Unknown for anything not a known scalar). */
export function toMaybeString(v: Value | undefined, expr: string): string | Unknown | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (isUnknown(v)) return v;
  return unknown(v instanceof Encoded || v instanceof PolicyDocRef ? v.expr : expr, { hint: 'other' });
}
