/**
 * Discovery on a generated tree of 20,000 files (plus a pruned node_modules of 20,000 more and a
 * .gitignore), and the whole scan() pipeline on it. Prints figures; never fails on timing.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { discover } from '../packages/fnguard/src/discover/discover.js';
import { scan } from '../packages/fnguard/src/scan.js';

const root = mkdtempSync(join(tmpdir(), 'fnguard-bench-discover-'));
const kinds = ['js', 'ts', 'py', 'json', 'yml', 'md', 'txt', 'png'];
let n = 0;
for (let s = 0; s < 100; s++) {
  for (let d = 0; d < 10; d++) {
    const dir = join(root, `svc${s}`, `mod${d}`);
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < 20; f++) {
      const ext = kinds[(s + d + f) % kinds.length] as string;
      const body = ext === 'json' ? '{"a":1}' : ext === 'yml' ? 'key: value\n' : ext === 'png' ? '\x89PNG\x00\x00' : `// file ${n}\n`;
      writeFileSync(join(dir, `f${f}.${ext}`), body);
      n++;
    }
  }
  if (s % 10 === 0) writeFileSync(join(root, `svc${s}`, 'serverless.yml'), 'service: s\nprovider: { name: aws }\n');
}
for (let p = 0; p < 200; p++) {
  const dir = join(root, 'node_modules', `pkg${p}`, 'lib');
  mkdirSync(dir, { recursive: true });
  for (let f = 0; f < 100; f++) writeFileSync(join(dir, `f${f}.js`), '');
}
writeFileSync(join(root, '.gitignore'), '*.txt\nsvc9*/mod9/\n');

const runs: number[] = [];
let files = 0;
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  const r = await discover(root);
  runs.push(performance.now() - t);
  files = r.files.length;
}
runs.sort((a, b) => a - b);
console.log(`discover: ${n} files generated (+20,000 in node_modules, pruned), ${files} kept after .gitignore`);
console.log(`discover: median ${runs[2]?.toFixed(1)} ms, min ${runs[0]?.toFixed(1)} ms over 5 runs`);
const t = performance.now();
const res = await scan({ root });
console.log(
  `scan() on the same tree: ${(performance.now() - t).toFixed(1)} ms (${res.summary.filesScanned} files, ${res.summary.functions} functions, ${res.findings.length} findings)`,
);
console.log(`peak RSS ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`);
rmSync(root, { recursive: true, force: true });
