/**
 * Python lockfiles: requirements.txt (pinned `==`/`===`, hashed, `-r` includes), Pipfile.lock,
 * poetry.lock, uv.lock and pdm.lock. Python installs one version per (normalized) name, so edges
 * name packages. Direct dependencies come from the lockfile (uv's root package) or the
 * pyproject.toml next to it; without either, every package counts as direct and dev-ness comes
 * from the lockfile's groups/categories.
 */
import { parse as parseToml, TomlError } from 'smol-toml';
import { pypiName } from '../graph.js';
import { isObject, type JsonObject, parseJsonWithLines } from '../jsonPos.js';
import { type Importer, LockfileError, type LockGraph, type PackageSource, type PkgNode } from '../types.js';

type Toml = Record<string, unknown>;

function tomlDoc(text: string): Toml {
  try {
    return parseToml(text) as Toml;
  } catch (e) {
    if (e instanceof TomlError) throw new LockfileError(`invalid TOML: ${e.message.split('\n')[0]}`, e.line);
    throw new LockfileError(`invalid TOML: ${(e as Error).message}`);
  }
}

/** 1-based lines of the `[[package]]` headers, in order (smol-toml keeps no positions). */
function packageHeaderLines(text: string): number[] {
  const out: number[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) if (/^\s*\[\[\s*package\s*\]\]/.test(lines[i] as string)) out.push(i + 1);
  return out;
}

/** The name of a PEP 508 requirement string (`requests[socks]>=2; python_version>"3"` -> `requests`). */
export function pep508Name(req: string): string | undefined {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(req);
  return m ? pypiName(m[1] as string) : undefined;
}

/** Direct dependencies declared by a pyproject.toml (PEP 621, PEP 735 groups, poetry, pdm). */
export function pyprojectDeps(text: string): { prod: string[]; dev: string[] } | undefined {
  let doc: Toml;
  try {
    doc = parseToml(text) as Toml;
  } catch {
    return undefined;
  }
  const prod = new Set<string>();
  const dev = new Set<string>();
  const addList = (set: Set<string>, list: unknown) => {
    if (Array.isArray(list))
      for (const r of list)
        if (typeof r === 'string') {
          const n = pep508Name(r);
          if (n) set.add(n);
        }
  };
  const addTable = (set: Set<string>, t: unknown) => {
    if (isObject(t)) for (const k of Object.keys(t)) if (k.toLowerCase() !== 'python') set.add(pypiName(k));
  };
  const project = doc.project as Toml | undefined;
  if (isObject(project)) {
    addList(prod, project.dependencies);
    if (isObject(project['optional-dependencies'])) for (const l of Object.values(project['optional-dependencies'])) addList(prod, l);
  }
  if (isObject(doc['dependency-groups'])) for (const l of Object.values(doc['dependency-groups'] as Toml)) addList(dev, l);
  const tool = isObject(doc.tool) ? (doc.tool as Toml) : {};
  const poetry = tool.poetry as Toml | undefined;
  if (isObject(poetry)) {
    addTable(prod, poetry.dependencies);
    addTable(dev, poetry['dev-dependencies']);
    if (isObject(poetry.group))
      for (const [g, v] of Object.entries(poetry.group as Toml))
        if (isObject(v)) addTable(g === 'main' ? prod : dev, (v as Toml).dependencies);
  }
  const pdm = tool.pdm as Toml | undefined;
  if (isObject(pdm) && isObject(pdm['dev-dependencies'])) for (const l of Object.values(pdm['dev-dependencies'] as Toml)) addList(dev, l);
  const uv = tool.uv as Toml | undefined;
  if (isObject(uv)) addList(dev, uv['dev-dependencies']);
  if (prod.size === 0 && dev.size === 0) return undefined;
  return { prod: [...prod], dev: [...dev].filter((n) => !prod.has(n)) };
}

