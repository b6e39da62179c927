import { defineRule } from '../defineRule.js';
import {
  grantedFrom,
  hasCondition,
  hasUnconstrainedResource,
  isAdminStatement,
  roleSubject,
  roleTarget,
  statementKey,
} from '../lib/iam.js';
import { CREDENTIALS_EXPOSURE_ACTIONS, EXFILTRATION_ACTIONS } from '../lib/iam-actions.js';
import { roleAllowStatements } from '../lib/roles.js';

export default defineRule({
  meta: {
    id: 'PERM-05',
    title: 'Function role can read secrets, data or credentials anywhere',
    severity: 'high',
    category: 'over-privileged-iam',
    cwe: ['CWE-732', 'CWE-200'],
    sas: 'SAS-4',
    description:
      "The function's execution role allows data-exfiltration actions (`s3:GetObject`, `ssm:GetParameter*`, `secretsmanager:GetSecretValue`, `kms:Decrypt`, ...) or credential-returning actions (`iam:CreateAccessKey`, `sts:AssumeRole`, `sts:GetFederationToken`, `ecr:GetAuthorizationToken`, ...) on every resource without a condition. A compromised function can then read every object, parameter and secret in the account, or mint new credentials.",
    remediation: {
      general:
        'Scope these actions to the exact buckets, parameters, secrets or keys the function reads, and remove credential-minting actions.',
      serverless: 'Set `Resource` to e.g. `arn:aws:ssm:${aws:region}:${aws:accountId}:parameter/orders/*` or `!Ref DbSecret`.',
      cloudformation: 'Replace `Resource: "*"` with the ARNs (`!Ref DbSecret`, `!Sub arn:aws:s3:::${Bucket}/*`).',
      sam: 'Use `SSMParameterReadPolicy`, `AWSSecretsManagerGetSecretValuePolicy` or `S3ReadPolicy` with the resource name.',
      terraform: 'Set `resources` to the secret/parameter/bucket ARNs.',
      cdk: 'Use `secret.grantRead(fn)`, `bucket.grantRead(fn)`, `param.grantRead(fn)`.',
    },
    formats: ['serverless', 'sam', 'cloudformation', 'cdk', 'terraform'],
    references: ['Checkov CKV_AWS_108', 'Checkov CKV_AWS_288', 'Checkov CKV_AWS_107', 'Checkov CKV_AWS_287'],
    precision: 'high',
  },
  check(ctx) {
    for (const { identity, fns, s } of roleAllowStatements(ctx.app)) {
      if (isAdminStatement(s)) continue; // PERM-01
      if (hasCondition(s) || !hasUnconstrainedResource(s)) continue;
      const exfil = grantedFrom(identity, s, EXFILTRATION_ACTIONS);
      const creds = grantedFrom(identity, s, CREDENTIALS_EXPOSURE_ACTIONS);
      if (exfil.length === 0 && creds.length === 0) continue;
      const parts: string[] = [];
      if (exfil.length) parts.push(`read data/secrets (${exfil.slice(0, 4).join(', ')}${exfil.length > 4 ? ', ...' : ''})`);
      if (creds.length) parts.push(`obtain credentials (${creds.slice(0, 4).join(', ')}${creds.length > 4 ? ', ...' : ''})`);
      ctx.report({
        ...roleTarget(identity, fns),
        where: s.where,
        message: `${roleSubject(identity, fns)} can ${parts.join(' and ')} on every resource.`,
        key: statementKey(identity, s),
        details: { exfiltration: exfil, credentials: creds },
      });
    }
  },
});
