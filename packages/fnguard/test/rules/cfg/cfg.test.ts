// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Serverless/CloudFormation `${}` expressions in plain strings
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { unknown } from '../../../src/model/types.js';
import CFG01 from '../../../src/rules/cfg/CFG-01.js';
import CFG02 from '../../../src/rules/cfg/CFG-02.js';
import CFG03 from '../../../src/rules/cfg/CFG-03.js';
import CFG04 from '../../../src/rules/cfg/CFG-04.js';
import CFG05 from '../../../src/rules/cfg/CFG-05.js';
import CFG06 from '../../../src/rules/cfg/CFG-06.js';
import CFG07 from '../../../src/rules/cfg/CFG-07.js';
import CFG08 from '../../../src/rules/cfg/CFG-08.js';
import CFG09 from '../../../src/rules/cfg/CFG-09.js';
import CFG10 from '../../../src/rules/cfg/CFG-10.js';
import { api, app, at, check, fn, resource, role, stmt, summary, trigger } from '../lib/cfgBuild.js';

describe('CFG-01 reserved concurrency', () => {
  test('flags unset, -1; silent for set (even 0) and Unknown; GCP ignored', () => {
    const a = app({
      functions: [
        fn('unset', { triggers: [trigger('http-api')] }),
        fn('tfDefault', { reservedConcurrency: -1, format: 'terraform' }),
        fn('set', { reservedConcurrency: 10 }),
        fn('zero', { reservedConcurrency: 0 }),
        fn('unk', { reservedConcurrency: unknown('${self:custom.rc}') }),
        fn('gcp', { provider: 'gcp' }),
      ],
    });
    const f = check(CFG01, a);
    assert.deepEqual(summary(f), ['unset:medium', 'tfDefault:medium']);
    assert.match(f[0]?.message ?? '', /'unset'.*reachable from the internet/);
    assert.match(f[1]?.message ?? '', /burst of events/);
  });
});

describe('CFG-02 timeout and memory', () => {
  test('defaults are info, 900 s and long API timeouts are low, Unknown silent', () => {
    const a = app({
      functions: [
        fn('defaults'),
        fn('max', { timeout: 900, memory: 512 }),
        fn('api', { timeout: 60, memory: 512, triggers: [trigger('rest-api')] }),
        fn('ok', { timeout: 20, memory: 512, triggers: [trigger('rest-api')] }),
        fn('queueLong', { timeout: 300, memory: 512, triggers: [trigger('sqs')] }),
        fn('unk', { timeout: unknown('var.t'), memory: unknown('var.m') }),
      ],
    });
    const f = check(CFG02, a);
    assert.deepEqual(summary(f), ['defaults:info', 'defaults:info', 'max:low', 'api:low']);
    assert.match(f[0]?.message ?? '', /default of 6 s/);
    assert.match(f[1]?.message ?? '', /1024 MB/);
    const cfn = check(CFG02, app({ functions: [fn('c', { format: 'cloudformation' })] }));
    assert.match(cfn[0]?.message ?? '', /default of 3 s/);
    assert.match(cfn[1]?.message ?? '', /128 MB/);
  });
});

describe('CFG-03 API throttling', () => {
  test('flags an API without stage throttling or usage plan', () => {
    const a = app({
      apis: [
        api('bare', { stages: [{ name: 'prod', where: at() }] }),
        api('staged', { stages: [{ name: 'prod', throttling: { rateLimit: 100 }, where: at() }] }),
        api('plan', { usagePlanThrottling: { burstLimit: 10 } }),
        api('unk', { stages: [{ name: 'prod', throttling: { rateLimit: unknown('!Ref Rate') }, where: at() }] }),
      ],
      functions: [fn('orders', { triggers: [trigger('rest-api', { apiId: 'bare' })] })],
    });
    const f = check(CFG03, a);
    assert.equal(f.length, 1);
    assert.equal(f[0]?.resource, 'bare');
    assert.equal(f[0]?.fn?.name, 'orders');
    assert.match(f[0]?.message ?? '', /'orders'/);
  });
});

