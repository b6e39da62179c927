/**
 * A zip reader for untrusted function packages. It reads the central directory, checks the archive's structure
 * (one end record, no zip64, no data before the first entry, local headers that agree with the directory, no
 * overlapping entries, no encryption) and every entry's name, type, mode and sizes before any byte is inflated;
 * it never writes to disk. Inflation is capped at the declared size, and sizes and CRCs are checked.
 */
import { crc32, inflateRawSync } from 'node:zlib';
import {
  entryMode,
  finishManifest,
  IntegrityError,
  type Manifest,
  type ManifestEntry,
  manifestPath,
  pathProblem,
  SIG_DIR,
  sha256Hex,
  type TreeLimits,
} from '@fnguard/shield/integrity';

export interface ZipLimits extends TreeLimits {
  /** Largest compression ratio accepted for an entry larger than 1 MiB (default 200). */
  maxRatio?: number;
}

export interface ZipEntryInfo {
  /** The stored name, decoded as UTF-8 (trailing `/` for folders). */
  name: string;
  kind: 'file' | 'dir' | 'link';
  /** Unix mode bits (permissions and setuid), 0o644 when the archive has none. */
  unixMode: number;
  method: number;
  compressedSize: number;
  size: number;
  crc: number;
  dataOffset: number;
}

const EOCD = 0x06054b50;
const CEN = 0x02014b50;
const LOC = 0x04034b50;
const ZIP64_LOCATOR = 0x07064b50;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const MIB = 1 << 20;

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

function refuse(code: string, message: string, file?: string): never {
  throw new IntegrityError(code, message, file);
}

function findEndRecord(buf: Buffer): number {
  if (buf.length < 22) refuse('zip-structure', 'not a zip archive (too short)');
  const found: number[] = [];
  const stop = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= stop; i--) {
    if (buf.readUInt32LE(i) !== EOCD) continue;
    // a genuine end record's comment runs exactly to the end of the file
    if (i + 22 + buf.readUInt16LE(i + 20) === buf.length) found.push(i);
  }
  if (found.length === 0) refuse('zip-structure', 'not a zip archive (no end of central directory record)');
  if (found.length > 1) refuse('zip-structure', 'several end of central directory records (ambiguous archive)');
  return found[0] as number;
}

