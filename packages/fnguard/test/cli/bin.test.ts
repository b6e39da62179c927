import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { run } from '../../src/cli/run.js';
import type { Result } from '../../src/engine/types.js';
import { captureIo } from '../helpers/cliIo.js';
import { PKG_DIR, REPO_DIR } from '../helpers/index.js';

/** The executable users run: bin/fnguard.js loads the bundle built by `npm run build`. */
const BIN = join(PKG_DIR, 'bin', 'fnguard.js');
const BUNDLE = join(PKG_DIR, 'dist', 'cli-bundle', 'fnguard.js');

test('the bundled CLI is built (npm run build bundles it after tsc -b)', () => {
  assert.ok(existsSync(BUNDLE), `${BUNDLE} is missing: run \`npm run build\` at the repository root`);
});

test('bin/fnguard.js runs the bundled CLI in a real process (exit codes propagate)', () => {
  const v = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8' });
  assert.equal(v.status, 0, v.stderr);
  assert.match(v.stdout, /^\d+\.\d+\.\d+\n$/);
  const bad = spawnSync(process.execPath, [BIN, 'scan', '--nope'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /fnguard: .*--nope/);
  const help = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
  for (const name of ['db', 'keygen', 'policy', 'rules', 'scan', 'shield', 'sign', 'verify'])
    assert.match(help.stdout, new RegExp(`^  ${name} `, 'm'), `--help lists ${name}`);
});

test('the source entry (src/cli/bin.ts) runs too', () => {
  const v = spawnSync(process.execPath, ['--import', 'tsx', join(PKG_DIR, 'src', 'cli', 'bin.ts'), '--version'], { encoding: 'utf8' });
  assert.equal(v.status, 0, v.stderr);
});

/** Timing fields differ between runs. */
function withoutTimings(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTimings);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !/Ms$/.test(k) && k !== 'timings')
        .map(([k, v]) => [k, withoutTimings(v)]),
    );
  return value;
}

// The bundle finds its data files (IAM managed policies, SAM policy templates, runtime dates, the
// IAM catalogue) and its lazily loaded packages: its results equal the source's on every example.
for (const app of ['vulnerable/sam-app', 'vulnerable/serverless-app', 'vulnerable/terraform-app', 'vulnerable/cdk-app']) {
  test(`the bundled CLI and the source give the same JSON on examples/${app}`, async () => {
    const args = ['scan', join('examples', app), '--format', 'json', '--fail-on', 'none'];
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO_DIR, encoding: 'utf8', maxBuffer: 1 << 26 });
    assert.equal(r.status, 0, r.stderr);
    const io = captureIo(REPO_DIR);
    assert.equal(await run(args, io), 0);
    const bundled = JSON.parse(r.stdout) as Result;
    assert.ok(bundled.findings.length > 0);
    assert.deepEqual(withoutTimings(bundled), withoutTimings(JSON.parse(io.out)));
  });
}

test('the version constant matches package.json', async () => {
  const { VERSION } = await import('../../src/version.js');
  const pkg = JSON.parse(readFileSync(join(PKG_DIR, 'package.json'), 'utf8')) as { version: string };
  assert.equal(VERSION, pkg.version);
});

test('modules find data files through src/dataFile.ts, not their own import.meta.url (the bundle moves them)', () => {
  const offenders: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && e.name !== 'dataFile.ts')
        for (const [i, line] of readFileSync(p, 'utf8').split('\n').entries())
          if (line.includes('import.meta.url') && !line.includes('createRequire(import.meta.url)')) offenders.push(`${p}:${i + 1}`);
    }
  };
  walk(join(PKG_DIR, 'src'));
  assert.deepEqual(offenders, []);
});
