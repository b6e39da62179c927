import { secretsAnalyzer } from '../../analyze/secrets/index.js';
import { defineRule } from '../defineRule.js';
import { reportSecretFindings } from '../lib/secrets.js';

export default defineRule({
  meta: {
    id: 'CSEC-01',
    title: 'AWS access key in code or config',
    severity: 'critical',
    category: 'hard-coded-secret',
    cwe: ['CWE-798'],
    sas: 'SAS-7',
    description:
      "An AWS access key id (`AKIA...`, `ASIA...`) is written in a file of the project: code, configuration, a `.env` file, a script, a notebook. With its secret access key it is a working credential for the account, and it stays in the repository history and in every deployment package built from it. Reported critical when the secret access key is found next to it (a usable pair), high for the id alone (it still identifies the account and the user, and the secret is rarely far). AWS's documented example keys (`AKIAIOSFODNN7EXAMPLE`) are never reported.",
    remediation: {
      general:
        'Deactivate and delete the access key in IAM now (it must be treated as leaked), check CloudTrail for its use, remove it from the code and the history, and let the function use its execution role instead of static keys.',
      code: 'Delete the key from the code: inside Lambda the SDK takes credentials from the execution role; elsewhere use the default credential chain (environment, SSO, instance profile).',
    },
    formats: ['any'],
    references: [
      'gitleaks aws-access-token',
      'secretlint @secretlint/secretlint-rule-aws',
      'Checkov CKV_SECRET_2',
      'semgrep detected-aws-access-key-id-value',
    ],
    precision: 'high',
  },
  needs: [secretsAnalyzer],
  check(ctx) {
    reportSecretFindings(ctx, ctx.fact(secretsAnalyzer).findings, 'CSEC-01', 'critical', (s) =>
      s.testPath || s.confidence === 'low' ? 'low' : s.pairedLine !== undefined ? 'critical' : 'high',
    );
  },
});
