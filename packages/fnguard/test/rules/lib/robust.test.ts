/** Hostile Models: the PERM/EXPO/SEC rules never throw, whatever the (typed) content. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { classifySecret } from '../../../src/analyze/secrets/value.js';
import type { Maybe, PolicyStatement } from '../../../src/model/types.js';
import { unknown } from '../../../src/model/types.js';
import { expoRules } from '../../../src/rules/expo/index.js';
import { actionMatches, globMatch } from '../../../src/rules/lib/iam-actions.js';
import { permRules } from '../../../src/rules/perm/index.js';
import { secRules } from '../../../src/rules/sec/index.js';
import { api, app, at, fn, identity, resource, run, trigger } from './build.js';

const maybeStr: fc.Arbitrary<Maybe<string>> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('*', 'iam:*', 's3:Get*', '*:*', 'arn:aws:s3:::*', 'lambda.amazonaws.com'),
  fc.string().map((e) => unknown(e)),
);
const statement: fc.Arbitrary<PolicyStatement> = fc.record({
  effect: fc.oneof(fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Deny'), fc.constant(unknown('!Ref E'))),
  actions: fc.option(fc.array(maybeStr, { maxLength: 5 }), { nil: undefined }),
  notActions: fc.option(fc.array(maybeStr, { maxLength: 3 }), { nil: undefined }),
  resources: fc.option(fc.array(maybeStr, { maxLength: 3 }), { nil: undefined }),
  notResources: fc.option(fc.array(maybeStr, { maxLength: 2 }), { nil: undefined }),
  principal: fc.option(
    fc.oneof(
      fc.constant<'*'>('*'),
      fc.record({ AWS: fc.array(maybeStr, { maxLength: 2 }), Service: fc.array(maybeStr, { maxLength: 2 }) }),
      fc.constant(unknown('!Ref P')),
    ),
    { nil: undefined },
  ),
  condition: fc.option(
    fc.oneof(
      fc.constant(unknown('!If c')),
      fc.dictionary(fc.string({ maxLength: 8 }), fc.dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 8 }))),
    ),
    { nil: undefined },
  ),
  where: fc.constant(at(1)),
});

describe('rules on hostile models', () => {
  test('PERM/EXPO/SEC never throw', () => {
    const rules = [...permRules, ...expoRules, ...secRules];
    fc.assert(
      fc.property(
        fc.array(statement, { maxLength: 6 }),
        fc.array(statement, { maxLength: 3 }),
        fc.array(fc.tuple(fc.string({ maxLength: 12 }), maybeStr), { maxLength: 5 }),
        (stmts, trust, envs) => {
          const role = identity('R', {
            statements: stmts,
            trust,
            managedPolicies: [{ arn: 'arn:aws:iam::aws:policy/AdministratorAccess', where: at(2) }],
          });
          const f1 = fn('a', {
            env: envs.map(([name, value]) => ({ name, value, where: at(3) })),
            url: { auth: 'none', where: at(4), cors: { allowOrigins: ['*'], allowMethods: ['*'], where: at(4) } },
            triggers: [trigger('rest-api', { public: true, apiId: 'Api' }), trigger('sqs', { source: unknown('x', { target: 'Q' }) })],
            permissions: [{ id: 'P', principal: '*', action: 'lambda:InvokeFunction', where: at(5) }],
          });
          const a = app({
            roles: [[role, [f1, fn('b')]]],
            apis: [
              api('Api', {
                policy: stmts,
                stages: [
                  {
                    name: 'prod',
                    where: at(6),
                    cacheEnabled: true,
                    variables: envs.map(([name, value]) => ({ name, value, where: at(7) })),
                  },
                ],
              }),
            ],
            resources: [resource('Q', 'sqs-queue', { policy: stmts }), resource('P', 'parameter', { props: { default: envs[0]?.[1] } })],
          });
          for (const r of rules) run(r, a);
        },
      ),
      { numRuns: 200 },
    );
  });

  test('glob matching agrees with a reference implementation', () => {
    const ref = (p: string, t: string) =>
      new RegExp(
        `^${p
          .replace(/[.+^${}()|[\]\\/]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.')}$`,
        'is',
      ).test(t);
    fc.assert(
      fc.property(fc.stringMatching(/^[a-c*?:]{0,8}$/), fc.stringMatching(/^[a-c:]{0,10}$/), (p, t) => globMatch(p, t) === ref(p, t)),
      { numRuns: 2000 },
    );
  });

  test('pathological wildcard patterns and secret values finish', () => {
    const t0 = Date.now();
    assert.equal(actionMatches(`${'*a'.repeat(2000)}*b`, 'a'.repeat(3000)), false);
    classifySecret('password', `${'a-'.repeat(4000)}!`);
    assert.ok(Date.now() - t0 < 2000, 'took too long');
  });
});
