/**
 * OSV records (https://ossf.github.io/osv-schema/) reduced to what matching and reporting need.
 * Hostile input: every field is checked; a record that is not usable is skipped, never thrown.
 */
import type { Severity } from '../../../engine/types.js';
import { pypiName } from '../graph.js';
import type { Ecosystem } from '../types.js';
import { cvss3Severity } from './cvss.js';

export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvRange {
  type: 'ECOSYSTEM' | 'SEMVER';
  events: OsvEvent[];
}

export interface AffectedPackage {
  ecosystem: Ecosystem;
  /** Normalized name (PyPI: PEP 503). */
  name: string;
  ranges: OsvRange[];
  versions: string[];
}

/** An advisory as kept in the index. */
export interface Advisory {
  id: string;
  aliases: string[];
  summary: string;
  severity: Severity;
  /** The CVSS vector the severity came from, when any. */
  cvss?: string;
  published?: string;
  modified?: string;
  /** Advisory and web links (at most 5). */
  references: string[];
  malicious: boolean;
  affected: AffectedPackage[];
}

const ECOSYSTEMS: Record<string, Ecosystem> = { npm: 'npm', pypi: 'PyPI' };

export function packageKey(ecosystem: Ecosystem, name: string): string {
  return `${ecosystem}:${ecosystem === 'PyPI' ? pypiName(name) : name}`;
}

const GHSA_SEVERITY: Record<string, Severity> = { CRITICAL: 'critical', HIGH: 'high', MODERATE: 'medium', MEDIUM: 'medium', LOW: 'low' };

function strings(v: unknown, max = 50): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.length < 300).slice(0, max) : [];
}

function rec(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** Reduce a raw OSV JSON record; undefined when withdrawn or unusable (or no npm/PyPI package). */
export function reduceRecord(raw: unknown): Advisory | undefined {
  const r = rec(raw);
  if (!r || typeof r.id !== 'string' || r.id.length > 200) return undefined;
  if (typeof r.withdrawn === 'string' && r.withdrawn.length > 0) return undefined;
  const affected: AffectedPackage[] = [];
  let ghsa: Severity | undefined;
  for (const a of Array.isArray(r.affected) ? r.affected : []) {
    const ar = rec(a);
    const pkg = rec(ar?.package);
    const eco = typeof pkg?.ecosystem === 'string' ? ECOSYSTEMS[pkg.ecosystem.split(':')[0]?.toLowerCase() ?? ''] : undefined;
    if (!ar || !eco || typeof pkg?.name !== 'string') continue;
    const ranges: OsvRange[] = [];
    for (const rg of Array.isArray(ar.ranges) ? ar.ranges : []) {
      const rr = rec(rg);
      if (!rr || (rr.type !== 'ECOSYSTEM' && rr.type !== 'SEMVER') || !Array.isArray(rr.events)) continue;
      const events: OsvEvent[] = [];
      for (const e of rr.events) {
        const er = rec(e);
        if (!er) continue;
        const ev: OsvEvent = {};
        for (const k of ['introduced', 'fixed', 'last_affected', 'limit'] as const) if (typeof er[k] === 'string') ev[k] = er[k] as string;
        if (Object.keys(ev).length === 1) events.push(ev);
      }
      if (events.length) ranges.push({ type: rr.type, events });
    }
    const versions = strings(ar.versions, 100_000);
    if (ranges.length === 0 && versions.length === 0) continue;
    affected.push({ ecosystem: eco, name: eco === 'PyPI' ? pypiName(pkg.name) : pkg.name, ranges, versions });
    const ds = rec(ar.database_specific);
    if (typeof ds?.severity === 'string') ghsa ??= GHSA_SEVERITY[ds.severity.toUpperCase()];
  }
  if (affected.length === 0) return undefined;
  const top = rec(r.database_specific);
  if (typeof top?.severity === 'string') ghsa = GHSA_SEVERITY[top.severity.toUpperCase()] ?? ghsa;
  let cvss: string | undefined;
  let fromCvss: Severity | undefined;
  for (const s of Array.isArray(r.severity) ? r.severity : []) {
    const sr = rec(s);
    if (sr && sr.type === 'CVSS_V3' && typeof sr.score === 'string') {
      cvss = sr.score;
      fromCvss = cvss3Severity(sr.score);
      break;
    }
    if (sr && typeof sr.score === 'string' && !cvss) cvss = sr.score;
  }
  const malicious = r.id.startsWith('MAL-');
  const references = (Array.isArray(r.references) ? r.references : [])
    .map(rec)
    .filter((x): x is Record<string, unknown> => !!x && typeof x.url === 'string' && /^https?:\/\//.test(x.url as string))
    .sort((a, b) => (a.type === 'ADVISORY' ? -1 : 0) - (b.type === 'ADVISORY' ? -1 : 0))
    .slice(0, 5)
    .map((x) => x.url as string);
  const out: Advisory = {
    id: r.id,
    aliases: strings(r.aliases).filter((a) => a !== r.id),
    summary: typeof r.summary === 'string' ? r.summary.slice(0, 300) : typeof r.details === 'string' ? r.details.slice(0, 160) : '',
    severity: malicious ? 'critical' : (ghsa ?? fromCvss ?? 'medium'),
    references,
    malicious,
    affected,
  };
  if (cvss) out.cvss = cvss;
  if (typeof r.published === 'string') out.published = r.published;
  if (typeof r.modified === 'string') out.modified = r.modified;
  return out;
}
