import { defineRule } from '../defineRule.js';
import { actionsOf, isAdminStatement, roleSubject, roleTarget, statementKey } from '../lib/iam.js';
import { hasWildcard, isServiceWildcard, serviceOf } from '../lib/iam-actions.js';

/** Telemetry services: a whole-service wildcard there is still too broad, but far less dangerous. */
const TELEMETRY = new Set(['logs', 'xray', 'cloudwatch']);

import { roleAllowStatements } from '../lib/roles.js';

export default defineRule({
  meta: {
    id: 'PERM-02',
    title: 'Wildcard action in a function role',
    severity: 'high',
    category: 'over-privileged-iam',
    cwe: ['CWE-732'],
    sas: 'SAS-4',
    description:
      "An `Allow` statement of a function's execution role grants a wildcard action: `*` or a whole service (`dynamodb:*`, `s3:*`). The function can then do far more than it needs (delete tables, rewrite bucket policies), so a single bug becomes a data breach. Whole-service wildcards on telemetry services (`logs:*`, `xray:*`, `cloudwatch:*`) are reported at medium severity, narrower prefix wildcards (`s3:Get*`) at low severity.",
    remediation: {
      general: 'List the specific actions the function calls instead of a wildcard (for example `dynamodb:GetItem`, `dynamodb:PutItem`).',
      serverless: 'Replace `dynamodb:*` in `provider.iam.role.statements` with the individual actions.',
      cloudformation: "Replace wildcard entries of `Action` in the role's policy document with individual actions.",
      sam: 'Prefer SAM policy templates such as `DynamoDBCrudPolicy` scoped to one table, or list individual actions.',
      terraform: 'Replace wildcard `actions` in the `aws_iam_policy_document` with individual actions.',
      cdk: "Use the resource's grant methods, which list exact actions.",
    },
    formats: ['serverless', 'sam', 'cloudformation', 'cdk', 'terraform'],
    references: [
      'Checkov CKV_AWS_49',
      'Checkov CKV_AWS_63',
      'serverless-rules WS1003',
      'cdk-nag Serverless-LambdaStarPermissions',
      'cdk-nag AwsSolutions-IAM5',
      'Trivy AWS-0114',
    ],
    precision: 'high',
  },
  check(ctx) {
    for (const { identity, fns, s } of roleAllowStatements(ctx.app)) {
      if (isAdminStatement(s)) continue; // PERM-01
      const wild = actionsOf(s).filter(hasWildcard);
      if (wild.length === 0) continue;
      const broad = wild.filter(isServiceWildcard);
      const shown = (broad.length ? broad : wild).map((a) => `'${a}'`).join(', ');
      ctx.report({
        ...roleTarget(identity, fns),
        where: s.where,
        severity: broad.length ? (broad.every((a) => TELEMETRY.has(serviceOf(a))) ? 'medium' : 'high') : 'low',
        message: `${roleSubject(identity, fns)} allows wildcard action${wild.length > 1 ? 's' : ''} ${shown}.`,
        key: statementKey(identity, s),
      });
    }
  },
});
