import { isKnown, isUnknown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { apiLabel } from '../lib/api.js';

/** True for a security policy that still accepts TLS 1.0/1.1. */
export function allowsOldTls(policy: string): boolean {
  return /TLS_?1_?[01](?!\d)/i.test(policy.replace(/\./g, '_')) && !/TLS_?1_?[23]/i.test(policy.replace(/\./g, '_'));
}

export default defineRule({
  meta: {
    id: 'EXPO-11',
    title: 'API custom domain allows TLS below 1.2',
    severity: 'medium',
    category: 'insecure-config',
    cwe: ['CWE-326'],
    sas: 'SAS-3',
    description:
      'An API Gateway custom domain uses the `TLS_1_0` security policy, which accepts TLS 1.0/1.1 with weak ciphers. A domain with no `SecurityPolicy` set is reported at low severity, because older API Gateway defaults allowed TLS 1.0.',
    remediation: {
      general: "Set the custom domain's security policy to `TLS_1_2` (or a newer TLS 1.3 policy).",
      serverless:
        'Set `securityPolicy: tls_1_2` in the `serverless-domain-manager` `customDomain` settings, or `SecurityPolicy: TLS_1_2` on the domain in `resources:`.',
      cloudformation: 'Set `SecurityPolicy: TLS_1_2` on `AWS::ApiGateway::DomainName` / `AWS::ApiGatewayV2::DomainName`.',
      sam: 'Set `Domain.SecurityPolicy: TLS_1_2` on the `AWS::Serverless::Api`/`HttpApi`.',
      terraform: 'Set `security_policy = "TLS_1_2"` on `aws_api_gateway_domain_name` (or `domain_name_configuration.security_policy`).',
      cdk: 'Pass `securityPolicy: SecurityPolicy.TLS_1_2` to the domain.',
    },
    formats: ['serverless', 'sam', 'cloudformation', 'cdk', 'terraform'],
    references: ['Checkov CKV_AWS_206', 'Trivy AWS-0005', 'Trivy AWS-0112'],
    precision: 'high',
  },
  check(ctx) {
    for (const api of ctx.app.apis) {
      for (const d of api.domains ?? []) {
        const name = isKnown(d.name) ? d.name : isUnknown(d.name) ? d.name.expr : api.id;
        if (d.securityPolicy === undefined) {
          ctx.report({
            resource: api.id,
            where: d.where,
            severity: 'low',
            message: `Custom domain '${name}' of API '${apiLabel(api)}' does not set a TLS security policy; set TLS_1_2 explicitly.`,
            key: `tls-unset|${name}`,
          });
          continue;
        }
        if (!isKnown(d.securityPolicy) || !allowsOldTls(d.securityPolicy)) continue;
        ctx.report({
          resource: api.id,
          where: d.where,
          message: `Custom domain '${name}' of API '${apiLabel(api)}' allows TLS below 1.2 (security policy ${d.securityPolicy}).`,
          key: `tls-old|${name}`,
        });
      }
    }
  },
});
