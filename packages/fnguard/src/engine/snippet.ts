/**
 * Code snippets for findings: the reported lines plus a little context, cut to a bounded size,
 * with secret-bearing lines redacted. Pure: `scan()` hands in the file's lines.
 */
import type { Category, Location, Snippet } from './types.js';

/** Lines of context before and after the reported range. */
export const SNIPPET_CONTEXT = 2;
/** Max lines in one snippet (a long reported range is cut after this many). */
export const SNIPPET_MAX_LINES = 12;
/** Max characters kept of one line. */
export const SNIPPET_MAX_LINE_CHARS = 240;

/** Categories whose reported line holds the secret itself. */
export const SECRET_CATEGORIES: ReadonlySet<Category> = new Set<Category>(['hard-coded-secret', 'secret-in-env-var']);

export const REDACTED = '‹redacted by fnguard›';

/** Keep the key of a `key: value` / `key = value` / `"key": "value"` line, replace the value. */
export function redactLine(line: string): string {
  const m = /^(\s*(?:-\s+)?["']?[\w.\-/$@{}]+["']?\s*[:=]\s*)\S/.exec(line);
  if (m?.[1]) return `${m[1]}${REDACTED}`;
  const indent = /^\s*/.exec(line)?.[0] ?? '';
  return `${indent}${REDACTED}`;
}

function clean(line: string): string {
  // control characters (except tab) never reach a report; \r from CRLF files goes too
  const s = line.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, '');
  return s.length > SNIPPET_MAX_LINE_CHARS ? `${s.slice(0, SNIPPET_MAX_LINE_CHARS - 1)}…` : s;
}

/**
 * The snippet for `location` in a file of `lines` (0-based array, line 1 = `lines[0]`), or
 * undefined when the location lies outside the file. Lines in `redact` (1-based) are redacted.
 */
export function buildSnippet(lines: readonly string[], location: Location, redact?: ReadonlySet<number>): Snippet | undefined {
  const total = lines.length && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
  if (location.line < 1 || location.line > total) return undefined;
  const last = Math.min(total, Math.max(location.line, location.endLine ?? location.line));
  const start = Math.max(1, location.line - SNIPPET_CONTEXT);
  const end = Math.min(total, last + SNIPPET_CONTEXT, start + SNIPPET_MAX_LINES - 1);
  const out: string[] = [];
  for (let n = start; n <= end; n++) {
    const text = clean(lines[n - 1] ?? '');
    out.push(redact?.has(n) ? redactLine(text) : text);
  }
  return { startLine: start, lines: out };
}
