import { type DepFacts, depsAnalyzer } from '../../analyze/deps/analyzer.js';
import { defineRule } from '../defineRule.js';

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
    const facts = ctx.fact<DepFacts>(depsAnalyzer);
    for (const fn of ctx.app.functions)
      for (const pkg of facts.byFunction.get(fn.id)?.packages ?? []) {
        if (pkg.source !== 'git' && pkg.source !== 'url') continue;
        ctx.report({
          fn,
          where: pkg.where,
          message: `${pkg.name}${pkg.version ? `@${pkg.version}` : ''} comes from a ${pkg.source === 'git' ? 'git repository' : 'URL'}, not a registry: advisories cannot be matched against it (${pkg.path.length > 1 ? `dependency path ${pkg.path.join(' > ')}` : 'a direct dependency'}).`,
          key: `${pkg.ecosystem}:${pkg.name}:${pkg.source}`,
          details: { ecosystem: pkg.ecosystem, package: pkg.name, version: pkg.version, source: pkg.source, path: pkg.path },
        });
      }
  },
});
