import { defineRule } from '../defineRule.js';
import { awsFunctions, isAsyncTrigger } from '../lib/functions.js';

export default defineRule({
  meta: {
    id: 'CFG-04',
    title: 'Asynchronously invoked function without a dead-letter queue or on-failure destination',
    severity: 'low',
    category: 'insecure-config',
    cwe: ['CWE-755'],
    sas: 'SAS-5',
    description:
      'Lambda invokes the function asynchronously (S3, SNS, EventBridge and similar triggers). When an invocation fails, Lambda retries twice and then drops the event: without a dead-letter queue or an on-failure destination the event, and the evidence of the failure, is lost.',
    remediation: {
      general:
        'Give the function a dead-letter queue or an on-failure destination (an SQS queue, SNS topic or EventBridge bus) and alarm on it.',
      serverless: 'Set `destinations: { onFailure: arn:aws:sqs:... }` or `onError: <SNS topic ARN>` on the function.',
      cloudformation:
        'Set `DeadLetterConfig: { TargetArn: ... }` on the function, or add an `AWS::Lambda::EventInvokeConfig` with `DestinationConfig.OnFailure`.',
      sam: 'Set `DeadLetterQueue: { Type: SQS, TargetArn: ... }` or `EventInvokeConfig.DestinationConfig.OnFailure` on the function.',
      terraform:
        'Add `dead_letter_config { target_arn = ... }` to the `aws_lambda_function`, or an `aws_lambda_function_event_invoke_config` with `destination_config { on_failure { ... } }`.',
      cdk: 'Pass `deadLetterQueueEnabled: true` (or `onFailure: new SqsDestination(queue)`) to the function.',
    },
    formats: ['serverless', 'cloudformation', 'sam', 'cdk', 'terraform'],
    references: [
      'Checkov CKV_AWS_116',
      'Prowler awslambda_function_no_dead_letter_queue',
      'serverless-rules ES1007',
      'cdk-nag Serverless-LambdaDLQ',
      'cdk-nag Serverless-LambdaAsyncFailureDestination',
    ],
    precision: 'high',
  },
  check(ctx) {
    for (const fn of awsFunctions(ctx.app)) {
      const asyncTriggers = fn.triggers.filter(isAsyncTrigger);
      const first = asyncTriggers[0];
      if (!first) continue;
      // Any DLQ or on-failure destination (even one we cannot resolve) counts as handled.
      if (fn.deadLetter !== undefined) continue;
      if (fn.destinations?.onFailure !== undefined) continue;
      const kinds = [...new Set(asyncTriggers.map((t) => t.kind))].join(', ');
      ctx.report({
        fn,
        where: first.where,
        message: `Function '${fn.name}' is invoked asynchronously (${kinds}) but has no dead-letter queue or on-failure destination: failed events are dropped after two retries.`,
        key: 'no-async-failure-target',
      });
    }
  },
});
