import { type DepFacts, depsAnalyzer } from '../../analyze/deps/analyzer.js';
import { defineRule } from '../defineRule.js';

export default defineRule({
  meta: {
    id: 'DEP-06',
    title: 'Dependency with an install script',
    severity: 'low',
    category: 'supply-chain',
    cwe: ['CWE-829'],
    sas: 'SAS-6',
    description:
      'A function ships a package that runs a script when it is installed (`hasInstallScript` in package-lock.json v2/v3, `requiresBuild` in pnpm-lock.yaml). Install scripts run on the machine that builds the deployment package, with its credentials (often deploy rights to the account): they are the usual way hijacked packages act. Listed so you can review them and allow only the ones you need.',
    remediation: {
      general:
        'Build with scripts off (`npm ci --ignore-scripts`, pnpm `onlyBuiltDependencies`, yarn `enableScripts: false`) and allow only the packages that need a build step, or replace the package.',
    },
    formats: ['lockfile'],
    references: ['npm-shrinkwrap/package-lock `hasInstallScript`'],
    precision: 'high',
  },
  needs: [depsAnalyzer],
  check(ctx) {
    const facts = ctx.fact<DepFacts>(depsAnalyzer);
    for (const fn of ctx.app.functions)
      for (const pkg of facts.byFunction.get(fn.id)?.packages ?? []) {
        if (!pkg.installScript) continue;
        ctx.report({
          fn,
          where: pkg.where,
          message: `${pkg.name}@${pkg.version} runs an install script when the function is built (${pkg.path.length > 1 ? `dependency path ${pkg.path.join(' > ')}` : 'a direct dependency'}).`,
          key: `${pkg.ecosystem}:${pkg.name}@${pkg.version}:install-script`,
          details: { ecosystem: pkg.ecosystem, package: pkg.name, version: pkg.version, path: pkg.path },
        });
      }
  },
});
