// Kernel layer: the seccomp no-exec addon (native/noexec.c) detected at cold start, locked when the shield seals,
// stopping exec even from native code the JS guard cannot see; clean fallback when the addon is missing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { addonCandidates } from '../../src/kernel.cjs';
import { DIST, ensureBuilt, type Json, nodeBinaries, PKG, runNode, scratch, write } from '../helpers/env.js';

const built = addonCandidates().some((f) => existsSync(f));
const hasCc = spawnSync('sh', ['-c', 'command -v cc'], { encoding: 'utf8' }).status === 0;

function pwnAddon(dir: string, name: string): string {
  const c = join(dir, `${name}.c`);
  writeFileSync(
    c,
    `#include <stdlib.h>\n__attribute__((constructor)) static void pwn(void) { system("echo pwned > \\"$ATTACK_MARKER.${name}\\""); }\n`,
  );
  const out = join(dir, `${name}.node`);
  const r = spawnSync('cc', ['-shared', '-fPIC', '-o', out, c], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return out;
}

describe('seccomp no-exec layer', {
  skip: (!built && 'addon not built (npm run build:native -w @fnguard/shield)') || (!hasCc && 'no C compiler for the test addon'),
}, () => {
  before(() => ensureBuilt());
  for (const bin of nodeBinaries().bins) {
    test(`${bin.name}: available at cold start, locked at seal; native code can no longer exec`, async () => {
      const dir = scratch(`kernel-${bin.name}`);
      write(join(dir, 'package.json'), '{"type":"commonjs"}');
      pwnAddon(dir, 'before');
      pwnAddon(dir, 'after');
      const marker = join(dir, 'm');
      const file = write(
        join(dir, 'main.js'),
        `
const fs = require('fs');
const r = {};
try { process.dlopen({ exports: {} }, __dirname + '/before.node'); } catch {}
r.before = fs.existsSync(process.env.ATTACK_MARKER + '.before');
import('${`file://${join(DIST, 'index.js')}`}').then((s) => {
  s.seal();
  try { process.dlopen({ exports: {} }, __dirname + '/after.node'); } catch {}
  r.after = fs.existsSync(process.env.ATTACK_MARKER + '.after');
  r.workerStillWorks = typeof require('worker_threads').Worker === 'function';
  process.stdout.write('RESULT ' + JSON.stringify(r) + '\\n');
});
`,
      );
      const res = await runNode({
        bin: bin.path,
        file,
        cwd: dir,
        env: { ATTACK_MARKER: marker },
        policy: { mode: 'allow', childProcess: { mode: 'block' }, kernel: 'auto' },
      });
      const start = res.events.find((e) => e.event === 'start');
      assert.equal(start?.layers?.kernel, 'available', res.stdout + res.stderr);
      const lock = res.events.find((e) => e.event === 'kernel');
      assert.equal(lock?.status, 'locked', res.stdout);
      const r = res.result as Json;
      assert.equal(r.before, true, 'before sealing, the addon constructor could exec (control)');
      assert.equal(r.after, false, 'after sealing, exec from native code fails (EPERM)');
    });
  }

  test('clean fallback: without the addon, auto mode reports "unavailable" and runs; require mode refuses to start', async () => {
    const dir = scratch('kernel-missing');
    const pkg = join(dir, 'pkg');
    mkdirSync(pkg);
    cpSync(join(PKG, 'dist'), join(pkg, 'dist'), { recursive: true });
    cpSync(join(PKG, 'package.json'), join(pkg, 'package.json'));
    write(join(dir, 'package.json'), '{"type":"commonjs"}');
    const file = write(join(dir, 'main.js'), 'process.stdout.write(\'RESULT "ran"\\n\');\n');
    const reg = join(pkg, 'dist', 'register.cjs');
    const auto = await runNode({
      file,
      cwd: dir,
      preload: 'none',
      nodeArgs: ['--require', reg],
      policy: { mode: 'allow', kernel: 'auto' },
    });
    assert.equal(auto.result, 'ran');
    const start = auto.events.find((e) => e.event === 'start');
    assert.equal(start?.layers?.kernel, 'unavailable');
    assert.equal(start?.layers?.kernelReason, 'addon not built');
    const req = await runNode({
      file,
      cwd: dir,
      preload: 'none',
      nodeArgs: ['--require', reg],
      policy: { mode: 'allow', kernel: 'require' },
    });
    assert.notEqual(req.status, 0);
    assert.equal(req.result, undefined);
    assert.match(req.stderr, /kernel layer required but unavailable: addon not built/);
  });
});
