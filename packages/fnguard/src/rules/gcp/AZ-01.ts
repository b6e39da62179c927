import { isUnknown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { cloudFnLabel } from './cloud.js';

export default defineRule({
  meta: {
    id: 'AZ-01',
    title: 'Azure function app without App Service authentication',
    severity: 'medium',
    category: 'broken-authentication',
    cwe: ['CWE-306'],
    sas: 'SAS-2',
    description:
      'The function app does not enable App Service authentication (Easy Auth: `auth_settings` / `auth_settings_v2`). HTTP functions are then protected by function keys at best, shared secrets that end up in URLs, logs and client code, and by nothing for functions whose `authLevel` is `anonymous`. An anonymous HTTP trigger on such an app is reported at high severity.',
    remediation: {
      general:
        'Enable App Service authentication with an identity provider (Microsoft Entra ID) and require authenticated requests; keep function keys as a second layer only.',
      terraform:
        'Add `auth_settings_v2 { auth_enabled = true, require_authentication = true, unauthenticated_action = "Return401", active_directory_v2 { ... } }` to the `azurerm_linux_function_app` / `azurerm_windows_function_app`.',
    },
    formats: ['terraform'],
    references: ['Checkov CKV_AZURE_56'],
    precision: 'medium',
  },
  check(ctx) {
    for (const fn of ctx.app.functions) {
      if (fn.provider !== 'azure') continue;
      const a = fn.cloud?.authEnabled;
      if (a === true || isUnknown(a)) continue;
      const anonymous = fn.triggers.some((t) => (t.kind === 'http' || t.public === true) && t.auth.type === 'none');
      ctx.report({
        fn,
        severity: anonymous ? 'high' : 'medium',
        message: anonymous
          ? `Azure function app ${cloudFnLabel(fn)} has no App Service authentication and an anonymous HTTP trigger: anyone can call it.`
          : `Azure function app ${cloudFnLabel(fn)} has no App Service authentication: its HTTP functions rely on function keys at most.`,
        key: 'no-app-service-auth',
      });
    }
  },
});
