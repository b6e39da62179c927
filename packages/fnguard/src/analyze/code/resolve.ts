/**
 * Module resolution for the code analysis, without executing anything: handler strings to entry
 * files (Node handler strings, SAM `CodeUri`/`Handler`, Terraform `source_dir`/`archive_file`,
 * TypeScript sources behind `dist/` or bundler output) and import specifiers to local files
 * (relative paths, TypeScript `paths`/`baseUrl`, index files, `package.json` `exports`/`main`
 * of packages that live in the scanned tree).
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';

/** Extensions tried for an extension-less specifier, in order (sources before compiled output). */
export const CODE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.jsx'];
const JS_TO_TS: Record<string, string[]> = {
  '.js': ['.ts', '.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
  '.jsx': ['.tsx'],
};
/** Output folders of compilers and bundlers, mapped back to where their sources usually live. */
const OUTPUT_DIRS = ['dist', 'build', 'lib', 'out', '.build', '.esbuild/.build', '.webpack/service', '.webpack', 'bundle'];

export interface FileSystemView {
  /** True when `path` is a regular file inside the scan root. */
  isFile(path: string): boolean;
  /** False when `path` is certainly not a directory inside the root (resolution then skips its index files). */
  mayBeDirectory?(path: string): boolean;
  /** Text of a JSON-ish config file (tsconfig.json, package.json) inside the root, or undefined. */
  readConfig(path: string): string | undefined;
  /** Memo of `resolveFileLike` answers for this view (functions of one project share candidates). */
  readonly fileLike?: Map<string, string | undefined>;
}

export function insideRoot(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

type EntryKind = 'file' | 'other' | 'link';

/**
 * A file-system view restricted to the scan root. Existence is answered from the discovered files,
 * then from one memoized listing per directory (resolution tries a dozen candidate names per
 * import, mostly in the same few directories: a stat per candidate costs far more). Whether a
 * directory lies inside the root is decided once per directory: a file is inside the root exactly
 * when the directory that lists it is (its name is never `.` or `..`).
 */
export function fileSystemView(root: string, known: Iterable<string>, read: (path: string) => string | undefined): FileSystemView {
  const files = new Set(known);
  /** directory -> its entries, or null when the directory is outside the root */
  const listings = new Map<string, Map<string, EntryKind> | null>();
  const listing = (dir: string): Map<string, EntryKind> | null => {
    let l = listings.get(dir);
    if (l === undefined) {
      if (!insideRoot(root, dir)) l = null;
      else {
        l = new Map();
        try {
          for (const d of readdirSync(dir, { withFileTypes: true }))
            l.set(d.name, d.isFile() ? 'file' : d.isSymbolicLink() ? 'link' : 'other');
        } catch {
          // not a directory, or unreadable: nothing in it
        }
      }
      listings.set(dir, l);
    }
    return l;
  };
  const links = new Map<string, boolean>();
  return {
    isFile(path) {
      if (files.has(path)) return true;
      const kind = listing(dirname(path))?.get(basename(path));
      if (kind !== 'link') return kind === 'file';
      let v = links.get(path);
      if (v === undefined) {
        v = statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
        links.set(path, v);
      }
      return v;
    },
    mayBeDirectory(path) {
      // `a/..`, `a/.`, `a//b`, `a/`: not a plain entry name of its parent listing
      if (normalize(path) !== path || path.endsWith(sep)) return true;
      const parent = listing(dirname(path));
      if (parent === null) return true; // the root itself (its parent is outside): let isFile decide
      const kind = parent.get(basename(path));
      return kind === 'other' || kind === 'link';
    },
    readConfig: (path) => (insideRoot(root, path) ? read(path) : undefined),
    fileLike: new Map(),
  };
}

/** `relative(root, path)`, without re-resolving both when `path` lies plainly under `root` (no `.`/`..` segments, no doubled separators). */
function relativeToRoot(root: string, path: string): string {
  const prefix = root.endsWith(sep) ? root : root + sep;
  if (path.startsWith(prefix)) {
    const rest = path.slice(prefix.length);
    if (!/(?:^|[\\/])\.\.?(?:[\\/]|$)|[\\/]{2}|[\\/]$/.test(rest)) return rest;
  }
  return relative(root, path);
}

/** Parse a Node handler string: `src/handler.main` -> module `src/handler`, export path `['main']`. */
export function splitHandler(handler: string): { module: string; exportPath: string[] } | undefined {
  const h = handler.trim();
  if (!h) return undefined;
  const slash = h.lastIndexOf('/');
  const base = h.slice(slash + 1);
  const dot = base.indexOf('.');
  if (dot <= 0 || dot === base.length - 1) return undefined;
  return { module: h.slice(0, slash + 1) + base.slice(0, dot), exportPath: base.slice(dot + 1).split('.') };
}

/** Try `base` as a file, with each code extension, and as a directory with an index file. */
export function resolveFileLike(fs: FileSystemView, base: string): string | undefined {
  const memo = fs.fileLike;
  if (!memo) return findFileLike(fs, base);
  const hit = memo.get(base);
  if (hit !== undefined || memo.has(base)) return hit;
  const found = findFileLike(fs, base);
  memo.set(base, found);
  return found;
}

function findFileLike(fs: FileSystemView, base: string): string | undefined {
  const ext = /\.[cm]?[jt]sx?$/i.exec(base)?.[0]?.toLowerCase();
  if (ext) {
    // TypeScript sources import `./x.js` for `./x.ts` (NodeNext): prefer the source
    for (const alt of JS_TO_TS[ext] ?? []) {
      const p = base.slice(0, -ext.length) + alt;
      if (fs.isFile(p)) return p;
    }
    if (fs.isFile(base)) return base;
  }
  for (const e of CODE_EXTENSIONS) if (fs.isFile(base + e)) return base + e;
  if (fs.mayBeDirectory?.(base) === false) return undefined;
  for (const e of CODE_EXTENSIONS) if (fs.isFile(join(base, `index${e}`))) return join(base, `index${e}`);
  return undefined;
}

/** Candidate source locations of a module path that points into compiler/bundler output. */
function sourceAlternatives(codeDir: string, modulePath: string): string[] {
  const out: string[] = [];
  const norm = (modulePath.includes('\\') ? modulePath.replace(/\\/g, '/') : modulePath).replace(/^\.\//, '');
  for (const d of OUTPUT_DIRS) {
    if (norm === d || (norm.startsWith(d) && norm.charCodeAt(d.length) === 47) /* / */) {
      const rest = norm.slice(d.length + 1);
      out.push(join(codeDir, 'src', rest), join(codeDir, rest));
    }
  }
  // the code dir itself is an output dir (CodeUri: dist/, source_dir = "build")
  const dir = codeDir.includes('\\') ? codeDir.replace(/\\/g, '/') : codeDir;
  for (const d of OUTPUT_DIRS) {
    if (dir === d || (dir.endsWith(d) && dir.charCodeAt(dir.length - d.length - 1) === 47)) {
      const project = dir === d ? '/' : dir.slice(0, dir.length - d.length - 1) || '/';
      out.push(join(project, 'src', norm), join(project, norm));
    }
  }
  return out;
}

export interface EntryResolution {
  file?: string;
  exportPath: string[];
  reason?: string;
}

/** Resolve a function's handler to its entry file and export. */
export function resolveEntry(
  fs: FileSystemView,
  fn: { handler?: unknown; codeDir?: string; codeArtifact?: string },
  root: string,
  codeFiles?: readonly string[],
): EntryResolution {
  if (typeof fn.handler !== 'string') {
    return { exportPath: [], reason: fn.handler === undefined ? 'no handler is set' : 'the handler is not a literal value' };
  }
  const dirs = [fn.codeDir, fn.codeArtifact ? dirname(fn.codeArtifact) : undefined, root].filter(
    (d, i, a): d is string => typeof d === 'string' && a.indexOf(d) === i,
  );
  const split = splitHandler(fn.handler);
  if (!split) {
    // GCP/Azure entry points name only the export: the package's main file or index
    for (const dir of dirs) {
      const main = packageMain(fs, dir);
      const file = (main && resolveFileLike(fs, main)) ?? resolveFileLike(fs, join(dir, 'index'));
      if (file) return { file, exportPath: [fn.handler] };
    }
    return { exportPath: [fn.handler], reason: `handler '${fn.handler}' names no module, and no index file was found` };
  }
  const tried: string[] = [];
  // no code location in the IaC (CDK templates without asset metadata): the one source file of
  // the project whose path ends with the handler's module (`src/orders.ts` for `orders.get`)
  if (!fn.codeDir && !fn.codeArtifact && codeFiles) {
    const tail = `/${split.module.replace(/^\.\//, '')}`;
    const hits = codeFiles.filter(
      (f) => CODE_EXTENSIONS.some((e) => f.endsWith(tail + e)) && !/\/(node_modules|cdk\.out|dist|build)\//.test(f),
    );
    const preferred = hits.filter((f) => /\.(ts|tsx|mts|cts)$/.test(f));
    const pick = (preferred.length ? preferred : hits).sort((a, b) => a.length - b.length);
    if (pick.length === 1 || (pick.length > 1 && (pick[0] as string).length < (pick[1] as string).length))
      return { file: pick[0] as string, exportPath: split.exportPath };
  }
  for (const dir of dirs) {
    const candidates = [...sourceAlternatives(dir, split.module), resolve(dir, split.module)];
    // the compiled file itself last: sources give better positions
    for (const c of candidates) {
      tried.push(c);
      const file = resolveFileLike(fs, c);
      if (file) return { file, exportPath: split.exportPath };
    }
  }
  const rel = tried
    .slice(0, 3)
    .map((t) => relativeToRoot(root, t) || '.')
    .join(', ');
  const zip = fn.codeArtifact && !fn.codeDir ? ` (the code is given as the artifact ${relativeToRoot(root, fn.codeArtifact)})` : '';
  return { exportPath: split.exportPath, reason: `no source file for handler '${fn.handler}' (tried ${rel})${zip}` };
}

/* ---------------------------------------------------------------------------------------- */
/* Import specifiers                                                                          */
/* ---------------------------------------------------------------------------------------- */

/** Strip comments and trailing commas from JSONC (tsconfig.json), then parse. */
export function parseJsonc(text: string): unknown {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
}

interface TsPaths {
  baseUrl: string;
  paths: [pattern: string, targets: string[]][];
}

interface LocalPackage {
  dir: string;
  manifest: Record<string, unknown>;
}

function packageMain(fs: FileSystemView, dir: string): string | undefined {
  const text = fs.readConfig(join(dir, 'package.json'));
  if (!text) return undefined;
  try {
    const m = JSON.parse(text) as { main?: unknown };
    return typeof m.main === 'string' ? join(dir, m.main) : undefined;
  } catch {
    return undefined;
  }
}

/** Pick the target of a package.json `exports` entry (string, condition object or array). */
function exportTarget(v: unknown, depth = 0): string | undefined {
  if (depth > 5) return undefined;
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) {
    for (const x of v) {
      const t = exportTarget(x, depth + 1);
      if (t) return t;
    }
    return undefined;
  }
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k of ['source', 'types', 'import', 'node', 'require', 'default']) {
      if (k === 'types') continue;
      const t = exportTarget(o[k], depth + 1);
      if (t) return t;
    }
  }
  return undefined;
}

