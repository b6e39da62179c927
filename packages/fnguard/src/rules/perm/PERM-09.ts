import type { Identity } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { actionsOf, describeFunctions, functionIdentities, identityLabel, isAllow } from '../lib/iam.js';
import { isCdkFrameworkFunction } from '../lib/roles.js';
import { managedPolicyName } from './PERM-08.js';

/** Managed policies that only let a function write its own logs/traces/ENIs. */
const BASELINE_MANAGED = new Set([
  'AWSLambdaBasicExecutionRole',
  'AWSLambdaVPCAccessExecutionRole',
  'AWSXRayDaemonWriteAccess',
  'AWSLambdaENIManagementAccess',
  'CloudWatchLambdaInsightsExecutionRolePolicy',
]);

/** True when the role grants more than logging/tracing (sharing it then widens each function's rights). */
function grantsMoreThanBaseline(identity: Identity): boolean {
  for (const s of identity.statements) {
    if (!isAllow(s)) continue;
    if (s.origin?.kind === 'aws-managed') continue;
    if (s.notActions?.length) return true;
    const acts = actionsOf(s);
    if (acts.length === 0 && s.actions?.length) return true; // Unknown actions: might be anything
    if (acts.some((a) => !/^(logs|xray):/i.test(a.trim()))) return true;
  }
  for (const m of identity.managedPolicies) {
    const name = managedPolicyName(m);
    if (!name || !BASELINE_MANAGED.has(name)) return true;
  }
  return false;
}

export default defineRule({
  meta: {
    id: 'PERM-09',
    title: 'One execution role shared by several functions',
    severity: 'medium',
    category: 'over-privileged-iam',
    cwe: ['CWE-250'],
    sas: 'SAS-4',
    description:
      'Several functions run with the same execution role, so each holds the union of the permissions all of them need: the public webhook handler can also delete the orders table because the nightly job needs to. This is the Serverless Framework default (one role for the whole service). Roles that only grant logging and tracing are not reported.',
    remediation: {
      general: 'Give each function its own role with only the permissions it uses.',
      serverless:
        'Declare per-function `iam.role.statements` (Serverless Framework v4, or the `serverless-iam-roles-per-function` plugin in v3) instead of provider-level statements.',
      cloudformation: 'Create one `AWS::IAM::Role` per `AWS::Lambda::Function` instead of pointing several functions at the same `Role`.',
      sam: 'Use per-function `Policies` (SAM creates one role per function) instead of a shared `Role:`.',
      terraform: 'Create one `aws_iam_role` per `aws_lambda_function` (a module per function helps).',
      cdk: 'Let each `Function` create its own role (the default) instead of passing a shared `role`.',
    },
    formats: ['serverless', 'sam', 'cloudformation', 'cdk', 'terraform'],
    references: ['KICS Serverless Function Without Unique IAM Role', 'Serverless Framework docs guide/iam.md'],
    precision: 'high',
  },
  check(ctx) {
    for (const { identity, fns: all } of functionIdentities(ctx.app)) {
      if (identity.provider !== 'aws') continue;
      const fns = all.filter((f) => !isCdkFrameworkFunction(f));
      if (fns.length < 2) continue;
      const label = identityLabel(identity);
      if (identity.external) {
        ctx.report({
          resource: identity.id,
          where: identity.where,
          severity: 'info',
          message: `Role '${label}' (defined outside this project) is shared by ${fns.length} ${describeFunctions(fns)}; its permissions cannot be checked here.`,
          key: `${identity.id}|shared-external`,
          details: { functions: fns.map((f) => f.id) },
        });
        continue;
      }
      if (!grantsMoreThanBaseline(identity)) continue;
      ctx.report({
        resource: identity.id,
        where: identity.where,
        message: `Role '${label}' is shared by ${fns.length} ${describeFunctions(fns)}: each of them holds the permissions all of them need.`,
        key: `${identity.id}|shared`,
        details: { functions: fns.map((f) => f.id) },
      });
    }
  },
});
