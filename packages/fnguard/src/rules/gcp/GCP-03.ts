import { defineRule } from '../defineRule.js';
import { cloudFnLabel } from './cloud.js';

export default defineRule({
  meta: {
    id: 'GCP-03',
    title: 'Google Cloud HTTP function accepts plain HTTP',
    severity: 'medium',
    category: 'insecure-config',
    cwe: ['CWE-319'],
    sas: 'SAS-3',
    description:
      'A 1st-gen HTTP function with `https_trigger_security_level = "SECURE_OPTIONAL"` answers plain-HTTP requests: tokens and data in those requests travel unencrypted and can be read or changed on the way.',
    remediation: {
      general: 'Accept HTTPS only.',
      terraform:
        'Set `https_trigger_security_level = "SECURE_ALWAYS"` on the `google_cloudfunctions_function` (gen2 functions are HTTPS-only).',
    },
    formats: ['terraform'],
    references: ['Checkov CKV2_GCP_10'],
    precision: 'high',
  },
  check(ctx) {
    for (const fn of ctx.app.functions) {
      if (fn.provider !== 'gcp' || fn.cloud?.httpsOnly !== false) continue;
      ctx.report({
        fn,
        message: `Google Cloud function ${cloudFnLabel(fn)} accepts plain-HTTP requests: set its security level to SECURE_ALWAYS.`,
        key: 'http-allowed',
      });
    }
  },
});
