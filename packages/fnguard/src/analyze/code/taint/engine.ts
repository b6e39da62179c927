/**
 * The taint engine: an abstract interpreter over the IR of ./ir.ts. Values carry taints (where
 * attacker data came from and how it travelled) and structure (object properties, library
 * paths, closures, partially tainted event objects). Functions are analysed on demand with the
 * actual abstract arguments and memoized per call signature, within a file and across imported
 * modules. Branches merge (weak updates); loops run twice; a step budget bounds the work.
 */
import type { FlowStep } from '../../../engine/types.js';
import type { Expr, Func, Guard, Loc, ModuleIR, Pattern, Stmt } from './ir.js';
import {
  ALL_INJECTION,
  type ArgView,
  bit,
  CLEAN_METHODS,
  CLEAN_RESULTS,
  ELEMENT_CALLBACK_METHODS,
  KIND_LABEL,
  PROPAGATING_METHODS,
  SANITIZERS,
  SINKS,
  type SinkKind,
  type SinkSpec,
} from './models.js';
import { anyTainted, classify, REQUEST_GETTERS, REQUEST_SPEC, type SourceSpec } from './sources.js';
import {
  CLEAN,
  type Closure,
  type EventRef,
  isClean,
  makeTaint,
  mergeTaints,
  Scope,
  sanitize,
  step,
  type Taint,
  union,
  type Val,
  withStep,
} from './values.js';

export interface TaintFinding {
  kind: SinkKind;
  /** The API reached (`child_process.exec`). */
  sink: string;
  where: Loc;
  flow: FlowStep[];
  /** Extra facts for the rule's message. */
  detail?: string;
}

/** What the engine needs from a front end: modules in IR, and import resolution. */
export interface ProgramAccess {
  module(file: string): ModuleIR | undefined;
  /** A local module file, or a package/builtin name. */
  resolve(specifier: string, fromFile: string): { file?: string; pkg?: string };
}

export interface InvocationOptions {
  spec: SourceSpec;
  /** The function's HTTP-like triggers: responses are checked for XSS, redirects and error leaks. */
  http: boolean;
  /** Step budget (statements and expressions evaluated). */
  budget?: number;
  /** The IaC names no trigger: a TypeScript handler type (`S3Handler`) may tell the event shape. */
  specFromTypeHint?: (hint: string) => SourceSpec | undefined;
}

export interface InvocationResult {
  findings: TaintFinding[];
  /** The handler export was found and invoked. */
  invoked: boolean;
  /** Attacker-controlled fields read (count), for OTH-14. */
  inputReads: number;
  /** The handler is wrapped with a validator middleware. */
  validated: boolean;
  modulesLoaded: number;
  /** Where the handler function is defined. */
  handlerLoc?: Loc;
  /** The step budget ran out: the analysis is partial. */
  truncated?: boolean;
}

const GLOBAL_MODS = [
  'JSON',
  'Buffer',
  'eval',
  'Function',
  'setTimeout',
  'setInterval',
  'setImmediate',
  'process',
  'fetch',
  'Number',
  'String',
  'Boolean',
  'BigInt',
  'parseInt',
  'parseFloat',
  'encodeURIComponent',
  'encodeURI',
  'decodeURIComponent',
  'decodeURI',
  'escape',
  'unescape',
  'atob',
  'btoa',
  'Object',
  'Array',
  'Promise',
  'Math',
  'RegExp',
  'URL',
  'URLSearchParams',
  'console',
  'Date',
  'Error',
  'isNaN',
  'isFinite',
  'structuredClone',
  'TextDecoder',
  'Symbol',
  'Map',
  'Set',
];

const NORMALIZE_SPEC: Record<string, string> = {
  'fs/promises': 'fs.promises',
  'path/posix': 'path',
  'path/win32': 'path',
  'timers/promises': 'timers',
};

function normalizeSpec(spec: string): string {
  const s = spec.startsWith('node:') ? spec.slice(5) : spec;
  return NORMALIZE_SPEC[s] ?? s;
}

/** Frameworks whose route callbacks receive `(req, res)` / `(ctx, next)` / `(request, reply)`. */
const ROUTE_REGISTRATION =
  /^(express|koa|@koa\/router|koa-router|fastify|restify|polka|@hapi\/hapi|router|express\.Router)\b.*\.(get|post|put|patch|delete|del|all|use|options|head|route|handle|register)$/;

interface Frame {
  ret: Val;
  fn?: Func;
}

class Budget extends Error {}

export class TaintEngine {
  private readonly findings = new Map<string, TaintFinding>();
  private readonly modules = new Map<string, { exports: Val; moduleObj: Val } | null>();
  private readonly memo = new Map<string, Val>();
  private readonly global = new Scope(undefined);
  private readonly callStack: string[] = [];
  private branchDepth = 0;
  private inInvocation = false;
  private steps = 0;
  private inputReads = 0;
  private currentFile = '';
  private frame: Frame = { ret: CLEAN };
  private handlerFn: Func | undefined;

  constructor(
    private readonly program: ProgramAccess,
    private readonly opts: InvocationOptions,
  ) {
    for (const g of GLOBAL_MODS) this.global.set(g, { mod: g });
    this.global.set('require', { mod: 'require' });
  }

  /**
   * Load the entry module and invoke the export at `exportPath` with the event. Calling it again
   * on the same engine (another export of the same code) reuses the loaded modules and memoized
   * calls; findings accumulate.
   */
  run(entry: string, exportPath: readonly string[]): InvocationResult {
    let invoked = false;
    let validated = false;
    let handlerLoc: Loc | undefined;
    let truncated = false;
    this.steps = 0;
    try {
      const mod = this.loadModule(entry);
      if (mod) {
        let h: Val = mod.exports;
        for (const p of exportPath) h = this.getProp(h, p, undefined);
        if (!h.fns?.length && exportPath.length === 1) {
          const def = this.getProp(mod.exports, 'default', undefined);
          const alt = this.getProp(def, exportPath[0] as string, undefined);
          if (alt.fns?.length) h = alt;
        }
        if (h.fns?.length) {
          invoked = true;
          validated = !!h.validated;
          const fn = h.fns[0] as Closure;
          handlerLoc = fn.fn.loc;
          this.handlerFn = fn.fn;
          const evName = fn.fn.params[0]?.k === 'name' ? fn.fn.params[0].name : 'event';
          const hinted = fn.fn.typeHint ? this.opts.specFromTypeHint?.(fn.fn.typeHint) : undefined;
          const event: Val = {
            event: { spec: hinted ?? this.opts.spec, path: [], name: evName, san: validated ? ALL_INJECTION : 0 },
            props: new Map(),
          };
          const callback: Val = { mod: 'lambda.callback' };
          this.inInvocation = true;
          this.invoke(h, [event, CLEAN, callback], undefined, fn.fn.loc);
          this.inInvocation = false;
        }
      }
    } catch (e) {
      if (!(e instanceof Budget)) throw e;
      truncated = true;
    }
    return {
      findings: [...this.findings.values()],
      invoked,
      inputReads: this.inputReads,
      validated,
      modulesLoaded: this.modules.size,
      ...(handlerLoc ? { handlerLoc } : {}),
      ...(truncated ? { truncated } : {}),
    };
  }

