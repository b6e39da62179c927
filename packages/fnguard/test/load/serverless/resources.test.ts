import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expr, load } from './helpers.js';

const P = 'serverless:resources/serverless.yml#';

describe('serverless adapter: resources and extensions', () => {
  it('links resources: entries to the serverless functions, role and REST API by logical id', async () => {
    const { app, diagnostics } = await load('resources/serverless.yml');
    assert.deepEqual(diagnostics, []);
    const fn = app.functions?.[0];
    assert.equal(app.functions?.length, 1, 'the function is not returned twice');
    assert.equal(fn?.resourceId, 'HelloDashworldLambdaFunction');
    // permission from resources
    assert.deepEqual(
      fn?.permissions.map((p) => [p.id, p.principal]),
      [['HelloPermission', '*']],
    );
    // AWS::IAM::Policy on IamRoleLambdaExecution lands on the default role
    const role = app.identities?.find((i) => i.id === `${P}role`);
    assert.ok(role?.statements.some((s) => s.actions?.includes('kms:Decrypt')));
    assert.equal(app.identities?.filter((i) => i.id === `${P}role`).length, 1);
    // WAF association attaches to the serverless REST API's stage
    assert.equal(app.apis?.length, 1);
    assert.equal(app.apis?.[0]?.stages[0]?.name, 'dev');
    assert.equal(app.apis?.[0]?.stages[0]?.webAclArn, 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/1');
  });

  it('applies resources.extensions to functions and the default role', async () => {
    const { app } = await load('resources/serverless.yml');
    const fn = app.functions?.[0];
    assert.equal(expr(fn?.codeSigning?.config), '!Ref Signing');
    assert.equal(fn?.codeSigning?.where.path, 'resources.extensions.HelloDashworldLambdaFunction.Properties.CodeSigningConfigArn');
    assert.equal(fn?.reservedConcurrency, 3);
    assert.equal(fn?.recursiveLoop, 'Terminate');
    assert.equal(app.identities?.find((i) => i.id === `${P}role`)?.permissionsBoundary, 'arn:aws:iam::123456789012:policy/pb');
    assert.ok(app.resources?.some((r) => r.id === 'Signing' && r.type === 'code-signing-config'));
  });
});
