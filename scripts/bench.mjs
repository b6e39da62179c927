#!/usr/bin/env node
// Runs every benchmark in bench/ (files named *.bench.ts / *.bench.mjs), one process each, printing their figures.
// Benchmarks print numbers; they never pass or fail on timing. Usage: npm run bench [-- name-substring ...]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeBin } from './node-bin.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const filters = process.argv.slice(2);
const dir = join(root, 'bench');
const files = readdirSync(dir)
  .filter((f) => /\.bench\.(ts|mts|mjs|js)$/.test(f))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
let failed = 0;
for (const f of files) {
  console.log(`\n=== ${f}`);
  const args = f.endsWith('ts') ? ['--import', 'tsx', join(dir, f)] : [join(dir, f)];
  const r = spawnSync(nodeBin, ['--expose-gc', ...args], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.log(`(benchmark ${f} exited with ${r.status})`);
  }
}
console.log(`\n${files.length} benchmark(s) run${failed ? `, ${failed} errored` : ''}`);
process.exit(failed ? 1 : 0);