export class ImportResolver {
  private readonly tsconfigByDir = new Map<string, TsPaths | null>();
  private readonly localPackages = new Map<string, LocalPackage>();

  constructor(
    private readonly fs: FileSystemView,
    private readonly root: string,
    packageJsonFiles: Iterable<string>,
  ) {
    for (const pj of packageJsonFiles) {
      const text = fs.readConfig(pj);
      if (!text) continue;
      try {
        const manifest = JSON.parse(text) as Record<string, unknown>;
        if (typeof manifest.name === 'string' && !this.localPackages.has(manifest.name))
          this.localPackages.set(manifest.name, { dir: dirname(pj), manifest });
      } catch {
        /* a broken package.json is reported by the loaders that read it */
      }
    }
  }

  /** Resolve a specifier written in `fromFile`: a local file, or undefined (a package, or not found). */
  resolve(specifier: string, fromFile: string): { file?: string; local: boolean } {
    if (specifier.startsWith('.') || specifier.startsWith('/')) {
      const base = specifier.startsWith('/') ? specifier : resolve(dirname(fromFile), specifier);
      return { file: insideRoot(this.root, base) ? resolveFileLike(this.fs, base) : undefined, local: true };
    }
    const ts = this.tsPaths(dirname(fromFile));
    if (ts) {
      for (const [pattern, targets] of ts.paths) {
        const star = pattern.indexOf('*');
        let rest: string | undefined;
        if (star === -1) rest = pattern === specifier ? '' : undefined;
        else if (specifier.startsWith(pattern.slice(0, star)) && specifier.endsWith(pattern.slice(star + 1)))
          rest = specifier.slice(star, specifier.length - (pattern.length - star - 1));
        if (rest === undefined) continue;
        for (const t of targets) {
          const file = resolveFileLike(this.fs, resolve(ts.baseUrl, t.replace('*', rest)));
          if (file) return { file, local: true };
        }
        return { local: true };
      }
    }
    const name = packageName(specifier);
    const pkg = name ? this.localPackages.get(name) : undefined;
    if (pkg && name) {
      const sub = specifier.slice(name.length);
      const exp = pkg.manifest.exports;
      let target: string | undefined;
      if (exp !== undefined) {
        const key = sub ? `.${sub}` : '.';
        const isMap = exp && typeof exp === 'object' && !Array.isArray(exp) && Object.keys(exp).some((k) => k.startsWith('.'));
        target = exportTarget(isMap ? (exp as Record<string, unknown>)[key] : key === '.' ? exp : undefined);
      }
      if (!target && !sub) target = typeof pkg.manifest.main === 'string' ? pkg.manifest.main : 'index';
      if (!target && sub) target = `.${sub}`;
      if (target) {
        const abs = resolve(pkg.dir, target);
        const file =
          resolveFileLike(this.fs, abs) ??
          sourceAlternatives(pkg.dir, relative(pkg.dir, abs).replace(/\.[cm]?js$/, ''))
            .map((c) => resolveFileLike(this.fs, c))
            .find((f): f is string => !!f);
        if (file) return { file, local: true };
      }
    }
    return { local: false };
  }

