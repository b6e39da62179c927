import { isKnown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { apiFunction, apiLabel, stageLabel } from './apiLabel.js';

export default defineRule({
  meta: {
    id: 'LOG-03',
    title: 'API Gateway access logging disabled or not structured',
    severity: 'medium',
    category: 'missing-logging',
    cwe: ['CWE-778'],
    sas: 'SAS-5',
    description:
      'The API writes no access log, so there is no record of who called which route, from where, with what result: the first thing an incident responder asks for. An access log in a non-JSON format is reported at low severity: it is hard to query and alert on.',
    remediation: {
      general:
        'Enable access logging on every API stage to a CloudWatch log group, in JSON format with at least requestId, sourceIp, identity, routeKey/resourcePath, status and integration error.',
      serverless:
        'Set `provider.logs.restApi: true` (REST) or `provider.logs.httpApi: true` (HTTP API); `format` may override the JSON format.',
      cloudformation:
        'Set `AccessLogSetting: { DestinationArn: ..., Format: \'{"requestId":"$context.requestId",...}\' }` on the stage (`AccessLogSettings` for API Gateway v2).',
      sam: 'Set `AccessLogSetting` on the `AWS::Serverless::Api` (`AccessLogSettings` on `AWS::Serverless::HttpApi`).',
      terraform:
        'Add `access_log_settings { destination_arn = ..., format = jsonencode({...}) }` to the `aws_api_gateway_stage` / `aws_apigatewayv2_stage`.',
      cdk: 'Pass `deployOptions: { accessLogDestination: new LogGroupLogDestination(group), accessLogFormat: AccessLogFormat.jsonWithStandardFields() }`.',
    },
    formats: ['serverless', 'cloudformation', 'sam', 'cdk', 'terraform'],
    references: [
      'Checkov CKV_AWS_76',
      'Checkov CKV_AWS_95',
      'cdk-nag AwsSolutions-APIG1',
      'serverless-rules ES2000',
      'serverless-rules WS2001',
      'Trivy AWS-0001',
    ],
    precision: 'high',
  },
  check(ctx) {
    for (const api of ctx.app.apis) {
      const fn = apiFunction(ctx.app, api);
      if (api.stages.length === 0) {
        // Serverless Framework: a stage exists implicitly; with no `logs.restApi/httpApi` it has no access log.
        if (api.where.file && ctx.app.functions.some((f) => f.format === 'serverless' && f.triggers.some((t) => t.apiId === api.id))) {
          ctx.report({
            fn,
            resource: api.id,
            where: api.where,
            message: `API ${apiLabel(api)} has no access logging: there is no record of who called it.`,
            key: `no-access-log:${api.id}`,
          });
        }
        continue;
      }
      for (const s of api.stages) {
        const key = `${api.id}:${typeof s.name === 'string' ? s.name : ''}`;
        if (!s.accessLogging) {
          ctx.report({
            fn,
            resource: api.id,
            where: s.where,
            message: `API ${apiLabel(api)} ${stageLabel(s)} has no access logging: there is no record of who called it.`,
            key: `no-access-log:${key}`,
          });
          continue;
        }
        const f = s.accessLogging.format;
        if (isKnown(f) && !f.trim().startsWith('{')) {
          ctx.report({
            fn,
            resource: api.id,
            where: s.where,
            severity: 'low',
            message: `API ${apiLabel(api)} ${stageLabel(s)} writes access logs in a non-JSON format: use JSON so they can be queried and alerted on.`,
            key: `non-json-access-log:${key}`,
          });
        }
      }
    }
  },
});
