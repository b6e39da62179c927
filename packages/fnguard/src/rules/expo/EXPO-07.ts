import { defineRule } from '../defineRule.js';
import { routeLabel } from '../lib/api.js';

export default defineRule({
  meta: {
    id: 'EXPO-07',
    title: 'API key is the only access control',
    severity: 'medium',
    category: 'broken-authentication',
    cwe: ['CWE-287'],
    sas: 'SAS-2',
    description:
      'A public REST API route requires an API key (`private: true` in the Serverless Framework, `ApiKeyRequired: true`) but has no authorizer. API keys are meant for usage plans and metering: they are long-lived shared strings, often embedded in front-end code, identify no user, and AWS advises against using them for authorization.',
    remediation: {
      general: 'Keep the API key for metering if needed, and add a real authorizer (Cognito, JWT/Lambda authorizer, or AWS_IAM).',
      serverless: 'Add `authorizer:` to the `http` event in addition to `private: true`.',
      cloudformation: 'Set `AuthorizationType` and `AuthorizerId` on the method in addition to `ApiKeyRequired`.',
      sam: 'Add `Auth.Authorizer` to the event in addition to `Auth.ApiKeyRequired`.',
      terraform: 'Set `authorization` and `authorizer_id` on `aws_api_gateway_method` in addition to `api_key_required`.',
      cdk: 'Pass an `authorizer` to `addMethod` in addition to `apiKeyRequired`.',
    },
    formats: ['serverless', 'sam', 'cloudformation', 'cdk', 'terraform'],
    references: ['cdk-nag AwsSolutions-COG4'],
    precision: 'high',
  },
  check(ctx) {
    for (const fn of ctx.app.functions) {
      for (const t of fn.triggers) {
        if (t.kind !== 'rest-api') continue;
        if (t.public === false) continue;
        if ((t.method ?? '').toUpperCase() === 'OPTIONS') continue;
        const keyOnly = t.auth.type === 'api-key' || (t.auth.type === 'none' && t.auth.apiKeyRequired === true);
        if (!keyOnly) continue;
        const route = routeLabel(t);
        ctx.report({
          fn,
          where: t.auth.where ?? t.where,
          message: `Function '${fn.name}' is protected only by an API key on REST API route ${route}; there is no authorizer.`,
          key: `apikey-only|${route}`,
        });
      }
    }
  },
});
