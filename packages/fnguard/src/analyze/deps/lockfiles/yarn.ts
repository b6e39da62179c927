/**
 * yarn.lock: v1 (yarn classic, its own indentation format) and berry (yarn 2+, YAML with
 * `__metadata`). Entries are keyed by the specifiers that resolved to them (`lodash@^4.17.0`,
 * `lodash@npm:^4.17.0`); dependencies name a specifier, so edges are exact.
 */
import { isObject, type JsonObject } from '../jsonPos.js';
import { semverValid } from '../osv/versions.js';
import { type Importer, LockfileError, type LockGraph, type PackageSource, type PkgNode } from '../types.js';
import { type ManifestDeps, unrequiredRoots } from './manifest.js';
import { parseYamlLock } from './yamlDoc.js';

/** `@scope/name@range` -> [name, range]. */
export function splitSpec(spec: string): [string, string] {
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  return at < 0 ? [spec, ''] : [spec.slice(0, at), spec.slice(at + 1)];
}

function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

function v1Source(resolved: string, version: string): PackageSource {
  if (/^git\+|^git:|codeload\.github\.com|^github:/.test(resolved)) return 'git';
  if (resolved.startsWith('file:')) return 'file';
  if (!semverValid(version)) return 'url';
  if (resolved && !/^https?:\/\/[^/]+\/.*\/-\/[^/]+\.tgz/.test(resolved)) return 'url';
  return 'registry';
}

interface Raw {
  specs: string[];
  name: string;
  version: string;
  line: number;
  source: PackageSource;
  deps: [string, string][];
  workspace?: string;
}

function parseV1(text: string): Raw[] {
  const out: Raw[] = [];
  const lines = text.split('\n');
  let cur: Raw | undefined;
  let section: string | undefined;
  let resolved = '';
  const finish = () => {
    if (cur) {
      cur.source = v1Source(resolved, cur.version);
      out.push(cur);
    }
  };
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] as string).replace(/\r$/, '');
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    const indent = raw.length - raw.trimStart().length;
    const body = raw.trim();
    if (indent === 0) {
      finish();
      if (!body.endsWith(':')) throw new LockfileError(`unexpected line '${body.slice(0, 60)}'`, i + 1);
      const specs = body
        .slice(0, -1)
        .split(/,\s*/)
        .map(unquote)
        .filter((s) => s.length > 0);
      const first = specs[0];
      if (!first) throw new LockfileError('entry without a specifier', i + 1);
      cur = { specs, name: splitSpec(first)[0], version: '', line: i + 1, source: 'registry', deps: [] };
      section = undefined;
      resolved = '';
      continue;
    }
    if (!cur) throw new LockfileError('indented line outside an entry', i + 1);
    if (indent <= 2) {
      section = undefined;
      if (body.endsWith(':')) {
        section = body.slice(0, -1);
        continue;
      }
      const sp = body.indexOf(' ');
      const key = sp < 0 ? body : body.slice(0, sp);
      const value = sp < 0 ? '' : unquote(body.slice(sp + 1));
      if (key === 'version') cur.version = value;
      else if (key === 'resolved') resolved = value;
      continue;
    }
    if (section === 'dependencies' || section === 'optionalDependencies') {
      const m = /^("(?:[^"\\]|\\.)*"|\S+)\s+(.*)$/.exec(body);
      if (m) cur.deps.push([unquote(m[1] as string), unquote(m[2] as string)]);
    }
  }
  finish();
  return out;
}

function parseBerry(text: string, file: string): Raw[] {
  const { value, positions } = parseYamlLock(text, file);
  if (!isObject(value)) throw new LockfileError('not a yarn lockfile', 1);
  const out: Raw[] = [];
  for (const [key, e] of Object.entries(value as JsonObject)) {
    if (key === '__metadata' || !isObject(e)) continue;
    const specs = key.split(/,\s*/).map((s) => s.trim());
    const resolution = typeof e.resolution === 'string' ? e.resolution : (specs[0] ?? '');
    const [name, ref] = splitSpec(resolution);
    const version = e.version === undefined ? '' : String(e.version);
    const deps: [string, string][] = [];
    for (const f of ['dependencies', 'optionalDependencies', 'peerDependencies']) {
      const d = e[f];
      if (isObject(d)) for (const [dn, dr] of Object.entries(d)) deps.push([dn, String(dr)]);
    }
    let source: PackageSource = 'registry';
    if (ref.startsWith('workspace:')) source = 'workspace';
    else if (/^(git|https?|ssh|github):|\.git#|#commit=/.test(ref)) source = 'git';
    else if (/^(file|portal|link):/.test(ref)) source = 'file';
    else if (ref.startsWith('patch:')) source = ref.includes('npm%3A') ? 'registry' : 'file';
    else if (!ref.startsWith('npm:') || !semverValid(version)) source = 'url';
    const raw: Raw = { specs, name, version, line: positions.keyWhere(value, key)?.line ?? 1, source, deps };
    if (source === 'workspace') raw.workspace = ref.slice('workspace:'.length);
    out.push(raw);
  }
  return out;
}

export function parseYarnLock(text: string, file: string, manifest?: ManifestDeps): LockGraph {
  const berry = /^__metadata:/m.test(text);
  const raws = berry ? parseBerry(text, file) : parseV1(text);
  const nodes = new Map<string, PkgNode>();
  const bySpec = new Map<string, string>();
  const workspaces = new Map<string, Raw>();
  for (const r of raws) {
    const key = `${r.name}@${r.version}#${r.line}`;
    for (const s of r.specs) bySpec.set(s, key);
    if (r.workspace !== undefined) {
      workspaces.set(r.workspace === '.' ? '' : r.workspace, r);
      bySpec.set(`${r.name}@workspace:${r.workspace}`, key);
    }
    nodes.set(key, { key, name: r.name, version: r.version, line: r.line, source: r.source, deps: [] });
  }
  const resolveDep = ([name, range]: [string, string]): string | undefined =>
    bySpec.get(`${name}@${range}`) ?? bySpec.get(`${name}@npm:${range}`);
  const rawByKey = new Map(raws.map((r) => [`${r.name}@${r.version}#${r.line}`, r]));
  for (const [key, node] of nodes) node.deps = (rawByKey.get(key)?.deps ?? []).map(resolveDep).filter((k): k is string => !!k);
  const importers = new Map<string, Importer>();
  for (const [dir, ws] of workspaces) {
    const key = bySpec.get(ws.specs[0] ?? '') as string;
    const node = nodes.get(key);
    if (!node) continue;
    const devNames = dir === '' && manifest ? new Set(manifest.dev) : new Set<string>();
    const prod: string[] = [];
    const dev: string[] = [];
    for (const d of ws.deps) {
      const k = resolveDep(d);
      if (k) (devNames.has(d[0]) ? dev : prod).push(k);
    }
    importers.set(dir, { prod, dev });
    nodes.delete(key); // the project itself is not a dependency
  }
  if (!importers.has('')) {
    if (manifest) {
      const pick = (names: string[]) =>
        names.map((n) => resolveDep([n, manifest.ranges.get(n) ?? ''])).filter((k): k is string => !!k && nodes.has(k));
      importers.set('', { prod: pick(manifest.prod), dev: pick(manifest.dev) });
    } else importers.set('', { prod: unrequiredRoots(nodes.keys(), (k) => nodes.get(k)?.deps ?? []), dev: [] });
  }
  return { file, kind: 'yarn-lock', ecosystem: 'npm', nodes, importers };
}
