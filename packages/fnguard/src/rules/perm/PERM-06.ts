import { defineRule } from '../defineRule.js';
import {
  actionsOf,
  grantedFrom,
  hasCondition,
  hasUnconstrainedResource,
  isAdminStatement,
  roleSubject,
  roleTarget,
  statementKey,
} from '../lib/iam.js';
import { GOVERNANCE_SERVICES, PERMISSIONS_MANAGEMENT_ACTIONS, serviceOf } from '../lib/iam-actions.js';
import { roleAllowStatements } from '../lib/roles.js';

export default defineRule({
  meta: {
    id: 'PERM-06',
    title: 'Function role can manage permissions or expose resources',
    severity: 'high',
    category: 'over-privileged-iam',
    cwe: ['CWE-732'],
    sas: 'SAS-4',
    description:
      "The function's execution role has full access to a governance service (`iam:*`, `kms:*`, `cloudtrail:*`, `organizations:*`, `sts:*`) or may change resource policies on every resource (`s3:PutBucketPolicy`, `lambda:AddPermission`, `kms:PutKeyPolicy`, `sqs:SetQueueAttributes`, ...). A compromised function can open buckets, keys and functions to the world or switch off audit logging.",
    remediation: {
      general: 'Remove permissions-management actions from function roles; where one is really needed, scope it to a single resource ARN.',
      serverless: 'Remove `iam:*`, `kms:*`, `cloudtrail:*` and policy-changing actions from `provider.iam.role.statements`.',
      cloudformation: "Remove these actions from the role's policy documents or scope them to one resource.",
      sam: 'Remove these actions from `Policies`.',
      terraform: 'Remove these actions from the `aws_iam_policy_document` or scope `resources`.',
      cdk: 'Do not add these actions with `addToRolePolicy`.',
    },
    formats: ['serverless', 'sam', 'cloudformation', 'cdk', 'terraform'],
    references: [
      'Checkov CKV_AWS_109',
      'Checkov CKV_AWS_289',
      'Checkov CKV2_AWS_40',
      'Prowler iam_inline_policy_no_full_access_to_kms',
      'Prowler iam_inline_policy_no_full_access_to_cloudtrail',
    ],
    precision: 'high',
  },
  check(ctx) {
    for (const { identity, fns, s } of roleAllowStatements(ctx.app)) {
      if (isAdminStatement(s)) continue; // PERM-01
      const hits: string[] = [];
      const full = new Set<string>();
      for (const a of actionsOf(s)) {
        const t = a.trim();
        if (/^[a-z0-9-]+:\*$/i.test(t) && GOVERNANCE_SERVICES.includes(serviceOf(t))) {
          full.add(serviceOf(t));
          hits.push(`full ${serviceOf(t)} access ('${t}')`);
        }
      }
      if (!hasCondition(s) && hasUnconstrainedResource(s)) {
        // actions of a service already reported as full access are not listed again
        const pm = grantedFrom(identity, s, PERMISSIONS_MANAGEMENT_ACTIONS).filter((a) => !full.has(serviceOf(a)));
        if (pm.length) hits.push(`${pm.slice(0, 5).join(', ')}${pm.length > 5 ? ` and ${pm.length - 5} more` : ''} on every resource`);
      }
      if (hits.length === 0) continue;
      ctx.report({
        ...roleTarget(identity, fns),
        where: s.where,
        message: `${roleSubject(identity, fns)} can manage permissions: ${[...new Set(hits)].join('; ')}.`,
        key: statementKey(identity, s),
      });
    }
  },
});
