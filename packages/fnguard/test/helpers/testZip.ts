/**
 * The zip writer of the tests and benchmarks: ordinary archives (deflated or stored, ZIP64 end records when asked or
 * needed), and what real tools refuse to write: raw names (`../x`, `/etc/x`, `a\\b`, NFD twins, duplicates), any unix
 * mode (setuid, symlinks, fifos), lying sizes, prepended data, encrypted flags.
 */
import { crc32, deflateRawSync } from 'node:zlib';

export interface TestZipEntry {
  name: string | Buffer;
  data?: Buffer | string;
  /** Full unix mode including the type (default 0o100644; 0o120777 for a symlink whose data is the target). */
  mode?: number;
  /** Store instead of deflate. */
  store?: boolean;
  /** Lie about the uncompressed size in both headers. */
  declaredSize?: number;
  /** Name written in the local header when it must differ from the central directory's. */
  localName?: string;
  encrypted?: boolean;
  /** made-by host (3 = unix, 0 = MS-DOS). */
  host?: number;
}

export interface TestZipOptions {
  /** Bytes written before the first local header (self-extractor stub, polyglot). */
  prefix?: Buffer;
  /** Extra end record appended after the real one's comment. */
  comment?: Buffer;
  /** Write ZIP64 end records (always written above 65,535 entries). */
  zip64?: boolean;
}

export function testZip(entries: TestZipEntry[], o: TestZipOptions = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = o.prefix?.length ?? 0;
  for (const e of entries) {
    const name = Buffer.isBuffer(e.name) ? e.name : Buffer.from(e.name, 'utf8');
    const localName = e.localName !== undefined ? Buffer.from(e.localName, 'utf8') : name;
    const data = Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data ?? '', 'utf8');
    const body = e.store ? data : deflateRawSync(data);
    const method = e.store ? 0 : 8;
    const size = e.declaredSize ?? data.length;
    const flags = 0x0800 | (e.encrypted ? 1 : 0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(localName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(((e.host ?? 3) << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((e.mode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, localName, body);
    centrals.push(central, name);
    offset += 30 + localName.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const comment = o.comment ?? Buffer.alloc(0);
  const count = entries.length;
  const zip64 = o.zip64 === true || count > 0xffff;
  const zip64Records: Buffer[] = [];
  if (zip64) {
    const rec = Buffer.alloc(56);
    rec.writeUInt32LE(0x06064b50, 0);
    rec.writeBigUInt64LE(44n, 4);
    rec.writeUInt16LE(45, 12);
    rec.writeUInt16LE(45, 14);
    rec.writeBigUInt64LE(BigInt(count), 24);
    rec.writeBigUInt64LE(BigInt(count), 32);
    rec.writeBigUInt64LE(BigInt(cd.length), 40);
    rec.writeBigUInt64LE(BigInt(offset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(offset + cd.length), 8);
    locator.writeUInt32LE(1, 16);
    zip64Records.push(rec, locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(zip64 ? 0xffff : count, 8);
  end.writeUInt16LE(zip64 ? 0xffff : count, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(zip64 ? 0xffffffff : offset, 16);
  end.writeUInt16LE(comment.length, 20);
  return Buffer.concat([o.prefix ?? Buffer.alloc(0), ...locals, cd, ...zip64Records, end, comment]);
}