function tomlSource(src: unknown): PackageSource {
  if (!isObject(src)) return 'registry';
  const s = src as Toml;
  const type = typeof s.type === 'string' ? s.type : undefined;
  if (type === 'git' || typeof s.git === 'string') return 'git';
  if (
    type === 'directory' ||
    type === 'file' ||
    typeof s.path === 'string' ||
    typeof s.directory === 'string' ||
    typeof s.editable === 'string' ||
    typeof s.virtual === 'string'
  )
    return 'file';
  if (type === 'url' || typeof s.url === 'string') return 'url';
  return 'registry'; // poetry `legacy` (an index) and uv `registry`
}

function depNamesOf(v: unknown): string[] {
  if (Array.isArray(v))
    return v
      .flatMap((d) => (typeof d === 'string' ? [pep508Name(d)] : isObject(d) && typeof d.name === 'string' ? [pypiName(d.name)] : []))
      .filter((x): x is string => !!x);
  if (isObject(v)) return Object.keys(v).map(pypiName);
  return [];
}

function finishGraph(
  file: string,
  kind: string,
  nodes: Map<string, PkgNode>,
  rawDeps: Map<string, string[]>,
  direct?: { prod: string[]; dev: string[] },
): LockGraph {
  for (const [k, n] of nodes) n.deps = (rawDeps.get(k) ?? []).filter((d) => nodes.has(d) && d !== k);
  const importers = new Map<string, Importer>();
  if (direct) importers.set('', { prod: direct.prod.filter((n) => nodes.has(n)), dev: direct.dev.filter((n) => nodes.has(n)) });
  return { file, kind, ecosystem: 'PyPI', nodes, importers };
}

/** poetry.lock, pdm.lock, uv.lock: `[[package]]` tables. */
export function parseTomlLock(
  text: string,
  file: string,
  kind: 'poetry-lock' | 'pdm-lock' | 'uv-lock',
  pyproject?: { prod: string[]; dev: string[] },
): LockGraph {
  const doc = tomlDoc(text);
  const list = Array.isArray(doc.package) ? (doc.package as unknown[]) : [];
  const lines = packageHeaderLines(text);
  const nodes = new Map<string, PkgNode>();
  const rawDeps = new Map<string, string[]>();
  let direct = pyproject;
  list.forEach((p, i) => {
    if (!isObject(p)) return;
    const e = p as Toml;
    if (typeof e.name !== 'string') return;
    const name = pypiName(e.name);
    const source = tomlSource(e.source);
    const deps = depNamesOf(e.dependencies);
    // uv: the project itself (editable/virtual source) lists the direct dependencies
    if (
      kind === 'uv-lock' &&
      isObject(e.source) &&
      (typeof (e.source as Toml).editable === 'string' || typeof (e.source as Toml).virtual === 'string') &&
      ((e.source as Toml).editable === '.' || (e.source as Toml).virtual === '.')
    ) {
      const devDeps = isObject(e['dev-dependencies']) ? Object.values(e['dev-dependencies'] as Toml).flatMap(depNamesOf) : [];
      const optional = isObject(e['optional-dependencies']) ? Object.values(e['optional-dependencies'] as Toml).flatMap(depNamesOf) : [];
      direct = { prod: [...deps, ...optional], dev: devDeps };
      return;
    }
    let dev: boolean | undefined;
    if (e.category === 'dev') dev = true;
    if (Array.isArray(e.groups)) {
      const groups = e.groups.map(String);
      const main = kind === 'pdm-lock' ? 'default' : 'main';
      if (groups.length > 0 && !groups.includes(main)) dev = true;
    }
    const version = typeof e.version === 'string' ? e.version : '';
    nodes.set(name, { key: name, name, version, line: lines[i] ?? 1, source: version ? source : 'url', deps: [], ...(dev ? { dev } : {}) });
    rawDeps.set(name, deps);
  });
  return finishGraph(file, kind, nodes, rawDeps, direct);
}

