import { defineRule } from '../defineRule.js';
import { depsAnalyzer, ecosystemVulns, reportVulnerableDependencies } from '../lib/deps.js';

export default defineRule({
  meta: {
    id: 'DEP-01',
    title: 'Known-vulnerable npm package',
    severity: 'high',
    category: 'vulnerable-dependency',
    cwe: ['CWE-1395'],
    sas: 'SAS-6',
    description:
      "A function ships an npm package version that an OSV advisory (GitHub Security Advisories and the other OSV sources) lists as vulnerable. Packages come from the lockfile nearest above the function's code (package-lock.json v1 to v3, npm-shrinkwrap.json, yarn.lock v1 and berry, pnpm-lock.yaml v5 to v9, bun.lock) and from its layers' lockfiles; production dependencies only unless `--include-dev`. The severity is the advisory's, one level lower when the handler's code does not import the package (or the direct dependency that pulls it in) or when it is a dev dependency. Each finding names the installed and fixed versions, the dependency path, the advisory ids (GHSA, CVE) and links.",
    remediation: {
      general:
        'Upgrade the package (or the direct dependency on its path) to the fixed version and refresh the lockfile (`npm install pkg@fixed`, `npm update`, or an `overrides`/`resolutions` entry for a transitive package); then redeploy the function.',
      code: 'Run `npm install <package>@<fixed>` (or `yarn up`, `pnpm update`) in the directory of the lockfile and commit the lockfile.',
    },
    formats: ['lockfile'],
    references: ['npm audit', 'osv-scanner (OSV npm ecosystem)'],
    precision: 'high',
  },
  needs: [depsAnalyzer],
  check(ctx) {
    reportVulnerableDependencies(ctx, ecosystemVulns('npm'));
  },
});
