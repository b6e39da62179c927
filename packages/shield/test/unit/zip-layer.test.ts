import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { buildLayerZip } from '../../src/layer.cjs';
import { crc32, zip } from '../../src/zip.cjs';
import { ensureBuilt, scratch } from '../helpers/env.js';

before(() => ensureBuilt());

test('crc32 matches known vectors', () => {
  assert.equal(crc32(Buffer.from('')), 0);
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
  assert.equal(crc32(Buffer.from('The quick brown fox jumps over the lazy dog')), 0x414fa339);
});

test('zip refuses unsafe names', () => {
  assert.throws(() => zip([{ name: '../x', data: Buffer.from('') }]), /unsafe/);
  assert.throws(() => zip([{ name: '/etc/x', data: Buffer.from('') }]), /unsafe/);
});

const hasUnzip = spawnSync('unzip', ['-v']).status === 0;

test('zip output is readable by unzip (stored and deflated entries, modes kept)', { skip: !hasUnzip && 'unzip not installed' }, () => {
  const dir = scratch('zip');
  const file = join(dir, 'a.zip');
  const big = Buffer.from('abc'.repeat(10000));
  writeFileSync(
    file,
    zip([
      { name: 'run.sh', data: Buffer.from('#!/bin/sh\necho hi\n'), mode: 0o755 },
      { name: 'd/big.txt', data: big },
      { name: 'd/tiny', data: Buffer.from('x') },
    ]),
  );
  const t = spawnSync('unzip', ['-t', file], { encoding: 'utf8' });
  assert.equal(t.status, 0, t.stdout + t.stderr);
  const out = join(dir, 'out');
  mkdirSync(out);
  assert.equal(spawnSync('unzip', ['-q', file, '-d', out]).status, 0);
  assert.deepEqual(readFileSync(join(out, 'd/big.txt')), big);
  assert.equal(statSync(join(out, 'run.sh')).mode & 0o777, 0o755);
});

test('buildLayerZip: wrapper at the root, package under nodejs/node_modules/@fnguard/shield', {
  skip: !hasUnzip && 'unzip not installed',
}, () => {
  const dir = scratch('layer');
  const out = join(dir, 'nested', 'shield-layer.zip');
  const r = buildLayerZip(out);
  assert.ok(existsSync(out) && r.bytes > 1000 && r.files > 10);
  const list = spawnSync('unzip', ['-Z1', out], { encoding: 'utf8' }).stdout.split('\n');
  for (const f of [
    'fnguard-shield',
    'nodejs/node_modules/@fnguard/shield/package.json',
    'nodejs/node_modules/@fnguard/shield/dist/register.cjs',
    'nodejs/node_modules/@fnguard/shield/dist/register.mjs',
    'nodejs/node_modules/@fnguard/shield/dist/runtime.cjs',
    'nodejs/node_modules/@fnguard/shield/dist/index.js',
    'nodejs/node_modules/@fnguard/shield/dist/flags-cli.cjs',
  ])
    assert.ok(list.includes(f), `${f} missing from ${list.join(',')}`);
  assert.ok(!list.some((f) => f.endsWith('.map') || f.includes('tsbuildinfo') || f.endsWith('.zip')));
  const x = join(dir, 'x');
  mkdirSync(x);
  assert.equal(spawnSync('unzip', ['-q', out, '-d', x]).status, 0);
  assert.equal(statSync(join(x, 'fnguard-shield')).mode & 0o111, 0o111, 'wrapper is executable');
});
