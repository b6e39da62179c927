/**
 * Reading text files inside the scan root, within a size limit, with few system calls.
 *
 * One `TextReader` per scan: the root's real path is computed once (not once per file). Each read
 * is synchronous for files up to `SYNC_READ_LIMIT` (a handful of fast system calls beat four hops
 * through libuv's thread pool) and asynchronous above it (the JS thread keeps working meanwhile):
 *   1. `realpath` of the file (symlinks resolved; loops and dangling links are errors);
 *   2. the real path must be inside the root's real path;
 *   3. `lstat` of the real path: only regular files within the limit are ever opened (no FIFO,
 *      socket or device is opened, so none can hang the scan);
 *   4. `open` with O_NOFOLLOW | O_NONBLOCK, then the checks again on the open descriptor (`fstat`,
 *      and on Linux the descriptor's own path from /proc/self/fd), so that a file replaced between
 *      the checks and the open (by a symlink, a FIFO, a bigger file, a link out of the root) is
 *      refused rather than read;
 *   5. read up to the limit (a file growing past it while being read is refused), close.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, read, readlinkSync, readSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { DEFAULT_MAX_FILE_SIZE } from '../discover/discover.js';

/** Thrown by `LoadContext.readText` (and `TextReader.read`) when a file cannot be read within the limits. */
export class LoadError extends Error {
  readonly file: string;
  readonly code: string;
  constructor(file: string, code: string, message: string) {
    super(message);
    this.name = 'LoadError';
    this.file = file;
    this.code = code;
  }
}

/** Reads text files inside one scan root; create one per scan. */
export interface TextReader {
  /** The scan root as given (not resolved). */
  readonly root: string;
  /** Read a text file inside the root (after resolving symlinks), within the size limit; strips a BOM. */
  read(path: string, maxFileSize?: number): Promise<string>;
}

/** Files up to this size are read synchronously; bigger ones on libuv's pool. */
export const SYNC_READ_LIMIT = 256 * 1024;

const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOFOLLOW ?? 0);

function unreadable(abs: string, e: unknown): LoadError {
  return new LoadError(abs, 'unreadable', `cannot read ${abs}: ${(e as Error).message}`);
}

function tooLarge(abs: string, size: number, max: number): LoadError {
  return new LoadError(abs, 'too-large', `${abs} is ${size} bytes, over the ${max}-byte limit`);
}

function readAsync(fd: number, buf: Buffer, offset: number, length: number, position: number): Promise<number> {
  return new Promise((done, fail) => {
    read(fd, buf, offset, length, position, (err, n) => (err ? fail(err) : done(n)));
  });
}

/** The path of an open descriptor (Linux /proc), or undefined where the platform does not tell. */
function descriptorPath(fd: number): string | undefined {
  if (process.platform !== 'linux') return undefined;
  let link: string;
  try {
    link = readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return undefined; // no /proc mounted
  }
  return link.endsWith(' (deleted)') ? link.slice(0, -' (deleted)'.length) : link;
}

/** A reader for files inside `root`, memoizing the root's real path. */
export function createTextReader(root: string): TextReader {
  let realRoot: string | undefined;
  const rootReal = (): string => {
    realRoot ??= realpathSync.native(root);
    return realRoot;
  };
  const inside = (base: string, real: string): boolean => {
    const rel = relative(base, real);
    return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
  };

  const readOpen = async (abs: string, fd: number, size: number, max: number): Promise<string> => {
    // one byte more than the limit tells a file that grew past it while being read
    const cap = Math.min(size, max) + 1;
    let buf = Buffer.allocUnsafe(cap);
    let n = 0;
    const sync = size <= SYNC_READ_LIMIT;
    for (;;) {
      if (n === buf.length) {
        if (n > max) throw tooLarge(abs, n, max);
        const bigger = Buffer.allocUnsafe(Math.min(max + 1, buf.length * 2));
        buf.copy(bigger, 0, 0, n);
        buf = bigger;
      }
      const got = sync ? readSync(fd, buf, n, buf.length - n, n) : await readAsync(fd, buf, n, buf.length - n, n);
      if (got === 0) break;
      n += got;
    }
    if (n > max) throw tooLarge(abs, n, max);
    const text = buf.toString('utf8', 0, n);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  };

  const readText = async (path: string, maxFileSize = DEFAULT_MAX_FILE_SIZE): Promise<string> => {
    const abs = isAbsolute(path) ? path : resolve(root, path);
    let real: string;
    let base: string;
    try {
      real = realpathSync.native(abs);
      base = rootReal();
    } catch (e) {
      throw unreadable(abs, e);
    }
    if (!inside(base, real)) throw new LoadError(abs, 'outside-root', `${abs} is outside the scan root`);
    let st: ReturnType<typeof lstatSync>;
    try {
      st = lstatSync(real);
    } catch (e) {
      throw unreadable(abs, e);
    }
    if (!st.isFile()) throw new LoadError(abs, 'not-a-file', `${abs} is not a regular file`);
    if (st.size > maxFileSize) throw tooLarge(abs, st.size, maxFileSize);
    let fd: number;
    try {
      fd = openSync(real, OPEN_FLAGS);
    } catch (e) {
      throw unreadable(abs, e);
    }
    try {
      // the same checks on what was actually opened: it may have been replaced since
      const fst = fstatSync(fd);
      if (!fst.isFile()) throw new LoadError(abs, 'not-a-file', `${abs} is not a regular file`);
      if (fst.size > maxFileSize) throw tooLarge(abs, fst.size, maxFileSize);
      const opened = descriptorPath(fd);
      if (opened !== undefined && opened !== real && !inside(base, opened))
        throw new LoadError(abs, 'outside-root', `${abs} is outside the scan root`);
      return await readOpen(abs, fd, fst.size, maxFileSize);
    } catch (e) {
      throw e instanceof LoadError ? e : unreadable(abs, e);
    } finally {
      closeSync(fd);
    }
  };

  return { root, read: readText };
}

/** Read one text file inside `root` (see `createTextReader`; a scan shares one reader instead). */
export function readTextWithin(root: string, path: string, maxFileSize = DEFAULT_MAX_FILE_SIZE): Promise<string> {
  return createTextReader(root).read(path, maxFileSize);
}
