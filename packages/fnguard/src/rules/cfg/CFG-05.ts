import { isKnown, isUnknown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { awsFunctions, defaultTimeout, localId } from '../lib/functions.js';
import { resolveSource } from '../lib/resources.js';

/** SQS's default visibility timeout (seconds). */
const SQS_DEFAULT_VISIBILITY = 30;

export default defineRule({
  meta: {
    id: 'CFG-05',
    title: 'Event-source mapping without failure handling, or SQS visibility timeout too short',
    severity: 'medium',
    category: 'denial-of-wallet',
    cwe: ['CWE-400'],
    sas: 'SAS-8',
    description:
      "A Kinesis, DynamoDB Streams or Kafka mapping with no on-failure destination, no bisect-on-error and no retry limit retries a failing batch until its records expire (24 hours for DynamoDB Streams, up to 365 days for Kinesis): one poison record blocks the shard and bills an invocation on every retry. For SQS, a queue visibility timeout shorter than the function timeout makes messages visible again while still being processed, so they run twice (medium); one under six times the function timeout, AWS's recommendation, is reported at low severity.",
    remediation: {
      general:
        'Bound retries (`MaximumRetryAttempts`), enable `BisectBatchOnFunctionError`, and send failed records to an on-failure destination. For SQS, set the queue visibility timeout to at least six times the function timeout.',
      serverless:
        'Under the `stream` event set `maximumRetryAttempts: 3`, `bisectBatchOnFunctionError: true` and `destinations: { onFailure: <queue or topic ARN> }`. For SQS set `VisibilityTimeout` on the queue in `resources:`.',
      cloudformation:
        'Set `MaximumRetryAttempts`, `BisectBatchOnFunctionError` and `DestinationConfig.OnFailure` on the `AWS::Lambda::EventSourceMapping`; set `VisibilityTimeout` on the `AWS::SQS::Queue`.',
      sam: 'Set `MaximumRetryAttempts`, `BisectBatchOnFunctionError` and `DestinationConfig.OnFailure` on the `Kinesis`/`DynamoDB` event; set `VisibilityTimeout` on the queue.',
      terraform:
        'Set `maximum_retry_attempts`, `bisect_batch_on_function_error` and `destination_config { on_failure { destination_arn = ... } }` on the `aws_lambda_event_source_mapping`; set `visibility_timeout_seconds` on the `aws_sqs_queue`.',
      cdk: 'Pass `retryAttempts`, `bisectBatchOnError` and `onFailure` to the event source; set `visibilityTimeout` on the queue.',
    },
    formats: ['serverless', 'cloudformation', 'sam', 'cdk', 'terraform'],
    references: ['serverless-rules ES1001', 'cdk-nag Serverless-LambdaEventSourceMappingDestination', 'cfn-lint E3505'],
    precision: 'medium',
  },
  check(ctx) {
    for (const fn of awsFunctions(ctx.app)) {
      for (const t of fn.triggers) {
        if (t.kind === 'kinesis' || t.kind === 'dynamodb-stream' || t.kind === 'kafka') {
          const m = t.mapping;
          if (m?.enabled === false) continue;
          const retries = m?.maximumRetryAttempts;
          const bisect = m?.bisectBatchOnFunctionError;
          const onFailure = m?.onFailure;
          if (isUnknown(retries) || isUnknown(bisect) || onFailure !== undefined) continue;
          const boundedRetries = retries !== undefined && retries >= 0;
          if (boundedRetries || bisect === true) continue;
          ctx.report({
            fn,
            where: m?.where ?? t.where,
            message: `The ${t.kind} event source of function '${fn.name}' has no on-failure destination, no retry limit and no bisect-on-error: a failing batch is retried until its records expire, blocking the shard and billing every retry.`,
            key: `esm:${t.kind}:${isKnown(t.source) ? t.source : (t.source?.expr ?? '')}`,
          });
        } else if (t.kind === 'sqs') {
          const queue = resolveSource(ctx.app, t.source);
          if (queue?.type !== 'sqs-queue') continue;
          const vis = queue.props.visibilityTimeout;
          if (isUnknown(vis) || isUnknown(fn.timeout)) continue;
          const visibility = vis ?? SQS_DEFAULT_VISIBILITY;
          const timeout = fn.timeout ?? defaultTimeout(fn.format);
          if (visibility >= 6 * timeout) continue;
          const queueName = isKnown(queue.name) ? queue.name : localId(queue.id);
          ctx.report({
            fn,
            resource: queue.id,
            where: t.where,
            // Shorter than the function timeout: a slow invocation is certainly delivered twice. Under 6x: AWS's advice (retries, batching).
            severity: visibility < timeout ? 'medium' : 'low',
            message:
              visibility < timeout
                ? `Queue '${queueName}' triggers function '${fn.name}' with a visibility timeout of ${visibility} s${vis === undefined ? ' (the default)' : ''}, shorter than the function timeout of ${timeout} s: a slow invocation's messages are delivered again while still being processed.`
                : `Queue '${queueName}' triggers function '${fn.name}' with a visibility timeout of ${visibility} s${vis === undefined ? ' (the default)' : ''}, less than six times the function timeout of ${timeout} s (AWS's recommendation): retried batches can be delivered again while still being processed.`,
            key: `sqs-visibility:${queue.id}`,
          });
        }
      }
    }
  },
});
