import { HTTP_TRIGGERS, taintAnalyzer } from '../../analyze/code/taint/index.js';
import { defineRule } from '../defineRule.js';

export default defineRule({
  meta: {
    id: 'OTH-14',
    title: 'HTTP handler with no input validation at all',
    severity: 'low',
    category: 'insecure-config',
    cwe: ['CWE-20'],
    sas: 'SAS-1',
    description:
      'A function behind an HTTP trigger (API Gateway, function URL, ALB) reads request fields, but neither the API (request validators/models) nor the code validates them: no schema library (zod, joi, ajv, yup, middy validator, Powertools parser...), no type checks, no pattern or allow-list tests, no 4xx answer. Every downstream call then trusts attacker input as-is.',
    remediation: {
      general:
        'Validate every request at the edge of the handler: a schema (zod, ajv, middy validator, Powertools parser) or API Gateway request validation, and answer 400 for anything else.',
      code: "`const body = Body.parse(JSON.parse(event.body ?? '{}'));` with a zod schema `Body`.",
    },
    formats: ['code'],
    references: [],
    precision: 'medium',
  },
  needs: [taintAnalyzer],
  check(ctx) {
    const facts = ctx.fact(taintAnalyzer);
    for (const fn of ctx.app.functions) {
      const t = facts.byFunction.get(fn.id);
      if (!t?.invoked || t.inputReads === 0 || t.validated || t.validationEvidence) continue;
      const http = fn.triggers.filter((tr) => HTTP_TRIGGERS.has(tr.kind));
      if (http.length === 0 && !fn.url) continue;
      // API Gateway request validation covers REST routes
      if (http.length > 0 && http.every((tr) => tr.apiId && ctx.app.apis.find((a) => a.id === tr.apiId)?.requestValidation)) continue;
      const where = t.handlerLoc ?? fn.where;
      ctx.report({
        fn,
        where: { file: where.file, line: where.line, column: where.column },
        message: `Function '${fn.name}' reads request data but validates none of it (no schema, type check, allow-list or 400 answer, no API request validation).`,
        key: 'no-input-validation',
      });
    }
  },
});
