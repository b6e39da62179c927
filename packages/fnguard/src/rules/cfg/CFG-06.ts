import { type App, isKnown, isUnknown, type Resource } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { awsFunctions, localId } from '../lib/functions.js';
import { resolveSource } from '../lib/resources.js';

/** Every dead-letter target named by a resource's redrive policy, as ids/names (a DLQ has no redrive of its own, by design). */
function deadLetterTargets(app: App): { refs: Set<string>; exprs: string[] } {
  const refs = new Set<string>();
  const exprs: string[] = [];
  for (const r of app.resources) {
    const t = r.props.deadLetterTarget;
    if (t === undefined) continue;
    if (isUnknown(t)) {
      if (t.target) refs.add(localId(t.target));
      exprs.push(t.expr);
    } else if (typeof t === 'string') {
      refs.add(localId(t));
      refs.add(t.slice(t.lastIndexOf(':') + 1));
    }
  }
  return { refs, exprs };
}

function isDeadLetterQueue(dlq: { refs: Set<string>; exprs: string[] }, queue: Resource): boolean {
  const id = localId(queue.id);
  if (dlq.refs.has(id) || (isKnown(queue.name) && dlq.refs.has(queue.name))) return true;
  return dlq.exprs.some((e) => e.split(/[^A-Za-z0-9_.-]+/).some((t) => t === id || t.startsWith(`${id}.`)));
}

export default defineRule({
  meta: {
    id: 'CFG-06',
    title: 'Trigger queue without a redrive policy (dead-letter queue)',
    severity: 'low',
    category: 'insecure-config',
    cwe: ['CWE-755'],
    sas: 'SAS-5',
    description:
      'An SQS queue defined in this project triggers a function but has no redrive policy. A message the function keeps failing on is received again and again until the retention period ends (4 days by default), invoking the function every time, and then silently disappears.',
    remediation: {
      general:
        'Give the trigger queue a redrive policy that moves a message to a dead-letter queue after a few receives (`maxReceiveCount` 3–5), and alarm on the dead-letter queue.',
      serverless:
        'On the `AWS::SQS::Queue` in `resources:` set `RedrivePolicy: { deadLetterTargetArn: !GetAtt Dlq.Arn, maxReceiveCount: 3 }`.',
      cloudformation: 'Set `RedrivePolicy: { deadLetterTargetArn: ..., maxReceiveCount: 3 }` on the `AWS::SQS::Queue`.',
      sam: 'Set `RedrivePolicy` on the `AWS::SQS::Queue` that the `SQS` event reads.',
      terraform:
        'Set `redrive_policy = jsonencode({ deadLetterTargetArn = aws_sqs_queue.dlq.arn, maxReceiveCount = 3 })` on the `aws_sqs_queue` (or use `aws_sqs_queue_redrive_policy`).',
      cdk: 'Pass `deadLetterQueue: { queue: dlq, maxReceiveCount: 3 }` to the `Queue`.',
    },
    formats: ['serverless', 'cloudformation', 'sam', 'cdk', 'terraform'],
    references: ['serverless-rules ES6000', 'cdk-nag Serverless-SQSRedrivePolicy', 'cdk-nag AwsSolutions-SQS3'],
    precision: 'high',
  },
  check(ctx) {
    const seen = new Set<string>();
    let dlq: ReturnType<typeof deadLetterTargets> | undefined;
    for (const fn of awsFunctions(ctx.app)) {
      for (const t of fn.triggers) {
        if (t.kind !== 'sqs') continue;
        const queue = resolveSource(ctx.app, t.source);
        if (queue?.type !== 'sqs-queue') continue;
        const redrive = queue.props.redrive;
        if (redrive === true || isUnknown(redrive)) continue;
        if (queue.props.deadLetterTarget !== undefined) continue;
        if (seen.has(queue.id)) continue;
        dlq ??= deadLetterTargets(ctx.app);
        if (isDeadLetterQueue(dlq, queue)) continue;
        seen.add(queue.id);
        const queueName = isKnown(queue.name) ? queue.name : localId(queue.id);
        ctx.report({
          fn,
          resource: queue.id,
          where: queue.where,
          message: `Queue '${queueName}' triggers function '${fn.name}' but has no redrive policy: a message the function keeps failing on is retried until it expires and is then lost.`,
          key: `no-redrive:${queue.id}`,
        });
      }
    }
  },
});
