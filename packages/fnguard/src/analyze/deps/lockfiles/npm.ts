/**
 * package-lock.json (v1, v2, v3) and npm-shrinkwrap.json. v2/v3 read the `packages` map (install
 * locations); v1 the nested `dependencies` tree, turned into the same locations. Edges are
 * resolved the way Node resolves `require`: the nearest `node_modules/<name>` up the tree.
 */

import { isObject, type JsonObject, type PositionedJson, parseJsonWithLines, str } from '../jsonPos.js';
import { semverValid } from '../osv/versions.js';
import { type Importer, LockfileError, type LockGraph, type PackageSource, type PkgNode } from '../types.js';
import { type ManifestDeps, unrequiredRoots } from './manifest.js';

const DEP_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies'] as const;

function nameFromLocation(loc: string): string {
  const i = loc.lastIndexOf('node_modules/');
  return i < 0 ? loc : loc.slice(i + 'node_modules/'.length);
}

export function npmSource(resolved: string | undefined, version: string, link?: boolean): PackageSource {
  if (link) return 'link';
  const r = resolved ?? '';
  if (/^git\+|^git:|^github:|^gitlab:|^bitbucket:/.test(r) || /^git\+|^github:/.test(version)) return 'git';
  if (r.startsWith('file:') || version.startsWith('file:')) return 'file';
  if (r && !/^https?:\/\/[^/]+\/.*\/-\/[^/]+\.tgz/.test(r)) return 'url';
  if (!semverValid(version)) return 'url';
  return 'registry';
}

/** Where `name` resolves from location `from` (Node's lookup up the tree). */
function resolveFrom(entries: Map<string, unknown>, from: string, name: string): string | undefined {
  let loc = from;
  for (;;) {
    const candidate = loc === '' ? `node_modules/${name}` : `${loc}/node_modules/${name}`;
    if (entries.has(candidate)) return candidate;
    if (loc === '') return undefined;
    const i = loc.lastIndexOf('/node_modules/');
    if (i >= 0) loc = loc.slice(0, i);
    else if (loc.startsWith('node_modules/')) loc = '';
    else loc = ''; // a workspace directory: its own node_modules, then the root's
  }
}

function depNames(entry: JsonObject, fields: readonly string[]): string[] {
  const out: string[] = [];
  for (const f of fields) {
    const o = entry[f];
    if (isObject(o)) for (const k of Object.keys(o)) if (!out.includes(k)) out.push(k);
  }
  return out;
}

export function parseNpmLock(text: string, file: string, kind: string, manifest?: ManifestDeps): LockGraph {
  const parsed: PositionedJson = parseJsonWithLines(text);
  const doc = parsed.value;
  if (!isObject(doc)) throw new LockfileError('not a lockfile: the top level is not an object', 1);
  const nodes = new Map<string, PkgNode>();
  const importers = new Map<string, Importer>();
  const graph: LockGraph = { file, kind, ecosystem: 'npm', nodes, importers };

  if (isObject(doc.packages)) {
    const packages = doc.packages;
    const entries = new Map<string, JsonObject>();
    for (const [loc, e] of Object.entries(packages)) if (isObject(e)) entries.set(loc, e);
    // links (workspaces): node_modules/x -> the workspace directory
    const target = (loc: string): string => {
      const e = entries.get(loc);
      const resolved = e && e.link === true ? str(e.resolved) : undefined;
      return resolved !== undefined && entries.has(resolved) ? resolved : loc;
    };
    for (const [loc, e] of entries) {
      if (loc === '' || !loc.includes('node_modules/')) continue;
      if (e.link === true) continue;
      const version = str(e.version) ?? '';
      nodes.set(loc, {
        key: loc,
        name: str(e.name) ?? nameFromLocation(loc),
        version,
        line: parsed.lineOf(packages, loc) ?? 1,
        source: npmSource(str(e.resolved), version),
        deps: [],
        ...(e.dev === true ? { dev: true } : {}),
        ...(e.hasInstallScript === true ? { installScript: true } : {}),
      });
    }
    const resolveAll = (from: string, names: string[]): string[] => {
      const out: string[] = [];
      for (const n of names) {
        const r = resolveFrom(entries, from, n);
        if (r === undefined) continue;
        const t = target(r);
        if (nodes.has(t)) out.push(t);
        else if (t !== r) {
          // a workspace: its dependencies become this package's (the workspace itself ships as code)
          const ws = entries.get(t);
          if (ws) for (const d of resolveAll(t, depNames(ws, DEP_FIELDS))) if (!out.includes(d)) out.push(d);
        }
      }
      return out;
    };
    for (const node of nodes.values()) node.deps = resolveAll(node.key, depNames(entries.get(node.key) as JsonObject, DEP_FIELDS));
    for (const [loc, e] of entries) {
      if (loc.includes('node_modules/')) continue;
      importers.set(loc, { prod: resolveAll(loc, depNames(e, DEP_FIELDS)), dev: resolveAll(loc, depNames(e, ['devDependencies'])) });
    }
    return graph;
  }

  if (isObject(doc.dependencies)) {
    // v1: nested tree
    const entries = new Map<string, JsonObject>();
    const requires = new Map<string, string[]>();
    const visit = (obj: JsonObject, prefix: string, depth: number) => {
      if (depth > 100) throw new LockfileError('dependency tree nested too deeply');
      for (const [name, e] of Object.entries(obj)) {
        if (!isObject(e)) continue;
        const loc = prefix === '' ? `node_modules/${name}` : `${prefix}/node_modules/${name}`;
        entries.set(loc, e);
        const version = str(e.version) ?? '';
        nodes.set(loc, {
          key: loc,
          name,
          version,
          line: parsed.lineOf(obj, name) ?? 1,
          source: npmSource(str(e.resolved), version),
          deps: [],
          ...(e.dev === true ? { dev: true } : {}),
        });
        requires.set(loc, isObject(e.requires) ? Object.keys(e.requires) : []);
        if (isObject(e.dependencies)) visit(e.dependencies, loc, depth + 1);
      }
    };
    visit(doc.dependencies, '', 0);
    for (const node of nodes.values())
      node.deps = (requires.get(node.key) ?? []).map((n) => resolveFrom(entries, node.key, n)).filter((x): x is string => !!x);
    const top = [...nodes.keys()].filter((k) => k.lastIndexOf('node_modules/') === 0);
    if (manifest) {
      const pick = (names: string[]) => names.map((n) => `node_modules/${n}`).filter((k) => nodes.has(k));
      importers.set('', { prod: pick(manifest.prod), dev: pick(manifest.dev) });
    } else {
      const roots = unrequiredRoots(top, (k) => nodes.get(k)?.deps ?? []);
      importers.set('', {
        prod: roots.filter((k) => nodes.get(k)?.dev !== true),
        dev: roots.filter((k) => nodes.get(k)?.dev === true),
      });
    }
    return graph;
  }
  if (typeof doc.lockfileVersion !== 'number')
    throw new LockfileError('not a package-lock.json: no lockfileVersion, packages or dependencies', 1);
  return graph;
}
