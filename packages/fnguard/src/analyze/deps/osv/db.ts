/**
 * The advisory database: OSV records from a directory (JSON files at any depth, and OSV's
 * per-ecosystem `all.zip` files), reduced and indexed by package once. The index (a header of
 * byte ranges per package plus a data file) is kept in the cache and reused while the sources are
 * unchanged (same paths, sizes and mtimes), so a scan reads only the packages it looks up.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import type { Diagnostic } from '../../../model/types.js';
import type { Ecosystem } from '../types.js';
import { DB_META, type DbMeta } from './cacheDir.js';
import { type Advisory, packageKey, reduceRecord } from './record.js';
import { ZipError, ZipReader } from './zip.js';

const INDEX_FORMAT = 2;
const MAX_JSON_RECORD = 8 * 1024 * 1024;
const MAX_SOURCES = 2_000_000;
/** Below this total size the sources are read on every scan instead of indexed. */
export const SMALL_DB_BYTES = 1024 * 1024;

export interface DbSource {
  path: string;
  size: number;
  mtimeMs: number;
}

export interface AdvisoryDbInfo {
  dir: string;
  records: number;
  packages: number;
  /** When `fnguard db update` last refreshed it (from its meta file), else the newest source mtime. */
  updated?: string;
  /** True when the index was read from the cache rather than built by this scan. */
  cachedIndex: boolean;
  loadMs: number;
}

export interface AdvisoryDb {
  info: AdvisoryDbInfo;
  lookup(ecosystem: Ecosystem, name: string): Advisory[];
  close(): void;
}

interface Header {
  format: number;
  dir: string;
  sources: DbSource[];
  records: number;
  built: string;
  packages: Record<string, [number, number]>;
}

/** Every OSV source under `dir` (no symlinks followed; our own files skipped). */
export function listSources(dir: string): DbSource[] {
  const out: DbSource[] = [];
  const walk = (d: string, depth: number) => {
    if (depth > 32 || out.length > MAX_SOURCES) return;
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const n of names) {
      if (n.startsWith('.') || n === DB_META || n === 'index' || n.endsWith('.part')) continue;
      const p = join(d, n);
      const st = lstatSync(p, { throwIfNoEntry: false });
      if (!st || st.isSymbolicLink()) continue;
      if (st.isDirectory()) walk(p, depth + 1);
      else if (st.isFile() && (n.endsWith('.json') || n.endsWith('.zip')))
        out.push({ path: p, size: st.size, mtimeMs: Math.floor(st.mtimeMs) });
    }
  };
  walk(dir, 0);
  return out;
}

function sameSources(a: readonly DbSource[], b: readonly DbSource[]): boolean {
  return a.length === b.length && a.every((s, i) => s.path === b[i]?.path && s.size === b[i]?.size && s.mtimeMs === b[i]?.mtimeMs);
}

/** Read every record of the sources, reduced; problems become diagnostics. */
export function* readRecords(sources: readonly DbSource[], diagnostic: (d: Diagnostic) => void): Generator<Advisory> {
  for (const s of sources) {
    if (s.path.endsWith('.zip')) {
      let zip: ZipReader | undefined;
      try {
        zip = new ZipReader(s.path);
        for (const e of zip.entries()) {
          if (!e.name.endsWith('.json')) continue;
          let raw: unknown;
          try {
            raw = JSON.parse(zip.readEntry(e).toString('utf8'));
          } catch (err) {
            if (err instanceof ZipError) throw err;
            diagnostic({ level: 'warning', file: s.path, message: `advisory ${e.name} skipped: invalid JSON`, code: 'osv-record' });
            continue;
          }
          const a = reduceRecord(raw);
          if (a) yield a;
        }
      } catch (err) {
        diagnostic({ level: 'error', file: s.path, message: `advisory archive not usable: ${(err as Error).message}`, code: 'osv-zip' });
      } finally {
        zip?.close();
      }
      continue;
    }
    if (s.size > MAX_JSON_RECORD) {
      diagnostic({ level: 'warning', file: s.path, message: 'advisory file larger than 8 MiB skipped', code: 'osv-record' });
      continue;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(s.path, 'utf8'));
    } catch {
      diagnostic({ level: 'warning', file: s.path, message: 'advisory skipped: invalid JSON', code: 'osv-record' });
      continue;
    }
    for (const r of Array.isArray(raw) ? raw : [raw]) {
      const a = reduceRecord(r);
      if (a) yield a;
    }
  }
}

/** Group advisories by the packages they affect. */
export function groupByPackage(records: Iterable<Advisory>): { byPackage: Map<string, Advisory[]>; count: number } {
  const byPackage = new Map<string, Advisory[]>();
  let count = 0;
  for (const a of records) {
    count++;
    const keys = new Set(a.affected.map((p) => packageKey(p.ecosystem, p.name)));
    for (const k of keys) {
      const l = byPackage.get(k);
      if (l) l.push(a);
      else byPackage.set(k, [a]);
    }
  }
  return { byPackage, count };
}

