/**
 * The one zip reader of fnguard, for untrusted archives: function packages (`sign/zip.ts`, in memory, no ZIP64) and
 * OSV's advisory archive (`analyze/deps/osv/zip.ts`, hundreds of MiB, read from the file, ZIP64). It parses the end
 * record and the central directory, refuses what is ambiguous or hostile at that level (several genuine end records
 * where only one is allowed, a directory that does not end where the end record starts, damaged or overlong records,
 * names that are not UTF-8, encryption, unknown methods, declared sizes above the caps, bomb ratios), checks each local
 * header against the directory, and inflates with a cap at the declared size, checking size and CRC-32. It never
 * writes to disk. What an entry may be (paths, modes, links) is the caller's policy.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { crc32, inflateRawSync } from 'node:zlib';

/** Random access to an archive's bytes. */
export interface ZipSource {
  readonly size: number;
  read(offset: number, length: number): Buffer;
}

/** A zip archive that does not pass a structural check; `code` names the kind of problem, `entry` the entry. */
export class ZipError extends Error {
  readonly code: string;
  readonly entry: string | undefined;
  constructor(code: string, message: string, entry?: string) {
    super(message);
    this.name = 'ZipError';
    this.code = code;
    this.entry = entry;
  }
}

function refuse(code: string, message: string, entry?: string): never {
  throw new ZipError(code, message, entry);
}

function checkedRange(size: number, offset: number, length: number): void {
  if (offset < 0 || length < 0 || offset + length > size) refuse('zip-structure', 'truncated archive (a record points past the end)');
}

/** An archive held in memory: reads are views, not copies. */
export function bufferSource(buf: Buffer): ZipSource {
  return {
    size: buf.length,
    read(offset, length) {
      checkedRange(buf.length, offset, length);
      return buf.subarray(offset, offset + length);
    },
  };
}

/** An archive read from its file on demand (for archives too large to hold in memory). Close it when done. */
export class FileSource implements ZipSource {
  private readonly fd: number;
  readonly size: number;
  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
    this.size = fstatSync(this.fd).size;
  }
  read(offset: number, length: number): Buffer {
    checkedRange(this.size, offset, length);
    const buf = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const n = readSync(this.fd, buf, got, length - got, offset + got);
      if (n <= 0) refuse('zip-structure', 'unexpected end of file');
      got += n;
    }
    return buf;
  }
  close(): void {
    closeSync(this.fd);
  }
}

/** One central directory record. */
export interface ZipRecord {
  /** 1-based position in the directory (for messages). */
  index: number;
  /** The stored name, decoded as UTF-8 (trailing `/` for folders). */
  name: string;
  nameBytes: Buffer;
  /** The host that made the entry (3 = unix, 19 = OS X: `external` then holds a unix mode in its high half). */
  madeBy: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** External attributes: unix mode in the high 16 bits on unix hosts, DOS attributes in the low byte. */
  external: number;
  localOffset: number;
}

export interface ZipDirectory {
  records: ZipRecord[];
  /** Where the central directory starts: every entry's data lies before it. */
  cdOffset: number;
  zip64: boolean;
}

export interface DirectoryLimits {
  /** Accept ZIP64 archives (default false). */
  zip64?: boolean;
  /** Refuse an archive whose tail holds several genuine end records (default: the one nearest the end is used). */
  singleEndRecord?: boolean;
  /** Most entries (default 100,000). */
  maxEntries?: number;
  /** Largest sum of declared uncompressed sizes (default 250 MiB, Lambda's unzipped limit). */
  maxTotalBytes?: number;
  /** Largest compression ratio of an entry above 1 MiB (default 200). */
  maxRatio?: number;
}

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CEN = 0x02014b50;
export const LOC = 0x04034b50;
const MIB = 1 << 20;
const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

function u64(buf: Buffer, off: number): number {
  const v = buf.readBigUInt64LE(off);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) refuse('zip-structure', 'ZIP64 value too large');
  return Number(v);
}

