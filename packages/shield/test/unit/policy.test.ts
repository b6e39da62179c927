import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isTightening, normalizePolicy, PolicyError, parsePolicyText } from '../../src/policy.cjs';

const env = { LAMBDA_TASK_ROOT: '/var/task' };

test('defaults: every policy blocks, runtime paths readable, runtime needs allowed', () => {
  const p = normalizePolicy({}, env, '/var/lang/bin/node');
  for (const k of [
    'network',
    'childProcess',
    'tmp',
    'fsWrite',
    'fsRead',
    'readHandler',
    'addons',
    'workers',
    'codeGeneration',
    'ffi',
    'inspector',
  ] as const)
    assert.equal(p[k].mode, 'block', k);
  assert.ok(p.fsRead.allow.includes('/var/task'));
  assert.ok(p.fsRead.allow.includes('/var/runtime'));
  assert.ok(p.fsRead.allow.includes('/var/lang'));
  assert.ok(!p.fsRead.allow.includes('/proc/self'), '/proc/self/environ holds credentials');
  assert.ok(p.addons.allow.includes('/var/runtime'));
  assert.equal(p.taskRoot, '/var/task');
  assert.equal(p.tmpDir, '/tmp');
  assert.ok(Object.isFrozen(p) && Object.isFrozen(p.network) && Object.isFrozen(p.network.allow));
});

test('top-level mode is the default for unspecified policies; string shorthand works', () => {
  const p = normalizePolicy(
    { mode: 'alert', network: { mode: 'block', allow: ['*.amazonaws.com', '10.0.0.0/8', 'api.example.com:443'] }, tmp: 'allow' },
    env,
  );
  assert.equal(p.childProcess.mode, 'alert');
  assert.equal(p.network.mode, 'block');
  assert.equal(p.tmp.mode, 'allow');
  assert.deepEqual(p.network.allow, ['*.amazonaws.com', '10.0.0.0/8', 'api.example.com:443']);
});

test('validation errors name the offending key', () => {
  const bad: [unknown, RegExp][] = [
    [[], /JSON object/],
    [{ mode: 'deny' }, /mode must be/],
    [{ netwrok: {} }, /unknown key "netwrok"/],
    [{ network: { mode: 'block', allow: 'x' } }, /network.allow must be an array/],
    [{ network: { allow: ['bad host!'] } }, /not a host/],
    [{ childProcess: { mode: 'block', allow: [] } }, /unknown key "childProcess.allow"/],
    [{ fsRead: { allow: ['relative/path'] } }, /absolute path/],
    [{ log: { rateLimit: 0 } }, /rateLimit/],
    [{ kernel: 'maybe' }, /kernel/],
    [{ kill: 'yes' }, /kill must be/],
    [{ tmpDir: '/' }, /tmpDir/],
  ];
  for (const [input, re] of bad)
    assert.throws(
      () => normalizePolicy(input, env),
      (e: unknown) => e instanceof PolicyError && re.test((e as Error).message),
      JSON.stringify(input),
    );
});

test('parsePolicyText: inline JSON, @file, bad JSON, relative @path', () => {
  assert.deepEqual(
    parsePolicyText(' {"mode":"alert"} ', () => ''),
    { mode: 'alert' },
  );
  assert.deepEqual(
    parsePolicyText('@/etc/policy.json', (p) => (p === '/etc/policy.json' ? '{"tmp":{"mode":"allow"}}' : '')),
    { tmp: { mode: 'allow' } },
  );
  assert.throws(() => parsePolicyText('{mode', () => ''), /not valid JSON/);
  assert.throws(() => parsePolicyText('@policy.json', () => ''), /absolute path/);
  assert.throws(
    () =>
      parsePolicyText('@/nope.json', () => {
        throw new Error('ENOENT');
      }),
    /cannot read policy file \/nope.json/,
  );
});

test('isTightening: stricter modes and subsets pass; relaxing anything fails', () => {
  const base = normalizePolicy({ mode: 'alert', network: { allow: ['a.com', 'b.com'] } }, env);
  assert.ok(isTightening(base, normalizePolicy({ mode: 'block', network: { allow: ['a.com'] } }, env)));
  assert.ok(isTightening(base, base));
  assert.ok(!isTightening(base, normalizePolicy({ mode: 'allow', network: { allow: ['a.com'] } }, env)));
  assert.ok(!isTightening(base, normalizePolicy({ mode: 'alert', network: { allow: ['a.com', 'c.com'] } }, env)));
  assert.ok(!isTightening(base, normalizePolicy({ mode: 'alert', network: { allow: ['a.com'], aws: true } }, env)));
  const kill = normalizePolicy({ kill: true }, env);
  assert.ok(!isTightening(kill, normalizePolicy({ kill: false }, env)));
  assert.ok(!isTightening(base, normalizePolicy({ mode: 'block', taskRoot: '/elsewhere' }, env)));
});
