import { defineRule } from '../defineRule.js';
import { reportTaint, taintAnalyzer } from '../lib/taint.js';

export default defineRule({
  meta: {
    id: 'INJ-11',
    title: 'Dynamic require or import() of a module named by event data',
    severity: 'high',
    category: 'injection:code',
    cwe: ['CWE-829'],
    sas: 'SAS-1',
    description:
      '`require()` or `import()` loads a module whose name or path comes from attacker-controlled event data. The attacker loads any file of the deployment package or of `/tmp` (where they may have written one) as code.',
    remediation: {
      general: "Map the input to one of a fixed set of modules (`const handlers = { a: require('./a') }`) and reject anything else.",
      code: `Replace \`require(\`./plugins/\${name}\`)\` with a lookup in a constant object of the allowed plugins.`,
    },
    formats: ['code'],
    references: ['eslint-plugin-security detect-non-literal-require', 'njsscan eval_require'],
    precision: 'high',
  },
  needs: [taintAnalyzer],
  check(ctx) {
    reportTaint(ctx, ['require'], (f) => `event data names the module loaded by ${f.sink}: dynamic code loading`);
  },
});
