/** `fnguard db update` against a loopback HTTP server: full download, resume with Range, corrupt data, 404. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openAdvisoryDb } from '../../../src/analyze/deps/osv/db.js';
import { downloadFile, updateDatabase } from '../../../src/analyze/deps/osv/download.js';
import { run } from '../../../src/cli/run.js';
import { captureIo } from '../../helpers/cliIo.js';
import { rmTree, tmpTree } from '../../helpers/index.js';
import { testZip } from '../../helpers/testZip.js';

const record = (id: string, eco: string, name: string) =>
  JSON.stringify({
    id,
    affected: [{ package: { ecosystem: eco, name }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '9.9.9' }] }] }],
  });
const NPM = testZip(Array.from({ length: 200 }, (_, i) => ({ name: `GHSA-${i}.json`, data: record(`GHSA-npm-${i}`, 'npm', `p${i}`) })));
const PYPI = testZip([{ name: 'PYSEC-1.json', data: record('PYSEC-1', 'PyPI', 'requests') }]);
const CORRUPT = Buffer.from(NPM);
CORRUPT[45] = CORRUPT[45] ^ 0xff; // inside the first entry's deflated data

let server: Server;
let base: string;
const seenRanges: string[] = [];
before(async () => {
  server = createServer((req, res) => {
    const files: Record<string, Buffer> = {
      '/npm/all.zip': NPM,
      '/PyPI/all.zip': PYPI,
      '/bad/npm/all.zip': CORRUPT,
      '/badmd5/npm/all.zip': NPM,
    };
    const body = files[req.url ?? ''];
    if (!body) {
      res.writeHead(404).end('not found');
      return;
    }
    const md5 = createHash('md5')
      .update(req.url?.startsWith('/badmd5') ? 'other' : body)
      .digest('base64');
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range) {
      seenRanges.push(req.headers.range as string);
      const from = Number(range[1]);
      res.writeHead(206, { 'content-length': body.length - from, 'x-goog-hash': `crc32c=AAAA==,md5=${md5}`, etag: '"e1"' });
      res.end(body.subarray(from));
      return;
    }
    res.writeHead(200, { 'content-length': body.length, 'x-goog-hash': `crc32c=AAAA==,md5=${md5}`, etag: '"e1"' });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

describe('db update', () => {
  test('downloads npm and PyPI, writes the meta file, indexes; a scan-time open reuses the index', async () => {
    const dir = tmpTree({});
    try {
      const seen: string[] = [];
      const r = await updateDatabase({ dir, baseUrl: base, progress: (eco) => seen.push(eco) });
      assert.equal(r.records, 201);
      assert.ok(seen.includes('npm') && seen.includes('PyPI'));
      assert.deepEqual(readFileSync(join(dir, 'npm-all.zip')), NPM);
      assert.ok(!existsSync(join(dir, 'npm-all.zip.part')));
      const db = openAdvisoryDb(dir);
      assert.equal(db.info.cachedIndex, true);
      assert.equal(db.info.records, 201);
      assert.equal(db.lookup('PyPI', 'Requests').length, 1);
      db.close();
    } finally {
      rmTree(dir);
    }
  });

  test('resumes a partial download with a Range request', async () => {
    const dir = tmpTree({});
    try {
      writeFileSync(join(dir, 'npm-all.zip.part'), NPM.subarray(0, 1000));
      seenRanges.length = 0;
      await downloadFile(`${base}/npm/all.zip`, join(dir, 'npm-all.zip'));
      assert.deepEqual(seenRanges, ['bytes=1000-']);
      assert.deepEqual(readFileSync(join(dir, 'npm-all.zip')), NPM);
    } finally {
      rmTree(dir);
    }
  });

  test('a corrupt archive or a hash mismatch is refused and the previous database stays', async () => {
    const dir = tmpTree({});
    try {
      writeFileSync(join(dir, 'npm-all.zip'), PYPI);
      await assert.rejects(downloadFile(`${base}/bad/npm/all.zip`, join(dir, 'npm-all.zip')), /not a valid archive|MD5/);
      await assert.rejects(downloadFile(`${base}/badmd5/npm/all.zip`, join(dir, 'npm-all.zip')), /MD5 mismatch/);
      assert.deepEqual(readFileSync(join(dir, 'npm-all.zip')), PYPI, 'previous archive untouched');
      assert.ok(!existsSync(join(dir, 'npm-all.zip.part')));
    } finally {
      rmTree(dir);
    }
  });

  test('the CLI: 404 exits 2 with a message; success prints the count', async () => {
    const dir = tmpTree({});
    try {
      const io = captureIo(dir);
      assert.equal(await run(['db', 'update', '--url', `${base}/missing`, '--dir', dir], io), 2);
      assert.match(io.err, /HTTP 404/);
      const io2 = captureIo(dir);
      assert.equal(await run(['db', 'update', '--url', base, '--dir', dir], io2), 0, io2.err);
      assert.match(io2.out, /201 advisories/);
      const tty = captureIo(dir, {}, true);
      assert.equal(await run(['db', 'update', '--url', base, '--dir', dir, '--ecosystem', 'npm'], tty), 0, tty.err);
      assert.match(tty.err, /\rnpm {3}\[#{30}\] [\d.]+ MB \/ [\d.]+ MB/, 'a progress bar on a terminal');
      const io3 = captureIo(dir);
      assert.equal(await run(['db', 'status', '--dir', dir], io3), 0);
      assert.match(io3.out, /201 advisories .* updated .* \(0 days ago\)/);
    } finally {
      rmTree(dir);
    }
  });
});
