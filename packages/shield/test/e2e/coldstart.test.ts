// Cold-start verification end to end: a real handler directory signed with the fnguard CLI, then a Node process
// started with the shield's preload (and once through the exec wrapper) that loads the handler only when the code
// matches the bundle. On a mismatch the handler is never loaded and exactly one JSON line explains why.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { CHECKOUT_UNDER_TMP, ensureBuilt, type Json, ROOT, type RunResult, runNode, scratch, testPolicy, write } from '../helpers/env.js';

const FNGUARD = join(ROOT, 'packages', 'fnguard', 'src', 'cli', 'bin.ts');

function fnguard(...args: string[]): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', FNGUARD, ...args], { encoding: 'utf8', cwd: ROOT });
  if (r.status !== 0) throw new Error(`fnguard ${args.join(' ')} failed (${r.status}): ${r.stdout}${r.stderr}`);
  return r.stdout;
}

const RUNTIME = `'use strict';
// what the Lambda runtime does at init: load the handler module from the task root, then invoke it
const mod = require(process.env.LAMBDA_TASK_ROOT + '/index.js');
Promise.resolve(mod.handler({ ping: 1 })).then((r) => process.stdout.write('RESULT ' + JSON.stringify(r) + '\\n'));
`;

interface Fixture {
  dir: string;
  task: string;
  runtime: string;
  key: string;
  otherKey: string;
}

function makeTask(dir: string): string {
  const task = join(dir, 'task');
  mkdirSync(join(task, 'lib'), { recursive: true });
  write(
    join(task, 'index.js'),
    "process.stdout.write('HANDLER LOADED\\n');\nexports.handler = async (e) => ({ ok: require('./lib/util').ok, e });\n",
  );
  write(join(task, 'lib', 'util.js'), 'exports.ok = true;\n');
  write(join(task, 'bootstrap'), '#!/bin/sh\n');
  chmodSync(join(task, 'bootstrap'), 0o755);
  return task;
}

function integrityEvents(r: RunResult): Json[] {
  return r.events.filter((e) => e.event === 'integrity');
}

