import { defineRule } from '../defineRule.js';
import { apiIsPublic, apiLabel, triggersOfApi } from '../lib/api.js';

export default defineRule({
  meta: {
    id: 'EXPO-08',
    title: 'REST API endpoint is public',
    severity: 'info',
    category: 'unauthenticated-trigger',
    cwe: ['CWE-668'],
    sas: 'SAS-2',
    description:
      'Informational (an exposure factor of the risk score): a REST API that invokes functions has an EDGE or REGIONAL endpoint (the default) and no resource policy restricting its callers, so it is reachable from the whole internet. Internal APIs can use a PRIVATE endpoint or a resource policy limited to source VPCs or IP ranges.',
    remediation: {
      general:
        'If the API only serves internal clients, make it PRIVATE (VPC endpoint) or add a resource policy restricting `aws:SourceVpce`/`aws:SourceIp`.',
      serverless: 'Set `provider.endpointType: PRIVATE` with `vpcEndpointIds`, or `provider.apiGateway.resourcePolicy`.',
      cloudformation: 'Set `EndpointConfiguration.Types: [PRIVATE]` or a `Policy` on the `AWS::ApiGateway::RestApi`.',
      sam: 'Set `EndpointConfiguration: { Type: PRIVATE }` or `Auth.ResourcePolicy` on the `AWS::Serverless::Api`.',
      terraform: 'Set `endpoint_configuration { types = ["PRIVATE"] }` or a `policy` on `aws_api_gateway_rest_api`.',
    },
    formats: ['serverless', 'sam', 'cloudformation', 'cdk', 'terraform'],
    references: ['KICS Serverless API Endpoint Config Not Private', 'Prowler apigateway_restapi_public'],
    precision: 'high',
  },
  check(ctx) {
    for (const api of ctx.app.apis) {
      if (api.kind !== 'rest') continue;
      if (apiIsPublic(api) !== true) continue;
      const users = triggersOfApi(ctx.app, api);
      if (users.length === 0) continue;
      const fns = [...new Set(users.map((u) => u.fn.name))];
      ctx.report({
        fn: fns.length === 1 ? users[0]?.fn : null,
        resource: api.id,
        where: api.where,
        message: `REST API '${apiLabel(api)}' is reachable from the internet (endpoint ${typeof api.endpointType === 'string' ? api.endpointType : 'EDGE (default)'}, no restricting resource policy) and invokes ${fns.map((n) => `'${n}'`).join(', ')}.`,
        key: `public-rest|${api.id}`,
      });
    }
  },
});
