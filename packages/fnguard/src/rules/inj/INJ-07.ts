import { defineRule } from '../defineRule.js';
import { reportTaint, taintAnalyzer } from '../lib/taint.js';

export default defineRule({
  meta: {
    id: 'INJ-07',
    title: 'Server-side request forgery: outbound request to a URL from event data',
    severity: 'high',
    category: 'injection:ssrf',
    cwe: ['CWE-918'],
    sas: 'SAS-1',
    description: `An outbound request goes to a URL or host taken from attacker-controlled event data: \`fetch\`, axios, got, node-fetch, undici, superagent, \`http(s).request/get\`, headless browsers (\`page.goto\`), wkhtmltopdf. The attacker makes the function call internal services or other AWS APIs with its network position. A URL whose scheme and host are constant (\`https://api.example.com/items/\${id}\`) is not reported.`,
    remediation: {
      general:
        'Keep the scheme and host constant and put input only in the path or query (encoded with `encodeURIComponent`); if users must choose the destination, check the host against an allow-list after parsing it with `new URL()`.',
      code: `Build the URL as \`\` \`https://api.example.com/items/\${encodeURIComponent(id)}\` \`\`, or \`if (!ALLOWED_HOSTS.includes(new URL(u).host)) return badRequest();\`.`,
    },
    formats: ['code'],
    references: ['njsscan node_ssrf', 'njsscan puppeteer_ssrf', 'semgrep express-ssrf'],
    precision: 'high',
  },
  needs: [taintAnalyzer],
  check(ctx) {
    reportTaint(ctx, ['ssrf'], (f) => `event data chooses the destination of ${f.sink}: server-side request forgery`);
  },
});