  /* ---------------------------------------------------------------------------------------- */
  /* modules                                                                                    */
  /* ---------------------------------------------------------------------------------------- */

  private loadModule(file: string): { exports: Val; moduleObj: Val } | undefined {
    if (this.modules.has(file)) return this.modules.get(file) ?? undefined;
    const ir = this.program.module(file);
    if (!ir) {
      this.modules.set(file, null);
      return undefined;
    }
    const exportsObj: Val = { props: new Map(), moduleLevel: true };
    const moduleObj: Val = { props: new Map([['exports', exportsObj]]), moduleLevel: true };
    const entry = { exports: exportsObj, moduleObj };
    this.modules.set(file, entry);
    const scope = new Scope(this.global, true);
    scope.set('module', moduleObj);
    scope.set('exports', exportsObj);
    const prevFile = this.currentFile;
    const prevInv = this.inInvocation;
    const prevFrame = this.frame;
    this.currentFile = file;
    this.inInvocation = false;
    this.frame = { ret: CLEAN };
    try {
      this.execBlock(ir.body, scope, entry);
    } finally {
      this.currentFile = prevFile;
      this.inInvocation = prevInv;
      this.frame = prevFrame;
    }
    entry.exports = moduleObj.props?.get('exports') ?? exportsObj;
    return entry;
  }

  private importValue(spec: string, name: string | undefined): Val {
    const r = this.program.resolve(spec, this.currentFile);
    if (r.file) {
      const m = this.loadModule(r.file);
      if (!m) return CLEAN;
      if (name === undefined || name === '*') return m.exports;
      const v = m.exports.props?.get(name);
      if (name === 'default') return v ?? m.exports;
      return v ?? this.getProp(m.exports, name, undefined);
    }
    const base = normalizeSpec(spec);
    if (name === undefined || name === '*' || name === 'default') return { mod: base };
    return { mod: `${base}.${name}` };
  }

  /* ---------------------------------------------------------------------------------------- */
  /* statements                                                                                 */
  /* ---------------------------------------------------------------------------------------- */

  private tick() {
    if (++this.steps > (this.opts.budget ?? 150_000)) throw new Budget();
  }

  private execBlock(body: readonly Stmt[], scope: Scope, mod?: { exports: Val; moduleObj: Val }) {
    for (const s of body) this.exec(s, scope, mod);
  }

  private exec(s: Stmt, scope: Scope, mod?: { exports: Val; moduleObj: Val }): void {
    this.tick();
    switch (s.k) {
      case 'expr':
        this.eval(s.e, scope);
        return;
      case 'decl': {
        const v = s.value ? this.eval(s.value, scope) : CLEAN;
        if (!this.inInvocation && s.target.k === 'name' && v !== CLEAN && typeof v === 'object' && !v.moduleName && (v.props || v.taints))
          v.moduleName = s.target.name;
        this.bind(s.target, v, scope, true);
        return;
      }
      case 'return': {
        const v = s.e ? this.eval(s.e, scope) : CLEAN;
        this.frame.ret = union(this.frame.ret, v);
        if (this.opts.http && this.frame.fn && this.frame.fn === this.handlerFn) this.checkResponse(v, s.loc, true);
        return;
      }
      case 'throw':
        this.eval(s.e, scope);
        return;
      case 'if': {
        this.eval(s.test, scope);
        const g = s.guard;
        const thenScope = new Scope(scope);
        if (g && !g.negated) this.applyGuard(g, thenScope, scope);
        this.branchDepth++;
        this.execBlock(s.yes, thenScope);
        this.execBlock(s.no, new Scope(scope));
        this.branchDepth--;
        if (g?.negated && g.exits) this.applyGuard(g, scope, scope);
        return;
      }
      case 'loop': {
        const inner = new Scope(scope);
        this.branchDepth++;
        for (let i = 0; i < 2; i++) {
          if (s.test) this.eval(s.test, inner);
          if (s.bind) {
            const from = this.eval(s.bind.from, inner);
            const el = s.bind.mode === 'of' ? this.elementOf(from) : this.keysOf(from);
            this.bind(s.bind.target, el, inner, true);
          }
          this.execBlock(s.body, inner);
        }
        this.branchDepth--;
        return;
      }
      case 'try': {
        this.branchDepth++;
        this.execBlock(s.body, new Scope(scope));
        const hs = new Scope(scope);
        if (s.param) this.bind(s.param, this.errorValue(s.loc), hs, true);
        this.execBlock(s.handler, hs);
        this.branchDepth--;
        this.execBlock(s.finalizer, new Scope(scope));
        return;
      }
      case 'block':
        this.execBlock(s.body, new Scope(scope));
        return;
      case 'export': {
        const v = this.eval(s.value, scope);
        mod?.exports.props?.set(s.name, v);
        return;
      }
      case 'exportFrom': {
        const r = this.program.resolve(s.spec, this.currentFile);
        const target = mod?.exports.props;
        if (!target) return;
        if (r.file) {
          const m = this.loadModule(r.file);
          if (!m) return;
          if (s.name === '*' && s.as) target.set(s.as, m.exports);
          else if (s.name && s.name !== '*') target.set(s.as ?? s.name, this.getProp(m.exports, s.name, undefined));
          else for (const [k, v] of m.exports.props ?? []) if (k !== 'default' && !target.has(k)) target.set(k, v);
        } else if (s.name && s.as) target.set(s.as, { mod: s.name === '*' ? normalizeSpec(s.spec) : `${normalizeSpec(s.spec)}.${s.name}` });
        return;
      }
    }
  }

