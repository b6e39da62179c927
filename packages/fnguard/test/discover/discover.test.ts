import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { discover } from '../../src/discover/discover.js';
import { rmTree, tmpTree } from '../helpers/index.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmTree(d);
});
function tree(files: Record<string, string | Uint8Array>): string {
  const d = tmpTree(files);
  dirs.push(d);
  return d;
}

describe('discover: classification', () => {
  test('classifies IaC, code, lockfiles, manifests, archives, text and binary', async () => {
    const root = tree({
      'serverless.yml': 'service: a\n',
      'svc/serverless.yaml': 'service: b\n',
      'svc2/serverless.json': '{"service":"c"}',
      'serverless-compose.yml': 'services: {}\n',
      'cfn/template.yaml': 'AWSTemplateFormatVersion: "2010-09-09"\nResources: {}\n',
      'cfn/sam.yml': 'Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n',
      'cfn/nover.json': '{"Resources":{"Q":{"Type":"AWS::SQS::Queue"}}}',
      'cdk.out/Stack.template.json': '{}',
      'config/app.yml': 'key: value\nResources: none\n',
      'data.json': '{"a":1}',
      'tf/main.tf': 'resource "x" "y" {}\n',
      'tf/x.tf.json': '{}',
      'tf/prod.tfvars': 'a = 1\n',
      'src/a.js': '',
      'src/b.mjs': '',
      'src/c.ts': '',
      'src/d.tsx': '',
      'src/types.d.ts': '',
      'py/app.py': '',
      'package-lock.json': '{}',
      'yarn.lock': '',
      'pnpm-lock.yaml': '',
      'requirements-dev.txt': '',
      'poetry.lock': '',
      'Pipfile.lock': '{}',
      'uv.lock': '',
      'package.json': '{}',
      'pyproject.toml': '',
      Pipfile: '',
      'dist/fn.zip': 'PK',
      'README.md': '# hi\n',
      'img.png': new Uint8Array([137, 80, 78, 71, 0, 0]),
      'blob.dat': new Uint8Array([1, 2, 0, 3]),
    });
    const r = await discover(root);
    const by = Object.fromEntries(r.files.map((f) => [f.rel, `${f.kind}${f.subtype ? `/${f.subtype}` : ''}`]));
    assert.deepEqual(by, {
      'serverless.yml': 'iac/serverless',
      'svc/serverless.yaml': 'iac/serverless',
      'svc2/serverless.json': 'iac/serverless',
      'serverless-compose.yml': 'iac/serverless-compose',
      'cfn/template.yaml': 'iac/cloudformation',
      'cfn/sam.yml': 'iac/cloudformation',
      'cfn/nover.json': 'iac/cloudformation',
      'cdk.out/Stack.template.json': 'iac/cloudformation',
      'config/app.yml': 'text/yaml',
      'data.json': 'text/json',
      'tf/main.tf': 'iac/terraform',
      'tf/x.tf.json': 'iac/terraform',
      'tf/prod.tfvars': 'iac/terraform',
      'src/a.js': 'code/javascript',
      'src/b.mjs': 'code/javascript',
      'src/c.ts': 'code/typescript',
      'src/d.tsx': 'code/typescript',
      'src/types.d.ts': 'text',
      'py/app.py': 'code/python',
      'package-lock.json': 'lockfile/package-lock',
      'yarn.lock': 'lockfile/yarn-lock',
      'pnpm-lock.yaml': 'lockfile/pnpm-lock',
      'requirements-dev.txt': 'lockfile/requirements',
      'poetry.lock': 'lockfile/poetry-lock',
      'Pipfile.lock': 'lockfile/pipfile-lock',
      'uv.lock': 'lockfile/uv-lock',
      'package.json': 'manifest/package-json',
      'pyproject.toml': 'manifest/pyproject',
      Pipfile: 'manifest/pipfile',
      'dist/fn.zip': 'archive/zip',
      'README.md': 'text',
      'img.png': 'binary',
      'blob.dat': 'binary',
    });
    for (const f of r.files) assert.equal(f.path, join(root, f.rel));
    assert.deepEqual(r.diagnostics, []);
  });

  test('serverless.js/.ts are never executed: an info diagnostic says they are skipped', async () => {
    const root = tree({ 'serverless.ts': 'export default {}', 'a/serverless.js': 'module.exports = {}' });
    const r = await discover(root);
    const d = r.diagnostics.filter((x) => x.code === 'skipped-executable-config');
    assert.equal(d.length, 2);
    assert.equal(d[0]?.level, 'info');
    assert.match(d[0]?.message ?? '', /not executed, skipped/);
  });
});