/** Parse and check the archive's directory. Throws IntegrityError for anything hostile or ambiguous. */
export function readZipDirectory(buf: Buffer, limits: ZipLimits = {}): ZipEntryInfo[] {
  const maxEntries = limits.maxEntries ?? 100_000;
  const maxTotal = limits.maxTotalBytes ?? 262_144_000;
  const maxRatio = limits.maxRatio ?? 200;
  const end = findEndRecord(buf);
  if (end >= 20 && buf.readUInt32LE(end - 20) === ZIP64_LOCATOR) refuse('zip-structure', 'zip64 archives are not supported');
  const disk = buf.readUInt16LE(end + 4);
  const cdDisk = buf.readUInt16LE(end + 6);
  const countHere = buf.readUInt16LE(end + 8);
  const count = buf.readUInt16LE(end + 10);
  const cdSize = buf.readUInt32LE(end + 12);
  const cdOffset = buf.readUInt32LE(end + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) refuse('zip-structure', 'zip64 archives are not supported');
  if (disk !== 0 || cdDisk !== 0 || countHere !== count) refuse('zip-structure', 'multi-disk archives are not supported');
  if (count > maxEntries) refuse('too-many-entries', `more than ${maxEntries} entries`);
  if (cdOffset + cdSize !== end)
    refuse('zip-structure', 'the central directory does not end where the end record starts (polyglot or truncated archive)');
  const entries: ZipEntryInfo[] = [];
  const spans: [number, number, string][] = [];
  let declaredTotal = 0;
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > end || buf.readUInt32LE(p) !== CEN) refuse('zip-structure', `central directory entry ${i + 1} is damaged`);
    const madeBy = buf.readUInt16LE(p + 4) >> 8;
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const compressedSize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const external = buf.readUInt32LE(p + 38);
    const localOffset = buf.readUInt32LE(p + 42);
    const nameBytes = buf.subarray(p + 46, p + 46 + nameLen);
    p += 46 + nameLen + extraLen + commentLen;
    if (p > end) refuse('zip-structure', `central directory entry ${i + 1} runs past the directory`);
    let name: string;
    try {
      name = fatalUtf8.decode(nameBytes);
    } catch {
      refuse('bad-path', `entry ${i + 1}: the name is not valid UTF-8`);
    }
    if (flags & 0x1) refuse('encrypted', `encrypted entry: ${name}`, name);
    if (method !== 0 && method !== 8) refuse('zip-structure', `unsupported compression method ${method}: ${name}`, name);
    if (size === 0xffffffff || compressedSize === 0xffffffff || localOffset === 0xffffffff)
      refuse('zip-structure', 'zip64 archives are not supported');
    const unixHost = madeBy === 3 || madeBy === 19;
    const hi = unixHost ? external >>> 16 : 0;
    const type = hi & S_IFMT;
    let kind: ZipEntryInfo['kind'];
    if (type === S_IFLNK) kind = 'link';
    else if (type === S_IFDIR || name.endsWith('/') || (!unixHost && external & 0x10)) kind = 'dir';
    else if (type === S_IFREG || type === 0) kind = 'file';
    else refuse('special-file', `not a regular file, folder or symlink: ${name} (mode ${hi.toString(8)})`, name);
    const unixMode = hi === 0 ? (kind === 'dir' ? 0o755 : 0o644) : hi & 0o7777;
    if (unixMode & 0o7000) entryMode(unixMode, name);
    // the local header must agree with the directory
    if (localOffset + 30 > cdOffset || buf.readUInt32LE(localOffset) !== LOC) refuse('zip-structure', `bad local header for ${name}`, name);
    const lNameLen = buf.readUInt16LE(localOffset + 26);
    const lExtraLen = buf.readUInt16LE(localOffset + 28);
    if (buf.readUInt16LE(localOffset + 8) !== method || (buf.readUInt16LE(localOffset + 6) & 0x1) !== 0)
      refuse('zip-structure', `local header of ${name} disagrees with the central directory`, name);
    if (!buf.subarray(localOffset + 30, localOffset + 30 + lNameLen).equals(nameBytes))
      refuse('zip-structure', `local header name differs from the central directory name for ${name}`, name);
    const dataOffset = localOffset + 30 + lNameLen + lExtraLen;
    if (dataOffset + compressedSize > cdOffset) refuse('zip-structure', `data of ${name} runs past the entries`, name);
    if (kind === 'dir' && size > 0) refuse('zip-structure', `folder entry with data: ${name}`, name);
    if (method === 0 && compressedSize !== size) refuse('zip-structure', `stored entry with two sizes: ${name}`, name);
    declaredTotal += size;
    if (declaredTotal > maxTotal) refuse('too-large', `declared unpacked size is above the limit of ${maxTotal} bytes (zip bomb?)`);
    if (size > MIB && size / Math.max(1, compressedSize) > maxRatio)
      refuse('zip-bomb', `compression ratio ${Math.round(size / Math.max(1, compressedSize))} > ${maxRatio} for ${name} (zip bomb?)`, name);
    if (kind === 'link' && size > 4096) refuse('bad-path', `symlink target longer than 4096 bytes: ${name}`, name);
    spans.push([localOffset, dataOffset + compressedSize, name]);
    entries.push({ name, kind, unixMode, method, compressedSize, size, crc, dataOffset });
  }
  if (p !== end) refuse('zip-structure', 'the entry count disagrees with the central directory');
  spans.sort((a, b) => a[0] - b[0]);
  if (spans.length > 0 && (spans[0] as [number, number, string])[0] !== 0)
    refuse('zip-structure', 'data before the first entry (self-extracting or polyglot archive)');
  for (let i = 1; i < spans.length; i++) {
    const prev = spans[i - 1] as [number, number, string];
    const cur = spans[i] as [number, number, string];
    if (cur[0] < prev[1]) refuse('zip-bomb', `entries overlap: ${prev[2]} and ${cur[2]} (overlapping-entry zip bomb?)`, cur[2]);
  }
  return entries;
}

