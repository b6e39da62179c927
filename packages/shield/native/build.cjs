#!/usr/bin/env node
// Optional install step: builds native/build/Release/noexec.node with node-gyp when a compiler is present.
// It never fails the install: without a compiler (or on failure) the shield runs without its kernel layer.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const path = require('node:path');

function log(msg) {
  process.stderr.write(`@fnguard/shield native: ${msg}\n`);
}

function main() {
  if (process.env.FNGUARD_SHIELD_SKIP_NATIVE === '1') return log('skipped (FNGUARD_SHIELD_SKIP_NATIVE=1)');
  if (process.platform !== 'linux') return log(`skipped (platform ${process.platform})`);
  const cc = spawnSync('sh', ['-c', 'command -v cc || command -v gcc || command -v clang'], { encoding: 'utf8' });
  if (cc.status !== 0 || !cc.stdout.trim()) return log('skipped (no C compiler)');
  const candidates = [
    process.env.npm_config_node_gyp,
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ].filter(Boolean);
  const gyp = candidates.find((p) => existsSync(p));
  if (!gyp) return log('skipped (node-gyp not found)');
  const args = [gyp, 'rebuild', `--directory=${__dirname}`];
  // Offline machines: use the headers installed next to node (or npm's nodedir) instead of downloading them.
  const prefix = process.env.npm_config_nodedir || path.join(path.dirname(process.execPath), '..');
  if (existsSync(path.join(prefix, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${prefix}`);
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: 180000 });
  if (r.status === 0 && existsSync(path.join(__dirname, 'build', 'Release', 'noexec.node'))) return log('built build/Release/noexec.node');
  log(`build failed (the shield works without its kernel layer): ${(r.stderr || String(r.error || '')).split('\n').slice(-3).join(' ')}`);
}

/** V8 code caches of the bundled runtime for this Node (dist/runtime-cache/, see src/runtime-loader.cts). */
function codeCache() {
  const producer = path.join(__dirname, '..', 'dist', 'runtime-cache.cjs');
  if (!existsSync(path.join(__dirname, '..', 'dist', 'runtime.cjs')) || !existsSync(producer)) return;
  const r = spawnSync(process.execPath, [producer, '--all-flags'], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: 60000 });
  if (r.status === 0) log('code cache written for this Node (dist/runtime-cache/)');
  else log(`no code cache (the shield works without it): ${(r.stderr || String(r.error || '')).trim().split('\n').pop()}`);
}

try {
  main();
} catch (e) {
  log(`build skipped: ${e && e.message}`);
}
try {
  codeCache();
} catch (e) {
  log(`code cache skipped: ${e && e.message}`);
}
process.exitCode = 0;
