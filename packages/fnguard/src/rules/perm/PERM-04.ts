import { defineRule } from '../defineRule.js';
import { grantedFrom, isAdminStatement, knownStrings, roleGrants, roleSubject, roleTarget, statementKey } from '../lib/iam.js';
import { ESCALATION_ACTIONS, LAMBDA_TAKEOVER_ACTIONS, PASSROLE_COMBOS } from '../lib/iam-actions.js';
import { roleAllowStatements } from '../lib/roles.js';

function wildcardScope(resources: string[], notResources: boolean): boolean {
  return notResources || resources.some((r) => r.includes('*'));
}

export default defineRule({
  meta: {
    id: 'PERM-04',
    title: 'Function role can escalate privileges',
    severity: 'high',
    category: 'over-privileged-iam',
    cwe: ['CWE-269'],
    sas: 'SAS-4',
    description:
      "The function's execution role holds a privilege-escalation primitive: it can rewrite IAM policies (`iam:PutRolePolicy`, `iam:AttachRolePolicy`, `iam:CreatePolicyVersion`, `iam:UpdateAssumeRolePolicy`, ...), create credentials, replace other functions' code (`lambda:UpdateFunctionCode`/`UpdateFunctionConfiguration` on `*`), pass any role (`iam:PassRole` on `*`), or pass a role to new compute it can run (`iam:PassRole` + `lambda:CreateFunction` + `lambda:InvokeFunction`). Whoever controls the function can make themselves administrator.",
    remediation: {
      general:
        'Remove IAM-write and Lambda-write actions from function roles; if a function must pass a role, scope `iam:PassRole` to that role ARN and add an `iam:PassedToService` condition.',
      serverless:
        'Drop `iam:*`/`lambda:Update*` entries from `provider.iam.role.statements`; give deployment permissions to the CI role, not to functions.',
      cloudformation: "Remove the escalation actions from the role's policies, or scope `iam:PassRole` to a single role ARN.",
      sam: 'Remove the escalation actions from `Policies`.',
      terraform:
        'Remove the escalation actions from the `aws_iam_policy_document`, or scope `iam:PassRole` to one role ARN with an `iam:PassedToService` condition.',
      cdk: 'Do not call `role.addToPolicy` with IAM-write actions; use `role.grantPassRole(principal)` for one role.',
    },
    formats: ['serverless', 'sam', 'cloudformation', 'cdk', 'terraform'],
    references: [
      'Checkov CKV_AWS_110',
      'Checkov CKV_AWS_286',
      'Prowler iam_inline_policy_allows_privilege_escalation',
      'LambdaGuard PrivilegeEscalation',
      'Trivy AWS-0342',
    ],
    precision: 'high',
  },
  check(ctx) {
    for (const { identity, fns, s } of roleAllowStatements(ctx.app)) {
      if (isAdminStatement(s)) continue; // PERM-01
      const hits: string[] = [];
      hits.push(...grantedFrom(identity, s, ESCALATION_ACTIONS));
      const resources = knownStrings(s.resources);
      const wild = wildcardScope(resources, !!s.notResources?.length);
      if (wild)
        hits.push(
          ...grantedFrom(identity, s, LAMBDA_TAKEOVER_ACTIONS).map(
            (a) => `${a} on '${resources.find((r) => r.includes('*')) ?? 'NotResource'}'`,
          ),
        );
      if (grantedFrom(identity, s, ['iam:PassRole']).length > 0) {
        if (wild) hits.push(`iam:PassRole on '${resources.find((r) => r.includes('*')) ?? 'NotResource'}'`);
        for (const combo of PASSROLE_COMBOS) {
          if (roleGrants(identity, [combo.create]).length === 0) continue;
          const run = roleGrants(identity, combo.run);
          if (run.length === 0) continue;
          const parts = [...new Set([combo.create, ...run])];
          hits.push(`iam:PassRole with ${parts.join(' + ')}`);
        }
      }
      if (hits.length === 0) continue;
      const unique = [...new Set(hits)];
      ctx.report({
        ...roleTarget(identity, fns),
        where: s.where,
        message: `${roleSubject(identity, fns)} can escalate privileges: ${unique.slice(0, 6).join(', ')}${unique.length > 6 ? ` and ${unique.length - 6} more` : ''}.`,
        key: statementKey(identity, s),
        details: { actions: unique },
      });
    }
  },
});
