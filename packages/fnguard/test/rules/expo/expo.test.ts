import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { unknown } from '../../../src/model/types.js';
import EXPO01 from '../../../src/rules/expo/EXPO-01.js';
import EXPO02 from '../../../src/rules/expo/EXPO-02.js';
import EXPO03 from '../../../src/rules/expo/EXPO-03.js';
import EXPO04 from '../../../src/rules/expo/EXPO-04.js';
import EXPO05 from '../../../src/rules/expo/EXPO-05.js';
import EXPO06 from '../../../src/rules/expo/EXPO-06.js';
import EXPO07 from '../../../src/rules/expo/EXPO-07.js';
import EXPO08 from '../../../src/rules/expo/EXPO-08.js';
import EXPO09 from '../../../src/rules/expo/EXPO-09.js';
import EXPO10 from '../../../src/rules/expo/EXPO-10.js';
import EXPO11, { allowsOldTls } from '../../../src/rules/expo/EXPO-11.js';
import EXPO12 from '../../../src/rules/expo/EXPO-12.js';
import EXPO13 from '../../../src/rules/expo/EXPO-13.js';
import { api, app, at, fn, resource, run, stmt, trigger } from '../lib/build.js';

describe('EXPO-01 function URL auth', () => {
  test('auth none fires at the url', () => {
    const f = fn('hook', { url: { auth: 'none', where: at(9) } });
    const out = run(EXPO01, app({ functions: [f] }));
    assert.equal(out.length, 1);
    assert.equal(out[0]?.where.line, 9);
  });
  test('iam, Unknown, no url: silent', () => {
    assert.equal(
      run(
        EXPO01,
        app({
          functions: [
            fn('a', { url: { auth: 'iam', where: at(9) } }),
            fn('b', { url: { auth: unknown('${param:auth}'), where: at(9) } }),
            fn('c'),
          ],
        }),
      ).length,
      0,
    );
  });
});

describe('EXPO-02 function URL CORS', () => {
  test('origin * and method * fires', () => {
    const f = fn('a', { url: { auth: 'iam', where: at(1), cors: { allowOrigins: ['*'], allowMethods: ['*'], where: at(2) } } });
    assert.equal(run(EXPO02, app({ functions: [f] })).length, 1);
  });
  test('origin * with explicit methods, or explicit origins: silent', () => {
    const f1 = fn('a', { url: { auth: 'iam', where: at(1), cors: { allowOrigins: ['*'], allowMethods: ['GET'], where: at(2) } } });
    const f2 = fn('b', {
      url: { auth: 'iam', where: at(1), cors: { allowOrigins: ['https://app.example.com'], allowMethods: ['*'], where: at(2) } },
    });
    const f3 = fn('c', {
      url: { auth: 'iam', where: at(1), cors: { allowOrigins: [unknown('${param:o}')], allowMethods: ['*'], where: at(2) } },
    });
    assert.equal(run(EXPO02, app({ functions: [f1, f2, f3] })).length, 0);
  });
});

describe('EXPO-03 / EXPO-04 invoke permissions', () => {
  const perm = (extra: Record<string, unknown>) => ({
    id: 'Perm',
    principal: '*',
    action: 'lambda:InvokeFunction',
    where: at(30),
    ...extra,
  });
  test('principal * without conditions is critical', () => {
    const out = run(EXPO03, app({ functions: [fn('a', { permissions: [perm({})] })] }));
    assert.equal(out.length, 1);
    assert.equal(out[0]?.resource, 'Perm');
  });
  test('principal * with SourceAccount or org id, or Unknown principal: silent', () => {
    assert.equal(run(EXPO03, app({ functions: [fn('a', { permissions: [perm({ sourceAccount: '123456789012' })] })] })).length, 0);
    assert.equal(run(EXPO03, app({ functions: [fn('a', { permissions: [perm({ principalOrgId: 'o-abc' })] })] })).length, 0);
    assert.equal(run(EXPO03, app({ functions: [fn('a', { permissions: [perm({ principal: unknown('!Ref P') })] })] })).length, 0);
  });
  test('the permission backing a NONE function URL is left to EXPO-01', () => {
    const f = fn('a', {
      url: { auth: 'none', where: at(3) },
      permissions: [perm({ action: 'lambda:InvokeFunctionUrl', functionUrlAuthType: 'NONE' })],
    });
    assert.equal(run(EXPO03, app({ functions: [f] })).length, 0);
  });
  test('service principal without SourceArn fires; with SourceArn (even Unknown) silent', () => {
    assert.equal(run(EXPO04, app({ functions: [fn('a', { permissions: [perm({ principal: 's3.amazonaws.com' })] })] })).length, 1);
    assert.equal(
      run(
        EXPO04,
        app({ functions: [fn('a', { permissions: [perm({ principal: 's3.amazonaws.com', sourceArn: unknown('!GetAtt B.Arn') })] })] }),
      ).length,
      0,
    );
  });
  test('several principals: low', () => {
    const out = run(
      EXPO04,
      app({
        functions: [
          fn('a', {
            permissions: [
              perm({ id: 'P1', principal: 'sns.amazonaws.com', sourceArn: 'arn:x' }),
              perm({ id: 'P2', principal: 'events.amazonaws.com', sourceArn: 'arn:y' }),
            ],
          }),
        ],
      }),
    );
    assert.equal(out.length, 1);
    assert.equal(out[0]?.severity, 'low');
  });
});

