/**
 * Suppressions: inline comments, Model suppressions (CloudFormation `Metadata.fnguard.ignore`),
 * the ignore file `.fnguardignore.yml` (rule, path/function/resource, reason, expiry) and the
 * baseline. Pure functions: `scan()` reads the files and hands in their text.
 */
import type { parseDocument } from 'yaml';
import { globMatcher } from '../discover/ignore.js';
import { yamlLib } from '../load/yaml/yamlLib.js';
import type { Diagnostic, ModelSuppression } from '../model/types.js';

/* ---------------------------------------------------------------------------------------- */
/* Inline comments                                                                            */
/* ---------------------------------------------------------------------------------------- */

export interface InlineSuppression {
  rules: string[];
  reason?: string;
}

const ID_TOKEN = String.raw`[A-Za-z*?]+-[0-9*?]+|\*`;
const INLINE_RE = new RegExp(
  String.raw`(?:#|//|/\*|<!--|--)\s*fnguard-ignore\s+((?:${ID_TOKEN})(?:\s*,\s*(?:${ID_TOKEN}))*)\s*(?::\s*(.*?))?\s*(?:\*/|-->)?\s*$`,
);

/** Parse a `fnguard-ignore RULE-ID[, RULE-ID]: reason` comment on one line. */
export function parseInlineSuppression(line: string): InlineSuppression | undefined {
  if (!line.includes('fnguard-ignore')) return undefined;
  const m = INLINE_RE.exec(line);
  if (!m) return undefined;
  const rules = (m[1] ?? '')
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  const reason = m[2]?.trim();
  return reason ? { rules, reason } : { rules };
}

function ruleMatches(pattern: string, ruleId: string): boolean {
  const p = pattern.trim().toUpperCase();
  if (p === ruleId) return true;
  if (!/[*?[]/.test(p)) return false;
  return globMatcher(p).test(ruleId);
}

/** Inline suppression for `ruleId` on `line` (1-based) or on the line above. */
export function findInlineSuppression(lines: readonly string[], line: number, ruleId: string): InlineSuppression | undefined {
  for (const l of [line, line - 1]) {
    const text = lines[l - 1];
    if (text === undefined) continue;
    const s = parseInlineSuppression(text);
    if (s?.rules.some((r) => ruleMatches(r, ruleId))) return s;
  }
  return undefined;
}

/** Model suppression (`Fn/Resource/Identity.suppressions`) matching `ruleId`. */
export function findModelSuppression(list: readonly ModelSuppression[] | undefined, ruleId: string): ModelSuppression | undefined {
  return list?.find((s) => typeof s.rule === 'string' && ruleMatches(s.rule, ruleId));
}

/* ---------------------------------------------------------------------------------------- */
/* Ignore file                                                                                */
/* ---------------------------------------------------------------------------------------- */

export interface IgnoreEntry {
  rule: string;
  path?: string;
  function?: string;
  resource?: string;
  reason?: string;
  /** `YYYY-MM-DD` as written. */
  expires?: string;
  /** End of the expiry day (UTC), ms since epoch. */
  expiresAt?: number;
  line: number;
}

export interface IgnoreFileParse {
  entries: IgnoreEntry[];
  diagnostics: Diagnostic[];
}

const ENTRY_KEYS = new Set(['rule', 'path', 'function', 'resource', 'reason', 'expires']);

/** Parse `.fnguardignore.yml`: a list of entries, or `{ ignore: [...] }`. */
export function parseIgnoreFileYaml(text: string, file: string): IgnoreFileParse {
  try {
    return parseIgnoreFileYamlUnsafe(text, file);
  } catch (e) {
    return {
      entries: [],
      diagnostics: [{ level: 'error', file, message: `cannot use ignore file: ${(e as Error)?.message ?? e}`, code: 'ignore-file' }],
    };
  }
}

function parseIgnoreFileYamlUnsafe(text: string, file: string): IgnoreFileParse {
  const diagnostics: Diagnostic[] = [];
  const entries: IgnoreEntry[] = [];
  const { isMap, isSeq, LineCounter, parseDocument: parse } = yamlLib();
  const lc = new LineCounter();
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parse(text, { lineCounter: lc, uniqueKeys: false });
  } catch (e) {
    diagnostics.push({ level: 'error', file, message: `cannot parse ignore file: ${(e as Error).message}`, code: 'ignore-file' });
    return { entries, diagnostics };
  }
  for (const err of doc.errors) {
    const pos = lc.linePos(err.pos[0]);
    diagnostics.push({
      level: 'error',
      file,
      line: pos.line,
      column: pos.col,
      message: `ignore file: ${err.message.split('\n')[0]}`,
      code: 'ignore-file',
    });
  }
  if (doc.errors.length > 0) return { entries, diagnostics };
  let seq: unknown = doc.contents;
  if (isMap(seq)) seq = seq.get('ignore', true);
  if (seq === null || seq === undefined) return { entries, diagnostics };
  if (!isSeq(seq)) {
    diagnostics.push({
      level: 'error',
      file,
      line: 1,
      message: 'ignore file must be a list of entries (or `ignore:` with a list)',
      code: 'ignore-file',
    });
    return { entries, diagnostics };
  }
  // resolve aliases once, with a cap (alias bombs throw and become a diagnostic)
  const js = doc.toJS({ maxAliasCount: 50 }) as unknown;
  const list = (Array.isArray(js) ? js : (js as { ignore?: unknown })?.ignore) as unknown[];
  for (const [index, item] of seq.items.entries()) {
    const line = lc.linePos((item as { range?: [number, number, number] }).range?.[0] ?? 0).line;
    if (!isMap(item)) {
      diagnostics.push({ level: 'warning', file, line, message: 'ignore entry must be a map with `rule`', code: 'ignore-file' });
      continue;
    }
    const raw = (list[index] ?? {}) as Record<string, unknown>;
    const str = (k: string): string | undefined => {
      const v = raw[k];
      if (v === undefined || v === null) return undefined;
      if (v instanceof Date) return v.toISOString().slice(0, 10);
      return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
    };
    for (const k of Object.keys(raw))
      if (!ENTRY_KEYS.has(k))
        diagnostics.push({ level: 'warning', file, line, message: `ignore entry: unknown key '${k}'`, code: 'ignore-file' });
    const rule = str('rule');
    if (!rule) {
      diagnostics.push({ level: 'warning', file, line, message: 'ignore entry without `rule`: not used', code: 'ignore-file' });
      continue;
    }
    const entry: IgnoreEntry = { rule, line };
    const path = str('path');
    const fn = str('function');
    const resource = str('resource');
    const reason = str('reason');
    const expires = str('expires');
    if (path) entry.path = path;
    if (fn) entry.function = fn;
    if (resource) entry.resource = resource;
    if (reason) entry.reason = reason;
    else diagnostics.push({ level: 'warning', file, line, message: `ignore entry for ${rule} has no reason`, code: 'ignore-no-reason' });
    if (expires) {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(expires);
      const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59, 999) : Number.NaN;
      if (Number.isNaN(t)) {
        diagnostics.push({
          level: 'warning',
          file,
          line,
          message: `ignore entry for ${rule}: 'expires' must be YYYY-MM-DD (got '${expires}'); entry not used`,
          code: 'ignore-file',
        });
        continue;
      }
      entry.expires = expires;
      entry.expiresAt = t;
    }
    entries.push(entry);
  }
  return { entries, diagnostics };
}

