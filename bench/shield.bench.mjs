#!/usr/bin/env node
// @fnguard/shield overhead, printed (never pass/fail): cold start added by the preload, µs added per guarded fs
// call, and the overhead on an invocation loop of 100 file reads + one loopback HTTP call, each measured against
// the same program without the shield, in one run, on every Node binary available (system, node22/24/26 devDeps).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = join(root, 'packages', 'shield');
const register = join(pkg, 'dist', 'register.cjs');
if (!existsSync(register)) {
  console.log('build first: npx tsc -b packages/shield');
  process.exit(1);
}
const work = join(root, 'bench', '.generated', 'shield');
const tmp = join(work, 'tmp');
mkdirSync(tmp, { recursive: true });
writeFileSync(join(work, 'package.json'), '{"type":"commonjs"}');
writeFileSync(join(work, 'data.txt'), 'x'.repeat(100));
writeFileSync(join(tmp, 'data.txt'), 'y'.repeat(100));

const allBins = [{ name: `node${process.versions.node.split('.')[0]}`, path: process.execPath }];
for (const v of [22, 24, 26]) {
  const p = join(root, 'node_modules', `node${v}`, 'bin', 'node');
  if (existsSync(p)) allBins.push({ name: `node${v}`, path: p });
}
// FNGUARD_BENCH_NODES=node24,node26 limits the run; FNGUARD_BENCH_LOOP="pairs,blocks" sizes the loop figure.
const only = process.env.FNGUARD_BENCH_NODES?.split(',').filter(Boolean);
const bins = only ? allBins.filter((b) => only.includes(b.name)) : allBins;
const [loopPairs, loopBlocks] = (process.env.FNGUARD_BENCH_LOOP ?? '11,9').split(',').map(Number);

const policy = JSON.stringify({ mode: 'block', tmp: { mode: 'allow' }, tmpDir: tmp, taskRoot: work, network: { allow: ['127.0.0.1'] } });
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

function run(bin, args, shielded, env = {}) {
  const r = spawnSync(bin, [...(shielded ? ['--require', register] : []), ...args], {
    cwd: work,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, FNGUARD_SHIELD_POLICY: policy, ...env },
  });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')}: ${r.stderr}`);
  // the shield writes its JSON event lines (the start event) to stdout too: the figure is the last line
  return r.stdout.trim().split('\n').pop();
}

// Cold start: (a) wall time of `node -e 0` with and without the preload; (b) the preload's own time in-process.
const installProbe = join(work, 'install-time.cjs');
writeFileSync(
  installProbe,
  `const c = process.cpuUsage(); const t = process.hrtime.bigint(); require(${JSON.stringify(register)});
const u = process.cpuUsage(c); process.stdout.write(Number(process.hrtime.bigint() - t) / 1e6 + ' ' + (u.user + u.system) / 1e3);`,
);
// The Lambda runtime client loads node:http (so net, stream, dns) before the handler: what the shield adds there.
const runtimeProbe = join(work, 'install-after-http.cjs');
writeFileSync(
  runtimeProbe,
  `require('http'); const c = process.cpuUsage(); require(${JSON.stringify(register)});
const u = process.cpuUsage(c); process.stdout.write(String((u.user + u.system) / 1e3));`,
);
const fsProbe = join(work, 'fs-loop.cjs');
writeFileSync(
  fsProbe,
  `const fs = require('fs'); const f = process.argv[2]; const n = 20000;
for (let i = 0; i < 2000; i++) fs.readFileSync(f);
const c = process.cpuUsage(); for (let i = 0; i < n; i++) fs.readFileSync(f);
const u = process.cpuUsage(c); process.stdout.write(String((u.user + u.system) / n));`,
);
const loopProbe = join(work, 'invocation-loop.cjs');
// One process: 100 warm-up invocations, then BLOCKS blocks of 100; prints the median block's CPU per invocation
// (a block hit by a burst of load on the shared machine does not move the median).
writeFileSync(
  loopProbe,
  `const fs = require('fs'); const http = require('http');
const agent = new http.Agent({ keepAlive: true });
const port = Number(process.argv[2]); const blocks = Number(process.argv[3]);
const get = () => new Promise((res, rej) => http.get({ host: '127.0.0.1', port, path: '/', agent }, (r) => { r.resume(); r.on('end', res); }).on('error', rej));
async function invocation() { for (let i = 0; i < 100; i++) fs.readFileSync(__dirname + '/data.txt'); await get(); }
(async () => {
  for (let i = 0; i < 100; i++) await invocation();
  const per = [];
  for (let b = 0; b < blocks; b++) {
    const c = process.cpuUsage();
    for (let i = 0; i < 100; i++) await invocation();
    const u = process.cpuUsage(c); per.push((u.user + u.system) / 1e3 / 100);
  }
  per.sort((x, y) => x - y);
  process.stdout.write(String(per[Math.floor(per.length / 2)]));
  agent.destroy();
})();`,
);
// Cold start as CPU: the whole process's CPU time (bootstrap, preload, guard install) when the first user line runs.
const coldCpuProbe = ['-e', 'const u = process.cpuUsage(); process.stdout.write(String((u.user + u.system) / 1e3))'];
// The realistic case: the Lambda runtime client loads node:http (so net, stream) after the preload and before the
// handler; what the shield adds is then the process CPU once http is loaded, on both sides.
const coldHttpProbe = ['-e', "require('http'); const u = process.cpuUsage(); process.stdout.write(String((u.user + u.system) / 1e3))"];

