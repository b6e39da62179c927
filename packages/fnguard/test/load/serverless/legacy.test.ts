import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Fn } from '../../../src/model/types.js';
import { expr, load, noPositions } from './helpers.js';

const P = 'serverless:legacy/serverless.yml#';

function fnOf(fns: Fn[] | undefined, name: string): Fn {
  const f = fns?.find((x) => x.name === name);
  assert.ok(f, `function ${name}`);
  return f;
}

describe('serverless adapter: legacy syntax', () => {
  it('provider.role ARN makes every function use one external identity', async () => {
    const { app } = await load('legacy/serverless.yml');
    const api = fnOf(app.functions, 'api');
    const idn = app.identities?.find((i) => i.id === api.identity);
    assert.equal(idn?.external, true);
    assert.equal(idn?.arn, 'arn:aws:iam::123456789012:role/legacy-role');
    assert.equal(idn?.where.path, 'provider.role');
    assert.equal(
      app.identities?.some((i) => i.id === `${P}role`),
      false,
      'no default role is created',
    );
  });

  it('function role: Fn::GetAtt links the role in a resources list; an undefined logical id is external', async () => {
    const { app, diagnostics } = await load('legacy/serverless.yml');
    const g = fnOf(app.functions, 'getAttRole');
    assert.equal(g.identity, `${P}WorkerRole`);
    assert.deepEqual(app.identities?.find((i) => i.id === `${P}WorkerRole`)?.usedBy, [g.id]);
    const m = fnOf(app.functions, 'missingRole');
    const idn = app.identities?.find((i) => i.id === m.identity);
    assert.equal(idn?.external, true);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.line]),
      [['unknown-role', 54]],
    );
  });

  it('tells DynamoDB from Kinesis streams referenced with GetAtt', async () => {
    const { app } = await load('legacy/serverless.yml');
    const g = fnOf(app.functions, 'getAttRole');
    assert.deepEqual(
      g.triggers.map((t) => [t.kind, expr(t.source), typeof t.source === 'object' ? t.source.target : undefined]),
      [
        ['dynamodb-stream', '!GetAtt Table.StreamArn', 'Table'],
        ['kinesis', '!GetAtt Stream.Arn', 'Stream'],
      ],
    );
  });

  it('PRIVATE endpoints are not public; legacy apiKeys, resourcePolicy and request schemas are read', async () => {
    const { app } = await load('legacy/serverless.yml');
    const t = fnOf(app.functions, 'api').triggers[0];
    assert.equal(t?.public, false);
    assert.equal(t?.auth.type, 'none');
    const rest = app.apis?.[0];
    assert.equal(rest?.endpointType, 'PRIVATE');
    assert.equal(rest?.requestValidation, true);
    assert.deepEqual(
      rest?.apiKeys?.map((k) => [k.name, k.value, k.where.path]),
      [
        ['free-key', undefined, 'provider.apiGateway.apiKeys[0].free[0]'],
        ['paid-key', 'paid-key-value-0123456789', 'provider.apiGateway.apiKeys[1].paid[0]'],
      ],
    );
    assert.deepEqual(noPositions(rest?.policy), [
      {
        effect: 'Allow',
        origin: { kind: 'inline', name: 'resourcePolicy' },
        actions: ['execute-api:Invoke'],
        resources: ['execute-api:/*/*/*'],
        principal: '*',
        condition: { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] } },
      },
    ]);
    assert.equal(rest?.stages[0]?.accessLogging, undefined, 'no provider.logs.restApi: access logging off');
    assert.equal(rest?.stages[0]?.name, 'dev');
  });

  it('service layers are modelled and linked from { Ref: XLambdaLayer }; deployment bucket by name', async () => {
    const { app } = await load('legacy/serverless.yml');
    assert.deepEqual(
      app.layers?.map((l) => [l.id, l.name, l.compatibleRuntimes, l.permissions.map((p) => p.principal)]),
      [[`${P}layer:shared`, 'shared', ['nodejs12.x'], ['*']]],
    );
    const api = fnOf(app.functions, 'api');
    assert.deepEqual(
      api.layers.map((l) => [expr(l.arn), l.layerId]),
      [['!Ref SharedLambdaLayer', `${P}layer:shared`]],
    );
    const b = app.resources?.find((r) => r.type === 'deployment-bucket');
    assert.equal(b?.name, 'legacy-bucket');
    assert.equal(b?.props.blockPublicAccess, undefined);
    assert.equal(app.sources?.[0]?.unit, 'legacy-svc', 'service.name (v1 syntax)');
  });
});
