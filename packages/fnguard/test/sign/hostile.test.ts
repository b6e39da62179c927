// Hostile archives and trees are refused with a clear error before anything is inflated or extracted, by both
// sign and verify; the reader never writes to disk.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { manifestOfDir } from '@fnguard/shield/integrity';
import { manifestOfZip } from '../../src/sign/zip.js';
import { type TestZipEntry, testZip } from '../helpers/testZip.js';
import { cli, scratchDir } from './helpers.js';

const ok: TestZipEntry = { name: 'index.js', data: 'exports.handler = async () => 1;\n' };

const hostile: { name: string; zip: () => Buffer; expect: RegExp }[] = [
  { name: 'zip slip (../)', zip: () => testZip([ok, { name: '../../evil.js', data: 'x' }]), expect: /'\.\.' path segment \(zip slip\)/ },
  { name: 'zip slip inside a path', zip: () => testZip([ok, { name: 'lib/../../evil.js', data: 'x' }]), expect: /zip slip/ },
  { name: 'absolute path', zip: () => testZip([ok, { name: '/etc/evil.js', data: 'x' }]), expect: /absolute path/ },
  { name: 'drive-letter path', zip: () => testZip([ok, { name: 'C:/evil.js', data: 'x' }]), expect: /absolute path/ },
  { name: 'backslash path', zip: () => testZip([ok, { name: '..\\..\\evil.js', data: 'x' }]), expect: /backslash in path/ },
  { name: 'control character in a name', zip: () => testZip([ok, { name: 'a\nb.js', data: 'x' }]), expect: /control character/ },
  {
    name: 'name that is not UTF-8',
    zip: () => testZip([ok, { name: Buffer.from([0x61, 0xff, 0x2e, 0x6a, 0x73]), data: 'x' }]),
    expect: /not valid UTF-8/,
  },
  { name: 'duplicate entries', zip: () => testZip([ok, { ...ok, data: 'evil' }]), expect: /duplicate entry: "index\.js"/ },
  {
    name: 'NFC/NFD twins',
    zip: () => testZip([ok, { name: 'caf\u00e9.js', data: 'a' }, { name: 'cafe\u0301.js', data: 'b' }]),
    expect: /duplicate entry: "café\.js" \(NFC and NFD/,
  },
  {
    name: 'symlink to an absolute path',
    zip: () => testZip([ok, { name: 'x', data: '/etc/passwd', mode: 0o120777 }]),
    expect: /symlink escapes the root: x -> \/etc\/passwd/,
  },
  {
    name: 'symlink out of the root',
    zip: () => testZip([ok, { name: 'lib/x', data: '../../etc/passwd', mode: 0o120777 }]),
    expect: /symlink escapes the root/,
  },
  {
    name: 'symlink escaping through another symlink',
    zip: () => testZip([ok, { name: 'a/up', data: '..', mode: 0o120777 }, { name: 'a/x', data: 'up/..', mode: 0o120777 }]),
    expect: /symlink escapes the root: a\/x -> up\/\.\./,
  },
  {
    name: 'symlink used as a folder (write through a link)',
    zip: () => testZip([ok, { name: 'lnk', data: 'lib', mode: 0o120777 }, { name: 'lnk/evil.js', data: 'x' }]),
    expect: /"lnk" is a symlink but "lnk\/evil\.js" uses it as a folder/,
  },
  { name: 'file used as a folder', zip: () => testZip([ok, { name: 'index.js/x.js', data: 'x' }]), expect: /uses it as a folder/ },
  {
    name: 'setuid bit',
    zip: () => testZip([ok, { name: 'bootstrap', data: '#!/bin/sh', mode: 0o104755 }]),
    expect: /setuid\/setgid\/sticky bit on bootstrap: 4755/,
  },
  {
    name: 'setgid bit',
    zip: () => testZip([ok, { name: 'bootstrap', data: '#!/bin/sh', mode: 0o102755 }]),
    expect: /setuid\/setgid\/sticky/,
  },
  { name: 'special file (fifo)', zip: () => testZip([ok, { name: 'pipe', data: '', mode: 0o010644 }]), expect: /not a regular file/ },
  {
    name: 'zip bomb (ratio)',
    zip: () => testZip([ok, { name: 'big.bin', data: Buffer.alloc(20 * 1024 * 1024) }]),
    expect: /compression ratio \d+ > 200 for big\.bin/,
  },
  {
    name: 'zip bomb (entry inflates past its declared size)',
    zip: () => testZip([ok, { name: 'liar.bin', data: Buffer.alloc(100_000), declaredSize: 10 }]),
    expect: /inflates past its declared size/,
  },
  {
    name: 'encrypted entry',
    zip: () => testZip([ok, { name: 'secret.js', data: 'x', encrypted: true }]),
    expect: /encrypted entry: secret\.js/,
  },
  {
    name: 'local header name differs from the directory',
    zip: () => testZip([ok, { name: 'nice.js', localName: 'evil.js', data: 'x' }]),
    expect: /local header name differs/,
  },
  {
    name: 'data before the first entry (polyglot)',
    zip: () => testZip([ok], { prefix: Buffer.from('#!/bin/sh\necho pwned\n') }),
    expect: /data before the first entry/,
  },
  {
    name: 'two end records',
    zip: () => {
      const z = testZip([ok]);
      const end = z.subarray(z.length - 22);
      return testZip([ok], { comment: Buffer.concat([Buffer.from('xx'), end.subarray(0, 20), Buffer.from([0, 0])]) });
    },
    expect: /several end of central directory records/,
  },
  {
    name: 'file in the reserved .lambda-sig/ folder',
    zip: () => testZip([ok, { name: '.lambda-sig/hook.js', data: 'x' }]),
    expect: /only \*\.sigstore\.json bundles/,
  },
  { name: 'not a zip at all', zip: () => Buffer.from('PK\u0003\u0004 truncated'), expect: /not a zip archive|damaged|bad local header/ },
];

describe('hostile archives', () => {
  let root: string;
  before(async () => {
    root = scratchDir();
    assert.equal((await cli(root, 'keygen', '--out', 'ci')).code, 0);
    writeFileSync(join(root, 'good.zip'), testZip([ok]));
    assert.equal((await cli(root, 'sign', 'good.zip', '--key', 'ci.key')).code, 0);
  });

  for (const h of hostile) {
    test(`${h.name}: refused by sign and verify, nothing extracted`, async () => {
      const dir = scratchDir();
      const file = join(dir, 'evil.zip');
      writeFileSync(file, h.zip());
      assert.throws(() => manifestOfZip(h.zip()), h.expect);
      const s = await cli(dir, 'sign', file, '--key', join(root, 'ci.key'));
      assert.equal(s.code, 1, s.out);
      assert.match(s.err, /refused/);
      assert.match(s.err, h.expect);
      const v = await cli(dir, 'verify', file, '--key', join(root, 'ci.pub'), '--bundle', join(root, 'good.zip.sigstore.json'));
      assert.equal(v.code, 1);
      assert.match(v.err, h.expect);
      assert.deepEqual(readdirSync(dir), ['evil.zip']);
    });
  }

  test('size cap: declared unpacked size above the limit is refused before inflating', () => {
    const z = testZip([
      { name: 'a.bin', data: Buffer.alloc(600_000, 1) },
      { name: 'b.bin', data: Buffer.alloc(600_000, 2) },
    ]);
    assert.throws(() => manifestOfZip(z, { maxTotalBytes: 1_000_000 }), /declared unpacked size is above the limit/);
    assert.throws(() => manifestOfZip(z, { maxEntries: 1 }), /more than 1 entries/);
  });

  test('a symlink inside the root and a case-only collision are accepted (the latter with a warning)', () => {
    const m = manifestOfZip(
      testZip([
        ok,
        { name: 'alias.js', data: 'index.js', mode: 0o120777 },
        { name: 'lib/up', data: '../index.js', mode: 0o120777 },
        { name: 'Index.js', data: 'y' },
      ]),
    );
    assert.equal(m.entries.length, 4);
    assert.match(m.warnings.join(), /case-only collision/);
  });

  test('directories: escaping symlink, setuid file, stray file in .lambda-sig are refused', () => {
    const base = scratchDir();
    const mk = (name: string) => {
      const d = join(base, name);
      mkdirSync(d);
      writeFileSync(join(d, 'index.js'), 'x');
      return d;
    };
    const a = mk('link');
    symlinkSync('/etc/passwd', join(a, 'passwd'));
    assert.throws(() => manifestOfDir(a), /symlink escapes the root: passwd -> \/etc\/passwd/);
    const b = mk('setuid');
    chmodSync(join(b, 'index.js'), 0o4755);
    assert.throws(() => manifestOfDir(b), /setuid/);
    const c = mk('sig');
    mkdirSync(join(c, '.lambda-sig'));
    writeFileSync(join(c, '.lambda-sig', 'hook.js'), 'x');
    assert.throws(() => manifestOfDir(c), /only \*\.sigstore\.json bundles/);
  });
});
