/**
 * `TextReader`: files inside the scan root only (symlinks resolved), regular files only, the size
 * limit checked before reading, and the same checks on the opened descriptor (a file replaced
 * between the checks and the open is refused, never read).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { createTextReader, LoadError, readTextWithin, SYNC_READ_LIMIT } from '../../src/load/textReader.js';
import { rmTree, tmpTree } from '../helpers/index.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmTree(d);
});
function tree(files: Record<string, string | Uint8Array>): string {
  const d = tmpTree(files, 'fnguard-read-');
  dirs.push(d);
  return d;
}
async function code(p: Promise<string>): Promise<string> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof LoadError, `a LoadError, got ${e}`);
    return e.code;
  }
  return 'read';
}

test('reads relative and absolute paths, strips a BOM, keeps invalid UTF-8 as replacement characters', async () => {
  const root = tree({ 'a/b.txt': '\ufeffhello\n', 'c.bin': new Uint8Array([0x61, 0xff, 0x62]) });
  const reader = createTextReader(root);
  assert.equal(await reader.read('a/b.txt'), 'hello\n');
  assert.equal(await reader.read(join(root, 'a/b.txt')), 'hello\n');
  assert.equal(await reader.read('c.bin'), 'a\ufffdb');
  assert.equal(await readTextWithin(root, 'a/b.txt'), 'hello\n');
});

test('a file whose name starts with two dots is inside the root', async () => {
  const root = tree({ '..data': 'x', 'd/..e/f': 'y' });
  const reader = createTextReader(root);
  assert.equal(await reader.read('..data'), 'x');
  assert.equal(await reader.read('d/..e/f'), 'y');
});

test('symlinks: a directory link in the middle of the path, the root itself a link, links leaving the root', async () => {
  const outside = tree({ 'secret.txt': 'secret' });
  const base = tree({ 'real/src/lib/m.js': 'inside', 'real/other.txt': 'other' });
  const root = join(base, 'real');
  symlinkSync(join(root, 'src'), join(root, 'linked'));
  symlinkSync(outside, join(root, 'out'));
  symlinkSync(join(outside, 'secret.txt'), join(root, 'secret-link.txt'));
  symlinkSync('../other.txt', join(root, 'src', 'rel-link.txt'));
  symlinkSync(root, join(base, 'root-link'));
  symlinkSync('loop-b', join(root, 'loop-a'));
  symlinkSync('loop-a', join(root, 'loop-b'));
  symlinkSync('missing', join(root, 'dangling'));

  const reader = createTextReader(root);
  assert.equal(await reader.read('linked/lib/m.js'), 'inside');
  assert.equal(await reader.read('src/rel-link.txt'), 'other');
  assert.equal(await code(reader.read('out/secret.txt')), 'outside-root');
  assert.equal(await code(reader.read('secret-link.txt')), 'outside-root');
  assert.equal(await code(reader.read(join(outside, 'secret.txt'))), 'outside-root');
  assert.equal(await code(reader.read('../root-link/other.txt')), 'read'); // back inside through a link
  await assert.rejects(
    reader.read('loop-a'),
    (e: LoadError) => e.code === 'unreadable' && /ELOOP/.test(e.message) && e.file === join(root, 'loop-a'),
  );
  await assert.rejects(reader.read('dangling'), (e: LoadError) => e.code === 'unreadable' && /ENOENT/.test(e.message));
  await assert.rejects(reader.read('nope.txt'), (e: LoadError) => e.code === 'unreadable' && e.message.includes(join(root, 'nope.txt')));

  // the root given as a link: files under it, by either path, are inside; the outside stays outside
  const viaLink = createTextReader(join(base, 'root-link'));
  assert.equal(await viaLink.read('linked/lib/m.js'), 'inside');
  assert.equal(await viaLink.read(join(root, 'other.txt')), 'other');
  assert.equal(await code(viaLink.read('out/secret.txt')), 'outside-root');
});

test('the root real path is computed once per reader', async () => {
  const base = tree({ 'one/f.txt': 'one', 'two/f.txt': 'two' });
  const link = join(base, 'root');
  symlinkSync(join(base, 'one'), link);
  const reader = createTextReader(link);
  assert.equal(await reader.read('f.txt'), 'one');
  // the link now points elsewhere: the reader keeps the root it resolved, so the new target is outside it
  renameSync(join(base, 'one'), join(base, 'gone'));
  symlinkSync(join(base, 'two'), `${link}.new`);
  renameSync(`${link}.new`, link);
  assert.equal(await code(reader.read('f.txt')), 'outside-root');
  assert.equal(await createTextReader(link).read('f.txt'), 'two');
});

test('directories, FIFOs and devices are refused without being opened (no hang)', { skip: process.platform === 'win32' }, async () => {
  const root = tree({ 'd/x': 'x' });
  execFileSync('mkfifo', [join(root, 'pipe')]);
  symlinkSync('/dev/zero', join(root, 'zero'));
  const reader = createTextReader(root);
  assert.equal(await code(reader.read('d')), 'not-a-file');
  assert.equal(await code(reader.read('pipe')), 'not-a-file');
  assert.equal(await code(reader.read('zero')), 'outside-root');
  assert.equal(await code(createTextReader('/dev').read('zero')), 'not-a-file');
});

test('the size limit is checked before reading; big files are read whole (asynchronously)', async () => {
  const big = 'z'.repeat(SYNC_READ_LIMIT * 3 + 17);
  const root = tree({ 'small.txt': 'abc', 'big.txt': big, 'exact.txt': '1234' });
  const reader = createTextReader(root);
  assert.equal(await reader.read('big.txt'), big);
  assert.equal(await reader.read('exact.txt', 4), '1234');
  await assert.rejects(
    reader.read('exact.txt', 3),
    (e: LoadError) => e.code === 'too-large' && e.message === `${join(root, 'exact.txt')} is 4 bytes, over the 3-byte limit`,
  );
  assert.equal(await code(reader.read('big.txt', SYNC_READ_LIMIT)), 'too-large');
  assert.equal(await reader.read('small.txt', 0 + 3), 'abc');
  writeFileSync(join(root, 'empty.txt'), '');
  assert.equal(await reader.read('empty.txt', 0), '');
});

test('a path swapped to a link out of the root while being read is never read', {
  skip: process.platform !== 'linux',
  timeout: 30_000,
}, async () => {
  // root/dd is a directory, then (for a moment) a link to the outside, then the directory again:
  // a read whose checks ran before the swap must not open the outside file after it
  const outside = tree({ 'f.txt': 'outside' });
  const root = tree({ 'dd/f.txt': 'inside', 'pad/x': '' });
  symlinkSync(outside, join(root, 'ddlink'));
  mkdirSync(join(root, 'tmp'));
  const swapper = new Worker(
    `const { renameSync } = require('node:fs');
     const { workerData: r, parentPort } = require('node:worker_threads');
     let stop = false;
     parentPort.on('message', () => { stop = true; });
     const loop = () => {
       for (let i = 0; i < 200; i++) {
         renameSync(r + '/dd', r + '/tmp/dd');
         renameSync(r + '/ddlink', r + '/dd');
         renameSync(r + '/dd', r + '/ddlink');
         renameSync(r + '/tmp/dd', r + '/dd');
       }
       if (stop) parentPort.close(); else setImmediate(loop);
     };
     loop();`,
    { eval: true, workerData: root },
  );
  const reader = createTextReader(root);
  const seen = new Map<string, number>();
  const deadline = Date.now() + 1500;
  while (Date.now() < deadline) {
    let r: string;
    try {
      r = await reader.read('dd/f.txt');
    } catch (e) {
      r = e instanceof LoadError ? e.code : String(e);
    }
    seen.set(r, (seen.get(r) ?? 0) + 1);
  }
  swapper.postMessage('stop');
  await new Promise((done) => swapper.once('exit', done));
  assert.equal(seen.get('outside'), undefined, `outside content read: ${JSON.stringify([...seen])}`);
  assert.ok((seen.get('inside') ?? 0) > 0, JSON.stringify([...seen]));
});
