/** Shared reporting for the taint rules (INJ, OTH): one finding per flow, with the flow attached. */
import { basename } from 'node:path';
import type { SinkKind, TaintFacts, TaintFinding } from '../../analyze/code/taint/index.js';
import { taintAnalyzer } from '../../analyze/code/taint/index.js';
import type { Severity } from '../../engine/types.js';
import type { Fn } from '../../model/types.js';
import type { RuleContext } from '../defineRule.js';

export { taintAnalyzer };

export function reportTaint(
  ctx: RuleContext,
  kinds: readonly SinkKind[],
  message: (f: TaintFinding, fn: Fn) => string,
  filter: (f: TaintFinding, fn: Fn, facts: TaintFacts) => boolean = () => true,
  severity?: (f: TaintFinding) => Severity | undefined,
): void {
  const facts = ctx.fact(taintAnalyzer);
  for (const fn of ctx.app.functions) {
    const t = facts.byFunction.get(fn.id);
    if (!t) continue;
    for (const f of t.findings) {
      if (!kinds.includes(f.kind) || !filter(f, fn, facts)) continue;
      const source = f.flow[0]?.note ?? '';
      const sev = severity?.(f);
      ctx.report({
        ...(sev ? { severity: sev } : {}),
        fn,
        where: { file: f.where.file, line: f.where.line, column: f.where.column },
        message: message(f, fn),
        flow: f.flow,
        key: `${f.kind}|${f.sink}|${basename(f.where.file)}|${source}`,
        details: { sink: f.sink, kind: f.kind },
      });
    }
  }
}

/** `source: event.body (request body)` -> `event.body`. */
export function sourceOf(f: TaintFinding): string {
  const m = /^source: (\S+)/.exec(f.flow[0]?.note ?? '');
  return m?.[1] ?? 'event data';
}
