// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Serverless/CloudFormation `${}` expressions in plain strings
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { unknown } from '../../../src/model/types.js';
import { runtimeData, runtimeStatus } from '../../../src/rules/lib/runtimes.js';
import SUP01 from '../../../src/rules/sup/SUP-01.js';
import SUP02 from '../../../src/rules/sup/SUP-02.js';
import SUP03 from '../../../src/rules/sup/SUP-03.js';
import SUP04 from '../../../src/rules/sup/SUP-04.js';
import SUP05 from '../../../src/rules/sup/SUP-05.js';
import SUP06 from '../../../src/rules/sup/SUP-06.js';
import SUP07 from '../../../src/rules/sup/SUP-07.js';
import { app, at, check, fn, resource, role, summary } from '../lib/cfgBuild.js';

const d = (iso: string) => new Date(`${iso}T12:00:00Z`);

describe('runtime lifecycle data', () => {
  test('is loaded and consistent', () => {
    const data = runtimeData();
    assert.ok(data.asOf.length > 0);
    assert.ok(Object.keys(data.runtimes).length >= 45);
    for (const [name, lc] of Object.entries(data.runtimes)) {
      assert.match(lc.deprecated, /^\d{4}-\d{2}-\d{2}$/, name);
      if (lc.blockUpdate && lc.blockCreate) assert.ok(lc.blockUpdate >= lc.blockCreate, `${name}: block update before block create`);
      if (lc.successor) assert.ok(data.runtimes[lc.successor], `${name}: successor ${lc.successor} unknown`);
    }
    for (const latest of Object.values(data.latest)) assert.ok(data.runtimes[latest], latest);
  });
  test('phases of nodejs20.x over time', () => {
    assert.equal(runtimeStatus('nodejs20.x', d('2025-09-01'))?.phase, 'not-latest');
    assert.equal(runtimeStatus('nodejs20.x', d('2026-01-15'))?.phase, 'deprecating-soon');
    assert.equal(runtimeStatus('nodejs20.x', d('2026-11-23'))?.phase, 'deprecated');
    assert.equal(runtimeStatus('nodejs20.x', d('2027-02-15'))?.phase, 'create-blocked');
    assert.equal(runtimeStatus('nodejs20.x', d('2027-03-03'))?.phase, 'update-blocked');
    assert.equal(runtimeStatus('NODEJS24.X', d('2026-11-23'))?.phase, 'current');
    assert.equal(runtimeStatus('cobol1.0', d('2026-11-23')), undefined);
    assert.equal(runtimeStatus('constructor', d('2026-11-23')), undefined);
  });
});

describe('SUP-01 deprecated runtimes', () => {
  const a = () =>
    app({
      functions: [
        fn('node20', { runtime: 'nodejs20.x' }),
        fn('node22', { runtime: 'nodejs22.x' }),
        fn('py312', { runtime: 'python3.12' }),
        fn('py27', { runtime: 'python2.7' }),
        fn('node24', { runtime: 'nodejs24.x' }),
        fn('image', { runtime: undefined, packageType: 'image' }),
        fn('unk', { runtime: unknown('${self:custom.runtime}') }),
      ],
    });
  test('today (2026-11-23): deprecated high, soon low, not latest info, blocked critical', () => {
    const f = check(SUP01, a(), d('2026-11-23'));
    assert.deepEqual(summary(f), ['node20:high', 'node22:low', 'py312:info', 'py27:critical']);
    assert.match(f[0]?.message ?? '', /deprecated since 2026-04-30.*2027-03-03.*nodejs24\.x/);
    assert.equal((f[0]?.details as { dataAsOf?: string } | undefined)?.dataAsOf, runtimeData().asOf);
  });
  test('after block-update everything old is critical; a year earlier nodejs20.x was only info', () => {
    assert.deepEqual(summary(check(SUP01, a(), d('2027-03-10'))), ['node20:critical', 'node22:low', 'py312:info', 'py27:critical']);
    assert.deepEqual(summary(check(SUP01, a(), d('2025-06-01'))).slice(0, 2), ['node20:info', 'node22:info']);
  });
  test('points at the runtime position', () => {
    const where = at('provider.runtime');
    const f = check(SUP01, app({ functions: [fn('x', { runtime: 'nodejs18.x', runtimeWhere: where })] }));
    assert.equal(f[0]?.where, where);
  });
});

describe('SUP-02 code signing', () => {
  test('none and Warn flagged, Enforce / resource Enforce / Unknown / image not', () => {
    const a = app({
      resources: [
        resource('Csc', 'code-signing-config', { untrustedArtifactOnDeployment: 'Enforce' }),
        resource('CscWarn', 'code-signing-config', {}),
      ],
      functions: [
        fn('none'),
        fn('warn', {
          codeSigning: { config: 'arn:aws:lambda:us-east-1:111122223333:code-signing-config:csc-1', enforcement: 'Warn', where: at() },
        }),
        fn('enforce', { codeSigning: { config: 'arn:x', enforcement: 'Enforce', where: at() } }),
        fn('viaRes', { codeSigning: { config: unknown('!GetAtt Csc.CodeSigningConfigArn', { target: 'Csc' }), where: at() } }),
        fn('viaResWarn', { codeSigning: { config: unknown('!GetAtt CscWarn.CodeSigningConfigArn', { target: 'CscWarn' }), where: at() } }),
        fn('external', { codeSigning: { config: unknown('${ssm:/csc}'), where: at() } }),
        fn('image', { packageType: 'image' }),
      ],
    });
    assert.deepEqual(summary(check(SUP02, a)), ['none:medium', 'warn:medium', 'viaResWarn:medium']);
  });
});

