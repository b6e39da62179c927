import { defineRule } from '../defineRule.js';
import { depsAnalyzer, reportVulnerableDependencies } from '../lib/deps.js';

export default defineRule({
  meta: {
    id: 'DEP-03',
    title: 'Known-malicious package',
    severity: 'critical',
    category: 'vulnerable-dependency',
    cwe: ['CWE-506', 'CWE-1395'],
    sas: 'SAS-6',
    description:
      "A function ships a package version that OSV lists as malicious (`MAL-` records from the OpenSSF Malicious Packages repository): typosquats and hijacked releases that steal credentials, tokens and environment variables, or mine coins. A Lambda function's environment holds its role's temporary credentials, so such a package can act as the function. Always critical, whether or not the handler imports it (install scripts and import-time code run anyway).",
    remediation: {
      general:
        'Remove the package (or pin a version published before the compromise), rebuild and redeploy the function, then treat the role and every secret the function could read as leaked: rotate them and review CloudTrail for their use.',
    },
    formats: ['lockfile'],
    references: ['OSV MAL- records (ossf/malicious-packages)'],
    precision: 'high',
  },
  needs: [depsAnalyzer],
  check(ctx) {
    reportVulnerableDependencies(ctx, (v) => v.vuln.malicious);
  },
});
