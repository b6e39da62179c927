import { isKnown, isUnknown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';

export default defineRule({
  meta: {
    id: 'SUP-04',
    title: 'Layer shared with every AWS account',
    severity: 'medium',
    category: 'sensitive-data-exposure',
    cwe: ['CWE-200'],
    sas: 'SAS-3',
    description:
      'A layer version permission grants `lambda:GetLayerVersion` to principal `*` without an organization condition: any AWS account can download the layer. Layers often contain internal code, configuration and sometimes credentials.',
    remediation: {
      general: 'Share the layer with specific account ids, or with `*` plus your organization id only.',
      cloudformation:
        'On the `AWS::Lambda::LayerVersionPermission`, set `Principal` to an account id, or keep `*` and set `OrganizationId`.',
      sam: 'On the `AWS::Lambda::LayerVersionPermission`, set `Principal` to an account id, or keep `*` and set `OrganizationId`.',
      terraform: 'On the `aws_lambda_layer_version_permission`, set `principal` to an account id, or keep `*` and set `organization_id`.',
    },
    formats: ['cloudformation', 'sam', 'cdk', 'terraform'],
    references: ['novel (Checkov lists the resource type only)'],
    precision: 'high',
  },
  check(ctx) {
    for (const layer of ctx.app.layers) {
      for (const p of layer.permissions) {
        if (!isKnown(p.principal) || p.principal.trim() !== '*') continue;
        if (p.organizationId !== undefined && (isUnknown(p.organizationId) || p.organizationId.length > 0)) continue;
        const name = isKnown(layer.name) ? layer.name : layer.id;
        ctx.report({
          resource: layer.id,
          where: p.where,
          message: `Layer '${name}' can be downloaded by every AWS account (principal "*" without an organization id).`,
          key: `public-layer:${layer.id}`,
        });
      }
    }
  },
});
