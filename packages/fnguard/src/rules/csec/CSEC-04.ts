import { secretsAnalyzer } from '../../analyze/secrets/index.js';
import { defineRule } from '../defineRule.js';
import { reportSecretFindings } from '../lib/secrets.js';

export default defineRule({
  meta: {
    id: 'CSEC-04',
    title: 'Vendor API token in code or config',
    severity: 'high',
    category: 'hard-coded-secret',
    cwe: ['CWE-798'],
    sas: 'SAS-7',
    description:
      "A token in a vendor's documented format is written in a file of the project: GitHub (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`), GitLab (`glpat-`), Slack tokens (`xoxb-`, `xoxp-`, `xapp-`) and webhook URLs, Stripe secret and restricted keys (`sk_live_`, `rk_live_`; test keys one level lower), SendGrid (`SG.`), Twilio API keys and auth tokens, Google API keys (`AIza`), Google Cloud service account key files, npm tokens (`npm_`), OpenAI and Anthropic keys. These formats are specific enough to be reported wherever they appear, including as the fallback of an environment variable.",
    remediation: {
      general:
        'Revoke the token at the vendor (it must be treated as leaked), issue a new one, keep it in Secrets Manager or SSM Parameter Store, and read it at runtime; remove the old one from the code and the history.',
      code: 'Replace the literal with a value read at runtime (Powertools `getSecret`, the Parameters and Secrets Lambda extension), cached across invocations.',
    },
    formats: ['any'],
    references: [
      'gitleaks github-pat, gitlab-pat, slack-bot-token, slack-webhook-url, stripe-access-token, sendgrid-api-token, twilio-api-key, gcp-api-key, npm-access-token, openai-api-key, anthropic-api-key',
      'secretlint -github, -gitlab, -slack, -stripe, -sendgrid, -npm, -gcp, -openai, -anthropic',
      'Checkov CKV_SECRET_12/14/17/18',
    ],
    precision: 'high',
  },
  needs: [secretsAnalyzer],
  check(ctx) {
    reportSecretFindings(ctx, ctx.fact(secretsAnalyzer).findings, 'CSEC-04', 'high');
  },
});