describe('SUP-03 cross-account layers', () => {
  test('AWS-published low, own account silent, other account high when own known, medium when not', () => {
    const L = (arn: string | ReturnType<typeof unknown>, extra = {}) => ({ arn, where: at('layers'), ...extra });
    const a = app({
      identities: [role('Ext', [], { external: true, arn: 'arn:aws:iam::111122223333:role/app' })],
      functions: [
        fn('known', {
          identity: 'Ext',
          layers: [
            L('arn:aws:lambda:us-east-1:111122223333:layer:own:3'),
            L('arn:aws:lambda:us-east-1:999988887777:layer:vendor:1'),
            L('arn:aws:lambda:us-east-1:580247275435:layer:LambdaInsightsExtension:49'),
          ],
        }),
        fn('unknownOwn', {
          layers: [
            L('arn:aws:lambda:eu-west-1:999988887777:layer:vendor:1'),
            L(unknown('!Ref Layer', { target: 'Layer' })),
            L('arn:x', { layerId: 'Local' }),
          ],
        }),
      ],
    });
    const f = check(SUP03, a);
    assert.deepEqual(summary(f), ['known:high', 'known:low', 'unknownOwn:medium']);
    assert.match(f[0]?.message ?? '', /'vendor' from account 999988887777/);
  });
});

describe('SUP-04 public layers', () => {
  test('principal * without org id', () => {
    const a = app({
      layers: [
        { id: 'Pub', name: 'shared', permissions: [{ principal: '*', where: at() }], where: at() },
        { id: 'Org', permissions: [{ principal: '*', organizationId: 'o-abc', where: at() }], where: at() },
        { id: 'Acct', permissions: [{ principal: '111122223333', where: at() }], where: at() },
      ],
    });
    const f = check(SUP04, a);
    assert.deepEqual(summary(f), ['Pub:medium']);
  });
});

describe('SUP-05 image digests', () => {
  test('tag flagged, digest not', () => {
    const a = app({
      functions: [
        fn('tag', { packageType: 'image', imageUri: '111122223333.dkr.ecr.us-east-1.amazonaws.com/app:latest' }),
        fn('noTag', { packageType: 'image', imageUri: '111122223333.dkr.ecr.us-east-1.amazonaws.com/app' }),
        fn('digest', { packageType: 'image', imageUri: '111122223333.dkr.ecr.us-east-1.amazonaws.com/app@sha256:0123abcd' }),
        fn('unk', { packageType: 'image', imageUri: unknown('!Ref Image') }),
      ],
    });
    const f = check(SUP05, a);
    assert.deepEqual(summary(f), ['tag:low', 'noTag:low']);
    assert.match(f[1]?.message ?? '', /latest \(implicit\)/);
  });
});

describe('SUP-06 packaging', () => {
  test('patterns re-including .env, .git or keys are flagged unless excluded later', () => {
    const p = (patterns: string[]) => ({ packaging: { patterns, where: at('package') } });
    const a = app({
      functions: [
        fn('env', p(['src/**', '.env'])),
        fn('git', p(['.git/**'])),
        fn('key', p(['certs/server.pem'])),
        fn('excludedLater', p(['.env*', '!.env*'])),
        fn('clean', p(['!node_modules/aws-sdk/**', 'src/**', '!.env'])),
        fn('none'),
      ],
    });
    const f = check(SUP06, a);
    assert.deepEqual(summary(f), ['env:medium', 'git:medium', 'key:medium']);
    assert.match(f[0]?.message ?? '', /'\.env'/);
    const shared = at('package');
    const svc = app({
      functions: [
        fn('a', { packaging: { patterns: ['.env'], where: shared } }),
        fn('b', { packaging: { patterns: ['.env'], where: shared } }),
      ],
    });
    const g = check(SUP06, svc);
    assert.equal(g.length, 1);
    assert.equal(g[0]?.fn, null);
    assert.match(g[0]?.message ?? '', /2 functions \('a', 'b'\)/);
  });
});

describe('SUP-07 runtime overrides', () => {
  test('function-level runtime older than the provider default', () => {
    const file = '/proj/serverless.yml';
    const a = app({
      functions: [
        fn('inherits', { runtime: 'nodejs22.x', runtimeWhere: at('provider.runtime', file) }),
        fn('older', { runtime: 'nodejs18.x', runtimeWhere: at('functions.older.runtime', file) }),
        fn('newer', { runtime: 'nodejs24.x', runtimeWhere: at('functions.newer.runtime', file) }),
        fn('otherFamily', { runtime: 'python3.9', runtimeWhere: at('functions.otherFamily.runtime', file) }),
      ],
    });
    assert.deepEqual(summary(check(SUP07, a)), ['older:info']);
  });
});

describe('SUP-07 with the adapter-provided default runtime', () => {
  test('a lone overriding function is compared with defaultRuntime', () => {
    const a = app({
      functions: [
        fn('only', {
          runtime: 'python3.9',
          defaultRuntime: 'python3.13',
          runtimeWhere: at('Resources.Only.Properties.Runtime', '/proj/template.yaml'),
        }),
      ],
    });
    assert.deepEqual(summary(check(SUP07, a)), ['only:info']);
    const same = app({
      functions: [
        fn('only', { runtime: 'python3.13', defaultRuntime: 'python3.13', runtimeWhere: at('Resources.Only.Properties.Runtime') }),
      ],
    });
    assert.deepEqual(summary(check(SUP07, same)), []);
  });
});