describe('EXPO-05 / 06 / 07 routes', () => {
  const rest = (auth: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    trigger('rest-api', { public: true, method: 'POST', path: '/orders', auth: { type: 'none', ...auth }, ...extra });
  test('EXPO-05: public REST route with no auth, once per route', () => {
    const out = run(EXPO05, app({ functions: [fn('a', { triggers: [rest({}), rest({}, { method: 'GET' })] })] }));
    assert.equal(out.length, 2);
    assert.match(out[0]?.message ?? '', /POST \/orders/);
  });
  test('EXPO-05: OPTIONS, authorizers (even Unknown ones), private endpoints, api keys: silent', () => {
    const triggers = [
      rest({}, { method: 'OPTIONS' }),
      rest({ type: 'cognito' }),
      rest({ type: 'unknown', authorizer: unknown('${cf:x}') }),
      rest({}, { public: false }),
      rest({ apiKeyRequired: true }),
    ];
    assert.equal(run(EXPO05, app({ functions: [fn('a', { triggers })] })).length, 0);
  });
  test('EXPO-06: http api route and websocket $connect without auth fire; other websocket routes do not', () => {
    const triggers = [
      trigger('http-api', { public: true, method: 'GET', path: '/x', auth: { type: 'none' } }),
      trigger('websocket', { public: true, path: '$connect' }),
      trigger('websocket', { public: true, path: 'sendMessage' }),
    ];
    assert.equal(run(EXPO06, app({ functions: [fn('a', { triggers })] })).length, 2);
    assert.equal(
      run(EXPO06, app({ functions: [fn('a', { triggers: [trigger('http-api', { public: true, auth: { type: 'jwt' } })] })] })).length,
      0,
    );
  });
  test('EXPO-07: API key only', () => {
    assert.equal(run(EXPO07, app({ functions: [fn('a', { triggers: [rest({ apiKeyRequired: true })] })] })).length, 1);
    assert.equal(run(EXPO07, app({ functions: [fn('a', { triggers: [rest({ type: 'api-key', apiKeyRequired: true })] })] })).length, 1);
    assert.equal(run(EXPO07, app({ functions: [fn('a', { triggers: [rest({ type: 'cognito', apiKeyRequired: true })] })] })).length, 0);
  });
});

describe('EXPO-08 / 09 / 10 APIs', () => {
  const withApi = (a: ReturnType<typeof api>, method = 'POST') =>
    app({
      apis: [a],
      functions: [fn('h', { triggers: [trigger('rest-api', { apiId: a.id, public: true, method, auth: { type: 'cognito' } })] })],
    });
  test('EXPO-08: default endpoint is public (info); PRIVATE or restricted policy is not', () => {
    assert.equal(run(EXPO08, withApi(api('Api')))[0]?.severity, 'info');
    assert.equal(run(EXPO08, withApi(api('Api', { endpointType: 'PRIVATE' }))).length, 0);
    const restricted = api('Api', {
      policy: [stmt({ principal: '*', actions: ['execute-api:Invoke'], condition: { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] } } })],
    });
    assert.equal(run(EXPO08, withApi(restricted)).length, 0);
    assert.equal(run(EXPO08, withApi(api('Api', { endpointType: unknown('${param:t}') }))).length, 0);
  });
  test('EXPO-09: stage without WAF fires per stage; with WAF silent; unmodelled stages silent', () => {
    const stages = [
      { name: 'prod', where: at(70) },
      { name: 'dev', webAclArn: unknown('!GetAtt Acl.Arn'), where: at(71) },
    ];
    const out = run(EXPO09, withApi(api('Api', { stages })));
    assert.equal(out.length, 1);
    assert.match(out[0]?.message ?? '', /'prod'/);
    assert.equal(run(EXPO09, withApi(api('Api'))).length, 0);
  });
  test('EXPO-09: internet-facing ALB without auth', () => {
    assert.equal(run(EXPO09, app({ functions: [fn('a', { triggers: [trigger('alb', { public: true })] })] })).length, 1);
    assert.equal(run(EXPO09, app({ functions: [fn('a', { triggers: [trigger('alb', { public: false })] })] })).length, 0);
  });
  test('EXPO-10: no validation is low with a body method, info otherwise; validated is silent', () => {
    assert.equal(run(EXPO10, withApi(api('Api')))[0]?.severity, 'low');
    assert.equal(run(EXPO10, withApi(api('Api'), 'GET'))[0]?.severity, 'info');
    assert.equal(run(EXPO10, withApi(api('Api', { requestValidation: true }))).length, 0);
  });
});

