// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Serverless Framework `${}` variable syntax in plain strings
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadServerlessConfig } from '../../../src/load/serverless/index.js';
import { findClose, splitSpans, splitTopLevel } from '../../../src/load/serverless/variables.js';
import { type Diagnostic, type EnvVar, isUnknown } from '../../../src/model/types.js';
import { ctxFor, type LoadOptions } from './helpers.js';

const base = mkdtempSync(join(tmpdir(), 'fnguard-sls-vars-'));
const root = join(base, 'root');
mkdirSync(join(root, 'svc', 'config'), { recursive: true });
writeFileSync(join(root, 'svc', 'config', 'dev.yml'), 'region: eu-central-1\nsecret: ${ssm:/app/key}\nlist:\n  - a\n  - b\n');
writeFileSync(join(root, 'svc', 'config', 'vals.json'), '{ "level": 7 }');
writeFileSync(join(root, 'svc', 'config', 'broken.yml'), 'a: [1, 2\n');
writeFileSync(join(root, 'svc', 'config', 'loop.yml'), 'x: ${file(./config/loop.yml):x}\n');
writeFileSync(join(base, 'outside.yml'), 'secret: leaked\n');
after(() => rmSync(base, { recursive: true, force: true }));

/** Load an inline serverless.yml whose provider.environment is `env` (YAML lines); returns env values. */
async function envOf(envYaml: string, o: LoadOptions = {}, extra = '') {
  const text = `service: vars\n${extra}provider:\n  name: aws\n  runtime: nodejs20.x\n  environment:\n${envYaml}\nfunctions:\n  f:\n    handler: h.h\n`;
  const diagnostics: Diagnostic[] = [];
  const file = join(root, 'svc', 'serverless.yml');
  const part = await loadServerlessConfig(text, file, ctxFor(root, diagnostics, [], o));
  const env: Record<string, unknown> = {};
  for (const e of (part.functions?.[0]?.env ?? []) as EnvVar[])
    env[e.name] = isUnknown(e.value)
      ? { expr: e.value.expr, hint: e.value.hint, ...(e.value.target ? { target: e.value.target } : {}) }
      : e.value;
  return { env, diagnostics, part };
}

