import { isKnown, type Resource } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { actionsOf, isPublicAllow } from '../lib/iam.js';
import { actionMatches } from '../lib/iam-actions.js';
import { triggerSource } from '../lib/resources.js';

/** Actions that put data into each kind of event source. */
const WRITE_ACTIONS: readonly string[] = [
  'sqs:SendMessage',
  'sns:Publish',
  's3:PutObject',
  'events:PutEvents',
  'kinesis:PutRecord',
  'kinesis:PutRecords',
  'dynamodb:PutItem',
  'iot:Publish',
];

const SOURCE_KINDS = new Set(['sqs', 'sns', 's3', 'eventbridge', 'kinesis', 'dynamodb-stream', 'iot']);

export default defineRule({
  meta: {
    id: 'EXPO-13',
    title: 'Trigger source writable by anyone',
    severity: 'high',
    category: 'unauthenticated-trigger',
    cwe: ['CWE-284'],
    sas: 'SAS-2',
    description:
      'A queue, topic, bucket or event bus that triggers the function has a resource policy granting write access (`sqs:SendMessage`, `sns:Publish`, `s3:PutObject`, `events:PutEvents`, ...) to `Principal: "*"` with no restricting condition. Anyone can then inject events into the function: a rogue entry point that bypasses the API and its authentication.',
    remediation: {
      general:
        'Restrict the resource policy to the accounts or services that publish (specific principals, or `aws:SourceArn`/`aws:SourceAccount`/`aws:PrincipalOrgID` conditions).',
      serverless: 'Fix the `AWS::SQS::QueuePolicy` / `AWS::SNS::TopicPolicy` / `AWS::S3::BucketPolicy` in `resources:`.',
      cloudformation: 'Replace `Principal: "*"` in the queue/topic/bucket/bus policy with specific principals or add a source condition.',
      sam: 'Replace `Principal: "*"` in the queue/topic/bucket/bus policy with specific principals or add a source condition.',
      terraform:
        'Replace `principals { identifiers = ["*"] }` in the `aws_sqs_queue_policy`/`aws_sns_topic_policy`/`aws_s3_bucket_policy` with specific principals or add a condition.',
    },
    formats: ['serverless', 'sam', 'cloudformation', 'cdk', 'terraform'],
    references: [
      'Checkov CKV_AWS_168',
      'Checkov CKV_AWS_169',
      'Checkov CKV_AWS_387',
      'cdk-nag AwsSolutions-EVB1',
      'ScoutSuite sqs-queue-world-policy',
      'ScoutSuite sns-topic-world-policy',
      'LambdaGuard Public',
    ],
    precision: 'high',
  },
  check(ctx) {
    const reported = new Set<string>();
    for (const fn of ctx.app.functions) {
      for (const t of fn.triggers) {
        if (!SOURCE_KINDS.has(t.kind)) continue;
        const src: Resource | undefined = triggerSource(ctx.app, t);
        if (!src) continue;
        for (const s of src.policy ?? []) {
          if (!isPublicAllow(s)) continue;
          const acts = actionsOf(s);
          const writes = WRITE_ACTIONS.filter((a) => acts.some((p) => actionMatches(p, a)));
          if (writes.length === 0) continue;
          const key = `${fn.id}|${src.id}|${writes.join(',')}`;
          if (reported.has(key)) continue;
          reported.add(key);
          ctx.report({
            fn,
            resource: src.id,
            where: s.where,
            message: `Function '${fn.name}' is triggered by ${src.type} '${isKnown(src.name) ? src.name : src.id}', whose policy lets anyone ${writes.join('/')} (Principal "*").`,
            key: `public-source|${src.id}|${writes.join(',')}`,
          });
        }
      }
    }
  },
});
