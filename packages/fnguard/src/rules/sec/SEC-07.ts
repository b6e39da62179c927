import { isKnown, isUnknown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { apiLabel } from '../lib/api.js';

export default defineRule({
  meta: {
    id: 'SEC-07',
    title: 'API Gateway cache enabled but not encrypted',
    severity: 'low',
    category: 'sensitive-data-exposure',
    cwe: ['CWE-311'],
    sas: 'SAS-3',
    description:
      'An API Gateway stage caches responses (`CacheClusterEnabled`/`CachingEnabled`) without `CacheDataEncrypted`: cached responses, which may contain personal data or tokens, are stored unencrypted.',
    remediation: {
      general: 'Enable cache data encryption for every stage that caches responses.',
      serverless:
        'Set `caching.cacheDataEncrypted: true` (serverless-api-gateway-caching) or `CacheDataEncrypted: true` in the stage `MethodSettings` in `resources:`.',
      cloudformation: 'Set `MethodSettings[].CacheDataEncrypted: true` on the `AWS::ApiGateway::Stage`.',
      sam: 'Set `MethodSettings[].CacheDataEncrypted: true` on the `AWS::Serverless::Api`.',
      terraform: 'Set `settings { cache_data_encrypted = true }` on `aws_api_gateway_method_settings`.',
    },
    formats: ['serverless', 'sam', 'cloudformation', 'cdk', 'terraform'],
    references: ['Checkov CKV_AWS_308', 'Trivy AWS-0002', 'Trivy AWS-0110', 'Prowler apigateway_restapi_cache_encrypted'],
    precision: 'high',
  },
  check(ctx) {
    for (const api of ctx.app.apis) {
      for (const stage of api.stages) {
        if (stage.cacheEnabled !== true) continue;
        if (stage.cacheEncrypted === true || isUnknown(stage.cacheEncrypted)) continue;
        const name = isKnown(stage.name) ? stage.name : isUnknown(stage.name) ? stage.name.expr : '?';
        ctx.report({
          resource: api.id,
          where: stage.where,
          message: `Stage '${name}' of API '${apiLabel(api)}' caches responses without encrypting the cache.`,
          key: `cache|${name}`,
        });
      }
    }
  },
});