describe('serverless variables', () => {
  it('splits variable spans, fallbacks and nesting', () => {
    assert.deepEqual(splitSpans('a-${x:y}-b'), ['a-', { inner: 'x:y' }, '-b']);
    assert.deepEqual(splitSpans('${a:${b:c}}'), [{ inner: 'a:${b:c}' }]);
    assert.equal(splitSpans('${unclosed'), undefined);
    assert.equal(findClose("${opt:x, 'a}b'}", 0), 14);
    assert.deepEqual(splitTopLevel("opt:stage, 'dev, x', ${env:A, 'b'}", ','), ['opt:stage', " 'dev, x'", " ${env:A, 'b'}"]);
  });

  it('resolves self, opt with defaults, sls:stage, env, params and interpolation', async () => {
    const { env, diagnostics } = await envOf(
      [
        '    STAGE: ${opt:stage, "dev"}',
        '    SLS: ${sls:stage}',
        '    SELF: ${self:custom.name}-${self:provider.runtime}',
        '    NUM: ${self:custom.n}',
        "    FALLBACK: ${env:NOPE, self:custom.name, 'x'}",
        '    ENV: ${env:HOME_X}',
        '    ENV_MISSING: ${env:MISSING_X}',
        '    NESTED: ${self:custom.${opt:stage, "dev"}.v}',
        '    PARAM: ${param:p}',
        '    PARAM_CLI: ${param:q}',
        '    REGION: ${self:provider.region}',
        "    QUOTED: ${opt:nope, 'a, b'}",
        '    NUMFB: ${opt:nope, 42}',
        '    BARE: ${opt:region, us-west-1}',
        '    BAREVAR: ${opt:nope, sls:stage}',
      ].join('\n'),
      { env: { HOME_X: '/h' }, opts: { 'param:q': 'from-cli' } },
      'custom:\n  name: app\n  n: 5\n  dev:\n    v: deep\nparams:\n  default:\n    p: pdefault\n',
    );
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(env, {
      STAGE: 'dev',
      SLS: 'dev',
      SELF: 'app-nodejs20.x',
      NUM: '5',
      FALLBACK: 'app',
      ENV: '/h',
      ENV_MISSING: { expr: '${env:MISSING_X}', hint: 'variable' },
      NESTED: 'deep',
      PARAM: 'pdefault',
      PARAM_CLI: 'from-cli',
      REGION: 'us-east-1',
      QUOTED: 'a, b',
      NUMFB: '42',
      BARE: 'us-west-1',
      BAREVAR: 'dev',
    });
  });

  it('reads v4 stages.<stage>.params before stages.default.params', async () => {
    const extra = 'stages:\n  default:\n    params:\n      a: da\n      b: db\n  prod:\n    params:\n      a: pa\n';
    const dev = await envOf('    A: ${param:a}\n    B: ${param:b}', {}, extra);
    assert.deepEqual(dev.env, { A: 'da', B: 'db' });
    const prod = await envOf('    A: ${param:a}\n    B: ${param:b}', { opts: { stage: 'prod' } }, extra);
    assert.deepEqual(prod.env, { A: 'pa', B: 'db' });
  });

  it('keeps external sources Unknown with hints (ssm and secrets are secret-reference)', async () => {
    const { env } = await envOf(
      [
        '    SSM: ${ssm:/app/password}',
        '    SSM_MIXED: prefix-${ssm:/app/password}',
        '    SM: ${ssm:/aws/reference/secretsmanager/db}',
        '    V4: ${awsProd:secretsmanager:db}',
        '    CF: ${cf:other-stack.TableName}',
        '    AWS: ${aws:accountId}',
        '    S3: ${s3:bucket/key}',
        '    PARAM: ${param:unset}',
        '    DYN: "{{resolve:secretsmanager:db:SecretString:password}}"',
        '    REF: !Ref MyQueue',
        '    GETATT:',
        '      Fn::GetAtt: [Table, Arn]',
      ].join('\n'),
    );
    assert.deepEqual(env, {
      SSM: { expr: '${ssm:/app/password}', hint: 'secret-reference' },
      SSM_MIXED: { expr: 'prefix-${ssm:/app/password}', hint: 'secret-reference' },
      SM: { expr: '${ssm:/aws/reference/secretsmanager/db}', hint: 'secret-reference' },
      V4: { expr: '${awsProd:secretsmanager:db}', hint: 'secret-reference' },
      CF: { expr: '${cf:other-stack.TableName}', hint: 'ref', target: 'other-stack' },
      AWS: { expr: '${aws:accountId}', hint: 'variable' },
      S3: { expr: '${s3:bucket/key}', hint: 'other' },
      PARAM: { expr: '${param:unset}', hint: 'parameter' },
      DYN: { expr: '{{resolve:secretsmanager:db:SecretString:password}}', hint: 'secret-reference' },
      REF: { expr: '!Ref MyQueue', hint: 'ref', target: 'MyQueue' },
      GETATT: { expr: '!GetAtt Table.Arn', hint: 'ref', target: 'Table' },
    });
  });

  it('reads ${file()} relative to the service dir, with addresses, JSON, nested variables and errors', async () => {
    const { env, diagnostics } = await envOf(
      [
        '    REGION: ${file(./config/${opt:stage, "dev"}.yml):region}',
        '    SECRET: ${file(./config/dev.yml):secret}',
        '    ITEM: ${file(./config/dev.yml):list.1}',
        '    JSON: ${file(./config/vals.json):level}',
        "    MISSING: ${file(./config/none.yml):x, 'fallback'}",
        '    BROKEN: ${file(./config/broken.yml):a}',
        '    OUTSIDE: ${file(../../outside.yml):secret}',
        '    JS: ${file(./config/x.js):y}',
      ].join('\n'),
    );
    assert.equal(env.REGION, 'eu-central-1');
    assert.deepEqual(env.SECRET, { expr: '${ssm:/app/key}', hint: 'secret-reference' });
    assert.equal(env.ITEM, 'b');
    assert.equal(env.JSON, '7');
    assert.equal(env.MISSING, 'fallback');
    assert.ok(isUnknownLike(env.BROKEN));
    assert.ok(isUnknownLike(env.OUTSIDE), 'never reads outside the scan root');
    assert.ok(isUnknownLike(env.JS));
    const codes = diagnostics.map((d) => d.code);
    assert.ok(codes.includes('skipped-executable-config'));
    assert.ok(
      diagnostics.some((d) => d.code === 'variable-file' && /outside/.test(d.message)),
      JSON.stringify(diagnostics),
    );
    assert.ok(diagnostics.every((d) => d.line !== undefined && d.file.endsWith('serverless.yml')));
  });

  it('positions values from ${file()} in the file they came from', async () => {
    const { part } = await envOf('    A: x', {}, 'custom: ${file(./config/dev.yml)}\n');
    void part;
    const text =
      'service: s\nprovider:\n  name: aws\n  iam:\n    role:\n      statements: ${file(./config/stmts.yml):statements}\nfunctions:\n  f:\n    handler: h.h\n';
    writeFileSync(join(root, 'svc', 'config', 'stmts.yml'), 'statements:\n  - Effect: Allow\n    Action: s3:*\n    Resource: "*"\n');
    const diagnostics: Diagnostic[] = [];
    const p = await loadServerlessConfig(text, join(root, 'svc', 'serverless.yml'), ctxFor(root, diagnostics));
    const st = p.identities?.[0]?.statements.find((s) => s.actions?.includes('s3:*'));
    assert.ok(st);
    assert.equal(st.where.file, join(root, 'svc', 'config', 'stmts.yml'));
    assert.equal(st.where.line, 2);
  });

  it('detects cycles and runaway nesting without hanging', async () => {
    const { env, diagnostics } = await envOf(
      ['    A: ${self:custom.a}', '    B: ${self:custom.selfref}', '    L: ${file(./config/loop.yml):x}'].join('\n'),
      {},
      'custom:\n  a: ${self:custom.b}\n  b: ${self:custom.a}\n  selfref:\n    inner: ${self:custom.selfref}\n',
    );
    assert.ok(isUnknownLike(env.A));
    assert.ok(isUnknownLike(env.L));
    assert.ok(diagnostics.some((d) => d.code === 'variable-cycle' && d.line !== undefined));
    // deep chain: c0 -> c1 -> ... -> c99
    const chain = Array.from({ length: 100 }, (_, i) => `  c${i}: \${self:custom.c${i + 1}}`).join('\n');
    const r = await envOf('    D: ${self:custom.c0}', {}, `custom:\n${chain}\n  c100: end\n`);
    assert.ok(isUnknownLike(r.env.D));
    assert.ok(r.diagnostics.some((d) => d.code === 'variable-depth'));
  });

  it('bounds exponential expansion', async () => {
    const levels = Array.from({ length: 30 }, (_, i) => `  l${i}: "\${self:custom.l${i + 1}}\${self:custom.l${i + 1}}"`).join('\n');
    const t0 = Date.now();
    const r = await envOf('    X: ${self:custom.l0}', {}, `custom:\n${levels}\n  l30: ab\n`);
    assert.ok(Date.now() - t0 < 5000);
    // memoized: the value is exact (2^30 chars would be a hang without memo; the string cap keeps it Unknown or exact)
    assert.ok(typeof r.env.X === 'string' || isUnknownLike(r.env.X));
  });
});

function isUnknownLike(v: unknown): boolean {
  return typeof v === 'object' && v !== null && typeof (v as { expr?: unknown }).expr === 'string';
}

describe('serverless variables: expansion limits', () => {
  it('caps wide interpolation (no giant strings)', async () => {
    const wide = (i: number) => Array.from({ length: 40 }, () => `\${self:custom.w${i + 1}}`).join('');
    const levels = Array.from({ length: 6 }, (_, i) => `  w${i}: "${wide(i)}"`).join('\n');
    const t0 = Date.now();
    const r = await envOf('    X: ${self:custom.w0}', {}, `custom:\n${levels}\n  w6: abcdefgh\n`);
    assert.ok(Date.now() - t0 < 5000);
    assert.ok(isUnknownLike(r.env.X));
    assert.ok(r.diagnostics.some((d) => d.code === 'variable-budget'));
  });
});
