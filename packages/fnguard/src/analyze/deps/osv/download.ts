/**
 * `fnguard db update`: download OSV's per-ecosystem `all.zip` into the cache, resumable (HTTP
 * Range on a `.part` file), verified (Content-Length, the `x-goog-hash` MD5 when the server
 * sends one, then every entry's CRC-32), atomic (rename into place only once verified), then
 * index it so scans load fast.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Diagnostic } from '../../../model/types.js';
import { DB_META, type DbMeta } from './cacheDir.js';
import { openAdvisoryDb } from './db.js';
import { ZipReader } from './zip.js';

export const OSV_BUCKET = 'https://osv-vulnerabilities.storage.googleapis.com';
export const DB_ECOSYSTEMS = ['npm', 'PyPI'] as const;

export type Progress = (ecosystem: string, received: number, total: number | undefined) => void;

export interface UpdateOptions {
  dir: string;
  baseUrl?: string;
  ecosystems?: readonly string[];
  progress?: Progress;
  /** Largest archive accepted (default 4 GiB). */
  maxBytes?: number;
  timeoutMs?: number;
}

export interface UpdateResult {
  meta: DbMeta;
  records: number;
  diagnostics: Diagnostic[];
}

export class DownloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DownloadError';
  }
}

async function md5Of(file: string): Promise<string> {
  const h = createHash('md5');
  await pipeline(createReadStream(file), h);
  return h.digest('base64');
}

/** Download one URL into `dest` through `dest.part`, resuming a previous partial download. */
export async function downloadFile(
  url: string,
  dest: string,
  options: { progress?: (received: number, total?: number) => void; maxBytes?: number; timeoutMs?: number } = {},
): Promise<{ size: number; etag?: string }> {
  const part = `${dest}.part`;
  const maxBytes = options.maxBytes ?? 4 * 1024 ** 3;
  let have = statSync(part, { throwIfNoEntry: false })?.size ?? 0;
  const headers: Record<string, string> = { 'user-agent': 'fnguard' };
  if (have > 0) headers.range = `bytes=${have}-`;
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(options.timeoutMs ?? 30 * 60_000) });
  if (res.status === 416 && have > 0) {
    // the part file is already complete (or stale): start over
    unlinkSync(part);
    return downloadFile(url, dest, options);
  }
  if (res.status !== 200 && res.status !== 206) throw new DownloadError(`${url}: HTTP ${res.status}`);
  if (res.status === 200) have = 0; // the server ignored the range: restart
  const length = res.headers.get('content-length');
  const total = length !== null ? have + Number(length) : undefined;
  if (total !== undefined && total > maxBytes) throw new DownloadError(`${url}: ${total} bytes is over the ${maxBytes}-byte limit`);
  if (!res.body) throw new DownloadError(`${url}: empty response`);
  let received = have;
  const out = createWriteStream(part, { flags: have > 0 ? 'a' : 'w' });
  const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
  body.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > maxBytes) body.destroy(new DownloadError(`${url}: over the ${maxBytes}-byte limit`));
    options.progress?.(received, total);
  });
  await pipeline(body, out);
  if (total !== undefined && received !== total)
    throw new DownloadError(`${url}: got ${received} of ${total} bytes (run the update again to resume)`);
  const goog = res.headers.get('x-goog-hash');
  const md5 = goog ? /(?:^|,)\s*md5=([^,\s]+)/.exec(goog)?.[1] : undefined;
  // a 206 carries the whole object's hash too (GCS): check it over the whole file
  if (md5 && (await md5Of(part)) !== md5) {
    unlinkSync(part);
    throw new DownloadError(`${url}: MD5 mismatch (corrupt download, removed; run the update again)`);
  }
  // structure and every entry's CRC before it replaces the previous archive
  const zip = new ZipReader(part);
  try {
    for (const e of zip.entries()) zip.readEntry(e);
  } catch (e) {
    unlinkSync(part);
    throw new DownloadError(`${url}: not a valid archive (${(e as Error).message}); removed, run the update again`);
  } finally {
    zip.close();
  }
  renameSync(part, dest);
  const etag = res.headers.get('etag') ?? undefined;
  return { size: received, ...(etag ? { etag } : {}) };
}

export async function updateDatabase(options: UpdateOptions): Promise<UpdateResult> {
  const base = (options.baseUrl ?? OSV_BUCKET).replace(/\/+$/, '');
  mkdirSync(options.dir, { recursive: true });
  const sources: DbMeta['sources'] = [];
  for (const eco of options.ecosystems ?? DB_ECOSYSTEMS) {
    const url = `${base}/${encodeURIComponent(eco)}/all.zip`;
    const file = `${eco}-all.zip`;
    const r = await downloadFile(url, join(options.dir, file), {
      ...(options.progress ? { progress: (got: number, total?: number) => options.progress?.(eco, got, total) } : {}),
      ...(options.maxBytes ? { maxBytes: options.maxBytes } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
    sources.push({ ecosystem: eco, url, file, size: r.size, ...(r.etag ? { etag: r.etag } : {}) });
  }
  const meta: DbMeta = { tool: 'fnguard', updated: new Date().toISOString(), sources };
  const tmp = join(options.dir, `${DB_META}.${process.pid}.tmp`);
  writeFileSync(tmp, `${JSON.stringify(meta, null, 2)}\n`);
  renameSync(tmp, join(options.dir, DB_META));
  const diagnostics: Diagnostic[] = [];
  const db = openAdvisoryDb(options.dir, { rebuild: true, diagnostic: (d) => diagnostics.push(d) });
  db.close();
  return { meta, records: db.info.records, diagnostics };
}