  private applyGuard(g: Guard, into: Scope, lookupFrom: Scope) {
    const [root, ...rest] = g.target;
    if (!root) return;
    const found = lookupFrom.lookup(root);
    if (!found) return;
    if (rest.length === 0) {
      into.set(root, sanitize(found.value, ALL_INJECTION));
      return;
    }
    // sanitize the property in place (event objects cache their children)
    let parent = found.value;
    for (const p of rest.slice(0, -1)) parent = this.getProp(parent, p, undefined);
    const last = rest[rest.length - 1] as string;
    const v = this.getProp(parent, last, undefined);
    if (parent !== CLEAN) {
      parent.props ??= new Map();
      parent.props.set(last, sanitize(v, ALL_INJECTION));
    }
  }

  private bind(p: Pattern, v: Val, scope: Scope, declare: boolean, loc?: Loc, quiet = false): void {
    switch (p.k) {
      case 'name': {
        const val = v.taints?.length && !quiet ? this.noteAll(v, p.loc, `assigned to \`${p.name}\``) : v;
        if (declare) {
          scope.set(p.name, val);
          return;
        }
        const found = scope.lookup(p.name);
        const target = found?.scope ?? this.moduleScopeOf(scope);
        if (found && target.isModule && this.inInvocation) this.moduleStateWrite(p.name, val, p.loc);
        target.set(p.name, this.branchDepth > 0 && found ? union(found.value, val) : val);
        return;
      }
      case 'obj': {
        const used: string[] = [];
        for (const prop of p.props) {
          const key = prop.key ?? this.eval(prop.keyExpr as Expr, scope).text;
          if (key !== undefined) used.push(key);
          this.bind(prop.value, key !== undefined ? this.getProp(v, key, p.loc) : this.elementOf(v), scope, declare);
        }
        if (p.rest) this.bind(p.rest, v, scope, declare);
        return;
      }
      case 'arr':
        p.elems.forEach((e, i) => {
          if (e) this.bind(e, this.getProp(v, String(i), p.loc), scope, declare);
        });
        if (p.rest) this.bind(p.rest, v, scope, declare);
        return;
      case 'default': {
        const d = this.eval(p.value, scope);
        this.bind(p.target, v === CLEAN ? d : union(v, d), scope, declare, loc);
        return;
      }
      case 'member': {
        const obj = this.eval(p.obj, scope);
        const key = p.prop ?? (p.key ? this.eval(p.key, scope).text : undefined);
        this.store(obj, key, v, p.loc);
        return;
      }
      case 'none':
        return;
    }
  }

  private moduleScopeOf(scope: Scope): Scope {
    let s: Scope = scope;
    while (s.parent && !s.isModule) s = s.parent;
    return s;
  }

  private store(obj: Val, key: string | undefined, v: Val, loc: Loc) {
    if (obj === CLEAN) return;
    if (obj.mod === 'koa.ctx' && key === 'body') {
      this.checkErrorExposure(v, loc, 'ctx.body');
    }
    if (obj.moduleLevel && this.inInvocation) this.moduleStateWrite(obj.moduleName ?? 'a module-level object', v, loc);
    obj.props ??= new Map();
    const k = key ?? '*';
    const old = obj.props.get(k);
    obj.props.set(k, this.branchDepth > 0 && old ? union(old, v) : v);
  }

  private moduleStateWrite(name: string, v: Val, loc: Loc) {
    const t = this.inputTaints(v, 0).find((x) => !(x.san & bit('module-state')));
    if (!t) return;
    this.report('module-state', name, loc, t, `per-request data stored in module-level \`${name}\``);
  }

  /* ---------------------------------------------------------------------------------------- */
  /* expressions                                                                                */
  /* ---------------------------------------------------------------------------------------- */

  private eval(e: Expr, scope: Scope): Val {
    this.tick();
    switch (e.k) {
      case 'lit':
        if (e.regex !== undefined) return { regex: e.regex };
        return typeof e.value === 'string' ? { text: e.value } : e.value === true || e.value === false ? { text: String(e.value) } : CLEAN;
      case 'var':
        return scope.get(e.name) ?? CLEAN;
      case 'get': {
        const o = this.eval(e.obj, scope);
        if (e.prop !== undefined) return this.getProp(o, e.prop, e.loc);
        const k = this.eval(e.key as Expr, scope);
        return k.text !== undefined ? this.getProp(o, k.text, e.loc) : this.elementOf(o, e.loc);
      }
      case 'call':
        return this.evalCall(e, scope);
      case 'obj': {
        const props = new Map<string, Val>();
        const out: Val = { props, at: e.loc };
        for (const p of e.props) {
          const v = this.eval(p.value, scope);
          if (p.spread) {
            for (const [k, x] of v.props ?? []) props.set(k, x);
            if (v.event) out.event = v.event;
            if (v.taints) out.taints = mergeTaints(out.taints, v.taints);
            continue;
          }
          const key = p.key ?? this.eval(p.keyExpr as Expr, scope).text ?? '*';
          props.set(key, key === '*' && props.has('*') ? union(props.get('*') as Val, v) : v);
        }
        if (!this.inInvocation) out.moduleLevel = true;
        return out;
      }
      case 'arr': {
        let el: Val = CLEAN;
        const props = new Map<string, Val>();
        const elems = e.elems;
        for (let i = 0; i < elems.length; i++) {
          const v = this.eval(elems[i] as Expr, scope);
          props.set(String(i), v);
          el = union(el, v);
        }
        props.set('*', el);
        return this.inInvocation ? { props } : { props, moduleLevel: true };
      }
      case 'concat': {
        const parts: Val[] = [];
        for (const p of e.parts) parts.push(this.eval(p, scope));
        return this.concat(parts, e.loc);
      }
      case 'join': {
        let v: Val = CLEAN;
        for (const p of e.parts) v = union(v, this.eval(p, scope));
        return v;
      }
      case 'seq': {
        let v: Val = CLEAN;
        for (const p of e.parts) v = this.eval(p, scope);
        return v;
      }
      case 'clean':
        for (const p of e.parts) this.eval(p, scope);
        return CLEAN;
      case 'func':
        return { fns: [{ fn: e.fn, scope }] };
      case 'import':
        return this.importValue(e.spec, e.name);
      case 'dynImport': {
        const v = this.eval(e.spec, scope);
        this.checkArg('require', 'import()', v, e.loc, false);
        return CLEAN;
      }
      case 'assign': {
        const v = this.eval(e.value, scope);
        this.bind(e.target, v, scope, false);
        return v;
      }
      case 'error':
        return this.errorValue(e.loc);
    }
  }

