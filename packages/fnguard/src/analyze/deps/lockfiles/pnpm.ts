/**
 * pnpm-lock.yaml, lockfile versions 5.x to 9.0. Importers come from `importers` (workspaces) or
 * the top-level `dependencies`/`devDependencies` (single project, v5/v6); packages from
 * `packages` and, from v9, their edges from `snapshots`. Keys: `/name@1.0.0(peer@2)` (v6),
 * `name@1.0.0(peer@2)` (v9), `/name/1.0.0_peer@2` (v5), all normalized without the slash.
 */
import { isObject, type JsonObject } from '../jsonPos.js';
import { semverValid } from '../osv/versions.js';
import { type Importer, LockfileError, type LockGraph, type PackageSource, type PkgNode } from '../types.js';
import { parseYamlLock } from './yamlDoc.js';

function normKey(k: string): string {
  return k.startsWith('/') ? k.slice(1) : k;
}

/** `@scope/name@1.2.3(peer@1)` / `@scope/name/1.2.3_peer` -> name, version. */
export function pnpmKeyParts(key: string): { name: string; version: string } {
  const k = normKey(key);
  const base = k.split('(')[0] as string;
  const at = base.indexOf('@', base.startsWith('@') ? 1 : 0);
  if (at > 0) return { name: base.slice(0, at), version: base.slice(at + 1) };
  // v5: name/version_peers
  const slash = base.lastIndexOf('/');
  if (slash > 0) return { name: base.slice(0, slash), version: (base.slice(slash + 1).split('_')[0] as string) ?? '' };
  return { name: base, version: '' };
}

export function parsePnpmLock(text: string, file: string): LockGraph {
  const { value, positions } = parseYamlLock(text, file);
  if (!isObject(value)) throw new LockfileError('not a pnpm lockfile', 1);
  const doc = value as JsonObject;
  const major = Number.parseFloat(String(doc.lockfileVersion ?? '0'));
  const nodes = new Map<string, PkgNode>();
  const packages = isObject(doc.packages) ? doc.packages : {};
  const snapshots = isObject(doc.snapshots) ? doc.snapshots : undefined;
  const v5 = major > 0 && major < 6;
  const refKey = (name: string, ref: unknown): string | undefined => {
    if (typeof ref === 'number') ref = String(ref);
    if (isObject(ref)) ref = ref.version;
    if (typeof ref !== 'string' || ref.startsWith('link:') || ref.startsWith('file:')) return undefined;
    if (ref.startsWith('/')) return normKey(ref);
    if (/^@?[^@/]+(\/[^@]+)?@/.test(ref) && !semverValid(ref.split('(')[0] as string)) return ref; // alias: npm:other@1 written as a key
    return v5 ? `${name}/${ref}` : `${name}@${ref}`;
  };
  const graphSource = snapshots ?? packages;
  for (const [rawKey, e] of Object.entries(graphSource)) {
    const key = normKey(rawKey);
    const { name, version: keyVersion } = pnpmKeyParts(key);
    const baseKey = key.split('(')[0] as string;
    const meta = (isObject(packages[rawKey]) ? packages[rawKey] : isObject(packages[baseKey]) ? packages[baseKey] : e) as JsonObject;
    const res = isObject(meta.resolution) ? meta.resolution : {};
    let source: PackageSource = 'registry';
    if (res.type === 'git' || typeof res.repo === 'string') source = 'git';
    else if (typeof res.directory === 'string') source = 'file';
    else if (typeof res.tarball === 'string') source = 'url';
    const version = typeof meta.version === 'string' && source !== 'registry' ? meta.version : keyVersion;
    if (source === 'registry' && !semverValid(version)) source = 'url';
    const line =
      positions.keyWhere(packages, rawKey)?.line ??
      positions.keyWhere(packages, baseKey)?.line ??
      positions.keyWhere(graphSource, rawKey)?.line ??
      1;
    const deps: string[] = [];
    const edgeSrc = isObject(e) ? (e as JsonObject) : {};
    for (const f of ['dependencies', 'optionalDependencies']) {
      const d = edgeSrc[f];
      if (isObject(d))
        for (const [dn, dr] of Object.entries(d)) {
          const k = refKey(dn, dr);
          if (k) deps.push(k);
        }
    }
    nodes.set(key, {
      key,
      name,
      version,
      line,
      source,
      deps,
      ...(meta.dev === true ? { dev: true } : {}),
      ...(meta.requiresBuild === true ? { installScript: true } : {}),
    });
  }
  for (const n of nodes.values()) n.deps = n.deps.filter((d) => nodes.has(d));
  const importers = new Map<string, Importer>();
  const importerOf = (o: JsonObject): Importer => {
    const pick = (f: string) => {
      const d = o[f];
      if (!isObject(d)) return [];
      return Object.entries(d)
        .map(([dn, dr]) => refKey(dn, dr))
        .filter((k): k is string => !!k && nodes.has(k));
    };
    return { prod: [...pick('dependencies'), ...pick('optionalDependencies')], dev: pick('devDependencies') };
  };
  if (isObject(doc.importers)) {
    for (const [dir, o] of Object.entries(doc.importers))
      if (isObject(o)) importers.set(dir === '.' ? '' : dir.replace(/^\.\//, ''), importerOf(o));
  } else importers.set('', importerOf(doc));
  return { file, kind: 'pnpm-lock', ecosystem: 'npm', nodes, importers };
}
