import { defineRule } from '../defineRule.js';
import { apiLabel, triggersOfApi } from '../lib/api.js';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'ANY']);

export default defineRule({
  meta: {
    id: 'EXPO-10',
    title: 'REST API without request validation',
    severity: 'low',
    category: 'insecure-config',
    cwe: ['CWE-20'],
    sas: 'SAS-1',
    description:
      'A REST API that invokes functions has no request validator (no `RequestValidator` / request models), so malformed or malicious payloads reach the function unchecked. Low when a route accepts a body (POST/PUT/PATCH/ANY), info otherwise. (Schema validation inside the handler code is checked separately.)',
    remediation: {
      general:
        'Add a request validator with JSON-schema models for request bodies and required parameters, and validate input in the handler too.',
      serverless: 'Add `request: { schemas: { application/json: ${file(schemas/order.json)} } }` to the `http` event.',
      cloudformation: 'Add an `AWS::ApiGateway::RequestValidator` and set `RequestValidatorId` and `RequestModels` on the methods.',
      sam: 'Use `RequestModel: { Model: Order, Required: true, ValidateBody: true }` on the `Api` event.',
      terraform: 'Add `aws_api_gateway_request_validator` and set `request_validator_id` / `request_models` on `aws_api_gateway_method`.',
      cdk: 'Pass `requestValidatorOptions` and `requestModels` to `addMethod`.',
    },
    formats: ['serverless', 'sam', 'cloudformation', 'cdk', 'terraform'],
    references: ['cdk-nag AwsSolutions-APIG2', 'Checkov CKV2_AWS_53'],
    precision: 'medium',
  },
  check(ctx) {
    for (const api of ctx.app.apis) {
      if (api.kind !== 'rest' || api.requestValidation === true) continue;
      const users = triggersOfApi(ctx.app, api);
      if (users.length === 0) continue;
      const withBody = users.some(({ t }) => BODY_METHODS.has((t.method ?? 'ANY').toUpperCase()));
      ctx.report({
        resource: api.id,
        where: api.where,
        severity: withBody ? 'low' : 'info',
        message: `REST API '${apiLabel(api)}' has no request validation${withBody ? ' although some routes accept a request body' : ''}.`,
        key: `no-validation|${api.id}`,
      });
    }
  },
});
