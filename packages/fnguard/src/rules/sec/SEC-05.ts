import { isNonSecretValue, redact, secretDigest } from '../../analyze/secrets/value.js';
import { isKnown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { apiLabel } from '../lib/api.js';

export default defineRule({
  meta: {
    id: 'SEC-05',
    title: 'Hard-coded API Gateway API key value',
    severity: 'medium',
    category: 'hard-coded-secret',
    cwe: ['CWE-798'],
    sas: 'SAS-7',
    description:
      'An API Gateway API key has its value written in the configuration (Serverless `provider.apiGateway.apiKeys[].value`, `AWS::ApiGateway::ApiKey.Value`, Terraform `aws_api_gateway_api_key.value`). The key is then in the repository history for good, identical in every environment deployed from it, and cannot be rotated without a code change.',
    remediation: {
      general:
        'Let API Gateway generate the key value (omit the value) and distribute it out of band, or pass it in from a secret store at deploy time; rotate the exposed key.',
      serverless: 'Remove `value:` from the `apiKeys` entry (keep `name:`).',
      cloudformation: 'Remove `Value` from the `AWS::ApiGateway::ApiKey` (or set `GenerateDistinctId: true`).',
      sam: 'Remove `Value` from the `AWS::ApiGateway::ApiKey`.',
      terraform: 'Remove `value` from `aws_api_gateway_api_key`.',
    },
    formats: ['serverless', 'sam', 'cloudformation', 'cdk', 'terraform'],
    references: ['Serverless Framework docs events/apigateway.md (Setting API keys)'],
    precision: 'high',
  },
  check(ctx) {
    for (const api of ctx.app.apis) {
      for (const k of api.apiKeys ?? []) {
        if (!isKnown(k.value) || isNonSecretValue(k.value)) continue;
        const name = isKnown(k.name) ? k.name : 'unnamed';
        ctx.report({
          resource: api.id,
          where: k.where,
          message: `API key '${name}' of API '${apiLabel(api)}' has a hard-coded value (${redact(k.value)}).`,
          key: `apikey|${name}|${secretDigest(k.value)}`,
        });
      }
    }
  },
});
