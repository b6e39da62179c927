import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { discover } from '../../../src/discover/index.js';
import { serverlessAdapter } from '../../../src/load/serverless/index.js';
import type { Diagnostic } from '../../../src/model/types.js';
import { ctxFor, FIXTURES, file, loadIn } from './helpers.js';

const ROOT = join(FIXTURES, 'compose');

describe('serverless adapter: compose, JSON and discovery', () => {
  it('discovery classifies serverless configs and reports executable ones', async () => {
    const d = await discover(ROOT);
    assert.deepEqual(
      d.files
        .filter((f) => f.kind === 'iac')
        .map((f) => [f.rel, f.subtype])
        .sort(),
      [
        ['billing/serverless.json', 'serverless'],
        ['serverless-compose.yml', 'serverless-compose'],
        ['users/serverless.yml', 'serverless'],
      ],
    );
    assert.ok(d.diagnostics.some((x) => x.code === 'skipped-executable-config' && x.file.endsWith('legacy/serverless.ts')));
  });

  it('loads every compose service once, even when discovery also found them', async () => {
    const d = await discover(ROOT);
    const diagnostics: Diagnostic[] = [];
    const app = await serverlessAdapter.load(serverlessAdapter.select(d.files), ctxFor(d.root, diagnostics, d.files));
    assert.deepEqual(app.functions?.map((f) => f.id).sort(), [
      'serverless:billing/serverless.json#charge',
      'serverless:users/serverless.yml#list',
    ]);
    assert.deepEqual(
      diagnostics.map((x) => [x.code, x.line]),
      [['compose-service-missing', 8]],
    );
    assert.deepEqual(app.sources?.map((s) => s.unit).sort(), ['billing', 'users']);
  });

  it('loads compose services that discovery did not list', async () => {
    const { app } = await loadIn(ROOT, [file(ROOT, 'serverless-compose.yml', 'serverless-compose')]);
    assert.deepEqual(app.functions?.map((f) => f.name).sort(), ['charge', 'list']);
  });

  it('reads serverless.json with positions', async () => {
    const { app, diagnostics } = await loadIn(ROOT, ['billing/serverless.json']);
    assert.deepEqual(diagnostics, []);
    const fn = app.functions?.[0];
    assert.equal(fn?.runtime, 'python3.12');
    assert.equal(fn?.where.line, 5);
    assert.deepEqual(
      fn?.triggers.map((t) => [t.kind, t.source]),
      [['sqs', 'arn:aws:sqs:us-east-1:123456789012:charges']],
    );
    const role = app.identities?.find((i) => i.id === fn?.identity);
    assert.deepEqual(
      role?.statements.map((s) => s.actions),
      [
        ['logs:CreateLogStream', 'logs:CreateLogGroup', 'logs:PutLogEvents'],
        ['*'],
        ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
      ],
    );
    assert.equal(role?.statements[1]?.where.line, 3);
  });

  it('never loads a compose service outside the scan root', async () => {
    const base = mkdtempSync(join(tmpdir(), 'fnguard-sls-compose-'));
    try {
      const root = join(base, 'root');
      mkdirSync(join(base, 'outside'), { recursive: true });
      mkdirSync(root, { recursive: true });
      writeFileSync(join(base, 'outside', 'serverless.yml'), 'service: leak\nprovider: {name: aws}\nfunctions:\n  f:\n    handler: h.h\n');
      writeFileSync(join(root, 'serverless-compose.yml'), 'services:\n  leak:\n    path: ../outside\n');
      const { app, diagnostics } = await loadIn(root, [file(root, 'serverless-compose.yml', 'serverless-compose')]);
      assert.deepEqual(app.functions, []);
      assert.deepEqual(
        diagnostics.map((d) => [d.code, d.line]),
        [['compose-service-missing', 3]],
      );
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
