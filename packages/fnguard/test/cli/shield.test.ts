import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { run } from '../../src/cli/run.js';
import { entryData, readZipDirectory } from '../../src/sign/zip.js';
import { captureIo } from '../helpers/cliIo.js';
import { rmTree, tmpTree } from '../helpers/index.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmTree(d);
});

describe('fnguard shield layer', () => {
  test('--out writes a layer zip: the wrapper at the root (0755), the shield under nodejs/node_modules', async () => {
    const cwd = tmpTree({});
    dirs.push(cwd);
    const io = captureIo(cwd);
    const code = await run(['shield', 'layer', '--out', 'out/shield-layer.zip'], io);
    assert.equal(code, 0, io.err);
    const file = join(cwd, 'out', 'shield-layer.zip');
    assert.match(io.out, /^wrote .*shield-layer\.zip \(\d+ files, \d+ bytes\)\n$/);
    const buf = readFileSync(file);
    const entries = readZipDirectory(buf);
    const byName = new Map(entries.map((e) => [e.name, e]));
    const wrapper = byName.get('fnguard-shield');
    assert.ok(wrapper, 'exec wrapper at the layer root');
    assert.equal(wrapper.unixMode & 0o777, 0o755);
    assert.match(entryData(buf, wrapper).toString('utf8'), /^#!/);
    const register = byName.get('nodejs/node_modules/@fnguard/shield/dist/register.cjs');
    assert.ok(register, 'register.cjs in the package folder');
    const pkg = JSON.parse(entryData(buf, byName.get('nodejs/node_modules/@fnguard/shield/package.json') ?? wrapper).toString('utf8'));
    assert.equal(pkg.name, '@fnguard/shield');
    const src = entries.filter((e) => e.name.includes('/test/') || (/\.[cm]?ts$/.test(e.name) && !/\.d\.[cm]?ts$/.test(e.name)));
    assert.deepEqual(src, [], 'no tests or TypeScript sources in the layer');
  });

  test('default output is ./shield-layer.zip; a missing or unknown subcommand is a usage error', async () => {
    const cwd = tmpTree({});
    dirs.push(cwd);
    const io = captureIo(cwd);
    assert.equal(await run(['shield', 'layer'], io), 0, io.err);
    assert.ok(readZipDirectory(readFileSync(join(cwd, 'shield-layer.zip'))).length > 5);
    const bad = captureIo(cwd);
    assert.equal(await run(['shield', 'frob'], bad), 2);
    assert.match(bad.err, /expected 'layer'/);
    const none = captureIo(cwd);
    assert.equal(await run(['shield'], none), 2);
    const help = captureIo(cwd);
    assert.equal(await run(['shield', '--help'], help), 0);
    assert.match(help.out, /fnguard shield layer \[--out FILE\]/);
  });
});
