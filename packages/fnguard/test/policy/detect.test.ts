import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseModule } from '../../src/analyze/code/parse.js';
import { displayArn, RefIndex } from '../../src/policy/arn.js';
import { detectModules } from '../../src/policy/detect.js';
import { needsOfCall } from '../../src/policy/needs.js';
import { detect, sampleApp } from './helpers.js';

const ops = (src: string) => detect(src).calls.map((c) => `${c.service}.${c.operation}${c.presigned ? '@presigned' : ''}`);

describe('SDK call detection: every form', () => {
  test('v3 commands with and without send, namespace imports, require', () => {
    assert.deepEqual(
      ops(`import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';
           import * as sqs from '@aws-sdk/client-sqs';
           const { SNSClient, PublishCommand } = require('@aws-sdk/client-sns');
           const s3 = new S3Client({});
           await s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' }));
           const cmd = new sqs.SendMessageCommand({ QueueUrl: process.env.Q });
           new SNSClient({}).send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:t' }));`),
      ['s3.GetObject', 'sqs.SendMessage', 'sns.Publish'],
    );
  });
  test('aggregated v3 clients, lib-dynamodb commands and DynamoDBDocument', () => {
    assert.deepEqual(
      ops(`import { S3 } from '@aws-sdk/client-s3';
           import { DynamoDB } from '@aws-sdk/client-dynamodb';
           import { DynamoDBDocument, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
           const s3 = new S3({});
           await s3.listObjectsV2({ Bucket: 'b' });
           const doc = DynamoDBDocument.from(new DynamoDB({}));
           await doc.get({ TableName: 't', Key: {} });
           await DynamoDBDocumentClient.from(x).send(new QueryCommand({ TableName: 't' }));`),
      ['s3.ListObjectsV2', 'dynamodb.GetItem', 'dynamodb.Query'],
    );
  });
  test('lib-storage Upload, presigners, paginators, waiters', () => {
    assert.deepEqual(
      ops(`import { S3Client, GetObjectCommand, paginateListObjectsV2, waitUntilObjectExists } from '@aws-sdk/client-s3';
           import { Upload } from '@aws-sdk/lib-storage';
           import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
           import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
           import { paginateQuery } from '@aws-sdk/lib-dynamodb';
           const c = new S3Client({});
           await new Upload({ client: c, params: { Bucket: 'b', Key: 'k', Body: 'x' } }).done();
           const url = await getSignedUrl(c, new GetObjectCommand({ Bucket: 'b', Key: 'k' }));
           await createPresignedPost(c, { Bucket: 'b', Key: 'u' });
           for await (const p of paginateListObjectsV2({ client: c }, { Bucket: 'b' })) {}
           for await (const p of paginateQuery({ client: d }, { TableName: 't' })) {}
           await waitUntilObjectExists({ client: c }, { Bucket: 'b', Key: 'k' });`),
      ['s3.Upload', 's3.GetObject@presigned', 's3.PutObject@presigned', 's3.ListObjectsV2', 'dynamodb.Query', 's3.HeadObject'],
    );
  });
  test('SDK v2 clients, DocumentClient, upload, getSignedUrl, waitFor, X-Ray wrapped clients', () => {
    assert.deepEqual(
      ops(`const AWS = require('aws-sdk');
           const AWSXRay = require('aws-xray-sdk-core');
           const S3 = require('aws-sdk/clients/s3');
           const db = new AWS.DynamoDB.DocumentClient();
           const s3 = new S3();
           const sns = AWSXRay.captureAWSClient(new AWS.SNS());
           exports.handler = async () => {
             await db.put({ TableName: 't', Item: {} }).promise();
             await s3.upload({ Bucket: 'b', Key: 'k', Body: 'x' }).promise();
             s3.getSignedUrl('getObject', { Bucket: 'b', Key: 'k' });
             await s3.waitFor('objectExists', { Bucket: 'b', Key: 'k' }).promise();
             await sns.publish({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', Message: 'm' }).promise();
           };`),
      ['dynamodb.PutItem', 's3.Upload', 's3.GetObject@presigned', 's3.HeadObject', 'sns.Publish'],
    );
  });
  test('Powertools parameters and idempotency', () => {
    assert.deepEqual(
      ops(`import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
           import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
           import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
           const p = await getParameter('/app/flag');
           const s = await getSecret('api-key');
           const store = new DynamoDBPersistenceLayer({ tableName: process.env.IDEMPOTENCY_TABLE });`),
      [
        'ssm.GetParameter',
        'secretsmanager.GetSecretValue',
        'dynamodb.GetItem',
        'dynamodb.PutItem',
        'dynamodb.UpdateItem',
        'dynamodb.DeleteItem',
      ],
    );
  });
  test('what cannot be followed is reported for review, not guessed', () => {
    const d = detect(`import AWS from 'aws-sdk';
      const s3 = new AWS.S3();
      export async function go(op, p) { return s3[op](p).promise(); }
      helper(s3);
      const m = await import('@aws-sdk/client-kms');`);
    assert.deepEqual(d.calls, []);
    assert.deepEqual(d.unmodelled.map((u) => u.reason).sort(), [
      'AWS SDK client passed to another function',
      'AWS SDK method chosen at run time',
      'dynamic import of @aws-sdk/client-kms: its calls are not followed',
    ]);
    assert.equal(d.unmodelled.length, 3);
  });
  test('arguments are tracked to literals, env vars, consts and template prefixes', () => {
    const d = detect(`import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
      const { BUCKET } = process.env;
      const prefix = 'out';
      const params = { Bucket: BUCKET, Key: \`\${prefix}/\${id}.json\` };
      await new S3Client({}).send(new PutObjectCommand(params));`);
    const input = d.calls[0]?.input;
    assert.equal(input?.kind, 'object');
    if (input?.kind !== 'object') return;
    assert.deepEqual(input.props.Bucket, { kind: 'env', name: 'BUCKET' });
    assert.deepEqual(input.props.Key, {
      kind: 'concat',
      parts: [
        { kind: 'literal', value: 'out/' },
        { kind: 'unknown', text: 'id' },
        { kind: 'literal', value: '.json' },
      ],
    });
  });
  test('hostile input: deep nesting does not overflow', () => {
    const deep = `${'['.repeat(3000)}1${']'.repeat(3000)}`;
    const d = detect(
      `import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3'; const x = ${deep}; new GetObjectCommand({ Bucket: 'b', Key: 'k' });`,
      '/app/a.js',
    );
    assert.equal(d.calls.length, 1);
  });
});

