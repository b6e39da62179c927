/**
 * OSV's `events` algorithm (osv-schema "Evaluation"): a version is affected by a range when,
 * walking the range's events in version order, the last event at or below it is an
 * `introduced` (and it is not past a `last_affected`), and it is below any `limit`. An explicit
 * `versions` list also counts. ECOSYSTEM ranges use the ecosystem's ordering (npm SemVer, PyPI
 * PEP 440); SEMVER ranges use SemVer.
 */
import type { Ecosystem } from '../types.js';
import type { AffectedPackage, OsvEvent, OsvRange } from './record.js';
import { compareSemver, compareVersions, sameVersion } from './versions.js';

type Cmp = (a: string, b: string) => number;

function eventVersion(e: OsvEvent): string {
  return (e.introduced ?? e.fixed ?? e.last_affected ?? e.limit) as string;
}

export function rangeAffects(range: OsvRange, version: string, cmp: Cmp): boolean {
  const limits = range.events.filter((e) => e.limit !== undefined).map((e) => e.limit as string);
  if (limits.length > 0 && !limits.some((l) => l === '*' || cmp(version, l) < 0)) return false;
  const events = range.events
    .filter((e) => e.limit === undefined)
    .filter((e) => e.introduced === '0' || !Number.isNaN(cmp(eventVersion(e), eventVersion(e))))
    .sort((a, b) => {
      if (a.introduced === '0') return b.introduced === '0' ? 0 : -1;
      if (b.introduced === '0') return 1;
      return cmp(eventVersion(a), eventVersion(b)) || (a.introduced !== undefined ? -1 : 0) - (b.introduced !== undefined ? -1 : 0);
    });
  let affected = false;
  for (const e of events) {
    if (e.introduced !== undefined) {
      if (e.introduced === '0' || cmp(version, e.introduced) >= 0) affected = true;
      else break;
    } else if (e.fixed !== undefined) {
      if (cmp(version, e.fixed) >= 0) affected = false;
      else break;
    } else if (e.last_affected !== undefined) {
      if (cmp(version, e.last_affected) > 0) affected = false;
      else break;
    }
  }
  return affected;
}

export function packageAffected(ecosystem: Ecosystem, a: AffectedPackage, version: string): boolean {
  if (a.versions.some((v) => sameVersion(ecosystem, v, version))) return true;
  const eco: Cmp = (x, y) => compareVersions(ecosystem, x, y);
  for (const r of a.ranges) {
    const cmp = r.type === 'SEMVER' ? compareSemver : eco;
    if (Number.isNaN(cmp(version, version))) continue;
    if (rangeAffects(r, version, cmp)) return true;
  }
  return false;
}

/** The lowest fixed version above `version` in the ranges that affect it (for "upgrade to"). */
export function fixedVersion(ecosystem: Ecosystem, a: AffectedPackage, version: string): string | undefined {
  let best: string | undefined;
  for (const r of a.ranges) {
    const cmp = r.type === 'SEMVER' ? compareSemver : (x: string, y: string) => compareVersions(ecosystem, x, y);
    for (const e of r.events) {
      if (e.fixed === undefined || !(cmp(e.fixed, version) > 0)) continue;
      if (best === undefined || cmp(e.fixed, best) < 0) best = e.fixed;
    }
  }
  return best;
}
