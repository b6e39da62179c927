/**
 * A small, defensive zip reader over node:zlib (for OSV's `all.zip`): central directory (with
 * ZIP64), stored and deflated entries, CRC-32 checked. It never writes entries to disk; names
 * that would escape a directory (zip slip: `..`, absolute, drive letters) are refused, and so
 * are entries above the size cap or with a compression ratio that only a bomb has.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { crc32, inflateRawSync } from 'node:zlib';

export interface ZipLimits {
  /** Largest uncompressed entry (default 32 MiB: an OSV record is a few KiB). */
  maxEntrySize?: number;
  /** Largest uncompressed/compressed ratio for entries above 1 MiB (default 200). */
  maxRatio?: number;
  /** Most entries (default 5,000,000). */
  maxEntries?: number;
  /** Largest total uncompressed size (default 16 GiB). */
  maxTotal?: number;
}

export class ZipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipError';
  }
}

export interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CEN = 0x02014b50;
const LOC = 0x04034b50;

export function unsafeEntryName(name: string): boolean {
  return (
    name.includes('\0') || name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name) || name.split(/[\\/]/).includes('..')
  );
}

function u64(buf: Buffer, off: number): number {
  const v = buf.readBigUInt64LE(off);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipError('ZIP64 value too large');
  return Number(v);
}

export class ZipReader {
  private readonly fd: number;
  readonly size: number;
  private readonly limits: Required<ZipLimits>;
  constructor(
    readonly path: string,
    limits: ZipLimits = {},
  ) {
    this.limits = { maxEntrySize: 32 * 1024 * 1024, maxRatio: 200, maxEntries: 5_000_000, maxTotal: 16 * 1024 ** 3, ...limits };
    this.fd = openSync(path, 'r');
    this.size = fstatSync(this.fd).size;
  }

  close(): void {
    closeSync(this.fd);
  }

  private read(offset: number, length: number): Buffer {
    if (offset < 0 || length < 0 || offset + length > this.size) throw new ZipError('truncated archive (a record points past the end)');
    const buf = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const n = readSync(this.fd, buf, got, length - got, offset + got);
      if (n <= 0) throw new ZipError('unexpected end of file');
      got += n;
    }
    return buf;
  }

  /** The central directory. Throws ZipError when the archive is not a usable zip. */
  entries(): ZipEntry[] {
    const tailLen = Math.min(this.size, 65_557);
    if (tailLen < 22) throw new ZipError('not a zip archive (too small)');
    const tail = this.read(this.size - tailLen, tailLen);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--)
      if (tail.readUInt32LE(i) === EOCD) {
        eocd = i;
        break;
      }
    if (eocd < 0) throw new ZipError('not a zip archive (no end of central directory)');
    let count = tail.readUInt16LE(eocd + 10);
    let cdSize = tail.readUInt32LE(eocd + 12);
    let cdOffset = tail.readUInt32LE(eocd + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      const loc = eocd - 20;
      if (loc < 0 || tail.readUInt32LE(loc) !== EOCD64_LOCATOR) throw new ZipError('ZIP64 locator missing');
      const rec64 = this.read(u64(tail, loc + 8), 56);
      if (rec64.readUInt32LE(0) !== EOCD64) throw new ZipError('ZIP64 end record missing');
      count = u64(rec64, 32);
      cdSize = u64(rec64, 40);
      cdOffset = u64(rec64, 48);
    }
    if (count > this.limits.maxEntries) throw new ZipError(`too many entries (${count})`);
    const cd = this.read(cdOffset, cdSize);
    const out: ZipEntry[] = [];
    let p = 0;
    let total = 0;
    for (let n = 0; n < count; n++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== CEN) throw new ZipError('corrupt central directory');
      const method = cd.readUInt16LE(p + 10);
      const crc = cd.readUInt32LE(p + 16);
      let compressedSize = cd.readUInt32LE(p + 20);
      let size = cd.readUInt32LE(p + 24);
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      let localOffset = cd.readUInt32LE(p + 42);
      const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
      // ZIP64 extra field: the 0xFFFFFFFF fields, in order
      let x = p + 46 + nameLen;
      const xEnd = x + extraLen;
      while (x + 4 <= xEnd) {
        const id = cd.readUInt16LE(x);
        const len = cd.readUInt16LE(x + 2);
        if (id === 1) {
          let q = x + 4;
          if (size === 0xffffffff && q + 8 <= x + 4 + len) {
            size = u64(cd, q);
            q += 8;
          }
          if (compressedSize === 0xffffffff && q + 8 <= x + 4 + len) {
            compressedSize = u64(cd, q);
            q += 8;
          }
          if (localOffset === 0xffffffff && q + 8 <= x + 4 + len) localOffset = u64(cd, q);
        }
        x += 4 + len;
      }
      p = xEnd + commentLen;
      if (unsafeEntryName(name)) throw new ZipError(`unsafe entry name '${name.slice(0, 80)}' (zip slip)`);
      if (name.endsWith('/')) continue;
      if (method !== 0 && method !== 8) throw new ZipError(`entry '${name}' uses unsupported compression method ${method}`);
      if (size > this.limits.maxEntrySize) throw new ZipError(`entry '${name}' is too large (${size} bytes)`);
      if (size > 1024 * 1024 && size / Math.max(1, compressedSize) > this.limits.maxRatio)
        throw new ZipError(`entry '${name}' has a compression ratio of a zip bomb`);
      total += size;
      if (total > this.limits.maxTotal) throw new ZipError('archive expands beyond the total size cap');
      out.push({ name, method, crc, compressedSize, size, localOffset });
    }
    return out;
  }

  /** One entry's bytes, CRC-checked. */
  readEntry(e: ZipEntry): Buffer {
    const head = this.read(e.localOffset, 30);
    if (head.readUInt32LE(0) !== LOC) throw new ZipError(`entry '${e.name}': bad local header`);
    const start = e.localOffset + 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
    const raw = this.read(start, e.compressedSize);
    let data: Buffer;
    if (e.method === 0) data = raw;
    else {
      try {
        data = inflateRawSync(raw, { maxOutputLength: Math.max(1, e.size) });
      } catch (err) {
        throw new ZipError(`entry '${e.name}': ${(err as Error).message}`);
      }
    }
    if (data.length !== e.size) throw new ZipError(`entry '${e.name}': size mismatch`);
    if (crc32(data) >>> 0 !== e.crc >>> 0) throw new ZipError(`entry '${e.name}': CRC mismatch (corrupt download?)`);
    return data;
  }
}
