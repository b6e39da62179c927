// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation `${}` syntax in plain strings
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { App, Diagnostic, Fn } from '../../../src/model/types.js';
import { expr, FIXTURES, load, noPositions } from './helpers.js';

let app: Partial<App>;
let diagnostics: Diagnostic[];
const fn = (name: string): Fn => {
  const f = app.functions?.find((x) => x.name === name);
  assert.ok(f, `function ${name}`);
  return f;
};
const P = 'cloudformation:cfn/stack.yaml#';

describe('cloudformation adapter: plain CloudFormation', () => {
  before(async () => {
    ({ app, diagnostics } = await load('cfn/stack.yaml'));
  });

  it('loads as format cloudformation without diagnostics', () => {
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(
      app.functions?.map((f) => [f.id, f.format]),
      [
        [`${P}ApiFunction`, 'cloudformation'],
        [`${P}WorkerFunction`, 'cloudformation'],
      ],
    );
    assert.equal(fn('ApiFunction').where.line, 63);
    assert.equal(fn('ApiFunction').where.path, 'Resources.ApiFunction');
  });

  it('reads AWS::Lambda::Function properties and evaluates static intrinsics', () => {
    const f = fn('ApiFunction');
    assert.equal(f.runtime, 'nodejs20.x', 'FindInMap');
    assert.deepEqual([expr(f.functionName), (f.functionName as { hint?: string }).hint], ['!Sub api-${Env}', 'parameter']);
    assert.equal(f.handler, 'index.handler');
    assert.equal(f.timeout, 30);
    assert.equal(f.memory, 512);
    assert.equal(f.tracing, 'PassThrough');
    assert.equal(expr(f.kmsKeyArn), '!GetAtt Key.Arn');
    assert.deepEqual(noPositions(f.vpc), { subnetIds: ['subnet-1', 'subnet-2'], securityGroupIds: ['sg-1'] });
    assert.deepEqual(
      f.env.map((e) => [e.name, typeof e.value === 'string' ? e.value : e.value.expr]),
      [
        ['TABLE', '!Ref Table'],
        ['JOINED', 'a-b-c'],
        ['SUBBED', 'literal-only'],
      ],
    );
    assert.deepEqual(f.tags, { team: 'payments' });
    assert.equal(f.packaging?.artifact, 'inline');
    assert.equal(f.inlineCode?.text, 'exports.handler = async () => ({ statusCode: 200 })');
    assert.equal(f.inlineCode?.where.line, 71);
    assert.deepEqual([expr(f.codeSigning?.config), f.codeSigning?.enforcement], ['!Ref Signing', 'Enforce']);
    assert.equal(f.identity, `${P}ApiRole`);
  });

  it('builds the role identity from inline, managed, customer-managed and attached policies', () => {
    const role = app.identities?.find((i) => i.id === `${P}ApiRole`);
    assert.ok(role);
    assert.equal(role.name, 'api-role');
    assert.deepEqual(role.usedBy, [`${P}ApiFunction`, `${P}WorkerFunction`]);
    assert.deepEqual(
      role.statements.map((s) => [s.origin?.kind, s.origin?.name, s.actions ?? null, s.notActions ?? null]),
      [
        ['inline', 'data', ['dynamodb:GetItem', 'dynamodb:PutItem'], null],
        ['inline', 'data', ['iam:PassRole'], null], // Fn::If branch kept
        ['aws-managed', 'AWSLambdaBasicExecutionRole', ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], null],
        ['customer-managed', 'ExtraPolicy', null, ['s3:DeleteBucket']],
        ['inline', 'worker-extra', ['sqs:*'], null],
      ],
    );
    assert.deepEqual(role.statements[1]?.resources, ['*']);
    assert.equal(role.statements[4]?.where.line, 60);
    assert.deepEqual(
      role.managedPolicies.map((m) => [m.name, m.awsManaged]),
      [
        ['AWSLambdaBasicExecutionRole', true],
        ['ExtraPolicy', false],
      ],
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

  it('links permissions, URL, event source mapping, invoke config, log group and rules to the function', () => {
    const w = fn('WorkerFunction');
    assert.deepEqual(
      w.permissions.map((p) => [p.id, p.principal, p.action, p.functionUrlAuthType, expr(p.sourceArn)]),
      [
        ['WorkerUrlPermission', '*', 'lambda:InvokeFunctionUrl', 'NONE', undefined],
        ['NightlyPermission', 'events.amazonaws.com', 'lambda:InvokeFunction', undefined, '!GetAtt Nightly.Arn'],
      ],
    );
    assert.deepEqual(noPositions(w.url), { auth: 'none', resourceId: 'WorkerUrl', cors: { allowOrigins: ['*'], allowMethods: ['*'] } });
    assert.deepEqual(
      w.triggers.map((t) => [t.kind, t.auth.type, t.public, t.resourceId ?? null]),
      [
        ['sqs', 'iam', false, 'WorkerMapping'],
        ['function-url', 'none', true, 'WorkerUrl'],
        ['schedule', 'iam', false, 'Nightly'], // the permission does not add a second one
        ['http-api', 'jwt', true, 'HttpRoute'],
        ['http-api', 'none', true, 'OpenRoute'],
      ],
    );
    assert.deepEqual(noPositions(w.triggers[0]?.mapping), { batchSize: 5, functionResponseTypes: ['ReportBatchItemFailures'] });
    assert.deepEqual(w.triggers[2]?.detail, { schedule: 'cron(0 3 * * ? *)' });
    assert.deepEqual([expr(w.destinations?.onFailure), w.destinations?.maximumRetryAttempts], ['!GetAtt Queue.Arn', 0]);
    assert.deepEqual([w.logs?.retentionInDays, w.logs?.logGroup, w.logs?.where.line], [14, '/aws/lambda/worker', 152]);
    assert.equal(expr(w.deadLetter?.target), '!GetAtt Queue.Arn');
  });

  it('turns API Gateway v1 methods into rest-api triggers with paths and auth', () => {
    const a = fn('ApiFunction');
    assert.deepEqual(
      a.triggers.map((t) => noPositions(t)),
      [
        {
          kind: 'rest-api',
          auth: { type: 'api-key', apiKeyRequired: true },
          public: true,
          method: 'GET',
          path: '/orders/{id}',
          apiId: `${P}RestApi`,
          resourceId: 'GetOrder',
        },
        {
          kind: 'rest-api',
          auth: { type: 'lambda', authorizer: 'TokenAuthorizer' },
          public: true,
          method: 'POST',
          path: '/orders',
          apiId: `${P}RestApi`,
          resourceId: 'PostOrder',
        },
      ],
    );
    assert.equal(a.permissions[0]?.principal, 'apigateway.amazonaws.com');
  });

  it('reads REST API stages, validation, keys, usage plans and WAF', () => {
    const api = app.apis?.find((x) => x.id === `${P}RestApi`);
    assert.ok(api);
    assert.equal(api.endpointType, 'REGIONAL');
    assert.equal(api.requestValidation, true);
    assert.deepEqual(noPositions(api.stages), [
      {
        name: 'prod',
        tracingEnabled: false,
        cacheEnabled: true,
        loggingLevel: 'INFO',
        dataTraceEnabled: true,
        throttling: { rateLimit: 100, burstLimit: 50 },
        cacheEncrypted: false,
        variables: [{ name: 'dbPassword', value: 's3cr3t-value' }],
        webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/x/1',
      },
    ]);
    assert.deepEqual(noPositions(api.apiKeys), [{ name: 'partner', value: 'abcdefghijklmnopqrstuvwxyz123456' }]);
    assert.deepEqual(api.usagePlanThrottling, { rateLimit: 10, burstLimit: 20 });
    const http = app.apis?.find((x) => x.id === `${P}HttpApi`);
    assert.deepEqual(noPositions(http?.stages), [
      { name: '$default', accessLogging: { destination: 'arn:aws:logs:us-east-1:123456789012:log-group:x', format: '$context.requestId' } },
    ]);
  });

  it('normalizes supporting resources and resource policies', () => {
    const r = (id: string) => app.resources?.find((x) => x.id === id);
    assert.deepEqual(noPositions(r('Queue')?.props), { encryption: 'none', redrive: false, visibilityTimeout: 30 });
    assert.deepEqual(
      r('Queue')?.policy?.map((s) => [s.principal, s.actions]),
      [['*', ['sqs:SendMessage']]],
    );
    assert.equal(r('Table')?.props.encryption, 'cmk');
    assert.equal(r('Pool')?.props.allowUnauthenticated, true);
    assert.equal(r('ErrorsAlarm')?.props.functionId, `${P}ApiFunction`);
    assert.deepEqual(r('ErrorsAlarm')?.props.alarmActions, []);
    assert.equal(r('Secret')?.props.secretString, '{"password":"plaintext"}');
    assert.equal(r('Signing')?.props.untrustedArtifactOnDeployment, 'Enforce');
    assert.equal(r('Key')?.props.enableKeyRotation, true);
    assert.equal(r('WorkerLogs')?.props.retentionInDays, 14);
    const layer = app.layers?.find((l) => l.id === `${P}Layer`);
    assert.deepEqual(noPositions(layer?.permissions), [{ principal: '*' }]);
  });
});

describe('cloudformation adapter: JSON and YAML, short and long forms', () => {
  it('gives the same Model for the same template in YAML short form and JSON long form', async () => {
    const y = await load('cfn/mini.yaml');
    const j = await load('cfn/mini.json');
    assert.deepEqual(y.diagnostics, []);
    assert.deepEqual(j.diagnostics, []);
    const strip = (a: Partial<App>) =>
      JSON.parse(
        JSON.stringify(noPositions({ functions: a.functions, identities: a.identities }))
          .replaceAll('mini.yaml', 'X')
          .replaceAll('mini.json', 'X'),
      );
    assert.deepEqual(strip(y.app), strip(j.app));
    const f = y.app.functions?.[0];
    assert.deepEqual(
      f?.env.map((e) => [e.name, typeof e.value === 'string' ? e.value : [e.value.expr, e.value.hint, e.value.target]]),
      [
        ['URL', ['!Sub https://${Api}.execute-api.${AWS::Region}.amazonaws.com', 'ref', 'Api']],
        ['NAME', 'svc-b'],
      ],
    );
    const role = y.app.identities?.[0];
    assert.deepEqual(noPositions(role?.trust?.[0]?.principal), { AWS: ['*'] });
    assert.equal(expr(role?.statements[0]?.resources?.[0]), '!Sub arn:${AWS::Partition}:s3:::bucket/*');
    // positions come from each file
    assert.equal(f?.where.file, join(FIXTURES, 'cfn/mini.yaml'));
    assert.equal(f?.where.line, 2);
    assert.equal(j.app.functions?.[0]?.where.line, 3);
    assert.equal(j.app.functions?.[0]?.env[0]?.where.line, 12);
  });
});

describe('cloudformation adapter: other trigger sources', () => {
  it('links ALB target groups, AppSync data sources, Cognito triggers, IoT rules, log subscriptions and schedules', async () => {
    const { app: a, diagnostics: d } = await load('cfn/triggers.yaml');
    assert.deepEqual(d, []);
    const f = a.functions?.[0];
    assert.deepEqual(
      f?.triggers.map((t) => [t.kind, t.auth.type, t.public, t.resourceId, t.detail ?? null]),
      [
        ['alb', 'none', true, 'Tg', null],
        ['appsync', 'api-key', true, 'Source', null],
        ['cognito', 'iam', false, 'Users', { trigger: 'PreSignUp' }],
        ['iot', 'iam', false, 'Rule', { sql: "SELECT * FROM 'devices/+'" }],
        ['cloudwatch-logs', 'iam', false, 'LogSub', null],
        ['schedule', 'iam', false, 'Sched', { schedule: 'rate(5 minutes)' }],
      ],
    );
  });
});

describe('cloudformation adapter: API deployments, domains and resource policies', () => {
  it('reads Deployment.StageDescription, domains through base path mappings and REST resource policies', async () => {
    const { app: a, diagnostics: d } = await load('cfn/resources.yaml');
    assert.deepEqual(d, []);
    const api = a.apis?.[0];
    assert.equal(api?.endpointType, 'PRIVATE');
    assert.deepEqual(
      api?.policy?.map((s) => [s.principal, s.actions]),
      [['*', ['execute-api:Invoke']]],
    );
    assert.deepEqual(noPositions(api?.stages), [
      {
        name: 'v1',
        accessLogging: { destination: 'arn:aws:logs:us-east-1:1:log-group:a', format: '{}' },
        tracingEnabled: true,
        loggingLevel: 'OFF',
        dataTraceEnabled: false,
      },
    ]);
    assert.deepEqual(noPositions(api?.domains), [{ name: 'legacy.example.com', securityPolicy: 'TLS_1_0' }]);
  });

  it('attaches topic, bucket and event bus policies and normalizes encryption', async () => {
    const { app: a } = await load('cfn/resources.yaml');
    const r = (id: string) => a.resources?.find((x) => x.id === id);
    assert.deepEqual(
      r('Topic')?.policy?.map((s) => [s.effect, s.principal, s.actions]),
      [['Allow', { AWS: ['*'] }, ['sns:Publish']]],
    );
    assert.equal(r('Topic')?.props.encryption, 'none');
    assert.deepEqual(
      r('Bucket')?.policy?.map((s) => [s.effect, s.condition]),
      [['Deny', { Bool: { 'aws:SecureTransport': 'false' } }]],
      'matched by bucket name',
    );
    assert.deepEqual(
      [r('Bucket')?.props.blockPublicAccess, r('Bucket')?.props.encryption, r('Bucket')?.props.kmsKeyId],
      [false, 'cmk', 'alias/uploads'],
    );
    assert.deepEqual(
      r('Bus')?.policy?.map((s) => [s.principal, s.actions, s.condition ?? null]),
      [
        ['*', ['events:PutEvents'], null],
        ['*', ['events:PutEvents'], { StringEquals: { 'aws:PrincipalOrgID': 'o-123' } }],
      ],
    );
    assert.deepEqual(
      [r('Sub')?.type, r('Sub')?.props.redrive, r('Sub')?.props.deadLetterTarget],
      ['sns-subscription', true, 'arn:aws:sqs:us-east-1:1:dlq'],
    );
    assert.equal(r('Stream')?.props.encryption, 'aws-managed');
  });
});
