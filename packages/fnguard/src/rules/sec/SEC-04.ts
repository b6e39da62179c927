import { classifySecret, redact, secretDigest } from '../../analyze/secrets/value.js';
import { isKnown, isUnknown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { apiLabel } from '../lib/api.js';

export default defineRule({
  meta: {
    id: 'SEC-04',
    title: 'Secret in API Gateway stage variables',
    severity: 'high',
    category: 'hard-coded-secret',
    cwe: ['CWE-798'],
    sas: 'SAS-7',
    description:
      'An API Gateway stage variable holds a literal secret (or a secret resolved at deploy time). Stage variables are plain configuration: visible in the template, in the console and to anyone with `apigateway:GET`, and passed to integrations in clear text.',
    remediation: {
      general:
        'Remove the secret from the stage variables, rotate it, and have the integration read it from Secrets Manager or SSM at runtime.',
      serverless: 'Remove the secret from `provider.apiGateway` stage `variables` (or the stage resource in `resources:`).',
      cloudformation: 'Remove the secret from `Variables` of the `AWS::ApiGateway::Stage`.',
      sam: 'Remove the secret from `Variables` of the `AWS::Serverless::Api`.',
      terraform: 'Remove the secret from `variables` of `aws_api_gateway_stage`.',
    },
    formats: ['serverless', 'sam', 'cloudformation', 'cdk', 'terraform'],
    references: ['Prowler apigateway_restapi_no_secrets_in_stage_variables'],
    precision: 'high',
  },
  check(ctx) {
    for (const api of ctx.app.apis) {
      for (const stage of api.stages) {
        const stageName = isKnown(stage.name) ? stage.name : isUnknown(stage.name) ? stage.name.expr : '?';
        for (const v of stage.variables ?? []) {
          if (isKnown(v.value)) {
            const c = classifySecret(v.name, v.value);
            if (!c) continue;
            ctx.report({
              resource: api.id,
              where: v.where,
              message: `Stage variable ${v.name} of stage '${stageName}' of API '${apiLabel(api)}' holds a hard-coded secret (${c.kind}, ${redact(v.value)}).`,
              key: `stagevar|${stageName}|${v.name}|${secretDigest(v.value)}`,
            });
          } else if (isUnknown(v.value) && v.value.hint === 'secret-reference') {
            ctx.report({
              resource: api.id,
              where: v.where,
              severity: 'medium',
              message: `Stage variable ${v.name} of stage '${stageName}' of API '${apiLabel(api)}' receives a secret at deploy time, stored in plain text.`,
              key: `stagevar|${stageName}|${v.name}`,
            });
          }
        }
      }
    }
  },
});
