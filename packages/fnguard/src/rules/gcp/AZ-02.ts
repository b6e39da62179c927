import { isUnknown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { cloudFnLabel, cloudSetting } from './cloud.js';

export default defineRule({
  meta: {
    id: 'AZ-02',
    title: 'Azure function app accepts plain HTTP or FTP',
    severity: 'medium',
    category: 'insecure-config',
    cwe: ['CWE-319'],
    sas: 'SAS-3',
    description:
      'The function app does not set `https_only = true` (the azurerm default is false), so it answers plain-HTTP requests; or it allows plain FTP deployment (`ftps_state = "AllAllowed"`), which sends deployment credentials unencrypted. Both expose tokens, keys and data to anyone on the network path.',
    remediation: {
      general: 'Accept HTTPS only and disable FTP (or allow FTPS only).',
      terraform:
        'Set `https_only = true` and `site_config { ftps_state = "Disabled" }` on the `azurerm_linux_function_app` / `azurerm_windows_function_app`.',
    },
    formats: ['terraform'],
    references: ['Checkov CKV_AZURE_70'],
    precision: 'high',
  },
  check(ctx) {
    for (const fn of ctx.app.functions) {
      if (fn.provider !== 'azure') continue;
      const h = fn.cloud?.httpsOnly;
      if (h !== true && !isUnknown(h)) {
        ctx.report({
          fn,
          message: `Azure function app ${cloudFnLabel(fn)} ${h === false ? 'sets https_only = false' : 'does not set https_only (default false)'}: it answers plain-HTTP requests.`,
          key: 'https-only',
        });
      }
      const ftps = cloudSetting(fn, 'ftpsState', 'ftps_state');
      if (typeof ftps === 'string' && ftps.toLowerCase() === 'allallowed') {
        ctx.report({
          fn,
          message: `Azure function app ${cloudFnLabel(fn)} allows plain FTP deployment (ftps_state = AllAllowed): deployment credentials travel unencrypted.`,
          key: 'ftp',
        });
      }
    }
  },
});
