import { secretsAnalyzer } from '../../analyze/secrets/index.js';
import { defineRule } from '../defineRule.js';
import { reportSecretFindings } from '../lib/secrets.js';

export default defineRule({
  meta: {
    id: 'CSEC-02',
    title: 'AWS secret access key in code or config',
    severity: 'critical',
    category: 'hard-coded-secret',
    cwe: ['CWE-798'],
    sas: 'SAS-7',
    description:
      "A 40-character AWS secret access key is written in a file of the project, under an `aws_secret_access_key`-like name (`AWS_SECRET_ACCESS_KEY=`, `secretAccessKey:`), or next to an AWS access key id. It is the secret half of a static AWS credential. AWS's documented example key is never reported.",
    remediation: {
      general:
        'Deactivate and delete the access key pair in IAM, check CloudTrail for its use, remove it from the code and the history, and rely on the execution role (inside Lambda) or the default credential chain.',
      code: "Remove the key; the AWS SDK inside Lambda signs with the execution role's temporary credentials.",
    },
    formats: ['any'],
    references: ['secretlint AWSSecretAccessKey', 'semgrep detected-aws-secret-access-key', 'Checkov CKV_SECRET_2'],
    precision: 'high',
  },
  needs: [secretsAnalyzer],
  check(ctx) {
    reportSecretFindings(ctx, ctx.fact(secretsAnalyzer).findings, 'CSEC-02', 'critical');
  },
});
