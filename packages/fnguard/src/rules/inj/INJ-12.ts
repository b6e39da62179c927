import { defineRule } from '../defineRule.js';
import { reportTaint, taintAnalyzer } from '../lib/taint.js';

export default defineRule({
  meta: {
    id: 'INJ-12',
    title: 'Regular expression built from event data (ReDoS, regex injection)',
    severity: 'medium',
    category: 'injection:redos',
    cwe: ['CWE-1333', 'CWE-625'],
    sas: 'SAS-8',
    description: `\`new RegExp()\` compiles a pattern taken from attacker-controlled event data. A pattern such as \`(a+)+$\` makes matching take exponential time: the function runs until its timeout on every such request, and you pay for it (denial of wallet). Patterns escaped first (\`escape-string-regexp\`, \`_.escapeRegExp\`, \`replace(/[.*+?^\${}()|[\\]\\\\]/g, '\\\\$&')\`) are not reported.`,
    remediation: {
      general:
        'Escape input before putting it in a pattern (`escape-string-regexp`), or search with `includes`/`indexOf` instead of a regular expression.',
      code: "Use `new RegExp(escapeStringRegexp(q), 'i')`.",
    },
    formats: ['code'],
    references: ['eslint-plugin-security detect-non-literal-regexp', 'njsscan regex_injection_dos', 'semgrep detect-non-literal-regexp'],
    precision: 'high',
  },
  needs: [taintAnalyzer],
  check(ctx) {
    reportTaint(ctx, ['redos'], (f) => `event data is compiled as a regular expression in ${f.sink}: ReDoS / regex injection`);
  },
});