/** One representative call per service of the table, mapped to actions and resources. */
const SERVICES: [string, string, Record<string, string>, { id: string; type: string; name?: string }[], string[]][] = [
  [
    '@aws-sdk/client-s3',
    `new CopyObjectCommand({ Bucket: process.env.B, Key: 'dst', CopySource: 'src-bucket/in/a' })`,
    { B: '!Ref Data' },
    [{ id: 'Data', type: 's3-bucket' }],
    [
      's3:GetObject arn:${AWS::Partition}:s3:::src-bucket/in/a',
      's3:GetObjectTagging arn:${AWS::Partition}:s3:::src-bucket/in/a',
      's3:PutObject ${Data.Arn}/dst',
      's3:PutObjectTagging ${Data.Arn}/dst',
    ],
  ],
  [
    '@aws-sdk/client-dynamodb',
    `new QueryCommand({ TableName: process.env.T, IndexName: 'byUser' })`,
    { T: '!Ref Orders' },
    [{ id: 'Orders', type: 'dynamodb-table', name: 'orders' }],
    ['dynamodb:Query ${Orders.Arn}/index/byUser'],
  ],
  [
    '@aws-sdk/client-sqs',
    `new SendMessageBatchCommand({ QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/jobs', Entries: [] })`,
    {},
    [],
    ['sqs:SendMessage arn:aws:sqs:eu-west-1:123456789012:jobs'],
  ],
  [
    '@aws-sdk/client-sns',
    `new PublishCommand({ TopicArn: process.env.TOPIC })`,
    { TOPIC: '!Ref Events' },
    [{ id: 'Events', type: 'sns-topic' }],
    ['sns:Publish ${Events}'],
  ],
  [
    '@aws-sdk/client-lambda',
    `new InvokeCommand({ FunctionName: 'worker' })`,
    {},
    [],
    ['lambda:InvokeFunction arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:worker'],
  ],
  [
    '@aws-sdk/client-secrets-manager',
    `new GetSecretValueCommand({ SecretId: 'db/password' })`,
    {},
    [],
    ['secretsmanager:GetSecretValue arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:db/password-??????'],
  ],
  [
    '@aws-sdk/client-ssm',
    `new GetParametersByPathCommand({ Path: '/app/config' })`,
    {},
    [],
    ['ssm:GetParametersByPath arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/app/config/*'],
  ],
  [
    '@aws-sdk/client-kms',
    `new ReEncryptCommand({ KeyId: 'alias/old', DestinationKeyId: 'arn:aws:kms:us-east-1:123456789012:key/abc' })`,
    {},
    [],
    [
      'kms:ReEncryptFrom arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:alias/old',
      'kms:ReEncryptTo arn:aws:kms:us-east-1:123456789012:key/abc',
    ],
  ],
  [
    '@aws-sdk/client-sts',
    `new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/r', Tags: [] })`,
    {},
    [],
    ['sts:AssumeRole arn:aws:iam::123456789012:role/r', 'sts:TagSession arn:aws:iam::123456789012:role/r'],
  ],
  [
    '@aws-sdk/client-eventbridge',
    `new PutEventsCommand({ Entries: [{ EventBusName: 'orders', Detail: '{}' }] })`,
    {},
    [],
    ['events:PutEvents arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/orders'],
  ],
  [
    '@aws-sdk/client-sfn',
    `new StartExecutionCommand({ stateMachineArn: process.env.SM })`,
    { SM: '!Ref Flow' },
    [{ id: 'Flow', type: 'state-machine' }],
    ['states:StartExecution ${Flow}'],
  ],
  [
    '@aws-sdk/client-kinesis',
    `new PutRecordCommand({ StreamName: 'clicks', Data: x, PartitionKey: 'p' })`,
    {},
    [],
    ['kinesis:PutRecord arn:${AWS::Partition}:kinesis:${AWS::Region}:${AWS::AccountId}:stream/clicks'],
  ],
  [
    '@aws-sdk/client-firehose',
    `new PutRecordBatchCommand({ DeliveryStreamName: 'logs', Records: [] })`,
    {},
    [],
    ['firehose:PutRecordBatch arn:${AWS::Partition}:firehose:${AWS::Region}:${AWS::AccountId}:deliverystream/logs'],
  ],
  [
    '@aws-sdk/client-sesv2',
    `new SendEmailCommand({ FromEmailAddress: 'example.com' })`,
    {},
    [],
    ['ses:SendEmail arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/example.com'],
  ],
  [
    '@aws-sdk/client-cognito-identity-provider',
    `new AdminGetUserCommand({ UserPoolId: 'eu-west-1_abc', Username: 'u' })`,
    {},
    [],
    ['cognito-idp:AdminGetUser arn:${AWS::Partition}:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/eu-west-1_abc'],
  ],
  ['@aws-sdk/client-cloudwatch', `new PutMetricDataCommand({ Namespace: 'app', MetricData: [] })`, {}, [], ['cloudwatch:PutMetricData *']],
  [
    '@aws-sdk/client-cloudwatch-logs',
    `new FilterLogEventsCommand({ logGroupName: '/app/audit' })`,
    {},
    [],
    ['logs:FilterLogEvents arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/app/audit'],
  ],
  ['@aws-sdk/client-xray', `new PutTraceSegmentsCommand({ TraceSegmentDocuments: [] })`, {}, [], ['xray:PutTraceSegments *']],
  [
    '@aws-sdk/client-appsync',
    `new GetGraphqlApiCommand({ apiId: 'abc' })`,
    {},
    [],
    ['appsync:GetGraphqlApi arn:${AWS::Partition}:appsync:${AWS::Region}:${AWS::AccountId}:apis/abc'],
  ],
  [
    '@aws-sdk/client-bedrock-runtime',
    `new ConverseCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', messages: [] })`,
    {},
    [],
    ['bedrock:InvokeModel arn:${AWS::Partition}:bedrock:${AWS::Region}::foundation-model/anthropic.claude-3-haiku-20240307-v1:0'],
  ],
  [
    '@aws-sdk/client-rds-data',
    `new ExecuteStatementCommand({ resourceArn: 'arn:aws:rds:us-east-1:123456789012:cluster:db', secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf', sql: 'select 1' })`,
    {},
    [],
    [
      'rds-data:ExecuteStatement arn:aws:rds:us-east-1:123456789012:cluster:db',
      'secretsmanager:GetSecretValue arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf',
    ],
  ],
  ['@aws-sdk/client-cognito-identity', `new GetIdCommand({ IdentityPoolId: 'p' })`, {}, [], []],
];

