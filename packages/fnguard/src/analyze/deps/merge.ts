/**
 * Matching a package against the advisories, and merging the advisories that describe the same
 * vulnerability (a GHSA record and a PYSEC record aliasing one CVE) into one.
 */
import { SEVERITY_RANK } from '../../engine/types.js';
import type { AdvisoryDb } from './osv/db.js';
import { fixedVersion, packageAffected } from './osv/match.js';
import { type Advisory, packageKey } from './osv/record.js';
import { compareVersions } from './osv/versions.js';
import type { Ecosystem } from './types.js';

export interface MatchedVulnerability {
  /** Preferred id: GHSA, then MAL, then PYSEC, then CVE, then anything else. */
  id: string;
  /** Every id and alias, preferred first. */
  ids: string[];
  summary: string;
  severity: Advisory['severity'];
  cvss?: string;
  malicious: boolean;
  /** Lowest version that fixes it above the installed one, when the advisories name one. */
  fixed?: string;
  references: string[];
  /** The OSV records merged here. */
  records: string[];
}

function rank(id: string): number {
  if (id.startsWith('GHSA-')) return 0;
  if (id.startsWith('MAL-')) return 1;
  if (id.startsWith('PYSEC-')) return 2;
  if (id.startsWith('CVE-')) return 3;
  return 4;
}

function byPreference(a: string, b: string): number {
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

export function osvLink(id: string): string {
  return `https://osv.dev/vulnerability/${encodeURIComponent(id)}`;
}

/** Merge advisories whose ids or aliases overlap (union-find over ids). */
export function mergeAdvisories(ecosystem: Ecosystem, name: string, version: string, list: readonly Advisory[]): MatchedVulnerability[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r) as string;
    parent.set(x, r);
    return r;
  };
  const union = (a: string, b: string) => {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra, rb);
  };
  for (const a of list) {
    union(a.id, a.id);
    for (const al of a.aliases) union(a.id, al);
  }
  const groups = new Map<string, Advisory[]>();
  for (const a of list) {
    const r = find(a.id);
    const g = groups.get(r);
    if (g) g.push(a);
    else groups.set(r, [a]);
  }
  const out: MatchedVulnerability[] = [];
  const key = packageKey(ecosystem, name);
  for (const g of groups.values()) {
    const ids = [...new Set(g.flatMap((a) => [a.id, ...a.aliases]))].sort(byPreference);
    const worst = g.reduce((m, a) => (SEVERITY_RANK[a.severity] > SEVERITY_RANK[m.severity] ? a : m));
    let fixed: string | undefined;
    for (const a of g)
      for (const p of a.affected) {
        if (packageKey(p.ecosystem, p.name) !== key) continue;
        const f = fixedVersion(ecosystem, p, version);
        if (f && (!fixed || compareVersions(ecosystem, f, fixed) < 0)) fixed = f;
      }
    const preferred = g.slice().sort((a, b) => byPreference(a.id, b.id))[0] as Advisory;
    const m: MatchedVulnerability = {
      id: ids[0] as string,
      ids,
      summary: preferred.summary || worst.summary,
      severity: g.some((a) => a.malicious) ? 'critical' : worst.severity,
      malicious: g.some((a) => a.malicious),
      references: [...new Set([osvLink(preferred.id), ...g.flatMap((a) => a.references)])].slice(0, 6),
      records: g.map((a) => a.id).sort(byPreference),
    };
    if (worst.cvss) m.cvss = worst.cvss;
    if (fixed) m.fixed = fixed;
    out.push(m);
  }
  return out.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || byPreference(a.id, b.id));
}

/** The advisories affecting `name@version`, merged. */
export function matchPackage(
  db: Pick<AdvisoryDb, 'lookup'>,
  ecosystem: Ecosystem,
  name: string,
  version: string,
  extra: readonly Advisory[] = [],
): MatchedVulnerability[] {
  const key = packageKey(ecosystem, name);
  const seen = new Set<string>();
  const hits: Advisory[] = [];
  for (const a of [...db.lookup(ecosystem, name), ...extra]) {
    if (seen.has(a.id)) continue;
    if (a.affected.some((p) => packageKey(p.ecosystem, p.name) === key && packageAffected(ecosystem, p, version))) {
      seen.add(a.id);
      hits.push(a);
    }
  }
  return hits.length ? mergeAdvisories(ecosystem, name, version, hits) : [];
}
