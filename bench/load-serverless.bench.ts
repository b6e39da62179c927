/** Serverless Framework adapter timings on a generated 270-function serverless.yml (prints figures; never pass/fail). */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../packages/fnguard/src/cli/run.js';
import { readTextWithin } from '../packages/fnguard/src/load/index.js';
import { serverlessAdapter } from '../packages/fnguard/src/load/serverless/index.js';
import type { LoadContext } from '../packages/fnguard/src/load/types.js';
import { parseYaml } from '../packages/fnguard/src/load/yaml/index.js';
import type { Diagnostic } from '../packages/fnguard/src/model/types.js';
import { writeServerlessProject } from './gen/serverless.js';

const dir = mkdtempSync(join(tmpdir(), 'fnguard-bench-sls-'));
const med = (xs: number[]) => (xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0).toFixed(1);
try {
  const file = writeServerlessProject(dir, 270);
  const text = readFileSync(file, 'utf8');
  const diagnostics: Diagnostic[] = [];
  const ctx: LoadContext = {
    root: dir,
    files: [],
    readText: (p) => readTextWithin(dir, p),
    diagnostic: (d) => diagnostics.push(d),
    env: {},
    opts: {},
  };
  const f = { path: file, rel: 'serverless.yml', kind: 'iac' as const, subtype: 'serverless', size: text.length };
  const times: number[] = [];
  let fns = 0;
  for (let i = 0; i < 12; i++) {
    const t0 = performance.now();
    const part = await serverlessAdapter.load([f], ctx);
    times.push(performance.now() - t0);
    fns = part.functions?.length ?? 0;
  }
  const parseT: number[] = [];
  for (let i = 0; i < 8; i++) {
    const t0 = performance.now();
    parseYaml(text, file);
    parseT.push(performance.now() - t0);
  }
  console.log(
    `serverless.yml (${text.split('\n').length} lines, ${fns} functions): adapter first ${times[0]?.toFixed(1)} ms, median warm ${med(times.slice(2))} ms (of which YAML parse ${med(parseT)} ms)`,
  );
  // the whole scan, in-process through the CLI (discovery, load, rules, report)
  const scanT: number[] = [];
  let out = '';
  for (let i = 0; i < 5; i++) {
    out = '';
    const t0 = performance.now();
    await run(['scan', dir, '--format', 'json', '--fail-on', 'none'], {
      stdout: (s) => {
        out += s;
      },
      stderr: () => {},
      cwd: dir,
      env: {},
      isTTY: false,
      writeFile: async () => {},
      readFile: async (p) => readFileSync(p, 'utf8'),
    });
    scanT.push(performance.now() - t0);
  }
  let findings = '?';
  try {
    findings = String((JSON.parse(out) as { findings: unknown[] }).findings.length);
  } catch {}
  console.log(`full scan (in-process CLI, json): first ${scanT[0]?.toFixed(1)} ms, median ${med(scanT.slice(1))} ms, ${findings} findings`);
  // a cold process, as a user runs it (needs `npm run build`)
  const bin = fileURLToPath(new URL('../packages/fnguard/bin/fnguard.js', import.meta.url));
  if (existsSync(fileURLToPath(new URL('../packages/fnguard/dist/cli-bundle/fnguard.js', import.meta.url)))) {
    const coldT: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      spawnSync(process.execPath, [bin, 'scan', dir, '--format', 'json', '--fail-on', 'none'], { stdio: 'ignore' });
      coldT.push(performance.now() - t0);
    }
    console.log(`full scan (cold process, node bin/fnguard.js scan): median ${med(coldT)} ms`);
  } else console.log('full scan (cold process): skipped, run `npm run build` first');
  console.log(`diagnostics: ${diagnostics.length}; heap used ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
