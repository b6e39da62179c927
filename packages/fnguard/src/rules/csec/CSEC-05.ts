// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the description quotes `${...}` placeholders
import { secretsAnalyzer } from '../../analyze/secrets/index.js';
import { defineRule } from '../defineRule.js';
import { reportSecretFindings } from '../lib/secrets.js';

export default defineRule({
  meta: {
    id: 'CSEC-05',
    title: 'Credentials inside a connection string or URL',
    severity: 'high',
    category: 'hard-coded-secret',
    cwe: ['CWE-798'],
    sas: 'SAS-7',
    description:
      'A connection URL carries its password (`postgres://app:<password>@db.internal/orders`, `mongodb+srv://`, `mysql://`, `redis://`, `amqp://`, `https://user:<password>@host`), an ADO.NET/ODBC connection string carries `Password=`, or an Azure storage / Service Bus connection string carries its account key. Database URLs are high, other URLs medium, URLs to `localhost` and docker-compose service names low. Placeholder passwords (`${DB_PASSWORD}`, `<password>`, `password`, `changeme`) are not reported.',
    remediation: {
      general:
        'Rotate the password or key, remove it from the URL, and build the connection from a secret read at runtime (RDS Proxy with IAM authentication, Secrets Manager with rotation, Azure managed identity).',
      code: 'Read the credentials from Secrets Manager (or use IAM database authentication) and assemble the URL at runtime.',
    },
    formats: ['any'],
    references: [
      'secretlint secretlint-rule-database-connection-string, secretlint-rule-basicauth',
      'semgrep detected-username-and-password-in-uri',
      'Checkov CKV_SECRET_4',
    ],
    precision: 'high',
  },
  needs: [secretsAnalyzer],
  check(ctx) {
    reportSecretFindings(ctx, ctx.fact(secretsAnalyzer).findings, 'CSEC-05', 'high');
  },
});
