import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadCloudFormationResources } from '../../../src/load/cloudformation/index.js';
import { parseYaml } from '../../../src/load/yaml/index.js';
import type { Api, Diagnostic, Fn, Identity } from '../../../src/model/types.js';

const FILE = '/proj/serverless.yml';
const TEXT = `service: shop
provider:
  name: aws
functions:
  hello:
    handler: handler.hello
resources:
  Resources:
    HelloUrlPermission:
      Type: AWS::Lambda::Permission
      Properties:
        FunctionName: !Ref HelloLambdaFunction
        Action: lambda:InvokeFunction
        Principal: "*"
    ExtraPolicy:
      Type: AWS::IAM::Policy
      Properties:
        PolicyName: extra
        Roles: [!Ref IamRoleLambdaExecution]
        PolicyDocument:
          Statement:
            - Effect: Allow
              Action: s3:*
              Resource: "*"
    Uploads:
      Type: AWS::S3::Bucket
      Properties:
        NotificationConfiguration:
          LambdaConfigurations:
            - Event: s3:ObjectCreated:*
              Function: !GetAtt HelloLambdaFunction.Arn
    Jobs:
      Type: AWS::SQS::Queue
    Extra:
      Type: AWS::Lambda::Function
      Properties:
        Runtime: nodejs22.x
        Handler: index.handler
        Role: !GetAtt IamRoleLambdaExecution.Arn
        Code: { ZipFile: x }
    Waf:
      Type: AWS::WAFv2::WebACLAssociation
      Properties:
        ResourceArn: !Sub arn:aws:apigateway:\${AWS::Region}::/restapis/\${ApiGatewayRestApi}/stages/dev
        WebACLArn: arn:aws:wafv2:us-east-1:1:regional/webacl/w/1
  Outputs:
    X: { Value: 1 }
`;

function ext(): { fn: Fn; role: Identity } {
  const where = { file: FILE, line: 5, column: 3 };
  const fn: Fn = {
    id: 'serverless:serverless.yml#hello',
    name: 'hello',
    provider: 'aws',
    format: 'serverless',
    env: [],
    layers: [],
    triggers: [],
    permissions: [],
    where,
  };
  const role: Identity = { id: 'serverless:shop:role', provider: 'aws', statements: [], managedPolicies: [], usedBy: [fn.id], where };
  return { fn, role };
}

describe('loadCloudFormationResources (serverless resources: section)', () => {
  it('loads the section and attaches links to the caller’s functions and role', () => {
    const r = parseYaml(TEXT, FILE);
    assert.equal(r.ok, true);
    const { fn, role } = ext();
    const api: Api = { id: 'serverless:serverless.yml#api', kind: 'rest', stages: [{ name: 'dev', where: fn.where }], where: fn.where };
    const diags: Diagnostic[] = [];
    const part = loadCloudFormationResources(
      (r.value as { resources: unknown }).resources,
      r.positions,
      { root: '/proj', diagnostic: (d) => diags.push(d) },
      {
        file: FILE,
        functions: { HelloLambdaFunction: fn },
        identities: { IamRoleLambdaExecution: role },
        apis: { ApiGatewayRestApi: api },
      },
    );
    assert.deepEqual(diags, []);
    assert.deepEqual(
      part.functions?.map((f) => [f.id, f.format, f.identity]),
      [['serverless:serverless.yml#Extra', 'serverless', 'serverless:shop:role']],
      'caller functions are not returned again; new ones use the caller role',
    );
    assert.deepEqual(role.usedBy, [fn.id, 'serverless:serverless.yml#Extra']);
    assert.deepEqual(part.identities, []);
    assert.deepEqual(part.apis, [], 'caller APIs are not returned again');
    assert.equal(api.stages[0]?.webAclArn, 'arn:aws:wafv2:us-east-1:1:regional/webacl/w/1');
    assert.deepEqual(
      part.resources?.map((x) => [x.id, x.type, x.format]),
      [
        ['Uploads', 's3-bucket', 'serverless'],
        ['Jobs', 'sqs-queue', 'serverless'],
      ],
    );
    assert.deepEqual(
      fn.permissions.map((p) => [p.id, p.principal, p.where.line]),
      [['HelloUrlPermission', '*', 9]],
    );
    assert.deepEqual(
      fn.triggers.map((t) => [t.kind, t.async, t.resourceId, t.where.line]),
      [['s3', true, 'Uploads', 30]],
    );
    assert.deepEqual(
      role.statements.map((s) => [s.actions, s.resources, s.where.line, s.origin?.name]),
      [[['s3:*'], ['*'], 22, 'extra']],
    );
  });

  it('accepts a list of sections and reports a wrong type', () => {
    const r = parseYaml(
      'resources:\n  - Resources:\n      A: { Type: AWS::SQS::Queue }\n  - Resources:\n      B: { Type: AWS::SNS::Topic }\n',
      FILE,
    );
    const diags: Diagnostic[] = [];
    const part = loadCloudFormationResources(
      (r.value as { resources: unknown }).resources,
      r.positions,
      { root: '/proj', diagnostic: (d) => diags.push(d) },
      { file: FILE },
    );
    assert.deepEqual(
      part.resources?.map((x) => [x.id, x.where.line]),
      [
        ['A', 3],
        ['B', 5],
      ],
    );
    const bad = parseYaml('resources: 5\n', FILE);
    loadCloudFormationResources(
      (bad.value as { resources: unknown }).resources,
      bad.positions,
      { root: '/proj', diagnostic: (d) => diags.push(d) },
      { file: FILE },
    );
    assert.equal(diags.at(-1)?.code, 'invalid-template');
    assert.deepEqual(loadCloudFormationResources(undefined, bad.positions, { root: '/', diagnostic: () => {} }, { file: FILE }), {});
  });
});