describe('EXPO-11 TLS', () => {
  test('TLS_1_0 medium, unset low, TLS_1_2 and Unknown silent', () => {
    const domains = [
      { name: 'old.example.com', securityPolicy: 'TLS_1_0', where: at(80) },
      { name: 'unset.example.com', where: at(81) },
      { name: 'ok.example.com', securityPolicy: 'TLS_1_2', where: at(82) },
      { name: 'p.example.com', securityPolicy: unknown('!Ref P'), where: at(83) },
    ];
    const out = run(EXPO11, app({ apis: [api('Api', { domains })] }));
    assert.deepEqual(
      out.map((f) => [f.where.line, f.severity]),
      [
        [80, 'medium'],
        [81, 'low'],
      ],
    );
  });
  test('policy names', () => {
    assert.ok(allowsOldTls('TLS_1_0'));
    assert.ok(allowsOldTls('tls_1_0'));
    assert.ok(!allowsOldTls('TLS_1_2'));
    assert.ok(!allowsOldTls('SecurityPolicy_TLS13_1_3_2025_09'));
  });
});

describe('EXPO-12 identity pools', () => {
  test('unauthenticated identities fire; false or Unknown is silent', () => {
    assert.equal(
      run(EXPO12, app({ resources: [resource('Pool', 'cognito-identity-pool', { props: { allowUnauthenticated: true } })] })).length,
      1,
    );
    assert.equal(
      run(
        EXPO12,
        app({
          resources: [
            resource('Pool', 'cognito-identity-pool', { props: { allowUnauthenticated: false } }),
            resource('P2', 'cognito-identity-pool', { props: { allowUnauthenticated: unknown('!Ref A') } }),
          ],
        }),
      ).length,
      0,
    );
  });
});

describe('EXPO-13 world-writable trigger source', () => {
  const world = stmt({ principal: '*', actions: ['sqs:SendMessage'], resources: ['*'] });
  test('queue with Principal * SendMessage feeding a function fires (source resolved by Unknown target)', () => {
    const q = resource('OrdersQueue', 'sqs-queue', { policy: [world] });
    const f = fn('worker', {
      triggers: [trigger('sqs', { source: unknown('!GetAtt OrdersQueue.Arn', { hint: 'ref', target: 'OrdersQueue' }) })],
    });
    const out = run(EXPO13, app({ resources: [q], functions: [f] }));
    assert.equal(out.length, 1);
    assert.equal(out[0]?.resource, 'OrdersQueue');
  });
  test('restricted by SourceArn condition, a specific principal, or a queue no function reads: silent', () => {
    const cond = stmt({
      principal: '*',
      actions: ['sqs:SendMessage'],
      condition: { ArnEquals: { 'aws:SourceArn': 'arn:aws:sns:eu-west-1:1:t' } },
    });
    const q1 = resource('Q1', 'sqs-queue', { policy: [cond] });
    const q2 = resource('Q2', 'sqs-queue', {
      policy: [stmt({ principal: { Service: ['sns.amazonaws.com'] }, actions: ['sqs:SendMessage'] })],
    });
    const q3 = resource('Q3', 'sqs-queue', { policy: [world] });
    const f = fn('worker', {
      triggers: [
        trigger('sqs', { source: unknown('!GetAtt Q1.Arn', { target: 'Q1' }) }),
        trigger('sqs', { source: unknown('!GetAtt Q2.Arn', { target: 'Q2' }) }),
      ],
    });
    assert.equal(run(EXPO13, app({ resources: [q1, q2, q3], functions: [f] })).length, 0);
  });
  test('read-only public access does not count', () => {
    const b = resource('Bucket', 's3-bucket', { policy: [stmt({ principal: '*', actions: ['s3:GetObject'] })] });
    const f = fn('thumbs', { triggers: [trigger('s3', { source: unknown('!Ref Bucket', { target: 'Bucket' }) })] });
    assert.equal(run(EXPO13, app({ resources: [b], functions: [f] })).length, 0);
  });
});
