import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cloudformationAdapter } from '../../../src/load/cloudformation/index.js';
import { expr, FIXTURES, file, load, noPositions } from './helpers.js';

describe('cloudformation adapter: CDK output', () => {
  it('loads cdk.out templates as format cdk with construct paths and asset code dirs', async () => {
    const { app, diagnostics } = await load('cdk/cdk.out/ApiStack.template.json', 'cdk/cdk.out/assembly-Prod/ProdWorker.template.json');
    assert.deepEqual(diagnostics, []);
    const [api, worker] = app.functions ?? [];
    assert.deepEqual(
      app.sources?.map((x) => [x.format, x.unit]),
      [
        ['cdk', 'ApiStack'],
        ['cdk', 'ProdWorker'],
      ],
    );
    assert.equal(api?.id, 'cdk:cdk/cdk.out/ApiStack.template.json#Handler886CB40B');
    assert.equal(api?.format, 'cdk');
    assert.equal(api?.cdkPath, 'ApiStack/Handler/Resource');
    assert.equal(api?.where.path, 'ApiStack/Handler/Resource');
    assert.equal(api?.where.line, 75);
    assert.equal(api?.codeDir, join(FIXTURES, 'cdk/cdk.out/asset.3f1c9e'));
    assert.equal(api?.runtime, 'nodejs16.x');
    assert.equal(api?.env[0]?.where.path, 'ApiStack/Handler/Resource.Environment.Variables.TABLE_NAME');
    assert.deepEqual(noPositions(api?.suppressions), [{ rule: 'SUP-01', reason: 'upgrade tracked in JIRA-12' }]);
    assert.deepEqual(
      api?.triggers.map((t) => [t.kind, t.auth.type, t.where.path]),
      [['function-url', 'none', 'ApiStack/Handler/FunctionUrl/Resource']],
    );
    // nested assembly: asset paths are relative to the assembly folder
    assert.equal(worker?.cdkPath, 'Prod/Worker/Fn/Resource');
    assert.equal(worker?.codeDir, join(FIXTURES, 'cdk/cdk.out/asset.3f1c9e'));
    const role = app.identities?.find((i) => i.id === api?.identity);
    assert.ok(role);
    assert.deepEqual(
      role.managedPolicies.map((m) => [m.name, m.awsManaged]),
      [['AWSLambdaBasicExecutionRole', true]],
      'Fn::Join with AWS::Partition recognized',
    );
    assert.deepEqual(
      role.statements.map((s) => [s.origin?.kind, s.actions]),
      [
        ['aws-managed', ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents']],
        ['inline', ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query']],
      ],
    );
    // !Ref AWS::NoValue dropped from the resource list
    assert.deepEqual(
      role.statements[1]?.resources?.map((r) => expr(r) ?? r),
      ['!GetAtt TableCD117FA1.Arn'],
    );
    assert.equal(role.where.path, 'ApiStack/Handler/ServiceRole/Resource');
    assert.equal(role.statements[1]?.where.path, 'ApiStack/Handler/ServiceRole/DefaultPolicy/Resource.Statement[0]');
    const table = app.resources?.find((r) => r.id === 'TableCD117FA1');
    assert.equal(table?.cdkPath, 'ApiStack/Table/Resource');
    assert.equal(
      app.resources?.some((r) => r.sourceType === 'AWS::CDK::Metadata'),
      false,
    );
    const ext = app.identities?.find((i) => i.id === worker?.identity);
    assert.equal(ext?.external, true);
  });

  it('does not select files inside cdk.out asset folders', () => {
    const sel = cloudformationAdapter.select([
      file(FIXTURES, 'cdk/cdk.out/ApiStack.template.json'),
      file(FIXTURES, 'cdk/cdk.out/asset.3f1c9e/template.yaml'),
      { ...file(FIXTURES, 'sam/template.yaml'), subtype: 'serverless' },
    ]);
    assert.deepEqual(
      sel.map((f) => f.rel),
      ['cdk/cdk.out/ApiStack.template.json'],
    );
  });
});
