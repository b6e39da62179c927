/**
 * Baselines: a file of fingerprints of accepted findings. `--baseline FILE` suppresses findings
 * whose fingerprint is listed (kind `baseline`) and reports entries that matched nothing (stale).
 */
import type { Finding, Result } from './types.js';

export interface BaselineEntry {
  fingerprint: string;
  ruleId?: string;
  function?: string | null;
  resource?: string | null;
  file?: string;
  message?: string;
}

export interface BaselineFile {
  schemaVersion: 1;
  tool: 'fnguard';
  createdAt: string;
  findings: BaselineEntry[];
}

/** Build a baseline from a result: every finding not suppressed by a comment, metadata or the ignore file. */
export function createBaseline(result: Result, now = new Date()): BaselineFile {
  const seen = new Set<string>();
  const findings: BaselineEntry[] = [];
  for (const f of result.findings) {
    if (f.suppressed && f.suppression?.kind !== 'baseline') continue;
    if (seen.has(f.fingerprint)) continue;
    seen.add(f.fingerprint);
    findings.push({
      fingerprint: f.fingerprint,
      ruleId: f.ruleId,
      function: f.function,
      resource: f.resource,
      file: f.location.file,
      message: f.message,
    });
  }
  findings.sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : 1));
  return { schemaVersion: 1, tool: 'fnguard', createdAt: now.toISOString(), findings };
}

/** Parse a baseline file: our own format, a bare list of fingerprints, or an earlier JSON result. */
export function parseBaseline(text: string): BaselineEntry[] {
  const data: unknown = JSON.parse(text);
  const out: BaselineEntry[] = [];
  const take = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const item of list) {
      if (typeof item === 'string') out.push({ fingerprint: item });
      else if (item && typeof item === 'object' && typeof (item as { fingerprint?: unknown }).fingerprint === 'string') {
        const e = item as Record<string, unknown>;
        out.push({
          fingerprint: e.fingerprint as string,
          ...(typeof e.ruleId === 'string' ? { ruleId: e.ruleId } : {}),
          ...(typeof e.function === 'string' ? { function: e.function } : {}),
          ...(typeof e.resource === 'string' ? { resource: e.resource } : {}),
          ...(typeof e.file === 'string' ? { file: e.file } : {}),
          ...(typeof e.message === 'string' ? { message: e.message } : {}),
        });
      }
    }
  };
  if (Array.isArray(data)) take(data);
  else if (data && typeof data === 'object') take((data as { findings?: unknown }).findings);
  else throw new Error('baseline must be a JSON object with `findings` or a list of fingerprints');
  return out;
}

/** Mark baselined findings suppressed; return the stale entries. */
export function applyBaseline(findings: Finding[], entries: readonly BaselineEntry[]): { matched: number; stale: BaselineEntry[] } {
  const byFp = new Map(entries.map((e) => [e.fingerprint, e]));
  const used = new Set<string>();
  let matched = 0;
  for (const f of findings) {
    if (!byFp.has(f.fingerprint)) continue;
    used.add(f.fingerprint);
    if (f.suppressed) continue;
    f.suppressed = true;
    f.suppression = { kind: 'baseline' };
    matched++;
  }
  return { matched, stale: entries.filter((e) => !used.has(e.fingerprint)) };
}
