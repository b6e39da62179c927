// The shared zip reader: the same records from memory and from the file, ZIP64 only where the caller allows it,
// and the structural refusals every policy relies on (truncation, end records, local headers, CRC).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { bufferSource, dataOffset, entryBytes, FileSource, readDirectory, ZipError } from '../../src/zip/read.js';
import { testZip } from '../helpers/testZip.js';

const entries = [
  { name: 'a.json', data: '{"id":"A"}' },
  { name: 'dir/b.bin', data: Buffer.alloc(5000, 7) },
  { name: 'dir/c.txt', data: 'stored', store: true },
];

function readAll(src: ReturnType<typeof bufferSource>, zip64 = false): Map<string, string> {
  const dir = readDirectory(src, { zip64 });
  return new Map(dir.records.map((r) => [r.name, entryBytes(src, r, dataOffset(src, r, dir.cdOffset)).toString('latin1')]));
}

test('the same records and bytes from memory and from the file; ZIP64 only when allowed', () => {
  const plain = testZip(entries);
  const wide = testZip(entries, { zip64: true });
  const expected = new Map(entries.map((e) => [e.name, Buffer.from(e.data).toString('latin1')]));
  assert.deepEqual(readAll(bufferSource(plain)), expected);
  assert.deepEqual(readAll(bufferSource(wide), true), expected);
  assert.throws(() => readDirectory(bufferSource(wide)), /zip64 archives are not supported/);
  const dir = mkdtempSync(join(tmpdir(), 'fnguard-zip-'));
  try {
    writeFileSync(join(dir, 'w.zip'), wide);
    const file = new FileSource(join(dir, 'w.zip'));
    try {
      assert.deepEqual(readAll(file, true), expected);
    } finally {
      file.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('structural refusals carry a code and the entry', () => {
  const z = testZip(entries);
  const refusal = (buf: Buffer, code: string, message: RegExp) =>
    assert.throws(
      () => readAll(bufferSource(buf)),
      (e: unknown) => e instanceof ZipError && e.code === code && message.test(e.message),
    );
  refusal(z.subarray(0, z.length - 1), 'zip-structure', /no end of central directory record/);
  refusal(Buffer.from('PK'), 'zip-structure', /too short/);
  refusal(testZip([{ name: 'x', data: 'x', encrypted: true }]), 'encrypted', /encrypted entry: x/);
  refusal(testZip([{ name: 'nice.js', localName: 'evil.js', data: 'x' }]), 'zip-structure', /local header name differs/);
  refusal(
    testZip([{ name: 'liar', data: Buffer.alloc(100), declaredSize: 10, store: true }]),
    'zip-data',
    /liar: 100 bytes, the directory says 10/,
  );
  const corrupt = testZip([{ name: 'a', data: 'hello world', store: true }]);
  corrupt[corrupt.indexOf('hello')] = 0x48;
  refusal(corrupt, 'zip-data', /CRC-32 mismatch/);
  assert.throws(
    () => readDirectory(bufferSource(testZip(entries)), { maxEntries: 2 }),
    (e: unknown) => e instanceof ZipError && e.code === 'too-many-entries',
  );
});
