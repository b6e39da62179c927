/**
 * Static evaluation of CloudFormation values: literals stay literals, intrinsics that can be
 * computed from the template alone are computed (`Fn::Join`/`Fn::Select`/`Fn::FindInMap`/`Fn::Sub`
 * over literals), everything else becomes an explicit `Unknown` carrying the expression as the user
 * would write it (`!Ref DbPassword`). Parameter refs stay Unknown (`hint: 'parameter'`): the
 * deploy-time value may differ from the Default. Dynamic references (`{{resolve:secretsmanager:..}}`,
 * `{{resolve:ssm-secure:..}}`) are Unknown with `hint: 'secret-reference'`.
 */
import { type Maybe, type SourceFormat, type Unknown, unknown, type Where } from '../../model/types.js';
import type { PositionMap } from '../yaml/positions.js';

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The per-template context every loader function receives. */
export interface Tpl {
  file: string;
  /** File relative to the scan root (forward slashes). */
  rel: string;
  dir: string;
  format: SourceFormat;
  pos: PositionMap;
  parameters: Obj;
  mappings: Obj;
  conditions: Obj;
  resources: Obj;
  /** Emit a diagnostic for this file. */
  diag(level: 'error' | 'warning' | 'info', message: string, where: Where, code: string): void;
}

/** Marker for `!Ref AWS::NoValue` (the property is absent). */
export const NO_VALUE: Unknown = Object.freeze(unknown('!Ref AWS::NoValue', { hint: 'other' }));

const PSEUDO = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

const MAX_DEPTH = 32;

/** `{ Ref }`, `{ Condition }` or `{ 'Fn::X' }`: a one-key object naming an intrinsic. */
export function intrinsicName(v: unknown): string | undefined {
  if (!isObj(v)) return undefined;
  const keys = Object.keys(v);
  if (keys.length !== 1) return undefined;
  const k = keys[0] as string;
  return k === 'Ref' || k === 'Condition' || k.startsWith('Fn::') ? k : undefined;
}

/** Render a value as the user would write it (short form), for `Unknown.expr`. */
export function exprOf(v: unknown, depth = 0): string {
  if (depth > 6) return '...';
  if (typeof v === 'string') return v;
  const name = intrinsicName(v);
  if (name && isObj(v)) {
    const arg = v[name];
    if (name === 'Ref') return `!Ref ${typeof arg === 'string' ? arg : exprOf(arg, depth + 1)}`;
    if (name === 'Fn::GetAtt' && Array.isArray(arg)) return `!GetAtt ${arg.map((a) => exprOf(a, depth + 1)).join('.')}`;
    const short = name === 'Condition' ? '!Condition' : `!${name.slice(4)}`;
    return `${short} ${typeof arg === 'string' ? arg : compact(arg, depth + 1)}`;
  }
  return compact(v, depth);
}

