/**
 * `--format text`: functions ranked by risk, then findings grouped by function, then diagnostics
 * and a summary line. A pure function of the Result.
 */
import type { Finding, FunctionSummary, Result, Severity } from '../engine/types.js';

export interface TextOptions {
  color?: boolean;
  /** Only findings and the summary line. */
  quiet?: boolean;
  /** Max functions in the risk table (default 20). */
  maxFunctions?: number;
  /** Show suppressed findings too (default false). */
  showSuppressed?: boolean;
}

const CODES = {
  reset: '\x1b[0m',
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  red: '\x1b[31m',
  brightRed: '\x1b[91m',
  yellow: '\x1b[33m',
  blue: '\x1b[34m',
  cyan: '\x1b[36m',
  green: '\x1b[32m',
  magenta: '\x1b[35m',
};
type Style = keyof typeof CODES;

const SEVERITY_STYLE: Record<Severity | 'none', Style[]> = {
  critical: ['bold', 'brightRed'],
  high: ['red'],
  medium: ['yellow'],
  low: ['blue'],
  info: ['dim'],
  none: ['green'],
};

/** Strip control characters from untrusted text before it reaches a terminal. */
export function sanitize(s: string): string {
  return s.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, '');
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function lpad(s: string, n: number): string {
  return s.length >= n ? s : ' '.repeat(n - s.length) + s;
}