  private tsPaths(dir: string): TsPaths | undefined {
    const hit = this.tsconfigByDir.get(dir);
    if (hit !== undefined) return hit ?? undefined;
    let found: TsPaths | null = null;
    const cfg = join(dir, 'tsconfig.json');
    if (this.fs.isFile(cfg)) found = this.readTsconfig(cfg, 0) ?? null;
    else if (insideRoot(this.root, dirname(dir)) && dirname(dir) !== dir) found = this.tsPaths(dirname(dir)) ?? null;
    this.tsconfigByDir.set(dir, found);
    return found ?? undefined;
  }

  private readTsconfig(file: string, depth: number): TsPaths | undefined {
    const text = this.fs.readConfig(file);
    if (!text || depth > 3) return undefined;
    let cfg: { extends?: unknown; compilerOptions?: { baseUrl?: unknown; paths?: unknown } };
    try {
      cfg = parseJsonc(text) as typeof cfg;
    } catch {
      return undefined;
    }
    const dir = dirname(file);
    const co = cfg.compilerOptions ?? {};
    const parent =
      typeof cfg.extends === 'string' && cfg.extends.startsWith('.')
        ? this.readTsconfig(resolve(dir, cfg.extends.endsWith('.json') ? cfg.extends : `${cfg.extends}.json`), depth + 1)
        : undefined;
    const baseUrl = typeof co.baseUrl === 'string' ? resolve(dir, co.baseUrl) : (parent?.baseUrl ?? dir);
    let paths = parent?.paths ?? [];
    if (co.paths && typeof co.paths === 'object') {
      paths = Object.entries(co.paths as Record<string, unknown>)
        .filter((e): e is [string, string[]] => Array.isArray(e[1]))
        .map(([k, v]) => [k, v.filter((x) => typeof x === 'string')]);
    }
    if (paths.length === 0 && typeof co.baseUrl !== 'string') return parent;
    return { baseUrl, paths };
  }
}

/** `@scope/name/sub` -> `@scope/name`; `lodash/fp` -> `lodash`; builtins with `node:` stay as written. */
export function packageName(specifier: string): string | undefined {
  if (!specifier || specifier.startsWith('.') || specifier.startsWith('/')) return undefined;
  const parts = specifier.split('/');
  if (specifier.startsWith('@')) return parts.length >= 2 ? `${parts[0]}/${parts[1]}` : undefined;
  return parts[0];
}
