/**
 * The composite GitHub Action (action.yml at the repository root): its inputs mirror real
 * `fnguard scan` flags, the SARIF goes to github/codeql-action/upload-sarif, and its steps'
 * script (scripts/github-action.sh) run for real here with the environment GitHub gives it
 * ($GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY, INPUT_* variables): annotations capped at 10, the
 * markdown summary, outputs, the exit code, and no shell injection through inputs.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { OPTIONS } from '../../src/cli/commands/scan.js';
import { REPO_DIR, rmTree, tmpTree } from '../helpers/index.js';

interface ActionYml {
  runs: {
    using: string;
    steps: { id?: string; uses?: string; run?: string; env?: Record<string, string>; with?: Record<string, string> }[];
  };
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { value: string }>;
}

const action = parse(readFileSync(join(REPO_DIR, 'action.yml'), 'utf8')) as ActionYml;
const SCRIPT = join(REPO_DIR, 'scripts', 'github-action.sh');

/** Inputs that are not scan flags: what the action does with the reports. */
const ACTION_ONLY = new Set([
  'path',
  'sarif-file',
  'upload-sarif',
  'category',
  'summary',
  'annotations',
  'html-report',
  'version',
  'setup-node',
]);
/** Flags the action sets itself (reports go to files and the step summary). */
const FLAGS_SET_BY_ACTION = new Set(['format', 'output', 'quiet', 'no-color']);

const envName = (input: string) => `INPUT_${input.toUpperCase().replace(/-/g, '_')}`;