export interface IgnoreTarget {
  ruleId: string;
  /** Root-relative file of the finding. */
  file: string;
  fnId: string | null;
  fnName: string | null;
  resource: string | null;
}

function globMatch(pattern: string, value: string | null): boolean {
  if (value === null) return false;
  if (pattern === value) return true;
  return globMatcher(pattern).test(value);
}

/** The first non-expired entry matching the finding (expired entries never match). */
export function matchIgnoreEntry(entries: readonly IgnoreEntry[], t: IgnoreTarget, now: Date): IgnoreEntry | undefined {
  for (const e of entries) {
    if (e.expiresAt !== undefined && now.getTime() > e.expiresAt) continue;
    if (!ruleMatches(e.rule, t.ruleId)) continue;
    if (e.path !== undefined) {
      const p = e.path.replace(/^\.\//, '').replace(/\/$/, '');
      if (!(globMatch(p, t.file) || t.file.startsWith(`${p}/`) || globMatch(`${p}/**`, t.file))) continue;
    }
    if (e.function !== undefined && !(globMatch(e.function, t.fnName) || globMatch(e.function, t.fnId))) continue;
    if (e.resource !== undefined && !globMatch(e.resource, t.resource)) continue;
    return e;
  }
  return undefined;
}

/** Warnings for entries that have expired (they no longer suppress). */
export function expiredEntryDiagnostics(entries: readonly IgnoreEntry[], file: string, now: Date): Diagnostic[] {
  return entries
    .filter((e) => e.expiresAt !== undefined && now.getTime() > e.expiresAt)
    .map((e) => ({
      level: 'warning' as const,
      file,
      line: e.line,
      message: `ignore entry for ${e.rule} expired on ${e.expires}: it no longer suppresses findings`,
      code: 'ignore-expired',
    }));
}
