// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Serverless/CloudFormation `${}` expressions in plain strings
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { unknown } from '../../../src/model/types.js';
import LOG01 from '../../../src/rules/log/LOG-01.js';
import LOG02 from '../../../src/rules/log/LOG-02.js';
import LOG03 from '../../../src/rules/log/LOG-03.js';
import LOG04 from '../../../src/rules/log/LOG-04.js';
import LOG05 from '../../../src/rules/log/LOG-05.js';
import LOG06 from '../../../src/rules/log/LOG-06.js';
import LOG07 from '../../../src/rules/log/LOG-07.js';
import LOG08 from '../../../src/rules/log/LOG-08.js';
import LOG09 from '../../../src/rules/log/LOG-09.js';
import LOG10 from '../../../src/rules/log/LOG-10.js';
import { api, app, at, check, fn, resource, role, stmt, summary } from '../lib/cfgBuild.js';

describe('LOG-01 tracing', () => {
  test('unset and PassThrough flagged, Active and Unknown not', () => {
    const a = app({
      functions: [
        fn('unset'),
        fn('pass', { tracing: 'PassThrough' }),
        fn('active', { tracing: 'Active' }),
        fn('unk', { tracing: unknown('${self:custom.t}') }),
      ],
    });
    assert.deepEqual(summary(check(LOG01, a)), ['unset:low', 'pass:low']);
  });
});

describe('LOG-02 retention', () => {
  test('fn-level retention, project log group resource, or none', () => {
    const a = app({
      resources: [
        resource('WithGroupLogs', 'log-group', { retentionInDays: 30 }, { name: unknown('!Sub /aws/lambda/${WithGroup}') }),
        resource('NoRetLogs', 'log-group', {}, { name: unknown('!Sub /aws/lambda/${NoRet}') }),
      ],
      functions: [
        fn('none'),
        fn('set', { logs: { retentionInDays: 14, where: at() } }),
        fn('unk', { logs: { retentionInDays: unknown('${self:custom.r}'), where: at() } }),
        fn('withGroup', { resourceId: 'WithGroup', format: 'cloudformation' }),
        fn('noRet', { resourceId: 'NoRet', format: 'cloudformation' }),
      ],
    });
    const f = check(LOG02, a);
    assert.deepEqual(summary(f), ['none:low', 'noRet:low']);
    assert.equal(f[1]?.resource, 'NoRetLogs');
  });
});

describe('API stage logging rules', () => {
  const stage = (extra = {}) => ({ name: 'prod', where: at('stage'), ...extra });
  test('LOG-03 access logging missing or not JSON', () => {
    const a = app({
      apis: [
        api('none', { stages: [stage()] }),
        api('clf', { stages: [stage({ accessLogging: { destination: 'arn:aws:logs:x', format: '$context.requestId $context.status' } })] }),
        api('json', {
          stages: [stage({ accessLogging: { destination: unknown('!GetAtt L.Arn'), format: '{"requestId":"$context.requestId"}' } })],
        }),
      ],
    });
    assert.deepEqual(summary(check(LOG03, a)), ['none:medium', 'clf:low']);
  });
  test('LOG-04 execution logging on REST stages only', () => {
    const a = app({
      apis: [
        api('none', { stages: [stage()] }),
        api('off', { stages: [stage({ loggingLevel: 'OFF' })] }),
        api('err', { stages: [stage({ loggingLevel: 'ERROR' })] }),
        api('http', { kind: 'http', stages: [stage()] }),
      ],
    });
    assert.deepEqual(summary(check(LOG04, a)), ['none:low', 'off:low']);
  });
  test('LOG-05 data trace', () => {
    const a = app({
      apis: [
        api('on', { stages: [stage({ dataTraceEnabled: true })] }),
        api('off', { stages: [stage({ dataTraceEnabled: false })] }),
        api('unset', { stages: [stage()] }),
      ],
    });
    assert.deepEqual(summary(check(LOG05, a)), ['on:medium']);
  });
  test('LOG-06 REST and AppSync tracing', () => {
    const a = app({
      apis: [
        api('off', { stages: [stage()] }),
        api('on', { stages: [stage({ tracingEnabled: true })] }),
        api('http', { kind: 'http', stages: [stage()] }),
      ],
      resources: [resource('Gql', 'appsync-api', {}), resource('Gql2', 'appsync-api', { tracingEnabled: true })],
    });
    assert.deepEqual(summary(check(LOG06, a)), ['off:low', 'Gql:low']);
  });
});

