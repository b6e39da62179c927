import { defineRule } from '../defineRule.js';
import { actionsOf, hasCondition, hasUnconstrainedResource, isAdminStatement, roleSubject, roleTarget, statementKey } from '../lib/iam.js';
import {
  actionMatches,
  CREDENTIALS_EXPOSURE_ACTIONS,
  ESCALATION_ACTIONS,
  EXFILTRATION_ACTIONS,
  isResourceStarOk,
  LAMBDA_TAKEOVER_ACTIONS,
  PERMISSIONS_MANAGEMENT_ACTIONS,
} from '../lib/iam-actions.js';
import { roleAllowStatements } from '../lib/roles.js';

/** Actions reported by PERM-04/05/06 when unconstrained: PERM-03 leaves them to those rules. */
const REPORTED_ELSEWHERE: readonly string[] = [
  ...ESCALATION_ACTIONS,
  ...LAMBDA_TAKEOVER_ACTIONS,
  'iam:PassRole',
  ...EXFILTRATION_ACTIONS,
  ...CREDENTIALS_EXPOSURE_ACTIONS,
  ...PERMISSIONS_MANAGEMENT_ACTIONS,
];

function reportedElsewhere(pattern: string): boolean {
  return REPORTED_ELSEWHERE.some((a) => actionMatches(pattern, a));
}

export default defineRule({
  meta: {
    id: 'PERM-03',
    title: 'Function role acts on every resource (Resource "*")',
    severity: 'medium',
    category: 'over-privileged-iam',
    cwe: ['CWE-732'],
    sas: 'SAS-4',
    description:
      'An `Allow` statement of a function\'s execution role applies actions that support resource-level permissions to `Resource: "*"` (or an ARN with a wildcard account or resource part, or `NotResource`), without a condition. The function can then read or change every table, bucket or queue of that kind in the account, not just its own. Actions that AWS only supports on `*` (`xray:PutTraceSegments`, `ec2:Describe*`, ...) are not reported, nor are the statements of SAM policy templates (scoped by AWS as far as the actions allow), nor escalation, data-exfiltration and permissions-management actions, which PERM-04/05/06 report with a higher severity.',
    remediation: {
      general: 'Set `Resource` to the ARNs of the resources the function uses, or add a condition that restricts it.',
      serverless:
        'Use `Resource: !GetAtt OrdersTable.Arn` (or `arn:aws:dynamodb:${aws:region}:${aws:accountId}:table/orders`) in the statement.',
      cloudformation: "Use `!GetAtt`/`!Sub` ARNs in the statement's `Resource`.",
      sam: 'Use SAM policy templates with a resource parameter, e.g. `SQSSendMessagePolicy: {QueueName: !GetAtt Queue.QueueName}`.',
      terraform: 'Reference the resource ARN, e.g. `resources = [aws_dynamodb_table.orders.arn]`.',
      cdk: 'Use grant methods on the resource (`queue.grantSendMessages(fn)`).',
    },
    formats: ['serverless', 'sam', 'cloudformation', 'cdk', 'terraform'],
    references: ['Checkov CKV_AWS_355', 'Checkov CKV_AWS_111', 'cdk-nag AwsSolutions-IAM5', 'LambdaGuard PolicyStatement'],
    precision: 'medium',
  },
  check(ctx) {
    for (const { identity, fns, s } of roleAllowStatements(ctx.app)) {
      if (isAdminStatement(s)) continue; // PERM-01
      // SAM policy templates (CloudWatchPutMetricPolicy, RekognitionDetectOnlyPolicy...) use `*` only
      // where the actions support nothing narrower: the user cannot scope them further
      if (s.origin?.kind === 'sam-template') continue;
      if (hasCondition(s)) continue;
      if (!hasUnconstrainedResource(s)) continue;
      const scoped = actionsOf(s).filter((a) => !isResourceStarOk(a) && !reportedElsewhere(a));
      if (scoped.length === 0) continue;
      const shown =
        scoped
          .slice(0, 5)
          .map((a) => `'${a}'`)
          .join(', ') + (scoped.length > 5 ? ` and ${scoped.length - 5} more` : '');
      const scope = s.notResources?.length ? 'NotResource (everything but a list)' : 'every resource';
      ctx.report({
        ...roleTarget(identity, fns),
        where: s.where,
        message: `${roleSubject(identity, fns)} allows ${shown} on ${scope}.`,
        key: statementKey(identity, s),
      });
    }
  },
});
