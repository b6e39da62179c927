import { isKnown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { shortId } from '../lib/resources.js';

export default defineRule({
  meta: {
    id: 'EXPO-03',
    title: 'Function invoke permission open to everyone',
    severity: 'critical',
    category: 'unauthenticated-trigger',
    cwe: ['CWE-284'],
    sas: 'SAS-2',
    description:
      'A resource-based permission on the function (`AWS::Lambda::Permission`, `aws_lambda_permission`) grants `Principal: "*"` without `SourceArn`, `SourceAccount` or `PrincipalOrgID`: any AWS account in the world can invoke the function. (The permission that backs a function URL with auth type NONE is reported by EXPO-01.)',
    remediation: {
      general:
        'Grant invoke permission to the specific service or account that calls the function and restrict it with `SourceArn`/`SourceAccount` (or `PrincipalOrgID` for an organization).',
      cloudformation:
        'Set `Principal` to the calling service or account and add `SourceArn`/`SourceAccount` to the `AWS::Lambda::Permission`.',
      sam: 'Set `Principal` to the calling service or account and add `SourceArn`/`SourceAccount` to the `AWS::Lambda::Permission`.',
      terraform:
        'Set `principal` to the calling service or account and add `source_arn`/`source_account` (or `principal_org_id`) to `aws_lambda_permission`.',
      serverless:
        'Fix the `AWS::Lambda::Permission` in `resources:`; events declared on the function get scoped permissions automatically.',
    },
    formats: ['serverless', 'sam', 'cloudformation', 'cdk', 'terraform'],
    references: [
      'Checkov CKV_AWS_301',
      'Prowler awslambda_function_not_publicly_accessible',
      'cdk-nag LambdaFunctionPublicAccessProhibited',
      'LambdaGuard PolicyStatement',
    ],
    precision: 'high',
  },
  check(ctx) {
    for (const fn of ctx.app.functions) {
      for (const p of fn.permissions) {
        if (!isKnown(p.principal) || p.principal.trim() !== '*') continue;
        if (p.sourceArn !== undefined || p.sourceAccount !== undefined || p.principalOrgId !== undefined) continue;
        const urlAuth = isKnown(p.functionUrlAuthType) ? p.functionUrlAuthType.toUpperCase() : undefined;
        const action = isKnown(p.action) ? p.action : '';
        if (urlAuth === 'NONE' && /invokefunctionurl/i.test(action) && fn.url) continue; // EXPO-01
        ctx.report({
          fn,
          resource: p.id,
          where: p.where,
          message: `Function '${fn.name}' can be invoked by any AWS account: permission '${shortId(p.id)}' grants ${action || 'invoke'} to Principal "*" without SourceArn, SourceAccount or PrincipalOrgID.`,
          key: `permission|${p.id}`,
        });
      }
    }
  },
});
