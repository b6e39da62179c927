// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Serverless Framework `${}` variable syntax in plain strings
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { loadServerlessConfig } from '../../../src/load/serverless/index.js';
import type { Diagnostic } from '../../../src/model/types.js';
import { ctxFor } from './helpers.js';

const ROOT = '/nonexistent-fnguard-root';
const FILE = `${ROOT}/svc/serverless.yml`;

async function run(text: string, file = FILE) {
  const diagnostics: Diagnostic[] = [];
  const ctx = ctxFor(ROOT, diagnostics);
  const part = await loadServerlessConfig(text, file, ctx);
  return { part, diagnostics };
}

describe('serverless adapter: hostile input', () => {
  it('malformed YAML becomes a diagnostic with a line', async () => {
    const { part, diagnostics } = await run('service: x\nprovider:\n  name: aws\n  runtime: [nodejs\nfunctions: {');
    assert.ok(diagnostics.some((d) => d.code === 'yaml-parse' && d.level === 'error' && (d.line ?? 0) >= 4 && d.file === FILE));
    assert.ok(Array.isArray(part.functions ?? []));
  });

  it('alias bombs are refused', async () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++)
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    const t0 = Date.now();
    const { part, diagnostics } = await run(`custom:\n${lines.map((l) => `  ${l}`).join('\n')}\nservice: bomb\n`);
    assert.ok(Date.now() - t0 < 3000);
    assert.ok(diagnostics.some((d) => d.code === 'alias-bomb' && d.line !== undefined));
    assert.deepEqual(part, {});
  });

  it('deep nesting and huge files are refused', async () => {
    const deep = `custom: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    const r1 = await run(deep);
    assert.ok(r1.diagnostics.some((d) => d.code === 'too-deep'));
    let block = 'custom:\n';
    for (let i = 0; i < 300; i++) block += `${'  '.repeat(i + 1)}k${i}:\n`;
    const r2 = await run(block);
    assert.ok(r2.diagnostics.some((d) => d.code === 'too-deep'));
    const huge = `service: x\ncustom:\n  pad: "${'a'.repeat(21 * 1024 * 1024)}"\n`;
    const r3 = await run(huge);
    assert.ok(r3.diagnostics.some((d) => d.code === 'too-large'));
  });

  it('a non-mapping top level or an empty file is a diagnostic', async () => {
    const r = await run('- a\n- b\n');
    assert.deepEqual(
      r.diagnostics.map((d) => [d.code, d.line]),
      [['invalid-config', 1]],
    );
    const e = await run('# nothing\n');
    assert.deepEqual(
      e.diagnostics.map((d) => d.code),
      ['invalid-config'],
    );
  });

  it('wrong types everywhere become warnings with lines, never a throw', async () => {
    const text = [
      'service: 42',
      'provider:',
      '  name: aws',
      '  environment: [1, 2]',
      '  iam:',
      '    role:',
      '      statements: "nope"',
      '      managedPolicies: 7',
      '  vpc: "x"',
      '  apiGateway: 5',
      '  httpApi: [1]',
      '  tracing: true',
      '  logs: 3',
      '  deploymentBucket: [1]',
      'functions:',
      '  a:',
      '    handler: [1]',
      '    events: "x"',
      '  b: 5',
      '  c:',
      '    timeout: fast',
      '    memorySize: {a: 1}',
      '    url: 3',
      '    layers: 1',
      '    destinations: []',
      '    events:',
      '      - 5',
      '      - http: 5',
      '      - httpApi: {authorizer: {name: missing}}',
      '      - sqs: {arn: [1]}',
      '      - stream: {}',
      '      - s3: null',
      '      - alb: []',
      '      - websocket: {}',
      '      - schedule: {rate: {a: 1}}',
      '      - {}',
      '      - sns: {}',
      '      - cognitoUserPool: 1',
      'resources: 5',
      'layers: 4',
    ].join('\n');
    const { part, diagnostics } = await run(text);
    assert.ok(diagnostics.length >= 8, JSON.stringify(diagnostics, null, 1));
    for (const d of diagnostics) {
      assert.equal(d.file, FILE);
      assert.ok(typeof d.line === 'number' && d.line >= 1, JSON.stringify(d));
    }
    const lines = new Set(diagnostics.map((d) => d.line));
    for (const l of [4, 7, 18, 19, 21, 27]) assert.ok(lines.has(l), `a diagnostic on line ${l}: ${JSON.stringify(diagnostics)}`);
    assert.deepEqual(
      part.functions?.map((f) => f.name),
      ['a', 'c'],
    );
  });

  it('functions: 5 and events: "x"', async () => {
    const r = await run('service: s\nprovider: {name: aws}\nfunctions: 5\n');
    assert.deepEqual(
      r.diagnostics.map((d) => [d.code, d.line]),
      [['invalid-config', 3]],
    );
    const r2 = await run('service: s\nprovider: {name: aws}\nfunctions:\n  f:\n    handler: h\n    events: "x"\n');
    assert.deepEqual(
      r2.diagnostics.map((d) => [d.code, d.line]),
      [['invalid-config', 6]],
    );
    assert.equal(r2.part.functions?.[0]?.triggers.length, 0);
  });

  it('skips non-aws providers', async () => {
    const r = await run('service: s\nprovider:\n  name: google\nfunctions:\n  f:\n    handler: h\n');
    assert.deepEqual(r.part.functions, undefined);
    assert.deepEqual(
      r.diagnostics.map((d) => d.code),
      ['unsupported-provider'],
    );
  });
});

/* ------------------------------------------------------------------------------------------ */

const scalar = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(
    '${self:custom.a}',
    '${self:custom.${opt:stage}}',
    '${opt:stage, "dev"}',
    '${env:HOME}',
    '${file(./x.yml):a}',
    '${file(../../../etc/passwd)}',
    '${ssm:/a/b}',
    '${sls:stage}',
    '${self:}',
    '${',
    '}${',
    'arn:aws:iam::aws:policy/AdministratorAccess',
    'aws_iam',
    '*',
  ),
);

const key = fc.constantFrom(
  'service',
  'provider',
  'functions',
  'custom',
  'resources',
  'events',
  'http',
  'httpApi',
  'sqs',
  'stream',
  'iam',
  'role',
  'statements',
  'environment',
  'handler',
  'runtime',
  'url',
  'cors',
  'authorizer',
  'vpc',
  'layers',
  'Resources',
  'Type',
  'Properties',
  'Fn::GetAtt',
  'Ref',
  'stateMachines',
  'definition',
  'loggingConfig',
  'alerts',
  'alarms',
  'topics',
  'customDomain',
  'customDomains',
  'extensions',
  'deploymentBucket',
  'logs',
  'a',
  'b',
);

const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('arr'), tie('obj')),
  arr: fc.array(tie('node'), { maxLength: 4 }),
  obj: fc.dictionary(key, tie('node'), { maxKeys: 5 }),
})).node;

const config = fc.record({
  service: scalar,
  provider: fc.oneof(value, fc.record({ name: fc.constant('aws'), iam: value, environment: value, httpApi: value, apiGateway: value })),
  custom: fc.oneof(
    value,
    fc.record({ alerts: value, customDomain: value, customDomains: value, 'serverless-iam-roles-per-function': value }),
  ),
  functions: fc.oneof(
    value,
    fc.dictionary(
      fc.string({ maxLength: 6 }),
      fc.oneof(
        value,
        fc.record({
          handler: scalar,
          events: fc.array(fc.dictionary(key, value, { maxKeys: 2 }), { maxLength: 4 }),
          role: value,
          url: value,
          iam: value,
        }),
      ),
      { maxKeys: 4 },
    ),
  ),
  resources: value,
  plugins: fc.constantFrom(
    ['serverless-domain-manager', 'serverless-plugin-aws-alerts', 'serverless-step-functions'],
    { modules: ['serverless-plugin-aws-alerts'] },
    'x',
  ),
  stepFunctions: value,
});

describe('serverless adapter: fuzz', () => {
  it('never throws on random YAML-ish text', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.string({ maxLength: 20 }),
            fc.constantFrom('\n', ': ', '- ', '  ', '&a ', '*a ', '!Ref ', '{', '}', '[', ']', '${self:a}', '<<: *a'),
          ),
          { maxLength: 60 },
        ),
        async (parts) => {
          await run(parts.join(''));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws on random serverless-shaped objects', async () => {
    await fc.assert(
      fc.asyncProperty(config, async (cfg) => {
        const text = stringify(cfg, { aliasDuplicateObjects: false });
        const { diagnostics } = await run(text);
        for (const d of diagnostics) assert.equal(typeof d.message, 'string');
        const j = await run(JSON.stringify(cfg), `${ROOT}/svc/serverless.json`);
        void j;
      }),
      { numRuns: 300 },
    );
  });
});
