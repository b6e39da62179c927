// The canonical manifest and the runtime verifier: a pinned format (changing it would invalidate every signature),
// path rules, tree checks, first-difference reporting, DSSE verification, and the cold-start configuration.
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { coldStartConfig, verifyTask } from '../../src/coldstart.cjs';
import {
  alignedBuffer,
  canonicalText,
  checkStatementFiles,
  describeDifference,
  envelopeOf,
  finishManifest,
  firstDifference,
  keyHint,
  type ManifestEntry,
  manifestOfDir,
  manifestPath,
  PAYLOAD_TYPE,
  PREDICATE_TYPE,
  pae,
  parseStatement,
  pathProblem,
  STATEMENT_TYPE,
  sortByUtf8,
  verifyEnvelope,
} from '../../src/integrity.cjs';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const file = (path: string, content: string, mode: '0644' | '0755' = '0644'): ManifestEntry => ({
  path,
  mode,
  size: Buffer.byteLength(content),
  sha256: sha(content),
});
const link = (path: string, target: string): ManifestEntry => ({
  path,
  mode: 'link',
  size: Buffer.byteLength(target),
  sha256: sha(target),
  target,
});

test('the canonical format is pinned: one line per entry, sorted by UTF-8 bytes', () => {
  const m = finishManifest([
    file('lib/a.js', 'a'),
    file('bootstrap', '#!/bin/sh\n', '0755'),
    file('Z.js', 'z'),
    link('alias.js', 'lib/a.js'),
  ]);
  assert.deepEqual(
    m.entries.map((e) => e.path),
    ['Z.js', 'alias.js', 'bootstrap', 'lib/a.js'],
  );
  assert.equal(
    canonicalText(m.entries),
    [
      `${sha('z')} 0644 1 Z.js`,
      `${sha('lib/a.js')} link 8 alias.js`,
      `${sha('#!/bin/sh\n')} 0755 10 bootstrap`,
      `${sha('a')} 0644 1 lib/a.js`,
      '',
    ].join('\n'),
  );
  assert.equal(m.digest, sha(canonicalText(m.entries)));
  assert.equal(m.totalBytes, 12);
});

test('UTF-8 byte order also beyond the BMP, where UTF-16 code units order differently', () => {
  // U+FF21 is EF BC A1 in UTF-8 and U+1F600 is F0 9F 98 80: bytes put U+FF21 first, UTF-16 (FF21 vs D83D) would not
  const names = ['\u{1F600}.js', '\uFF21.js', 'b.js', '\u00e9.js', 'a/\u{1F600}', 'a/\uFFFD'];
  const bytes = (s: string) => Buffer.from(s, 'utf8');
  const expected = [...names].sort((x, y) => Buffer.compare(bytes(x), bytes(y)));
  assert.deepEqual(
    sortByUtf8(names, (n) => n),
    expected,
  );
  assert.deepEqual(expected.slice(-2), ['\uFF21.js', '\u{1F600}.js']);
  // without characters beyond the BMP, plain order is byte order
  const bmp = ['\uFFFD', 'z', '\u00e9', 'Z', '\u4e2d'];
  assert.deepEqual(
    sortByUtf8(bmp, (n) => n),
    [...bmp].sort((x, y) => Buffer.compare(bytes(x), bytes(y))),
  );
});

test('manifest entries come out in UTF-8 byte order, with and without names beyond the BMP', () => {
  const bytes = (s: string) => Buffer.from(s, 'utf8');
  const entry = (path: string): ManifestEntry => ({ path, mode: '0644', size: 0, sha256: sha('') });
  for (const names of [
    ['\u{1F600}.js', '\uFF21.js', 'b.js', '\u00e9.js', 'a/\u{1F600}', 'a/\uFFFD', 'a-b', 'a/c'],
    ['\uFFFD', 'z', '\u00e9', 'Z', '\u4e2d', 'a/b', 'a-b', 'a.b'],
  ]) {
    const m = finishManifest(names.map(entry));
    assert.deepEqual(
      m.entries.map((e) => e.path),
      [...names].sort((x, y) => Buffer.compare(bytes(x), bytes(y))),
    );
  }
});

