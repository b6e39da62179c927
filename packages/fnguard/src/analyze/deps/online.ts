/**
 * `--online`: OSV's batch API (POST /v1/querybatch, then GET /v1/vulns/{id} for each hit).
 * Only when asked; failures become one warning, the offline results stand.
 */
import { type Advisory, reduceRecord } from './osv/record.js';
import type { ShippedPackage } from './types.js';

export const OSV_API = 'https://api.osv.dev';
const BATCH = 1000;
const MAX_VULNS = 5000;

export interface OnlineResult {
  /** Keyed `${ecosystem}\0${name}\0${version}`. */
  byPackage: Map<string, Advisory[]>;
  advisories: number;
  error?: string;
}

async function postJson(url: string, body: unknown, timeoutMs: number): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'fnguard' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

export async function queryOsvOnline(
  packages: readonly ShippedPackage[],
  options: { api?: string; timeoutMs?: number } = {},
): Promise<OnlineResult> {
  const api = (options.api ?? OSV_API).replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const byPackage = new Map<string, Advisory[]>();
  const idsByPackage = new Map<string, string[]>();
  try {
    for (let i = 0; i < packages.length; i += BATCH) {
      const chunk = packages.slice(i, i + BATCH);
      const r = (await postJson(
        `${api}/v1/querybatch`,
        { queries: chunk.map((p) => ({ package: { name: p.name, ecosystem: p.ecosystem }, version: p.version })) },
        timeoutMs,
      )) as { results?: { vulns?: { id?: unknown }[] }[] };
      (r.results ?? []).forEach((res, j) => {
        const p = chunk[j];
        if (!p) return;
        const ids = (res?.vulns ?? []).map((v) => v.id).filter((x): x is string => typeof x === 'string');
        if (ids.length) idsByPackage.set(`${p.ecosystem}\0${p.name}\0${p.version}`, ids);
      });
    }
    const all = [...new Set([...idsByPackage.values()].flat())].slice(0, MAX_VULNS);
    const records = new Map<string, Advisory>();
    for (let i = 0; i < all.length; i += 8) {
      await Promise.all(
        all.slice(i, i + 8).map(async (id) => {
          const res = await fetch(`${api}/v1/vulns/${encodeURIComponent(id)}`, { signal: AbortSignal.timeout(timeoutMs) });
          if (!res.ok) throw new Error(`${api}/v1/vulns/${id}: HTTP ${res.status}`);
          const a = reduceRecord(await res.json());
          if (a) records.set(id, a);
        }),
      );
    }
    for (const [k, ids] of idsByPackage)
      byPackage.set(
        k,
        ids.map((id) => records.get(id)).filter((a): a is Advisory => !!a),
      );
    return { byPackage, advisories: records.size };
  } catch (e) {
    return { byPackage, advisories: 0, error: (e as Error).message };
  }
}
