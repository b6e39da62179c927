// biome-ignore-all lint/suspicious/noTemplateCurlyInString: JavaScript source of the scanned projects in plain strings
/**
 * The taint engine end to end (scan -> JSON -> SARIF) and its propagation features, on small
 * projects written to a temp dir. The per-rule fire/no-fire fixtures live in test/fixtures/rules/.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Result } from '../../../src/engine/types.js';
import { formatJson } from '../../../src/report/json.js';
import { toSarif } from '../../../src/report/sarif.js';
import { allRules } from '../../../src/rules/index.js';
import { scan } from '../../../src/scan.js';
import { FIXED_NOW, rmTree, tmpTree } from '../../helpers/index.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmTree(d);
});

const SLS = (handler = 'handler.main', event = '      - httpApi: { path: /x, method: post }') =>
  `service: t\nprovider: { name: aws, runtime: nodejs20.x }\nfunctions:\n  api:\n    handler: ${handler}\n    events:\n${event}\n`;

async function run(files: Record<string, string>, rules = ['INJ-*', 'OTH-*']): Promise<Result> {
  const dir = tmpTree(files, 'fnguard-taint-');
  dirs.push(dir);
  return scan({ root: dir, rules, now: FIXED_NOW, ignoreFile: false });
}

const ids = (r: Result) =>
  r.findings
    .filter((f) => !f.suppressed)
    .map((f) => `${f.ruleId}@${f.location.file}:${f.location.line}`)
    .sort();

describe('taint flows in the outputs', () => {
  test('JSON findings carry the flow source to sink; SARIF shows it as codeFlows', async () => {
    const r = await run({
      'serverless.yml': SLS(),
      'handler.js': [
        "const { exec } = require('child_process');",
        'exports.main = async (event) => {',
        '  const body = JSON.parse(event.body);',
        '  const cmd = `convert ${body.file}`;',
        '  exec(cmd);',
        '};',
      ].join('\n'),
    });
    const f = r.findings.find((x) => x.ruleId === 'INJ-01');
    assert.ok(f, ids(r).join(', '));
    assert.deepEqual(f.location, { file: 'handler.js', line: 5, column: 3 });
    assert.deepEqual(
      f.flow?.map((s) => [s.file, s.line, s.note]),
      [
        ['handler.js', 3, 'source: event.body (request body)'],
        ['handler.js', 3, 'parsed with JSON.parse'],
        ['handler.js', 3, 'assigned to `body`'],
        ['handler.js', 4, 'assigned to `cmd`'],
        ['handler.js', 5, 'reaches child_process.exec (OS command)'],
      ],
    );
    const json = JSON.parse(await formatJson(r)) as Result;
    assert.deepEqual(json.findings.find((x) => x.ruleId === 'INJ-01')?.flow, f.flow);
    const sarif = toSarif(r, { rules: allRules.map((x) => x.meta) }) as {
      runs: {
        results: {
          ruleId: string;
          codeFlows?: {
            threadFlows: {
              locations: {
                location: {
                  physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
                  message: { text: string };
                };
              }[];
            }[];
          }[];
        }[];
      }[];
    };
    const res = sarif.runs[0]?.results.find((x) => x.ruleId === 'INJ-01');
    const locs = res?.codeFlows?.[0]?.threadFlows[0]?.locations ?? [];
    assert.equal(locs.length, 5);
    assert.equal(locs[0]?.location.physicalLocation.artifactLocation.uri, 'handler.js');
    assert.equal(locs[0]?.location.physicalLocation.region.startLine, 3);
    assert.match(locs[4]?.location.message.text ?? '', /reaches child_process.exec/);
  });

  test('`// fnguard-ignore RULE-ID: reason` on the sink line or the line above suppresses the code finding', async () => {
    const r = await run({
      'serverless.yml': SLS(),
      'handler.js': [
        "const cp = require('child_process');",
        'exports.main = async (event) => {',
        '  // fnguard-ignore INJ-01: the host is checked by the WAF',
        '  cp.exec(`ping ${event.queryStringParameters.a}`);',
        '  cp.exec(`ping ${event.queryStringParameters.b}`); // fnguard-ignore INJ-01: same',
        '',
        '  cp.exec(`ping ${event.queryStringParameters.c}`); // fnguard-ignore INJ-02: another rule',
        '};',
      ].join('\n'),
    });
    const inj = r.findings.filter((f) => f.ruleId === 'INJ-01');
    assert.deepEqual(
      inj.map((f) => [f.location.line, f.suppressed, f.suppression?.reason]),
      [
        [4, true, 'the host is checked by the WAF'],
        [5, true, 'same'],
        [7, false, undefined],
      ],
    );
  });
});

describe('propagation', () => {
  test('across modules: TS path aliases, re-exports, class methods, promises and callbacks', async () => {
    const r = await run(
      {
        'serverless.yml': SLS('dist/handler.main'),
        'tsconfig.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@lib/*": ["src/lib/*"] } } }',
        'src/handler.ts': [
          "import { Runner } from '@lib/index';",
          "import type { APIGatewayProxyEventV2 } from 'aws-lambda';",
          'const runner = new Runner();',
          'export const main = async (event: APIGatewayProxyEventV2) => {',
          '  const { name, ...rest } = JSON.parse(event.body ?? "{}");',
          '  const names = [name, ...Object.values(rest)].map((n) => String(n).trim());',
          '  await Promise.resolve(names[0]).then((first) => runner.run(first));',
          '  return { statusCode: 204 };',
          '};',
        ].join('\n'),
        'src/lib/index.ts': "export * from './runner';",
        'src/lib/runner.ts': [
          "import { execSync } from 'child_process';",
          'export class Runner {',
          '  run(arg: string) {',
          '    return execSync(`./tool ${arg}`);',
          '  }',
          '}',
        ].join('\n'),
      },
      ['INJ-01'],
    );
    assert.deepEqual(ids(r), ['INJ-01@src/lib/runner.ts:4']);
    const flow = r.findings[0]?.flow ?? [];
    assert.equal(flow[0]?.file, 'src/handler.ts');
    assert.ok(flow.some((s) => s.note.includes('passed to `run()`')));
  });

  test('middy-wrapped handlers, Koa and Fastify routes, and trusted fields', async () => {
    const r = await run(
      {
        'serverless.yml': `service: t\nprovider: { name: aws, runtime: nodejs20.x }\nfunctions:\n  a:\n    handler: a.handler\n    events:\n      - http: { path: a, method: get }\n  k:\n    handler: k.handler\n    events:\n      - httpApi: '*'\n  f:\n    handler: f.handler\n    events:\n      - alb: { listenerArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/x/1/2, priority: 1, conditions: { path: /f } }\n`,
        'a.js': [
          "const middy = require('@middy/core');",
          "const fs = require('fs');",
          'const base = async (event) => {',
          '  fs.readFileSync(event.pathParameters.file);',
          '  fs.readFileSync(`/data/${event.requestContext.stage}`);',
          '};',
          'module.exports.handler = middy(base).use({ before: () => {} });',
        ].join('\n'),
        'k.js': [
          "const Koa = require('koa');",
          "const serverless = require('serverless-http');",
          'const app = new Koa();',
          'app.use(async (ctx) => { ctx.body = new RegExp(ctx.query.q).source; ctx.redirect(ctx.query.next); });',
          'module.exports.handler = serverless(app);',
        ].join('\n'),
        'f.js': [
          "const Fastify = require('fastify');",
          "const awsLambdaFastify = require('@fastify/aws-lambda');",
          'const app = Fastify();',
          "app.get('/f', async (request, reply) => { eval(request.query.code); return 'ok'; });",
          'module.exports.handler = awsLambdaFastify(app);',
        ].join('\n'),
      },
      ['INJ-06', 'INJ-12', 'INJ-02', 'INJ-15'],
    );
    assert.deepEqual(ids(r), ['INJ-02@f.js:4', 'INJ-06@a.js:4', 'INJ-12@k.js:4', 'INJ-15@k.js:4']);
  });

  test('a middy validator makes the event safe; the whole event is tainted when the trigger is unknown', async () => {
    const r = await run(
      {
        'template.yaml': [
          'AWSTemplateFormatVersion: "2010-09-09"',
          'Transform: AWS::Serverless-2016-10-31',
          'Resources:',
          '  Validated:',
          '    Type: AWS::Serverless::Function',
          '    Properties: { CodeUri: ., Handler: v.handler, Runtime: nodejs20.x, Events: { Api: { Type: HttpApi } } }',
          '  NoTrigger:',
          '    Type: AWS::Serverless::Function',
          '    Properties: { CodeUri: ., Handler: u.handler, Runtime: nodejs20.x }',
        ].join('\n'),
        'v.js': [
          "const middy = require('@middy/core');",
          "const validator = require('@middy/validator');",
          "const { exec } = require('child_process');",
          'const base = async (event) => { exec(event.body.cmd); };',
          'exports.handler = middy(base).use(validator({ eventSchema: {} }));',
        ].join('\n'),
        'u.js': "const { exec } = require('child_process');\nexports.handler = async (event) => { exec(event.anything.at.all); };\n",
      },
      ['INJ-01'],
    );
    assert.deepEqual(ids(r), ['INJ-01@u.js:2']);
  });

  test('with no trigger in the IaC, a TypeScript handler type tells the event shape', async () => {
    const r = await run(
      {
        'template.yaml': [
          'AWSTemplateFormatVersion: "2010-09-09"',
          'Transform: AWS::Serverless-2016-10-31',
          'Resources:',
          '  Typed:',
          '    Type: AWS::Serverless::Function',
          '    Properties: { CodeUri: ., Handler: t.handler, Runtime: nodejs20.x }',
        ].join('\n'),
        't.ts': [
          "import { execSync } from 'node:child_process';",
          "import type { S3Handler } from 'aws-lambda';",
          'export const handler: S3Handler = async (event) => {',
          '  execSync(`aws s3 ls ${event.Records[0].s3.bucket.name}`);',
          '  execSync(`convert ${event.Records[0].s3.object.key}`);',
          '};',
        ].join('\n'),
      },
      ['INJ-01'],
    );
    assert.deepEqual(ids(r), ['INJ-01@t.ts:5']);
  });

  test('CloudFormation inline code is analysed and reported in the template', async () => {
    const r = await run(
      {
        'template.json': JSON.stringify(
          {
            AWSTemplateFormatVersion: '2010-09-09',
            Resources: {
              Fn: {
                Type: 'AWS::Lambda::Function',
                Properties: {
                  Runtime: 'nodejs20.x',
                  Handler: 'index.handler',
                  Role: 'arn:aws:iam::123456789012:role/r',
                  Code: { ZipFile: "const cp = require('child_process');\nexports.handler = async (e) => cp.execSync(e.cmd);\n" },
                },
              },
            },
          },
          null,
          2,
        ),
      },
      ['INJ-01'],
    );
    assert.equal(r.findings.length, 1);
    assert.equal(r.findings[0]?.location.file, 'template.json');
  });

  test('hostile code: deep nesting and huge expressions end as a diagnostic or a clean result, never a crash', async () => {
    const deep = `exports.main = async (event) => ${'('.repeat(3000)}event.body${')'.repeat(3000)};\n`;
    const wide = `exports.main = async (event) => { const x = ${Array.from({ length: 20000 }, () => 'event.body').join(' + ')}; return x; };\n`;
    const r = await run({ 'serverless.yml': SLS('handler.main'), 'handler.js': deep, 'x/serverless.yml': SLS('h.main'), 'x/h.js': wide });
    assert.ok(Array.isArray(r.findings));
  });
});

describe('memoized calls', () => {
  test('a helper called with clean and with tainted arguments: each call shape analysed on its own, in either order', async () => {
    const helper = ["const { exec } = require('child_process');", 'exports.run = (cmd) => exec(`tool ${cmd}`);'].join('\n');
    for (const order of [
      ["run('--version');", 'run(event.body);'],
      ['run(event.body);', "run('--version');"],
    ]) {
      const r = await run({
        'serverless.yml': SLS(),
        'helper.js': helper,
        'handler.js': [
          "const { run } = require('./helper');",
          'exports.main = async (event) => {',
          ...order.map((l) => `  ${l}`),
          '};',
        ].join('\n'),
      });
      const f = r.findings.filter((x) => x.ruleId === 'INJ-01');
      assert.equal(f.length, 1, ids(r).join(', '));
      assert.equal(f[0]?.location.file, 'helper.js');
      const src = f[0]?.flow?.[0];
      assert.equal(src?.file, 'handler.js');
      assert.equal(src?.line, 3 + order.indexOf('run(event.body);'));
    }
  });

  test('a helper called with a clean argument only reports nothing, even when another export taints a different helper', async () => {
    const r = await run({
      'serverless.yml': SLS(),
      'handler.js': [
        "const { exec } = require('child_process');",
        'const run = (cmd) => exec(`tool ${cmd}`);',
        'const quote = (s) => `"${s}"`;',
        'exports.main = async (event) => {',
        "  run(quote('fixed'));",
        '  return quote(event.body);',
        '};',
      ].join('\n'),
    });
    assert.deepEqual(
      r.findings.filter((x) => x.ruleId === 'INJ-01'),
      [],
    );
  });

  test('callbacks: the same higher-order helper with a clean and a dangerous callback', async () => {
    const r = await run({
      'serverless.yml': SLS(),
      'handler.js': [
        "const { exec } = require('child_process');",
        'const apply = (x, f) => f(x);',
        'exports.main = async (event) => {',
        '  apply(event.body, (v) => v.length);',
        '  apply(event.body, (v) => exec(v));',
        '};',
      ].join('\n'),
    });
    assert.deepEqual(
      r.findings.filter((x) => x.ruleId === 'INJ-01').map((f) => f.location.line),
      [5],
    );
  });

  test('recursion and mutual recursion end, and flows through them are found', async () => {
    const r = await run({
      'serverless.yml': SLS(),
      'handler.js': [
        "const { exec } = require('child_process');",
        'function down(x, n) { return n > 0 ? down(x, n - 1) : x; }',
        'function even(x, n) { return n === 0 ? x : odd(`${x}!`, n - 1); }',
        'function odd(x, n) { return n === 0 ? x : even(x, n - 1); }',
        'exports.main = async (event) => {',
        '  exec(down(event.body, 3));',
        '  exec(even(event.pathParameters.id, 4));',
        "  exec(odd('safe', 2));",
        '};',
      ].join('\n'),
    });
    assert.deepEqual(
      r.findings.filter((x) => x.ruleId === 'INJ-01').map((f) => f.location.line),
      [6, 7],
    );
  });
});
