import { isKnown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';

export default defineRule({
  meta: {
    id: 'SEC-02',
    title: 'Environment variables not encrypted with a customer-managed key',
    severity: 'low',
    category: 'sensitive-data-exposure',
    cwe: ['CWE-311'],
    sas: 'SAS-7',
    description:
      'The function sets environment variables but no customer-managed KMS key (`KmsKeyArn`). Lambda then encrypts them with the AWS-managed key, which every principal allowed `lambda:GetFunctionConfiguration` can decrypt implicitly; a customer-managed key adds a key policy that controls and logs who can read them.',
    remediation: {
      general: "Set a customer-managed KMS key for the function's environment, and keep secrets out of the environment altogether.",
      serverless: 'Set `kmsKeyArn` at provider or function level.',
      cloudformation: 'Set `KmsKeyArn` on the `AWS::Lambda::Function`.',
      sam: 'Set `KmsKeyArn` on the function (or in `Globals.Function`).',
      terraform: 'Set `kms_key_arn` on `aws_lambda_function`.',
      cdk: 'Pass `environmentEncryption: key` to the `Function`.',
    },
    formats: ['serverless', 'sam', 'cloudformation', 'cdk', 'terraform'],
    references: [
      'Checkov CKV_AWS_173',
      'Prowler awslambda_function_env_vars_not_encrypted_with_cmk',
      'KICS Serverless Function Environment Variables Not Encrypted',
      'semgrep aws-lambda-environment-unencrypted',
    ],
    precision: 'high',
  },
  check(ctx) {
    for (const fn of ctx.app.functions) {
      if (fn.provider !== 'aws') continue;
      if (fn.env.length === 0 || fn.kmsKeyArn !== undefined) continue;
      const first = fn.env[0];
      ctx.report({
        fn,
        where: first?.where ?? fn.where,
        message: `Function '${fn.name}' sets ${fn.env.length} environment variable${fn.env.length > 1 ? 's' : ''} (${fn.env
          .slice(0, 3)
          .map((e) => e.name)
          .join(
            ', ',
          )}${fn.env.length > 3 ? ', ...' : ''}) without a customer-managed KMS key${isKnown(fn.functionName) ? ` (${fn.functionName})` : ''}.`,
        key: 'env-no-cmk',
      });
    }
  },
});
