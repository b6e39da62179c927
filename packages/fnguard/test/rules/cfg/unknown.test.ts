// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Serverless/CloudFormation `${}` expressions in plain strings
/**
 * The Unknown contract for the CFG/LOG/SUP/GCP/AZ rules: a function whose every setting is an
 * Unknown (a variable, an intrinsic) draws no finding that would be a guess, and no rule throws
 * on arbitrary mixes of Unknown, undefined and odd values.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { runRules } from '../../../src/engine/runRules.js';
import { type Fn, unknown } from '../../../src/model/types.js';
import { cfgRules } from '../../../src/rules/cfg/index.js';
import { gcpRules } from '../../../src/rules/gcp/index.js';
import { logRules } from '../../../src/rules/log/index.js';
import { supRules } from '../../../src/rules/sup/index.js';
import { FIXED_NOW } from '../../helpers/index.js';
import { api, app, at, fn, resource, role, stmt, trigger } from '../lib/cfgBuild.js';

const RULES = [...cfgRules, ...logRules, ...supRules, ...gcpRules];
const U = (e: string) => unknown(e, { hint: 'variable' });

test('a function whose settings are all Unknown only gets the "nothing watches it" info findings', () => {
  const f = fn('opaque', {
    runtime: U('${self:custom.runtime}'),
    timeout: U('${self:custom.timeout}'),
    memory: U('${self:custom.memory}'),
    reservedConcurrency: U('${self:custom.rc}'),
    tracing: U('${self:custom.tracing}'),
    logs: {
      retentionInDays: U('${self:custom.ret}'),
      logGroup: U('${self:custom.group}'),
      dataProtection: U('${self:custom.dp}'),
      where: at(),
    },
    codeSigning: { config: U('${self:custom.csc}'), where: at() },
    layers: [{ arn: U('${self:custom.layer}'), where: at() }],
    imageUri: U('${self:custom.image}'),
    vpc: { subnetIds: [U('${self:custom.subnets}')], securityGroupIds: [U('${self:custom.sgs}')], where: at() },
    recursiveLoop: U('${self:custom.loop}'),
    identity: 'R',
    env: [{ name: 'DB_HOST', value: U('${self:custom.db}'), where: at() }],
    packaging: { patterns: [], where: at() },
    triggers: [
      trigger('sqs', { source: U('${self:custom.queue}') }),
      trigger('kinesis', {
        source: U('${self:custom.stream}'),
        mapping: { maximumRetryAttempts: U('r'), bisectBatchOnFunctionError: U('b'), where: at() },
      }),
      trigger('s3', { source: U('${self:custom.bucket}') }),
    ],
    deadLetter: { target: U('${self:custom.dlq}'), where: at() },
  });
  const a = app({
    functions: [f],
    identities: [
      role(
        'R',
        [{ effect: U('${self:custom.effect}'), actions: [U('${self:custom.action}')], resources: [U('${self:custom.res}')], where: at() }],
        { managedPolicies: [{ arn: U('${self:custom.policy}'), where: at() }] },
      ),
    ],
    apis: [
      api('A', {
        stages: [
          {
            name: U('${opt:stage}'),
            throttling: { rateLimit: U('x') },
            accessLogging: { destination: U('d'), format: U('f') },
            loggingLevel: U('l'),
            tracingEnabled: U('t'),
            where: at(),
          },
        ],
      }),
    ],
    resources: [resource('SM', 'state-machine', { loggingLevel: U('l'), tracingEnabled: U('t') })],
  });
  const got = runRules(a, RULES, { options: { root: '/proj', now: FIXED_NOW } }).map((x) => x.rule.meta.id);
  assert.deepEqual([...new Set(got)].sort(), ['LOG-09']);
});

const maybe = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof(
    arb,
    fc.constant(undefined),
    fc.string().map((s) => unknown(s)),
  );

test('no rule throws on arbitrary mixes of values (property)', () => {
  const fnArb = fc.record({
    name: fc.string({ minLength: 1, maxLength: 8 }),
    runtime: maybe(fc.oneof(fc.constantFrom('nodejs20.x', 'python3.9', 'java8', 'provided.al2023', 'go1.x'), fc.string())),
    timeout: maybe(fc.integer({ min: -5, max: 2000 })),
    memory: maybe(fc.integer({ min: 0, max: 20000 })),
    reservedConcurrency: maybe(fc.integer({ min: -1, max: 100 })),
    tracing: maybe(fc.constantFrom('Active', 'PassThrough', 'active', '')),
    recursiveLoop: maybe(fc.constantFrom('Allow', 'Terminate')),
    imageUri: maybe(fc.string()),
    layer: maybe(fc.oneof(fc.constant('arn:aws:lambda:us-east-1:999988887777:layer:x:1'), fc.string())),
    kind: fc.constantFrom('s3', 'sqs', 'sns', 'kinesis', 'http-api', 'rest-api', 'schedule', 'http'),
    source: maybe(fc.string()),
    provider: fc.constantFrom('aws', 'gcp', 'azure'),
    patterns: fc.array(fc.string(), { maxLength: 4 }),
    retention: maybe(fc.integer({ min: 0, max: 3653 })),
  });
  fc.assert(
    fc.property(fc.array(fnArb, { minLength: 1, maxLength: 4 }), (specs) => {
      const functions: Fn[] = specs.map((s, i) =>
        fn(`${s.name}${i}`, {
          provider: s.provider as Fn['provider'],
          runtime: s.runtime,
          timeout: s.timeout,
          memory: s.memory,
          reservedConcurrency: s.reservedConcurrency,
          tracing: s.tracing,
          recursiveLoop: s.recursiveLoop,
          imageUri: s.imageUri,
          layers: s.layer === undefined ? [] : [{ arn: s.layer, where: at() }],
          triggers: [trigger(s.kind, { source: s.source })],
          packaging: { patterns: s.patterns, where: at() },
          logs: { retentionInDays: s.retention, where: at() },
          identity: 'R',
          cloud: {
            invokers: [s.source ?? 'allUsers'],
            httpsOnly: s.retention === undefined ? undefined : false,
            settings: { minimumTlsVersion: s.runtime ?? '1.0' },
          },
        }),
      );
      const a = app({
        functions,
        identities: [role('R', [stmt(['*'], ['*'])])],
        resources: [resource('Q', 'sqs-queue', { visibilityTimeout: 10 })],
      });
      const errors: unknown[] = [];
      runRules(a, RULES, { options: { root: '/proj', now: FIXED_NOW }, onRuleError: (_r, e) => errors.push(e) });
      assert.deepEqual(errors, []);
    }),
    { numRuns: 200 },
  );
});