describe('CFG-04 async failure handling', () => {
  test('flags async triggers without DLQ or destination', () => {
    const a = app({
      functions: [
        fn('s3NoDlq', { triggers: [trigger('s3', { source: 'uploads' })] }),
        fn('s3Dlq', { triggers: [trigger('s3')], deadLetter: { target: unknown('!GetAtt Dlq.Arn'), where: at() } }),
        fn('snsDest', { triggers: [trigger('sns')], destinations: { onFailure: 'arn:aws:sqs:us-east-1:111122223333:f', where: at() } }),
        fn('ebNone', { triggers: [trigger('eventbridge')] }),
        fn('syncOnly', { triggers: [trigger('http-api'), trigger('sqs')] }),
        fn('explicitSync', { triggers: [trigger('sns', { async: false })] }),
      ],
    });
    assert.deepEqual(summary(check(CFG04, a)), ['s3NoDlq:low', 'ebNone:low']);
  });
});

describe('CFG-05 event-source mappings', () => {
  test('stream without bounds is flagged; any of destination/retries/bisect passes', () => {
    const m = (extra = {}) => ({ where: at('mapping'), ...extra });
    const a = app({
      functions: [
        fn('bare', { triggers: [trigger('kinesis', { mapping: m() })] }),
        fn('infinite', { triggers: [trigger('dynamodb-stream', { mapping: m({ maximumRetryAttempts: -1 }) })] }),
        fn('bounded', { triggers: [trigger('kinesis', { mapping: m({ maximumRetryAttempts: 3 }) })] }),
        fn('bisect', { triggers: [trigger('kinesis', { mapping: m({ bisectBatchOnFunctionError: true }) })] }),
        fn('dest', { triggers: [trigger('kinesis', { mapping: m({ onFailure: unknown('!GetAtt Q.Arn') }) })] }),
        fn('unk', { triggers: [trigger('kinesis', { mapping: m({ maximumRetryAttempts: unknown('var.r') }) })] }),
        fn('off', { triggers: [trigger('kinesis', { mapping: m({ enabled: false }) })] }),
      ],
    });
    assert.deepEqual(summary(check(CFG05, a)), ['bare:medium', 'infinite:medium']);
  });
  test('SQS visibility timeout under 6x the function timeout', () => {
    const a = app({
      resources: [
        resource('ShortQ', 'sqs-queue', { visibilityTimeout: 60 }, { name: 'short' }),
        resource('LongQ', 'sqs-queue', { visibilityTimeout: 360 }),
        resource('DefQ', 'sqs-queue'),
      ],
      functions: [
        fn('short', { timeout: 30, triggers: [trigger('sqs', { source: unknown('!GetAtt ShortQ.Arn', { target: 'ShortQ' }) })] }),
        fn('long', { timeout: 60, triggers: [trigger('sqs', { source: unknown('!GetAtt LongQ.Arn', { target: 'LongQ' }) })] }),
        fn('def', { triggers: [trigger('sqs', { source: unknown('x', { target: 'DefQ' }) })] }),
        fn('tooShort', { timeout: 400, triggers: [trigger('sqs', { source: unknown('x', { target: 'LongQ' }) })] }),
        fn('external', { timeout: 60, triggers: [trigger('sqs', { source: 'arn:aws:sqs:us-east-1:111122223333:other' })] }),
      ],
    });
    const f = check(CFG05, a);
    assert.deepEqual(summary(f), ['short:low', 'def:low', 'tooShort:medium']);
    assert.match(f[0]?.message ?? '', /'short'.*60 s.*30 s/);
    assert.match(f[1]?.message ?? '', /30 s \(the default\).*6 s/);
  });
});