function writeIndex(base: string, header: Omit<Header, 'packages'>, byPackage: Map<string, Advisory[]>): void {
  const chunks: Buffer[] = [];
  const packages: Record<string, [number, number]> = {};
  let offset = 0;
  for (const [k, list] of byPackage) {
    const buf = Buffer.from(JSON.stringify(list));
    packages[k] = [offset, buf.length];
    offset += buf.length;
    chunks.push(buf);
  }
  const tag = `${process.pid}-${Date.now()}`;
  writeFileSync(`${base}.data.${tag}`, Buffer.concat(chunks));
  writeFileSync(`${base}.json.${tag}`, JSON.stringify({ ...header, packages }));
  renameSync(`${base}.data.${tag}`, `${base}.data`);
  renameSync(`${base}.json.${tag}`, `${base}.json`);
}

function readMeta(dir: string): DbMeta | undefined {
  try {
    const m = JSON.parse(readFileSync(join(dir, DB_META), 'utf8')) as DbMeta;
    return m && m.tool === 'fnguard' && typeof m.updated === 'string' ? m : undefined;
  } catch {
    return undefined;
  }
}

/** Where the index of `dir` lives: inside a managed database, else in the cache. */
export function indexBase(dir: string, cacheDir: string | undefined): string | undefined {
  if (readMeta(dir)) return join(dir, 'index', 'osv-index');
  if (!cacheDir) return undefined;
  return join(cacheDir, 'index', createHash('sha256').update(dir).digest('hex').slice(0, 20));
}

export interface OpenOptions {
  cacheDir?: string;
  diagnostic?: (d: Diagnostic) => void;
  /** Sources smaller than this (bytes, in total) are not indexed (default 1 MiB). */
  indexThreshold?: number;
  /** Rebuild even when a matching index exists. */
  rebuild?: boolean;
}

/** Open (and index if needed) the database in `dir`. */
export function openAdvisoryDb(dir: string, options: OpenOptions = {}): AdvisoryDb {
  const t0 = performance.now();
  const diagnostic = options.diagnostic ?? (() => {});
  const st = statSync(dir, { throwIfNoEntry: false });
  if (!st?.isDirectory()) throw new Error(`advisory database ${dir} is not a directory`);
  const sources = listSources(dir);
  const meta = readMeta(dir);
  const newest = sources.reduce((m, s) => Math.max(m, s.mtimeMs), 0);
  const updated = meta?.updated ?? (newest ? new Date(newest).toISOString() : undefined);
  // a small database (a fixture, a handful of records) is read directly: no index to keep
  const total = sources.reduce((n, s) => n + s.size, 0);
  const base =
    total < (options.indexThreshold ?? SMALL_DB_BYTES) && !options.rebuild && !meta ? undefined : indexBase(dir, options.cacheDir);
  const info = (records: number, packages: number, cachedIndex: boolean): AdvisoryDbInfo => ({
    dir,
    records,
    packages,
    ...(updated ? { updated } : {}),
    cachedIndex,
    loadMs: Math.round(performance.now() - t0),
  });

  if (base && !options.rebuild) {
    try {
      const header = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as Header;
      if (header.format === INDEX_FORMAT && header.dir === dir && sameSources(header.sources, sources)) {
        const fd = openSync(`${base}.data`, 'r');
        const memo = new Map<string, Advisory[]>();
        return {
          info: info(header.records, Object.keys(header.packages).length, true),
          lookup(ecosystem, name) {
            const k = packageKey(ecosystem, name);
            const hit = memo.get(k);
            if (hit) return hit;
            const range = Object.hasOwn(header.packages, k) ? header.packages[k] : undefined;
            let list: Advisory[] = [];
            if (range) {
              const buf = Buffer.allocUnsafe(range[1]);
              readSync(fd, buf, 0, range[1], range[0]);
              list = JSON.parse(buf.toString('utf8')) as Advisory[];
            }
            memo.set(k, list);
            return list;
          },
          close: () => closeSync(fd),
        };
      }
    } catch {
      // no index yet, or unreadable: rebuild
    }
  }

  const { byPackage, count } = groupByPackage(readRecords(sources, diagnostic));
  if (base) {
    try {
      mkdirSync(join(base, '..'), { recursive: true });
      writeIndex(base, { format: INDEX_FORMAT, dir, sources, records: count, built: new Date().toISOString() }, byPackage);
    } catch (e) {
      diagnostic({
        level: 'info',
        file: dir,
        message: `advisory index not cached (${(e as Error).message}); it is rebuilt on every scan`,
        code: 'osv-index',
      });
    }
  }
  return {
    info: info(count, byPackage.size, false),
    lookup: (ecosystem, name) => byPackage.get(packageKey(ecosystem, name)) ?? [],
    close() {},
  };
}

/** Relative display path of a source (for messages). */
export function sourceLabel(dir: string, file: string): string {
  return relative(dir, file) || file;
}
