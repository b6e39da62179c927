import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { type PolicyStatement, unknown } from '../../src/model/types.js';
import { concretize, RefIndex } from '../../src/policy/arn.js';
import type { SdkCall } from '../../src/policy/detect.js';
import { compileStatements, evaluate, globsIntersect } from '../../src/policy/evaluate.js';
import { generatedStatements, generatePolicy } from '../../src/policy/generate.js';
import { type Need, needsOfCall } from '../../src/policy/needs.js';
import { sampleApp } from './helpers.js';

const W = { file: '/t.yaml', line: 1, column: 1 };
const st = (s: Partial<PolicyStatement>): PolicyStatement => ({ effect: 'Allow', where: W, ...s });
const { app } = sampleApp({}, [{ id: 'Orders', type: 'dynamodb-table' }]);
const index = new RefIndex(app);
const decide = (stmts: PolicyStatement[], action: string, resource: string) =>
  evaluate(compileStatements(stmts, 'sam', index), action, resource).decision;

describe('policy evaluator', () => {
  const T = 'arn:aws:dynamodb:us-east-1:123456789012:table/orders';
  test('Allow with action and ARN wildcards; implicit deny otherwise', () => {
    const p = [st({ actions: ['dynamodb:Get*', 'dynamodb:Query'], resources: ['arn:aws:dynamodb:*:*:table/ord*'] })];
    assert.equal(decide(p, 'dynamodb:GetItem', T), 'allowed');
    assert.equal(decide(p, 'dynamodb:PutItem', T), 'implicit');
    assert.equal(decide(p, 'dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:123456789012:table/users'), 'implicit');
  });
  test('an explicit Deny wins; NotAction and NotResource', () => {
    assert.equal(
      decide(
        [st({ actions: ['*'], resources: ['*'] }), st({ effect: 'Deny', actions: ['dynamodb:Delete*'], resources: ['*'] })],
        'dynamodb:DeleteItem',
        T,
      ),
      'denied',
    );
    assert.equal(decide([st({ notActions: ['iam:*'], resources: ['*'] })], 'iam:PassRole', '*'), 'implicit');
    assert.equal(decide([st({ notActions: ['iam:*'], resources: ['*'] })], 'dynamodb:GetItem', T), 'allowed');
    assert.equal(
      decide([st({ actions: ['dynamodb:*'], notResources: ['arn:aws:dynamodb:*:*:table/secret*'] })], 'dynamodb:GetItem', T),
      'allowed',
    );
    assert.equal(decide([st({ actions: ['dynamodb:*'], notResources: [T] })], 'dynamodb:GetItem', T), 'implicit');
  });
  test('conditions are treated conservatively', () => {
    assert.equal(
      decide(
        [st({ actions: ['dynamodb:GetItem'], resources: ['*'], condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1' } } })],
        'dynamodb:GetItem',
        T,
      ),
      'unknown',
    );
    assert.equal(
      decide(
        [
          st({ actions: ['dynamodb:GetItem'], resources: ['*'] }),
          st({ effect: 'Deny', actions: ['*'], resources: ['*'], condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ],
        'dynamodb:GetItem',
        T,
      ),
      'unknown',
    );
  });
  test('template references compare with the resources they name', () => {
    const needed = concretize([{ ref: 'Orders', attr: 'arn' }, '/index/byUser'], index);
    const sam = unknown('arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Orders}/index/*', {
      hint: 'ref',
      target: 'Orders',
    });
    assert.equal(decide([st({ actions: ['dynamodb:Query'], resources: [sam] })], 'dynamodb:Query', needed), 'allowed');
    assert.equal(
      decide(
        [st({ actions: ['dynamodb:Query'], resources: [unknown('!GetAtt Orders.Arn', { target: 'Orders' })] })],
        'dynamodb:Query',
        needed,
      ),
      'implicit',
    );
    assert.equal(
      decide([st({ actions: ['dynamodb:Query'], resources: [unknown('!Join [":", [a, b]]')] })], 'dynamodb:Query', needed),
      'unknown',
    );
  });
  test('glob intersection', () => {
    assert.ok(globsIntersect('a*c', 'ab*'));
    assert.ok(!globsIntersect('a*c', 'b*'));
    assert.ok(globsIntersect('*', ''));
  });
});

/* ------------------------------------------------------------------ property: generated policies are exact */

const BUCKETS = ['alpha', 'beta', 'gamma'];
const TABLES = ['orders', 'users'];
const CALLS: { service: string; operation: string; input: (a: string, b: string) => Record<string, string> }[] = [
  { service: 's3', operation: 'GetObject', input: (b, k) => ({ Bucket: b, Key: k }) },
  { service: 's3', operation: 'PutObject', input: (b, k) => ({ Bucket: b, Key: k }) },
  { service: 's3', operation: 'ListObjectsV2', input: (b) => ({ Bucket: b }) },
  { service: 's3', operation: 'DeleteObject', input: (b, k) => ({ Bucket: b, Key: k }) },
  { service: 'dynamodb', operation: 'GetItem', input: (_b, t) => ({ TableName: t }) },
  { service: 'dynamodb', operation: 'Query', input: (_b, t) => ({ TableName: t, IndexName: 'gsi1' }) },
  { service: 'dynamodb', operation: 'PutItem', input: (_b, t) => ({ TableName: t }) },
  { service: 'sqs', operation: 'SendMessage', input: (b) => ({ QueueUrl: `https://sqs.us-east-1.amazonaws.com/123456789012/${b}` }) },
  { service: 'sns', operation: 'Publish', input: (b) => ({ TopicArn: `arn:aws:sns:us-east-1:123456789012:${b}` }) },
  { service: 'lambda', operation: 'Invoke', input: (b) => ({ FunctionName: b }) },
  { service: 'secretsmanager', operation: 'GetSecretValue', input: (b) => ({ SecretId: b }) },
  { service: 'cloudwatch', operation: 'PutMetricData', input: () => ({}) },
];

function toCall(i: number, a: string, b: string): SdkCall {
  const c = CALLS[i] as (typeof CALLS)[number];
  const props = Object.fromEntries(Object.entries(c.input(a, b)).map(([k, v]) => [k, { kind: 'literal' as const, value: v }]));
  return {
    service: c.service,
    operation: c.operation,
    input: { kind: 'object', props },
    form: 'v3-command',
    file: '/app/h.ts',
    line: 1,
    column: 1,
    text: '',
  };
}

const callArb = fc.tuple(
  fc.integer({ min: 0, max: CALLS.length - 1 }),
  fc.constantFrom(...BUCKETS),
  fc.constantFrom(...TABLES, 'in/a.json', 'x'),
);

test('property: the generated policy grants every detected call and nothing beyond them', () => {
  const { app: a, fn } = sampleApp({}, []);
  const idx = new RefIndex(a);
  const every = CALLS.map((_, i) => toCall(i, 'alpha', 'orders')).flatMap((c) => needsOfCall(c, { fn, index: idx }));
  const allActions = [...new Set(every.map((n) => n.action))];
  fc.assert(
    fc.property(fc.array(callArb, { minLength: 1, maxLength: 6 }), fc.array(callArb, { minLength: 1, maxLength: 4 }), (used, probes) => {
      const needs: Need[] = used.flatMap(([i, x, y]) => needsOfCall(toCall(i, x, y), { fn, index: idx }));
      const stmts = compileStatements(generatedStatements(generatePolicy(needs), idx), 'sam', idx);
      const res = (n: Need) => (n.resource.wildcardOnly ? '*' : concretize(n.resource.parts, idx));
      for (const n of needs) assert.equal(evaluate(stmts, n.action, res(n)).decision, 'allowed', `${n.action} ${res(n)}`);
      // nothing beyond: other actions anywhere, and needed actions on resources no call uses
      const neededPairs = new Set(needs.map((n) => `${n.action} ${res(n)}`));
      const neededActions = new Set(needs.map((n) => n.action));
      for (const other of allActions.filter((x) => !neededActions.has(x)))
        for (const n of needs) assert.notEqual(evaluate(stmts, other, res(n)).decision, 'allowed', `${other} on ${res(n)} was not needed`);
      for (const [i, x, y] of probes)
        for (const p of needsOfCall(toCall(i, x, y), { fn, index: idx })) {
          const r = res(p);
          if (neededPairs.has(`${p.action} ${r}`)) continue;
          const covered = needs.some(
            (n) => n.action === p.action && (res(n) === '*' || (res(n).endsWith('*') && r.startsWith(res(n).slice(0, -1)))),
          );
          assert.equal(evaluate(stmts, p.action, r).decision === 'allowed', covered, `${p.action} on ${r}`);
        }
    }),
    { numRuns: 200 },
  );
});

test('a managed policy whose document is unknown makes apparent gaps undecided, not missing', async () => {
  const { compare } = await import('../../src/policy/compare.js');
  const { app: a, fn } = sampleApp({}, []);
  const idx = new RefIndex(a);
  const need = needsOfCall(
    {
      service: 'kinesis',
      operation: 'GetRecords',
      input: { kind: 'object', props: { StreamARN: { kind: 'literal', value: 'arn:aws:kinesis:us-east-1:123456789012:stream/s' } } },
      form: 'v3-command',
      file: '/h.ts',
      line: 1,
      column: 1,
      text: '',
    },
    { fn, index: idx },
  );
  const role = { id: 'R', provider: 'aws' as const, statements: [], managedPolicies: [], usedBy: [], where: W };
  assert.equal(compare(need, role, 'sam', idx).missing.length, 1);
  const withManaged = {
    ...role,
    managedPolicies: [
      { arn: 'arn:aws:iam::aws:policy/AmazonKinesisReadOnlyAccess', name: 'AmazonKinesisReadOnlyAccess', awsManaged: true, where: W },
    ],
  };
  const c = compare(need, withManaged, 'sam', idx);
  assert.equal(c.missing.length, 0);
  assert.equal(c.undecided.length, 1);
});