function step(args: string[], env: Record<string, string>, cwd = REPO_DIR) {
  const ghDir = tmpTree({ output: '', summary: '' }, 'fnguard-gh-');
  const r = spawnSync('bash', [SCRIPT, ...args], {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      RUNNER_TEMP: ghDir,
      GITHUB_OUTPUT: join(ghDir, 'output'),
      GITHUB_STEP_SUMMARY: join(ghDir, 'summary'),
      ACTION_PATH: REPO_DIR,
      ...env,
    },
  });
  const outputs = Object.fromEntries(
    readFileSync(join(ghDir, 'output'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  const summary = readFileSync(join(ghDir, 'summary'), 'utf8');
  rmTree(ghDir);
  return { ...r, outputs, summary };
}

describe('GitHub Action (action.yml)', () => {
  test('is a composite action whose inputs mirror real `fnguard scan` flags', () => {
    assert.equal(action.runs.using, 'composite');
    const flags = new Set(Object.keys(OPTIONS));
    for (const [name, spec] of Object.entries(action.inputs)) {
      assert.ok(spec.description?.length > 10, `${name} has a description`);
      if (ACTION_ONLY.has(name)) continue;
      assert.ok(flags.has(name), `input '${name}' is not a flag of fnguard scan`);
      const opt = OPTIONS[name as keyof typeof OPTIONS];
      if (opt.type === 'boolean') assert.match(spec.default ?? '', /^(true|false)$/, `${name} is boolean`);
    }
    for (const flag of flags) {
      if (FLAGS_SET_BY_ACTION.has(flag)) continue;
      assert.ok(action.inputs[flag], `flag --${flag} has no input`);
    }
  });

  test('each flag input reaches the script as an environment variable and becomes its flag', () => {
    const scan = action.runs.steps.find((s) => s.id === 'scan');
    assert.ok(scan?.env && scan.run);
    const script = readFileSync(SCRIPT, 'utf8');
    for (const name of Object.keys(action.inputs)) {
      if (['upload-sarif', 'category', 'version', 'setup-node'].includes(name)) continue;
      assert.equal(scan.env[envName(name)], `\${{ inputs.${name} }}`, `${name} passed through env, not interpolated`);
      assert.ok(script.includes(envName(name)), `the script reads ${envName(name)}`);
      if (!ACTION_ONLY.has(name)) assert.ok(script.includes(`--${name}`), `the script passes --${name}`);
    }
    // no input is interpolated into a script (script injection)
    for (const s of action.runs.steps) assert.doesNotMatch(s.run ?? '', /\$\{\{/, `step ${s.id ?? s.uses} interpolates into run`);
  });

  test('uploads the SARIF through github/codeql-action/upload-sarif with a category', () => {
    const up = action.runs.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    assert.ok(up, 'upload-sarif step');
    const expr = (e: string) => `\${{ ${e} }}`; // GitHub expression syntax, not a JS template
    assert.equal(up.with?.sarif_file, expr('steps.scan.outputs.sarif-file'));
    assert.equal(up.with?.category, expr('inputs.category'));
    // the result step comes after the upload, so findings still reach code scanning when the job fails
    const ids = action.runs.steps.map((s) => s.uses ?? s.id ?? s.run);
    assert.ok(ids.indexOf(up.uses) < ids.length - 1);
  });

  test('the steps run: annotations capped at 10, summary, SARIF, outputs, exit code', () => {
    const dist = join(REPO_DIR, 'packages', 'fnguard', 'dist', 'cli', 'bin.js');
    assert.ok(existsSync(dist), 'run `npm run build` first');
    const install = step(['install'], {});
    assert.equal(install.status, 0, install.stderr);
    assert.equal(install.outputs.bin, join(REPO_DIR, 'packages', 'fnguard', 'bin', 'fnguard.js'), 'uses this checkout when built');

    const work = tmpTree({}, 'fnguard-gh-work-');
    try {
      const scan = step(['scan'], {
        FNGUARD_BIN: install.outputs.bin ?? '',
        INPUT_PATH: join(REPO_DIR, 'examples', 'vulnerable', 'serverless-app'),
        INPUT_FAIL_ON: 'high',
        INPUT_SARIF_FILE: join(work, 'out.sarif'),
        INPUT_SUMMARY: 'true',
        INPUT_ANNOTATIONS: 'true',
        INPUT_HTML_REPORT: join(work, 'report.html'),
        INPUT_SKIP_RULE: 'LOG-*,\n  SUP-02',
      });
      assert.equal(scan.status, 0, scan.stderr);
      assert.equal(scan.outputs['exit-code'], '1');
      const annotations = scan.stdout.split('\n').filter((l) => /^::(error|warning|notice) /.test(l));
      assert.equal(annotations.length, 10, 'at most ten annotations, the worst first');
      // the worst finding first: a file of the example app, with a line
      assert.match(annotations[0] ?? '', /^::error file=examples\/vulnerable\/serverless-app\/[^,]+,line=\d+/);
      assert.match(scan.stdout, /more findings not annotated/);
      assert.match(scan.summary, /^## fnguard scan/m);
      assert.match(scan.summary, /### Functions by risk/);
      const sarif = JSON.parse(readFileSync(join(work, 'out.sarif'), 'utf8')) as {
        version: string;
        runs: { results: { ruleId: string }[] }[];
      };
      assert.equal(sarif.version, '2.1.0');
      const rules = new Set(sarif.runs[0]?.results.map((r) => r.ruleId));
      assert.ok(rules.size > 0);
      assert.ok(![...rules].some((r) => r.startsWith('LOG-') || r === 'SUP-02'), 'skip-rule list applied');
      assert.equal(scan.outputs['sarif-file'], join(work, 'out.sarif'));
      assert.ok(Number(scan.outputs.findings) > 0);
      assert.ok(Number(scan.outputs['max-risk']) >= 60);
      assert.match(readFileSync(join(work, 'report.html'), 'utf8'), /^<!doctype html>/);

      const result = step(['result'], { EXIT_CODE: scan.outputs['exit-code'] ?? '' });
      assert.equal(result.status, 1, 'the last step fails the job');
      assert.equal(step(['result'], { EXIT_CODE: '0' }).status, 0);
      assert.equal(step(['result'], {}).status, 2, 'no exit code (scan step broke) fails');
    } finally {
      rmTree(work);
    }
  });

  test('inputs cannot inject shell commands; bad inputs give exit 2', () => {
    const work = tmpTree({
      'serverless.yml': 'service: x\nprovider:\n  name: aws\n  runtime: nodejs22.x\nfunctions:\n  a:\n    handler: a.h\n',
    });
    try {
      const scan = step(
        ['scan'],
        {
          FNGUARD_BIN: join(REPO_DIR, 'packages', 'fnguard', 'bin', 'fnguard.js'),
          INPUT_PATH: '.',
          INPUT_STAGE: '$(touch pwned)`touch pwned2`',
          INPUT_PARAM: 'a=$(touch pwned3)\n b=2',
          INPUT_RULE: 'EXPO-*;touch pwned4',
          INPUT_SARIF_FILE: 'x.sarif',
          INPUT_FAIL_ON: 'none',
        },
        work,
      );
      assert.equal(scan.status, 0, scan.stderr);
      for (const f of ['pwned', 'pwned2', 'pwned3', 'pwned4']) assert.equal(existsSync(join(work, f)), false, `${f} created`);
      const bad = step(
        ['scan'],
        { FNGUARD_BIN: join(REPO_DIR, 'packages', 'fnguard', 'bin', 'fnguard.js'), INPUT_FAIL_ON: 'sometimes' },
        work,
      );
      assert.equal(bad.outputs['exit-code'], '2');
      assert.match(bad.stdout, /::error title=fnguard::/);
    } finally {
      rmTree(work);
    }
  });
});