test('directory manifest: case-only collisions are warnings, skipped with caseWarnings: false (same manifest)', () => {
  const root = mkdtempSync(join(tmpdir(), 'fnguard-integrity-'));
  try {
    mkdirSync(join(root, 'lib'));
    writeFileSync(join(root, 'lib', 'a.js'), 'a');
    writeFileSync(join(root, 'lib', 'A.js'), 'A');
    writeFileSync(join(root, 'index.js'), 'i');
    const full = manifestOfDir(root);
    assert.deepEqual(full.warnings, ['case-only collision: lib/A.js / lib/a.js']);
    const quiet = manifestOfDir(root, { caseWarnings: false });
    assert.deepEqual(quiet.warnings, []);
    assert.deepEqual(quiet.entries, full.entries);
    assert.equal(quiet.digest, full.digest);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('directory manifest: file sizes around the read buffer hash like one sha256 of the content', () => {
  const root = mkdtempSync(join(tmpdir(), 'fnguard-integrity-'));
  try {
    const sizes = [0, 1, 10_240, 256 * 1024 - 1, 256 * 1024, 256 * 1024 + 1, 3 * 1024 * 1024 + 7];
    mkdirSync(join(root, 'lib'));
    for (const n of sizes) {
      const data = Buffer.alloc(n);
      for (let i = 0; i < n; i++) data[i] = (i * 31 + n) & 0xff;
      writeFileSync(join(root, 'lib', `f${n}.bin`), data);
    }
    writeFileSync(join(root, 'run.sh'), '#!/bin/sh\n');
    chmodSync(join(root, 'run.sh'), 0o755);
    const m = manifestOfDir(root);
    for (const n of sizes) {
      const data = Buffer.alloc(n);
      for (let i = 0; i < n; i++) data[i] = (i * 31 + n) & 0xff;
      const e = m.entries.find((x) => x.path === `lib/f${n}.bin`);
      assert.ok(e, `lib/f${n}.bin listed`);
      assert.equal(e.size, n);
      assert.equal(e.sha256, createHash('sha256').update(data).digest('hex'), `sha256 of a ${n}-byte file`);
    }
    assert.equal(m.entries.find((x) => x.path === 'run.sh')?.mode, '0755');
    // a file that grows is read to its end (the next walk sees the new bytes)
    appendFileSync(join(root, 'lib', 'f1.bin'), 'more');
    assert.equal(manifestOfDir(root).entries.find((x) => x.path === 'lib/f1.bin')?.size, 5);
    assert.equal(m.digest, finishManifest(m.entries.map((e) => ({ ...e }))).digest, 'the walk and the archive checks agree');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('alignedBuffer: a whole buffer of the size asked (a view at offset 0), also where WebAssembly is missing', () => {
  for (const n of [1, 4096, 65_536, 65_537, 3 * 1024 * 1024 + 7]) {
    const b = alignedBuffer(n);
    assert.ok(Buffer.isBuffer(b));
    assert.equal(b.length, n);
    assert.equal(b.byteOffset, 0, 'the view starts where its memory starts');
    b[n - 1] = 7;
    assert.equal(b[n - 1], 7);
  }
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'WebAssembly');
  try {
    Reflect.deleteProperty(globalThis, 'WebAssembly');
    const b = alignedBuffer(300_000);
    assert.equal(b.length, 300_000);
    b.fill(1);
    assert.equal(b[299_999], 1);
  } finally {
    if (saved) Object.defineProperty(globalThis, 'WebAssembly', saved);
  }
});

test('path rules', () => {
  for (const bad of ['', '/etc/x', 'C:/x', 'a\\b', '../x', 'a/../../x', 'a//b', './a', 'a/', 'a\u0000b', 'a\tb', 'x'.repeat(4097)])
    assert.ok(pathProblem(bad), `should refuse ${JSON.stringify(bad).slice(0, 40)}`);
  for (const good of ['index.js', 'node_modules/@scope/pkg/index.js', 'café.js', 'a b/c.js', '.env.example', '..foo'])
    assert.equal(pathProblem(good), undefined, good);
  const seen = new Map<string, string>();
  assert.equal(manifestPath('cafe\u0301.js', seen), 'caf\u00e9.js', 'names become NFC');
  assert.throws(() => manifestPath('caf\u00e9.js', seen), /NFC and NFD spellings/);
  assert.equal(manifestPath('.lambda-sig/bundle.sigstore.json', new Map()), undefined, 'bundles are not part of the manifest');
  assert.throws(() => manifestPath('.lambda-sig/x.js', new Map()), /only \*\.sigstore\.json/);
});

test('tree checks: links that leave the root (directly, through links, by looping) and links used as folders', () => {
  assert.throws(() => finishManifest([link('a/up', '..'), link('a/x', 'up/..')]), /symlink escapes the root: a\/x/);
  assert.throws(() => finishManifest([link('l1', 'l2'), link('l2', 'l1/x')]), /symlink loop/);
  assert.throws(() => finishManifest([link('lnk', 'lib'), file('lnk/x.js', 'x')]), /uses it as a folder/);
  assert.throws(() => finishManifest([file('a', 'x'), file('a', 'y')]), /duplicate entry/);
  assert.doesNotThrow(() => finishManifest([link('a/up', '..'), link('a/self', 'up/a'), file('b/c.js', '')]));
  assert.throws(() => finishManifest([file('big', 'xx')], { maxTotalBytes: 1 }), /above the limit/);
});

test('first difference: changed, added, missing, renamed, mode, symlink; in path order', () => {
  const signed = [file('a.js', 'a'), file('b.js', 'b'), link('c.js', 'a.js')];
  const d = (actual: ManifestEntry[]) => {
    const x = firstDifference(signed, actual);
    return x && describeDifference(x);
  };
  assert.equal(d(signed), undefined);
  assert.equal(d([file('a.js', 'A'), file('b.js', 'b'), link('c.js', 'a.js')]), 'changed file: a.js');
  assert.equal(d([...signed, file('d.js', 'd')]), 'added file: d.js (not in the signed manifest)');
  assert.equal(d([file('a.js', 'a'), link('c.js', 'a.js')]), 'missing file: b.js');
  assert.equal(d([file('a.js', 'a'), file('z.js', 'b'), link('c.js', 'a.js')]), 'renamed file: b.js -> z.js');
  assert.equal(d([file('a.js', 'a', '0755'), file('b.js', 'b'), link('c.js', 'a.js')]), 'mode change: a.js 0644 -> 0755');
  assert.equal(d([file('a.js', 'a'), file('b.js', 'b'), link('c.js', 'b.js')]), 'changed symlink: c.js -> b.js (signed: -> a.js)');
});

test('DSSE: a statement signed with Ed25519 or P-256 verifies with its key only; any changed byte fails', () => {
  const statement = {
    _type: STATEMENT_TYPE,
    subject: [{ name: 'fn:x', digest: { sha256: sha('') } }],
    predicateType: PREDICATE_TYPE,
    predicate: { format: 'lambda-code-manifest/v1', name: 'fn:x', manifestDigest: sha(''), files: [] },
  };
  const payload = Buffer.from(JSON.stringify(statement));
  for (const pair of [generateKeyPairSync('ed25519'), generateKeyPairSync('ec', { namedCurve: 'P-256' })]) {
    const ed = pair.publicKey.asymmetricKeyType === 'ed25519';
    const sig = sign(ed ? null : 'sha256', pae(PAYLOAD_TYPE, payload), pair.privateKey);
    const bundle = {
      mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      verificationMaterial: { publicKey: { hint: keyHint(pair.publicKey) } },
      dsseEnvelope: { payload: payload.toString('base64'), payloadType: PAYLOAD_TYPE, signatures: [{ sig: sig.toString('base64') }] },
    };
    const { envelope, hint } = envelopeOf(bundle);
    assert.equal(hint, keyHint(pair.publicKey));
    assert.equal(parseStatement(verifyEnvelope(envelope, [pair.publicKey]).payload).predicate.name, 'fn:x');
    const other = generateKeyPairSync('ed25519').publicKey;
    assert.throws(() => verifyEnvelope(envelope, [other]), /does not verify/);
    const tampered = { ...envelope, payload: Buffer.from(JSON.stringify({ ...statement, subject: [] })).toString('base64') };
    assert.throws(() => verifyEnvelope(tampered, [pair.publicKey]), /does not verify/);
    assert.throws(() => verifyEnvelope({ ...envelope, payloadType: 'text/plain' }, [pair.publicKey]), /payload type/);
  }
  assert.throws(
    () => parseStatement(Buffer.from(JSON.stringify({ ...statement, predicate: { ...statement.predicate, manifestDigest: sha('x') } }))),
    /not a subject/,
  );
  // a file list that is not the manifest the digest names: refused now, or when checked before use
  const wrongList = Buffer.from(JSON.stringify({ ...statement, predicate: { ...statement.predicate, files: [file('a.js', 'a')] } }));
  assert.throws(() => parseStatement(wrongList), /predicate.files does not match/);
  const deferred = parseStatement(wrongList, false);
  assert.throws(() => checkStatementFiles(deferred), /predicate.files does not match/);
  checkStatementFiles(parseStatement(payload, false));
});

test('cold-start configuration from the environment', () => {
  assert.equal(coldStartConfig({}), undefined);
  assert.equal(coldStartConfig({ FNGUARD_VERIFY: '0' }), undefined);
  assert.throws(() => coldStartConfig({ FNGUARD_VERIFY: '1' }), /FNGUARD_VERIFY_KEY/);
  assert.throws(() => coldStartConfig({ FNGUARD_VERIFY: 'everything', FNGUARD_VERIFY_KEY: '-----BEGIN' }), /unknown scope 'everything'/);
  assert.throws(() => coldStartConfig({ FNGUARD_VERIFY: '1', FNGUARD_VERIFY_KEY: '/nonexistent/key.pub' }), /cannot read the public key/);
  const c = coldStartConfig({
    FNGUARD_VERIFY: 'task,layers',
    FNGUARD_VERIFY_KEY: '-----BEGIN PUBLIC KEY-----',
    FNGUARD_VERIFY_BUNDLE: '{"a":1}',
  });
  assert.deepEqual(
    { task: c?.task, layers: c?.layers, failOpen: c?.failOpen, bundle: c?.bundleText, root: c?.taskRoot },
    { task: true, layers: true, failOpen: false, bundle: '{"a":1}', root: '/var/task' },
  );
});

test('cold start: the signed file list is checked before it names a difference', () => {
  const root = mkdtempSync(join(tmpdir(), 'fnguard-coldstart-'));
  try {
    writeFileSync(join(root, 'a.js'), 'a');
    const pair = generateKeyPairSync('ed25519');
    const bundleFor = (files: ManifestEntry[]) => {
      const statement = {
        _type: STATEMENT_TYPE,
        subject: [{ name: 'fn:x', digest: { sha256: sha('') } }],
        predicateType: PREDICATE_TYPE,
        predicate: { format: 'lambda-code-manifest/v1', name: 'fn:x', manifestDigest: sha(''), files },
      };
      const payload = Buffer.from(JSON.stringify(statement));
      const sig = sign(null, pae(PAYLOAD_TYPE, payload), pair.privateKey);
      return JSON.stringify({
        mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
        verificationMaterial: { publicKey: { hint: keyHint(pair.publicKey) } },
        dsseEnvelope: { payload: payload.toString('base64'), payloadType: PAYLOAD_TYPE, signatures: [{ sig: sig.toString('base64') }] },
      });
    };
    const cfg = (bundleText: string) => ({
      task: true,
      layers: false,
      failOpen: false,
      keyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      bundleText,
      subject: undefined,
      taskRoot: root,
      optRoot: join(root, 'none'),
    });
    // signed: an empty tree, listed as such; the tree has a.js
    assert.throws(() => verifyTask(cfg(bundleFor([]))), /added file: a\.js/);
    // signed: an empty tree, but a list that is not it: the list is refused, not used to name a difference
    assert.throws(() => verifyTask(cfg(bundleFor([file('b.js', 'b')]))), /predicate.files does not match/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('directory walk: a bad name is refused with the message pathProblem gives, wherever it sits; NFD names become NFC', () => {
  const cases: [string, string][] = [
    ['a\\b.js', 'backslash in path'],
    ['lib/a\tb.js', 'control character in path'],
    ['lib/deep/x\u007f.js', 'control character in path'],
    ['C:x.js', 'absolute path'],
    ['lib\\x/y.js', 'backslash in path'],
  ];
  for (const [rel, problem] of cases) {
    const root = mkdtempSync(join(tmpdir(), 'fnguard-walk-'));
    try {
      writeFileSync(join(root, 'ok.js'), 'ok');
      mkdirSync(join(root, rel, '..'), { recursive: true });
      writeFileSync(join(root, rel), 'x');
      assert.throws(
        () => manifestOfDir(root),
        (e: Error & { code?: string }) => e.code === 'bad-path' && e.message.startsWith(`${problem}: `),
        rel,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  const root = mkdtempSync(join(tmpdir(), 'fnguard-walk-'));
  try {
    // a drive-like name below the root is an ordinary relative name; non-ASCII names are kept in NFC
    mkdirSync(join(root, 'lib'), { recursive: true });
    writeFileSync(join(root, 'lib', 'C:x.js'), 'c');
    writeFileSync(join(root, 'lib', 'cafe\u0301.js'), 'nfd');
    writeFileSync(join(root, 'lib', '\u00fcber.js'), 'nfc');
    assert.deepEqual(
      manifestOfDir(root).entries.map((e) => e.path),
      ['lib/C:x.js', 'lib/caf\u00e9.js', 'lib/\u00fcber.js'],
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
