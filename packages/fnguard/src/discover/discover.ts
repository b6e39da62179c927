/**
 * Discovery: walk the project tree once and classify every file.
 *
 * - prunes `node_modules`, `.git`, `.serverless`, `.terraform`, `cdk.out/asset.*` while walking;
 * - honours `.gitignore` and `.fnguardignore` (gitignore syntax, nested files too);
 * - follows symlinks only when their target stays inside the root, and detects loops;
 * - enforces size limits and detects binary files (NUL in the first 8 KiB);
 * - never opens anything but regular files (no FIFOs, devices or sockets: they could hang).
 * Problems become diagnostics naming the file; the walk goes on.
 */
import {
  closeSync,
  constants,
  type Dirent,
  existsSync,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Diagnostic } from '../model/types.js';
import { classifyByName, looksBinary, looksLikeCloudFormation } from './classify.js';
import { type IgnoreFile, matchIgnore, parseIgnoreFile } from './ignore.js';
import type { DiscoveredFile } from './types.js';

export interface DiscoverOptions {
  /** Max size of IaC, code and other text files (bytes). Default 5 MiB. */
  maxFileSize?: number;
  /** Max size of lockfiles (bytes). Default 50 MiB. */
  maxLockfileSize?: number;
  /** Stop after this many files (a diagnostic says so). Default 200,000. */
  maxFiles?: number;
  /** Max directory depth below the root. Default 64. */
  maxDepth?: number;
  /** Honour `.gitignore` files. Default true. */
  gitignore?: boolean;
  /** Extra directory names to prune. */
  pruneDirs?: string[];
  /** Directory names not to prune after all (e.g. `.serverless` for the Serverless plugin's compiled template). */
  keepDirs?: string[];
  /**
   * Classify only these files (root-relative or absolute) instead of walking the tree, e.g. the
   * files staged for a commit. Files outside the root, missing or not regular are diagnostics.
   */
  only?: string[];
}

export interface DiscoverResult {
  root: string;
  files: DiscoveredFile[];
  diagnostics: Diagnostic[];
}

export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;
export const DEFAULT_MAX_LOCKFILE_SIZE = 50 * 1024 * 1024;
const HEAD_SIZE = 64 * 1024;
const BINARY_SNIFF = 8 * 1024;

const PRUNED = new Set(['node_modules', '.git', '.serverless', '.terraform', '.hg', '.svn', '__pycache__', '.venv', '.aws-sam']);

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

function errMessage(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err?.code ? `${err.code}: ${err.message}` : String((e as Error)?.message ?? e);
}

/**
 * `.gitignore` files above the scan root, up to the enclosing git repository's top (the nearest
 * ancestor holding `.git`), outermost first, so `fnguard scan services/api` ignores what git
 * ignores. Outside a git repository, nothing above the root is read.
 */
