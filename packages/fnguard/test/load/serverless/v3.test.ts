// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Serverless Framework `${}` variable syntax in plain strings
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Fn } from '../../../src/model/types.js';
import { expr, FIXTURES, load, noPositions } from './helpers.js';

const FILE = join(FIXTURES, 'v3/serverless.yml');
const P = 'serverless:v3/serverless.yml#';

async function v3(stage?: string) {
  return load('v3/serverless.yml', { env: { FNGUARD_TEST_HOME: '/home/x' }, ...(stage ? { opts: { stage } } : {}) });
}

function fnOf(fns: Fn[] | undefined, name: string): Fn {
  const f = fns?.find((x) => x.name === name);
  assert.ok(f, `function ${name}`);
  return f;
}

describe('serverless adapter: v3 service', () => {
  it('loads every function with ids, positions and provider defaults', async () => {
    const { app, diagnostics } = await v3();
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(
      app.functions?.map((f) => f.id),
      ['createOrder', 'authorized', 'worker', 'publicUrl', 'custom-role'].map((n) => P + n),
    );
    const create = fnOf(app.functions, 'createOrder');
    assert.deepEqual(create.where, { file: FILE, line: 66, column: 3, endLine: 66, endColumn: 14, path: 'functions.createOrder' });
    assert.equal(create.format, 'serverless');
    assert.equal(create.functionName, 'orders-dev-createOrder');
    assert.equal(create.resourceId, 'CreateOrderLambdaFunction');
    assert.equal(create.runtime, 'nodejs18.x');
    assert.equal(create.runtimeWhere?.path, 'provider.runtime');
    assert.equal(create.runtimeWhere?.line, 16);
    assert.equal(create.handler, 'src/create.handler');
    assert.equal(create.codeDir, join(FIXTURES, 'v3'));
    assert.equal(create.memory, 256, 'function memorySize wins');
    assert.equal(create.timeout, 10, 'nested ${self:custom.stages.${self:provider.stage}.timeout}');
    assert.equal(create.reservedConcurrency, 5);
    assert.equal(create.tracing, 'Active', 'provider.tracing.lambda: true');
    assert.deepEqual(noPositions(create.logs), { retentionInDays: 14, dataProtection: true });
    const worker = fnOf(app.functions, 'worker');
    assert.equal(worker.runtime, 'python3.12');
    assert.equal(worker.runtimeWhere?.path, 'functions.worker.runtime');
    assert.equal(worker.memory, 512, '${self:custom.memory} resolves to a number');
    assert.equal(worker.timeout, 60);
    assert.equal(worker.reservedConcurrency, undefined);
    assert.deepEqual(noPositions(worker.deadLetter), { target: 'arn:aws:sns:eu-west-1:123456789012:dlq' });
    assert.equal(worker.deadLetter?.where.path, 'functions.worker.onError');
  });

  it('resolves the stage from --stage', async () => {
    const { app } = await v3('prod');
    const create = fnOf(app.functions, 'createOrder');
    assert.equal(create.timeout, 20);
    assert.equal(create.functionName, 'orders-prod-createOrder');
    assert.equal(
      create.env.find((e) => e.name === 'DB_PASSWORD')?.value && expr(create.env.find((e) => e.name === 'DB_PASSWORD')?.value),
      '${ssm:/orders/${sls:stage}/db-password}',
    );
  });

  it('merges provider and function environment, keeping secrets Unknown', async () => {
    const { app } = await v3();
    const create = fnOf(app.functions, 'createOrder');
    assert.deepEqual(
      create.env.map((e) => [e.name, typeof e.value === 'string' ? e.value : `unknown:${e.value.hint}`, e.level, e.where.path]),
      [
        ['DB_PASSWORD', 'unknown:secret-reference', 'provider', 'provider.environment.DB_PASSWORD'],
        ['REGION_NAME', 'eu-west-1', 'provider', 'provider.environment.REGION_NAME'],
        ['HOME_DIR', '/home/x', 'provider', 'provider.environment.HOME_DIR'],
        ['API_SECRET', 'hunter2-literal', 'provider', 'provider.environment.API_SECRET'],
        ['FROM_FILE', 'high', 'provider', 'provider.environment.FROM_FILE'],
        ['TABLE', 'override', 'function', 'functions.createOrder.environment.TABLE'],
      ],
    );
    const api = create.env.find((e) => e.name === 'API_SECRET');
    assert.deepEqual([api?.where.line, api?.where.column], [33, 17]);
    // another function keeps the provider TABLE
    const worker = fnOf(app.functions, 'worker');
    assert.equal(worker.env.find((e) => e.name === 'TABLE')?.value, 'orders-dev');
  });

  it('models REST events: IAM, api-key-only, open, Lambda and Cognito authorizers', async () => {
    const { app } = await v3();
    const create = fnOf(app.functions, 'createOrder');
    assert.deepEqual(
      create.triggers.map((t) => [t.kind, t.method, t.path, t.auth.type, t.auth.apiKeyRequired ?? false, t.public, t.apiId, t.where.path]),
      [
        ['rest-api', 'POST', '/orders', 'iam', false, true, `${P}ApiGatewayRestApi`, 'functions.createOrder.events[0].http'],
        ['rest-api', 'GET', '/orders/{id}', 'api-key', true, true, `${P}ApiGatewayRestApi`, 'functions.createOrder.events[1].http'],
        ['rest-api', 'GET', '/public', 'none', false, true, `${P}ApiGatewayRestApi`, 'functions.createOrder.events[2].http'],
      ],
    );
    assert.deepEqual([create.triggers[0]?.where.line, create.triggers[0]?.where.column], [73, 9]);
    const auth = fnOf(app.functions, 'authorized');
    assert.deepEqual(
      auth.triggers.map((t) => [t.auth.type, t.auth.authorizer]),
      [
        ['lambda', 'tokenAuth'],
        ['cognito', 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc'],
      ],
    );
  });

  it('models event sources with mappings and sources (GetAtt queue stays a reference)', async () => {
    const { app } = await v3();
    const worker = fnOf(app.functions, 'worker');
    assert.deepEqual(noPositions(worker.triggers), [
      {
        kind: 'sqs',
        auth: { type: 'iam' },
        public: false,
        source: { kind: 'unknown', expr: '!GetAtt JobsQueue.Arn', hint: 'ref', target: 'JobsQueue' },
        mapping: { batchSize: 10, functionResponseTypes: ['ReportBatchItemFailures'] },
      },
      {
        kind: 'dynamodb-stream',
        auth: { type: 'iam' },
        public: false,
        source: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2024',
        mapping: { maximumRetryAttempts: 3, bisectBatchOnFunctionError: true, onFailure: 'arn:aws:sqs:eu-west-1:123456789012:stream-dlq' },
      },
      {
        kind: 's3',
        auth: { type: 'iam' },
        public: false,
        async: true,
        source: 'uploads-bucket',
        detail: { event: 's3:ObjectCreated:*', existing: true },
      },
      { kind: 'schedule', auth: { type: 'iam' }, public: false, async: true, detail: { rate: ['rate(5 minutes)'] } },
      { kind: 'sns', auth: { type: 'iam' }, public: false, async: true, source: 'arn:aws:sns:eu-west-1:123456789012:topic' },
    ]);
  });

  it('models the function URL (cors: true is * / *) and layers', async () => {
    const { app } = await v3();
    const url = fnOf(app.functions, 'publicUrl');
    assert.deepEqual(noPositions(url.url), { auth: 'none', cors: { allowOrigins: ['*'], allowMethods: ['*'], allowHeaders: ['*'] } });
    assert.equal(url.url?.where.path, 'functions.publicUrl.url');
    assert.deepEqual(noPositions(url.layers), [{ arn: 'arn:aws:lambda:eu-west-1:999999999999:layer:thirdparty:3' }]);
  });

  it('builds the shared service role with default logs permissions, statements and managed policies', async () => {
    const { app } = await v3();
    const role = app.identities?.find((i) => i.id === `${P}role`);
    assert.ok(role);
    assert.deepEqual(
      role.usedBy,
      ['createOrder', 'authorized', 'worker', 'publicUrl'].map((n) => P + n),
    );
    assert.deepEqual(
      role.statements.map((s) => [
        s.origin?.kind,
        s.origin?.name,
        s.actions,
        s.resources?.map((r) => (typeof r === 'string' ? r : `?${r.target ?? r.hint}`)),
      ]),
      [
        ['inline', 'serverless-default-logs', ['logs:CreateLogStream', 'logs:CreateLogGroup', 'logs:PutLogEvents'], ['?other']],
        ['inline', 'provider.iam.role.statements', ['dynamodb:GetItem', 'dynamodb:PutItem'], ['?OrdersTable']],
        ['inline', 'provider.iam.role.statements', ['s3:*'], ['*']],
        ['aws-managed', 'AdministratorAccess', ['*'], ['*']],
        // added by Serverless for the worker's event sources and onError target
        ['inline', 'serverless-event-sources', ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], ['?JobsQueue']],
        [
          'inline',
          'serverless-event-sources',
          ['dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:DescribeStream', 'dynamodb:ListStreams'],
          ['arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2024'],
        ],
        ['inline', 'serverless-event-sources', ['sqs:SendMessage'], ['arn:aws:sqs:eu-west-1:123456789012:stream-dlq']],
        ['inline', 'serverless-event-sources', ['sns:Publish'], ['arn:aws:sns:eu-west-1:123456789012:dlq']],
      ],
    );
    assert.equal(role.statements[2]?.where.path, 'provider.iam.role.statements[1]');
    assert.equal(role.statements[2]?.where.line, 52);
    assert.deepEqual(
      role.managedPolicies.map((m) => [m.arn, m.name, m.awsManaged]),
      [['arn:aws:iam::aws:policy/AdministratorAccess', 'AdministratorAccess', true]],
    );
    assert.equal(role.permissionsBoundary, 'arn:aws:iam::123456789012:policy/boundary');
    assert.deepEqual(noPositions(role.trust), [
      {
        effect: 'Allow',
        actions: ['sts:AssumeRole'],
        principal: { Service: ['lambda.amazonaws.com'] },
        origin: { kind: 'inline', name: 'trust' },
      },
    ]);
  });

  it('hands resources: to the CloudFormation adapter and links role: to its identity', async () => {
    const { app } = await v3();
    const custom = fnOf(app.functions, 'custom-role');
    assert.equal(custom.identity, `${P}CustomRole`);
    assert.equal(custom.resourceId, 'CustomDashroleLambdaFunction');
    const role = app.identities?.find((i) => i.id === `${P}CustomRole`);
    assert.deepEqual(role?.usedBy, [custom.id]);
    assert.deepEqual(
      role?.statements.map((s) => s.actions),
      [['sqs:SendMessage']],
    );
    assert.deepEqual(
      app.resources?.map((r) => [r.id, r.type, r.format]),
      [
        [`${P}deploymentBucket`, 'deployment-bucket', 'serverless'],
        ['OrdersTable', 'dynamodb-table', 'serverless'],
        ['JobsQueue', 'sqs-queue', 'serverless'],
      ],
    );
    assert.equal(app.resources?.find((r) => r.id === 'OrdersTable')?.name, 'orders-dev', 'variables resolved inside resources');
  });

  it('models the REST API, its stage and the deployment bucket', async () => {
    const { app } = await v3();
    assert.equal(app.apis?.length, 1);
    const api = app.apis?.[0];
    assert.deepEqual(noPositions(api), {
      id: `${P}ApiGatewayRestApi`,
      kind: 'rest',
      stages: [
        {
          name: 'dev',
          tracingEnabled: true,
          accessLogging: { destination: '/aws/api-gateway/orders-dev' },
          loggingLevel: 'INFO',
          dataTraceEnabled: true,
        },
      ],
      name: 'dev-orders',
      endpointType: 'REGIONAL',
      usagePlanThrottling: { rateLimit: 100, burstLimit: 200 },
      apiKeys: [{ name: 'partner', value: 'abcdefghijklmnopqrstuvwxyz123456' }],
    });
    assert.equal(api?.apiKeys?.[0]?.where.line, 38);
    const bucket = app.resources?.find((r) => r.type === 'deployment-bucket');
    assert.deepEqual(noPositions(bucket?.props), { blockPublicAccess: true, encryption: 'aws-managed', external: true });
    assert.equal(bucket?.name, 'my-deploys');
    assert.deepEqual(app.sources, [{ file: FILE, format: 'serverless', unit: 'orders' }]);
  });
});
