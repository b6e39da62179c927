import { isKnown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { shortId } from '../lib/resources.js';

export default defineRule({
  meta: {
    id: 'EXPO-04',
    title: 'Service permission without source restriction (confused deputy)',
    severity: 'high',
    category: 'unauthenticated-trigger',
    cwe: ['CWE-441'],
    sas: 'SAS-2',
    description:
      'A permission lets an AWS service principal (`s3.amazonaws.com`, `sns.amazonaws.com`, `events.amazonaws.com`, ...) invoke the function without `SourceArn` or `SourceAccount`. Any bucket, topic or rule of that service in any account can then trigger the function (the confused-deputy problem). A function granting invoke rights to several distinct principals is also reported, at low severity, because every extra entry point widens its attack surface.',
    remediation: {
      general: 'Add `SourceArn` (the bucket/topic/rule ARN) and `SourceAccount` to every service permission.',
      cloudformation:
        'Add `SourceArn: !GetAtt Topic.Arn` (or `!Sub arn:aws:s3:::${Bucket}`) and `SourceAccount: !Ref AWS::AccountId` to the `AWS::Lambda::Permission`.',
      sam: 'Add `SourceArn` and `SourceAccount` to the `AWS::Lambda::Permission` (SAM events add them for you).',
      terraform: 'Add `source_arn` and `source_account` to the `aws_lambda_permission`.',
      serverless: 'Add `SourceArn`/`SourceAccount` to permissions declared in `resources:`.',
    },
    formats: ['serverless', 'sam', 'cloudformation', 'cdk', 'terraform'],
    references: [
      'Checkov CKV_AWS_364',
      'Trivy AWS-0067',
      'semgrep aws-lambda-permission-unrestricted-source-arn',
      'cfn-lint W3663',
      'serverless-rules WS1002',
    ],
    precision: 'high',
  },
  check(ctx) {
    for (const fn of ctx.app.functions) {
      const principals = new Set<string>();
      for (const p of fn.permissions) {
        if (!isKnown(p.principal)) continue;
        const principal = p.principal.trim();
        principals.add(principal.toLowerCase());
        if (!/\.amazonaws\.com$/i.test(principal)) continue;
        if (p.sourceArn !== undefined || p.sourceAccount !== undefined || p.principalOrgId !== undefined) continue;
        ctx.report({
          fn,
          resource: p.id,
          where: p.where,
          message: `Function '${fn.name}' can be invoked by ${principal} on behalf of any account: permission '${shortId(p.id)}' has no SourceArn or SourceAccount.`,
          key: `permission|${p.id}`,
        });
      }
      if (principals.size > 1) {
        const first = fn.permissions[0];
        ctx.report({
          fn,
          where: first?.where ?? fn.where,
          severity: 'low',
          message: `Function '${fn.name}' grants invoke permission to ${principals.size} different principals (${[...principals].sort().join(', ')}).`,
          key: `multiple-principals|${[...principals].sort().join(',')}`,
        });
      }
    }
  },
});
