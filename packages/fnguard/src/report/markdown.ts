/**
 * `--format markdown`: for `$GITHUB_STEP_SUMMARY` and pull-request comments. Stays under a
 * character budget (default 65,000, below GitHub's 65,536-character comment limit; the step
 * summary allows 1 MiB) by dropping rows and saying so.
 */
import type { Result, Severity } from '../engine/types.js';

export interface MarkdownOptions {
  /** Max characters (default 65,000). */
  maxChars?: number;
  /** Max functions in the risk table (default 15). */
  maxFunctions?: number;
}

export const MARKDOWN_COMMENT_LIMIT = 65_000;

const ICON: Record<Severity | 'none', string> = { critical: '🟥', high: '🟧', medium: '🟨', low: '🟦', info: '⬜', none: '🟩' };

/** Escape untrusted text for a markdown table cell (no HTML, no pipes, no newlines). */
export function mdCell(s: string): string {
  return s
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/([`*_[\]])/g, '\\$1')
    .slice(0, 300);
}

export function formatMarkdown(result: Result, options: MarkdownOptions = {}): string {
  const budget = options.maxChars ?? MARKDOWN_COMMENT_LIMIT;
  const s = result.summary;
  const head: string[] = [];
  head.push('## fnguard scan', '');
  const worst = (['critical', 'high', 'medium', 'low', 'info'] as const).find((k) => s.bySeverity[k] > 0);
  head.push(
    `${ICON[worst ?? 'none']} **${s.findings} finding${s.findings === 1 ? '' : 's'}** in ${s.functions} functions (${s.suppressed} suppressed, ${s.filesScanned} files scanned).`,
    '',
  );
  head.push('| Severity | Findings |', '|---|---:|');
  for (const k of ['critical', 'high', 'medium', 'low', 'info'] as const) head.push(`| ${ICON[k]} ${k} | ${s.bySeverity[k]} |`);
  head.push('');

  const fnRows: string[] = [];
  const maxFns = options.maxFunctions ?? 15;
  if (result.functions.length > 0) {
    fnRows.push('### Functions by risk', '', '| Score | Level | Function | Triggers | Top reasons |', '|---:|---|---|---|---|');
    for (const fn of result.functions.slice(0, maxFns)) {
      const trig = [...new Set(fn.triggers.map((t) => (t.public === true ? `${t.kind} (public, ${t.auth})` : t.kind)))].join(', ') || '-';
      const reasons = fn.risk.factors
        .slice(0, 3)
        .map((f) => `${mdCell(f.description)} (+${f.points})`)
        .join('; ');
      fnRows.push(
        `| ${fn.risk.score} | ${ICON[fn.risk.level]} ${fn.risk.level} | \`${mdCell(fn.name).replace(/`/g, '')}\` | ${mdCell(trig)} | ${reasons || '-'} |`,
      );
    }
    if (result.functions.length > maxFns) fnRows.push('', `_${result.functions.length - maxFns} more functions not shown._`);
    fnRows.push('');
  }

  const findingHead = ['### Findings', '', '| Severity | Rule | Location | Message |', '|---|---|---|---|'];
  const findingRows = result.findings
    .filter((f) => !f.suppressed)
    .map(
      (f) =>
        `| ${ICON[f.severity]} ${f.severity} | [${f.ruleId}](${f.helpUri ?? '#'}) | \`${mdCell(f.location.file).replace(/`/g, '')}:${f.location.line}\` | ${mdCell(f.message)} |`,
    );
  const diagErrors = result.diagnostics.filter((d) => d.level === 'error').length;
  const stale = (s.baseline as { stale?: unknown[] } | undefined)?.stale?.length ?? 0;
  if (stale > 0)
    head.push(`_${stale} baseline entr${stale === 1 ? 'y matches' : 'ies match'} no finding any more: prune the baseline file._`, '');
  const tail = [
    `<sub>fnguard ${result.tool.version} · ${s.durationMs} ms${diagErrors ? ` · ${diagErrors} input errors (see the JSON report)` : ''}</sub>`,
    '',
  ];

  const join = (parts: string[]) => `${parts.join('\n')}\n`;
  let text = join([...head, ...fnRows]);
  if (text.length > budget) text = join(head);
  const tailText = join(tail);
  if (findingRows.length > 0) {
    let body = join(findingHead);
    let shown = 0;
    const reserve = tailText.length + 200;
    for (const row of findingRows) {
      if (text.length + body.length + row.length + 1 + reserve > budget) break;
      body += `${row}\n`;
      shown++;
    }
    if (shown < findingRows.length)
      body += `\n_Truncated: ${findingRows.length - shown} more findings not shown (GitHub size limit). Use \`--format json\` or \`--format sarif\` for the full list._\n`;
    if (shown > 0 || text.length + body.length + reserve <= budget) text += `${body}\n`;
  } else {
    text += '✅ No unsuppressed findings.\n\n';
  }
  text += tailText;
  return text.length > budget ? `${text.slice(0, budget - 40)}\n\n_Truncated (size limit)._\n` : text;
}