describe('cold-start code verification (FNGUARD_VERIFY)', () => {
  let fx: Fixture;
  before(() => {
    ensureBuilt();
    const dir = scratch('coldstart');
    write(join(dir, 'package.json'), '{"type":"commonjs"}\n');
    const task = makeTask(dir);
    fnguard('keygen', '--out', join(dir, 'ci'));
    fnguard('keygen', '--out', join(dir, 'other'), '--type', 'p256');
    fnguard('sign', task, '--key', join(dir, 'ci.key'), '--name', 'fn:orders');
    fx = { dir, task, runtime: write(join(dir, 'runtime.cjs'), RUNTIME), key: join(dir, 'ci.pub'), otherKey: join(dir, 'other.pub') };
  });

  const copyTask = (name: string) => {
    const t = join(fx.dir, name);
    cpSync(fx.task, t, { recursive: true, verbatimSymlinks: true });
    return t;
  };
  const start = (task: string, env: Record<string, string> = {}) =>
    runNode({
      file: fx.runtime,
      cwd: fx.dir,
      ...(CHECKOUT_UNDER_TMP ? { policy: testPolicy({}) } : {}),
      env: { LAMBDA_TASK_ROOT: task, FNGUARD_VERIFY: 'task', FNGUARD_VERIFY_KEY: fx.key, AWS_LAMBDA_FUNCTION_NAME: 'orders', ...env },
    });
  const refused = (r: RunResult, why: RegExp) => {
    const diag = `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
    assert.notEqual(r.status, 0, diag);
    assert.doesNotMatch(r.stdout, /HANDLER LOADED/, `the handler must not load\n${diag}`);
    assert.equal(r.result, undefined, diag);
    const evs = integrityEvents(r);
    assert.equal(evs.length, 1, `one integrity line\n${diag}`);
    const e = evs[0] as Json;
    assert.equal(e.fnguard_shield, true);
    assert.equal(e.ok, false);
    assert.equal(e.action, 'refuse');
    assert.equal(e.function, 'orders');
    assert.equal(typeof e.timestamp, 'string');
    assert.match(e.error, why, diag);
    assert.match(r.stderr, /code integrity check failed/);
  };

  test('signed code: the handler loads and runs; one ok line with the timing', async () => {
    const r = await start(fx.task, { FNGUARD_VERIFY_SUBJECT: 'fn:orders' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.result, { ok: true, e: { ping: 1 } });
    const [e] = integrityEvents(r);
    assert.equal(e?.ok, true);
    assert.equal(e?.subject, 'fn:orders');
    assert.equal(e?.files, 3);
    assert.equal(typeof e?.ms, 'number');
    assert.ok(
      r.events.some((x) => x.event === 'start'),
      'the shield itself starts after the check',
    );
  });

  test('a changed file: refused before the handler loads, naming the file', async () => {
    const t = copyTask('t-changed');
    appendFileSync(join(t, 'lib', 'util.js'), 'require("child_process").execSync("curl evil");\n');
    refused(await start(t), /changed file: lib\/util\.js/);
  });

  test('an added file, a missing file, a mode change', async () => {
    let t = copyTask('t-added');
    write(join(t, 'lib', 'inject.js'), 'x');
    refused(await start(t), /added file: lib\/inject\.js/);
    t = copyTask('t-missing');
    rmSync(join(t, 'lib', 'util.js'));
    refused(await start(t), /missing file: lib\/util\.js/);
    t = copyTask('t-mode');
    chmodSync(join(t, 'index.js'), 0o755);
    refused(await start(t), /mode change: index\.js 0644 -> 0755/);
  });

  test('wrong key, missing bundle, wrong subject, missing key configuration', async () => {
    refused(await start(fx.task, { FNGUARD_VERIFY_KEY: fx.otherKey }), /signature does not verify with the trusted key/);
    const t = copyTask('t-nobundle');
    rmSync(join(t, '.lambda-sig'), { recursive: true });
    refused(await start(t), /no bundle/);
    refused(await start(fx.task, { FNGUARD_VERIFY_SUBJECT: 'fn:payments' }), /signed for 'fn:orders', not for 'fn:payments'/);
    const r = await start(fx.task, { FNGUARD_VERIFY_KEY: '' });
    assert.notEqual(r.status, 0);
    assert.doesNotMatch(r.stdout, /HANDLER LOADED/);
    assert.match(integrityEvents(r)[0]?.error ?? '', /FNGUARD_VERIFY_KEY/);
  });

  test('bundle and key given inline in the environment (compact bundle of the zip)', async () => {
    const bundleFile = join(fx.dir, 'compact.json');
    fnguard('sign', fx.task, '--key', join(fx.dir, 'ci.key'), '--name', 'fn:orders', '--compact', '--output', bundleFile);
    const bundle = readFileSync(bundleFile, 'utf8');
    assert.ok(bundle.length < 3000, `a compact bundle fits in Lambda's 4 KB of environment (${bundle.length} bytes)`);
    const t = copyTask('t-envbundle');
    rmSync(join(t, '.lambda-sig'), { recursive: true });
    const ok = await start(t, { FNGUARD_VERIFY_BUNDLE: bundle, FNGUARD_VERIFY_KEY: readFileSync(fx.key, 'utf8') });
    assert.equal(ok.status, 0, ok.stderr);
    assert.deepEqual(ok.result, { ok: true, e: { ping: 1 } });
    appendFileSync(join(t, 'index.js'), '\n');
    refused(await start(t, { FNGUARD_VERIFY_BUNDLE: bundle }), /differs from the signed manifest/);
  });

  test('FNGUARD_VERIFY_FAIL=open logs the failure and lets the handler run', async () => {
    const t = copyTask('t-open');
    appendFileSync(join(t, 'index.js'), '\n');
    const r = await start(t, { FNGUARD_VERIFY_FAIL: 'open' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /HANDLER LOADED/);
    const [e] = integrityEvents(r);
    assert.equal(e?.ok, false);
    assert.equal(e?.action, 'continue');
  });

  test('not enabled: no verification, no integrity line', async () => {
    const t = copyTask('t-off');
    appendFileSync(join(t, 'index.js'), '\n');
    const r = await start(t, { FNGUARD_VERIFY: '' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(integrityEvents(r).length, 0);
  });

  test('layers in /opt: each layer ships its bundle; an unsigned file in /opt is refused', async () => {
    const opt = join(fx.dir, 'opt');
    const layer = (name: string, files: Record<string, string>) => {
      const d = join(fx.dir, `layer-${name}`);
      for (const [p, c] of Object.entries(files)) {
        mkdirSync(join(d, p, '..'), { recursive: true });
        write(join(d, p), c);
      }
      fnguard(
        'sign',
        d,
        '--key',
        join(fx.dir, 'ci.key'),
        '--name',
        `layer:${name}`,
        '--output',
        join(d, '.lambda-sig', `${name}.sigstore.json`),
      );
      cpSync(d, opt, { recursive: true });
    };
    layer('shared', { 'nodejs/node_modules/shared/index.js': 'module.exports = 1;\n' });
    layer('tools', { 'bin/tool': '#!/bin/sh\n', 'nodejs/node_modules/tools/index.js': 'module.exports = 2;\n' });
    const env = { FNGUARD_VERIFY: 'task,layers', FNGUARD_VERIFY_OPT: opt };
    const ok = await start(fx.task, env);
    assert.equal(ok.status, 0, ok.stderr);
    const evs = integrityEvents(ok);
    assert.deepEqual(
      evs.map((e) => [e.scope, e.ok]),
      [
        ['task', true],
        ['layers', true],
      ],
    );
    assert.equal(evs[1]?.subject, 'layer:shared,layer:tools');
    write(join(opt, 'nodejs', 'node_modules', 'shared', 'evil.js'), 'x');
    const r = await start(fx.task, env);
    assert.notEqual(r.status, 0);
    assert.doesNotMatch(r.stdout, /HANDLER LOADED/);
    const bad = integrityEvents(r).find((e) => e.scope === 'layers');
    assert.match(bad?.error ?? '', /layers: added file: nodejs\/node_modules\/shared\/evil\.js/);
  });

  test('through the exec wrapper (AWS_LAMBDA_EXEC_WRAPPER): refused the same way', async () => {
    const t = copyTask('t-wrapper');
    appendFileSync(join(t, 'lib', 'util.js'), '//\n');
    const wrapper = join(ROOT, 'packages', 'shield', 'layer', 'fnguard-shield');
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      LAMBDA_TASK_ROOT: t,
      FNGUARD_VERIFY: '1',
      FNGUARD_VERIFY_KEY: fx.key,
    };
    const r = await new Promise<{ status: number | null; stdout: string }>((res) => {
      const c = spawn('sh', [wrapper, process.execPath, fx.runtime], { cwd: fx.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      c.stdout.on('data', (d) => {
        stdout += d;
      });
      c.on('close', (status) => res({ status, stdout }));
    });
    assert.notEqual(r.status, 0);
    assert.doesNotMatch(r.stdout, /HANDLER LOADED/);
    assert.match(r.stdout, /"event":"integrity".*"changed file: lib\/util\.js"/);
  });
});