describe('LOG-07 state machines', () => {
  test('logging level and tracing', () => {
    const a = app({
      resources: [
        resource('Bare', 'state-machine', {}),
        resource('Err', 'state-machine', { loggingLevel: 'ERROR', tracingEnabled: true }),
        resource('Good', 'state-machine', { loggingLevel: 'ALL', tracingEnabled: true }),
        resource('Unk', 'state-machine', { loggingLevel: unknown('!Ref Level'), tracingEnabled: unknown('!Ref T') }),
      ],
    });
    assert.deepEqual(summary(check(LOG07, a)), ['Bare:low', 'Bare:low', 'Err:low']);
  });
});

describe('LOG-08 logs permissions', () => {
  test('explicit role without logs actions is flagged; basic execution role, serverless-generated and unknown are not', () => {
    const a = app({
      identities: [
        role('NoLogs', [stmt(['dynamodb:GetItem'], ['arn:aws:dynamodb:us-east-1:111122223333:table/t'])]),
        role('Inline', [stmt(['logs:CreateLogStream', 'logs:PutLogEvents'], ['*'])]),
        role('Star', [stmt(['logs:*'], ['*'])]),
        role('Managed', [], {
          managedPolicies: [
            {
              arn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
              name: 'AWSLambdaBasicExecutionRole',
              awsManaged: true,
              where: at(),
            },
          ],
        }),
        role('Customer', [], { managedPolicies: [{ arn: 'arn:aws:iam::111122223333:policy/x', where: at() }] }),
        role('serverless:svc:role', []),
        role('serverless:serverless.yml#CustomRole', []),
        role('Ext', [], { external: true }),
        role('Denied', [stmt(['logs:*'], ['*']), stmt(['logs:PutLogEvents'], ['*'], { effect: 'Deny' })]),
      ],
      functions: [
        fn('a', { identity: 'NoLogs', format: 'cloudformation' }),
        fn('b', { identity: 'Inline' }),
        fn('c', { identity: 'Star' }),
        fn('d', { identity: 'Managed' }),
        fn('e', { identity: 'Customer' }),
        fn('f', { identity: 'serverless:svc:role' }),
        fn('g', { identity: 'Ext' }),
        fn('h', { identity: 'Denied' }),
        fn('i', { identity: 'serverless:serverless.yml#CustomRole' }),
      ],
    });
    const f = check(LOG08, a);
    assert.deepEqual(summary(f), ['a:low', 'h:low', 'i:low']);
    assert.match(f[0]?.message ?? '', /logs:CreateLogStream and logs:PutLogEvents/);
    assert.match(f[1]?.message ?? '', /does not allow logs:PutLogEvents:/);
  });
});

describe('LOG-09 alarms', () => {
  test('function without alarm, alarm without actions', () => {
    const a = app({
      resources: [
        resource('ErrAlarm', 'cloudwatch-alarm', {
          namespace: 'AWS/Lambda',
          metricName: 'Errors',
          dimensions: { FunctionName: unknown('!Ref Watched', { target: 'Watched' }) },
          alarmActions: ['arn:aws:sns:us-east-1:111122223333:oncall'],
        }),
        resource('Silent', 'cloudwatch-alarm', {
          namespace: 'AWS/Lambda',
          metricName: 'Throttles',
          dimensions: { FunctionName: 'quiet-fn' },
          alarmActions: [],
        }),
      ],
      functions: [fn('watched', { resourceId: 'Watched' }), fn('quiet', { functionName: 'quiet-fn' }), fn('nobody')],
    });
    assert.deepEqual(summary(check(LOG09, a)), ['Silent:info', 'nobody:info']);
  });
});

describe('LOG-10 data protection', () => {
  test('secret-handling function without a data-protection policy', () => {
    const a = app({
      functions: [
        fn('secretRef', {
          env: [{ name: 'DB', value: unknown('{{resolve:secretsmanager:db}}', { hint: 'secret-reference' }), where: at() }],
        }),
        fn('named', { env: [{ name: 'STRIPE_API_KEY', value: unknown('${ssm:/k}'), where: at() }] }),
        fn('protected', { env: [{ name: 'PASSWORD', value: unknown('x'), where: at() }], logs: { dataProtection: true, where: at() } }),
        fn('plain', { env: [{ name: 'TABLE', value: 'orders', where: at() }] }),
      ],
    });
    const f = check(LOG10, a);
    assert.deepEqual(summary(f), ['secretRef:info', 'named:info']);
    assert.match(f[1]?.message ?? '', /STRIPE_API_KEY/);
  });
});
