import { defineRule } from '../defineRule.js';
import { cloudFnLabel, cloudSetting } from './cloud.js';

export default defineRule({
  meta: {
    id: 'AZ-03',
    title: 'Azure function app allows TLS older than 1.2',
    severity: 'medium',
    category: 'insecure-config',
    cwe: ['CWE-326'],
    sas: 'SAS-3',
    description:
      "The function app's `minimum_tls_version` is 1.0 or 1.1. These protocol versions have known weaknesses and are deprecated; allowing them lets a downgrade expose traffic. (Unset means the azurerm default, 1.2, and is not reported.)",
    remediation: {
      general: 'Require TLS 1.2 or later.',
      terraform: 'Set `site_config { minimum_tls_version = "1.2" }` (and `scm_minimum_tls_version`) on the function app.',
    },
    formats: ['terraform'],
    references: ['Checkov CKV_AZURE_145'],
    precision: 'high',
  },
  check(ctx) {
    for (const fn of ctx.app.functions) {
      if (fn.provider !== 'azure') continue;
      for (const [label, names] of [
        ['minimum_tls_version', ['minTlsVersion', 'minimumTlsVersion', 'minimum_tls_version']],
        ['scm_minimum_tls_version', ['scmMinTlsVersion', 'scmMinimumTlsVersion', 'scm_minimum_tls_version']],
      ] as const) {
        const v = cloudSetting(fn, ...names);
        if (v === undefined || (typeof v !== 'string' && typeof v !== 'number')) continue;
        const n = Number.parseFloat(String(v));
        if (Number.isNaN(n) || n >= 1.2) continue;
        ctx.report({
          fn,
          message: `Azure function app ${cloudFnLabel(fn)} sets ${label} = ${String(v)}: TLS older than 1.2 is allowed.`,
          key: `tls:${label}`,
        });
      }
    }
  },
});
