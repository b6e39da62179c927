import { defineRule } from '../defineRule.js';
import { depsAnalyzer, ecosystemVulns, reportVulnerableDependencies } from '../lib/deps.js';

export default defineRule({
  meta: {
    id: 'DEP-02',
    title: 'Known-vulnerable PyPI package',
    severity: 'high',
    category: 'vulnerable-dependency',
    cwe: ['CWE-1395'],
    sas: 'SAS-6',
    description:
      "A Python function ships a PyPI package version that an OSV advisory (GHSA, PYSEC) lists as vulnerable, compared with PEP 440 version rules. Packages come from the lockfile nearest above the function's code: requirements.txt (pinned `==` requirements, hashes and `-r` includes), Pipfile.lock, poetry.lock, uv.lock or pdm.lock, and from its layers; production dependencies only unless `--include-dev`. The severity is the advisory's (GHSA severity, else its CVSS v3 score), one level lower for dev dependencies. Advisories that alias each other (a GHSA and a PYSEC record for one CVE) are one finding.",
    remediation: {
      general:
        'Upgrade the package to the fixed version in the lockfile (`pip install pkg==fixed` then `pip freeze`, `poetry update pkg`, `uv lock --upgrade-package pkg`, `pdm update pkg`) and redeploy.',
      code: 'Pin the fixed version in requirements.txt (or update the lockfile of your tool) and commit it.',
    },
    formats: ['lockfile'],
    references: ['osv-scanner (OSV PyPI ecosystem)', 'pip-audit'],
    precision: 'high',
  },
  needs: [depsAnalyzer],
  check(ctx) {
    reportVulnerableDependencies(ctx, ecosystemVulns('PyPI'));
  },
});
