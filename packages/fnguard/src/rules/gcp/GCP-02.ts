import { isKnown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { cloudFnLabel } from './cloud.js';

export default defineRule({
  meta: {
    id: 'GCP-02',
    title: 'Google Cloud function invocable by allUsers or allAuthenticatedUsers',
    severity: 'high',
    category: 'unauthenticated-trigger',
    cwe: ['CWE-306'],
    sas: 'SAS-2',
    description:
      '`roles/cloudfunctions.invoker` (or `roles/run.invoker` for gen2) is granted to `allUsers` (anyone on the internet, no authentication) or `allAuthenticatedUsers` (anyone with any Google account, which is no real restriction). Anyone can then call the function, run up its cost and reach its code with crafted input.',
    remediation: {
      general:
        'Grant the invoker role only to the service accounts or groups that call the function; if it must be public, authenticate requests in the function (or put it behind API Gateway / IAP) and treat all input as hostile.',
      terraform:
        'Remove the `google_cloudfunctions_function_iam_member` / `google_cloudfunctions2_function_iam_member` / `google_cloud_run_service_iam_member` with `member = "allUsers"` (or `allAuthenticatedUsers`); grant `serviceAccount:caller@...` instead.',
    },
    formats: ['terraform'],
    references: ['Checkov CKV_GCP_107'],
    precision: 'high',
  },
  check(ctx) {
    for (const fn of ctx.app.functions) {
      if (fn.provider !== 'gcp') continue;
      for (const m of fn.cloud?.invokers ?? []) {
        if (!isKnown(m)) continue;
        const member = m.trim();
        if (member !== 'allUsers' && member !== 'allAuthenticatedUsers') continue;
        const who = member === 'allUsers' ? 'anyone on the internet, without authentication' : 'anyone with a Google account';
        ctx.report({
          fn,
          message: `Google Cloud function ${cloudFnLabel(fn)} can be invoked by ${member}: ${who} can call it.`,
          key: `invoker:${member}`,
        });
      }
    }
  },
});
