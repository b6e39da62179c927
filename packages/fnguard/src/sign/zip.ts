/**
 * Function packages as zip archives: the package policy over the shared reader (`zip/read.ts`). On top of its
 * structural checks: one end record only, no ZIP64, no data before the first entry, no overlapping entries, and
 * every entry's name, type, mode and sizes checked before any byte is inflated; it never writes to disk.
 */
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
import { bufferSource, dataOffset, entryBytes, readDirectory, ZipError } from '../zip/read.js';

export { looksLikeZip } from '../zip/read.js';

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

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

function refuse(code: string, message: string, file?: string): never {
  throw new IntegrityError(code, message, file);
}

/** The reader's structural refusals, as the package refusals they are. */
function asIntegrity<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof ZipError) refuse(e.code, e.message, e.entry);
    throw e;
  }
}

/** Parse and check the archive's directory. Throws IntegrityError for anything hostile or ambiguous. */
export function readZipDirectory(buf: Buffer, limits: ZipLimits = {}): ZipEntryInfo[] {
  return asIntegrity(() => {
    const src = bufferSource(buf);
    const dir = readDirectory(src, { ...limits, singleEndRecord: true });
    const entries: ZipEntryInfo[] = [];
    const spans: [number, number, string][] = [];
    for (const r of dir.records) {
      const name = r.name;
      const unixHost = r.madeBy === 3 || r.madeBy === 19;
      const hi = unixHost ? r.external >>> 16 : 0;
      const type = hi & S_IFMT;
      let kind: ZipEntryInfo['kind'];
      if (type === S_IFLNK) kind = 'link';
      else if (type === S_IFDIR || name.endsWith('/') || (!unixHost && r.external & 0x10)) kind = 'dir';
      else if (type === S_IFREG || type === 0) kind = 'file';
      else refuse('special-file', `not a regular file, folder or symlink: ${name} (mode ${hi.toString(8)})`, name);
      const unixMode = hi === 0 ? (kind === 'dir' ? 0o755 : 0o644) : hi & 0o7777;
      if (unixMode & 0o7000) entryMode(unixMode, name);
      const start = dataOffset(src, r, dir.cdOffset);
      if (kind === 'dir' && r.size > 0) refuse('zip-structure', `folder entry with data: ${name}`, name);
      if (r.method === 0 && r.compressedSize !== r.size) refuse('zip-structure', `stored entry with two sizes: ${name}`, name);
      if (kind === 'link' && r.size > 4096) refuse('bad-path', `symlink target longer than 4096 bytes: ${name}`, name);
      spans.push([r.localOffset, start + r.compressedSize, name]);
      entries.push({
        name,
        kind,
        unixMode,
        method: r.method,
        compressedSize: r.compressedSize,
        size: r.size,
        crc: r.crc,
        dataOffset: start,
      });
    }
    spans.sort((a, b) => a[0] - b[0]);
    if (spans.length > 0 && (spans[0] as [number, number, string])[0] !== 0)
      refuse('zip-structure', 'data before the first entry (self-extracting or polyglot archive)');
    for (let i = 1; i < spans.length; i++) {
      const prev = spans[i - 1] as [number, number, string];
      const cur = spans[i] as [number, number, string];
      if (cur[0] < prev[1]) refuse('zip-bomb', `entries overlap: ${prev[2]} and ${cur[2]} (overlapping-entry zip bomb?)`, cur[2]);
    }
    return entries;
  });
}

/** The bytes of one entry: inflated with a cap at the declared size; size and CRC-32 checked. */
export function entryData(buf: Buffer, e: ZipEntryInfo): Buffer {
  return asIntegrity(() => entryBytes(bufferSource(buf), e, e.dataOffset));
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
