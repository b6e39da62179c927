// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation `${}` syntax in plain strings
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { App, Diagnostic, Fn, Identity } from '../../../src/model/types.js';
import { expr, FIXTURES, load, noPositions } from './helpers.js';

const FILE = join(FIXTURES, 'sam/template.yaml');
let app: Partial<App>;
let diagnostics: Diagnostic[];
const fn = (name: string): Fn => {
  const f = app.functions?.find((x) => x.name === name);
  assert.ok(f, `function ${name}`);
  return f;
};
const identity = (id: string | undefined): Identity => {
  const i = app.identities?.find((x) => x.id === id);
  assert.ok(i, `identity ${id}`);
  return i;
};

describe('cloudformation adapter: SAM', () => {
  before(async () => {
    ({ app, diagnostics } = await load('sam/template.yaml'));
  });

  it('loads without diagnostics, as format sam, with stable ids', () => {
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(
      app.functions?.map((f) => f.id),
      [
        'sam:sam/template.yaml#CreateOrderFunction',
        'sam:sam/template.yaml#PublicFunction',
        'sam:sam/template.yaml#ImageFunction',
        'sam:sam/template.yaml#WorkerFunction',
      ],
    );
    assert.deepEqual(app.sources, [{ file: FILE, format: 'sam' }]);
    for (const f of app.functions ?? []) assert.equal(f.format, 'sam');
  });

  it('merges Globals.Function: runtime points at Globals when inherited, env merged with the function winning', () => {
    const f = fn('CreateOrderFunction');
    assert.equal(f.runtime, 'nodejs18.x');
    assert.deepEqual([f.runtimeWhere?.line, f.runtimeWhere?.path], [26, 'Globals.Function.Runtime']);
    assert.equal(f.timeout, 10);
    assert.equal(f.tracing, 'Active');
    assert.equal(f.memory, 256, 'FindInMap resolved');
    assert.deepEqual(
      f.env.map((e) => [e.name, typeof e.value === 'string' ? e.value : `unknown:${e.value.hint}:${e.value.expr}`, e.level]),
      [
        ['STAGE', 'unknown:parameter:!Ref Stage', 'provider'],
        ['TABLE', 'unknown:ref:!Ref OrdersTable', 'function'],
        ['DB_PASSWORD', 'unknown:secret-reference:{{resolve:secretsmanager:prod/db:SecretString:password}}', 'function'],
        ['API_KEY', 'sk_live_abcdef0123456789', 'function'],
        ['LOG_LEVEL', 'debug', 'function'],
      ],
    );
    assert.equal(f.env[0]?.where.line, 31);
    assert.equal(f.env[3]?.where.line, 89);
    const p = fn('PublicFunction');
    assert.equal(p.runtime, 'python3.12');
    assert.equal(p.runtimeWhere?.path, 'Resources.PublicFunction.Properties.Runtime');
    assert.deepEqual(
      p.env.map((e) => [e.name, e.level]),
      [
        ['STAGE', 'provider'],
        ['LOG_LEVEL', 'provider'],
      ],
    );
  });

  it('resolves code locations', () => {
    assert.equal(fn('CreateOrderFunction').codeDir, join(FIXTURES, 'sam/src/orders'));
    assert.equal(fn('CreateOrderFunction').packageType, 'zip');
    assert.equal(fn('PublicFunction').packaging?.artifact, 'inline');
    assert.deepEqual(
      [fn('PublicFunction').inlineCode?.text, fn('PublicFunction').inlineCode?.where.line],
      ["exports.handler = async () => 'hi';", 130],
    );
    assert.equal(fn('PublicFunction').codeDir, undefined);
    const img = fn('ImageFunction');
    assert.equal(img.packageType, 'image');
    assert.equal(img.imageUri, '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:latest');
    assert.equal(img.codeDir, undefined);
  });

  it('turns Api events into triggers with API-level default auth and NONE overrides', () => {
    const [create, health, queue, nightly] = fn('CreateOrderFunction').triggers;
    assert.deepEqual(noPositions(create), {
      kind: 'rest-api',
      auth: { type: 'cognito', authorizer: 'CognitoAuth' },
      public: true,
      method: 'POST',
      path: '/orders',
      apiId: 'sam:sam/template.yaml#OrdersApi',
    });
    assert.deepEqual(noPositions(health), {
      kind: 'rest-api',
      auth: { type: 'none' },
      public: true,
      method: 'GET',
      path: '/health',
      apiId: 'sam:sam/template.yaml#OrdersApi',
    });
    assert.equal(health?.auth.where?.line, 116);
    assert.equal(health?.where.line, 109);
    assert.equal(queue?.kind, 'sqs');
    assert.equal(queue?.public, false);
    assert.equal(queue?.mapping?.batchSize, 10);
    assert.equal(expr(queue?.source), '!GetAtt OrdersQueue.Arn');
    assert.deepEqual(noPositions(nightly), {
      kind: 'schedule',
      auth: { type: 'iam' },
      public: false,
      async: true,
      detail: { schedule: 'rate(1 day)' },
    });
  });

  it('creates the implicit ServerlessRestApi / ServerlessHttpApi and their routes', () => {
    const kinds = fn('PublicFunction').triggers.map((t) => [t.kind, t.auth.type, t.public, t.method, t.path, t.apiId]);
    assert.deepEqual(kinds, [
      ['function-url', 'none', true, undefined, undefined, undefined],
      ['rest-api', 'none', true, 'GET', '/public', 'sam:sam/template.yaml#ServerlessRestApi'],
      ['http-api', 'none', true, 'GET', '/hello', 'sam:sam/template.yaml#ServerlessHttpApi'],
      ['s3', 'iam', false, undefined, undefined, undefined],
    ]);
    const implicit = app.apis?.find((a) => a.id.endsWith('#ServerlessRestApi'));
    assert.equal(implicit?.endpointType, 'EDGE');
    assert.deepEqual(
      implicit?.stages.map((s) => [s.name, s.tracingEnabled]),
      [['Prod', true]],
      'Globals.Api applies to the implicit API',
    );
  });

  it('reads AWS::Serverless::Api settings', () => {
    const api = app.apis?.find((a) => a.id.endsWith('#OrdersApi'));
    assert.ok(api);
    assert.equal(api.kind, 'rest');
    assert.equal(api.endpointType, 'REGIONAL');
    assert.deepEqual(noPositions(api.stages), [{ name: 'prod', tracingEnabled: true, loggingLevel: 'ERROR', dataTraceEnabled: true }]);
    assert.deepEqual(noPositions(api.domains), [{ name: 'api.example.com', securityPolicy: 'TLS_1_0' }]);
    assert.equal(api.domains?.[0]?.where.line, 67);
    assert.deepEqual(api.usagePlanThrottling, { rateLimit: 50, burstLimit: 100 });
  });

  it('reads FunctionUrlConfig, DLQ, reserved concurrency and layers', () => {
    const p = fn('PublicFunction');
    assert.deepEqual(noPositions(p.url), { auth: 'none', cors: { allowOrigins: ['*'], allowMethods: ['*'] } });
    assert.equal(p.url?.where.line, 135);
    assert.equal(expr(p.deadLetter?.target), '!GetAtt OrdersQueue.Arn');
    assert.equal(p.reservedConcurrency, 5);
    assert.deepEqual(
      p.layers.map((l) => [typeof l.arn === 'string' ? l.arn : l.arn.expr, l.layerId]),
      [
        ['arn:aws:lambda:us-east-1:999999999999:layer:thirdparty:3', undefined],
        ['!Ref SharedLayer', 'sam:sam/template.yaml#SharedLayer'],
      ],
    );
    const layer = app.layers?.find((l) => l.id.endsWith('#SharedLayer'));
    assert.equal(layer?.contentDir, join(FIXTURES, 'sam/layers/shared'));
    assert.deepEqual(layer?.compatibleRuntimes, ['nodejs20.x']);
  });

  it('builds the generated role: basic execution + policy templates + managed + inline + event source policies', () => {
    const idn = identity(fn('CreateOrderFunction').identity);
    assert.equal(idn.id, 'sam:sam/template.yaml#CreateOrderFunctionRole');
    assert.deepEqual(idn.usedBy, ['sam:sam/template.yaml#CreateOrderFunction']);
    assert.deepEqual(
      idn.statements.map((s) => s.origin?.name ?? s.origin?.kind),
      [
        'AWSLambdaBasicExecutionRole',
        'DynamoDBCrudPolicy',
        'SQSSendMessagePolicy',
        'VPCAccessPolicy',
        'AmazonS3ReadOnlyAccess',
        'inline',
        'AWSLambdaSQSQueueExecutionRole',
      ],
    );
    const ddb = idn.statements[1];
    assert.equal(ddb?.origin?.kind, 'sam-template');
    assert.ok(ddb?.actions?.includes('dynamodb:PutItem'));
    assert.deepEqual(
      ddb?.resources?.map((r) => (typeof r === 'string' ? r : [r.expr, r.hint, r.target])),
      [
        ['arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${OrdersTable}', 'ref', 'OrdersTable'],
        ['arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${OrdersTable}/index/*', 'ref', 'OrdersTable'],
      ],
    );
    assert.equal(ddb?.where.line, 92);
    assert.deepEqual(idn.statements[3]?.resources, ['*']);
    assert.deepEqual(noPositions(idn.statements[5]), { effect: 'Allow', actions: ['*'], resources: ['*'], origin: { kind: 'inline' } });
    assert.deepEqual(
      idn.managedPolicies.map((m) => [m.name, m.awsManaged]),
      [
        ['AWSLambdaBasicExecutionRole', true],
        ['AmazonS3ReadOnlyAccess', true],
        ['AWSLambdaSQSQueueExecutionRole', true],
      ],
    );
    assert.deepEqual(noPositions(idn.trust), [
      {
        effect: 'Allow',
        actions: ['sts:AssumeRole'],
        principal: { Service: ['lambda.amazonaws.com'] },
        origin: { kind: 'inline', name: 'trust' },
      },
    ]);
  });

  it('expands AWS-managed policies given as !Sub ARNs and marks explicit roles external', () => {
    const admin = identity(fn('ImageFunction').identity);
    assert.deepEqual(
      admin.managedPolicies.map((m) => [m.name, m.awsManaged, expr(m.arn) ?? m.arn]),
      [
        ['AWSLambdaBasicExecutionRole', true, 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
        ['AdministratorAccess', true, '!Sub arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess'],
      ],
    );
    assert.deepEqual(admin.statements[1]?.actions, ['*']);
    const ext = identity(fn('PublicFunction').identity);
    assert.equal(ext.external, true);
    assert.equal(ext.arn, 'arn:aws:iam::123456789012:role/shared-lambda-role');
    assert.deepEqual(ext.statements, []);
  });

  it('exposes Metadata.fnguard.ignore as suppressions (mapping and object forms)', () => {
    assert.deepEqual(noPositions(fn('CreateOrderFunction').suppressions), [
      { rule: 'CFG-01', reason: 'concurrency is limited by the account quota' },
      { rule: 'LOG-02', reason: 'retention set by org policy' },
    ]);
    assert.equal(fn('PublicFunction').suppressions, undefined);
  });

  it('keeps parameters as resources (NoEcho, Default) and normalizes supporting resources', () => {
    const params = app.resources?.filter((r) => r.type === 'parameter').map((r) => [r.id, r.props.noEcho, r.props.default]);
    assert.deepEqual(params, [
      ['Stage', undefined, 'dev'],
      ['DbPassword', true, undefined],
      ['ApiToken', undefined, 'hunter2'],
    ]);
    const tok = app.resources?.find((r) => r.id === 'ApiToken');
    assert.equal((tok?.props.defaultWhere as { line: number } | undefined)?.line, 14);
    const table = app.resources?.find((r) => r.id === 'OrdersTable');
    assert.deepEqual(
      [table?.type, table?.sourceType, table?.props.encryption],
      ['dynamodb-table', 'AWS::Serverless::SimpleTable', 'aws-managed'],
    );
    const q = app.resources?.find((r) => r.id === 'OrdersQueue');
    assert.deepEqual(noPositions(q?.props), { kmsKeyId: 'alias/orders', encryption: 'cmk', redrive: false, visibilityTimeout: 60 });
  });
});