function trunc(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, Math.max(0, n - 1))}…`;
}

function triggerText(fn: FunctionSummary): string {
  if (fn.triggers.length === 0) return '-';
  const parts = fn.triggers.map((t) =>
    t.public === true ? `${t.kind} (public, ${t.auth})` : t.public === 'unknown' ? `${t.kind} (?)` : t.kind,
  );
  const uniq = [...new Set(parts)];
  return uniq.length > 2 ? `${uniq.slice(0, 2).join(', ')} +${uniq.length - 2}` : uniq.join(', ');
}

export function formatText(result: Result, options: TextOptions = {}): string {
  const color = options.color === true;
  const paint = (s: string, ...styles: Style[]) =>
    color && styles.length ? `${styles.map((x) => CODES[x]).join('')}${s}${CODES.reset}` : s;
  const sev = (s: Severity | 'none', text: string) => paint(text, ...SEVERITY_STYLE[s]);
  const out: string[] = [];
  const s = result.summary;

  if (!options.quiet) {
    out.push(
      paint(`fnguard ${result.tool.version}`, 'bold') +
        paint(` · ${sanitize(result.root)} · ${s.filesScanned} files · ${s.functions} functions · ${s.durationMs} ms`, 'dim'),
      '',
    );
    if (result.functions.length > 0) {
      const max = options.maxFunctions ?? 20;
      out.push(paint('Functions by risk', 'bold'));
      const rows = result.functions.slice(0, max);
      const nameW = Math.min(32, Math.max(8, ...rows.map((f) => f.name.length)));
      const trigW = Math.min(36, Math.max(8, ...rows.map((f) => triggerText(f).length)));
      out.push(
        paint(`  ${lpad('SCORE', 5)}  ${pad('LEVEL', 8)}  ${pad('FUNCTION', nameW)}  ${pad('TRIGGERS', trigW)}  TOP REASONS`, 'dim'),
      );
      for (const fn of rows) {
        const reasons = fn.risk.factors
          .slice(0, 3)
          .map((f) => `${sanitize(f.description)} (+${f.points})`)
          .join('; ');
        out.push(
          `  ${sev(fn.risk.level, lpad(String(fn.risk.score), 5))}  ${sev(fn.risk.level, pad(fn.risk.level, 8))}  ${pad(trunc(sanitize(fn.name), nameW), nameW)}  ${pad(trunc(triggerText(fn), trigW), trigW)}  ${reasons || '-'}`,
        );
      }
      if (result.functions.length > max) out.push(paint(`  … ${result.functions.length - max} more functions (see --format json)`, 'dim'));
      out.push('');
    }
  }

  const shown = result.findings.filter((f) => options.showSuppressed || !f.suppressed);
  if (shown.length > 0) {
    out.push(paint('Findings', 'bold'));
    const names = new Map(result.functions.map((f) => [f.id, f]));
    const groups = new Map<string, Finding[]>();
    for (const f of shown) {
      const key = f.function ?? (f.resource ? `resource:${f.resource}` : '');
      const g = groups.get(key);
      if (g) g.push(f);
      else groups.set(key, [f]);
    }
    // groups in the order of the risk ranking, then resources, then the rest
    const order = [...groups.keys()].sort((a, b) => {
      const ra = names.get(a)?.risk.score ?? -1;
      const rb = names.get(b)?.risk.score ?? -1;
      return rb - ra || a.localeCompare(b);
    });
    for (const key of order) {
      const list = groups.get(key) ?? [];
      const fn = names.get(key);
      const heading = fn
        ? `${sanitize(fn.name)}  ${paint(`${sanitize(fn.where.file)}:${fn.where.line} · risk ${fn.risk.score} ${fn.risk.level}`, 'dim')}`
        : key.startsWith('resource:')
          ? `${sanitize(key.slice(9))} ${paint('(resource)', 'dim')}`
          : paint('(project)', 'dim');
      out.push(`  ${paint('▸', 'cyan')} ${heading}`);
      for (const f of list) {
        const loc = `${sanitize(f.location.file)}:${f.location.line}:${f.location.column}`;
        const label = f.suppressed ? paint(pad('SUPPRESSED', 9), 'dim') : sev(f.severity, pad(f.severity.toUpperCase(), 9));
        out.push(`    ${label} ${paint(f.ruleId, 'bold')}  ${sanitize(f.title)}  ${paint(loc, 'dim')}`);
        out.push(`              ${sanitize(f.message)}`);
        if (f.flow && f.flow.length > 1) {
          const first = f.flow[0];
          const last = f.flow[f.flow.length - 1];
          if (first && last)
            out.push(
              paint(
                `              flow: ${sanitize(first.file)}:${first.line} ${sanitize(first.note)} → … → ${sanitize(last.file)}:${last.line} ${sanitize(last.note)} (${f.flow.length} steps)`,
                'dim',
              ),
            );
        }
        if (f.suppressed && f.suppression)
          out.push(
            paint(
              `              suppressed (${f.suppression.kind})${f.suppression.reason ? `: ${sanitize(f.suppression.reason)}` : ''}`,
              'dim',
            ),
          );
        if (f.helpUri && !options.quiet) out.push(paint(`              ${f.helpUri}`, 'dim'));
      }
    }
    out.push('');
  } else if (!options.quiet) {
    out.push(paint('No findings.', 'green'), '');
  }

  if (!options.quiet && result.diagnostics.length > 0) {
    const shownDiags = result.diagnostics.filter((d) => d.level !== 'info');
    const counts = { error: 0, warning: 0, info: 0 };
    for (const d of result.diagnostics) counts[d.level]++;
    out.push(
      `${paint('Diagnostics', 'bold')} ${paint(`(${counts.error} errors, ${counts.warning} warnings, ${counts.info} info)`, 'dim')}`,
    );
    for (const d of shownDiags.slice(0, 20))
      out.push(
        `  ${d.level === 'error' ? paint('error', 'red') : paint('warning', 'yellow')}  ${sanitize(d.file)}${d.line ? `:${d.line}` : ''}  ${sanitize(d.message)}`,
      );
    if (shownDiags.length > 20) out.push(paint(`  … ${shownDiags.length - 20} more (see --format json)`, 'dim'));
    out.push('');
  }

  const deps = s.dependencies as
    | { lockfiles?: number; packages?: number; advisoryDb?: { records: number; updated?: string; ageDays?: number } | null }
    | undefined;
  if (!options.quiet && deps && (deps.lockfiles ?? 0) > 0) {
    const db = deps.advisoryDb;
    out.push(
      paint(
        `Dependencies: ${deps.lockfiles} lockfile${deps.lockfiles === 1 ? '' : 's'}, ${deps.packages ?? 0} packages${db ? ` checked against ${db.records} advisories${db.updated ? ` (database of ${db.updated.slice(0, 10)}, ${db.ageDays ?? 0} days old)` : ''}` : ', not checked (no advisory database: run fnguard db update)'}`,
        'dim',
      ),
    );
  }
  const bySev = (['critical', 'high', 'medium', 'low', 'info'] as const)
    .filter((k) => s.bySeverity[k] > 0)
    .map((k) => sev(k, `${s.bySeverity[k]} ${k}`))
    .join(', ');
  const stale = (s.baseline as { stale?: unknown[] } | undefined)?.stale?.length;
  out.push(
    `${paint('Summary:', 'bold')} ${s.findings} finding${s.findings === 1 ? '' : 's'}${bySev ? ` (${bySev})` : ''}, ${s.suppressed} suppressed, ${s.functions} functions, ${s.filesScanned} files${stale ? `, ${stale} stale baseline entries` : ''}`,
  );
  return `${out.join('\n')}\n`;
}
