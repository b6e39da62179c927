import { isKnown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';

export default defineRule({
  meta: {
    id: 'EXPO-12',
    title: 'Cognito identity pool allows unauthenticated identities',
    severity: 'high',
    category: 'unauthenticated-trigger',
    cwe: ['CWE-306'],
    sas: 'SAS-2',
    description:
      'A Cognito identity pool has `AllowUnauthenticatedIdentities: true`: anyone can obtain temporary AWS credentials for its unauthenticated role, and with them call IAM-authorized APIs and function URLs and invoke functions that role may invoke.',
    remediation: {
      general: 'Set `AllowUnauthenticatedIdentities` to false, or give the unauthenticated role no permission to reach functions and APIs.',
      serverless: 'Set `AllowUnauthenticatedIdentities: false` on the `AWS::Cognito::IdentityPool` in `resources:`.',
      cloudformation: 'Set `AllowUnauthenticatedIdentities: false` on `AWS::Cognito::IdentityPool`.',
      sam: 'Set `AllowUnauthenticatedIdentities: false` on `AWS::Cognito::IdentityPool`.',
      terraform: 'Set `allow_unauthenticated_identities = false` on `aws_cognito_identity_pool`.',
      cdk: 'Leave `allowUnauthenticatedIdentities` unset (false) on the `IdentityPool`.',
    },
    formats: ['serverless', 'sam', 'cloudformation', 'cdk', 'terraform'],
    references: ['Checkov CKV_AWS_366', 'cdk-nag AwsSolutions-COG7'],
    precision: 'high',
  },
  check(ctx) {
    for (const r of ctx.app.resources) {
      if (r.type !== 'cognito-identity-pool') continue;
      if (r.props.allowUnauthenticated !== true) continue;
      ctx.report({
        resource: r.id,
        where: r.where,
        message: `Cognito identity pool '${isKnown(r.name) ? r.name : r.id}' gives AWS credentials to unauthenticated users.`,
        key: `unauth-identities|${r.id}`,
      });
    }
  },
});
