import { defineRule } from '../defineRule.js';
import { depsAnalyzer, reportShippedPackages } from '../lib/deps.js';

export default defineRule({
  meta: {
    id: 'DEP-05',
    title: 'Dependency from a git repository or URL',
    severity: 'low',
    category: 'supply-chain',
    cwe: ['CWE-829'],
    sas: 'SAS-6',
    description:
      'A function ships a package installed from a git repository or a tarball URL instead of a package registry. Advisory databases do not cover such sources, so a known flaw in them goes unreported; a branch or tag reference can also change under you, and a URL can serve different bytes tomorrow. Local `file:`/`link:` dependencies and workspace members are your own code and are not reported.',
    remediation: {
      general:
        'Install the package from the registry at a released version; if you must keep a git dependency, pin it to a full commit hash and review that commit, and vendor tarballs into the repository.',
    },
    formats: ['lockfile'],
    references: ['npm audit docs (packages from other sources are not audited)'],
    precision: 'high',
  },
  needs: [depsAnalyzer],
  check(ctx) {
    reportShippedPackages(
      ctx,
      (pkg) =>
        pkg.source === 'git' || pkg.source === 'url'
          ? `comes from a ${pkg.source === 'git' ? 'git repository' : 'URL'}, not a registry: advisories cannot be matched against it`
          : undefined,
      'non-registry',
    );
  },
});
