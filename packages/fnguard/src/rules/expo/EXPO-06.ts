import { isKnown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { routeLabel } from '../lib/api.js';

export default defineRule({
  meta: {
    id: 'EXPO-06',
    title: 'HTTP API route or WebSocket $connect without authorization',
    severity: 'high',
    category: 'unauthenticated-trigger',
    cwe: ['CWE-306'],
    sas: 'SAS-2',
    description:
      'An API Gateway HTTP API (v2) route, or a WebSocket API `$connect` route, invokes the function with no authorizer: anyone on the internet can call it. In the Serverless Framework this is an `httpApi` or `websocket` event with no `authorizer`. An authorizer that cannot be resolved statically counts as present.',
    remediation: {
      general: 'Attach a JWT, Lambda or IAM authorizer to the route (for WebSocket APIs, to `$connect`).',
      serverless:
        'Define `provider.httpApi.authorizers` and set `authorizer: { name: ... }` on the `httpApi` event (for `websocket`, on the `$connect` route).',
      cloudformation: 'Set `AuthorizationType` (`JWT`, `CUSTOM`, `AWS_IAM`) and `AuthorizerId` on the `AWS::ApiGatewayV2::Route`.',
      sam: 'Set `Auth.DefaultAuthorizer` on the `AWS::Serverless::HttpApi`, or `Auth.Authorizer` on the `HttpApi` event.',
      terraform: 'Set `authorization_type` and `authorizer_id` on `aws_apigatewayv2_route`.',
      cdk: 'Pass `defaultAuthorizer` to the `HttpApi`, or `authorizer` to `addRoutes`.',
    },
    formats: ['serverless', 'sam', 'cloudformation', 'cdk', 'terraform'],
    references: ['Checkov CKV_AWS_309', 'Prowler apigatewayv2_api_authorizers_enabled'],
    precision: 'high',
  },
  check(ctx) {
    for (const fn of ctx.app.functions) {
      for (const t of fn.triggers) {
        if (t.kind !== 'http-api' && t.kind !== 'websocket') continue;
        if (t.public === false) continue;
        if (t.auth.type !== 'none') continue;
        if (t.kind === 'http-api' && (t.method ?? '').toUpperCase() === 'OPTIONS') continue;
        if (t.kind === 'websocket') {
          const route = isKnown(t.path) ? t.path : undefined;
          if (route !== '$connect') continue;
          ctx.report({
            fn,
            where: t.where,
            message: `Function '${fn.name}' handles the WebSocket $connect route without any authorization.`,
            key: 'websocket|$connect',
          });
          continue;
        }
        const route = routeLabel(t);
        ctx.report({
          fn,
          where: t.where,
          message: `Function '${fn.name}' is invoked by HTTP API route ${route} without any authorization.`,
          key: `httpapi|${route}`,
        });
      }
    }
  },
});