describe('discover: pruning and ignore files', () => {
  test('prunes node_modules, .git, .serverless, .terraform and cdk.out assets', async () => {
    const root = tree({
      'node_modules/x/serverless.yml': '',
      'a/node_modules/y/index.js': '',
      '.git/config': '',
      '.serverless/cloudformation-template-update-stack.json': '{"AWSTemplateFormatVersion":"x"}',
      '.terraform/modules/m/main.tf': '',
      'cdk.out/asset.abc123/index.js': '',
      'cdk.out/App.template.json': '{}',
      'keep.js': '',
    });
    const r = await discover(root);
    assert.deepEqual(r.files.map((f) => f.rel).sort(), ['cdk.out/App.template.json', 'keep.js']);
    const kept = await discover(root, { keepDirs: ['.serverless'], pruneDirs: ['cdk.out'] });
    assert.deepEqual(kept.files.map((f) => `${f.rel}:${f.subtype}`).sort(), [
      '.serverless/cloudformation-template-update-stack.json:cloudformation',
      'keep.js:javascript',
    ]);
  });

  test('honours .gitignore and .fnguardignore, nested, with negation, anchoring and dir-only patterns', async () => {
    const root = tree({
      '.gitignore': 'build/\n*.log\n!keep.log\n/rootonly.js\n',
      '.fnguardignore': 'tests/**/fixtures\ndocs/*.md\n',
      'build/out.js': '',
      'a.log': '',
      'keep.log': '',
      'rootonly.js': '',
      'sub/rootonly.js': '',
      'tests/unit/fixtures/serverless.yml': '',
      'tests/unit/real.js': '',
      'docs/x.md': '',
      'docs/deep/y.md': '',
      'pkg/.gitignore': 'local.js\n',
      'pkg/local.js': '',
      'pkg/other.js': '',
      'local.js': '',
      'build.js': '',
    });
    const r = await discover(root);
    assert.deepEqual(r.files.map((f) => f.rel).sort(), [
      '.fnguardignore',
      '.gitignore',
      'build.js',
      'docs/deep/y.md',
      'keep.log',
      'local.js',
      'pkg/.gitignore',
      'pkg/other.js',
      'sub/rootonly.js',
      'tests/unit/real.js',
    ]);
  });

  test('.gitignore files above the root apply inside the same git repository only', async () => {
    const repo = tree({
      '.git/HEAD': 'ref: x\n',
      '.gitignore': 'dist/\nservices/api/local.js\n',
      'services/.gitignore': '*.tmp\n',
      'services/api/dist/a.js': '',
      'services/api/local.js': '',
      'services/api/x.tmp': '',
      'services/api/keep.js': '',
    });
    const r = await discover(join(repo, 'services', 'api'));
    assert.deepEqual(r.files.map((f) => f.rel).sort(), ['keep.js']);
    const noGit = tree({ '.gitignore': '*.js\n', 'sub/a.js': '' });
    const r2 = await discover(join(noGit, 'sub'));
    assert.deepEqual(
      r2.files.map((f) => f.rel),
      ['a.js'],
      'outside a git repository, parent .gitignore files are not read',
    );
  });

  test('gitignore can be turned off', async () => {
    const root = tree({ '.gitignore': '*.js\n', 'a.js': '' });
    const r = await discover(root, { gitignore: false });
    assert.ok(r.files.some((f) => f.rel === 'a.js'));
  });
});

