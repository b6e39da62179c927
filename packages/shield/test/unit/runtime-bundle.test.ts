// The bundled preload runtime (dist/runtime.cjs) and its V8 code cache: every entry point shares one instance of
// the shield, the cache is used where the build made one, and a refused, damaged or missing cache only costs a
// normal compile: the shield still blocks. Runs on every Node binary of the test matrix.
import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { DIST, ensureBuilt, nodeBinaries, PKG, runNode, scratch, write } from '../helpers/env.js';

before(() => ensureBuilt());

const { bins } = nodeBinaries();
const POLICY = { mode: 'allow', childProcess: { mode: 'block' }, kernel: 'off' };

/** A program that checks the instance and tries a blocked operation; `dist` is the copy of dist/ preloaded. */
function probe(dir: string, dist: string): string {
  return write(
    join(dir, 'probe.cjs'),
    `const core = require(${JSON.stringify(join(dist, 'core.cjs'))});
const policy = require(${JSON.stringify(join(dist, 'policy.cjs'))});
const r = {};
r.installed = core.isInstalled();
r.sameModule = core === policy && core === require(${JSON.stringify(join(dist, 'runtime.cjs'))});
r.runtimeModules = Object.keys(require.cache).filter((k) => k.startsWith(${JSON.stringify(dist)})).map((k) => k.slice(${dist.length + 1})).sort();
try { require('node:child_process').execSync('true'); r.exec = 'ran'; } catch (e) { r.exec = e.code; }
import(${JSON.stringify(`file://${join(dist, 'index.js')}`)}).then((m) => {
  r.indexInstalled = m.status().installed;
  process.stdout.write('RESULT ' + JSON.stringify(r) + '\\n');
});
`,
  );
}

/** A copy of the package (dist/ and package.json; no native addon) to damage. */
function copyPackage(name: string): { root: string; dist: string } {
  const root = scratch(name);
  cpSync(DIST, join(root, 'dist'), { recursive: true });
  cpSync(join(PKG, 'package.json'), join(root, 'package.json'));
  return { root, dist: join(root, 'dist') };
}

async function runWith(bin: string, dist: string, dir: string) {
  const res = await runNode({
    bin,
    file: probe(dir, dist),
    cwd: dir,
    preload: 'none',
    policy: POLICY,
    nodeArgs: ['--require', join(dist, 'register.cjs')],
  });
  assert.ok(res.result, `${res.stdout}\n${res.stderr}`);
  const start = res.events.find((e) => e.event === 'start');
  return { result: res.result, start, events: res.events };
}

test('register.cjs loads two files and every entry point shares its instance; the build made a code cache for it', async () => {
  const caches = existsSync(join(DIST, 'runtime-cache')) ? readdirSync(join(DIST, 'runtime-cache')) : [];
  assert.match(readFileSync(join(DIST, 'core.cjs'), 'utf8'), /require\("\.\/runtime\.cjs"\)/);
  for (const bin of bins) {
    const dir = scratch(`bundle-${bin.name}`);
    const { result, start, events } = await runWith(bin.path, DIST, dir);
    assert.equal(result.installed, true, bin.name);
    assert.equal(result.indexInstalled, true, `${bin.name}: the ESM index sees the preloaded shield`);
    assert.equal(result.sameModule, true, bin.name);
    assert.equal(result.exec, 'ERR_FNGUARD_SHIELD_BLOCKED', bin.name);
    assert.equal(events.filter((e) => e.event === 'start').length, 1, `${bin.name}: installed once`);
    for (const m of result.runtimeModules as string[])
      assert.ok(['register.cjs', 'runtime.cjs', 'core.cjs', 'policy.cjs'].includes(m), `${bin.name}: ${m} loaded`);
    const version = (
      await runNode({
        bin: bin.path,
        file: write(join(dir, 'v.cjs'), 'process.stdout.write("RESULT " + JSON.stringify(process.version))'),
        preload: 'none',
      })
    ).result;
    const made = caches.some((f) => f.includes(`-${version}-${process.arch}-plain.bin`));
    if (process.env.FNGUARD_SHIELD_NO_CODE_CACHE !== '1') assert.ok(made, `${bin.name}: no cache among ${caches.join(', ')}`);
    assert.equal(start?.codeCache, made ? 'used' : 'none', bin.name);
  }
});

test('a damaged code cache is refused by V8 and a missing one is skipped: the shield still loads and blocks', async () => {
  const damaged = copyPackage('bundle-damaged');
  for (const f of readdirSync(join(damaged.dist, 'runtime-cache'))) {
    const p = join(damaged.dist, 'runtime-cache', f);
    const b = readFileSync(p);
    for (let i = 0; i < b.length; i += 7) b[i] ^= 0x5a;
    writeFileSync(p, b);
  }
  const missing = copyPackage('bundle-missing');
  rmSync(join(missing.dist, 'runtime-cache'), { recursive: true, force: true });
  for (const bin of bins) {
    const d = await runWith(bin.path, damaged.dist, scratch(`bundle-damaged-${bin.name}`));
    assert.equal(d.start?.codeCache, 'rejected', bin.name);
    assert.equal(d.result.exec, 'ERR_FNGUARD_SHIELD_BLOCKED', bin.name);
    assert.equal(d.result.sameModule, true, bin.name);
    const m = await runWith(bin.path, missing.dist, scratch(`bundle-missing-${bin.name}`));
    assert.equal(m.start?.codeCache, 'none', bin.name);
    assert.equal(m.result.exec, 'ERR_FNGUARD_SHIELD_BLOCKED', bin.name);
    assert.equal(m.result.sameModule, true, bin.name);
  }
});
