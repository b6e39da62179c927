// Links planted under tmp: the guard lstats the components below the tmp directory and resolves the whole path
// when one is a symbolic link (a linked file, a linked directory, `..` through a link, a write through a link).
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { DIST, ensureBuilt, type Json, runNode, scratch, write } from '../helpers/env.js';

before(() => ensureBuilt());

test('symbolic links under tmp are followed before the policy is applied', async () => {
  const dir = scratch('tmp-links');
  const task = join(dir, 'task');
  const tmp = join(dir, 'tmp');
  mkdirSync(task);
  mkdirSync(join(tmp, 'a', 'b'), { recursive: true });
  write(join(task, 'index.js'), 'module.exports = "SECRET";\n');
  symlinkSync(task, join(tmp, 'dirlink'));
  symlinkSync(join(task, 'index.js'), join(tmp, 'a', 'b', 'flink'));
  write(join(tmp, 'a', 'b', 'plain.txt'), 'plain');
  const file = write(
    join(task, 'probe.cjs'),
    `const fs = require('fs');
require(${JSON.stringify(join(DIST, 'core.cjs'))}).seal();
const tmp = ${JSON.stringify(tmp)};
const r = {};
const t = (k, f) => { try { f(); r[k] = 'ok'; } catch (e) { r[k] = e.code; } };
t('dirLink', () => fs.readFileSync(tmp + '/dirlink/index.js'));
t('deepFileLink', () => fs.readFileSync(tmp + '/a/b/flink'));
t('dotDotThroughLink', () => fs.readFileSync(tmp + '/a/../dirlink/index.js'));
t('writeThroughDirLink', () => fs.writeFileSync(tmp + '/dirlink/evil.js', 'x'));
t('plainDeep', () => fs.readFileSync(tmp + '/a/b/plain.txt'));
t('newFile', () => fs.writeFileSync(tmp + '/a/new.txt', 'x'));
t('missingDir', () => fs.readFileSync(tmp + '/nope/x'));
process.stdout.write('RESULT ' + JSON.stringify(r) + '\\n');
`,
  );
  const res = await runNode({ file, cwd: task, policy: { mode: 'block', tmp: 'allow', tmpDir: tmp, taskRoot: task, kernel: 'off' } });
  const r = res.result as Json;
  assert.deepEqual(
    r,
    {
      dirLink: 'ERR_FNGUARD_SHIELD_BLOCKED',
      deepFileLink: 'ERR_FNGUARD_SHIELD_BLOCKED',
      dotDotThroughLink: 'ERR_FNGUARD_SHIELD_BLOCKED',
      writeThroughDirLink: 'ERR_FNGUARD_SHIELD_BLOCKED',
      plainDeep: 'ok',
      newFile: 'ok',
      missingDir: 'ENOENT',
    },
    res.stdout + res.stderr,
  );
});
