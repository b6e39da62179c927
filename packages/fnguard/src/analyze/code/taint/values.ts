/** Abstract values of the taint engine. */
import type { FlowStep } from '../../../engine/types.js';
import type { Func, Loc } from './ir.js';
import type { SourceSpec } from './sources.js';

export interface Taint {
  /** `input`: attacker-controlled data; `error`: an error object (OTH-01). */
  label: 'input' | 'error';
  flow: FlowStep[];
  /** Sink kinds it was made safe for (bit set, see models.ts `bit`). */
  san: number;
  /** May be a parsed object rather than a string (operator injection). */
  obj?: boolean;
  /** Constant text before it in the string it was built into (`https://api.example.com/`). */
  prefix?: string;
  /** For errors: the stack trace itself. */
  stack?: boolean;
}

export interface Closure {
  fn: Func;
  scope: Scope;
  /** Bound `this` for methods. */
  self?: Val;
}

export interface EventRef {
  spec: SourceSpec;
  path: string[];
  /** How the code names the root (`event`, `req`). */
  name: string;
  /** Sink kinds the whole event was validated for (middy validator). */
  san: number;
}

export interface Val {
  taints?: Taint[];
  /** Known properties (`*`: array elements and unknown keys). Mutable: objects are shared by reference. */
  props?: Map<string, Val>;
  /** Library value: module-qualified path. */
  mod?: string;
  fns?: Closure[];
  /** A partially attacker-controlled object (the event or a request), followed field by field. */
  event?: EventRef;
  /** Literal text, when known. */
  text?: string;
  /** A string built from literal parts and dynamic parts (NUL): `SELECT * FROM t WHERE id = \u0000`. */
  skeleton?: string;
  regex?: string;
  /** Created while the module was being initialised (OTH-03). */
  moduleLevel?: boolean;
  /** Declared at module level under this name (OTH-03 notes). */
  moduleName?: string;
  /** Where an object literal was written (response locations). */
  at?: Loc;
  /** A middy chain with a validator middleware. */
  validated?: boolean;
}

/**
 * A taint with every field present, in one order: taints are copied on almost every step (notes,
 * prefixes, sanitising), and a spread over objects of several shapes is a slow generic copy in V8.
 */
export function makeTaint(
  label: Taint['label'],
  flow: FlowStep[],
  san: number,
  obj: boolean | undefined,
  prefix: string | undefined,
  stack: boolean | undefined,
): Taint {
  return { label, flow, san, obj, prefix, stack };
}

export const CLEAN: Val = Object.freeze({}) as Val;

export class Scope {
  /** Created on the first binding: most block and branch scopes never declare anything. */
  private vars: Map<string, Val> | undefined;
  constructor(
    readonly parent: Scope | undefined,
    readonly isModule = false,
  ) {}
  set(name: string, v: Val): void {
    this.vars ??= new Map();
    this.vars.set(name, v);
  }
  /** The value bound to `name` here or in an enclosing scope. */
  get(name: string): Val | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const v = s.vars?.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }
  lookup(name: string): { scope: Scope; value: Val } | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const v = s.vars?.get(name);
      if (v !== undefined) return { scope: s, value: v };
    }
    return undefined;
  }
}

const MAX_TAINTS = 3;
const MAX_FLOW = 12;

export function step(loc: Loc, note: string): FlowStep {
  return { file: loc.file, line: loc.line, column: loc.column, note };
}

export function withStep(flow: FlowStep[], s: FlowStep): FlowStep[] {
  const last = flow[flow.length - 1];
  if (last && last.file === s.file && last.line === s.line && last.note === s.note) return flow;
  const next = [...flow, s];
  if (next.length > MAX_FLOW) next.splice(4, next.length - MAX_FLOW);
  return next;
}

export function mergeTaints(a: Taint[] | undefined, b: Taint[] | undefined): Taint[] | undefined {
  if (!a?.length) return b?.length ? b : undefined;
  if (!b?.length) return a;
  const out = [...a];
  for (const t of b) {
    if (out.length >= MAX_TAINTS * 2) break;
    if (
      !out.some((o) => o.label === t.label && o.san === t.san && o.flow[0]?.line === t.flow[0]?.line && o.flow[0]?.file === t.flow[0]?.file)
    )
      out.push(t);
  }
  return out;
}

export function union(a: Val, b: Val, depth = 0): Val {
  if (a === b || b === CLEAN) return a;
  if (a === CLEAN) return b;
  const out: Val = {};
  const taints = mergeTaints(a.taints, b.taints);
  if (taints) out.taints = taints;
  if (a.props || b.props) {
    if (depth > 2 || !a.props || !b.props) out.props = a.props ?? b.props;
    else {
      const m = new Map(a.props);
      // the same map on both sides merges to a copy of it (union(x, x) is x)
      if (a.props !== b.props)
        for (const [k, v] of b.props) {
          const old = m.get(k);
          m.set(k, old !== undefined ? union(old, v, depth + 1) : v);
        }
      out.props = m;
    }
  }
  const mod = a.mod ?? b.mod;
  if (mod) out.mod = mod;
  if (a.fns || b.fns) out.fns = [...(a.fns ?? []), ...(b.fns ?? [])].slice(0, 4);
  const ev = a.event ?? b.event;
  if (ev) out.event = ev;
  if (a.text !== undefined && a.text === b.text) out.text = a.text;
  if (a.moduleLevel || b.moduleLevel) out.moduleLevel = true;
  if (a.validated || b.validated) out.validated = true;
  return out;
}

export function isClean(v: Val): boolean {
  return !v.taints?.length && !v.props && !v.event && !v.fns && !v.mod;
}

/** Mark every taint in `v` (deeply) safe for `san` sink kinds. */
export function sanitize(v: Val, san: number, seen = new Set<Val>()): Val {
  if (v === CLEAN || seen.has(v)) return v;
  seen.add(v);
  const out: Val = { ...v };
  if (v.taints)
    out.taints = v.taints.map((t) => (t.label === 'input' ? makeTaint(t.label, t.flow, t.san | san, t.obj, t.prefix, t.stack) : t));
  if (v.event) out.event = { ...v.event, san: v.event.san | san };
  if (v.props) {
    const m = new Map<string, Val>();
    for (const [k, x] of v.props) m.set(k, sanitize(x, san, seen));
    out.props = m;
  }
  return out;
}
