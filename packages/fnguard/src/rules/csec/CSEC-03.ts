import { secretsAnalyzer } from '../../analyze/secrets/index.js';
import { defineRule } from '../defineRule.js';
import { reportSecretFindings } from '../lib/secrets.js';

export default defineRule({
  meta: {
    id: 'CSEC-03',
    title: 'Private key in the project',
    severity: 'critical',
    category: 'hard-coded-secret',
    cwe: ['CWE-321', 'CWE-798'],
    sas: 'SAS-7',
    description:
      'A private key block (`-----BEGIN RSA PRIVATE KEY-----`, EC, DSA, OpenSSH, PKCS#8, PGP, PuTTY) with a real key body is in a file of the project: in a key file, in code, in a YAML block or an escaped JSON string. Anyone with the repository or a deployment package can impersonate its owner (TLS server, SSH user, JWT issuer, signing identity). Encrypted keys are reported one level lower. Headers without a body (`-----BEGIN PRIVATE KEY-----...`) and truncated samples are not reported.',
    remediation: {
      general:
        'Revoke or rotate the key pair (new certificate, new SSH key, new signing key), remove the file from the repository and its history, and load the key at runtime from Secrets Manager, SSM Parameter Store (SecureString) or KMS (asymmetric KMS keys never leave KMS).',
      code: 'Read the key from Secrets Manager at cold start (cache it), or sign with `kms:Sign` so the key never leaves KMS.',
    },
    formats: ['any'],
    references: ['gitleaks private-key', 'secretlint secretlint-rule-privatekey', 'Checkov CKV_SECRET_13', 'semgrep detected-private-key'],
    precision: 'high',
  },
  needs: [secretsAnalyzer],
  check(ctx) {
    reportSecretFindings(ctx, ctx.fact(secretsAnalyzer).findings, 'CSEC-03', 'critical');
  },
});
