import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { unknown } from '../../../src/model/types.js';
import { hasRestrictingCondition, isPublicAllow, isUnconstrainedResource, summarizePrincipal } from '../../../src/rules/lib/iam.js';
import {
  actionMatches,
  ESCALATION_ACTIONS,
  isResourceStarOk,
  isServiceWildcard,
  matchActions,
} from '../../../src/rules/lib/iam-actions.js';
import { resolveSource } from '../../../src/rules/lib/resources.js';
import { app, resource, stmt } from './build.js';

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
