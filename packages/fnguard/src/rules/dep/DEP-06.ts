import { defineRule } from '../defineRule.js';
import { depsAnalyzer, reportShippedPackages } from '../lib/deps.js';

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
    reportShippedPackages(
      ctx,
      (pkg) => (pkg.installScript ? 'runs an install script when the function is built' : undefined),
      'install-script',
    );
  },
});
