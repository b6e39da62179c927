import { defineRule } from '../defineRule.js';
import { routeLabel } from '../lib/api.js';

export default defineRule({
  meta: {
    id: 'EXPO-05',
    title: 'REST API route without authorization',
    severity: 'high',
    category: 'unauthenticated-trigger',
    cwe: ['CWE-306'],
    sas: 'SAS-2',
    description:
      'A public API Gateway REST API method (other than `OPTIONS`) that invokes the function has `AuthorizationType: NONE` and does not require an API key: anyone on the internet can call it. In the Serverless Framework this is an `http` event with no `authorizer` and no `private: true`. An authorizer that cannot be resolved statically counts as present.',
    remediation: {
      general:
        'Add an authorizer (Cognito user pool, JWT/Lambda authorizer, or AWS_IAM) to the method. If the route is meant to be public, suppress the finding with a reason.',
      serverless: 'Add `authorizer: { type: COGNITO_USER_POOLS, authorizerId: ... }` (or `authorizer: aws_iam`) to the `http` event.',
      cloudformation:
        'Set `AuthorizationType` to `COGNITO_USER_POOLS`, `CUSTOM` or `AWS_IAM` (with `AuthorizerId`) on the `AWS::ApiGateway::Method`.',
      sam: 'Set `Auth.DefaultAuthorizer` on the `AWS::Serverless::Api`, or `Auth.Authorizer` on the `Api` event.',
      terraform: 'Set `authorization` to `COGNITO_USER_POOLS`, `CUSTOM` or `AWS_IAM` (with `authorizer_id`) on `aws_api_gateway_method`.',
      cdk: 'Pass `authorizer` (and `authorizationType`) in `defaultMethodOptions` of the `RestApi` or to `addMethod`.',
    },
    formats: ['serverless', 'sam', 'cloudformation', 'cdk', 'terraform'],
    references: [
      'Checkov CKV_AWS_59',
      'Checkov CKV2_AWS_70',
      'cdk-nag AwsSolutions-APIG4',
      'Trivy AWS-0004',
      'Prowler apigateway_restapi_authorizers_enabled',
    ],
    precision: 'high',
  },
  check(ctx) {
    for (const fn of ctx.app.functions) {
      for (const t of fn.triggers) {
        if (t.kind !== 'rest-api') continue;
        if (t.public === false) continue;
        if ((t.method ?? '').toUpperCase() === 'OPTIONS') continue;
        if (t.auth.type !== 'none' || t.auth.apiKeyRequired) continue;
        const route = routeLabel(t);
        ctx.report({
          fn,
          where: t.where,
          message: `Function '${fn.name}' is invoked by REST API route ${route} without any authorization.`,
          key: `rest|${route}`,
        });
      }
    }
  },
});