// The loopback HTTP server runs in its own process: the probes are run with spawnSync, which blocks this one.
const server = spawn(
  process.execPath,
  ['-e', `const s = require('http').createServer((q, r) => r.end('ok')); s.listen(0, '127.0.0.1', () => console.log(s.address().port));`],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const port = await new Promise((resolve) => server.stdout.once('data', (d) => resolve(Number(String(d).trim()))));

// Runs with and without the shield alternate, in ABBA order (the side that runs first swaps every pair), so that
// a change in machine load hits both sides alike. The figure is the median of the per-pair differences, with the
// spread of those differences (25th to 75th percentile) next to it.
const quantile = (a, q) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))];
};
const pair = (bin, args, n = 7) => {
  const a = [];
  const b = [];
  for (let i = 0; i < n; i++) {
    if (i % 2 === 0) {
      a.push(Number(run(bin, args, false)));
      b.push(Number(run(bin, args, true)));
    } else {
      b.push(Number(run(bin, args, true)));
      a.push(Number(run(bin, args, false)));
    }
  }
  const d = a.map((x, i) => b[i] - x);
  const rel = a.map((x, i) => ((b[i] - x) / x) * 100);
  return { base: median(a), shielded: median(b), d: median(d), dLo: quantile(d, 0.25), dHi: quantile(d, 0.75), rel: median(rel), relLo: quantile(rel, 0.25), relHi: quantile(rel, 0.75), n };
};

const row = (label, r, unit, digits = 2) => {
  const f = (x) => `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`;
  console.log(
    `  ${label.padEnd(44)} ${r.base.toFixed(digits).padStart(9)} ${r.shielded.toFixed(digits).padStart(9)} ${unit.padEnd(4)} ${f(r.d)} (${r.rel >= 0 ? '+' : ''}${r.rel.toFixed(1)}%, IQR ${r.relLo.toFixed(1)}..${r.relHi.toFixed(1)}%, ${r.n} pairs)`,
  );
};

console.log(`load average: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
for (const bin of bins) {
  const version = spawnSync(bin.path, ['-v'], { encoding: 'utf8' }).stdout.trim();
  console.log(`\n${bin.name} ${version}                                 without      with`);
  const coldBase = [];
  const coldShield = [];
  for (let i = 0; i < 11; i++) {
    let t = performance.now();
    run(bin.path, ['-e', '0'], false);
    coldBase.push(performance.now() - t);
    t = performance.now();
    run(bin.path, ['-e', '0'], true);
    coldShield.push(performance.now() - t);
  }
  const wb = median(coldBase);
  const ws = median(coldShield);
  console.log(`  ${'cold start, wall time of `node -e 0` (median)'.padEnd(44)} ${wb.toFixed(2).padStart(9)} ${ws.toFixed(2).padStart(9)} ms   +${(ws - wb).toFixed(2)}`);
  row('cold start, process CPU at the first line', pair(bin.path, coldCpuProbe, 15), 'ms');
  row('  same, after require(http) (Lambda runtime)', pair(bin.path, coldHttpProbe, 15), 'ms');
  const installs = Array.from({ length: 9 }, () => run(bin.path, [installProbe], false).split(' ').map(Number));
  const installWall = median(installs.map((x) => x[0]));
  const installCpu = median(installs.map((x) => x[1]));
  console.log(`  ${'preload install, in-process wall (median)'.padEnd(44)} ${installWall.toFixed(2).padStart(19)} ms`);
  console.log(`  ${'preload install, in-process CPU (median)'.padEnd(44)} ${installCpu.toFixed(2).padStart(19)} ms`);
  const afterHttp = median(Array.from({ length: 9 }, () => Number(run(bin.path, [runtimeProbe], false))));
  console.log(`  ${'  same, node:http already loaded (CPU)'.padEnd(44)} ${afterHttp.toFixed(2).padStart(19)} ms`);
  row('readFileSync 100 B, allowed path (CPU)', pair(bin.path, [fsProbe, join(work, 'data.txt')]), 'µs');
  row('readFileSync 100 B under tmp, realpath (CPU)', pair(bin.path, [fsProbe, join(tmp, 'data.txt')]), 'µs');
  row('invocation: 100 reads + 1 HTTP call (CPU)', pair(bin.path, [loopProbe, String(port), String(loopBlocks)], loopPairs), 'ms', 3);
  console.log(`  load average after ${bin.name}: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
}
server.kill();
