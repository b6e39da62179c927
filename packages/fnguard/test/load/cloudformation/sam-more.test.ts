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

describe('cloudformation adapter: SAM HttpApi auth and function settings', () => {
  before(async () => {
    ({ app, diagnostics } = await load('sam/template.yaml'));
  });

  it('applies the HttpApi default JWT authorizer and AWS_IAM overrides', () => {
    assert.deepEqual(diagnostics, []);
    const w = fn('WorkerFunction');
    assert.deepEqual(
      w.triggers.map((t) => [
        t.kind,
        t.auth.type,
        t.auth.authorizer ?? null,
        t.method ?? null,
        expr(t.path) ?? t.path ?? null,
        t.apiId ?? null,
      ]),
      [
        ['http-api', 'jwt', 'Jwt', 'POST', '/jobs', 'sam:sam/template.yaml#JwtApi'],
        ['http-api', 'iam', null, 'POST', '/admin', 'sam:sam/template.yaml#JwtApi'],
        ['kinesis', 'iam', null, null, null, null],
      ],
    );
    const kin = w.triggers[2];
    assert.equal(kin?.source, 'arn:aws:kinesis:us-east-1:123456789012:stream/s');
    assert.deepEqual(
      [kin?.mapping?.maximumRetryAttempts, kin?.mapping?.bisectBatchOnFunctionError, expr(kin?.mapping?.onFailure)],
      [2, true, '!GetAtt OrdersQueue.Arn'],
    );
    const api = app.apis?.find((a) => a.id.endsWith('#JwtApi'));
    assert.deepEqual(noPositions(api?.stages), [
      {
        name: 'v1',
        accessLogging: { destination: 'arn:aws:logs:us-east-1:123456789012:log-group:http', format: '$context.requestId' },
        throttling: { rateLimit: 10, burstLimit: 20 },
      },
    ]);
  });

  it('reads the remaining SAM function settings', () => {
    const w = fn('WorkerFunction');
    assert.equal(w.codeArtifact, join(FIXTURES, 'sam/build/worker.zip'));
    assert.equal(w.codeDir, undefined);
    assert.equal(w.kmsKeyArn, 'arn:aws:kms:us-east-1:123456789012:key/abc');
    assert.equal(w.recursiveLoop, 'Allow');
    assert.equal(w.codeSigning?.config, 'arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-1');
    assert.deepEqual(noPositions(w.vpc), { subnetIds: ['subnet-a'], securityGroupIds: ['sg-a'] });
    assert.equal(w.provisionedConcurrency, 3);
    assert.deepEqual(noPositions(w.logs), { logGroup: '/custom/worker', format: 'JSON' });
    assert.deepEqual([w.destinations?.maximumRetryAttempts, expr(w.destinations?.onFailure)], [1, '!GetAtt OrdersQueue.Arn']);
    const role = app.identities?.find((i) => i.id === w.identity);
    assert.deepEqual(
      role?.statements.map((s) => s.origin?.name ?? s.origin?.kind),
      ['AWSLambdaBasicExecutionRole', 'inline', 'AWSLambdaKinesisExecutionRole'],
      'the Fn::If statement branch is kept, the NoValue branch dropped',
    );
    assert.deepEqual(role?.statements[1]?.actions, ['kms:Decrypt']);
  });

  it('reads SAM state machines', () => {
    const sm = app.resources?.find((r) => r.id === 'Flow');
    assert.deepEqual([sm?.type, sm?.sourceType], ['state-machine', 'AWS::Serverless::StateMachine']);
    assert.deepEqual(noPositions(sm?.props), {
      loggingLevel: 'ERROR',
      includeExecutionData: true,
      tracingEnabled: true,
      hasPolicies: true,
    });
  });
});
