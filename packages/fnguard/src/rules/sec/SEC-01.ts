import { classifySecret, redact, secretDigest } from '../../analyze/secrets/value.js';
import { isKnown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { envDeclarations, envScope, envTarget } from '../lib/env.js';

export default defineRule({
  meta: {
    id: 'SEC-01',
    title: 'Hard-coded secret in function environment variables',
    severity: 'critical',
    category: 'secret-in-env-var',
    cwe: ['CWE-798', 'CWE-526'],
    sas: 'SAS-7',
    description:
      'A function environment variable (function- or provider-level) holds a literal secret: a vendor token (AWS access key, GitHub, Slack, Stripe, ...), a private key, a database URL with a password, or a high-entropy value under a secret-like name (`DB_PASSWORD`, `API_TOKEN`). The secret is stored in the repository and in plain text in the deployed configuration, visible to anyone who can read the template or call `lambda:GetFunctionConfiguration`. High-confidence matches are critical, others high. References (`!Ref`, `${ssm:...}`, `var.x`) are never reported here.',
    remediation: {
      general:
        "Remove the value from the configuration, rotate the secret, store it in AWS Secrets Manager or SSM Parameter Store (SecureString) and read it at runtime (Powertools parameters, or the Parameters and Secrets Lambda extension); pass only the secret's name or ARN in the environment.",
      serverless:
        "Replace the literal with the secret's name (`DB_SECRET_ID: orders/db`) and grant `secretsmanager:GetSecretValue` on that secret.",
      cloudformation: 'Replace the literal with a secret ARN (`!Ref DbSecret`) and fetch the value at runtime.',
      sam: 'Replace the literal with a secret ARN (`!Ref DbSecret`) and fetch the value at runtime; grant it with `AWSSecretsManagerGetSecretValuePolicy`.',
      terraform: 'Replace the literal with `aws_secretsmanager_secret.db.arn` and fetch the value at runtime.',
      cdk: 'Pass `secret.secretArn` in the environment and call `secret.grantRead(fn)`.',
    },
    formats: ['serverless', 'sam', 'cloudformation', 'cdk', 'terraform'],
    references: [
      'Checkov CKV_AWS_45',
      'Checkov CKV_AWS_41',
      'Prowler awslambda_function_no_secrets_in_variables',
      'semgrep aws-lambda-environment-credentials',
    ],
    precision: 'high',
  },
  check(ctx) {
    for (const o of envDeclarations(ctx.app)) {
      const v = o.env.value;
      if (!isKnown(v)) continue;
      const c = classifySecret(o.env.name, v);
      if (!c) continue;
      ctx.report({
        ...envTarget(o),
        where: o.env.where,
        severity: c.confidence === 'high' ? 'critical' : 'high',
        message: `Environment variable ${o.env.name} of ${envScope(o)} holds a hard-coded secret (${c.kind}, ${redact(v)}).`,
        key: `env|${o.env.name}|${secretDigest(v)}`,
        details: { kind: c.kind, confidence: c.confidence },
      });
    }
  },
});