function ancestorGitignores(root: string): IgnoreFile[] {
  const chain: string[] = [];
  let dir = root;
  let top: string | undefined;
  for (let i = 0; i < 32; i++) {
    if (existsSync(join(dir, '.git'))) {
      top = dir;
      break;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    chain.push(parent);
    dir = parent;
  }
  if (top === undefined || top === root) return [];
  const out: IgnoreFile[] = [];
  for (const anc of chain.reverse()) {
    const file = join(anc, '.gitignore');
    try {
      const st = statSync(file);
      if (!st.isFile() || st.size > 1024 * 1024) continue;
      const prefix = `${toPosix(relative(anc, root))}/`;
      out.push({ ...parseIgnoreFile(readFileSync(file, 'utf8'), ''), prefix });
    } catch {
      // no .gitignore there
    }
  }
  return out;
}

/**
 * Walk `root` and classify what is found. Synchronous inside (fast for many small files), async API.
 * When `root` is a regular file, only that file is classified and its directory becomes the root.
 */
export async function discover(rootIn: string, options: DiscoverOptions = {}): Promise<DiscoverResult> {
  return discoverSync(rootIn, options);
}

export function discoverSync(rootIn: string, options: DiscoverOptions = {}): DiscoverResult {
  let root = resolve(rootIn);
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const maxLockfileSize = options.maxLockfileSize ?? DEFAULT_MAX_LOCKFILE_SIZE;
  const maxFiles = options.maxFiles ?? 200_000;
  const maxDepth = options.maxDepth ?? 64;
  const useGitignore = options.gitignore !== false;
  const pruned = new Set([...PRUNED, ...(options.pruneDirs ?? [])]);
  for (const d of options.keepDirs ?? []) pruned.delete(d);
  const files: DiscoveredFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const head = Buffer.allocUnsafe(HEAD_SIZE);

  let realRoot: string;
  let singleFile: string | undefined;
  try {
    const st = statSync(rootIn);
    if (st.isFile()) {
      // A single file: it alone is scanned, its directory is the root.
      singleFile = basename(rootIn);
      root = dirname(resolve(rootIn));
    } else if (!st.isDirectory()) {
      diagnostics.push({
        level: 'error',
        file: root,
        message: 'scan root is neither a directory nor a regular file',
        code: 'not-a-directory',
      });
      return { root, files, diagnostics };
    }
    realRoot = realpathSync(root);
  } catch (e) {
    diagnostics.push({ level: 'error', file: root, message: `cannot read scan root (${errMessage(e)})`, code: 'unreadable' });
    return { root, files, diagnostics };
  }

  const insideRoot = (real: string) => real === realRoot || real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep);
  let limitHit = false;

  /** Open once: size (fstat) and, when within `limit`, the head. n = -1 when too large. */
  const readHead = (abs: string, want: number, limit: number): { n: number; size: number } => {
    // O_NONBLOCK: a file swapped for a FIFO after the directory read can never block us
    const fd = openSync(abs, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const size = fstatSync(fd).size;
      if (size > limit) return { n: -1, size };
      return { n: size === 0 ? 0 : readSync(fd, head, 0, Math.min(want, HEAD_SIZE), 0), size };
    } finally {
      closeSync(fd);
    }
  };

  const loadIgnore = (dirAbs: string, dirRel: string, name: string, stack: IgnoreFile[]) => {
    const abs = join(dirAbs, name);
    try {
      const st = lstatSync(abs);
      if (!st.isFile()) return;
      if (st.size > 1024 * 1024) {
        diagnostics.push({ level: 'warning', file: abs, message: `${name} larger than 1 MiB, not used`, code: 'too-large' });
        return;
      }
      stack.push(parseIgnoreFile(readFileSync(abs, 'utf8'), dirRel));
    } catch (e) {
      diagnostics.push({ level: 'warning', file: abs, message: `cannot read ${name} (${errMessage(e)})`, code: 'unreadable' });
    }
  };

  // visited real directories (loop detection)
  const visited = new Set<string>([realRoot]);

  /** `sizeIn` is -1 when not known yet (read with fstat on the open descriptor). */
  const addFile = (abs: string, rel: string, name: string, sizeIn: number) => {
    if (files.length >= maxFiles) {
      if (!limitHit) {
        limitHit = true;
        diagnostics.push({
          level: 'warning',
          file: abs,
          message: `file limit of ${maxFiles} reached; the rest of the tree is not scanned`,
          code: 'file-limit',
        });
      }
      return;
    }
    const cls = classifyByName(rel, name);
    if (cls.executableConfig) {
      diagnostics.push({
        level: 'info',
        file: abs,
        message: `${name} is an executable Serverless config: not executed, skipped (use serverless.yml, or scan the output of 'serverless package')`,
        code: 'skipped-executable-config',
      });
    }
    let size = sizeIn;
    if (cls.kind === 'binary' || cls.kind === 'archive') {
      if (size < 0) {
        try {
          size = statSync(abs).size;
        } catch (e) {
          diagnostics.push({ level: 'warning', file: abs, message: `cannot stat file (${errMessage(e)})`, code: 'unreadable' });
          return;
        }
      }
      files.push({ path: abs, rel, kind: cls.kind, ...(cls.subtype ? { subtype: cls.subtype } : {}), size });
      return;
    }
    const interesting = cls.kind !== 'text' || cls.sniff !== undefined;
    const limit = cls.kind === 'lockfile' ? maxLockfileSize : maxFileSize;
    let n: number;
    try {
      const r = readHead(abs, cls.sniff ? HEAD_SIZE : BINARY_SNIFF, limit);
      n = r.n;
      size = r.size;
    } catch (e) {
      diagnostics.push({ level: 'warning', file: abs, message: `cannot read file (${errMessage(e)})`, code: 'unreadable' });
      return;
    }
    if (n < 0) {
      if (interesting) {
        diagnostics.push({
          level: 'warning',
          file: abs,
          message: `file is ${size} bytes, over the ${limit}-byte limit: skipped`,
          code: 'too-large',
        });
      }
      return;
    }
    if (looksBinary(head, n)) {
      if (interesting)
        diagnostics.push({
          level: 'warning',
          file: abs,
          message: 'binary content (NUL bytes) in a file that should be text: skipped',
          code: 'binary',
        });
      files.push({ path: abs, rel, kind: 'binary', size });
      return;
    }
    if (cls.sniff === 'cloudformation') {
      if (looksLikeCloudFormation(head.toString('utf8', 0, n))) {
        files.push({ path: abs, rel, kind: 'iac', subtype: 'cloudformation', size });
        return;
      }
      files.push({ path: abs, rel, kind: 'text', subtype: name.toLowerCase().endsWith('json') ? 'json' : 'yaml', size });
      return;
    }
    files.push({ path: abs, rel, kind: cls.kind, ...(cls.subtype ? { subtype: cls.subtype } : {}), size });
  };

  const walk = (dirAbs: string, dirRel: string, parentStack: IgnoreFile[], depth: number) => {
    if (limitHit) return;
    let entries: Dirent[];
    try {
      entries = readdirSync(dirAbs, { withFileTypes: true });
    } catch (e) {
      diagnostics.push({ level: 'warning', file: dirAbs, message: `cannot read directory (${errMessage(e)})`, code: 'unreadable' });
      return;
    }
    let stack = parentStack;
    const hasGit = useGitignore && entries.some((d) => d.name === '.gitignore');
    const hasFn = entries.some((d) => d.name === '.fnguardignore');
    if (hasGit || hasFn) {
      stack = parentStack.slice();
      if (hasGit) loadIgnore(dirAbs, dirRel, '.gitignore', stack);
      if (hasFn) loadIgnore(dirAbs, dirRel, '.fnguardignore', stack);
    }
    // deterministic order
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const ent of entries) {
      const name = ent.name;
      const abs = join(dirAbs, name);
      const rel = dirRel === '' ? name : `${dirRel}/${toPosix(name)}`;
      let isDir = ent.isDirectory();
      let isFile = ent.isFile();
      let size = -1;
      let realDir: string | undefined;
      if (ent.isSymbolicLink()) {
        let real: string;
        try {
          real = realpathSync(abs);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'ELOOP')
            diagnostics.push({ level: 'warning', file: abs, message: 'symlink loop: not followed', code: 'symlink-loop' });
          else
            diagnostics.push({
              level: 'info',
              file: abs,
              message: `broken symlink: not followed (${errMessage(e)})`,
              code: 'broken-symlink',
            });
          continue;
        }
        if (!insideRoot(real)) {
          diagnostics.push({
            level: 'info',
            file: abs,
            message: 'symlink points outside the scan root: not followed',
            code: 'symlink-outside-root',
          });
          continue;
        }
        let st: ReturnType<typeof statSync>;
        try {
          st = statSync(abs);
        } catch (e) {
          diagnostics.push({ level: 'warning', file: abs, message: `cannot stat symlink target (${errMessage(e)})`, code: 'unreadable' });
          continue;
        }
        isDir = st.isDirectory();
        isFile = st.isFile();
        size = st.size;
        if (isDir) realDir = real;
      }
      if (isDir) {
        if (pruned.has(name)) continue;
        if (name.startsWith('asset.') && /(^|\/)cdk\.out$/.test(dirRel)) continue;
        if (matchIgnore(stack, rel, true) === true) continue;
        if (depth + 1 > maxDepth) {
          diagnostics.push({
            level: 'warning',
            file: abs,
            message: `directory nesting deeper than ${maxDepth}: not scanned`,
            code: 'too-deep',
          });
          continue;
        }
        if (realDir !== undefined) {
          if (visited.has(realDir)) {
            diagnostics.push({
              level: 'warning',
              file: abs,
              message: 'symlink loop (directory already visited): not followed',
              code: 'symlink-loop',
            });
            continue;
          }
          visited.add(realDir);
        }
        walk(abs, rel, stack, depth + 1);
        if (limitHit) return;
        continue;
      }
      if (!isFile) continue; // FIFOs, sockets, devices: never opened
      if (matchIgnore(stack, rel, false) === true) continue;
      addFile(abs, rel, name, size);
      if (limitHit) return;
    }
  };

  if (singleFile !== undefined) addFile(join(root, singleFile), toPosix(singleFile), singleFile, -1);
  else if (options.only) {
    for (const p of [...new Set(options.only)].sort()) {
      const abs = resolve(root, p);
      const rel = toPosix(relative(root, abs));
      if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
        diagnostics.push({ level: 'warning', file: abs, message: 'not inside the scan root: skipped', code: 'outside-root' });
        continue;
      }
      let real: string;
      try {
        if (!lstatSync(abs).isFile() && !statSync(abs).isFile()) throw new Error('not a regular file');
        real = realpathSync(abs);
      } catch (e) {
        diagnostics.push({ level: 'warning', file: abs, message: `cannot scan (${errMessage(e)})`, code: 'unreadable' });
        continue;
      }
      if (!insideRoot(real)) {
        diagnostics.push({
          level: 'info',
          file: abs,
          message: 'symlink points outside the scan root: not followed',
          code: 'symlink-outside-root',
        });
        continue;
      }
      addFile(abs, rel, basename(abs), -1);
    }
  } else walk(root, '', useGitignore ? ancestorGitignores(root) : [], 0);
  return { root, files, diagnostics };
}
