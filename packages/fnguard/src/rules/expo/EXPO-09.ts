import { isUnknown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { apiIsPublic, apiLabel, triggersOfApi } from '../lib/api.js';

export default defineRule({
  meta: {
    id: 'EXPO-09',
    title: 'Public API stage or ALB without a web application firewall / authentication',
    severity: 'medium',
    category: 'insecure-config',
    cwe: ['CWE-693'],
    sas: 'SAS-2',
    description:
      'A public REST API stage that invokes functions has no AWS WAFv2 web ACL associated, so there is no filtering of injection payloads, bots or floods before requests reach the function (a denial-of-wallet risk too). An internet-facing Application Load Balancer that invokes a function with no `authenticate-cognito`/`authenticate-oidc` action is reported as well. (HTTP APIs do not support WAF and are not reported.)',
    remediation: {
      general:
        'Associate a WAFv2 web ACL (with the AWS managed core rule set and a rate-based rule) with the stage; for ALBs add an authentication action or a WAF.',
      serverless: 'Add an `AWS::WAFv2::WebACLAssociation` for the stage ARN in `resources:` (or use a WAF plugin).',
      cloudformation: 'Add an `AWS::WAFv2::WebACLAssociation` whose `ResourceArn` is the stage ARN.',
      sam: 'Add an `AWS::WAFv2::WebACLAssociation` whose `ResourceArn` is the stage ARN.',
      terraform: 'Add `aws_wafv2_web_acl_association` with `resource_arn = aws_api_gateway_stage.<name>.arn`.',
      cdk: 'Add a `CfnWebACLAssociation` for `api.deploymentStage.stageArn`.',
    },
    formats: ['serverless', 'cloudformation', 'sam', 'cdk', 'terraform'],
    references: ['Checkov CKV2_AWS_29', 'Checkov CKV2_AWS_28', 'cdk-nag AwsSolutions-APIG3', 'Prowler apigateway_restapi_waf_acl_attached'],
    precision: 'medium',
  },
  check(ctx) {
    for (const api of ctx.app.apis) {
      if (api.kind !== 'rest') continue;
      if (apiIsPublic(api) !== true) continue;
      if (triggersOfApi(ctx.app, api).length === 0) continue;
      if (api.stages.length === 0) continue; // stage not modelled: cannot tell
      for (const stage of api.stages) {
        if (stage.webAclArn !== undefined) continue;
        const name = isUnknown(stage.name) ? stage.name.expr : stage.name;
        ctx.report({
          resource: api.id,
          where: stage.where,
          message: `Stage '${name}' of public REST API '${apiLabel(api)}' has no WAF web ACL.`,
          key: `waf|${api.id}|${name}`,
        });
      }
    }
    for (const fn of ctx.app.functions) {
      for (const t of fn.triggers) {
        if (t.kind !== 'alb' || t.public !== true || t.auth.type !== 'none') continue;
        ctx.report({
          fn,
          where: t.where,
          message: `Function '${fn.name}' is invoked by an internet-facing load balancer with no authentication action.`,
          key: `alb-noauth|${t.path && !isUnknown(t.path) ? t.path : ''}`,
        });
      }
    }
  },
});