/** Offsets of the genuine end records in the tail: those whose comment runs exactly to the end of the archive. */
function endRecords(src: ZipSource): { tail: Buffer; tailStart: number; found: number[] } {
  if (src.size < 22) refuse('zip-structure', 'not a zip archive (too short)');
  const tailLen = Math.min(src.size, 22 + 0xffff);
  const tailStart = src.size - tailLen;
  const tail = src.read(tailStart, tailLen);
  const found: number[] = [];
  for (let i = tailLen - 22; i >= 0; i--)
    if (tail.readUInt32LE(i) === EOCD && i + 22 + tail.readUInt16LE(i + 20) === tailLen) found.push(i);
  if (found.length === 0) refuse('zip-structure', 'not a zip archive (no end of central directory record)');
  return { tail, tailStart, found };
}

/** Parse and check the end record and the central directory. Throws ZipError. */
export function readDirectory(src: ZipSource, limits: DirectoryLimits = {}): ZipDirectory {
  const maxEntries = limits.maxEntries ?? 100_000;
  const maxTotal = limits.maxTotalBytes ?? 262_144_000;
  const maxRatio = limits.maxRatio ?? 200;
  const { tail, tailStart, found } = endRecords(src);
  if (limits.singleEndRecord && found.length > 1) refuse('zip-structure', 'several end of central directory records (ambiguous archive)');
  const e = found[0] as number; // the one nearest the end
  const endOffset = tailStart + e;
  let count = tail.readUInt16LE(e + 10);
  let cdSize = tail.readUInt32LE(e + 12);
  let cdOffset = tail.readUInt32LE(e + 16);
  let cdEnd = endOffset;
  const hasLocator = e >= 20 && tail.readUInt32LE(e - 20) === EOCD64_LOCATOR;
  const zip64 = hasLocator || count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff;
  if (zip64) {
    if (!limits.zip64) refuse('zip-structure', 'zip64 archives are not supported');
    if (!hasLocator) refuse('zip-structure', 'ZIP64 locator missing');
    cdEnd = u64(tail, e - 20 + 8);
    const rec = src.read(cdEnd, 56);
    if (rec.readUInt32LE(0) !== EOCD64) refuse('zip-structure', 'ZIP64 end record missing');
    if (rec.readUInt32LE(16) !== 0 || rec.readUInt32LE(20) !== 0 || u64(rec, 24) !== u64(rec, 32))
      refuse('zip-structure', 'multi-disk archives are not supported');
    count = u64(rec, 32);
    cdSize = u64(rec, 40);
    cdOffset = u64(rec, 48);
  } else if (tail.readUInt16LE(e + 4) !== 0 || tail.readUInt16LE(e + 6) !== 0 || tail.readUInt16LE(e + 8) !== count)
    refuse('zip-structure', 'multi-disk archives are not supported');
  if (count > maxEntries) refuse('too-many-entries', `more than ${maxEntries} entries`);
  if (cdOffset + cdSize !== cdEnd)
    refuse('zip-structure', 'the central directory does not end where the end record starts (polyglot or truncated archive)');
  const cd = src.read(cdOffset, cdSize);
  const records: ZipRecord[] = [];
  let declaredTotal = 0;
  let p = 0;
  for (let i = 1; i <= count; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== CEN) refuse('zip-structure', `central directory entry ${i} is damaged`);
    const flags = cd.readUInt16LE(p + 8);
    const method = cd.readUInt16LE(p + 10);
    let compressedSize = cd.readUInt32LE(p + 20);
    let size = cd.readUInt32LE(p + 24);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    let localOffset = cd.readUInt32LE(p + 42);
    const nameBytes = cd.subarray(p + 46, p + 46 + nameLen);
    const extraStart = p + 46 + nameLen;
    const next = extraStart + extraLen + cd.readUInt16LE(p + 32);
    if (next > cd.length) refuse('zip-structure', `central directory entry ${i} runs past the directory`);
    let name: string;
    try {
      name = fatalUtf8.decode(nameBytes);
    } catch {
      refuse('bad-path', `entry ${i}: the name is not valid UTF-8`);
    }
    if (size === 0xffffffff || compressedSize === 0xffffffff || localOffset === 0xffffffff) {
      if (!limits.zip64) refuse('zip-structure', 'zip64 archives are not supported');
      // the ZIP64 extra field holds the 0xFFFFFFFF fields, in this order
      for (let x = extraStart; x + 4 <= extraStart + extraLen; x += 4 + cd.readUInt16LE(x + 2)) {
        if (cd.readUInt16LE(x) !== 1) continue;
        const stop = x + 4 + cd.readUInt16LE(x + 2);
        let q = x + 4;
        for (const field of ['size', 'compressedSize', 'localOffset'] as const) {
          const value = field === 'size' ? size : field === 'compressedSize' ? compressedSize : localOffset;
          if (value !== 0xffffffff || q + 8 > stop) continue;
          const wide = u64(cd, q);
          q += 8;
          if (field === 'size') size = wide;
          else if (field === 'compressedSize') compressedSize = wide;
          else localOffset = wide;
        }
      }
    }
    if (flags & 0x1) refuse('encrypted', `encrypted entry: ${name}`, name);
    if (method !== 0 && method !== 8) refuse('zip-structure', `unsupported compression method ${method}: ${name}`, name);
    declaredTotal += size;
    if (declaredTotal > maxTotal) refuse('too-large', `declared unpacked size is above the limit of ${maxTotal} bytes (zip bomb?)`);
    if (size > MIB && size / Math.max(1, compressedSize) > maxRatio)
      refuse('zip-bomb', `compression ratio ${Math.round(size / Math.max(1, compressedSize))} > ${maxRatio} for ${name} (zip bomb?)`, name);
    records.push({
      index: i,
      name,
      nameBytes,
      madeBy: cd.readUInt16LE(p + 4) >> 8,
      method,
      crc: cd.readUInt32LE(p + 16),
      compressedSize,
      size,
      external: cd.readUInt32LE(p + 38),
      localOffset,
    });
    p = next;
  }
  if (p !== cd.length) refuse('zip-structure', 'the entry count disagrees with the central directory');
  return { records, cdOffset, zip64 };
}