  private errorValue(loc: Loc): Val {
    return { taints: [makeTaint('error', [step(loc, 'error caught here')], 0, undefined, undefined, undefined)] };
  }

  private concat(parts: Val[], loc: Loc): Val {
    let text = '';
    let taints: Taint[] | undefined;
    let allText = true;
    for (const v of parts) {
      if (v.text !== undefined) {
        text += v.text;
        continue;
      }
      allText = false;
      const ts = this.deepTaints(v, 0, loc);
      const kept: Taint[] = [];
      for (const t of ts) {
        if (t.label !== 'input' && !t.stack) continue;
        kept.push(makeTaint(t.label, t.flow, t.san, false, t.prefix === undefined ? text : t.prefix, t.stack));
      }
      if (kept.length) taints = mergeTaints(taints, kept);
      text += '\u0000';
    }
    const out: Val = {};
    if (taints) out.taints = taints;
    // keep the literal skeleton (dynamic parts as NUL) for SQL / HTML / /tmp checks
    if (allText) out.text = text;
    else out.skeleton = text;
    return out;
  }

  /* ---------------------------------------------------------------------------------------- */
  /* property reads                                                                             */
  /* ---------------------------------------------------------------------------------------- */

  private getProp(o: Val, prop: string, loc: Loc | undefined): Val {
    if (o === CLEAN) return CLEAN;
    const own = o.props?.get(prop);
    if (own !== undefined && (own !== CLEAN || !o.event)) return own;
    if (o.event) {
      const ev = o.event;
      if (ev.spec === REQUEST_SPEC && REQUEST_GETTERS.has(prop)) return { mod: '$request.get', event: ev };
      const path = [...ev.path, prop];
      const c = classify(ev.spec, path);
      let v: Val = CLEAN;
      if (c.t === 'partial') v = { event: { ...ev, path }, props: new Map() };
      else if (c.t === 'tainted') v = { taints: [this.sourceTaint(ev, path, c.note, loc)] };
      if (v !== CLEAN) {
        o.props ??= new Map();
        o.props.set(prop, v);
      }
      if (v !== CLEAN || !o.mod) return v;
    }
    if (o.mod) {
      if (prop === 'prototype' || prop === 'default') return o;
      return o.taints ? { mod: `${o.mod}.${prop}`, taints: o.taints } : { mod: `${o.mod}.${prop}` };
    }
    if (prop === 'length') return CLEAN;
    if (o.props && /^\d+$/.test(prop)) {
      const star = o.props.get('*');
      if (star) return star;
    }
    if (o.taints?.length) {
      // error objects: only the stack trace (and the object itself) leak internals
      const ts = o.taints.filter((t) => t.label === 'input' || prop === 'stack');
      if (!ts.length) return CLEAN;
      return {
        taints: prop === 'stack' ? ts.map((t) => (t.label === 'error' ? makeTaint(t.label, t.flow, t.san, t.obj, t.prefix, true) : t)) : ts,
      };
    }
    if (o.fns && prop !== 'call' && prop !== 'apply' && prop !== 'bind') return CLEAN;
    return o.fns ? o : CLEAN;
  }

  private sourceTaint(ev: EventRef, path: string[], note: string | undefined, loc: Loc | undefined): Taint {
    this.inputReads++;
    const shown = `${ev.name}.${path.filter((p) => p !== '*').join('.')}`;
    const flow = loc ? [step(loc, `source: ${shown}${note ? ` (${note})` : ''}`)] : [];
    const obj = ev.spec === REQUEST_SPEC && /^(body|query)$/.test(path[0] ?? '') ? true : undefined;
    return makeTaint('input', flow, ev.san, obj, undefined, undefined);
  }

  private elementOf(v: Val, loc?: Loc): Val {
    if (v === CLEAN) return CLEAN;
    if (v.event) return this.getProp(v, '*', loc ?? undefined);
    const star = v.props?.get('*');
    if (star) return star;
    if (v.props) {
      let u: Val = CLEAN;
      for (const x of v.props.values()) u = union(u, x);
      if (v.taints) u = union(u, { taints: v.taints });
      return u;
    }
    return v.taints ? { taints: v.taints } : CLEAN;
  }

  private keysOf(v: Val): Val {
    return v.taints ? { taints: v.taints } : v.event ? { taints: this.deepTaints(v, 0) } : CLEAN;
  }

  /* ---------------------------------------------------------------------------------------- */
  /* taint queries                                                                              */
  /* ---------------------------------------------------------------------------------------- */

  private deepTaints(v: Val, depth: number, loc?: Loc): Taint[] {
    if (v === CLEAN) return [];
    const out: Taint[] = v.taints ? v.taints.slice() : [];
    if (v.event) {
      const t = anyTainted(v.event.spec, v.event.path);
      if (t) out.push(this.sourceTaint(v.event, [...v.event.path], t.note, loc ?? undefined));
    }
    if (v.props && depth < 4)
      for (const x of v.props.values()) {
        const inner = this.deepTaints(x, depth + 1, loc);
        for (let i = 0; i < inner.length; i++) out.push(inner[i] as Taint);
      }
    if (out.length > 8) out.length = 8;
    return out;
  }

  private inputTaints(v: Val, depth: number, loc?: Loc): Taint[] {
    return this.deepTaints(v, depth, loc).filter((t) => t.label === 'input');
  }

  private noteAll(v: Val, loc: Loc, note: string): Val {
    if (!v.taints?.length) return v;
    const s = step(loc, note);
    const taints: Taint[] = [];
    for (const t of v.taints) taints.push(makeTaint(t.label, withStep(t.flow, s), t.san, t.obj, t.prefix, t.stack));
    return { ...v, taints };
  }

  /* ---------------------------------------------------------------------------------------- */
  /* calls                                                                                      */
  /* ---------------------------------------------------------------------------------------- */

