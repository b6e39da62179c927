import { defineRule } from '../defineRule.js';
import { reportTaint, taintAnalyzer } from '../lib/taint.js';

export default defineRule({
  meta: {
    id: 'INJ-15',
    title: 'Open redirect: Location header from event data',
    severity: 'medium',
    category: 'injection:xss',
    cwe: ['CWE-601'],
    sas: 'SAS-1',
    description:
      "The response redirects to a location taken from attacker-controlled event data (a `Location` header in a Lambda proxy response, Express `res.redirect`/`res.location`, Koa `ctx.redirect`). Phishing links on your domain send users anywhere; `//evil.example` and `/\\evil.example` pass naive `startsWith('/')` checks. A location with a constant scheme and host is not reported.",
    remediation: {
      general:
        'Redirect only to locations you build from a constant origin, or check the target against an allow-list of paths or hosts after parsing it with `new URL()`.',
      code: `Use \`\` Location: \`https://app.example.com/\${encodeURIComponent(next)}\` \`\` or an allow-list of \`next\` values.`,
    },
    formats: ['code'],
    references: ['njsscan express_open_redirect', 'njsscan generic_header_injection'],
    precision: 'high',
  },
  needs: [taintAnalyzer],
  check(ctx) {
    reportTaint(ctx, ['redirect'], (f) => `event data chooses the redirect target of ${f.sink}: open redirect`);
  },
});