export function parsePipfileLock(text: string, file: string): LockGraph {
  const parsed = parseJsonWithLines(text);
  const doc = parsed.value;
  if (!isObject(doc)) throw new LockfileError('not a Pipfile.lock', 1);
  const nodes = new Map<string, PkgNode>();
  for (const section of ['default', 'develop'] as const) {
    const s = doc[section];
    if (!isObject(s)) continue;
    for (const [rawName, e] of Object.entries(s as JsonObject)) {
      if (!isObject(e)) continue;
      const name = pypiName(rawName);
      if (nodes.has(name)) continue; // in default already: production wins
      const v = typeof e.version === 'string' ? e.version.replace(/^===?/, '') : '';
      const source: PackageSource =
        typeof e.git === 'string' ? 'git' : typeof e.path === 'string' || typeof e.file === 'string' ? 'file' : v ? 'registry' : 'url';
      nodes.set(name, {
        key: name,
        name,
        version: v,
        line: parsed.lineOf(s as JsonObject, rawName) ?? 1,
        source,
        deps: [],
        ...(section === 'develop' ? { dev: true } : {}),
      });
    }
  }
  return { file, kind: 'pipfile-lock', ecosystem: 'PyPI', nodes, importers: new Map() };
}

export interface RequirementsInput {
  text: string;
  file: string;
  /** Reads an included file (`-r other.txt`), resolved relative to the including file; undefined when it cannot. */
  include?: (from: string, target: string) => { text: string; file: string } | undefined;
}

/** requirements.txt: every pinned requirement is a direct dependency (pip files have no graph). */
export function parseRequirements(
  input: RequirementsInput,
  dev: boolean,
): { graph: LockGraph; unpinned: { name: string; file: string; line: number }[] } {
  const nodes = new Map<string, PkgNode>();
  const unpinned: { name: string; file: string; line: number }[] = [];
  const seenFiles = new Set<string>();
  const visit = (text: string, file: string, depth: number) => {
    if (seenFiles.has(file) || depth > 10) return;
    seenFiles.add(file);
    // join backslash continuations, remembering the first line of each logical line
    const physical = text.split('\n');
    for (let i = 0; i < physical.length; i++) {
      const start = i;
      let line = (physical[i] as string).replace(/\r$/, '');
      while (line.endsWith('\\') && i + 1 < physical.length) {
        i++;
        line = `${line.slice(0, -1)} ${(physical[i] as string).replace(/\r$/, '')}`;
      }
      line = line.replace(/(^|\s)#.*$/, '').trim();
      if (!line) continue;
      const inc = /^(?:-r|--requirement)\s*=?\s*(\S+)/.exec(line);
      if (inc) {
        const got = input.include?.(file, inc[1] as string);
        if (got) visit(got.text, got.file, depth + 1);
        continue;
      }
      if (/^(-e|--editable)\s/.test(line)) {
        const egg = /#egg=([A-Za-z0-9._-]+)/.exec(line);
        if (egg) {
          const name = pypiName(egg[1] as string);
          nodes.set(name, { key: name, name, version: '', line: start + 1, source: /git\+/.test(line) ? 'git' : 'file', deps: [] });
        }
        continue;
      }
      if (line.startsWith('-')) continue; // --hash on its own line, -i/--index-url, -c, --extra-index-url...
      const req =
        line
          .split(/\s+--hash[=\s]/)[0]
          ?.split(';')[0]
          ?.trim() ?? '';
      const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$/.exec(req);
      if (!m) continue;
      const name = pypiName(m[1] as string);
      const rest = (m[3] ?? '').trim();
      if (rest.startsWith('@')) {
        nodes.set(name, {
          key: name,
          name,
          version: '',
          line: start + 1,
          source: /git\+/.test(rest) ? 'git' : 'url',
          deps: [],
          ...(dev ? { dev } : {}),
        });
        continue;
      }
      const pin = /^===?\s*([^\s,;]+)$/.exec(rest);
      if (pin && !(pin[1] as string).includes('*')) {
        nodes.set(name, {
          key: name,
          name,
          version: pin[1] as string,
          line: start + 1,
          source: 'registry',
          deps: [],
          ...(dev ? { dev } : {}),
          ...(file !== input.file ? { file } : {}),
        });
      } else unpinned.push({ name, file, line: start + 1 });
    }
  };
  visit(input.text, input.file, 0);
  return { graph: { file: input.file, kind: 'requirements', ecosystem: 'PyPI', nodes, importers: new Map() }, unpinned };
}
