import { isUnknown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { envDeclarations, envScope, envTarget } from '../lib/env.js';

export default defineRule({
  meta: {
    id: 'SEC-03',
    title: 'Secret resolved at deploy time into a plaintext environment variable',
    severity: 'medium',
    category: 'secret-in-env-var',
    cwe: ['CWE-312', 'CWE-526'],
    sas: 'SAS-7',
    description:
      'A function environment variable is filled from a secret store at deploy time: Serverless `${ssm:/path}` of a SecureString, CloudFormation `{{resolve:secretsmanager:...}}` / `{{resolve:ssm-secure:...}}`, or a Terraform `aws_secretsmanager_secret_version` / SecureString `aws_ssm_parameter` data source; or a CloudFormation `NoEcho` parameter is passed into the environment. The secret is kept safely in the store but then copied in plain text into the function configuration (and, for Terraform, into the state file), readable by anyone with `lambda:GetFunctionConfiguration`, and it does not rotate.',
    remediation: {
      general:
        "Pass the secret's name or ARN in the environment and read the value at runtime (SDK call with caching, Powertools parameters, or the Parameters and Secrets Lambda extension).",
      serverless:
        'Replace `${ssm:/orders/db-password}` with the parameter name (`DB_PASSWORD_PARAM: /orders/db-password`) and grant `ssm:GetParameter` on it.',
      cloudformation: 'Replace `{{resolve:secretsmanager:...}}` with the secret ARN and fetch it at runtime.',
      terraform: 'Pass `aws_secretsmanager_secret.db.arn` instead of `data.aws_secretsmanager_secret_version.db.secret_string`.',
      cdk: 'Pass `secret.secretArn` and call `secret.grantRead(fn)` instead of `secret.secretValue.unsafeUnwrap()`.',
    },
    formats: ['serverless', 'cloudformation', 'sam', 'cdk', 'terraform'],
    references: ['SAS-7 (puresec/sas-top-10)'],
    precision: 'high',
  },
  check(ctx) {
    for (const o of envDeclarations(ctx.app)) {
      const v = o.env.value;
      if (!isUnknown(v)) continue;
      if (v.hint === 'parameter' && v.target) {
        // a NoEcho (secret) parameter copied into the environment: same exposure
        const param = ctx.app.resources.find((r) => r.type === 'parameter' && r.id === v.target && r.where.file === o.env.where.file);
        if (param && param.props.noEcho === true) {
          ctx.report({
            ...envTarget(o),
            where: o.env.where,
            message: `Environment variable ${o.env.name} of ${envScope(o)} receives the NoEcho parameter ${v.target} at deploy time, stored in plain text in the function configuration.`,
            key: `env-resolved|${o.env.name}`,
          });
        }
        continue;
      }
      if (v.hint !== 'secret-reference') continue;
      ctx.report({
        ...envTarget(o),
        where: o.env.where,
        message: `Environment variable ${o.env.name} of ${envScope(o)} receives a secret at deploy time (${v.expr.slice(0, 120)}), stored in plain text in the function configuration.`,
        key: `env-resolved|${o.env.name}`,
      });
    }
  },
});
