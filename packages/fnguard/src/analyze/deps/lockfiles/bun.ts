/**
 * bun.lock (text lockfile, bun 1.2+, JSONC): `workspaces` lists each workspace's direct
 * dependencies; `packages` maps a key (`name` or `parent/name` for nested installs) to
 * `[ "name@version", registry, { dependencies }, integrity ]`.
 */
import { isObject, type JsonObject, parseJsonWithLines } from '../jsonPos.js';
import { semverValid } from '../osv/versions.js';
import { type Importer, LockfileError, type LockGraph, type PackageSource, type PkgNode } from '../types.js';
import { splitSpec } from './yarn.js';

export function parseBunLock(text: string, file: string): LockGraph {
  const parsed = parseJsonWithLines(text, { jsonc: true });
  const doc = parsed.value;
  if (!isObject(doc) || !isObject(doc.packages)) throw new LockfileError('not a bun.lock: no packages', 1);
  const packages = doc.packages;
  const nodes = new Map<string, PkgNode>();
  const depsOf = new Map<string, string[]>();
  for (const [key, e] of Object.entries(packages)) {
    if (!Array.isArray(e) || typeof e[0] !== 'string') continue;
    const [name, ref] = splitSpec(e[0]);
    let source: PackageSource = 'registry';
    let version = ref;
    if (ref.startsWith('workspace:')) source = 'workspace';
    else if (ref.startsWith('github:') || ref.startsWith('git+') || ref.includes('.git#')) source = 'git';
    else if (ref.startsWith('file:') || ref.startsWith('link:')) source = 'file';
    else if (ref.startsWith('npm:')) version = ref.slice(4);
    if (source === 'registry' && !semverValid(version)) source = 'url';
    const info = e.find((x, i) => i > 0 && isObject(x)) as JsonObject | undefined;
    const names: string[] = [];
    for (const f of ['dependencies', 'optionalDependencies', 'peerDependencies'])
      if (info && isObject(info[f])) names.push(...Object.keys(info[f] as JsonObject));
    depsOf.set(key, names);
    nodes.set(key, { key, name, version, line: parsed.lineOf(packages, key) ?? 1, source, deps: [] });
  }
  // nested keys (`a/b`) shadow the hoisted `b` for `a` and its subtree
  const resolve = (from: string, name: string): string | undefined => {
    let scope = from;
    for (;;) {
      const k = scope ? `${scope}/${name}` : name;
      if (nodes.has(k)) return k;
      if (!scope) return undefined;
      const i = scope.lastIndexOf('/');
      scope = i < 0 ? '' : scope.slice(0, i);
      // scoped names contain a slash: `@s/a/b` -> parent `@s/a`
      if (scope.startsWith('@') && !scope.includes('/')) scope = '';
    }
  };
  for (const [key, node] of nodes) node.deps = (depsOf.get(key) ?? []).map((n) => resolve(key, n)).filter((k): k is string => !!k);
  const importers = new Map<string, Importer>();
  if (isObject(doc.workspaces)) {
    for (const [dir, w] of Object.entries(doc.workspaces)) {
      if (!isObject(w)) continue;
      const pick = (fields: string[]) =>
        fields
          .flatMap((f) => (isObject(w[f]) ? Object.keys(w[f] as JsonObject) : []))
          .map((n) => resolve('', n))
          .filter((k): k is string => !!k);
      importers.set(dir, { prod: pick(['dependencies', 'optionalDependencies', 'peerDependencies']), dev: pick(['devDependencies']) });
    }
  }
  for (const [k, n] of nodes) if (n.source === 'workspace') nodes.delete(k);
  return { file, kind: 'bun-lock', ecosystem: 'npm', nodes, importers };
}