function compact(v: unknown, depth: number): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x) => (intrinsicName(x) ? exprOf(x, depth + 1) : compact(x, depth + 1))).join(', ')}]`;
  if (isObj(v)) {
    if (intrinsicName(v)) return exprOf(v, depth + 1);
    return `{${Object.entries(v)
      .map(([k, x]) => `${k}: ${compact(x, depth + 1)}`)
      .join(', ')}}`;
  }
  return String(v);
}

const DYNAMIC_SECRET = /\{\{resolve:(secretsmanager|ssm-secure):/;
const DYNAMIC_ANY = /\{\{resolve:[a-z-]+:/;

/** Resolve to a string (numbers/booleans stringified), or Unknown; undefined when absent/NoValue. */
export function str(t: Tpl, v: unknown, parent?: unknown, key?: string | number): Maybe<string> | undefined {
  const r = evaluate(t, v, 0, parent, key);
  if (r === undefined || r === null || r === NO_VALUE) return undefined;
  if (typeof r === 'string') return dynamicRef(t, r, parent, key);
  if (typeof r === 'number' || typeof r === 'boolean') return String(r);
  if (isUnknownValue(r)) return r;
  return unknown(exprOf(v), { hint: 'other', where: whereAt(t, parent, key) });
}

/** A number (numeric strings accepted), Unknown, or undefined. */
export function num(t: Tpl, v: unknown, parent?: unknown, key?: string | number): Maybe<number> | undefined {
  const r = evaluate(t, v, 0, parent, key);
  if (r === undefined || r === null || r === NO_VALUE) return undefined;
  if (typeof r === 'number') return r;
  if (typeof r === 'string' && r.trim() !== '' && Number.isFinite(Number(r))) return Number(r);
  if (isUnknownValue(r)) return r;
  return unknown(exprOf(v), { hint: 'other', where: whereAt(t, parent, key) });
}

/** A boolean (`'true'`/`'false'` strings accepted), Unknown, or undefined. */
export function bool(t: Tpl, v: unknown, parent?: unknown, key?: string | number): Maybe<boolean> | undefined {
  const r = evaluate(t, v, 0, parent, key);
  if (r === undefined || r === null || r === NO_VALUE) return undefined;
  if (typeof r === 'boolean') return r;
  if (r === 'true' || r === 'True') return true;
  if (r === 'false' || r === 'False') return false;
  if (isUnknownValue(r)) return r;
  return unknown(exprOf(v), { hint: 'other', where: whereAt(t, parent, key) });
}

/** A list of strings: a literal list, a single value, or `[Unknown]` when the list itself is computed. */
export function list(t: Tpl, v: unknown, parent?: unknown, key?: string | number): Maybe<string>[] | undefined {
  const r = evaluate(t, v, 0, parent, key);
  if (r === undefined || r === null || r === NO_VALUE) return undefined;
  if (Array.isArray(r)) {
    const out: Maybe<string>[] = [];
    r.forEach((item, i) => {
      const s = str(t, item, r, i);
      if (s !== undefined) out.push(s);
    });
    return out;
  }
  const s = str(t, v, parent, key);
  return s === undefined ? undefined : [s];
}

function isUnknownValue(v: unknown): v is Unknown {
  return isObj(v) && v.kind === 'unknown' && typeof v.expr === 'string';
}

export function whereAt(t: Tpl, parent: unknown, key: string | number | undefined): Where {
  return t.pos.at(parent, key);
}

function dynamicRef(t: Tpl, s: string, parent: unknown, key: string | number | undefined): Maybe<string> {
  if (!s.includes('{{resolve:')) return s;
  if (DYNAMIC_SECRET.test(s)) return unknown(s, { hint: 'secret-reference', where: whereAt(t, parent, key) });
  if (DYNAMIC_ANY.test(s)) return unknown(s, { hint: 'other', where: whereAt(t, parent, key) });
  return s;
}

/**
 * Evaluate a value: literals (and arrays/objects of them) come back as they are; intrinsics are
 * computed when static, otherwise an Unknown. Arrays computed by intrinsics come back as arrays.
 */
export function evaluate(t: Tpl, v: unknown, depth: number, parent?: unknown, key?: string | number): unknown {
  const name = intrinsicName(v);
  if (!name || !isObj(v)) return v;
  const where = whereAt(t, parent, key);
  const unk = (hint: Unknown['hint'] = 'other', target?: string): Unknown =>
    unknown(exprOf(v), { hint, ...(target ? { target } : {}), where });
  if (depth > MAX_DEPTH) return unk();
  const arg = v[name];
  switch (name) {
    case 'Ref': {
      if (typeof arg !== 'string') return unk();
      if (arg === 'AWS::NoValue') return NO_VALUE;
      if (PSEUDO.has(arg)) return unk('other');
      if (Object.hasOwn(t.parameters, arg)) return unk('parameter', arg);
      return unk('ref', arg);
    }
    case 'Fn::GetAtt': {
      const target = Array.isArray(arg) ? arg[0] : typeof arg === 'string' ? arg.split('.')[0] : undefined;
      return unk('ref', typeof target === 'string' ? target : undefined);
    }
    case 'Fn::ImportValue':
      return unk('ref');
    case 'Fn::Sub':
      return evalSub(t, arg, depth, unk);
    case 'Fn::Join': {
      if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'string') return unk();
      const items = evaluate(t, arg[1], depth + 1, arg, 1);
      if (!Array.isArray(items)) return unk(refHint(items), refTarget(items));
      const parts: string[] = [];
      for (const [i, it] of items.entries()) {
        const e = evaluate(t, it, depth + 1, items, i);
        if (e === NO_VALUE) continue;
        if (typeof e === 'string' || typeof e === 'number' || typeof e === 'boolean') parts.push(String(e));
        else return unk(refHint(e), refTarget(e));
      }
      return parts.join(arg[0]);
    }
    case 'Fn::Select': {
      if (!Array.isArray(arg) || arg.length !== 2) return unk();
      const idx = evaluate(t, arg[0], depth + 1, arg, 0);
      const items = evaluate(t, arg[1], depth + 1, arg, 1);
      const i = typeof idx === 'number' ? idx : typeof idx === 'string' ? Number(idx) : Number.NaN;
      if (!Array.isArray(items) || !Number.isInteger(i) || i < 0 || i >= items.length) return unk();
      return evaluate(t, items[i], depth + 1, items, i);
    }
    case 'Fn::Split': {
      if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'string' || arg[0] === '') return unk();
      const s = evaluate(t, arg[1], depth + 1, arg, 1);
      return typeof s === 'string' ? s.split(arg[0]) : unk();
    }
    case 'Fn::FindInMap': {
      if (!Array.isArray(arg) || arg.length < 3) return unk();
      const keys = arg.slice(0, 3).map((a, i) => evaluate(t, a, depth + 1, arg, i));
      if (!keys.every((k) => typeof k === 'string' || typeof k === 'number')) return unk();
      const [m, k1, k2] = keys.map(String) as [string, string, string];
      const top = t.mappings[m];
      const mid = isObj(top) && Object.hasOwn(top, k1) ? top[k1] : undefined;
      if (!isObj(mid) || !Object.hasOwn(mid, k2)) return unk();
      return evaluate(t, mid[k2], depth + 1, mid, k2);
    }
    case 'Fn::If': {
      if (!Array.isArray(arg) || arg.length !== 3) return unk();
      const c = typeof arg[0] === 'string' ? condition(t, arg[0]) : undefined;
      if (c !== undefined) return evaluate(t, arg[c ? 1 : 2], depth + 1, arg, c ? 1 : 2);
      const a = evaluate(t, arg[1], depth + 1, arg, 1);
      const b = evaluate(t, arg[2], depth + 1, arg, 2);
      if ((typeof a === 'string' || typeof a === 'number' || typeof a === 'boolean') && a === b) return a;
      return unk();
    }
    default:
      return unk();
  }
}

/**
 * The value of a named condition when the template alone decides it (`Fn::Equals` of literals,
 * `Fn::And`/`Or`/`Not` of decidable parts); undefined when it depends on parameters or the
 * deployment (the usual case).
 */
export function condition(t: Tpl, name: string, seen: Set<string> = new Set()): boolean | undefined {
  if (seen.has(name) || seen.size > 64 || !Object.hasOwn(t.conditions, name)) return undefined;
  seen.add(name);
  try {
    return condValue(t, t.conditions[name], seen);
  } finally {
    seen.delete(name);
  }
}

function condValue(t: Tpl, v: unknown, seen: Set<string>): boolean | undefined {
  const name = intrinsicName(v);
  if (!name || !isObj(v)) return typeof v === 'boolean' ? v : undefined;
  const arg = v[name];
  switch (name) {
    case 'Condition':
      return typeof arg === 'string' ? condition(t, arg, seen) : undefined;
    case 'Fn::Equals': {
      if (!Array.isArray(arg) || arg.length !== 2) return undefined;
      const [a, b] = arg.map((x, i) => evaluate(t, x, seen.size + 1, arg, i));
      const lit = (x: unknown) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean';
      return lit(a) && lit(b) ? String(a) === String(b) : undefined;
    }
    case 'Fn::Not': {
      const inner = Array.isArray(arg) ? condValue(t, arg[0], seen) : undefined;
      return inner === undefined ? undefined : !inner;
    }
    case 'Fn::And':
    case 'Fn::Or': {
      if (!Array.isArray(arg)) return undefined;
      const vals = arg.map((x) => condValue(t, x, seen));
      if (name === 'Fn::And') return vals.includes(false) ? false : vals.every((x) => x === true) ? true : undefined;
      return vals.includes(true) ? true : vals.every((x) => x === false) ? false : undefined;
    }
    default:
      return undefined;
  }
}

function refHint(v: unknown): Unknown['hint'] {
  return isUnknownValue(v) && (v.hint === 'secret-reference' || v.hint === 'parameter' || v.hint === 'ref') ? v.hint : 'other';
}

function refTarget(v: unknown): string | undefined {
  return isUnknownValue(v) ? v.target : undefined;
}

const SUB_VAR = /\$\{([^}!][^}]*)\}/g;

function evalSub(t: Tpl, arg: unknown, depth: number, unk: (hint?: Unknown['hint'], target?: string) => Unknown): unknown {
  let template: unknown = arg;
  let vars: Obj = {};
  if (Array.isArray(arg)) {
    template = arg[0];
    if (isObj(arg[1])) vars = arg[1];
  }
  if (typeof template !== 'string') return unk();
  if (DYNAMIC_SECRET.test(template)) return unk('secret-reference');
  let hint: Unknown['hint'] = 'other';
  let target: string | undefined;
  let static_ = true;
  const out = template.replace(SUB_VAR, (whole, name: string) => {
    if (Object.hasOwn(vars, name)) {
      const e = evaluate(t, vars[name], depth + 1, vars, name);
      if (typeof e === 'string' || typeof e === 'number' || typeof e === 'boolean') return String(e);
      static_ = false;
      if (isUnknownValue(e) && (e.hint === 'secret-reference' || e.hint === 'parameter')) hint = e.hint;
      return whole;
    }
    static_ = false;
    const ref = name.split('.')[0] as string;
    if (hint === 'other' && Object.hasOwn(t.parameters, ref)) {
      hint = 'parameter';
      target = ref;
    } else if (hint === 'other' && !PSEUDO.has(ref)) {
      hint = 'ref';
      target = ref;
    }
    return whole;
  });
  if (!static_) return unk(hint, target);
  return out.replace(/\$\{!/g, '${');
}

/**
 * The text of a `Fn::Sub` template (or a plain string) with pseudo parameters replaced by
 * placeholders, for pattern checks on ARNs that are static except for the partition/region
 * (`arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess`).
 */
export function pattern(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (!isObj(v)) return undefined;
  const sub = v['Fn::Sub'];
  if (intrinsicName(v) === 'Fn::Sub') {
    const s = Array.isArray(sub) ? sub[0] : sub;
    return typeof s === 'string' ? s.replace(/\$\{AWS::Partition\}/g, 'aws') : undefined;
  }
  const join = v['Fn::Join'];
  if (intrinsicName(v) === 'Fn::Join' && Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    const parts: string[] = [];
    for (const part of join[1]) {
      if (typeof part === 'string') parts.push(part);
      else if (isObj(part) && part.Ref === 'AWS::Partition') parts.push('aws');
      else return undefined;
    }
    return parts.join(join[0]);
  }
  return undefined;
}

/** The logical id a value points at (`!Ref X`, `!GetAtt X.Arn`, `!Sub ${X.Arn}`), if any. */
export function refTargetOf(v: unknown): string | undefined {
  const name = intrinsicName(v);
  if (!name || !isObj(v)) return undefined;
  const arg = v[name];
  if (name === 'Ref') return typeof arg === 'string' ? arg : undefined;
  if (name === 'Fn::GetAtt') {
    if (Array.isArray(arg)) return typeof arg[0] === 'string' ? arg[0] : undefined;
    return typeof arg === 'string' ? arg.split('.')[0] : undefined;
  }
  if (name === 'Fn::Sub') {
    const s = Array.isArray(arg) ? arg[0] : arg;
    if (typeof s !== 'string') return undefined;
    const m = /^\$\{([A-Za-z0-9]+)(?:\.[A-Za-z.]+)?\}$/.exec(s);
    return m?.[1];
  }
  if (name === 'Fn::Join' && Array.isArray(arg) && Array.isArray(arg[1])) {
    for (const p of arg[1]) {
      const r = refTargetOf(p);
      if (r && !PSEUDO.has(r)) return r;
    }
  }
  return undefined;
}
