import { isKnown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { roleSubject, roleTarget } from '../lib/iam.js';
import { projectRoles } from '../lib/roles.js';

/** AWS-managed policies that amount to (near-)administrator access. */
export const ADMIN_LIKE_MANAGED_POLICIES: readonly string[] = ['AdministratorAccess', 'PowerUserAccess', 'IAMFullAccess'];

/** The policy name of a managed policy reference (its `name`, or the last segment of its ARN). */
export function managedPolicyName(ref: { arn: unknown; name?: string }): string | undefined {
  if (ref.name) return ref.name;
  if (typeof ref.arn === 'string') return ref.arn.split('/').pop();
  return undefined;
}

function isAwsManaged(ref: { arn: unknown; awsManaged?: boolean }): boolean {
  if (ref.awsManaged !== undefined) return ref.awsManaged;
  return typeof ref.arn === 'string' && /^arn:aws[a-z-]*:iam::aws:policy\//.test(ref.arn);
}

export default defineRule({
  meta: {
    id: 'PERM-08',
    title: 'Broad AWS-managed policy on a function role',
    severity: 'high',
    category: 'over-privileged-iam',
    cwe: ['CWE-250'],
    sas: 'SAS-4',
    description:
      "The function's execution role has an AWS-managed policy attached that grants far more than one function needs: `AdministratorAccess`, `PowerUserAccess` or `IAMFullAccess` (high), or any other `*FullAccess` policy such as `AmazonS3FullAccess` or `AmazonDynamoDBFullAccess` (medium), which covers every bucket or table in the account.",
    remediation: {
      general:
        'Detach the managed policy and grant the function only the actions it uses on its own resources. Keep `AWSLambdaBasicExecutionRole` for logging.',
      serverless: 'Remove the ARN from `provider.iam.role.managedPolicies` and add scoped `statements`.',
      cloudformation: "Remove the ARN from the role's `ManagedPolicyArns` and add a scoped inline policy.",
      sam: 'Replace the managed policy name in `Policies` with a scoped SAM policy template.',
      terraform: 'Remove the `aws_iam_role_policy_attachment` (or `managed_policy_arns` entry) and add a scoped policy.',
      cdk: 'Do not use `ManagedPolicy.fromAwsManagedPolicyName("...FullAccess")`; use grant methods.',
    },
    formats: ['serverless', 'sam', 'cloudformation', 'cdk', 'terraform'],
    references: [
      'cdk-nag AwsSolutions-IAM4',
      'Checkov CKV_AWS_274',
      'Checkov CKV_AWS_275',
      'Checkov CKV2_AWS_56',
      'Prowler iam_role_administratoraccess_policy',
    ],
    precision: 'high',
  },
  check(ctx) {
    for (const { identity, fns } of projectRoles(ctx.app)) {
      for (const ref of identity.managedPolicies) {
        if (!isKnown(ref.arn) && !ref.name) continue;
        if (!isAwsManaged(ref)) continue;
        const name = managedPolicyName(ref);
        if (!name) continue;
        const admin = ADMIN_LIKE_MANAGED_POLICIES.includes(name);
        if (!admin && !/FullAccess(?:V\d+)?$/.test(name)) continue;
        ctx.report({
          ...roleTarget(identity, fns),
          where: ref.where,
          severity: admin ? 'high' : 'medium',
          message: `${roleSubject(identity, fns)} has the AWS-managed policy ${name} attached.`,
          key: `${identity.id}|managed|${name}`,
        });
      }
    }
  },
});
