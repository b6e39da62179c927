import type { ApiStage } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { apiLabel } from '../log/apiLabel.js';

function stageThrottled(s: ApiStage): boolean {
  // Unknown values count as set: the rule only flags what it can see is missing.
  return s.throttling !== undefined && (s.throttling.rateLimit !== undefined || s.throttling.burstLimit !== undefined);
}

export default defineRule({
  meta: {
    id: 'CFG-03',
    title: 'API stage on default throttling',
    severity: 'medium',
    category: 'denial-of-wallet',
    cwe: ['CWE-770'],
    sas: 'SAS-8',
    description:
      'The API sets no stage or method throttling and no usage plan, so it accepts up to the account-wide API Gateway limit (10,000 requests per second). Every accepted request invokes a function: a flood turns directly into Lambda cost and throttling of everything else in the account.',
    remediation: {
      general: 'Set a rate and burst limit on the API stage (or a usage plan) sized to the expected traffic.',
      serverless:
        'REST API: `provider.apiGateway.usagePlan: { throttle: { rateLimit: 100, burstLimit: 200 } }`. HTTP API: configure `DefaultRouteSettings` throttling on the stage in `resources:`.',
      cloudformation:
        'Set `MethodSettings: [{ HttpMethod: "*", ResourcePath: "/*", ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 }]` on the `AWS::ApiGateway::Stage` (`DefaultRouteSettings` for `AWS::ApiGatewayV2::Stage`).',
      sam: 'Set `MethodSettings` with `ThrottlingRateLimit`/`ThrottlingBurstLimit` on the `AWS::Serverless::Api` (`DefaultRouteSettings` on `AWS::Serverless::HttpApi`).',
      terraform:
        'Add an `aws_api_gateway_method_settings` with `settings { throttling_rate_limit = 100, throttling_burst_limit = 200 }` (`default_route_settings` on `aws_apigatewayv2_stage`).',
      cdk: 'Pass `deployOptions: { throttlingRateLimit: 100, throttlingBurstLimit: 200 }` to the `RestApi`.',
    },
    formats: ['serverless', 'cloudformation', 'sam', 'cdk', 'terraform'],
    references: ['serverless-rules ES2003', 'cdk-nag Serverless-APIGWDefaultThrottling'],
    precision: 'medium',
  },
  check(ctx) {
    for (const api of ctx.app.apis) {
      if (api.usagePlanThrottling && (api.usagePlanThrottling.rateLimit !== undefined || api.usagePlanThrottling.burstLimit !== undefined))
        continue;
      if (api.stages.some(stageThrottled)) continue;
      const fns = ctx.app.functions.filter((f) => f.triggers.some((t) => t.apiId === api.id));
      const fnNote =
        fns.length > 0
          ? ` (it invokes ${fns
              .map((f) => `'${f.name}'`)
              .slice(0, 3)
              .join(', ')}${fns.length > 3 ? ', ...' : ''})`
          : '';
      const where = api.stages[0]?.where ?? api.where;
      ctx.report({
        fn: fns.length === 1 ? fns[0] : null,
        resource: api.id,
        where,
        message: `API ${apiLabel(api)} has no stage throttling and no usage plan${fnNote}: it accepts up to the account-wide limit of 10,000 requests per second. Set a rate and burst limit.`,
        key: `api:${api.id}`,
      });
    }
  },
});
