import { defineRule } from '../defineRule.js';
import { apiFunction, apiLabel, stageLabel } from './apiLabel.js';

export default defineRule({
  meta: {
    id: 'LOG-05',
    title: 'API Gateway data tracing logs full requests and responses',
    severity: 'medium',
    category: 'sensitive-data-exposure',
    cwe: ['CWE-532'],
    sas: 'SAS-7',
    description:
      'Data tracing (`DataTraceEnabled`) writes the full request and response of every call, headers and bodies included, to CloudWatch Logs: bearer tokens, API keys, passwords and personal data end up in logs that many more people can read. AWS advises against it in production.',
    remediation: {
      general: 'Turn data tracing off; use access logs and execution logging at `ERROR` level instead.',
      serverless: 'Set `provider.logs.restApi.fullExecutionData: false`.',
      cloudformation: 'Set `DataTraceEnabled: false` in the stage `MethodSettings`.',
      sam: 'Set `DataTraceEnabled: false` in the `AWS::Serverless::Api` `MethodSettings`.',
      terraform: 'Set `data_trace_enabled = false` in the `aws_api_gateway_method_settings` `settings` block.',
      cdk: 'Pass `deployOptions: { dataTraceEnabled: false }`.',
    },
    formats: ['serverless', 'cloudformation', 'sam', 'cdk', 'terraform'],
    references: ['Checkov CKV_AWS_276'],
    precision: 'high',
  },
  check(ctx) {
    for (const api of ctx.app.apis) {
      const fn = apiFunction(ctx.app, api);
      for (const s of api.stages) {
        if (s.dataTraceEnabled !== true) continue;
        ctx.report({
          fn,
          resource: api.id,
          where: s.where,
          message: `API ${apiLabel(api)} ${stageLabel(s)} enables data tracing: full requests and responses, including tokens and personal data, are written to CloudWatch Logs.`,
          key: `data-trace:${api.id}:${typeof s.name === 'string' ? s.name : ''}`,
        });
      }
    }
  },
});
