// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Serverless Framework `${}` variable syntax in plain strings
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Fn } from '../../../src/model/types.js';
import { load, noPositions } from './helpers.js';

const P = 'serverless:v4/serverless.yaml#';

function fnOf(fns: Fn[] | undefined, name: string): Fn {
  const f = fns?.find((x) => x.name === name);
  assert.ok(f, `function ${name}`);
  return f;
}

const v4 = (stage = 'prod') => load('v4/serverless.yaml', { opts: { stage } });

describe('serverless adapter: v4 service', () => {
  it('reports bad event entries and unknown event types as diagnostics with lines', async () => {
    const { diagnostics } = await v4();
    assert.deepEqual(
      diagnostics.map((d) => [d.level, d.code, d.line]),
      [['info', 'unsupported-event', 133]],
    );
  });

  it('models httpApi routes and their authorizers from provider.httpApi.authorizers', async () => {
    const { app } = await v4();
    const f = fnOf(app.functions, 'getMessages');
    assert.deepEqual(
      f.triggers.map((t) => [t.kind, t.method, t.path, t.auth.type, t.auth.authorizer, t.auth.scopes, t.public, t.apiId]),
      [
        ['http-api', 'GET', '/messages', 'jwt', 'jwtAuth', ['read'], true, `${P}HttpApi`],
        ['http-api', 'POST', '/messages', 'lambda', 'customAuth', undefined, true, `${P}HttpApi`],
        ['http-api', 'DELETE', '/messages', 'iam', undefined, undefined, true, `${P}HttpApi`],
        ['http-api', 'GET', '/health', 'none', undefined, undefined, true, `${P}HttpApi`],
        ['http-api', '*', '*', 'none', undefined, undefined, true, `${P}HttpApi`],
      ],
    );
    const api = app.apis?.find((a) => a.kind === 'http');
    assert.deepEqual(noPositions(api), {
      id: `${P}HttpApi`,
      kind: 'http',
      stages: [{ name: '$default', accessLogging: { destination: '/aws/http-api/chat-prod' } }],
      endpointType: 'REGIONAL',
      name: 'prod-chat',
    });
  });

  it('models websocket routes ($connect authorizer) and ALB auth', async () => {
    const { app } = await v4();
    assert.deepEqual(
      fnOf(app.functions, 'connect').triggers.map((t) => [t.kind, t.path, t.auth.type, t.auth.authorizer]),
      [
        ['websocket', '$connect', 'lambda', 'authorizer'],
        ['websocket', '$default', 'none', undefined],
      ],
    );
    assert.deepEqual(
      fnOf(app.functions, 'openConnect').triggers.map((t) => [t.path, t.auth.type]),
      [['$connect', 'none']],
    );
    const ws = app.apis?.find((a) => a.kind === 'websocket');
    assert.deepEqual(
      noPositions(ws?.stages),
      [{ name: 'prod', loggingLevel: 'ERROR', dataTraceEnabled: true }],
      'websocket access logging off',
    );
    const alb = fnOf(app.functions, 'albFn').triggers[0];
    assert.deepEqual(
      [alb?.kind, alb?.method, alb?.path, alb?.auth.type, alb?.auth.authorizer, alb?.public],
      ['alb', 'POST', '/alb', 'jwt', 'okta', 'unknown'],
    );
  });

  it('models every other event type', async () => {
    const { app } = await v4();
    const f = fnOf(app.functions, 'pluginRole');
    assert.deepEqual(
      f.triggers.map((t) => [t.kind, t.source, t.async ?? false, t.public]),
      [
        ['eventbridge', 'arn:aws:events:us-east-1:123456789012:event-bus/custom', true, false],
        ['eventbridge', 'default', true, false],
        ['cloudwatch-logs', '/aws/lambda/other', true, false],
        ['cognito', 'users', false, false],
        ['iot', undefined, true, false],
        ['alexa', undefined, false, 'unknown'],
        ['kafka', 'arn:aws:kafka:us-east-1:123456789012:cluster/c/1', false, false],
        ['mq', 'arn:aws:mq:us-east-1:123456789012:broker:b:1', false, false],
        ['kinesis', 'arn:aws:kinesis:us-east-1:123456789012:stream/s', false, false],
        ['other', undefined, false, 'unknown'],
      ],
    );
    assert.deepEqual(f.triggers[0]?.detail, { pattern: { source: ['my.app'] } });
  });

  it('gives plugin-style and v4 per-function IAM their own roles (inheriting when asked)', async () => {
    const { app } = await v4();
    const plugin = fnOf(app.functions, 'pluginRole');
    const role = app.identities?.find((i) => i.id === plugin.identity);
    assert.equal(role?.id, `${P}role:pluginRole`);
    assert.deepEqual(role?.usedBy, [plugin.id]);
    assert.deepEqual(
      role?.statements.map((s) => [s.origin?.name, s.actions?.[0], s.resources?.[0]]).slice(0, 3),
      [
        ['serverless-default-logs', 'logs:CreateLogStream', role?.statements[0]?.resources?.[0]],
        ['functions.pluginRole.iamRoleStatements', 'sqs:SendMessage', 'arn:aws:sqs:us-east-1:123456789012:prod-queue'],
        ['provider.iamRoleStatements', 'dynamodb:Query', 'arn:aws:dynamodb:us-east-1:123456789012:table/chat'],
      ],
      'inherits provider statements; ${param:} resolved from params.<stage>',
    );
    assert.deepEqual(
      role?.managedPolicies.map((m) => m.name),
      ['custom-readonly', 'AWSLambdaVPCAccessExecutionRole'],
    );
    const native = fnOf(app.functions, 'nativeRole');
    const nrole = app.identities?.find((i) => i.id === native.identity);
    assert.equal(nrole?.id, `${P}role:nativeRole`);
    assert.ok(!nrole?.statements.some((s) => s.actions?.includes('dynamodb:Query')), 'does not inherit by default');
    assert.ok(nrole?.managedPolicies.some((m) => m.name === 'AmazonS3ReadOnlyAccess'));
    // the shared role only covers the functions without their own role
    const shared = app.identities?.find((i) => i.id === `${P}role`);
    assert.deepEqual(
      shared?.usedBy.map((x) => x.split('#')[1]),
      ['authorizer', 'getMessages', 'connect', 'openConnect', 'albFn', 'imageFn'],
    );
  });

  it('marks custom role ARNs as external identities', async () => {
    const { app } = await v4();
    const ext = fnOf(app.functions, 'externalRole');
    const idn = app.identities?.find((i) => i.id === ext.identity);
    assert.equal(idn?.external, true);
    assert.equal(idn?.arn, 'arn:aws:iam::123456789012:role/shared-role');
    assert.deepEqual(idn?.statements, []);
    assert.equal(idn?.where.path, 'functions.externalRole.role');
  });

  it('models image functions, IAM function URLs with CORS, destinations, vpc, tags, packaging', async () => {
    const { app } = await v4();
    const img = fnOf(app.functions, 'imageFn');
    assert.equal(img.packageType, 'image');
    assert.equal(img.runtime, undefined);
    assert.equal(img.imageUri, '123456789012.dkr.ecr.us-east-1.amazonaws.com/chat:latest');
    assert.deepEqual(noPositions(img.url), {
      auth: 'iam',
      cors: { allowOrigins: ['https://chat.example.com'], allowMethods: ['*'] },
    });
    assert.deepEqual(noPositions(img.destinations), {
      onSuccess: 'arn:aws:sqs:us-east-1:123456789012:ok',
      onFailure: 'arn:aws:sqs:us-east-1:123456789012:failed',
      maximumRetryAttempts: 1,
    });
    assert.equal(img.tracing, 'PassThrough');
    assert.equal(img.logs?.retentionInDays, 30);
    assert.equal(img.packaging?.artifact, 'dist/image.zip');
    assert.ok(img.codeArtifact?.endsWith('v4/dist/image.zip'));
    assert.deepEqual(noPositions(img.vpc), { subnetIds: ['subnet-1', 'subnet-2'], securityGroupIds: ['sg-1'] });
    assert.deepEqual(img.tags, { team: 'chat' });
    assert.deepEqual(img.architectures, ['arm64']);
    assert.equal(img.tracing, 'PassThrough');
    assert.equal(fnOf(app.functions, 'authorizer').tracing, undefined, 'no tracing setting');
    assert.equal(fnOf(app.functions, 'authorizer').timeout, undefined, 'serverless default left to the rules');
  });

  it('creates the default deployment bucket resource when none is configured', async () => {
    const { app } = await v4();
    const b = app.resources?.find((r) => r.type === 'deployment-bucket');
    assert.deepEqual(b?.props, { encryption: 'aws-managed', managedByServerless: true });
    assert.equal(b?.props.blockPublicAccess, undefined);
  });
});
