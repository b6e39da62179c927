// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the description quotes `${...}` placeholders
import { secretsAnalyzer } from '../../analyze/secrets/index.js';
import { defineRule } from '../defineRule.js';
import { reportSecretFindings } from '../lib/secrets.js';

export default defineRule({
  meta: {
    id: 'CSEC-07',
    title: 'Hard-coded secret assigned to a secret-like name',
    severity: 'medium',
    category: 'hard-coded-secret',
    cwe: ['CWE-798', 'CWE-259'],
    sas: 'SAS-7',
    description:
      "A literal with the shape of a secret (high entropy, not a word, a path, a URL or an identifier) is assigned to a secret-like name (`password`, `client_secret`, `apiKey`, `AUTH_TOKEN`) in code or config, or is the fallback of a secret-named environment variable (`process.env.API_KEY || '<literal>'`, `os.environ.get('API_KEY', '<literal>')`): the function then runs with the literal whenever the variable is missing, and the literal is in the repository. Placeholders (`changeme`, `xxx`, `${...}`, `<your-key>`), references (`*_ARN`, `*_NAME`, `*_ID`) and weak matches in test or example folders are reported low or not at all.",
    remediation: {
      general:
        'Remove the literal, rotate the secret it held, and read the value at runtime from Secrets Manager or SSM Parameter Store; for environment fallbacks, fail fast when the variable is missing instead of falling back to a literal.',
      code: "`const apiKey = process.env.API_KEY; if (!apiKey) throw new Error('API_KEY is not set');`",
    },
    formats: ['any'],
    references: [
      'gitleaks generic-api-key',
      'njsscan node_password, node_secret, node_api_key',
      'Bandit B105/B106/B107',
      'Checkov CKV_SECRET_6/10/19',
    ],
    precision: 'medium',
  },
  needs: [secretsAnalyzer],
  check(ctx) {
    reportSecretFindings(ctx, ctx.fact(secretsAnalyzer).findings, 'CSEC-07', 'medium', (s) =>
      s.testPath || s.confidence === 'low' ? 'low' : 'medium',
    );
  },
});
