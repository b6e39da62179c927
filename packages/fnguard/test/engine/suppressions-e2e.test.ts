/**
 * Suppressions and baselines end to end, through the real adapters and rules (issue 8, items 3
 * and 4): inline `fnguard-ignore` in HCL (`#` and `//`, on the line and above the block), in
 * serverless.yml above a function, in code files (JS `//` and `/* *\/`, Python `#`);
 * CloudFormation `Metadata.fnguard.ignore` in a JSON template; `.fnguardignore.yml` entries with
 * an expiry (expired ones stop suppressing and are reported with file and line); suppressed
 * findings kept in JSON and SARIF; baselines that survive moved lines, list stale entries, and
 * do not hide a different secret under the same name.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { run } from '../../src/cli/run.js';
import type { Finding, Result } from '../../src/engine/types.js';
import { defineRule } from '../../src/rules/defineRule.js';
import { scan } from '../../src/scan.js';
import { captureIo } from '../helpers/cliIo.js';
import { FIXED_NOW, rmTree, tmpTree } from '../helpers/index.js';

const open = (r: Result, rule: string) => r.findings.filter((f) => f.ruleId === rule && !f.suppressed);
const supp = (r: Result, rule: string) => r.findings.filter((f) => f.ruleId === rule && f.suppressed);
/** Scan with EXPO-01 only: its suppressions and its open findings. */
async function expo01(root: string) {
  const r = await scan({ root, now: FIXED_NOW, rules: ['EXPO-01'] });
  return { r, suppressions: supp(r, 'EXPO-01').map((f) => f.suppression), open: open(r, 'EXPO-01') };
}

async function cli(root: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo(root);
  const code = await run(['scan', '.', ...args], io);
  return { code, out: io.out, err: io.err };
}

const TF_FN = (name: string) => `resource "aws_lambda_function" "${name}" {
  function_name = "${name}"
  runtime       = "nodejs22.x"
  handler       = "index.handler"
  role          = "arn:aws:iam::123456789012:role/${name}"
  filename      = "${name}.zip"
}
`;