/** Where an entry's data starts, after checking that its local header agrees with the directory record. */
export function dataOffset(src: ZipSource, r: ZipRecord, cdOffset: number): number {
  if (r.localOffset + 30 > cdOffset) refuse('zip-structure', `bad local header for ${r.name}`, r.name);
  const head = src.read(r.localOffset, 30);
  if (head.readUInt32LE(0) !== LOC) refuse('zip-structure', `bad local header for ${r.name}`, r.name);
  const nameLen = head.readUInt16LE(26);
  if (head.readUInt16LE(8) !== r.method || (head.readUInt16LE(6) & 0x1) !== 0)
    refuse('zip-structure', `local header of ${r.name} disagrees with the central directory`, r.name);
  if (!src.read(r.localOffset + 30, nameLen).equals(r.nameBytes))
    refuse('zip-structure', `local header name differs from the central directory name for ${r.name}`, r.name);
  const start = r.localOffset + 30 + nameLen + head.readUInt16LE(28);
  if (start + r.compressedSize > cdOffset) refuse('zip-structure', `data of ${r.name} runs past the entries`, r.name);
  return start;
}

/** The bytes of one entry whose data starts at `start`: inflated with a cap at the declared size; size and CRC-32 checked. */
export function entryBytes(
  src: ZipSource,
  r: Pick<ZipRecord, 'name' | 'method' | 'compressedSize' | 'size' | 'crc'>,
  start: number,
): Buffer {
  const raw = src.read(start, r.compressedSize);
  let data: Buffer;
  if (r.method === 0) data = raw;
  else {
    try {
      data = inflateRawSync(raw, { maxOutputLength: Math.max(1, r.size) });
    } catch (err) {
      const why =
        (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? 'inflates past its declared size (zip bomb?)' : 'corrupt data';
      refuse('zip-data', `${r.name}: ${why}`, r.name);
    }
  }
  if (data.length !== r.size) refuse('zip-data', `${r.name}: ${data.length} bytes, the directory says ${r.size}`, r.name);
  if (crc32(data) >>> 0 !== r.crc >>> 0) refuse('zip-data', `${r.name}: CRC-32 mismatch (corrupt or altered data)`, r.name);
  return data;
}

/** A zip archive starts with a local header (or is an empty archive). */
export function looksLikeZip(head: Buffer): boolean {
  return head.length >= 4 && (head.readUInt32LE(0) === LOC || head.readUInt32LE(0) === EOCD);
}