describe('CFG-06 trigger queue redrive', () => {
  test('flags a trigger queue without redrive, not one with it, not the DLQ itself, not external queues', () => {
    const a = app({
      resources: [
        resource('Orders', 'sqs-queue', { redrive: false }),
        resource('Payments', 'sqs-queue', {
          redrive: true,
          deadLetterTarget: unknown('!GetAtt PaymentsDlq.Arn', { target: 'PaymentsDlq' }),
        }),
        resource('PaymentsDlq', 'sqs-queue', {}),
        resource('Unk', 'sqs-queue', { redrive: unknown('${self:custom.redrive}') }),
      ],
      functions: [
        fn('a', { triggers: [trigger('sqs', { source: unknown('x', { target: 'Orders' }) })] }),
        fn('b', { triggers: [trigger('sqs', { source: unknown('x', { target: 'Payments' }) })] }),
        fn('dlqReader', { triggers: [trigger('sqs', { source: unknown('x', { target: 'PaymentsDlq' }) })] }),
        fn('c', { triggers: [trigger('sqs', { source: unknown('x', { target: 'Unk' }) })] }),
        fn('d', { triggers: [trigger('sqs', { source: 'arn:aws:sqs:us-east-1:111122223333:elsewhere' })] }),
      ],
    });
    const f = check(CFG06, a);
    assert.deepEqual(summary(f), ['a:low']);
    assert.equal(f[0]?.resource, 'Orders');
  });
});

describe('CFG-07 recursive loops', () => {
  test('role writes to its own trigger bucket / queue / topic', () => {
    const bucketRole = role('R1', [stmt(['s3:PutObject'], ['arn:aws:s3:::uploads/*'])]);
    const queueRole = role('R2', [stmt(['sqs:SendMessage'], [unknown('!GetAtt Jobs.Arn', { target: 'Jobs' })])]);
    const topicRole = role('R3', [stmt(['sns:*'], ['*'])]);
    const safeRole = role('R4', [stmt(['s3:PutObject'], ['arn:aws:s3:::processed/*']), stmt(['s3:GetObject'], ['arn:aws:s3:::uploads/*'])]);
    const denyRole = role('R5', [stmt(['s3:PutObject'], ['arn:aws:s3:::uploads/*']), stmt(['s3:PutObject'], ['*'], { effect: 'Deny' })]);
    const a = app({
      identities: [bucketRole, queueRole, topicRole, safeRole, denyRole],
      resources: [resource('Jobs', 'sqs-queue', {}, { name: 'jobs' })],
      functions: [
        fn('thumb', { identity: 'R1', triggers: [trigger('s3', { source: 'uploads' })] }),
        fn('worker', { identity: 'R2', triggers: [trigger('sqs', { source: unknown('!GetAtt Jobs.Arn', { target: 'Jobs' }) })] }),
        fn('fanout', { identity: 'R3', triggers: [trigger('sns', { source: 'arn:aws:sns:us-east-1:111122223333:events' })] }),
        fn('safe', { identity: 'R4', triggers: [trigger('s3', { source: 'uploads' })] }),
        fn('denied', { identity: 'R5', triggers: [trigger('s3', { source: 'uploads' })] }),
        fn('allowLoop', { recursiveLoop: 'Allow' }),
      ],
    });
    const f = check(CFG07, a);
    assert.deepEqual(summary(f), ['thumb:high', 'worker:high', 'fanout:medium', 'allowLoop:high']);
    assert.match(f[0]?.message ?? '', /bucket 'uploads'.*s3:PutObject on that bucket/);
    assert.match(f[2]?.message ?? '', /every topic/);
  });
  test('an AWS-managed policy listed by name only (AWSLambdaExecute) still counts, at medium', () => {
    const m = (name: string) => ({ arn: `arn:aws:iam::aws:policy/${name}`, name, awsManaged: true, where: at() });
    const a = app({
      identities: [
        role('Exec', [], { managedPolicies: [m('AWSLambdaExecute')] }),
        role('Read', [], { managedPolicies: [m('AmazonS3ReadOnlyAccess')] }),
      ],
      functions: [
        fn('thumb', { identity: 'Exec', triggers: [trigger('s3', { source: 'photos' })] }),
        fn('reader', { identity: 'Read', triggers: [trigger('s3', { source: 'photos' })] }),
      ],
    });
    assert.deepEqual(summary(check(CFG07, a)), ['thumb:medium']);
  });
  test('queue ARN with wildcard matches by name; another queue does not', () => {
    const r = role('R', [stmt(['sqs:SendMessage'], ['arn:aws:sqs:*:*:jobs-*'])]);
    const a = app({
      identities: [r],
      functions: [
        fn('w', { identity: 'R', triggers: [trigger('sqs', { source: 'arn:aws:sqs:us-east-1:111122223333:jobs-prod' })] }),
        fn('v', { identity: 'R', triggers: [trigger('sqs', { source: 'arn:aws:sqs:us-east-1:111122223333:other' })] }),
      ],
    });
    assert.deepEqual(summary(check(CFG07, a)), ['w:high']);
  });
});

