import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { unknown } from '../../../src/model/types.js';
import {
  hasRestrictingCondition,
  isDenied,
  isPublicAllow,
  isUnconstrainedResource,
  roleGrants,
  summarizePrincipal,
} from '../../../src/rules/lib/iam.js';
import {
  actionMatches,
  ESCALATION_ACTIONS,
  isResourceStarOk,
  isServiceWildcard,
  matchActions,
  patternMatcher,
} from '../../../src/rules/lib/iam-actions.js';
import { resolveSource } from '../../../src/rules/lib/resources.js';
import { app, identity, resource, stmt } from './build.js';

describe('IAM action wildcard matching', () => {
  test('prefix, full-service and global wildcards, case-insensitive', () => {
    assert.ok(actionMatches('iam:Put*', 'iam:PutRolePolicy'));
    assert.ok(actionMatches('IAM:put*', 'iam:PutRolePolicy'));
    assert.ok(actionMatches('*', 'iam:PutRolePolicy'));
    assert.ok(actionMatches('iam:*', 'iam:PassRole'));
    assert.ok(actionMatches('s3:Get?bject', 's3:GetObject'));
    assert.ok(!actionMatches('iam:Get*', 'iam:PutRolePolicy'));
    assert.ok(!actionMatches('iam:PassRole', 'iam:PassRoles'));
    assert.ok(!actionMatches('s3:*', 'iam:PassRole'));
  });
  test('patterns without a wildcard: whole action, case-insensitive, blanks around the pattern ignored', () => {
    assert.ok(actionMatches('iam:PassRole', 'IAM:passrole'));
    assert.ok(actionMatches(' iam:PassRole ', 'iam:PassRole'));
    assert.ok(!actionMatches('iam:PassRole', 'iam:PassRol'));
    assert.ok(!actionMatches('iam:Pass', 'iam:PassRole'));
    assert.ok(!actionMatches('', 'iam:PassRole'));
  });
  test('patternMatcher answers as actionMatches over the patterns', () => {
    const piece = fc.constantFrom('iam', 'IAM', 's3', ':', 'Pass', 'pass', 'Role', '*', '?', ' ', 'Get', 'Object', 'İ', 'i');
    const word = fc.array(piece, { maxLength: 6 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.array(word, { maxLength: 4 }), fc.array(word, { minLength: 1, maxLength: 6 }), (patterns, actions) => {
        const m = patternMatcher(patterns);
        for (const a of actions)
          assert.equal(
            m(a),
            patterns.some((p) => actionMatches(p, a)),
            `${JSON.stringify(patterns)} ${a}`,
          );
      }),
      { numRuns: 2000 },
    );
  });
  test('regex metacharacters in patterns are literal', () => {
    assert.ok(!actionMatches('iam:Put.+', 'iam:PutRolePolicy'));
  });
  test('sets', () => {
    assert.deepEqual(matchActions(['iam:Attach*'], ESCALATION_ACTIONS), [
      'iam:AttachRolePolicy',
      'iam:AttachUserPolicy',
      'iam:AttachGroupPolicy',
    ]);
    assert.equal(matchActions(['*'], ESCALATION_ACTIONS).length, ESCALATION_ACTIONS.length);
    assert.ok(isServiceWildcard('dynamodb:*') && isServiceWildcard('*') && !isServiceWildcard('s3:Get*'));
    assert.ok(
      isResourceStarOk('xray:PutTraceSegments') &&
        isResourceStarOk('ec2:Describe*') &&
        !isResourceStarOk('ec2:*') &&
        !isResourceStarOk('dynamodb:GetItem'),
    );
  });
});

describe('role grants and global denies', () => {
  test('statements repeating earlier patterns add nothing; order follows the statements', () => {
    const role = identity('r', {
      statements: [
        stmt({ actions: ['iam:Attach*'] }),
        stmt({ actions: ['iam:PassRole'] }),
        stmt({ actions: ['iam:Attach*'] }),
        stmt({ actions: ['iam:PassRole', 'iam:Attach*'] }),
      ],
    });
    assert.deepEqual(roleGrants(role, ['iam:PassRole', 'iam:AttachUserPolicy', 'iam:AttachRolePolicy']), [
      'iam:AttachUserPolicy',
      'iam:AttachRolePolicy',
      'iam:PassRole',
    ]);
    // managed statements skipped on request, even when an inline one repeats their patterns later
    const mixed = identity('m', {
      statements: [stmt({ actions: ['s3:*'], origin: { kind: 'aws-managed' } }), stmt({ actions: ['s3:*'] })],
    });
    assert.deepEqual(roleGrants(mixed, ['s3:GetObject'], false), ['s3:GetObject']);
  });
  test('a Deny added to the role after a first question is seen by the next one', () => {
    const role = identity('d', { statements: [stmt({ actions: ['iam:*'] })] });
    assert.equal(isDenied(role, 'iam:PassRole'), false);
    assert.deepEqual(roleGrants(role, ['iam:PassRole']), ['iam:PassRole']);
    role.statements.push(stmt({ effect: 'Deny', actions: ['iam:PassRole'] }));
    assert.equal(isDenied(role, 'iam:PassRole'), true);
    assert.deepEqual(roleGrants(role, ['iam:PassRole']), []);
    role.statements = [stmt({ actions: ['iam:*'] })];
    assert.equal(isDenied(role, 'iam:PassRole'), false);
  });
});

describe('resources and principals', () => {
  test('unconstrained resources', () => {
    assert.ok(isUnconstrainedResource('*'));
    assert.ok(isUnconstrainedResource('arn:aws:s3:::*'));
    assert.ok(isUnconstrainedResource('arn:aws:sqs:eu-west-1:*:orders'));
    assert.ok(!isUnconstrainedResource('arn:aws:s3:::orders/*'));
    assert.ok(!isUnconstrainedResource('arn:aws:dynamodb:eu-west-1:123456789012:table/orders'));
  });
  test('principals and conditions', () => {
    assert.ok(summarizePrincipal('*').everyone);
    assert.ok(summarizePrincipal({ AWS: ['*'] }).everyone);
    assert.ok(!summarizePrincipal({ Service: ['sns.amazonaws.com'] }).everyone);
    assert.ok(summarizePrincipal(unknown('!Ref P')).unknown);
    assert.ok(isPublicAllow(stmt({ principal: '*' })));
    assert.ok(!isPublicAllow(stmt({ principal: '*', condition: { StringEquals: { 'aws:SourceAccount': '1' } } })));
    assert.ok(hasRestrictingCondition(stmt({ condition: unknown('!If c') })));
  });
  test('trigger source resolution by Unknown target, id, and unique name', () => {
    const q = resource('OrdersQueue', 'sqs-queue', { name: 'orders' });
    const a = app({ resources: [q] });
    assert.equal(resolveSource(a, unknown('!GetAtt OrdersQueue.Arn', { target: 'OrdersQueue' })), q);
    assert.equal(resolveSource(a, 'OrdersQueue'), q);
    assert.equal(resolveSource(a, 'arn:aws:sqs:eu-west-1:123456789012:orders'), q);
    assert.equal(resolveSource(a, unknown('${param:q}')), undefined);
    assert.equal(resolveSource(a, 'arn:aws:sqs:eu-west-1:123456789012:other'), undefined);
  });
});
