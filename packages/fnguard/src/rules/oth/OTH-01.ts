import { defineRule } from '../defineRule.js';
import { reportTaint, taintAnalyzer } from '../lib/taint.js';

export default defineRule({
  meta: {
    id: 'OTH-01',
    title: 'Stack traces or error objects returned to the caller',
    severity: 'medium',
    category: 'sensitive-data-exposure',
    cwe: ['CWE-209'],
    sas: 'SAS-10',
    description:
      "A caught error's stack trace or the raw error object is put into the response (the body of a Lambda proxy response, `callback(null, response)`, Express/Fastify `send`/`json`, Koa `ctx.body`). Stack traces reveal file paths, library versions and code structure; SDK and database errors carry request ids, table names and SQL text. `err.message` alone is not reported.",
    remediation: {
      general: 'Log the error (with its stack) to CloudWatch and return a generic message with a correlation id.',
      code: "`console.error(err); return { statusCode: 500, body: JSON.stringify({ message: 'internal error', requestId: context.awsRequestId }) };`",
    },
    formats: ['code'],
    references: ['njsscan node_error_disclosure', 'njsscan generic_error_disclosure'],
    precision: 'high',
  },
  needs: [taintAnalyzer],
  check(ctx) {
    reportTaint(ctx, ['error-exposure'], (f) => `${f.sink} exposes a stack trace or an error object to the caller`);
  },
});
