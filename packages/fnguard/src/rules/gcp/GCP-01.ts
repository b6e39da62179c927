import { isKnown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { identityOf } from '../lib/functions.js';
import { cloudFnLabel } from './cloud.js';

/** Default service accounts: Compute Engine (gen2 / Cloud Run) and App Engine (gen1). */
const DEFAULT_SA = /^(\d+-compute@developer\.gserviceaccount\.com|[a-z0-9-]+@appspot\.gserviceaccount\.com)$/i;

export default defineRule({
  meta: {
    id: 'GCP-01',
    title: 'Google Cloud function runs as the default service account',
    severity: 'high',
    category: 'over-privileged-iam',
    cwe: ['CWE-250'],
    sas: 'SAS-4',
    description:
      "The function sets no service account (or names a default one), so it runs as the project's default compute (gen2) or App Engine (gen1) service account. In most projects that account holds the Editor role: code execution in the function (an injection, a malicious dependency) can then read and change almost everything in the project.",
    remediation: {
      general: 'Create a dedicated service account for the function, grant it only the roles it needs, and set it on the function.',
      terraform:
        'Create a `google_service_account` and set `service_config { service_account_email = google_service_account.fn.email }` (gen2, `google_cloudfunctions2_function`) or `service_account_email` (gen1, `google_cloudfunctions_function`).',
    },
    formats: ['terraform'],
    references: ['Google Cloud Functions documentation: function identity (user-managed service account)'],
    precision: 'high',
  },
  check(ctx) {
    for (const fn of ctx.app.functions) {
      if (fn.provider !== 'gcp') continue;
      const id = identityOf(ctx.app, fn);
      if (!id) continue;
      const sa = id.serviceAccount;
      if (!isKnown(sa)) continue;
      const isDefault = sa === 'default' || DEFAULT_SA.test(sa.trim());
      if (!isDefault) continue;
      ctx.report({
        fn,
        where: id.where,
        message: `Google Cloud function ${cloudFnLabel(fn)} runs as the default ${sa === 'default' ? 'compute' : `'${sa}'`} service account, which usually has the Editor role on the whole project: give it a dedicated least-privilege service account.`,
        key: 'default-service-account',
      });
    }
  },
});