  private evalCall(e: Extract<Expr, { k: 'call' }>, scope: Scope): Val {
    let receiver: Val | undefined;
    let method: string | undefined;
    let callee: Val;
    if (e.callee.k === 'get') {
      receiver = this.eval(e.callee.obj, scope);
      method = e.callee.prop ?? (e.callee.key ? this.eval(e.callee.key, scope).text : undefined);
      callee = method !== undefined ? this.getProp(receiver, method, e.callee.loc) : this.elementOf(receiver);
    } else callee = this.eval(e.callee, scope);
    const args: Val[] = [];
    for (const a of e.args) args.push(this.eval(a, scope));
    return this.applyCall(callee, receiver, method, args, e);
  }

  private applyCall(callee: Val, receiver: Val | undefined, method: string | undefined, args: Val[], e: Extract<Expr, { k: 'call' }>): Val {
    const loc = e.loc;
    const path = callee.mod;
    // Function.prototype.call/apply
    if (method === 'call' && receiver?.fns) return this.invoke(receiver, args.slice(1), args[0], loc);
    if (method === 'apply' && receiver?.fns) return this.invoke(receiver, [this.elementOf(args[1] ?? CLEAN)], args[0], loc);
    if (method === 'bind' && receiver?.fns) return receiver;
    if (path) return this.libraryCall(path, callee, receiver, args, e);
    if (e.isNew && callee.props && !callee.fns?.length) {
      // an instance of a class of this program: its methods, `this` bound on call
      const instance: Val = { props: new Map(callee.props), ...(this.inInvocation ? {} : { moduleLevel: true }) };
      const ctor = callee.props.get('constructor');
      if (ctor?.fns?.length) this.invoke(ctor, args, instance, loc);
      return instance;
    }
    if (callee.fns?.length) {
      const r = this.invoke(callee, args, receiver, loc);
      // middy(handler).use(validator()) chains keep the handler
      return r;
    }
    // a method of a plain value (string/array/object/promise) or an unknown function
    if (method !== undefined && receiver !== undefined) return this.builtinMethod(receiver, method, args, loc);
    this.callCallbacks(args, [CLEAN, this.argTaint(args)]);
    return this.argTaint(args);
  }

  private argTaint(args: Val[]): Val {
    let taints: Taint[] | undefined;
    for (const a of args) {
      const ts = this.deepTaints(a, 1);
      if (ts.length) taints = mergeTaints(taints, ts);
    }
    return taints ? { taints } : CLEAN;
  }

  private callCallbacks(args: Val[], params: Val[]) {
    for (const a of args) if (a.fns?.length) this.invoke(a, params, undefined, a.fns[0]?.fn.loc as Loc);
  }

  private builtinMethod(receiver: Val, method: string, args: Val[], loc: Loc): Val {
    if (receiver.fns && (method === 'use' || method === 'before' || method === 'after' || method === 'onError' || method === 'handler')) {
      const validated = args.some((a) => /^(@middy\/validator|@aws-lambda-powertools\/parser)/.test(a.mod ?? ''));
      return validated ? { ...receiver, validated: true } : receiver;
    }
    if (CLEAN_METHODS.has(method)) {
      if (ELEMENT_CALLBACK_METHODS.has(method)) this.callCallbacks(args, [this.elementOf(receiver), CLEAN]);
      return CLEAN;
    }
    if (ELEMENT_CALLBACK_METHODS.has(method)) {
      const el = this.elementOf(receiver, loc);
      let r: Val = CLEAN;
      for (const a of args) if (a.fns?.length) r = union(r, this.invoke(a, [el, CLEAN, receiver], undefined, loc));
      if (method === 'map' || method === 'flatMap') return { props: new Map([['*', r]]) };
      if (method === 'forEach') return CLEAN;
      if (method === 'find' || method === 'findLast') return el;
      return receiver;
    }
    if (method === 'reduce' || method === 'reduceRight') {
      const el = this.elementOf(receiver, loc);
      let acc = args[1] ?? CLEAN;
      if (args[0]?.fns?.length) acc = union(acc, this.invoke(args[0], [acc, el], undefined, loc));
      return acc;
    }
    if (method === 'then' || method === 'finally') {
      let r: Val = CLEAN;
      if (args[0]?.fns?.length) r = this.invoke(args[0], [receiver], undefined, loc);
      if (args[1]?.fns?.length) this.invoke(args[1], [this.errorValue(loc)], undefined, loc);
      return method === 'finally' ? receiver : r;
    }
    if (method === 'catch') {
      if (args[0]?.fns?.length) return union(receiver, this.invoke(args[0], [this.errorValue(loc)], undefined, loc));
      return receiver;
    }
    if (method === 'replace' || method === 'replaceAll') {
      // `s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')` escapes regex syntax
      if (args[0]?.regex && /\\\$&|\$&/.test(args[1]?.text ?? '') && /[.*+?]/.test(args[0].regex)) return sanitize(receiver, bit('redos'));
      if (args[0]?.regex && args[1]?.text === '' && /\.\./.test(args[0].regex)) return receiver;
    }
    if (PROPAGATING_METHODS.has(method) || method === 'concat') {
      let v: Val =
        receiver.taints || receiver.event
          ? { taints: this.deepTaints(receiver, 1, loc) }
          : receiver.props
            ? this.elementOf(receiver)
            : CLEAN;
      if (method === 'split' || method === 'match' || method === 'matchAll')
        v = v.taints ? { props: new Map([['*', v]]), taints: v.taints } : v;
      if (method === 'concat' || method === 'replace' || method === 'replaceAll' || method === 'join')
        v = union(v, this.argTaint(args.slice(method === 'join' ? 0 : 0)));
      if (method === 'get' && receiver.props) return union(receiver.props.get('*') ?? CLEAN, v);
      return v;
    }
    // unknown method: results carry the receiver's and the arguments' taint (conservative)
    this.callCallbacks(args, [CLEAN, receiver.taints ? { taints: receiver.taints } : CLEAN]);
    return union(receiver.taints ? { taints: receiver.taints } : CLEAN, this.argTaint(args));
  }

