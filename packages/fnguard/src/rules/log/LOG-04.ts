import { isUnknown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { apiFunction, apiLabel, stageLabel } from './apiLabel.js';

export default defineRule({
  meta: {
    id: 'LOG-04',
    title: 'REST API stage without execution logging',
    severity: 'low',
    category: 'missing-logging',
    cwe: ['CWE-778'],
    sas: 'SAS-5',
    description:
      'The REST API stage does not set an execution logging level (`ERROR` or `INFO`) for all methods, so authorizer failures, integration errors and throttling decisions are not logged. (Do not combine `INFO` with data tracing: see LOG-05.)',
    remediation: {
      general:
        "Set the stage's execution logging level to `ERROR` (or `INFO`) for all methods (`/*/*`). API Gateway needs an account-level CloudWatch role for this.",
      serverless: 'Set `provider.logs.restApi: { executionLogging: true, level: ERROR }`.',
      cloudformation:
        'Set `MethodSettings: [{ ResourcePath: "/*", HttpMethod: "*", LoggingLevel: ERROR }]` on the `AWS::ApiGateway::Stage`.',
      sam: 'Set `MethodSettings` with `LoggingLevel: ERROR` on the `AWS::Serverless::Api`.',
      terraform: 'Add `aws_api_gateway_method_settings` with `method_path = "*/*"` and `settings { logging_level = "ERROR" }`.',
      cdk: 'Pass `deployOptions: { loggingLevel: MethodLoggingLevel.ERROR }` to the `RestApi`.',
    },
    formats: ['serverless', 'cloudformation', 'sam', 'cdk', 'terraform'],
    references: ['cdk-nag AwsSolutions-APIG6', 'Checkov CKV2_AWS_4'],
    precision: 'high',
  },
  check(ctx) {
    for (const api of ctx.app.apis) {
      if (api.kind !== 'rest') continue;
      const fn = apiFunction(ctx.app, api);
      for (const s of api.stages) {
        const level = s.loggingLevel;
        if (isUnknown(level)) continue;
        if (level !== undefined && level.toUpperCase() !== 'OFF') continue;
        ctx.report({
          fn,
          resource: api.id,
          where: s.where,
          message: `REST API ${apiLabel(api)} ${stageLabel(s)} has ${level === undefined ? 'no execution logging level' : 'execution logging OFF'}: authorizer and integration errors are not logged.`,
          key: `no-execution-log:${api.id}:${typeof s.name === 'string' ? s.name : ''}`,
        });
      }
    }
  },
});
