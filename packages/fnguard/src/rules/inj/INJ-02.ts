import { defineRule } from '../defineRule.js';
import { reportTaint, taintAnalyzer } from '../lib/taint.js';

export default defineRule({
  meta: {
    id: 'INJ-02',
    title: 'Code injection from event data (eval, Function, vm, string timers)',
    severity: 'critical',
    category: 'injection:code',
    cwe: ['CWE-94', 'CWE-95'],
    sas: 'SAS-1',
    description:
      'Attacker-controlled event data is evaluated as JavaScript: `eval`, `new Function`, `vm.runInNewContext`/`runInThisContext`/`compileFunction`, `vm2`, or `setTimeout`/`setInterval` with a string. The attacker runs arbitrary code inside the function, with its credentials.',
    remediation: {
      general:
        'Never evaluate event data as code. Parse data with `JSON.parse`, map user choices to functions through a fixed lookup table, and keep `vm` for trusted code only (it is not a security boundary).',
      code: 'Replace `eval(body)` with `JSON.parse(body)`; replace `new Function(expr)` with a small, explicit interpreter or a lookup table.',
    },
    formats: ['code'],
    references: [
      'semgrep tainted-eval',
      'njsscan eval_nodejs',
      'njsscan vm_runinnewcontext_injection',
      'eslint-plugin-security detect-eval-with-expression',
    ],
    precision: 'high',
  },
  needs: [taintAnalyzer],
  check(ctx) {
    reportTaint(ctx, ['code'], (f) => `event data reaches ${f.sink}: code injection`);
  },
});
