import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PKG_DIR } from '../helpers/index.js';

test('the bin entry runs the CLI in a real process (exit codes propagate)', () => {
  const bin = join(PKG_DIR, 'src', 'cli', 'bin.ts');
  const v = spawnSync(process.execPath, ['--import', 'tsx', bin, '--version'], { encoding: 'utf8' });
  assert.equal(v.status, 0, v.stderr);
  assert.match(v.stdout, /^\d+\.\d+\.\d+\n$/);
  const bad = spawnSync(process.execPath, ['--import', 'tsx', bin, 'scan', '--nope'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /fnguard: .*--nope/);
});

test('the version constant matches package.json', async () => {
  const { VERSION } = await import('../../src/version.js');
  const pkg = JSON.parse(readFileSync(join(PKG_DIR, 'package.json'), 'utf8')) as { version: string };
  assert.equal(VERSION, pkg.version);
});
