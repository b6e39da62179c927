import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { codeAnalyzer } from '../../../src/analyze/code/index.js';
import type { CodeFacts } from '../../../src/analyze/code/types.js';
import type { AnalyzerInput } from '../../../src/analyze/types.js';
import { discover } from '../../../src/discover/discover.js';
import { loadApp } from '../../../src/load/index.js';
import type { App, Diagnostic } from '../../../src/model/types.js';
import { FIXED_NOW, rmTree, tmpTree } from '../../helpers/index.js';

async function analyze(dir: string): Promise<{ facts: CodeFacts; app: App; diagnostics: Diagnostic[] }> {
  const found = await discover(dir);
  const app = await loadApp(found.root, found.files, { env: {} });
  const diagnostics: Diagnostic[] = [];
  const input: AnalyzerInput = {
    app,
    files: found.files,
    options: { root: found.root, now: FIXED_NOW },
    diagnostic: (d) => diagnostics.push(d),
    fact: () => Promise.reject(new Error('no other facts')),
  };
  const facts = await codeAnalyzer.run(input);
  return { facts, app, diagnostics };
}

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmTree(d);
});

function tree(files: Record<string, string>): string {
  const d = tmpTree(files, 'fnguard-code-');
  dirs.push(d);
  return d;
}

describe('codeAnalyzer', () => {
  test('serverless TypeScript behind dist/, path aliases, index files, local packages, CJS and ESM', async () => {
    const dir = tree({
      'serverless.yml': [
        'service: s',
        'provider: { name: aws, runtime: nodejs20.x }',
        'functions:',
        '  api:',
        '    handler: dist/handler.main',
        '  worker:',
        '    handler: src/jobs/worker.run',
        '  gone:',
        '    handler: src/nothing.handler',
        '  py:',
        '    handler: app.handler',
        '    runtime: python3.12',
      ].join('\n'),
      'tsconfig.json': '{\n // comment\n "compilerOptions": { "baseUrl": ".", "paths": { "@lib/*": ["src/lib/*"] }, },\n}',
      'src/handler.ts': [
        "import { query } from '@lib/db';",
        "import util from './util/index.js';",
        "import { shared } from '@acme/shared';",
        "import type { APIGatewayProxyHandler } from 'aws-lambda';",
        "import { S3Client } from '@aws-sdk/client-s3';",
        "import { exec } from 'node:child_process';",
        "import missing from './missing';",
        'export const main = async (event: unknown) => query(util(shared(event)));',
      ].join('\n'),
      'src/lib/db.ts': "const pg = require('pg');\nexport const query = (x: unknown) => pg.query(x);",
      'src/util/index.ts': "export default (x: unknown) => x;\nexport * from './more';",
      'src/util/more.ts': "export const lazy = () => import('lodash/fp');",
      'packages/shared/package.json': '{ "name": "@acme/shared", "exports": { ".": { "import": "./src/index.js" } } }',
      'packages/shared/src/index.ts': "import axios from 'axios';\nexport const shared = (x: unknown) => axios.get(String(x));",
      'src/jobs/worker.js': "const h = require('../helpers');\nexports.run = async (e) => h(e);\n",
      'src/helpers.js': 'module.exports = (x) => { return x +; };\n',
      'app.py': 'def handler(e, c):\n  return 1\n',
    });
    const { facts, app, diagnostics } = await analyze(dir);
    const api = app.functions.find((f) => f.name === 'api');
    assert.ok(api);
    const code = facts.byFunction.get(api.id);
    assert.ok(code);
    assert.equal(code.entryFile, join(dir, 'src/handler.ts'));
    assert.equal(api.entryFile, join(dir, 'src/handler.ts'));
    assert.equal(code.exportName, 'main');
    assert.deepEqual(
      code.files.map((f) => f.slice(dir.length + 1)).sort(),
      ['packages/shared/src/index.ts', 'src/handler.ts', 'src/lib/db.ts', 'src/util/index.ts', 'src/util/more.ts'].sort(),
    );
    assert.deepEqual(code.packages.map((p) => `${p.name}:${p.kind}`).sort(), [
      '@aws-sdk/client-s3:import',
      'axios:import',
      'lodash:dynamic-import',
      'pg:require',
    ]);
    const fp = code.packages.find((p) => p.name === 'lodash');
    assert.equal(fp?.specifier, 'lodash/fp');
    assert.equal(fp?.where.line, 1);
    assert.deepEqual(code.builtins, ['child_process']);
    assert.deepEqual(
      code.unresolved.map((u) => [u.specifier, u.where.line]),
      [['./missing', 7]],
    );
    const mod = facts.module(join(dir, 'src/handler.ts'));
    assert.equal(mod?.language, 'ts');
    assert.equal(mod?.program.type, 'Program');
    assert.deepEqual(mod?.position(mod.source.indexOf('export const')), { line: 8, column: 1 });

    const worker = facts.byFunction.get(app.functions.find((f) => f.name === 'worker')?.id ?? '');
    assert.equal(worker?.entryFile, join(dir, 'src/jobs/worker.js'));
    assert.deepEqual(
      worker?.files.map((f) => f.slice(dir.length + 1)),
      ['src/jobs/worker.js', 'src/helpers.js'],
    );
    const parseError = diagnostics.find((d) => d.code === 'code-parse');
    assert.equal(parseError?.file, join(dir, 'src/helpers.js'));
    assert.equal(parseError?.line, 1);

    const gone = facts.byFunction.get(app.functions.find((f) => f.name === 'gone')?.id ?? '');
    assert.equal(gone?.entryFile, undefined);
    assert.match(gone?.missingReason ?? '', /no source file for handler 'src\/nothing.handler'/);
    const info = diagnostics.find((d) => d.code === 'code-not-found');
    assert.equal(info?.level, 'info');
    assert.match(info?.message ?? '', /gone/);
    assert.equal(facts.byFunction.has(app.functions.find((f) => f.name === 'py')?.id ?? ''), false);
  });

  test('SAM CodeUri with esbuild sources, nested export path, and inline code', async () => {
    const dir = tree({
      'template.yaml': [
        'AWSTemplateFormatVersion: "2010-09-09"',
        'Transform: AWS::Serverless-2016-10-31',
        'Resources:',
        '  Hello:',
        '    Type: AWS::Serverless::Function',
        '    Properties:',
        '      CodeUri: hello/',
        '      Handler: app.handlers.hello',
        '      Runtime: nodejs20.x',
        '  Inline:',
        '    Type: AWS::Serverless::Function',
        '    Properties:',
        '      Handler: index.handler',
        '      Runtime: nodejs20.x',
        '      InlineCode: |',
        "        const cp = require('child_process');",
        '        exports.handler = async (e) => cp.execSync(e.cmd);',
      ].join('\n'),
      'hello/app.ts': 'export const handlers = { hello: async () => 1 };',
    });
    const { facts, app } = await analyze(dir);
    const hello = facts.byFunction.get(app.functions.find((f) => f.name === 'Hello')?.id ?? '');
    assert.equal(hello?.entryFile, join(dir, 'hello/app.ts'));
    assert.deepEqual(hello?.exportPath, ['handlers', 'hello']);
    assert.equal(hello?.exportName, 'handlers');
    const inline = facts.byFunction.get(app.functions.find((f) => f.name === 'Inline')?.id ?? '');
    assert.equal(inline?.inline, true);
    assert.deepEqual(inline?.builtins, ['child_process']);
    const m = facts.module(inline?.entryFile ?? '');
    assert.equal(m?.reportFile, join(dir, 'template.yaml'));
    assert.deepEqual(m?.position(m.source.indexOf('exports.handler')), { line: 17, column: 9 });
  });

  test('Terraform archive_file source_dir', async () => {
    const dir = tree({
      'main.tf': [
        'data "archive_file" "zip" {',
        '  type        = "zip"',
        '  source_dir  = "lambda"',
        '  output_path = "build/lambda.zip"',
        '}',
        'resource "aws_lambda_function" "f" {',
        '  function_name = "f"',
        '  role          = "arn:aws:iam::123456789012:role/r"',
        '  handler       = "index.handler"',
        '  runtime       = "nodejs20.x"',
        '  filename      = data.archive_file.zip.output_path',
        '}',
      ].join('\n'),
      'lambda/index.mjs': "import { x } from './lib.mjs';\nexport const handler = async () => x;",
      'lambda/lib.mjs': 'export const x = 1;',
    });
    const { facts, app } = await analyze(dir);
    const f = facts.byFunction.get(app.functions[0]?.id ?? '');
    assert.equal(f?.entryFile, join(dir, 'lambda/index.mjs'));
    assert.deepEqual(
      f?.files.map((x) => x.slice(dir.length + 1)),
      ['lambda/index.mjs', 'lambda/lib.mjs'],
    );
  });
  test('files parsed ahead report their diagnostics in the order the imports are followed', async () => {
    // the first import is the largest file: its parse finishes after the others'
    const big = Array.from({ length: 20_000 }, (_, i) => `const v${i} = ${i};`).join('\n');
    const dir = tree({
      'serverless.yml': [
        'service: s',
        'provider: { name: aws, runtime: nodejs20.x }',
        'functions:',
        '  a:',
        '    handler: h.a',
        '  b:',
        '    handler: g.b',
      ].join('\n'),
      'h.js': "require('./big'); require('./m1'); require('./m2');\nexports.a = async () => 1;\n",
      'g.js': "require('./m3'); require('./m1');\nexports.b = async () => 1;\n",
      'big.js': `${big}\nconst = ;\n`,
      'm1.js': 'const = 1;\n',
      'm2.js': 'const = 2;\n',
      'm3.js': 'const = 3;\n',
    });
    const { facts, diagnostics } = await analyze(dir);
    const order = diagnostics.filter((d) => d.code === 'code-parse').map((d) => d.file?.slice(dir.length + 1));
    assert.deepEqual(order, ['big.js', 'm1.js', 'm2.js', 'm3.js']);
    assert.deepEqual(
      facts.byFunction.get([...facts.byFunction.keys()][0] as string)?.files.map((f) => f.slice(dir.length + 1)),
      ['h.js', 'big.js', 'm1.js', 'm2.js'],
    );
  });
});
