/** The direct dependencies a `package.json` declares (for lockfiles that do not list them: yarn, npm v1). */
import { isObject, type JsonObject } from '../jsonPos.js';

export interface ManifestDeps {
  prod: string[];
  dev: string[];
  /** Declared range of each dependency (yarn entries are keyed by `name@range`). */
  ranges: Map<string, string>;
}

export function manifestDeps(pkg: unknown): ManifestDeps | undefined {
  if (!isObject(pkg)) return undefined;
  const ranges = new Map<string, string>();
  const names = (field: string): string[] => {
    const o = pkg[field];
    if (!isObject(o)) return [];
    for (const [k, v] of Object.entries(o as JsonObject)) if (typeof v === 'string' && !ranges.has(k)) ranges.set(k, v);
    return Object.keys(o);
  };
  const prod = [...names('dependencies'), ...names('optionalDependencies'), ...names('peerDependencies')];
  const dev = names('devDependencies').filter((n) => !prod.includes(n));
  return { prod, dev, ranges };
}

/** Roots when the direct dependencies are unknown: the packages no other package depends on. */
export function unrequiredRoots(keys: Iterable<string>, deps: (key: string) => readonly string[]): string[] {
  const all = [...keys];
  const required = new Set<string>();
  for (const k of all) for (const d of deps(k)) if (d !== k) required.add(d);
  return all.filter((k) => !required.has(k));
}