describe('CFG-08 VPC placement', () => {
  test('single subnet, and VPC-only store used outside a VPC', () => {
    const a = app({
      resources: [resource('Db', 'other', {}, { sourceType: 'AWS::RDS::DBInstance' })],
      functions: [
        fn('one', { vpc: { subnetIds: ['subnet-1'], securityGroupIds: ['sg-1'], where: at() } }),
        fn('two', { vpc: { subnetIds: ['subnet-1', 'subnet-2'], securityGroupIds: ['sg-1'], where: at() } }),
        fn('unkSubnets', { vpc: { subnetIds: [unknown('${self:custom.subnets}')], securityGroupIds: [], where: at() } }),
        fn('noVpcDb', { env: [{ name: 'DB_HOST', value: unknown('!GetAtt Db.Endpoint.Address', { target: 'Db' }), where: at() }] }),
        fn('noVpcNoDb'),
      ],
    });
    assert.deepEqual(summary(check(CFG08, a)), ['one:low', 'noVpcDb:low']);
  });
});

describe('CFG-09 orphan functions', () => {
  test('flags only functions with no trigger, permission, url or reference', () => {
    const logsRole = role('LogsRole', [
      stmt(['logs:PutLogEvents'], ['arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/orphan-fn:*']),
    ]);
    const invoker = role('Invoker', [stmt(['lambda:InvokeFunction'], [unknown('!GetAtt Invoked.Arn', { target: 'Invoked' })])]);
    const a = app({
      identities: [logsRole, invoker],
      resources: [
        resource('OrphanLogs', 'log-group', {}, { name: '/aws/lambda/orphan-fn' }),
        resource('Machine', 'state-machine', {
          definition: { States: { A: { Resource: '${stepFn}' } } },
          definitionSubstitutions: { stepFn: unknown('!GetAtt StepFn.Arn', { target: 'StepFn' }) },
        }),
      ],
      functions: [
        fn('orphan', { resourceId: 'OrphanFunction', functionName: 'orphan-fn', identity: 'LogsRole' }),
        fn('invoked', { resourceId: 'Invoked' }),
        fn('api', { triggers: [trigger('http-api')] }),
        fn('perm', { permissions: [{ id: 'P', principal: 's3.amazonaws.com', action: 'lambda:InvokeFunction', where: at() }] }),
        fn('url', { url: { auth: 'iam', where: at() } }),
        fn('called', { resourceId: 'CalledFunction' }),
        fn('caller', {
          triggers: [trigger('schedule')],
          env: [{ name: 'TARGET', value: unknown('!Ref CalledFunction', { target: 'CalledFunction' }), where: at() }],
        }),
        fn('step', { resourceId: 'StepFn' }),
        fn('selfOnly', {
          resourceId: 'SelfOnly',
          env: [{ name: 'ME', value: unknown('!Ref SelfOnly', { target: 'SelfOnly' }), where: at() }],
        }),
      ],
    });
    assert.deepEqual(summary(check(CFG09, a)), ['orphan:info', 'selfOnly:info']);
  });
});

describe('CFG-10 shared log group and tags', () => {
  test('shared log group and untagged among tagged', () => {
    const a = app({
      functions: [
        fn('a', { logs: { logGroup: '/shared', where: at() }, tags: { team: 'x' } }),
        fn('b', { logs: { logGroup: '/shared', where: at() }, tags: { team: 'x' } }),
        fn('c', { logs: { logGroup: '/own-c', where: at() } }),
      ],
    });
    assert.deepEqual(summary(check(CFG10, a)), ['a:info', 'b:info', 'c:info']);
    assert.deepEqual(summary(check(CFG10, app({ functions: [fn('x'), fn('y')] }))), []);
  });
});
