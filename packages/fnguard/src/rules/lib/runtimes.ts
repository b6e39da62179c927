/**
 * AWS Lambda runtime lifecycle, as dated data (`data/lambda-runtimes.json`), and the phase of a
 * runtime on a given day. Loaded once, lazily; a missing or broken data file means "no data"
 * (rules then stay silent) rather than a crash.
 */
import { readDataJson } from '../../dataFile.js';

export interface RuntimeLifecycle {
  family: string;
  /** End of support (ISO date). */
  deprecated: string;
  /** New functions can no longer use it from this date. */
  blockCreate?: string;
  /** Existing functions can no longer be updated from this date. */
  blockUpdate?: string;
  successor?: string;
  containerOnly?: boolean;
}

export interface RuntimeData {
  asOf: string;
  latest: Record<string, string>;
  runtimes: Record<string, RuntimeLifecycle>;
}

let cache: RuntimeData | undefined;

export function runtimeData(): RuntimeData {
  if (cache) return cache;
  const doc = readDataJson<Partial<RuntimeData>>('lambda-runtimes.json');
  cache = { asOf: doc.asOf ?? '', latest: doc.latest ?? {}, runtimes: doc.runtimes ?? {} };
  return cache;
}

export type RuntimePhase = 'update-blocked' | 'create-blocked' | 'deprecated' | 'deprecating-soon' | 'not-latest' | 'current';

export interface RuntimeStatus {
  runtime: string;
  phase: RuntimePhase;
  lifecycle: RuntimeLifecycle;
  /** The newest runtime of the same family. */
  latest?: string;
}

/** Days before end of support from which a runtime is "deprecating soon". */
export const SOON_DAYS = 180;

const DAY = 86_400_000;

function date(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(`${iso}T00:00:00Z`);
  return Number.isNaN(t) ? undefined : t;
}

/** The phase of `runtime` on `now`, or undefined when the runtime is not in the data. */
export function runtimeStatus(runtime: string, now: Date, data: RuntimeData = runtimeData()): RuntimeStatus | undefined {
  const key = runtime.trim().toLowerCase();
  const lifecycle = Object.hasOwn(data.runtimes, key) ? data.runtimes[key] : undefined;
  if (!lifecycle) return undefined;
  const t = now.getTime();
  const latest = data.latest[lifecycle.family];
  const base = { runtime: key, lifecycle, ...(latest ? { latest } : {}) };
  const blockUpdate = date(lifecycle.blockUpdate);
  const blockCreate = date(lifecycle.blockCreate);
  const deprecated = date(lifecycle.deprecated);
  if (blockUpdate !== undefined && t >= blockUpdate) return { ...base, phase: 'update-blocked' };
  if (blockCreate !== undefined && t >= blockCreate) return { ...base, phase: 'create-blocked' };
  if (deprecated !== undefined && t >= deprecated) return { ...base, phase: 'deprecated' };
  if (deprecated !== undefined && deprecated - t <= SOON_DAYS * DAY) return { ...base, phase: 'deprecating-soon' };
  if (latest && latest !== key) return { ...base, phase: 'not-latest' };
  return { ...base, phase: 'current' };
}

/** Order two runtimes of the same family by end of support (negative when `a` ends first). */
export function compareRuntimes(a: string, b: string, data: RuntimeData = runtimeData()): number | undefined {
  const la = data.runtimes[a.toLowerCase()];
  const lb = data.runtimes[b.toLowerCase()];
  if (!la || !lb || la.family !== lb.family) return undefined;
  return (date(la.deprecated) ?? 0) - (date(lb.deprecated) ?? 0);
}
