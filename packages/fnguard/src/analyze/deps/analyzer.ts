/**
 * `depsAnalyzer` (fact id `deps`): per function, the packages it ships (nearest lockfile above
 * its code, plus the lockfiles of the layers it uses), the advisories that affect them and
 * whether the handler imports them. Offline: the advisory database is a directory
 * (`--advisory-db`, else the one `fnguard db update` keeps in the cache); `--online` adds OSV's
 * batch API.
 */
import { statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import type { DiscoveredFile } from '../../discover/types.js';
import { LoadError } from '../../load/index.js';
import { type Fn, isUnknown } from '../../model/types.js';
import { codeAnalyzer } from '../code/index.js';
import type { CodeFacts } from '../code/types.js';
import { type AnalyzerInput, defineAnalyzer, readerOf } from '../types.js';
import { shippedPackages } from './graph.js';
import { isObject, parseJsonWithLines } from './jsonPos.js';
import { devRequirementsName, LOCKFILE_ECOSYSTEM, LOCKFILE_PREFERENCE, parseLockfile } from './lockfiles/index.js';
import { type ManifestDeps, manifestDeps } from './lockfiles/manifest.js';
import { pyprojectDeps } from './lockfiles/python.js';
import { type MatchedVulnerability, matchPackage } from './merge.js';
import { queryOsvOnline } from './online.js';
import { defaultCacheDir, defaultDbDir } from './osv/cacheDir.js';
import { type AdvisoryDb, type AdvisoryDbInfo, openAdvisoryDb } from './osv/db.js';
import type { Advisory } from './osv/record.js';
import { type PythonImport, pythonHandlerFile, pythonImportGraph } from './pythonImports.js';
import { type Reach, reachability } from './reach.js';
import { type Ecosystem, LockfileError, type LockGraph, type ShippedPackage } from './types.js';

const MAX_LOCKFILE = 64 * 1024 * 1024;

export interface VulnerableDependency {
  pkg: ShippedPackage;
  vuln: MatchedVulnerability;
  reach: Reach;
  /** The lockfile (or layer lockfile) it came from. */
  lockfile: string;
  /** Set when the package comes from a layer's lockfile. */
  layer?: string;
}

export interface FunctionDeps {
  fnId: string;
  /** Lockfiles serving the function's code and layers (absolute). */
  lockfiles: string[];
  packages: ShippedPackage[];
  vulnerable: VulnerableDependency[];
  /** Why no lockfile applies, when none does. */
  missing?: string;
  /** Dependencies whose versions cannot be known (DEP-04). */
  unresolved: UnresolvedDependencies[];
}

/** A manifest without a lockfile, or requirements that are not pinned. */
export interface UnresolvedDependencies {
  kind: 'no-lockfile' | 'unpinned';
  file: string;
  line: number;
  names: string[];
}

export interface DepFacts {
  byFunction: Map<string, FunctionDeps>;
  /** The offline database used, when one was. */
  db?: AdvisoryDbInfo;
  /** Advisory records fetched online (with `--online`). */
  online?: { queried: number; advisories: number; error?: string };
  lockfiles: { file: string; kind: string; packages: number }[];
  /** For the result's `summary.dependencies`. */
  summary?: {
    lockfiles: number;
    packages: number;
    vulnerable: number;
    advisoryDb: { dir: string; records: number; updated?: string; ageDays?: number; loadMs: number } | null;
    online?: boolean;
  };
}

function ecosystemsOf(fn: Fn): Ecosystem[] {
  const rt = fn.runtime;
  if (typeof rt === 'string' && !isUnknown(rt)) {
    if (/^node/i.test(rt)) return ['npm'];
    if (/^python/i.test(rt)) return ['PyPI'];
    return [];
  }
  return fn.packageType === 'image' ? [] : ['npm', 'PyPI'];
}

function isWithin(dir: string, file: string): boolean {
  const r = relative(dir, file);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

export async function analyzeDeps(input: AnalyzerInput): Promise<DepFacts> {
  const { app, files, options } = input;
  const root = options.root;
  const reader = readerOf(input);
  const includeDev = options.includeDev === true;
  const lockFiles = files.filter((f) => f.kind === 'lockfile' && f.subtype && LOCKFILE_ECOSYSTEM[f.subtype]);
  const manifests = files.filter((f) => f.kind === 'manifest' && f.subtype === 'package-json');
  const facts: DepFacts = { byFunction: new Map(), lockfiles: [] };
  if ((lockFiles.length === 0 && manifests.length === 0) || app.functions.length === 0) return facts;
  const manifestByDir = new Map(manifests.map((m) => [dirname(m.path), m]));
  const unpinnedByFile = new Map<string, { name: string; file: string; line: number }[]>();

  // 1. lockfiles by directory, parsed lazily (only those some function uses)
  const byDir = new Map<string, DiscoveredFile[]>();
  for (const f of lockFiles) {
    const d = dirname(f.path);
    const l = byDir.get(d);
    if (l) l.push(f);
    else byDir.set(d, [f]);
  }
  for (const l of byDir.values())
    l.sort((a, b) => LOCKFILE_PREFERENCE.indexOf(a.subtype ?? '') - LOCKFILE_PREFERENCE.indexOf(b.subtype ?? ''));
  const parsed = new Map<string, Promise<LockGraph | undefined>>();
  const readOptional = async (file: string): Promise<string | undefined> => {
    try {
      return await reader.read(file, 4 * 1024 * 1024);
    } catch {
      return undefined;
    }
  };
  const parse = (f: DiscoveredFile): Promise<LockGraph | undefined> => {
    let p = parsed.get(f.path);
    if (!p) {
      p = (async () => {
        let text: string;
        try {
          text = await reader.read(f.path, MAX_LOCKFILE);
        } catch (e) {
          input.diagnostic({
            level: 'warning',
            file: f.path,
            message: `lockfile not read: ${(e as Error).message}`,
            code: e instanceof LoadError ? e.code : 'lockfile',
          });
          return undefined;
        }
        const dir = dirname(f.path);
        let packageJson: ManifestDeps | undefined;
        let pyproject: { prod: string[]; dev: string[] } | undefined;
        if (f.subtype === 'yarn-lock' || f.subtype === 'package-lock' || f.subtype === 'npm-shrinkwrap') {
          const pj = await readOptional(join(dir, 'package.json'));
          if (pj)
            try {
              packageJson = manifestDeps(parseJsonWithLines(pj).value);
            } catch {
              // a broken package.json: the lockfile alone decides
            }
        }
        if (f.subtype === 'poetry-lock' || f.subtype === 'pdm-lock') {
          const pp = await readOptional(join(dir, 'pyproject.toml'));
          if (pp) pyproject = pyprojectDeps(pp);
        }
        try {
          const r = parseLockfile(f.subtype as string, text, f.path, {
            root,
            maxFileSize: MAX_LOCKFILE,
            ...(packageJson ? { packageJson } : {}),
            ...(pyproject ? { pyproject } : {}),
          });
          facts.lockfiles.push({ file: f.path, kind: r.graph.kind, packages: r.graph.nodes.size });
          if (r.unpinned?.length) unpinnedByFile.set(f.path, r.unpinned);
          return r.graph;
        } catch (e) {
          const line = e instanceof LockfileError ? e.line : undefined;
          input.diagnostic({
            level: 'error',
            file: f.path,
            ...(line !== undefined ? { line } : {}),
            message: `lockfile not parsed: ${(e as Error).message}`,
            code: 'lockfile-parse',
          });
          return undefined;
        }
      })();
      parsed.set(f.path, p);
    }
    return p;
  };

  /** The nearest directory at or above `from` (inside the root) with a lockfile of `eco`. */
  const nearest = (from: string, eco: Ecosystem): DiscoveredFile[] => {
    let d = from;
    for (;;) {
      const here = (byDir.get(d) ?? []).filter((f) => LOCKFILE_ECOSYSTEM[f.subtype ?? ''] === eco);
      if (here.length) {
        if (eco === 'npm') return here.slice(0, 1);
        // Python: the preferred lockfile, or every requirements file of the directory
        const first = here[0] as DiscoveredFile;
        return first.subtype === 'requirements' ? here.filter((f) => f.subtype === 'requirements') : [first];
      }
      if (!isWithin(root, d) || d === root) return [];
      const up = dirname(d);
      if (up === d) return [];
      d = up;
    }
  };

  // 2. per function: its code's lockfile, its layers' lockfiles
  const layerDirs = new Map(app.layers.map((l) => [l.id, l]));
  const plan: { fn: Fn; sources: { file: DiscoveredFile; relDir: string; layer?: string }[]; missing?: string; noLock?: DiscoveredFile }[] =
    [];
  /** The nearest package.json at or above `from` inside the root. */
  const nearestManifest = (from: string): DiscoveredFile | undefined => {
    for (let d = from; isWithin(root, d); ) {
      const m = manifestByDir.get(d);
      if (m) return m;
      const up = dirname(d);
      if (up === d) return undefined;
      d = up;
    }
    return undefined;
  };
  for (const fn of app.functions) {
    const ecos = ecosystemsOf(fn);
    if (ecos.length === 0) continue;
    const codeDir = fn.codeDir ?? (fn.entryFile ? dirname(fn.entryFile) : dirname(fn.where.file));
    const sources: { file: DiscoveredFile; relDir: string; layer?: string }[] = [];
    for (const eco of ecos)
      for (const f of nearest(codeDir, eco)) sources.push({ file: f, relDir: toPosix(relative(dirname(f.path), codeDir)) });
    for (const ref of fn.layers) {
      const layer = ref.layerId ? layerDirs.get(ref.layerId) : undefined;
      if (!layer?.contentDir) continue;
      for (const f of lockFiles)
        if (isWithin(layer.contentDir, f.path) && ecos.includes(LOCKFILE_ECOSYSTEM[f.subtype ?? ''] as Ecosystem))
          sources.push({ file: f, relDir: toPosix(relative(dirname(f.path), dirname(f.path))), layer: layer.id });
    }
    const node = typeof fn.runtime === 'string' && /^node/i.test(fn.runtime);
    const noLock = node && !sources.some((s) => LOCKFILE_ECOSYSTEM[s.file.subtype ?? ''] === 'npm') ? nearestManifest(codeDir) : undefined;
    plan.push({
      fn,
      sources,
      ...(sources.length === 0 ? { missing: 'no lockfile above the function code' } : {}),
      ...(noLock ? { noLock } : {}),
    });
  }
  if (plan.every((p) => p.sources.length === 0 && !p.noLock)) return facts;

  // 3. shipped packages
  const shipped = new Map<string, { pkg: ShippedPackage; lockfile: string; layer?: string }[]>();
  for (const p of plan) {
    const list: { pkg: ShippedPackage; lockfile: string; layer?: string }[] = [];
    const lockfiles: string[] = [];
    const unresolved: UnresolvedDependencies[] = [];
    if (p.noLock) {
      const text = await readOptional(p.noLock.path);
      try {
        const parsedManifest = text === undefined ? undefined : parseJsonWithLines(text);
        const doc = parsedManifest?.value;
        const deps = isObject(doc) && isObject(doc.dependencies) ? Object.keys(doc.dependencies) : [];
        if (parsedManifest && isObject(doc) && deps.length > 0)
          unresolved.push({ kind: 'no-lockfile', file: p.noLock.path, line: parsedManifest.lineOf(doc, 'dependencies') ?? 1, names: deps });
      } catch {
        // a broken package.json is the manifest loader's business
      }
    }
    for (const s of p.sources) {
      const g = await parse(s.file);
      if (!g) continue;
      lockfiles.push(g.file);
      const loose = unpinnedByFile.get(g.file);
      if (loose && (includeDev || !devRequirementsName(g.file))) {
        const byFile = new Map<string, { name: string; file: string; line: number }[]>();
        for (const u of loose) byFile.set(u.file, [...(byFile.get(u.file) ?? []), u]);
        for (const [file, list] of byFile)
          unresolved.push({ kind: 'unpinned', file, line: (list[0] as { line: number }).line, names: list.map((u) => u.name) });
      }
      for (const pkg of shippedPackages(g, s.relDir, includeDev))
        list.push({ pkg, lockfile: g.file, ...(s.layer ? { layer: s.layer } : {}) });
    }
    shipped.set(p.fn.id, list);
    facts.byFunction.set(p.fn.id, {
      fnId: p.fn.id,
      lockfiles,
      packages: list.map((x) => x.pkg),
      vulnerable: [],
      unresolved,
      ...(p.missing ? { missing: p.missing } : {}),
    });
  }

  // 4. advisories: the offline database, then (when asked) OSV's API
  let db: AdvisoryDb | undefined;
  const cacheDir = typeof options.cacheDir === 'string' ? options.cacheDir : defaultCacheDir(process.env);
  const dbDir = options.advisoryDb ?? (typeof options.cacheDir === 'string' ? join(options.cacheDir, 'osv') : defaultDbDir(process.env));
  try {
    const st = dbDir ? statSync(dbDir, { throwIfNoEntry: false }) : undefined;
    if (dbDir && st?.isDirectory()) db = openAdvisoryDb(dbDir, { ...(cacheDir ? { cacheDir } : {}), diagnostic: input.diagnostic });
    else if (options.advisoryDb)
      input.diagnostic({
        level: 'error',
        file: options.advisoryDb,
        message: 'advisory database not found (--advisory-db)',
        code: 'advisory-db',
      });
    else if (options.online !== true)
      input.diagnostic({
        level: 'warning',
        file: root,
        message:
          'no advisory database: dependencies were not checked for known vulnerabilities (run `fnguard db update`, or pass --advisory-db DIR or --online)',
        code: 'advisory-db-missing',
      });
  } catch (e) {
    input.diagnostic({
      level: 'error',
      file: dbDir ?? root,
      message: `advisory database not usable: ${(e as Error).message}`,
      code: 'advisory-db',
    });
  }
  if (db) facts.db = db.info;
  const unique = new Map<string, ShippedPackage>();
  for (const list of shipped.values())
    for (const { pkg } of list)
      if (pkg.source === 'registry' && pkg.version) unique.set(`${pkg.ecosystem}\0${pkg.name}\0${pkg.version}`, pkg);
  let online: Map<string, Advisory[]> | undefined;
  if (options.online === true) {
    const r = await queryOsvOnline([...unique.values()], { ...(typeof options.osvApi === 'string' ? { api: options.osvApi } : {}) });
    online = r.byPackage;
    facts.online = { queried: unique.size, advisories: r.advisories, ...(r.error ? { error: r.error } : {}) };
    if (r.error) input.diagnostic({ level: 'warning', file: root, message: `OSV online query failed: ${r.error}`, code: 'osv-online' });
  }
  const summarize = () => {
    const ageDays = facts.db?.updated
      ? Math.max(0, Math.floor((options.now.getTime() - Date.parse(facts.db.updated)) / 86_400_000))
      : undefined;
    facts.summary = {
      lockfiles: facts.lockfiles.length,
      packages: unique.size,
      vulnerable: [...facts.byFunction.values()].reduce((n, f) => n + f.vulnerable.length, 0),
      advisoryDb: facts.db
        ? {
            dir: facts.db.dir,
            records: facts.db.records,
            ...(facts.db.updated ? { updated: facts.db.updated } : {}),
            ...(ageDays !== undefined ? { ageDays } : {}),
            loadMs: facts.db.loadMs,
          }
        : null,
      ...(options.online === true ? { online: true } : {}),
    };
    if (ageDays !== undefined && ageDays > 7 && !options.advisoryDb)
      input.diagnostic({
        level: 'warning',
        file: facts.db?.dir ?? root,
        message: `the advisory database is ${ageDays} days old: run \`fnguard db update\``,
        code: 'advisory-db-stale',
      });
  };
  if (!db && !online) {
    summarize();
    return facts;
  }
  const matches = new Map<string, MatchedVulnerability[]>();
  const empty = { lookup: () => [] as Advisory[] };
  for (const [k, pkg] of unique) matches.set(k, matchPackage(db ?? empty, pkg.ecosystem, pkg.name, pkg.version, online?.get(k) ?? []));
  db?.close();

  // 5. reachability from the handler's imports
  let code: CodeFacts | undefined;
  if (app.functions.some((f) => ecosystemsOf(f).includes('npm'))) {
    try {
      code = await input.fact(codeAnalyzer);
    } catch {
      code = undefined;
    }
  }
  const fnById = new Map(app.functions.map((f) => [f.id, f]));
  for (const [fnId, list] of shipped) {
    const fd = facts.byFunction.get(fnId) as FunctionDeps;
    const fnCode = code?.byFunction.get(fnId);
    let pyImports: PythonImport[] | undefined;
    const fn = fnById.get(fnId);
    if (fn && list.some((x) => x.pkg.ecosystem === 'PyPI' && matches.get(`PyPI\0${x.pkg.name}\0${x.pkg.version}`)?.length)) {
      const codeDir = fn.codeDir ?? dirname(fn.where.file);
      const entry = typeof fn.handler === 'string' && !isUnknown(fn.handler) ? pythonHandlerFile(codeDir, fn.handler) : undefined;
      if (entry && isWithin(root, entry))
        pyImports = await pythonImportGraph(codeDir, entry, async (file, max) => {
          try {
            return await reader.read(file, max);
          } catch {
            return undefined;
          }
        });
    }
    for (const { pkg, lockfile, layer } of list) {
      const hits = matches.get(`${pkg.ecosystem}\0${pkg.name}\0${pkg.version}`);
      if (!hits?.length) continue;
      const reach: Reach = layer ? { kind: 'unknown', reason: 'shipped in a layer' } : reachability(pkg, fnCode, pyImports);
      for (const vuln of hits) fd.vulnerable.push({ pkg, vuln, reach, lockfile, ...(layer ? { layer } : {}) });
    }
  }
  summarize();
  return facts;
}

export const depsAnalyzer = defineAnalyzer<DepFacts>({ id: 'deps', run: analyzeDeps });
