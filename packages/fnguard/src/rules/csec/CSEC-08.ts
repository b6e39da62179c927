import { secretsAnalyzer } from '../../analyze/secrets/index.js';
import { defineRule } from '../defineRule.js';
import { secretLabel, secretTarget } from '../lib/secrets.js';

export default defineRule({
  meta: {
    id: 'CSEC-08',
    title: 'Credential file in the project',
    severity: 'medium',
    category: 'hard-coded-secret',
    cwe: ['CWE-798', 'CWE-538'],
    sas: 'SAS-7',
    description:
      'A file whose purpose is to hold credentials, and that holds at least one, is part of the project: a `.env` file (not `.env.example`), `.npmrc`/`.yarnrc.yml` with an auth token, a copied `~/.aws/credentials`, `.pypirc`, `.netrc`, `.git-credentials`, `.docker/config.json` with registry auths, a private key file, or a Terraform state file. Such files end up in the repository and, through broad packaging patterns, in deployment packages. Each secret in it is also reported by its own rule; this rule is about the file.',
    remediation: {
      general:
        "Delete the file from the repository (and its history), add its name to `.gitignore` and to the packaging excludes, rotate the credentials it held, and provide them at deploy or run time from a secret store or the CI's secret variables.",
      code: 'Commit a `.env.example` with empty values instead, and load real values from the environment or a secret store.',
    },
    formats: ['any'],
    references: ['secretlint secretlint-rule-no-dotenv', 'semgrep detected-npm-registry-auth-token'],
    precision: 'high',
  },
  needs: [secretsAnalyzer],
  check(ctx) {
    for (const cf of ctx.fact(secretsAnalyzer).credentialFiles) {
      const target = secretTarget(ctx, cf.fnIds);
      const kinds = cf.kinds.map(secretLabel).join(', ');
      ctx.report({
        fn: target.fn,
        resource: cf.layerId ?? null,
        where: { file: cf.file, line: cf.line, column: cf.column },
        severity: cf.testPath ? 'low' : 'medium',
        message: `Credential file ${cf.rel} (${cf.type}) holds ${cf.count === 1 ? 'a credential' : `${cf.count} credentials`} (${kinds})${cf.testPath ? ' (test/example path: reported at low severity)' : ''}.${target.where}`,
        key: `credential-file|${cf.rel}`,
        details: { type: cf.type, kinds: cf.kinds, count: cf.count, testPath: cf.testPath },
      });
    }
  },
});
