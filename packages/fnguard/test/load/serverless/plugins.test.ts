import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { load } from './helpers.js';

describe('serverless adapter: plugins', () => {
  it('serverless-domain-manager domains land on the APIs (default TLS 1.2)', async () => {
    const { app, diagnostics } = await load('plugins/serverless.yml');
    assert.deepEqual(diagnostics, []);
    const rest = app.apis?.find((a) => a.kind === 'rest');
    const http = app.apis?.find((a) => a.kind === 'http');
    assert.deepEqual(
      rest?.domains?.map((d) => [d.name, d.securityPolicy, d.where.line]),
      [['api.example.com', 'TLS_1_0', 8]],
    );
    assert.deepEqual(
      http?.domains?.map((d) => [d.name, d.securityPolicy]),
      [['http.example.com', 'TLS_1_2']],
    );
  });

  it('serverless-plugin-aws-alerts alarms become cloudwatch-alarm resources for the stage it covers', async () => {
    const { app } = await load('plugins/serverless.yml');
    const alarms = app.resources?.filter((r) => r.type === 'cloudwatch-alarm') ?? [];
    assert.deepEqual(
      alarms.map((a) => [a.props.metricName, a.props.dimensions, a.props.alarmActions]),
      [
        ['Errors', { FunctionName: 'plugged-dev-api' }, ['arn:aws:sns:us-east-1:123456789012:alarms']],
        ['Throttles', { FunctionName: 'plugged-dev-api' }, ['arn:aws:sns:us-east-1:123456789012:alarms']],
        ['Duration', { FunctionName: 'plugged-dev-api' }, ['arn:aws:sns:us-east-1:123456789012:alarms']],
      ],
    );
    const prod = await load('plugins/serverless.yml', { opts: { stage: 'prod' } });
    assert.equal(prod.app.resources?.filter((r) => r.type === 'cloudwatch-alarm').length, 0, 'alerts only for stages: [dev]');
  });

  it('stepFunctions state machines become state-machine resources and step-functions triggers', async () => {
    const { app, diagnostics } = await load('stepfunctions/serverless.yml');
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(
      app.resources?.filter((r) => r.type === 'state-machine').map((r) => [r.id, r.name, r.props, r.where.line]),
      [
        [
          'serverless:stepfunctions/serverless.yml#stateMachine:checkout',
          'checkout-dev',
          { loggingLevel: 'ERROR', tracingEnabled: true },
          16,
        ],
        ['serverless:stepfunctions/serverless.yml#stateMachine:quiet', 'quiet', {}, 37],
      ],
    );
    assert.deepEqual(
      app.functions?.map((f) => [f.name, f.triggers.map((t) => [t.kind, t.source, t.public])]),
      [
        ['validate', [['step-functions', 'checkout-dev', false]]],
        ['charge', [['step-functions', 'checkout-dev', false]]],
        ['unused', []],
      ],
    );
  });
});
