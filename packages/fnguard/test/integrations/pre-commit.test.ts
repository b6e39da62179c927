/**
 * The pre-commit hook (.pre-commit-hooks.yaml): its entry is a real `fnguard scan` command line
 * that takes the staged file names; run the way pre-commit runs it (the unstaged diff saved and the index
 * checked out, the staged files passed, the diff re-applied), it judges the staged content only and scans
 * nothing but the files it was given. Timing is measured in bench/precommit.bench.ts.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { OPTIONS } from '../../src/cli/commands/scan.js';
import { PKG_DIR, REPO_DIR, rmTree, tmpTree } from '../helpers/index.js';

interface Hook {
  id: string;
  entry: string;
  language: string;
  pass_filenames?: boolean;
  types_or?: string[];
  additional_dependencies?: string[];
}
const hooks = parse(readFileSync(join(REPO_DIR, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
const BIN = join(PKG_DIR, 'bin', 'fnguard.js');
const version = (JSON.parse(readFileSync(join(PKG_DIR, 'package.json'), 'utf8')) as { version: string }).version;

const VULNERABLE =
  'service: s\nprovider:\n  name: aws\n  runtime: nodejs22.x\nfunctions:\n  api:\n    handler: src/api.handler\n    url: true\n';
const FIXED =
  'service: s\nprovider:\n  name: aws\n  runtime: nodejs22.x\nfunctions:\n  api:\n    handler: src/api.handler\n    url:\n      authorizer: aws_iam\n';

/** Run a hook's entry as pre-commit does: set unstaged changes aside, pass the staged files, restore. */
function runHook(hook: Hook, dir: string): { status: number | null; stdout: string; files: string[] } {
  const git = (...a: string[]) => execFileSync('git', a, { cwd: dir, encoding: 'utf8' });
  const files = git('diff', '--cached', '--name-only', '--diff-filter=ACMR').split('\n').filter(Boolean);
  // what pre-commit does: save the unstaged diff, check out the index, re-apply the diff afterwards
  const patch = git('diff', '--binary', '--no-color', '--no-ext-diff');
  const patchFile = join(dir, '.git', 'fnguard-test.patch');
  if (patch) {
    writeFileSync(patchFile, patch);
    git('checkout', '--', '.');
  }
  try {
    // `fnguard` / `npx --no-install fnguard` -> this checkout's CLI
    const words = hook.entry.split(/\s+/);
    const at = words.indexOf('fnguard');
    const r = spawnSync(process.execPath, [BIN, ...words.slice(at + 1), ...files], { cwd: dir, encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout, files };
  } finally {
    if (patch) git('apply', '--whitespace=nowarn', patchFile);
  }
}

function repo(): { dir: string; git: (...a: string[]) => string } {
  const dir = tmpTree(
    { 'serverless.yml': FIXED, 'src/api.js': 'exports.handler = async () => ({ statusCode: 200 });\n' },
    'fnguard-precommit-',
  );
  const git = (...a: string[]) =>
    execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...a], { cwd: dir, encoding: 'utf8' });
  git('init', '-q');
  git('add', '.');
  git('commit', '-qm', 'base');
  return { dir, git };
}

describe('pre-commit hook', () => {
  test('the hooks run `fnguard scan` with real flags on the staged file names', () => {
    assert.deepEqual(
      hooks.map((h) => h.id),
      ['fnguard', 'fnguard-system'],
    );
    for (const h of hooks) {
      assert.equal(h.pass_filenames, true);
      assert.match(h.entry, /(^|\s)fnguard scan(\s|$)/);
      for (const flag of h.entry.match(/--[a-z-]+/g) ?? [])
        if (flag !== '--no-install') assert.ok(flag.slice(2) in OPTIONS, `${flag} is a scan flag`);
      for (const t of ['yaml', 'json', 'terraform', 'javascript', 'ts', 'python'])
        assert.ok(h.types_or?.includes(t), `${h.id} runs on ${t} files`);
    }
    const node = hooks.find((h) => h.language === 'node');
    assert.deepEqual(node?.additional_dependencies, [`fnguard@${version}`], 'the node hook installs this version of fnguard');
  });

  test('judges the staged content, not the working tree', () => {
    const { dir, git } = repo();
    try {
      const hook = hooks[0] as Hook;
      // staged: a public function URL; unstaged: the fix -> the commit would carry the finding
      writeFileSync(join(dir, 'serverless.yml'), VULNERABLE);
      git('add', 'serverless.yml');
      writeFileSync(join(dir, 'serverless.yml'), FIXED);
      const bad = runHook(hook, dir);
      assert.deepEqual(bad.files, ['serverless.yml']);
      assert.equal(bad.status, 1, bad.stdout);
      assert.match(bad.stdout, /EXPO-01/);
      assert.equal(readFileSync(join(dir, 'serverless.yml'), 'utf8'), FIXED, 'unstaged work restored');

      // staged: the fix; unstaged: a regression -> this commit is clean
      git('add', 'serverless.yml');
      writeFileSync(join(dir, 'serverless.yml'), VULNERABLE);
      const good = runHook(hook, dir);
      assert.equal(good.status, 0, good.stdout);
    } finally {
      rmTree(dir);
    }
  });

  test('scans only the files it is given', () => {
    const { dir, git } = repo();
    try {
      // a vulnerable template that is not part of the change
      writeFileSync(join(dir, 'other.yml'), VULNERABLE.replace('service: s', 'service: other'));
      writeFileSync(join(dir, 'src', 'api.js'), 'exports.handler = async () => ({ statusCode: 204 });\n');
      git('add', 'src/api.js');
      const r = runHook(hooks[0] as Hook, dir);
      assert.deepEqual(r.files, ['src/api.js']);
      assert.equal(r.status, 0, r.stdout);
      assert.doesNotMatch(r.stdout, /other\.yml/);
    } finally {
      rmTree(dir);
    }
  });
});
