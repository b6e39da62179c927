import { isKnown, isUnknown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { apiFunction, apiLabel, stageLabel } from './apiLabel.js';

export default defineRule({
  meta: {
    id: 'LOG-06',
    title: 'REST API stage or AppSync API without X-Ray tracing',
    severity: 'low',
    category: 'missing-logging',
    cwe: ['CWE-778'],
    sas: 'SAS-5',
    description:
      'X-Ray tracing is off on the REST API stage (or the AppSync API), so a request cannot be followed from the API into the functions and services behind it. (HTTP APIs do not support X-Ray and are not checked.)',
    remediation: {
      general: 'Enable X-Ray tracing on the REST API stage or AppSync API.',
      serverless: 'Set `provider.tracing.apiGateway: true`.',
      cloudformation: 'Set `TracingEnabled: true` on the `AWS::ApiGateway::Stage` (`XrayEnabled: true` on `AWS::AppSync::GraphQLApi`).',
      sam: 'Set `TracingEnabled: true` on the `AWS::Serverless::Api` (or `Globals.Api`).',
      terraform: 'Set `xray_tracing_enabled = true` on the `aws_api_gateway_stage` (`xray_enabled` on `aws_appsync_graphql_api`).',
      cdk: 'Pass `deployOptions: { tracingEnabled: true }` to the `RestApi`.',
    },
    formats: ['serverless', 'cloudformation', 'sam', 'cdk', 'terraform'],
    references: [
      'Checkov CKV_AWS_73',
      'serverless-rules WS2002',
      'serverless-rules WS3000',
      'cdk-nag Serverless-APIGWXrayEnabled',
      'Trivy AWS-0003',
    ],
    precision: 'high',
  },
  check(ctx) {
    for (const api of ctx.app.apis) {
      if (api.kind !== 'rest') continue;
      const fn = apiFunction(ctx.app, api);
      for (const s of api.stages) {
        if (s.tracingEnabled === true || isUnknown(s.tracingEnabled)) continue;
        ctx.report({
          fn,
          resource: api.id,
          where: s.where,
          message: `REST API ${apiLabel(api)} ${stageLabel(s)} has X-Ray tracing off: requests cannot be followed into the functions behind it.`,
          key: `api-tracing:${api.id}:${typeof s.name === 'string' ? s.name : ''}`,
        });
      }
    }
    for (const r of ctx.app.resources) {
      if (r.type !== 'appsync-api') continue;
      const t = r.props.tracingEnabled ?? r.props.xrayEnabled;
      if (t === true || isUnknown(t)) continue;
      ctx.report({
        resource: r.id,
        where: r.where,
        message: `AppSync API '${isKnown(r.name) ? r.name : r.id}' has X-Ray tracing off.`,
        key: `appsync-tracing:${r.id}`,
      });
    }
  },
});
