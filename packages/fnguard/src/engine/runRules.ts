/**
 * Run rules over an App: the core of the engine, without discovery, suppression or reporting.
 * Produces raw findings (absolute paths); `scan()` post-processes them.
 */
import type { Analyzer, ScanOptions } from '../analyze/types.js';
import type { App, Fn, Where } from '../model/types.js';
import type { ReportInput, Rule } from '../rules/defineRule.js';
import type { FlowStep, Severity } from './types.js';

export interface RawFinding {
  rule: Rule;
  severity: Severity;
  message: string;
  fn: Fn | null;
  resource: string | null;
  where: Where;
  key: string;
  flow?: FlowStep[];
  details?: Record<string, unknown>;
}

export interface RunRulesOptions {
  options: ScanOptions;
  /** Computed facts by analyzer id. */
  facts?: Map<string, unknown>;
  /** Called when a rule throws: the engine turns it into a diagnostic instead of crashing. */
  onRuleError?: (rule: Rule, error: unknown) => void;
}

export function runRules(app: App, rules: readonly Rule[], opts: RunRulesOptions): RawFinding[] {
  const out: RawFinding[] = [];
  const facts = opts.facts ?? new Map<string, unknown>();
  for (const rule of rules) {
    const ctx = {
      app,
      options: opts.options,
      fact<T>(analyzer: Analyzer<T>): T {
        if (!facts.has(analyzer.id)) throw new Error(`rule ${rule.meta.id} read fact '${analyzer.id}' it did not declare in needs`);
        return facts.get(analyzer.id) as T;
      },
      report(input: ReportInput) {
        const where = input.where ?? input.fn?.where;
        if (!where) throw new Error(`rule ${rule.meta.id} reported without a location`);
        out.push({
          rule,
          severity: input.severity ?? rule.meta.severity,
          message: input.message,
          fn: input.fn ?? null,
          resource: input.resource ?? input.fn?.resourceId ?? null,
          where,
          key: input.key ?? input.message,
          ...(input.flow ? { flow: input.flow } : {}),
          ...(input.details ? { details: input.details } : {}),
        });
      },
    };
    try {
      rule.check(ctx);
    } catch (error) {
      if (opts.onRuleError) opts.onRuleError(rule, error);
      else throw error;
    }
  }
  return out;
}
