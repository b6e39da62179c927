import { defineRule } from '../defineRule.js';
import { describeFunctions, hasRestrictingCondition, identityLabel, isAllow, roleTarget, summarizePrincipal } from '../lib/iam.js';
import { projectRoles } from '../lib/roles.js';

/** Service principals that legitimately assume a Lambda execution role. */
const LAMBDA_SERVICES = new Set(['lambda.amazonaws.com', 'edgelambda.amazonaws.com']);

export default defineRule({
  meta: {
    id: 'PERM-10',
    title: 'Function role trust policy is too broad',
    severity: 'high',
    category: 'over-privileged-iam',
    cwe: ['CWE-284'],
    sas: 'SAS-4',
    description:
      'The trust policy (`AssumeRolePolicyDocument`) of a function\'s execution role lets principals other than the Lambda service assume it: `Principal: "*"` / `AWS: "*"` (anyone, high), or other AWS accounts, users, federated identities or services (medium). Whoever can assume the role gets all the function\'s permissions without going through its code.',
    remediation: {
      general:
        'Trust only `lambda.amazonaws.com` (plus `edgelambda.amazonaws.com` for Lambda@Edge) in a function role; create a separate role for anything else.',
      serverless:
        "Do not override the role's trust policy; if you declare a custom role in `resources:`, set `Principal: {Service: lambda.amazonaws.com}`.",
      cloudformation: 'Set `AssumeRolePolicyDocument.Statement[].Principal` to `{Service: lambda.amazonaws.com}` only.',
      sam: 'Set `AssumeRolePolicyDocument` to trust `lambda.amazonaws.com` only (or let SAM generate the role).',
      terraform: 'In `assume_role_policy`, use `principals { type = "Service", identifiers = ["lambda.amazonaws.com"] }` only.',
      cdk: 'Use `new Role(this, "R", { assumedBy: new ServicePrincipal("lambda.amazonaws.com") })`.',
    },
    formats: ['serverless', 'cloudformation', 'sam', 'cdk', 'terraform'],
    references: ['Checkov CKV_AWS_60', 'Checkov CKV_AWS_61', 'ScoutSuite iam-assume-role-policy-allows-all'],
    precision: 'high',
  },
  check(ctx) {
    for (const { identity, fns } of projectRoles(ctx.app)) {
      for (const s of identity.trust ?? []) {
        if (!isAllow(s)) continue;
        const label = identityLabel(identity);
        const base = `Role '${label}' (used by ${describeFunctions(fns)})`;
        if (s.notPrincipal !== undefined) {
          ctx.report({
            ...roleTarget(identity, fns),
            where: s.where,
            message: `${base} can be assumed by everyone except a list (NotPrincipal in the trust policy).`,
            key: `${identity.id}|trust|notprincipal`,
          });
          continue;
        }
        const p = summarizePrincipal(s.principal);
        if (p.everyone) {
          const restricted = hasRestrictingCondition(s);
          ctx.report({
            ...roleTarget(identity, fns),
            where: s.where,
            severity: restricted ? 'medium' : 'high',
            message: `${base} can be assumed by any AWS principal (Principal "*")${restricted ? ', limited only by a condition' : ''}.`,
            key: `${identity.id}|trust|everyone`,
          });
          continue;
        }
        const others = [
          ...p.services.filter((sv) => !LAMBDA_SERVICES.has(sv.toLowerCase())).map((sv) => `service ${sv}`),
          ...p.aws.map((a) => `AWS principal ${a}`),
          ...p.federated.map((f) => `federated ${f}`),
        ];
        const wildcardService = p.services.some((sv) => sv.includes('*'));
        if (others.length === 0) continue;
        ctx.report({
          ...roleTarget(identity, fns),
          where: s.where,
          severity: wildcardService ? 'high' : 'medium',
          message: `${base} can also be assumed by ${others.slice(0, 4).join(', ')}${others.length > 4 ? ' and more' : ''}, not only by Lambda.`,
          key: `${identity.id}|trust|${others.sort().join(',')}`,
        });
      }
    }
  },
});
