import { defineRule } from '../defineRule.js';
import { reportTaint, taintAnalyzer } from '../lib/taint.js';

export default defineRule({
  meta: {
    id: 'OTH-03',
    title: 'Per-request data kept in module-level state across invocations',
    severity: 'medium',
    category: 'sensitive-data-exposure',
    cwe: ['CWE-488'],
    sas: 'SAS-9',
    description:
      "The handler stores data from the event (a user, a request body, a cache entry keyed by input) in a module-level variable or object. Lambda reuses the module between invocations, so the next request, possibly another user's, sees it: cross-request data leaks and authorisation mix-ups. Caching clients or configuration at module level is fine and not reported.",
    remediation: {
      general:
        'Keep per-request data in local variables; if you must cache across invocations, key the cache safely, bound its size, and never cache authorisation decisions.',
      code: 'Move `let currentUser` into the handler, or pass the value through function parameters.',
    },
    formats: ['code'],
    references: ['AWS Lambda operator guide: statelessness'],
    precision: 'medium',
  },
  needs: [taintAnalyzer],
  check(ctx) {
    reportTaint(ctx, ['module-state'], (f) => `${f.detail ?? ''} (handler state survives between invocations)`);
  },
});
