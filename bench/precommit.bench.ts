/**
 * The pre-commit hook on a typical change: a git copy of examples/vulnerable/serverless-app where
 * serverless.yml and one handler are edited and staged; the hook's command
 * (`fnguard scan --quiet FILE...`, .pre-commit-hooks.yaml) runs in a fresh process on the staged
 * files, as pre-commit runs it. Prints wall-clock figures (process start included); never fails
 * on timing. Target (issue 8): under 2 s.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const bin = join(repo, 'packages', 'fnguard', 'bin', 'fnguard.js');
const dir = mkdtempSync(join(tmpdir(), 'fnguard-bench-precommit-'));
const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
try {
  cpSync(join(repo, 'examples', 'vulnerable', 'serverless-app'), dir, { recursive: true });
  git('init', '-q');
  git('-c', 'user.email=b@example.com', '-c', 'user.name=bench', 'add', '.');
  git('-c', 'user.email=b@example.com', '-c', 'user.name=bench', 'commit', '-qm', 'base');
  // the change: a new function in serverless.yml, a line in a handler
  const yml = join(dir, 'serverless.yml');
  writeFileSync(
    yml,
    readFileSync(yml, 'utf8').replace('functions:\n', 'functions:\n  health:\n    handler: src/orders.health\n    url: true\n'),
  );
  appendFileSync(join(dir, 'src', 'orders.js'), '\nexports.health = async () => ({ statusCode: 200 });\n');
  git('add', 'serverless.yml', 'src/orders.js');
  const staged = git('diff', '--cached', '--name-only').split('\n').filter(Boolean);

  const times: number[] = [];
  let code: number | null = null;
  let lines = 0;
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [bin, 'scan', '--quiet', ...staged], { cwd: dir, encoding: 'utf8' });
    times.push(performance.now() - t);
    code = r.status;
    lines = r.stdout.split('\n').length;
  }
  const full: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    spawnSync(process.execPath, [bin, 'scan', '--quiet', '.'], { cwd: dir });
    full.push(performance.now() - t);
  }
  const node: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    node.push(performance.now() - t);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  console.log(`staged files: ${staged.join(', ')} (exit ${code}, ${lines} lines of output)`);
  console.log(
    `pre-commit hook (fnguard scan --quiet FILE...): median ${med(times).toFixed(0)} ms, min ${sorted[0]?.toFixed(0)} ms, max ${sorted[sorted.length - 1]?.toFixed(0)} ms over ${times.length} runs (target < 2000 ms)`,
  );
  console.log(`whole project (fnguard scan --quiet .): median ${med(full).toFixed(0)} ms`);
  console.log(`bare node process start: median ${med(node).toFixed(0)} ms`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
