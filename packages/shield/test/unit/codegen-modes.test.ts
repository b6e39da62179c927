// codeGeneration follows the current policy, not the one the shield started with: a code policy that
// tightens an `allow` environment policy is enforced, and relaxing the default before sealing lets eval run.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { CHECKOUT_UNDER_TMP, DIST, ensureBuilt, type Json, runNode, scratch, write } from '../helpers/env.js';

before(() => ensureBuilt());

const INDEX = `file://${join(DIST, 'index.js')}`;
const OPS = `
const code = (e) => (e && e.code) || String(e);
const vm = require('vm');
const t = (f) => { try { return f(); } catch (e) { return code(e); } };
const ops = () => ({
  fn: t(() => new Function('return 7')()),
  vm: t(() => vm.runInThisContext('6 + 1')),
  eval: t(() => eval('3 + 4')),
});`;

async function run(name: string, body: string, policy?: unknown) {
  const dir = scratch(`codegen-${name}`);
  write(join(dir, 'package.json'), '{"type":"commonjs"}');
  const file = write(
    join(dir, 'main.js'),
    `${OPS}
import('${INDEX}').then((s) => { const r = {}; ${body}; process.stdout.write('RESULT ' + JSON.stringify(r) + '\\n'); });
`,
  );
  return runNode({ file, cwd: dir, policy });
}

test('allow at start, block from code: Function and vm are refused', async () => {
  const res = await run(
    'tighten',
    `r.before = ops(); s.protect({ mode: 'allow', codeGeneration: 'block', kernel: 'off', taskRoot: process.cwd() }); r.after = ops();`,
    { mode: 'allow', kernel: 'off' },
  );
  const r = res.result as Json;
  assert.deepEqual(r.before, { fn: 7, vm: 7, eval: 7 }, res.stdout + res.stderr);
  assert.equal(r.after.fn, 'ERR_FNGUARD_SHIELD_BLOCKED');
  assert.equal(r.after.vm, 'ERR_FNGUARD_SHIELD_BLOCKED');
  // eval can only be refused when codeGeneration is `block` at start-up (documented)
  assert.equal(r.after.eval, 7);
  assert.ok(res.events.some((e) => e.policy === 'codeGeneration' && e.mode === 'block'));
});

test('default policy relaxed to alert from code: eval runs again and is reported', {
  skip: CHECKOUT_UNDER_TMP ? 'needs the default policy, which guards /tmp, where this checkout lives' : false,
}, async () => {
  const res = await run(
    'relax',
    `r.before = ops(); s.protect({ mode: 'allow', codeGeneration: 'alert', kernel: 'off' }); r.after = ops();`,
  );
  const r = res.result as Json;
  assert.equal(r.before.eval, 'ERR_FNGUARD_SHIELD_BLOCKED', res.stdout + res.stderr);
  assert.equal(r.before.fn, 'ERR_FNGUARD_SHIELD_BLOCKED');
  assert.deepEqual(r.after, { fn: 7, vm: 7, eval: 7 });
  assert.ok(res.events.some((e) => e.policy === 'codeGeneration' && e.mode === 'alert' && e.details.api === 'eval'));
});

test('a code policy that names no tmpDir or taskRoot keeps the installed ones (it is not a relaxation)', async () => {
  const dir = scratch('inherit');
  const tmpDir = join(dir, 'fntmp');
  const res = await run(
    'inherit',
    `try { s.protect({ mode: 'allow', codeGeneration: 'block', kernel: 'off' }); r.accepted = true; } catch (e) { r.accepted = code(e); }
     try { s.protect({ mode: 'allow', codeGeneration: 'block', kernel: 'off', tmpDir: '/elsewhere' }); r.moved = true; } catch (e) { r.moved = code(e); }
     r.after = ops();`,
    { mode: 'allow', kernel: 'off', tmpDir, taskRoot: dir },
  );
  const r = res.result as Json;
  assert.equal(r.accepted, true, res.stdout + res.stderr);
  assert.equal(r.moved, 'ERR_FNGUARD_SHIELD_SEALED', 'naming another tmpDir is still refused');
  assert.equal(r.after.fn, 'ERR_FNGUARD_SHIELD_BLOCKED');
});