  private libraryCall(path: string, callee: Val, receiver: Val | undefined, args: Val[], e: Extract<Expr, { k: 'call' }>): Val {
    const loc = e.loc;
    const traits = traitsOf(path);
    // sinks
    for (const spec of traits.sinks) this.checkSink(spec, path, args, receiver, loc, e.tagged === true);
    // route registration: invoke the callbacks with request/response objects
    if (traits.route) {
      const koa = traits.koa;
      const fastify = traits.fastify;
      const req: Val = {
        event: { spec: REQUEST_SPEC, path: [], name: koa ? 'ctx' : 'req', san: 0 },
        props: new Map(),
        ...(koa ? { mod: 'koa.ctx' } : {}),
      };
      const res: Val = { mod: fastify ? 'fastify.reply' : 'express.response' };
      const prev = this.inInvocation;
      this.inInvocation = true;
      for (const a of args) {
        if (a.fns?.length) this.invoke(a, koa ? [req, CLEAN] : [req, res, CLEAN], undefined, loc);
        const h = a.props?.get('handler');
        if (h?.fns?.length) this.invoke(h, [req, res], undefined, loc);
      }
      this.inInvocation = prev;
      return { mod: traits.called };
    }
    // responses
    if (path === 'lambda.callback') {
      if (this.opts.http && args[1]) this.checkResponse(args[1], loc, false);
      return CLEAN;
    }
    if (traits.responseSend) this.checkErrorExposure(args[0] ?? CLEAN, loc, path);
    if (traits.responseBase !== undefined) return { mod: traits.responseBase };
    if (path === '$request.get') {
      const ev = callee.event as EventRef;
      return { taints: [this.sourceTaint(ev, ['headers', args[0]?.text ?? '*'], 'request header', loc)] };
    }
    // middy(handler): the handler itself, carrying its middlewares
    if (traits.middy && args[0]?.fns?.length) return args[0];
    // Promise helpers and structural built-ins
    if (traits.promiseHelper)
      return args[0]
        ? path === 'Promise.resolve'
          ? args[0]
          : this.elementOf(args[0]) === CLEAN
            ? args[0]
            : { props: new Map([['*', this.elementOf(args[0])]]) }
        : CLEAN;
    if (path === 'Promise' && args[0]?.fns?.length) {
      let resolved: Val = CLEAN;
      const resolver: Val = { mod: '$resolve' };
      this.invoke(args[0], [resolver, CLEAN], undefined, loc);
      resolved = CLEAN;
      return resolved;
    }
    if (path === 'Object.assign') {
      const target = args[0] ?? CLEAN;
      for (const src of args.slice(1)) {
        for (const [k, v] of src.props ?? []) this.store(target, k, v, loc);
        if (src.taints || src.event) {
          if (target !== CLEAN) {
            target.taints = mergeTaints(target.taints, this.deepTaints(src, 0, loc));
          }
        }
      }
      return target;
    }
    if (traits.structural) {
      if (path === 'Object.freeze' || path === 'structuredClone') return args[0] ?? CLEAN;
      const el = path === 'Object.keys' ? this.keysOf(args[0] ?? CLEAN) : this.elementOf(args[0] ?? CLEAN, loc);
      if (args[1]?.fns?.length) return { props: new Map([['*', this.invoke(args[1], [el], undefined, loc)]]) };
      return { props: new Map([['*', el]]) };
    }
    if (path === 'String') {
      const ts = this.deepTaints(args[0] ?? CLEAN, 0, loc).filter((t) => t.label === 'input' || t.stack);
      return ts.length ? { taints: ts.map((t) => makeTaint(t.label, t.flow, t.san, false, t.prefix, t.stack)) } : CLEAN;
    }
    if (path === 'JSON.parse') {
      const ts = this.deepTaints(args[0] ?? CLEAN, 0, loc);
      return ts.length
        ? {
            taints: ts.map((t) =>
              makeTaint(t.label, withStep(t.flow, step(loc, 'parsed with JSON.parse')), t.san, true, t.prefix, t.stack),
            ),
          }
        : CLEAN;
    }
    if (traits.stringify) {
      const ts = this.deepTaints(args[0] ?? CLEAN, 0, loc);
      return ts.length
        ? { taints: ts.map((t) => makeTaint(t.label, t.flow, t.san, false, t.prefix, t.label === 'error' ? true : t.stack)) }
        : CLEAN;
    }
    // sanitisers
    const sanitizer = traits.sanitizer;
    if (sanitizer) {
      const san = sanitizer[1];
      if (san === ALL_INJECTION && traits.cleaningSanitizer) return CLEAN;
      const input = union(this.argTaint(args), receiver && !receiver.mod ? { taints: this.deepTaints(receiver, 0) } : CLEAN);
      const arg0 = args[0] ?? CLEAN;
      const base = traits.parserLike ? union(arg0, args[1] ?? CLEAN) : input;
      return sanitize(base, san);
    }
    if (traits.cleanResult) return CLEAN;
    // propagate through decoders and unknown library calls; callbacks get (err, result)
    const ts = mergeTaints(this.argTaint(args).taints, receiver?.taints);
    const result: Val = ts ? { mod: traits.called, taints: ts } : { mod: traits.called };
    if (e.isNew && args[0]) {
      // `new XCommand(params)`: keep the params readable for SDK readers
      result.props = args[0].props ?? new Map();
    }
    this.callCallbacks(args, [CLEAN, ts ? { taints: ts } : CLEAN]);
    return result;
  }

  /** Invoke closures with abstract arguments, memoized per call signature. */
  private invoke(callee: Val, args: Val[], self: Val | undefined, loc: Loc): Val {
    let out: Val = CLEAN;
    const fns = callee.fns;
    if (!fns) return out;
    for (let ci = 0; ci < fns.length && ci < 3; ci++) {
      const c = fns[ci] as Closure;
      // recomputed per closure: invoking the previous one may have changed the arguments' objects
      const key = `${c.fn.id}|${signature(args)}|${this.inInvocation ? 1 : 0}`;
      const hit = this.memo.get(key);
      if (hit) {
        out = union(out, hit);
        continue;
      }
      if (this.callStack.includes(c.fn.id) || this.callStack.length > 24) continue;
      this.memo.set(key, CLEAN);
      this.callStack.push(c.fn.id);
      const scope = new Scope(c.scope);
      if (self ?? c.self) scope.set('this', (self ?? c.self) as Val);
      const name = c.fn.name ?? 'a callback';
      const params = c.fn.params;
      for (let i = 0; i < params.length; i++) {
        const p = params[i] as Pattern;
        let a = args[i] ?? CLEAN;
        const named = !!a.taints?.length && p.k === 'name';
        if (named) a = this.noteAll(a, p.loc, `passed to \`${name}()\` as \`${p.name}\``);
        this.bind(p, a, scope, true, undefined, named);
      }
      const prevFrame = this.frame;
      const prevDepth = this.branchDepth;
      this.frame = { ret: CLEAN, fn: c.fn };
      this.branchDepth = 0;
      try {
        this.execBlock(c.fn.body, scope);
      } finally {
        this.callStack.pop();
      }
      let ret = this.frame.ret;
      this.frame = prevFrame;
      this.branchDepth = prevDepth;
      if (ret.taints?.length && c.fn.name) ret = this.noteAll(ret, loc, `returned from \`${c.fn.name}()\``);
      this.memo.set(key, ret);
      out = union(out, ret);
    }
    return out;
  }

