import { type DepFacts, depsAnalyzer } from '../../analyze/deps/analyzer.js';
import { defineRule } from '../defineRule.js';

function list(names: readonly string[]): string {
  return names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ');
}

export default defineRule({
  meta: {
    id: 'DEP-04',
    title: 'Dependency versions cannot be resolved',
    severity: 'medium',
    category: 'supply-chain',
    cwe: ['CWE-1357'],
    sas: 'SAS-6',
    description:
      "The versions a function ships cannot be known from the repository: a Node function's `package.json` declares dependencies but no lockfile sits next to it or above it, or a requirements file has requirements that are not pinned with `==`. Every build may then install different versions (including a freshly compromised release), and no advisory check can tell what is deployed.",
    remediation: {
      general:
        'Commit the lockfile (`npm install` writes package-lock.json; yarn, pnpm and bun write theirs), or pin every requirement with `==` (`pip freeze`, `pip-compile`, `uv pip compile`), and install from it in the build (`npm ci`, `pip install -r requirements.txt --require-hashes`).',
      code: 'Run `npm install --package-lock-only` (or your tool’s lock command) in the function’s directory and commit the file.',
    },
    formats: ['lockfile'],
    references: ['osv-scanner supported lockfiles (requirements.txt is partial)'],
    precision: 'high',
  },
  needs: [depsAnalyzer],
  check(ctx) {
    const facts = ctx.fact<DepFacts>(depsAnalyzer);
    for (const fn of ctx.app.functions) {
      for (const u of facts.byFunction.get(fn.id)?.unresolved ?? []) {
        const message =
          u.kind === 'no-lockfile'
            ? `Function '${fn.name}' depends on ${list(u.names)} through a package.json without a lockfile: the deployed versions are whatever the build resolves that day.`
            : `Function '${fn.name}' installs ${list(u.names)} without a pinned version (\`==\`): the deployed versions cannot be checked for advisories.`;
        ctx.report({
          fn,
          where: { file: u.file, line: u.line, column: 1 },
          message,
          key: `${u.kind}:${u.names.join(',')}`,
          details: { kind: u.kind, packages: u.names },
        });
      }
    }
  },
});