describe('mapping: one call per service', () => {
  for (const [pkg, expr, env, resources, expected] of SERVICES) {
    test(pkg, () => {
      const cls = /new (\w+)\(/.exec(expr)?.[1] as string;
      const d = detect(`import { ${cls} } from '${pkg}';\n${expr};`);
      assert.equal(d.calls.length, 1, `detected ${JSON.stringify(d.calls.map((c) => c.operation))}`);
      const { app, fn } = sampleApp(env, resources);
      const index = new RefIndex(app);
      const needs = needsOfCall(d.calls[0] as never, { fn, index });
      assert.deepEqual(
        needs.map((n) => `${n.action} ${n.resource.wildcardOnly ? '*' : displayArn(n.resource.parts, index)}`),
        expected,
      );
      for (const n of needs) assert.ok(n.verified, `${n.action} unverified`);
    });
  }
  test('unknown operations fall back to service:Operation, marked unverified', () => {
    const d = detect(`import { FrobnicateCommand } from '@aws-sdk/client-s3'; new FrobnicateCommand({ Bucket: 'b' });`);
    const { app, fn } = sampleApp({}, []);
    const needs = needsOfCall(d.calls[0] as never, { fn, index: new RefIndex(app) });
    assert.equal(needs[0]?.action, 's3:Frobnicate');
    assert.equal(needs[0]?.verified, false);
  });
  test('conditional extras: VersionId, TransactItems kinds, PartiQL verbs, KMS for a customer-managed key', () => {
    const { app, fn } = sampleApp({ B: '!Ref Data', T: 'orders' }, [
      { id: 'Data', type: 's3-bucket' },
      { id: 'Key', type: 'kms-key' },
    ]);
    (app.resources[0] as { props: Record<string, unknown> }).props = {
      encryption: 'cmk',
      kmsKeyId: { kind: 'unknown', expr: '!GetAtt Key.Arn', hint: 'ref', target: 'Key' },
    };
    const index = new RefIndex(app);
    const run = (src: string) =>
      detect(src)
        .calls.flatMap((c) => needsOfCall(c, { fn, index }))
        .map((n) => `${n.action} ${displayArn(n.resource.parts, index)}`);
    assert.deepEqual(
      run(
        `import { GetObjectCommand } from '@aws-sdk/client-s3'; new GetObjectCommand({ Bucket: process.env.B, Key: 'k', VersionId: v });`,
      ),
      ['s3:GetObject ${Data.Arn}/k', 's3:GetObjectVersion ${Data.Arn}/k', 'kms:Decrypt ${Key.Arn}'],
    );
    assert.deepEqual(
      run(
        `import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb'; new TransactWriteCommand({ TransactItems: [{ Update: { TableName: process.env.T } }, { Delete: { TableName: 'audit' } }] });`,
      ),
      [
        'dynamodb:UpdateItem arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/orders',
        'dynamodb:UpdateItem arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/audit',
        'dynamodb:DeleteItem arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/orders',
        'dynamodb:DeleteItem arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/audit',
      ],
    );
    assert.deepEqual(
      run(
        `import { ExecuteStatementCommand } from '@aws-sdk/client-dynamodb'; new ExecuteStatementCommand({ Statement: 'SELECT * FROM "orders" WHERE pk = ?' });`,
      ),
      ['dynamodb:PartiQLSelect arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/orders'],
    );
  });
  test('unresolved resources stay visible, never *', () => {
    const { app, fn } = sampleApp({ T: '!Ref Nowhere' }, []);
    const d = detect(
      `import { GetItemCommand } from '@aws-sdk/client-dynamodb'; new GetItemCommand({ TableName: process.env.MISSING }); new GetItemCommand({ TableName: process.env.T });`,
    );
    const needs = d.calls.flatMap((c) => needsOfCall(c, { fn, index: new RefIndex(app) }));
    assert.equal(needs.length, 2);
    for (const n of needs) {
      assert.ok(n.resource.unresolved);
      assert.ok(!n.resource.parts.includes('*'));
    }
    assert.match(needs[0]?.resource.unresolved ?? '', /MISSING is not set/);
  });
});

describe('clients shared between modules', () => {
  test('a client exported by one module is followed where it is imported (ESM and CommonJS)', () => {
    const parse = (file: string, src: string) => {
      const m = parseModule(file, src).module;
      if (!m) throw new Error('parse');
      return m;
    };
    const mods = [
      parse(
        '/app/clients.js',
        `const AWS = require('aws-sdk'); exports.db = new AWS.DynamoDB.DocumentClient(); module.exports.s3 = new AWS.S3();`,
      ),
      parse('/app/lib.mjs', `import { SNS } from '@aws-sdk/client-sns'; export const sns = new SNS({});`),
      parse(
        '/app/handler.mjs',
        `import { sns } from './lib.mjs'; const { db, s3 } = require('./clients.js');
        export const handler = async () => { await db.get({ TableName: 't' }).promise(); await s3.headBucket({ Bucket: 'b' }).promise(); await sns.publish({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:t' }); };`,
      ),
    ];
    const files: Record<string, string> = { './clients.js': '/app/clients.js', './lib.mjs': '/app/lib.mjs' };
    const d = detectModules(mods, (_f, spec) => files[spec]);
    assert.deepEqual(d.calls.map((c) => `${c.service}.${c.operation}`).sort(), ['dynamodb.GetItem', 's3.HeadBucket', 'sns.Publish']);
    assert.deepEqual(d.unmodelled, []);
  });
});

test('iam:PassRole for a role a call passes is limited to the service it is passed to', () => {
  const d = detect(`import { CreateFunctionCommand } from '@aws-sdk/client-lambda';
    new CreateFunctionCommand({ FunctionName: 'f', Role: 'arn:aws:iam::123456789012:role/worker' });`);
  const { app, fn } = sampleApp({}, []);
  const needs = needsOfCall(d.calls[0] as never, { fn, index: new RefIndex(app) });
  const pass = needs.find((n) => n.action === 'iam:PassRole');
  assert.deepEqual(pass?.resource.parts, ['arn:aws:iam::123456789012:role/worker']);
  assert.deepEqual(pass?.condition, { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } });
});