  /* ---------------------------------------------------------------------------------------- */
  /* sinks                                                                                      */
  /* ---------------------------------------------------------------------------------------- */

  private view(v: Val, depth = 0): ArgView {
    const self = this;
    return {
      ...(v.text !== undefined ? { text: v.text } : {}),
      ...(v.mod ? { mod: v.mod } : {}),
      isFunction: !!v.fns?.length,
      prop(name: string) {
        const p = v.props?.get(name);
        return p && depth < 3 ? self.view(p, depth + 1) : undefined;
      },
    };
  }

  private checkSink(spec: SinkSpec, path: string, args: Val[], receiver: Val | undefined, loc: Loc, tagged: boolean) {
    if (tagged) return; // tagged templates pass interpolations as parameters
    if (spec.when && !spec.when(args.map((a) => this.view(a)))) return;
    const display = path.replace(/\(\)/g, '()');
    if (spec.receiver && receiver) this.checkArg(spec.kind, display, receiver, loc, false);
    const idx = spec.args === 'all' ? args.map((_, i) => i) : spec.args;
    for (const i of idx) {
      const a = args[i];
      if (!a) continue;
      if (spec.props) {
        for (const p of spec.props) {
          const pv = a.props?.get(p);
          if (pv) this.checkArg(spec.kind, `${display}({ ${p} })`, pv, loc, true);
        }
        if (spec.propsOnly) continue;
        this.checkArg(spec.kind, display, a, loc, false, true);
        continue;
      }
      this.checkArg(spec.kind, display, a, loc, true);
    }
  }

  /** Report when `v` carries attacker data not sanitised for `kind`. */
  private checkArg(kind: SinkKind, sink: string, v: Val, loc: Loc, deep: boolean, shallow = false): void {
    let ts = shallow
      ? (v.taints ?? []).filter((t) => t.label === 'input')
      : deep
        ? this.inputTaints(v, 0, loc)
        : (v.taints ?? []).filter((t) => t.label === 'input');
    if (shallow && v.event) ts = ts.concat(this.inputTaints({ event: v.event }, 0, loc));
    ts = ts.filter((t) => !(t.san & bit(kind)));
    if (kind === 'ssrf' || kind === 'redirect') ts = ts.filter((t) => !fixedOrigin(t.prefix));
    if (kind === 'mongodb') ts = ts.filter((t) => t.obj);
    // an S3 key under a constant prefix stays inside that prefix (keys are flat: `..` is literal)
    // reading the object an S3 notification names is what S3-triggered functions are for
    if (kind === 'aws-resource' && /\{ (Key|CopySource) \}/.test(sink))
      ts = ts.filter((t) => !t.prefix && !/S3 object key/.test(t.flow[0]?.note ?? ''));
    if (kind === 'sql' && !/(^|\.)\$(queryRawUnsafe|executeRawUnsafe)$|raw|Raw|unsafe/.test(sink)) {
      // plain `query(x)`: x must be a string built from SQL text, or come straight from input
      const skel = v.skeleton;
      if (skel !== undefined && !/\b(select|insert|update|delete|where|from|into|values|order\s+by|call|exec)\b/i.test(skel)) return;
    }
    const t = ts[0];
    if (!t) {
      if (kind === 'mongodb') {
        // `$where` with a string built from input
        const w = v.props?.get('$where');
        if (w) {
          const tw = this.inputTaints(w, 0, loc).find((x) => !(x.san & bit('mongodb')));
          if (tw) this.report(kind, `${sink}({ $where })`, loc, tw);
        }
      }
      // `/tmp/${x}` paths: reported by OTH-02 even when INJ-06 is sanitised
      if (kind === 'path') this.checkTmp(sink, v, loc);
      return;
    }
    this.report(kind, sink, loc, t);
    if (kind === 'path') this.checkTmp(sink, v, loc);
    // `curl ${url}` / `wget ${url}` in a shell: the attacker also picks the request's destination
    if (kind === 'command' && /\b(curl|wget)\b[^\0]*\0/.test(v.skeleton ?? '')) {
      const u = ts.find((x) => !(x.san & bit('ssrf')) && /\b(curl|wget)\b/.test(x.prefix ?? ''));
      if (u) this.report('ssrf', `${sink} (curl/wget)`, loc, u);
    }
  }