describe('discover: hostile trees', () => {
  test('symlink loops are detected and reported, the walk goes on', async () => {
    const root = tree({ 'a/b/file.js': '', 'z.js': '' });
    symlinkSync(join(root, 'a'), join(root, 'a', 'b', 'loop'));
    symlinkSync('self', join(root, 'self'));
    const r = await discover(root);
    assert.ok(r.diagnostics.some((d) => d.code === 'symlink-loop'));
    assert.ok(r.files.some((f) => f.rel === 'z.js'));
    assert.ok(r.files.some((f) => f.rel === 'a/b/file.js'));
    assert.ok(r.files.length < 10);
  });

  test('symlinks out of the root are not followed; inside ones are', async () => {
    const outside = tree({ 'secret.yml': 'AWSTemplateFormatVersion: x\n' });
    const root = tree({ 'real/serverless.yml': 'service: a\n' });
    symlinkSync(outside, join(root, 'out'));
    symlinkSync(join(outside, 'secret.yml'), join(root, 'file-out.yml'));
    symlinkSync(join(root, 'real'), join(root, 'alias'));
    const r = await discover(root);
    const rels = r.files.map((f) => f.rel).sort();
    assert.deepEqual(rels, ['alias/serverless.yml', 'real/serverless.yml']);
    assert.equal(r.diagnostics.filter((d) => d.code === 'symlink-outside-root').length, 2);
  });

  test('too-large and binary IaC files become diagnostics', async () => {
    const root = tree({
      'serverless.yml': `service: x\n${'#'.repeat(2000)}\n`,
      'b/template.json': new Uint8Array([123, 0, 125]),
      'ok.tf': '',
    });
    const r = await discover(root, { maxFileSize: 1000 });
    const big = r.diagnostics.find((d) => d.code === 'too-large');
    assert.ok(big);
    assert.equal(big.file, join(root, 'serverless.yml'));
    const bin = r.diagnostics.find((d) => d.code === 'binary');
    assert.ok(bin);
    assert.equal(bin.file, join(root, 'b', 'template.json'));
    assert.deepEqual(
      r.files.map((f) => `${f.rel}:${f.kind}`),
      ['b/template.json:binary', 'ok.tf:iac'],
    );
  });

  test('FIFOs are never opened (no hang)', async () => {
    const root = tree({ 'a.yml': 'x: 1\n' });
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [join(root, 'pipe.yml')]);
    const r = await discover(root);
    assert.deepEqual(
      r.files.map((f) => f.rel),
      ['a.yml'],
    );
  });

  test('unreadable files and directories become diagnostics', {
    skip: process.getuid?.() === 0 ? 'running as root: permissions are not enforced' : false,
  }, async () => {
    const root = tree({ 'locked/serverless.yml': 'service: a\n', 'serverless.yml': 'service: b\n' });
    chmodSync(join(root, 'serverless.yml'), 0o000);
    chmodSync(join(root, 'locked'), 0o000);
    try {
      const r = await discover(root);
      assert.ok(r.diagnostics.filter((d) => d.code === 'unreadable').length >= 2);
    } finally {
      chmodSync(join(root, 'locked'), 0o755);
    }
  });

  test('file limit and depth limit stop the walk with a diagnostic', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 20; i++) files[`f${i}.js`] = '';
    const root = tree(files);
    let deep = root;
    for (let i = 0; i < 6; i++) {
      deep = join(deep, `d${i}`);
      mkdirSync(deep);
    }
    writeFileSync(join(deep, 'deep.js'), '');
    const r = await discover(root, { maxFiles: 5 });
    assert.equal(r.files.length, 5);
    assert.ok(r.diagnostics.some((d) => d.code === 'file-limit'));
    const r2 = await discover(root, { maxDepth: 3 });
    assert.ok(r2.diagnostics.some((d) => d.code === 'too-deep'));
    assert.ok(!r2.files.some((f) => f.rel.endsWith('deep.js')));
  });

  test('a file as root: only that file, its directory becomes the root', async () => {
    const root = tree({ 'stack/template.yaml': 'AWSTemplateFormatVersion: x\n', 'stack/other.tf': '', 'stack/src/a.js': '' });
    const r = await discover(join(root, 'stack', 'template.yaml'));
    assert.equal(r.root, join(root, 'stack'));
    assert.deepEqual(
      r.files.map((f) => `${f.rel}:${f.kind}/${f.subtype}`),
      ['template.yaml:iac/cloudformation'],
    );
  });

  test('only: classify just the listed files (pre-commit), no walk', async () => {
    const root = tree({ 'serverless.yml': 'service: a\n', 'src/a.js': '', 'src/b.js': '', 'node_modules/x/y.js': '' });
    const outside = tree({ 'x.yml': '' });
    symlinkSync(join(outside, 'x.yml'), join(root, 'link.yml'));
    const r = await discover(root, {
      only: ['src/a.js', join(root, 'serverless.yml'), 'missing.js', '../elsewhere.yml', 'link.yml', 'src/a.js'],
    });
    assert.deepEqual(
      r.files.map((f) => `${f.rel}:${f.kind}`),
      ['serverless.yml:iac', 'src/a.js:code'],
    );
    assert.deepEqual(r.diagnostics.map((d) => d.code).sort(), ['outside-root', 'symlink-outside-root', 'unreadable']);
  });

  test('a missing root is a diagnostic', async () => {
    const r = await discover('/nonexistent/fnguard');
    assert.equal(r.files.length, 0);
    assert.equal(r.diagnostics[0]?.code, 'unreadable');
  });
});