/** The bytes of one entry: inflated with a cap at the declared size; size and CRC-32 checked. */
export function entryData(buf: Buffer, e: ZipEntryInfo): Buffer {
  const raw = buf.subarray(e.dataOffset, e.dataOffset + e.compressedSize);
  let data: Buffer;
  if (e.method === 0) data = raw;
  else {
    try {
      data = inflateRawSync(raw, { maxOutputLength: Math.max(1, e.size) });
    } catch (err) {
      const msg =
        (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? 'inflates past its declared size (zip bomb?)' : 'corrupt data';
      refuse('zip-data', `${e.name}: ${msg}`, e.name);
    }
  }
  if (data.length !== e.size) refuse('zip-data', `${e.name}: ${data.length} bytes, the directory says ${e.size}`, e.name);
  if (crc32(data) !== e.crc) refuse('zip-data', `${e.name}: CRC-32 mismatch (corrupt or altered data)`, e.name);
  return data;
}

export interface ZipManifest extends Manifest {
  /** Hex sha256 of the archive bytes. */
  zipSha256: string;
  /** The same digest in base64: Lambda's `CodeSha256`. */
  codeSha256: string;
  /** The bundles stored in the archive's `.lambda-sig/` folder, by name. */
  bundles: Map<string, Buffer>;
}

/**
 * The manifest of a zip archive, equal to the manifest of the directory it unpacks to. Every structural and name
 * check runs over the whole directory before the first entry is inflated.
 */
export function manifestOfZip(buf: Buffer, limits: ZipLimits = {}): ZipManifest {
  const infos = readZipDirectory(buf, limits);
  const seen = new Map<string, string>();
  const dirs = new Set<string>();
  const planned: { info: ZipEntryInfo; path: string | undefined }[] = [];
  for (const info of infos) {
    if (info.kind === 'dir') {
      const name = info.name.replace(/\/+$/, '');
      if (name === SIG_DIR) continue;
      const problem = pathProblem(name);
      if (problem) refuse('bad-path', `${problem}: ${JSON.stringify(info.name)}`, info.name);
      dirs.add(name.normalize('NFC'));
      continue;
    }
    planned.push({ info, path: manifestPath(info.name, seen) });
  }
  for (const { path } of planned)
    if (path !== undefined && dirs.has(path)) refuse('file-as-folder', `"${path}" is both a file and a folder`, path);
  const entries: ManifestEntry[] = [];
  const bundles = new Map<string, Buffer>();
  let total = 0;
  const maxTotal = limits.maxTotalBytes ?? 262_144_000;
  // names, types and links first (cheap), content last
  for (const { info, path } of planned) {
    if (info.kind !== 'link' || path === undefined) continue;
    const target = entryData(buf, info).toString('utf8');
    if (/[\u0000-\u001f\u007f]/.test(target)) refuse('bad-path', `symlink target with a control character: ${path}`, path);
    entries.push({ path, mode: 'link', size: Buffer.byteLength(target), sha256: sha256Hex(target), target });
  }
  // the whole tree (duplicates, files or links used as folders, escaping links, declared sizes) is checked before
  // any file is inflated
  const placeholders: ManifestEntry[] = [...entries];
  for (const { info, path } of planned)
    if (info.kind === 'file' && path !== undefined) placeholders.push({ path, mode: '0644', size: info.size, sha256: '' });
  finishManifest(placeholders, limits);
  for (const { info, path } of planned) {
    if (info.kind === 'link') continue;
    if (path === undefined) {
      if (info.kind !== 'file') refuse('reserved', `only *.sigstore.json bundles may be in ${SIG_DIR}/: ${info.name}`, info.name);
      bundles.set(info.name.slice(SIG_DIR.length + 1), entryData(buf, info));
      continue;
    }
    const data = entryData(buf, info);
    total += data.length;
    if (total > maxTotal) refuse('too-large', `unpacked size is above the limit of ${maxTotal} bytes`);
    entries.push({ path, mode: entryMode(info.unixMode, path), size: data.length, sha256: sha256Hex(data) });
  }
  const m = finishManifest(entries, limits);
  const digest = sha256Hex(buf);
  return { ...m, zipSha256: digest, codeSha256: Buffer.from(digest, 'hex').toString('base64'), bundles };
}

/** A zip archive starts with a local header (or is an empty archive). */
export function looksLikeZip(head: Buffer): boolean {
  return head.length >= 4 && (head.readUInt32LE(0) === LOC || head.readUInt32LE(0) === EOCD);
}
