/**
 * OSV's `all.zip` through the shared reader (`zip/read.ts`): read from the file (hundreds of MiB, ZIP64), entries
 * read one at a time, CRC-checked. Names that would escape a directory (zip slip: `..`, absolute, drive letters) are
 * refused, and so are entries above the size cap or with a compression ratio that only a bomb has.
 */
import { dataOffset, entryBytes, FileSource, readDirectory, ZipError, type ZipRecord } from '../../../zip/read.js';

export { ZipError } from '../../../zip/read.js';

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

export type ZipEntry = ZipRecord;

export function unsafeEntryName(name: string): boolean {
  return (
    name.includes('\0') || name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name) || name.split(/[\\/]/).includes('..')
  );
}

export class ZipReader {
  private readonly src: FileSource;
  private readonly limits: Required<ZipLimits>;
  private cdOffset = 0;
  constructor(
    readonly path: string,
    limits: ZipLimits = {},
  ) {
    this.limits = { maxEntrySize: 32 * 1024 * 1024, maxRatio: 200, maxEntries: 5_000_000, maxTotal: 16 * 1024 ** 3, ...limits };
    this.src = new FileSource(path);
  }

  get size(): number {
    return this.src.size;
  }

  close(): void {
    this.src.close();
  }

  /** The file entries of the central directory (folders left out). Throws ZipError when the archive is not usable. */
  entries(): ZipEntry[] {
    const { maxEntries, maxTotal, maxRatio, maxEntrySize } = this.limits;
    const dir = readDirectory(this.src, { zip64: true, maxEntries, maxTotalBytes: maxTotal, maxRatio });
    this.cdOffset = dir.cdOffset;
    const out: ZipEntry[] = [];
    for (const r of dir.records) {
      if (unsafeEntryName(r.name)) throw new ZipError('bad-path', `unsafe entry name '${r.name.slice(0, 80)}' (zip slip)`, r.name);
      if (r.name.endsWith('/')) continue;
      if (r.size > maxEntrySize) throw new ZipError('too-large', `entry '${r.name}' is too large (${r.size} bytes)`, r.name);
      out.push(r);
    }
    return out;
  }

  /** One entry's bytes (from `entries()`), local header checked, inflated with a cap, size and CRC checked. */
  readEntry(e: ZipEntry): Buffer {
    return entryBytes(this.src, e, dataOffset(this.src, e, this.cdOffset));
  }
}
