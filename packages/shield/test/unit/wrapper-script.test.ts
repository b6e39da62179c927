// The exec wrapper script (layer/fnguard-shield) on its own: NODE_OPTIONS it builds, chaining, failing closed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { ensureBuilt, PKG, scratch, write } from '../helpers/env.js';

const WRAPPER = join(PKG, 'layer', 'fnguard-shield');

function wrap(env: Record<string, string>, cmd = ['sh', '-c', 'printf %s "$NODE_OPTIONS"']) {
  return spawnSync('sh', [WRAPPER, ...cmd], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
  });
}

before(() => ensureBuilt());

test('without a policy: shield and code-generation flag first, user NODE_OPTIONS kept', () => {
  const r = wrap({ NODE_OPTIONS: '--max-old-space-size=100', AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^--require=\S+\/dist\/register\.cjs --disallow-code-generation-from-strings --max-old-space-size=100$/);
  assert.doesNotMatch(r.stdout, /--no-experimental-ffi/, 'the flag is a bad option before Node 26');
});

test('without a policy on a Node 26+ runtime: node:ffi switched off', () => {
  for (const rt of ['AWS_Lambda_nodejs26.x', 'AWS_Lambda_nodejs30.x']) {
    const r = wrap({ AWS_EXECUTION_ENV: rt });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /--disallow-code-generation-from-strings --no-experimental-ffi$/, rt);
  }
});

test('with a policy: flags computed for the running Node; an invalid policy refuses to start', () => {
  const ok = wrap({ FNGUARD_SHIELD_POLICY: '{"codeGeneration":"allow"}' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /--require=\S+register\.cjs/);
  assert.doesNotMatch(ok.stdout, /--disallow-code-generation-from-strings/);
  const bad = wrap({ FNGUARD_SHIELD_POLICY: '{"network":"sometimes"}' }, ['sh', '-c', 'echo RAN']);
  assert.notEqual(bad.status, 0);
  assert.doesNotMatch(bad.stdout, /RAN/);
  assert.match(bad.stderr, /network must be "block", "alert" or "allow"/);
});

test('chains to FNGUARD_SHIELD_NEXT_WRAPPER with the runtime command line', () => {
  const dir = scratch('wrapper-chain');
  const next = write(join(dir, 'next'), '#!/bin/sh\necho "next:$FNGUARD_SHIELD_NEXT_WRAPPER:$*"\nexec "$@"\n');
  spawnSync('chmod', ['+x', next]);
  const r = wrap({ FNGUARD_SHIELD_NEXT_WRAPPER: next }, ['sh', '-c', 'echo "runtime:$NODE_OPTIONS"']);
  assert.equal(r.status, 0, r.stderr);
  const [first, second] = r.stdout.trim().split('\n');
  assert.equal(first, 'next::sh -c echo "runtime:$NODE_OPTIONS"', 'the variable is unset for the next wrapper');
  assert.match(second!, /^runtime:--require=\S+register\.cjs/);
});
