// The tamper matrix: a signed directory and its zip verify; every change to content, names, modes, links, keys or
// the bundle is refused with the first difference named; reordered entries and a re-zipped directory still verify.
import assert from 'node:assert/strict';
import { appendFileSync, chmodSync, readFileSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { cli, copyDir, makeFunctionDir, scratchDir, writeZip, zipEntriesOf } from './helpers.js';

describe('fnguard sign / verify: tamper matrix', () => {
  let root: string;
  let fn: string;
  let zip: string;
  before(async () => {
    root = scratchDir();
    fn = makeFunctionDir(root);
    assert.equal((await cli(root, 'keygen', '--out', 'ci')).code, 0);
    assert.equal((await cli(root, 'keygen', '--out', 'other', '--type', 'p256')).code, 0);
    const s = await cli(root, 'sign', 'orders', '--key', 'ci.key', '--name', 'fn:orders');
    assert.equal(s.code, 0, s.err);
    zip = writeZip(join(root, 'orders.zip'), zipEntriesOf(fn));
    const z = await cli(root, 'sign', 'orders.zip', '--key', 'ci.key', '--name', 'fn:orders');
    assert.equal(z.code, 0, z.err);
    assert.match(z.out, /Lambda CodeSha256 [A-Za-z0-9+/]{43}=/);
  });

  const verifyDir = async (dir: string, ...extra: string[]) => cli(root, 'verify', dir, '--key', 'ci.pub', ...extra);

  test('the signed directory and its zip verify, with the same manifest digest', async () => {
    const d = await verifyDir(fn, '--format', 'json');
    const z = await verifyDir(zip, '--format', 'json');
    assert.equal(d.code, 0, d.out);
    assert.equal(z.code, 0, z.out);
    assert.equal(JSON.parse(d.out).manifestDigest, JSON.parse(z.out).manifestDigest);
    assert.equal(JSON.parse(z.out).subject, 'fn:orders');
  });

  test("the zip's base64 sha256 in the bundle is Lambda's CodeSha256 of the archive", async () => {
    const bundle = JSON.parse(readFileSync(`${zip}.sigstore.json`, 'utf8'));
    const st = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString());
    const { createHash } = await import('node:crypto');
    assert.equal(st.predicate.zip.codeSha256, createHash('sha256').update(readFileSync(zip)).digest('base64'));
    assert.deepEqual(
      st.subject.map((s: { name: string }) => s.name),
      ['fn:orders', 'orders.zip'],
    );
    assert.equal(bundle.mediaType, 'application/vnd.dev.sigstore.bundle.v0.3+json');
    assert.equal(typeof bundle.verificationMaterial.publicKey.hint, 'string');
  });

  test('reordered zip entries still verify (against the bundle of the original zip)', async () => {
    const reordered = writeZip(join(root, 'reordered.zip'), zipEntriesOf(fn).reverse());
    const r = await verifyDir(reordered, '--bundle', `${zip}.sigstore.json`);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /re-zipped or reordered/);
  });

  test('a re-zipped directory (other tool, stored entries, folder entries) still verifies', async (t) => {
    const { spawnSync } = await import('node:child_process');
    if (spawnSync('zip', ['-v']).status !== 0) t.skip('zip CLI not installed');
    const out = join(root, 'rezipped.zip');
    const z = spawnSync('zip', ['-q', '-r', '-y', '-0', out, '.', '-x', '.lambda-sig/*'], { cwd: fn });
    assert.equal(z.status, 0, String(z.stderr));
    const r = await verifyDir(out, '--bundle', `${zip}.sigstore.json`);
    assert.equal(r.code, 0, r.err);
    // and the directory's own bundle (signed before any zip existed) accepts the zip too
    const d = await verifyDir(out, '--bundle', join(fn, '.lambda-sig', 'bundle.sigstore.json'));
    assert.equal(d.code, 0, d.err);
  });

  const cases: { name: string; change: (dir: string) => void; expect: RegExp }[] = [
    { name: 'changed file', change: (d) => appendFileSync(join(d, 'lib', 'util.js'), '//x\n'), expect: /changed file: lib\/util\.js/ },
    {
      name: 'same-size change',
      change: (d) => writeFileSync(join(d, 'lib', 'util.js'), readFileSync(join(d, 'lib', 'util.js'), 'utf8').replace('200', '500')),
      expect: /changed file: lib\/util\.js/,
    },
    { name: 'added file', change: (d) => writeFileSync(join(d, 'lib', 'backdoor.js'), 'x'), expect: /added file: lib\/backdoor\.js/ },
    { name: 'missing file', change: (d) => unlinkSync(join(d, 'lib', 'util.js')), expect: /missing file: lib\/util\.js/ },
    {
      name: 'renamed file',
      change: (d) => renameSync(join(d, 'lib', 'util.js'), join(d, 'lib', 'utils.js')),
      expect: /renamed file: lib\/util\.js -> lib\/utils\.js/,
    },
    {
      name: 'mode change (exec bit set)',
      change: (d) => chmodSync(join(d, 'index.js'), 0o755),
      expect: /mode change: index\.js 0644 -> 0755/,
    },
    {
      name: 'mode change (exec bit cleared)',
      change: (d) => chmodSync(join(d, 'bootstrap'), 0o644),
      expect: /mode change: bootstrap 0755 -> 0644/,
    },
    {
      name: 'symlink retargeted',
      change: (d) => {
        unlinkSync(join(d, 'alias.js'));
        symlinkSync('lib/util.js', join(d, 'alias.js'));
      },
      expect: /changed symlink: alias\.js -> lib\/util\.js/,
    },
    {
      name: 'symlink replaced by a file',
      change: (d) => {
        unlinkSync(join(d, 'alias.js'));
        writeFileSync(join(d, 'alias.js'), readFileSync(join(d, 'index.js')));
      },
      expect: /changed file: alias\.js/,
    },
    {
      name: 'file in node_modules changed',
      change: (d) => writeFileSync(join(d, 'node_modules', 'dep', 'index.js'), 'module.exports = 2;\n'),
      expect: /changed file: node_modules\/dep\/index\.js/,
    },
    {
      name: 'NFD spelling of a signed NFC name',
      change: (d) => renameSync(join(d, 'caf\u00e9.js'), join(d, 'cafe\u0301.js')),
      expect: /unused/,
    },
  ];

  for (const c of cases) {
    test(`directory: ${c.name}`, async () => {
      const d = copyDir(fn, join(scratchDir(), 'orders'));
      c.change(d);
      const r = await verifyDir(d);
      if (c.name.startsWith('NFD')) {
        // names are compared after NFC: the same name spelled in NFD is the same file (not a difference)
        assert.equal(r.code, 0, r.err);
        return;
      }
      assert.equal(r.code, 1, r.out);
      assert.match(r.err, c.expect);
    });
    if (c.name.startsWith('NFD')) continue;
    test(`zip: ${c.name}`, async () => {
      const d = copyDir(fn, join(scratchDir(), 'orders'));
      c.change(d);
      const z = writeZip(join(d, '..', 'orders.zip'), zipEntriesOf(d));
      const r = await verifyDir(z, '--bundle', `${zip}.sigstore.json`);
      assert.equal(r.code, 1, r.out);
      assert.match(r.err, c.expect);
    });
  }

  test('wrong key: verifying with another key fails and says so', async () => {
    const r = await cli(root, 'verify', 'orders', '--key', 'other.pub');
    assert.equal(r.code, 1);
    assert.match(r.err, /wrong key/);
  });

  test('a forged signature or a swapped statement is refused', async () => {
    const bundlePath = join(fn, '.lambda-sig', 'bundle.sigstore.json');
    const good = JSON.parse(readFileSync(bundlePath, 'utf8'));
    const dir = scratchDir();
    const sig = Buffer.from(good.dsseEnvelope.signatures[0].sig, 'base64');
    sig[5] = (sig[5] ?? 0) ^ 1;
    const forged = structuredClone(good);
    forged.dsseEnvelope.signatures[0].sig = sig.toString('base64');
    writeFileSync(join(dir, 'forged.json'), JSON.stringify(forged));
    let r = await verifyDir(fn, '--bundle', join(dir, 'forged.json'));
    assert.equal(r.code, 1);
    assert.match(r.err, /signature does not verify/);
    // the statement of another package under the original signature
    const zipBundle = JSON.parse(readFileSync(`${zip}.sigstore.json`, 'utf8'));
    const swapped = structuredClone(good);
    swapped.dsseEnvelope.payload = zipBundle.dsseEnvelope.payload;
    writeFileSync(join(dir, 'swapped.json'), JSON.stringify(swapped));
    r = await verifyDir(fn, '--bundle', join(dir, 'swapped.json'));
    assert.equal(r.code, 1);
    assert.match(r.err, /signature does not verify/);
  });

  test('no bundle: exit 1, not a crash', async () => {
    const d = copyDir(fn, join(scratchDir(), 'orders'));
    rmSync(join(d, '.lambda-sig'), { recursive: true });
    const r = await verifyDir(d);
    assert.equal(r.code, 1);
    assert.match(r.err, /no signature/);
  });

  test('a compact bundle verifies but cannot name the changed file', async () => {
    const d = copyDir(fn, join(scratchDir(), 'orders'));
    const s = await cli(root, 'sign', d, '--key', 'ci.key', '--compact', '--output', join(d, '..', 'compact.json'));
    assert.equal(s.code, 0, s.err);
    assert.equal((await verifyDir(d, '--bundle', join(d, '..', 'compact.json'))).code, 0);
    appendFileSync(join(d, 'index.js'), '\n');
    const r = await verifyDir(d, '--bundle', join(d, '..', 'compact.json'));
    assert.equal(r.code, 1);
    assert.match(r.err, /differs from the signed manifest/);
  });
});
