import type { Fn, Where } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { awsFunctions } from '../lib/functions.js';

/** Files that must never be packaged: name, the pattern that re-includes it, and why. */
const SENSITIVE: readonly { what: string; re: RegExp }[] = [
  { what: '.env files (secrets)', re: /(^|\/)\.env[^/]*$|(^|\/)\.env\*|\.env\/\*\*/ },
  { what: 'the .git directory (full history, possibly secrets)', re: /(^|\/)\.git(\/|$)/ },
  { what: 'credential files', re: /(^|\/)(\.aws|\.ssh)(\/|$)|(^|\/)(credentials|id_rsa|id_ed25519)$|\.(pem|key|p12|pfx)$/ },
  { what: '.npmrc (registry tokens)', re: /(^|\/)\.npmrc$/ },
];

/** Does the pattern list include (without a later exclusion) something sensitive? Returns what. */
function includedSensitive(patterns: readonly string[]): { what: string; pattern: string }[] {
  const out: { what: string; pattern: string }[] = [];
  patterns.forEach((p, i) => {
    const raw = p.trim();
    if (raw.startsWith('!')) return;
    const norm = raw.replace(/^\.\//, '');
    for (const s of SENSITIVE) {
      if (!s.re.test(norm)) continue;
      // re-excluded later in the list?
      const excludedLater = patterns
        .slice(i + 1)
        .some((q) => q.trim().startsWith('!') && s.re.test(q.trim().slice(1).replace(/^\.\//, '')));
      if (!excludedLater) out.push({ what: s.what, pattern: raw });
    }
  });
  return out;
}

export default defineRule({
  meta: {
    id: 'SUP-06',
    title: 'Deployment package explicitly includes secrets, .git or credential files',
    severity: 'medium',
    category: 'supply-chain',
    cwe: ['CWE-538'],
    sas: 'SAS-6',
    description:
      "The packaging configuration explicitly adds `.env` files, the `.git` directory, credential files or `.npmrc` to the deployment package. Anyone who can read the function code (`lambda:GetFunction`, the deployment bucket, a leaked artifact) then gets those secrets. This rule reads the Serverless Framework packaging configuration only; `.env` and key files actually present in a code directory (SAM `CodeUri`, Terraform `archive_file`) are the secrets scanner's job (CSEC rules).",
    remediation: {
      general: 'Remove the pattern that includes the file, add an explicit exclusion, and rotate any secret that was already deployed.',
      serverless:
        'Remove the pattern from `package.patterns` and add `!.env*`, `!.git/**` (or set `useDotenv: true`, which excludes `.env*`).',
    },
    formats: ['serverless'],
    references: ['secretlint @secretlint/secretlint-rule-no-dotenv'],
    precision: 'high',
  },
  check(ctx) {
    // A service-level `package:` block applies to every function: report it once, at its position.
    const groups = new Map<string, { where: Where; hit: { what: string; pattern: string }; fns: Fn[] }>();
    for (const fn of awsFunctions(ctx.app)) {
      const patterns = fn.packaging?.patterns?.filter((p): p is string => typeof p === 'string');
      if (!patterns || patterns.length === 0) continue;
      const where = fn.packaging?.where ?? fn.where;
      for (const hit of includedSensitive(patterns)) {
        const k = `${where.file}:${where.line}:${where.column}:${hit.pattern}`;
        const g = groups.get(k) ?? { where, hit, fns: [] };
        g.fns.push(fn);
        groups.set(k, g);
      }
    }
    for (const { where, hit, fns } of groups.values()) {
      const first = fns[0];
      if (!first) continue;
      const who =
        fns.length === 1
          ? `function '${first.name}'`
          : `${fns.length} functions (${fns
              .slice(0, 3)
              .map((f) => `'${f.name}'`)
              .join(', ')}${fns.length > 3 ? ', ...' : ''})`;
      ctx.report({
        fn: fns.length === 1 ? first : null,
        where,
        message: `The deployment package of ${who} includes ${hit.what} through the pattern '${hit.pattern}': anyone who can read the code gets them.`,
        key: `package-includes:${hit.pattern}`,
      });
    }
  },
});
