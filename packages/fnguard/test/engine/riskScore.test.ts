import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { riskLevel, riskScore } from '../../src/engine/riskScore.js';
import type { Finding } from '../../src/engine/types.js';
import { emptyApp, type Fn, type Identity, type PolicyStatement, unknown } from '../../src/model/types.js';

const where = { file: '/p/serverless.yml', line: 1, column: 1 };
function fn(extra: Partial<Fn> = {}): Fn {
  return {
    id: 'serverless:serverless.yml#f',
    name: 'f',
    provider: 'aws',
    format: 'serverless',
    env: [],
    layers: [],
    triggers: [],
    permissions: [],
    where,
    ...extra,
  };
}
function role(statements: Partial<PolicyStatement>[], extra: Partial<Identity> = {}): Identity {
  return {
    id: 'R',
    provider: 'aws',
    statements: statements.map((s) => ({ effect: 'Allow', where, ...s })),
    managedPolicies: [],
    usedBy: ['serverless:serverless.yml#f'],
    where,
    ...extra,
  };
}
function score(f: Fn, identities: Identity[] = [], findings: Partial<Finding>[] = []) {
  const app = emptyApp('/p');
  app.functions.push(f);
  app.identities.push(...identities);
  return riskScore(
    f,
    app,
    findings.map((x) => ({ ruleId: 'X-01', title: 't', severity: 'low', suppressed: false, ...x }) as Finding),
  );
}
const ids = (r: ReturnType<typeof score>) => r.factors.map((f) => `${f.id}=${f.points}`);

describe('riskScore', () => {
  test('levels', () => {
    assert.equal(riskLevel(100), 'critical');
    assert.equal(riskLevel(80), 'critical');
    assert.equal(riskLevel(79), 'high');
    assert.equal(riskLevel(60), 'high');
    assert.equal(riskLevel(35), 'medium');
    assert.equal(riskLevel(34), 'low');
    assert.equal(riskLevel(1), 'low');
    assert.equal(riskLevel(0), 'none');
  });

  test('a rule with several findings is described by its worst severity and its count', () => {
    const r = score(
      fn(),
      [],
      [
        { ruleId: 'A-01', title: 'A', severity: 'low' },
        { ruleId: 'A-01', title: 'A', severity: 'high' },
        { ruleId: 'A-01', title: 'A', severity: 'medium' },
        { ruleId: 'B-01', title: 'B', severity: 'medium' },
      ],
    );
    const byId = new Map(r.factors.map((f) => [f.id, f.description]));
    assert.equal(byId.get('finding:A-01'), 'A (high, 3 findings)');
    assert.equal(byId.get('finding:B-01'), 'B (medium)');
  });

  test('exposure takes the worst trigger', () => {
    const t = (pub: boolean | 'unknown', type: string) => ({
      kind: 'rest-api' as const,
      public: pub,
      auth: { type: type as 'none' },
      where,
    });
    assert.deepEqual(ids(score(fn({ triggers: [t(false, 'none'), t(true, 'cognito')] }))), ['exposure:public-authenticated=12']);
    assert.deepEqual(ids(score(fn({ triggers: [t(true, 'cognito'), t(true, 'none')] }))), ['exposure:public-unauthenticated=35']);
    assert.deepEqual(ids(score(fn({ triggers: [t(true, 'api-key')] }))), ['exposure:public-api-key=22']);
    assert.deepEqual(ids(score(fn({ triggers: [t('unknown', 'none')] }))), ['exposure:unknown=15']);
    assert.deepEqual(ids(score(fn({ url: { auth: 'none', where } }))), ['exposure:public-unauthenticated=35']);
    assert.deepEqual(ids(score(fn({ url: { auth: 'iam', where } }))), []);
    assert.deepEqual(ids(score(fn({ triggers: [t(false, 'none')] }))), ['exposure:event-source=5']);
  });

  test('privilege: admin, escalation, wildcards, data reach, external', () => {
    const f = fn({ identity: 'R' });
    assert.deepEqual(ids(score(f, [role([{ actions: ['*'], resources: ['*'] }])])), ['privilege:admin=35']);
    assert.deepEqual(ids(score(f, [role([], { managedPolicies: [{ arn: 'arn:aws:iam::aws:policy/AdministratorAccess', where }] })])), [
      'privilege:admin=35',
    ]);
    assert.deepEqual(ids(score(f, [role([{ actions: ['iam:Put*'], resources: ['arn:aws:iam::1:role/x'] }])])), ['privilege:escalation=25']);
    assert.deepEqual(ids(score(f, [role([{ actions: ['s3:*'], resources: ['arn:aws:s3:::b/*'] }])])), [
      'privilege:wildcard-action=15',
      'privilege:data-reach=2',
    ]);
    assert.deepEqual(ids(score(f, [role([{ actions: ['dynamodb:GetItem', 'sqs:SendMessage'], resources: ['*'] }])])), [
      'privilege:wildcard-resource=8',
      'privilege:data-reach=4',
    ]);
    assert.deepEqual(ids(score(f, [role([{ actions: ['logs:PutLogEvents'], resources: ['arn:aws:logs:*:*:*'] }])])), []);
    assert.deepEqual(ids(score(f, [role([{ effect: 'Deny', actions: ['*'], resources: ['*'] }])])), [], 'Deny grants nothing');
    assert.deepEqual(
      ids(score(f, [role([{ actions: [unknown('!Ref Actions')], resources: ['*'] }])])),
      [],
      'unknown actions count as nothing',
    );
    assert.deepEqual(ids(score(f, [role([], { external: true })])), ['privilege:external-role=5']);
    assert.deepEqual(ids(score(f, [role([{ notActions: ['iam:*'], resources: ['*'] }])])), ['privilege:admin=30']);
  });

  test('findings: severity-weighted, diminishing, capped at 60, suppressed ignored', () => {
    const one = score(fn(), [], [{ ruleId: 'A-01', severity: 'critical' }]);
    assert.equal(one.score, 40);
    const two = score(
      fn(),
      [],
      [
        { ruleId: 'A-01', severity: 'high' },
        { ruleId: 'B-01', severity: 'critical' },
      ],
    );
    assert.deepEqual(ids(two), ['finding:B-01=40', 'finding:A-01=10']);
    const many = score(
      fn(),
      [],
      Array.from({ length: 10 }, () => ({ ruleId: 'C-01', severity: 'critical' as const })),
    );
    assert.equal(many.score, 60);
    const lows = score(
      fn(),
      [],
      Array.from({ length: 20 }, () => ({ ruleId: 'L-01', severity: 'low' as const })),
    );
    assert.ok(lows.score < 40, 'many low findings never outweigh one critical');
    assert.equal(score(fn(), [], [{ severity: 'critical', suppressed: true }]).score, 0);
    assert.equal(score(fn(), [], [{ severity: 'info' }]).score, 0);
  });

  test('total is capped at 100', () => {
    const t = { kind: 'function-url' as const, public: true, auth: { type: 'none' as const }, where };
    const r = score(
      fn({ identity: 'R', triggers: [t] }),
      [role([{ actions: ['*'], resources: ['*'] }])],
      [{ severity: 'critical' }, { severity: 'critical' }],
    );
    assert.equal(r.score, 100);
    assert.equal(r.level, 'critical');
  });
});