  private checkTmp(sink: string, v: Val, loc: Loc) {
    const skel = v.skeleton ?? v.text;
    if (!/^\/tmp\b|\/tmp\//.test(skel ?? '') || !/write|create|output|append|copy|rename|move|open/i.test(sink)) return;
    const t = (v.taints ?? []).find((x) => x.label === 'input' && !(x.san & bit('tmp-path')) && /\/tmp/.test(x.prefix ?? ''));
    if (t) this.report('tmp-path', sink, loc, t, 'file name under /tmp derived from the event');
    else if (!v.taints?.length || v.taints.every((x) => x.san & bit('tmp-path')))
      this.report('tmp-write', sink, loc, { label: 'input', flow: [], san: 0 }, 'data written under /tmp');
  }

  private checkErrorExposure(v: Val, loc: Loc, sink: string) {
    const t = this.deepTaints(v, 0, loc).find((x) => x.label === 'error' && (x.stack || true));
    if (t) this.report('error-exposure', sink, loc, t);
    const x = this.inputTaints(v, 0, loc).find((y) => !(y.san & bit('xss')));
    if (x && /\.(send|write)$/.test(sink) && !v.props) {
      /* reported by the xss sink spec */
    }
  }

  /** A Lambda proxy response `{ statusCode, headers, body }`. */
  private checkResponse(v: Val, loc: Loc, fromReturn: boolean) {
    if (!v.props) return;
    const body = v.props.get('body') ?? CLEAN;
    const headers = v.props.get('headers');
    let contentType: string | undefined;
    let location: Val | undefined;
    for (const [k, h] of headers?.props ?? []) {
      if (/^content-type$/i.test(k)) contentType = h.text;
      if (/^location$/i.test(k)) location = h;
    }
    const at = (x: Val) => x.at ?? v.at ?? this.firstLoc(x) ?? loc;
    if (contentType && /html/i.test(contentType)) {
      const t = this.inputTaints(body, 0, loc).find((x) => !(x.san & bit('xss')));
      if (t) this.report('xss', 'an HTML response body', at(body), t);
    }
    if (location) {
      const t = this.inputTaints(location, 0, loc).find((x) => !(x.san & bit('redirect')) && !fixedOrigin(x.prefix));
      if (t) this.report('redirect', 'the Location header', at(location), t);
    }
    const err = this.deepTaints(body, 0, loc).find((x) => x.label === 'error');
    if (err) this.report('error-exposure', fromReturn ? 'the response body' : 'callback(null, response)', at(body), err);
  }

  private firstLoc(v: Val): Loc | undefined {
    const s = v.taints?.[0]?.flow.at(-1);
    return s ? { file: s.file, line: s.line, column: s.column } : undefined;
  }

  private report(kind: SinkKind, sink: string, loc: Loc, t: Taint, detail?: string) {
    const key = `${kind}\0${loc.file}\0${loc.line}\0${loc.column}`;
    if (this.findings.has(key)) return;
    const flow = withStep(t.flow, step(loc, `reaches ${sink} (${KIND_LABEL[kind]})`));
    this.findings.set(key, { kind, sink, where: loc, flow, ...(detail ? { detail } : {}) });
  }
}

/** What `libraryCall` needs to know about a callee path: its regex tests, run once per distinct path. */
interface PathTraits {
  sinks: SinkSpec[];
  /** A route registration of a web framework: its callbacks receive a request. */
  route: boolean;
  koa: boolean;
  fastify: boolean;
  /** `res.send(x)` and friends: checked for error exposure. */
  responseSend: boolean;
  /** `res.status` and other chainable response methods: the call returns the response. */
  responseBase?: string;
  middy: boolean;
  promiseHelper: boolean;
  structural: boolean;
  stringify: boolean;
  sanitizer?: [RegExp, number];
  /** A sanitiser whose result carries nothing of its input (numbers, hashes, ids). */
  cleaningSanitizer: boolean;
  /** A schema library's parse/validate: the result is the validated input. */
  parserLike: boolean;
  cleanResult: boolean;
  /** `path()`: the library value a call returns. */
  called: string;
}

const traitsCache = new Map<string, PathTraits>();
function traitsOf(path: string): PathTraits {
  let hit = traitsCache.get(path);
  if (hit) return hit;
  const responseChain = /^(express\.response|fastify\.reply|koa\.ctx)\.\w+$/.test(path);
  const sanitizer = SANITIZERS.find(([re]) => re.test(path));
  hit = {
    sinks: SINKS.filter((s) => s.callee.test(path)),
    route:
      ROUTE_REGISTRATION.test(path) ||
      (/^(express|koa|fastify|serverless-http|@vendia\/serverless-express)\b/.test(path) &&
        /\.(get|post|put|patch|delete|all|use|route)$/.test(path)),
    koa: /^(koa|@koa\/router|koa-router)\b/.test(path),
    fastify: /^fastify\b/.test(path),
    responseSend: /^(express\.response|fastify\.reply)\.(send|json|jsonp|end|write)$/.test(path),
    ...(responseChain ? { responseBase: path.replace(/\.\w+$/, '') } : {}),
    middy: /^@middy\/core$|^middy$/.test(path),
    promiseHelper: /^Promise\.(resolve|all|allSettled|race|any)$/.test(path),
    structural: /^Object\.(values|entries|keys|freeze|fromEntries)$|^Array\.(from|of)$|^structuredClone$/.test(path),
    stringify: /^JSON\.stringify$|^util\.(inspect|format)$/.test(path),
    ...(sanitizer ? { sanitizer } : {}),
    cleaningSanitizer: /^(Number|parseInt|parseFloat|Math|Boolean|BigInt|Date|uuid|crypto|nanoid|bcrypt|argon2|validator)/.test(path),
    parserLike:
      /\.(parse|parseAsync|safeParse|safeParseAsync|validate|validateSync|validateAsync|cast|attempt|create|mask|Parse|Decode|check)$/.test(
        path,
      ),
    cleanResult: CLEAN_RESULTS.test(path),
    called: `${path}()`,
  };
  if (traitsCache.size < 50_000) traitsCache.set(path, hit);
  return hit;
}

/** `https://host/...`: a constant scheme and host precede the attacker's part. */
function fixedOrigin(prefix: string | undefined): boolean {
  return prefix !== undefined && /^[a-z][a-z0-9+.-]*:\/\/[^/?#\0]+[/?#]/i.test(prefix);
}

/** A call-signature key for memoization: which arguments are tainted, library values, events. */
function sig(v: Val): string {
  if (v === CLEAN) return 'c';
  let s = '';
  const taints = v.taints;
  if (taints?.length) {
    s += 't';
    for (let i = 0; i < taints.length; i++) {
      const t = taints[i] as Taint;
      s += `${i ? '.' : ''}${t.label[0]}${t.san}${t.obj ? 'o' : ''}${t.flow[0]?.line ?? ''}`;
    }
  }
  if (v.event) s += `e${v.event.path.join('.')}:${v.event.san}`;
  if (v.mod) s += `m${v.mod}`;
  if (v.fns) {
    s += 'f';
    for (let i = 0; i < v.fns.length; i++) s += `${i ? '.' : ''}${(v.fns[i] as Closure).fn.id}`;
  }
  if (v.props) {
    let tainted = false;
    if (!isClean(v))
      for (const x of v.props.values())
        if (x.taints?.length) {
          tainted = true;
          break;
        }
    s += `p${v.props.size}${tainted ? 't' : ''}`;
  }
  return s || 'c';
}

/** The memo key part of a call's arguments: `sig` of each, comma-separated. */
function signature(args: readonly Val[]): string {
  let s = '';
  for (let i = 0; i < args.length; i++) s += i ? `,${sig(args[i] as Val)}` : sig(args[i] as Val);
  return s;
}
