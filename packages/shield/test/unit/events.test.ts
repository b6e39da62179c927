// Event lines: FunctionShield-compatible superset, offending frame with package name, rate limit and de-duplication,
// CloudWatch EMF fields, hooks that cannot change enforcement.
import assert from 'node:assert/strict';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { blockedError, createReporter, packageOf } from '../../src/events.cjs';
import { normalizePolicy } from '../../src/policy.cjs';
import { type Json, scratch } from '../helpers/env.js';

function reporterTo(file: string, input: Json, hooks: ((e: Json) => void)[] = []) {
  const fd = openSync(file, 'w');
  const policy = normalizePolicy(input, { LAMBDA_TASK_ROOT: '/var/task' });
  const killed: Json[] = [];
  const rep = createReporter({ policy: () => policy, requestId: () => 'rid-1', hooks: () => hooks, kill: (e) => killed.push(e), fd });
  const lines = () => {
    closeSync(fd);
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  };
  return { rep, lines, killed };
}

test('packageOf names the package of a node_modules frame (scoped too)', () => {
  assert.equal(packageOf('/var/task/node_modules/left-pad/index.js'), 'left-pad');
  assert.equal(packageOf('/var/task/node_modules/a/node_modules/@evil/pkg/x.js'), '@evil/pkg');
  assert.equal(packageOf('/var/task/index.js'), null);
});

test('event line: superset of the FunctionShield format, with frame and request id', () => {
  const dir = scratch('events');
  const { rep, lines } = reporterTo(join(dir, 'out'), {});
  rep.report('network', 'block', { host: 'evil.example', port: 443 });
  const [e] = lines();
  assert.equal(e.fnguard_shield, true);
  assert.equal(e.function_shield, true);
  assert.equal(e.policy, 'network');
  assert.equal(e.mode, 'block');
  assert.equal(e.requestId, 'rid-1');
  assert.deepEqual(e.details, { host: 'evil.example', port: 443 });
  assert.ok(!Number.isNaN(Date.parse(e.timestamp)));
  assert.match(e.frame.file, /events\.test\.ts$/);
  assert.equal(typeof e.frame.line, 'number');
});

test('rate limit: at most log.rateLimit lines per second; the next line reports how many were suppressed', async () => {
  const dir = scratch('events-rate');
  const { rep, lines } = reporterTo(join(dir, 'out'), { log: { rateLimit: 5 } });
  for (let i = 0; i < 500; i++) rep.report('childProcess', 'block', { path: `/bin/x${i}` });
  await new Promise((r) => setTimeout(r, 1050));
  rep.report('childProcess', 'block', { path: '/bin/late' });
  const out = lines();
  assert.equal(out.length, 6);
  assert.equal(out[5].suppressed, 495);
  assert.equal(rep.counts.total, 501, 'every event is counted even when not written');
});

test('identical events are de-duplicated', () => {
  const dir = scratch('events-dedupe');
  const { rep, lines } = reporterTo(join(dir, 'out'), {});
  for (let i = 0; i < 50; i++) rep.report('tmp', 'alert', { path: '/tmp/same' });
  assert.equal(lines().length, 1);
});

test('EMF fields when log.emf is on; hooks see events and cannot break enforcement; kill callback on blocks', () => {
  const dir = scratch('events-emf');
  const seen: Json[] = [];
  const { rep, lines, killed } = reporterTo(join(dir, 'out'), { log: { emf: true }, kill: true }, [
    (e) => seen.push(e),
    () => {
      throw new Error('bad hook');
    },
  ]);
  rep.report('workers', 'alert', { eval: true });
  rep.report('workers', 'block', { eval: false });
  const [a] = lines();
  assert.equal(a.Violations, 1);
  assert.equal(a._aws.CloudWatchMetrics[0].Namespace, 'fnguard/shield');
  assert.deepEqual(a._aws.CloudWatchMetrics[0].Dimensions, [['policy', 'mode']]);
  assert.equal(seen.length, 2);
  assert.ok(Object.isFrozen(seen[0]));
  assert.equal(killed.length, 1, 'kill only for blocks');
});

test('blockedError carries code, policy and details', () => {
  const e = blockedError('fsRead', 'read of /etc/shadow', { path: '/etc/shadow' });
  assert.equal(e.code, 'ERR_FNGUARD_SHIELD_BLOCKED');
  assert.equal(e.policy, 'fsRead');
  assert.match(e.message, /read of \/etc\/shadow/);
});
