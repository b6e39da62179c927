import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { load } from './helpers.js';

describe('cloudformation adapter: inline OpenAPI definitions', () => {
  it('reads auth from SAM DefinitionBody operations and leaves included definitions unknown', async () => {
    const { app, diagnostics } = await load('cfn/openapi.yaml');
    assert.deepEqual(diagnostics, []);
    const fn = app.functions?.find((f) => f.name === 'Fn');
    assert.deepEqual(
      fn?.triggers.map((t) => [t.method, t.path, t.auth.type, t.auth.authorizer ?? null]),
      [
        ['GET', '/open', 'none', null],
        ['POST', '/closed', 'cognito', 'UserPool'],
        ['GET', '/x', 'unknown', null],
      ],
    );
  });

  it('turns RestApi Body operations into triggers with their security', async () => {
    const { app } = await load('cfn/openapi.yaml');
    const fn = app.functions?.find((f) => f.name === 'Backend');
    assert.deepEqual(
      fn?.triggers.map((t) => [t.kind, t.method, t.path, t.auth.type, t.auth.apiKeyRequired ?? false, t.apiId, t.where.line]),
      [
        ['rest-api', 'GET', '/items', 'api-key', true, 'sam:cfn/openapi.yaml#BodyApi', 66],
        ['rest-api', 'POST', '/items', 'iam', false, 'sam:cfn/openapi.yaml#BodyApi', 69],
        ['rest-api', 'ANY', '/items', 'none', false, 'sam:cfn/openapi.yaml#BodyApi', 72],
      ],
    );
  });
});

describe('cloudformation adapter: API Gateway authorizer functions and permission-only routes', () => {
  it('models authorizer functions as invoked by API Gateway, not as routes', async () => {
    const { app, diagnostics } = await load('cfn/authorizer.yaml');
    assert.deepEqual(diagnostics, []);
    const trig = (name: string) =>
      app.functions?.find((f) => f.name === name)?.triggers.map((t) => [t.kind, t.auth.type, t.public, t.path ?? null, t.detail ?? null]);
    assert.deepEqual(trig('Shop'), [['rest-api', 'lambda', true, '/', null]]);
    assert.deepEqual(trig('Checker'), [['other', 'iam', false, null, { apiGatewayAuthorizer: 'TokenAuth' }]]);
    // a permission alone says API Gateway may call it, but not how: auth and exposure unknown
    assert.deepEqual(trig('Other'), [['http-api', 'unknown', 'unknown', null, null]]);
  });
});
