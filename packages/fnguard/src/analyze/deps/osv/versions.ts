/**
 * Version orderings for advisory matching: npm (SemVer 2.0 through the `semver` package) and
 * PyPI (PEP 440, written here: epochs, pre/post/dev releases, local versions, normalization).
 */
import { createRequire } from 'node:module';
import type * as Semver from 'semver';

let lib: typeof Semver | undefined;
/** semver, loaded when a version is first compared (most scans have no lockfile: no start-up cost). */
function semverLib(): typeof Semver {
  lib ??= createRequire(import.meta.url)('semver') as typeof Semver;
  return lib;
}

import type { Ecosystem } from '../types.js';

export function semverValid(v: string): boolean {
  return semverLib().valid(v, { loose: false }) !== null;
}

/** SemVer comparison; loose parsing (a leading `v`, `=`) for advisory data. NaN when not comparable. */
export function compareSemver(a: string, b: string): number {
  const pa = semverLib().parse(a, { loose: true }) ?? semverLib().coerce(a, { includePrerelease: true });
  const pb = semverLib().parse(b, { loose: true }) ?? semverLib().coerce(b, { includePrerelease: true });
  if (!pa || !pb) return Number.NaN;
  return semverLib().compare(pa, pb);
}

export interface Pep440 {
  epoch: number;
  release: number[];
  /** [phase (0 a, 1 b, 2 rc), n] */
  pre?: [number, number];
  post?: number;
  dev?: number;
  local?: (number | string)[];
}

const PEP440 =
  /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d+)?)?(?:(?:-(\d+))|(?:[-_.]?(post|rev|r)[-_.]?(\d+)?))?(?:[-_.]?(dev)[-_.]?(\d+)?)?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$/i;

export function parsePep440(text: string): Pep440 | undefined {
  const m = PEP440.exec(text.trim());
  if (!m) return undefined;
  const v: Pep440 = { epoch: m[1] ? Number(m[1]) : 0, release: (m[2] as string).split('.').map(Number) };
  if (m[3]) {
    const l = m[3].toLowerCase();
    v.pre = [l === 'a' || l === 'alpha' ? 0 : l === 'b' || l === 'beta' ? 1 : 2, m[4] ? Number(m[4]) : 0];
  }
  if (m[5] !== undefined) v.post = Number(m[5]);
  else if (m[6]) v.post = m[7] ? Number(m[7]) : 0;
  if (m[8]) v.dev = m[9] ? Number(m[9]) : 0;
  if (m[10])
    v.local = m[10]
      .toLowerCase()
      .split(/[-_.]/)
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return v;
}

function cmpNum(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function comparePep440Parsed(a: Pep440, b: Pep440): number {
  if (a.epoch !== b.epoch) return cmpNum(a.epoch, b.epoch);
  const len = Math.max(a.release.length, b.release.length);
  for (let i = 0; i < len; i++) {
    const c = cmpNum(a.release[i] ?? 0, b.release[i] ?? 0);
    if (c) return c;
  }
  // pre-release key: a dev release of a final (1.0.dev1) sorts before its pre-releases
  const preKey = (v: Pep440): [number, number, number] =>
    v.pre ? [1, v.pre[0], v.pre[1]] : v.post === undefined && v.dev !== undefined ? [0, 0, 0] : [2, 0, 0];
  const pa = preKey(a);
  const pb = preKey(b);
  for (let i = 0; i < 3; i++) {
    const c = cmpNum(pa[i] as number, pb[i] as number);
    if (c) return c;
  }
  const c1 = cmpNum(a.post ?? -1, b.post ?? -1);
  if (c1) return c1;
  const c2 = cmpNum(a.dev ?? Number.POSITIVE_INFINITY, b.dev ?? Number.POSITIVE_INFINITY);
  if (c2) return c2;
  const la = a.local ?? [];
  const lb = b.local ?? [];
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    const x = la[i];
    const y = lb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x === 'number' && typeof y === 'number') {
      if (x !== y) return cmpNum(x, y);
    } else if (typeof x === 'number')
      return 1; // numeric segments sort after alphanumeric ones
    else if (typeof y === 'number') return -1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** PEP 440 comparison; NaN when either side is not a valid version. */
export function comparePep440(a: string, b: string): number {
  const pa = parsePep440(a);
  const pb = parsePep440(b);
  if (!pa || !pb) return Number.NaN;
  return comparePep440Parsed(pa, pb);
}

/** The ecosystem's own ordering (OSV `ECOSYSTEM` ranges). */
export function compareVersions(ecosystem: Ecosystem, a: string, b: string): number {
  return ecosystem === 'PyPI' ? comparePep440(a, b) : compareSemver(a, b);
}

/** Equality in the ecosystem's sense (PyPI `1.0` == `1.0.0`), for OSV `versions` lists. */
export function sameVersion(ecosystem: Ecosystem, a: string, b: string): boolean {
  if (a === b) return true;
  return compareVersions(ecosystem, a, b) === 0;
}
