import { defineRule } from '../defineRule.js';
import { reportTaint, taintAnalyzer } from '../lib/taint.js';

export default defineRule({
  meta: {
    id: 'INJ-05',
    title: 'MongoDB query or operator injection from event data',
    severity: 'high',
    category: 'injection:nosql',
    cwe: ['CWE-943'],
    sas: 'SAS-1',
    description:
      'A MongoDB/DocumentDB (or Mongoose) query takes values parsed from the request (`JSON.parse(event.body)`, Express `req.body`/`req.query`), so an attacker can send operators (`{"password": {"$ne": null}}`) instead of strings, or a `$where` clause is built from input (server-side JavaScript). Plain strings from query parameters or path parameters cannot carry operators and are not reported.',
    remediation: {
      general:
        'Coerce every query value to the expected type (`String(body.user)`), validate the body with a schema, or use `mongo-sanitize`; never build `$where` from input.',
      code: 'Use `User.findOne({ name: String(body.name) })`, or validate `body` with zod/joi first.',
    },
    formats: ['code'],
    references: ['njsscan node_nosqli_injection', 'njsscan node_nosqli_js_injection'],
    precision: 'medium',
  },
  needs: [taintAnalyzer],
  check(ctx) {
    reportTaint(ctx, ['mongodb'], (f) => `parsed event data is used as a MongoDB query in ${f.sink}: operator injection`);
  },
});