describe('inline suppressions through the real adapters', () => {
  test('HCL: `#` on the reported line, `//` above the block; the other URL is still reported', async () => {
    const root = tmpTree({
      'main.tf': [
        TF_FN('status'),
        TF_FN('health'),
        TF_FN('admin'),
        'resource "aws_lambda_function_url" "status" { # fnguard-ignore EXPO-01: public status page, returns no data',
        '  function_name      = aws_lambda_function.status.function_name',
        '  authorization_type = "NONE"',
        '}',
        '',
        '// fnguard-ignore EXPO-01: health check for the load balancer',
        'resource "aws_lambda_function_url" "health" {',
        '  function_name      = aws_lambda_function.health.function_name',
        '  authorization_type = "NONE"',
        '}',
        '',
        'resource "aws_lambda_function_url" "admin" {',
        '  function_name      = aws_lambda_function.admin.function_name',
        '  authorization_type = "NONE"',
        '}',
        '',
      ].join('\n'),
    });
    try {
      const { r, suppressions, open: still } = await expo01(root);
      assert.deepEqual(
        suppressions,
        [
          { kind: 'inline', reason: 'public status page, returns no data' },
          { kind: 'inline', reason: 'health check for the load balancer' },
        ],
        JSON.stringify(r.findings.map((f) => [f.location, f.suppressed])),
      );
      assert.equal(still.length, 1, 'the admin URL is still reported');
      assert.match(still[0]?.message ?? '', /admin/);
    } finally {
      rmTree(root);
    }
  });

  test('serverless.yml: a comment above the function covers its findings', async () => {
    const root = tmpTree({
      'serverless.yml': [
        'service: s',
        'provider:',
        '  name: aws',
        '  runtime: nodejs22.x',
        'functions:',
        '  # fnguard-ignore EXPO-01: public status page',
        '  status:',
        '    handler: src/status.handler',
        '    url: true',
        '  admin:',
        '    handler: src/admin.handler',
        '    url: true',
        '',
      ].join('\n'),
    });
    try {
      const { r, open: still } = await expo01(root);
      assert.equal(supp(r, 'EXPO-01').length, 1);
      assert.match(supp(r, 'EXPO-01')[0]?.message ?? '', /status/);
      assert.equal(still.length, 1);
      assert.match(still[0]?.message ?? '', /admin/);
    } finally {
      rmTree(root);
    }
  });

  test('code files: `//` and `/* */` in JS, `#` in Python, on the line or above it', async () => {
    // no code rule ships on this branch yet: a rule that reports on source lines, as code rules do
    const SINK = /\b(exec|eval)\(/;
    const codeRule = defineRule({
      meta: {
        id: 'INJ-99',
        title: 'test sink',
        severity: 'high',
        category: 'injection:command',
        cwe: ['CWE-78'],
        sas: 'SAS-1',
        description: 'test',
        remediation: { general: 'test' },
        formats: ['code'],
      },
      check(ctx) {
        for (const file of ['src/a.js', 'src/b.py']) {
          const text = readFileSync(join(ctx.options.root, file), 'utf8').split('\n');
          text.forEach((l, i) => {
            if (SINK.test(l))
              ctx.report({
                where: { file: join(ctx.options.root, file), line: i + 1, column: 1 },
                message: `sink in ${file}:${i + 1}`,
                key: `${file}|${l.trim()}`,
              });
          });
        }
      },
    });
    const root = tmpTree({
      'src/a.js': [
        'exec(cmd); // fnguard-ignore INJ-99: cmd is a constant',
        '/* fnguard-ignore INJ-*: reviewed */',
        'eval(code);',
        'exec(userInput);',
        '',
      ].join('\n'),
      'src/b.py': ['# fnguard-ignore INJ-99: fixed argument list', 'exec(x)', 'eval(y)  # fnguard-ignore INJ-99', ''].join('\n'),
    });
    try {
      const r = await scan({ root, now: FIXED_NOW, registry: [codeRule], adapters: [] });
      const state = Object.fromEntries(
        r.findings.map((f) => [`${f.location.file}:${f.location.line}`, f.suppressed ? (f.suppression?.reason ?? '-') : 'open']),
      );
      assert.deepEqual(state, {
        'src/a.js:1': 'cmd is a constant',
        'src/a.js:3': 'reviewed',
        'src/a.js:4': 'open',
        'src/b.py:2': 'fixed argument list',
        'src/b.py:3': '-',
      });
    } finally {
      rmTree(root);
    }
  });

  test('CloudFormation JSON: Metadata.fnguard.ignore on the function (as CDK cfnOptions.metadata writes it)', async () => {
    const fn = (meta: unknown) => ({
      Type: 'AWS::Lambda::Function',
      ...(meta ? { Metadata: meta } : {}),
      Properties: { Runtime: 'nodejs22.x', Handler: 'index.handler', Role: 'arn:aws:iam::123456789012:role/r', Code: { ZipFile: 'x' } },
    });
    const url = (target: string) => ({
      Type: 'AWS::Lambda::Url',
      Properties: { AuthType: 'NONE', TargetFunctionArn: { 'Fn::GetAtt': [target, 'Arn'] } },
    });
    const template = {
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: {
        Status: fn({ fnguard: { ignore: [{ rule: 'EXPO-01', reason: 'public status page' }] } }),
        StatusUrl: url('Status'),
        Admin: fn(undefined),
        AdminUrl: url('Admin'),
      },
    };
    const root = tmpTree({ 'template.json': JSON.stringify(template, null, 2) });
    try {
      const { code, out } = await cli(root, ['--format', 'json', '--rule', 'EXPO-01']);
      const r = JSON.parse(out) as Result;
      assert.equal(code, 1);
      assert.deepEqual(
        supp(r, 'EXPO-01').map((f) => f.suppression),
        [{ kind: 'metadata', reason: 'public status page' }],
      );
      assert.equal(open(r, 'EXPO-01').length, 1);
      // suppressed findings stay in SARIF, as suppressions
      const s = await cli(root, ['--format', 'sarif', '--rule', 'EXPO-01']);
      const results =
        (JSON.parse(s.out) as { runs: { results: { suppressions?: { kind: string; justification?: string }[] }[] }[] }).runs[0]?.results ??
        [];
      assert.equal(results.length, 2);
      assert.deepEqual(
        results.filter((x) => x.suppressions).map((x) => x.suppressions),
        [[{ kind: 'inSource', status: 'accepted', justification: 'public status page', properties: { fnguardKind: 'metadata' } }]],
      );
    } finally {
      rmTree(root);
    }
  });
});

describe('.fnguardignore.yml with expiry', () => {
  test('an expired entry stops suppressing and is reported with its file and line; a live one suppresses', async () => {
    const root = tmpTree({
      'serverless.yml':
        'service: s\nprovider:\n  name: aws\n  runtime: nodejs22.x\nfunctions:\n  status:\n    handler: a.h\n    url: true\n  admin:\n    handler: b.h\n    url: true\n',
      '.fnguardignore.yml': [
        '- rule: EXPO-01',
        '  function: status',
        '  reason: public status page',
        '  expires: 2099-12-31',
        '- rule: EXPO-01',
        '  function: admin',
        '  reason: temporary, until the authorizer ships',
        '  expires: 2026-01-31',
        '',
      ].join('\n'),
    });
    try {
      const { r, suppressions, open: still } = await expo01(root);
      assert.deepEqual(suppressions, [{ kind: 'ignore-file', reason: 'public status page', expires: '2099-12-31' }]);
      assert.equal(still.length, 1, 'the expired entry no longer hides the admin URL');
      const expired = r.diagnostics.filter((d) => d.code === 'ignore-expired');
      assert.deepEqual(
        expired.map((d) => [d.file, d.line, d.level]),
        [['.fnguardignore.yml', 5, 'warning']],
      );
      assert.match(expired[0]?.message ?? '', /expired on 2026-01-31/);
      // the text report shows it, so it gets reviewed
      const { out, code } = await cli(root, ['--rule', 'EXPO-01']);
      assert.equal(code, 1);
      assert.match(out, /\.fnguardignore\.yml:5.*expired on 2026-01-31|expired on 2026-01-31[\s\S]*\.fnguardignore\.yml/);
    } finally {
      rmTree(root);
    }
  });
});

describe('baselines', () => {
  // `adminFixed`: the admin function's URL gets IAM auth (its EXPO-01 finding goes away)
  const yml = (secret: string, adminOpen = true, pad = '') =>
    `${pad}service: s\nprovider:\n  name: aws\n  runtime: nodejs22.x\n  environment:\n    DB_PASSWORD: ${secret}\nfunctions:\n  api:\n    handler: a.h\n    url: true\n  admin:\n    handler: b.h\n${
      adminOpen ? '    url: true\n' : '    url:\n      authorizer: aws_iam\n'
    }`;

  test('survive moved lines, list stale entries in every report, and never hide a different secret', async () => {
    const root = tmpTree({ 'serverless.yml': yml('Xk29!fjQ0pLm8zRt') });
    const base = join(root, '.fnguard-baseline.json');
    try {
      const first = await cli(root, ['--format', 'json', '--write-baseline', base]);
      const before = JSON.parse(first.out) as Result;
      assert.equal(first.code, 1);
      const entries = (JSON.parse(readFileSync(base, 'utf8')) as { findings: unknown[] }).findings;
      assert.equal(entries.length, before.findings.length);

      // lines move (a comment block on top): every finding still matches, nothing fails
      writeFileSync(join(root, 'serverless.yml'), yml('Xk29!fjQ0pLm8zRt', true, '# owned by the orders team\n# see the runbook\n\n'));
      const moved = JSON.parse((await cli(root, ['--format', 'json', '--baseline', base])).out) as Result;
      assert.equal(
        moved.summary.findings,
        0,
        JSON.stringify(moved.findings.filter((f) => !f.suppressed).map((f) => [f.ruleId, f.message])),
      );
      assert.ok(moved.findings.every((f: Finding) => f.suppression?.kind === 'baseline'));
      assert.deepEqual((moved.summary.baseline as { stale: unknown[] }).stale, []);

      // a different secret under the same name is a new finding, not hidden by the baseline
      writeFileSync(join(root, 'serverless.yml'), yml('Qw81#vbN3sYt6uHe'));
      const changed = JSON.parse((await cli(root, ['--format', 'json', '--baseline', base])).out) as Result;
      assert.deepEqual(
        open(changed, 'SEC-01').map((f) => f.ruleId),
        ['SEC-01'],
        'the new secret is reported',
      );

      // a fixed finding leaves a stale entry: listed in JSON, text, markdown and HTML
      writeFileSync(join(root, 'serverless.yml'), yml('Xk29!fjQ0pLm8zRt', false));
      const fixed = await cli(root, ['--format', 'json', '--baseline', base]);
      const stale = (JSON.parse(fixed.out) as Result).summary.baseline as { stale: { ruleId?: string; function?: string }[] };
      assert.ok(stale.stale.length > 0);
      assert.ok(
        stale.stale.some((e) => e.ruleId === 'EXPO-01' && /admin/.test(e.function ?? '')),
        JSON.stringify(stale.stale),
      );
      assert.equal(fixed.code, 0, 'nothing new');
      const text = await cli(root, ['--baseline', base]);
      assert.match(text.out, /stale/i);
      const md = await cli(root, ['--format', 'markdown', '--baseline', base]);
      assert.match(md.out, /baseline entr(y matches|ies match) no finding any more/);
      const html = await cli(root, ['--format', 'html', '--baseline', base]);
      assert.match(html.out, /Stale baseline entries \(\d+\)[\s\S]*EXPO-01/);
    } finally {
      rmTree(root);
    }
  });
});
