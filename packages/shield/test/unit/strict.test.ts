// Strict mode: Node permission-model flags generated per Node version, started through the exec wrapper, with
// rights dropped after start-up where process.permission.drop exists (24.21+, 26).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { before, describe, test } from 'node:test';
import { hasPermissionDrop, parseNodeVersion, permissionFlag, shieldFlags } from '../../src/flags.cjs';
import { normalizePolicy } from '../../src/policy.cjs';
import { ensureBuilt, type Json, nodeBinaries, PKG, scratch, testPolicy, write } from '../helpers/env.js';

test('permission flag spelling per version (research §1.1)', () => {
  assert.equal(permissionFlag(parseNodeVersion('v20.20.2')), '--experimental-permission');
  assert.equal(permissionFlag(parseNodeVersion('v22.12.0')), '--experimental-permission');
  assert.equal(permissionFlag(parseNodeVersion('v22.13.0')), '--permission');
  assert.equal(permissionFlag(parseNodeVersion('v24.21.0')), '--permission');
  assert.equal(hasPermissionDrop(parseNodeVersion('v24.20.0')), false);
  assert.equal(hasPermissionDrop(parseNodeVersion('v24.21.0')), true);
  assert.equal(hasPermissionDrop(parseNodeVersion('v25.9.0')), false);
  assert.equal(hasPermissionDrop(parseNodeVersion('v26.10.0')), true);
});

test('generated flags: one path per flag, grants follow the modes, net on 25+, ffi switch on 26', () => {
  const env = { LAMBDA_TASK_ROOT: '/var/task' };
  const p = normalizePolicy({ fsRead: { allow: ['/data/a', '/data/b'] }, tmp: 'allow' }, env, '/var/lang/bin/node');
  const f20 = shieldFlags(p, 'v20.20.2', true, '/opt/x/dist/register.cjs');
  assert.equal(f20[0], '--require=/opt/x/dist/register.cjs');
  assert.ok(f20.includes('--disallow-code-generation-from-strings'));
  assert.ok(f20.includes('--experimental-permission'));
  assert.ok(f20.includes('--allow-fs-read=/data/a') && f20.includes('--allow-fs-read=/data/b'));
  assert.ok(f20.includes('--allow-fs-read=/var/task') && f20.includes('--allow-fs-read=/opt/x'));
  assert.ok(f20.includes('--allow-fs-write=/tmp') && f20.includes('--allow-fs-read=/tmp'));
  assert.ok(!f20.some((x) => x.includes(',')), 'never a comma-separated list');
  assert.ok(!f20.includes('--allow-child-process') && !f20.includes('--allow-worker'));
  assert.ok(f20.includes('--allow-addons'));
  assert.ok(!f20.includes('--allow-net'));
  const f26 = shieldFlags(p, 'v26.10.0', true);
  assert.ok(f26.includes('--permission') && f26.includes('--allow-net') && f26.includes('--no-experimental-ffi'));
  const loose = normalizePolicy({ mode: 'alert' }, env);
  const fl = shieldFlags(loose, 'v24.21.0', true);
  assert.ok(
    fl.includes('--allow-fs-read=*') &&
      fl.includes('--allow-fs-write=*') &&
      fl.includes('--allow-child-process') &&
      fl.includes('--allow-worker'),
  );
  assert.ok(!fl.includes('--disallow-code-generation-from-strings'));
  assert.deepEqual(shieldFlags(p, 'v24.21.0', false, '/r.cjs'), ['--require=/r.cjs', '--disallow-code-generation-from-strings']);
  assert.match(shieldFlags(p, 'v24.21.0', false, '/with space/r.cjs')[0]!, /^--require="\/with space\/r\.cjs"$/);
});

describe('strict mode through the exec wrapper', () => {
  before(() => ensureBuilt());
  for (const bin of nodeBinaries().bins) {
    test(`${bin.name}: permission model on, ungranted reads denied natively, rights dropped after sealing where possible`, async () => {
      const dir = scratch(`strict-${bin.name}`);
      write(join(dir, 'package.json'), '{"type":"commonjs"}');
      const file = write(
        join(dir, 'main.js'),
        `
const fs = require('fs');
const r = { hasPermission: !!process.permission };
r.readOwnDir = fs.readdirSync(__dirname).includes('main.js');
r.fsReadEtcPasswd = process.permission.has('fs.read', '/etc/passwd');
r.child = process.permission.has('child');
r.addonBefore = process.permission.has('addon');
import('${`file://${join(PKG, 'dist', 'index.js')}`}').then((s) => {
  s.seal();
  r.addonAfter = process.permission.has('addon');
  try { fs.readFileSync('/etc/passwd'); r.read = 'read'; } catch (e) { r.read = e.code; }
  process.stdout.write('RESULT ' + JSON.stringify(r) + '\\n');
});
`,
      );
      const policy = { mode: 'block', fsRead: { mode: 'block', allow: [dir] }, kernel: 'off', taskRoot: dir };
      const env = {
        PATH: `${dirname(bin.path)}:${process.env.PATH}`,
        FNGUARD_SHIELD_POLICY: JSON.stringify(testPolicy(policy)),
        FNGUARD_SHIELD_STRICT: '1',
      };
      const child = spawn('sh', [join(PKG, 'layer', 'fnguard-shield'), bin.path, file], { cwd: dir, env });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => {
        out += d;
      });
      child.stderr.on('data', (d) => {
        err += d;
      });
      await new Promise((r) => child.on('close', r));
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      assert.ok(line, `${out}\n${err}`);
      const r = JSON.parse(line.slice(7)) as Json;
      assert.equal(r.hasPermission, true);
      assert.equal(r.readOwnDir, true);
      assert.equal(r.fsReadEtcPasswd, false);
      assert.equal(r.child, false);
      // Node 20 has no 'addon' scope in has() (it returns false) although --allow-addons works.
      if (bin.major >= 22) {
        assert.equal(r.addonBefore, true, 'addons are granted for the runtime client');
        assert.equal(r.addonAfter, !hasPermissionDrop(parseNodeVersion(`v${bin.major}.21`)), 'dropped after sealing where drop() exists');
      }
      assert.equal(r.read, 'ERR_FNGUARD_SHIELD_BLOCKED', 'the JS layer reports first');
    });
  }
});
