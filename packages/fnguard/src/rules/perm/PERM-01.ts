import { defineRule } from '../defineRule.js';
import { isAdminStatement, roleSubject, roleTarget, statementKey } from '../lib/iam.js';
import { roleAllowStatements } from '../lib/roles.js';

export default defineRule({
  meta: {
    id: 'PERM-01',
    title: 'Function role has full administrator access',
    severity: 'critical',
    category: 'over-privileged-iam',
    cwe: ['CWE-250', 'CWE-732'],
    sas: 'SAS-4',
    description:
      'An `Allow` statement with `Action: "*"` and `Resource: "*"` in a function\'s execution role makes the function an account administrator. Any injection, dependency compromise or leaked credential in that function hands over the whole AWS account.',
    remediation: {
      general:
        'Replace the statement with the specific actions the function calls, on the specific resources it uses (table ARNs, bucket ARNs, queue ARNs).',
      serverless:
        'In `provider.iam.role.statements` (or per-function `iam.role.statements`), list actions such as `dynamodb:GetItem` with `Resource` set to `!GetAtt OrdersTable.Arn`.',
      cloudformation:
        'In the `AWS::IAM::Role` `Policies[].PolicyDocument`, replace `"*"` actions and resources with the exact actions and resource ARNs.',
      sam: 'Use scoped SAM policy templates (`DynamoDBReadPolicy: {TableName: !Ref Table}`) instead of an inline `*` statement.',
      terraform: 'In the `aws_iam_policy_document` / `aws_iam_role_policy`, list the exact `actions` and `resources`.',
      cdk: 'Use grant methods (`table.grantReadData(fn)`) instead of `new PolicyStatement({ actions: ["*"], resources: ["*"] })`.',
    },
    formats: ['serverless', 'sam', 'cloudformation', 'cdk', 'terraform'],
    references: [
      'Checkov CKV_AWS_1',
      'Checkov CKV_AWS_62',
      'Prowler iam_inline_policy_no_administrative_privileges',
      'KICS Serverless Functions With Full Privileges',
      'LambdaGuard PolicyStatement',
    ],
    precision: 'high',
  },
  check(ctx) {
    for (const { identity, fns, s } of roleAllowStatements(ctx.app)) {
      if (!isAdminStatement(s)) continue;
      ctx.report({
        ...roleTarget(identity, fns),
        where: s.where,
        message: `${roleSubject(identity, fns)} allows every action on every resource (Action "*", Resource "*").`,
        key: statementKey(identity, s),
      });
    }
  },
});
