/**
 * `taintAnalyzer` (fact id `js-taint`): runs the taint engine once per JS/TS function of the
 * Model, from the attacker-controlled fields of its triggers to the sinks of ./models.ts. Each
 * module is lowered to IR once per scan and shared by every function that imports it.
 */
import type { Diagnostic, Fn, TriggerKind } from '../../../model/types.js';
import { defineAnalyzer } from '../../types.js';
import { codeAnalyzer } from '../index.js';
import type { CodeFacts } from '../types.js';
import { type InvocationResult, type ProgramAccess, TaintEngine, type TaintFinding } from './engine.js';
import type { Loc, ModuleIR } from './ir.js';
import { lowerJs } from './lowerJs.js';
import type { SinkKind } from './models.js';
import { sourceSpecFor, triggerFromTypeHint } from './sources.js';

export type { TaintFinding } from './engine.js';
export type { SinkKind } from './models.js';

export const HTTP_TRIGGERS: ReadonlySet<TriggerKind> = new Set(['rest-api', 'http-api', 'function-url', 'alb', 'websocket', 'http']);

export interface FunctionTaint {
  fnId: string;
  findings: TaintFinding[];
  /** The handler export was found and analysed. */
  invoked: boolean;
  /** Attacker-controlled event fields the code reads. */
  inputReads: number;
  /** Wrapped by a validator middleware (middy validator, Powertools parser). */
  validated: boolean;
  /** Some module of the function validates input (schema library, type checks, allow-lists, 4xx answers). */
  validationEvidence: boolean;
  /** Some module deletes files (`unlink`, `rm`) or uses a temp-file library. */
  deletesFiles: boolean;
  /** Where the handler function is defined. */
  handlerLoc?: Loc;
}

export interface TaintFacts {
  byFunction: Map<string, FunctionTaint>;
  /** Findings of one kind across functions, with their function. */
  findings(kind: SinkKind): { fn: string; finding: TaintFinding }[];
}

/** Lower and cache modules for the engine; resolve imports through the code facts. */
export function programAccess(code: CodeFacts, cache: Map<string, ModuleIR | null>): ProgramAccess {
  return {
    module(file) {
      const hit = cache.get(file);
      if (hit !== undefined) return hit ?? undefined;
      const m = code.module(file);
      let ir: ModuleIR | null = null;
      if (m) {
        try {
          ir = lowerJs(m);
        } catch {
          ir = null;
        }
      }
      cache.set(file, ir);
      return ir ?? undefined;
    },
    resolve(specifier, fromFile) {
      const imp = code.imports?.(fromFile).find((i) => i.specifier === specifier);
      if (imp?.file) return { file: imp.file };
      return { pkg: specifier };
    },
  };
}

export function analyzeFunctionTaint(
  fn: Fn,
  code: CodeFacts,
  cache: Map<string, ModuleIR | null>,
  diagnostic?: (d: Diagnostic) => void,
): FunctionTaint | undefined {
  const fc = code.byFunction.get(fn.id);
  if (!fc?.entryFile) return undefined;
  const kinds = fn.triggers.map((t) => t.kind);
  if (fn.url && !kinds.includes('function-url')) kinds.push('function-url');
  const spec = sourceSpecFor(kinds);
  const http = kinds.length === 0 || kinds.some((k) => HTTP_TRIGGERS.has(k) || k === 'other');
  const access = programAccess(code, cache);
  const specFromTypeHint = (hint: string) => {
    const kind = kinds.length === 0 ? triggerFromTypeHint(hint) : undefined;
    return kind ? sourceSpecFor([kind]) : undefined;
  };
  let res: InvocationResult;
  try {
    res = new TaintEngine(access, { spec, http, specFromTypeHint }).run(fc.entryFile, fc.exportPath ?? [fc.exportName ?? 'handler']);
  } catch (e) {
    diagnostic?.({
      level: 'warning',
      file: fc.entryFile,
      message: `function '${fn.name}': taint analysis stopped: ${(e as Error)?.message ?? e}`,
      code: 'taint-error',
    });
    return undefined;
  }
  if (res.truncated)
    diagnostic?.({
      level: 'info',
      file: fc.entryFile,
      message: `function '${fn.name}': taint analysis hit its step budget; flows past that point are not reported`,
      code: 'taint-budget',
    });
  let validation = false;
  let deletes = false;
  for (const f of fc.files) {
    const ir = access.module(f);
    if (ir?.evidence.validation) validation = true;
    if (ir?.evidence.deletesFiles) deletes = true;
  }
  return {
    fnId: fn.id,
    findings: res.findings,
    invoked: res.invoked,
    inputReads: res.inputReads,
    validated: res.validated,
    validationEvidence: validation,
    deletesFiles: deletes,
    ...(res.handlerLoc ? { handlerLoc: res.handlerLoc } : {}),
  };
}

export const taintAnalyzer = defineAnalyzer<TaintFacts>({
  id: 'js-taint',
  async run(input) {
    const code = await input.fact(codeAnalyzer);
    const cache = new Map<string, ModuleIR | null>();
    const byFunction = new Map<string, FunctionTaint>();
    for (const fn of input.app.functions) {
      const t = analyzeFunctionTaint(fn, code, cache, input.diagnostic);
      if (t) byFunction.set(fn.id, t);
    }
    return {
      byFunction,
      findings(kind) {
        const out: { fn: string; finding: TaintFinding }[] = [];
        for (const [fn, t] of byFunction) for (const f of t.findings) if (f.kind === kind) out.push({ fn, finding: f });
        return out;
      },
    };
  },
});
