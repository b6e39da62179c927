import { defineRule } from '../defineRule.js';
import { reportTaint, taintAnalyzer } from '../lib/taint.js';

export default defineRule({
  meta: {
    id: 'INJ-08',
    title: 'Cross-site scripting: event data in an HTML response',
    severity: 'medium',
    category: 'injection:xss',
    cwe: ['CWE-79'],
    sas: 'SAS-1',
    description:
      "Attacker-controlled event data is written unescaped into an HTML response: a Lambda proxy response with `Content-Type: text/html` whose body is built from input, or Express/Fastify `send` of a string built from input (Express sends strings as HTML). The attacker's script runs in the victims' browsers on your domain.",
    remediation: {
      general:
        'Escape data for HTML (`escape-html`, `he.encode`) or render with a template engine that auto-escapes; return JSON with `Content-Type: application/json` when the client does not need HTML.',
      code: `Wrap the value: \`\` \`<p>\${escapeHtml(name)}</p>\` \`\`.`,
    },
    formats: ['code'],
    references: ['semgrep tainted-html-response', 'semgrep tainted-html-string', 'njsscan express_xss'],
    precision: 'high',
  },
  needs: [taintAnalyzer],
  check(ctx) {
    reportTaint(ctx, ['xss'], (f) => `event data reaches ${f.sink} unescaped: cross-site scripting`);
  },
});
