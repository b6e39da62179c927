import { type App, type Fn, isKnown, isUnknown, type Maybe } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { awsFunctions, sameRef } from '../lib/functions.js';
import { resolveSource } from '../lib/resources.js';

/** The enforcement of the function's code-signing config: from the Fn, or from the config resource in the project. */
function enforcement(app: App, fn: Fn): Maybe<string> | undefined {
  const cs = fn.codeSigning;
  if (!cs) return undefined;
  if (cs.enforcement !== undefined) return cs.enforcement;
  const target = isUnknown(cs.config) ? cs.config.target : undefined;
  const res = resolveSource(app, cs.config) ?? app.resources.find((r) => r.type === 'code-signing-config' && sameRef(target, r.id));
  if (res && res.type === 'code-signing-config') return res.props.untrustedArtifactOnDeployment ?? 'Warn';
  return isKnown(cs.config) ? { kind: 'unknown', expr: cs.config } : cs.config;
}

export default defineRule({
  meta: {
    id: 'SUP-02',
    title: 'Function without code signing in enforce mode',
    severity: 'medium',
    category: 'supply-chain',
    cwe: ['CWE-494'],
    sas: 'SAS-6',
    description:
      'The function has no code-signing configuration, or one that only warns. Lambda then deploys any code package uploaded by anyone who can call `UpdateFunctionCode` or write to the deployment bucket: a stolen CI credential replaces your function silently. Many teams do not sign yet, which is why this is medium: it is a hardening step, not an open door. Container-image functions cannot use Lambda code signing and are not checked.',
    remediation: {
      general:
        'Create an AWS Signer signing profile, sign the package in CI (`aws signer start-signing-job`, or `sam deploy --signing-profiles`), and attach a code-signing config with `UntrustedArtifactOnDeployment: Enforce` that lists the profile.',
      serverless:
        'The framework has no function-level option: declare an `AWS::Lambda::CodeSigningConfig` with `UntrustedArtifactOnDeployment: Enforce` in `resources:` and set it with `resources.extensions.<Name>LambdaFunction.Properties.CodeSigningConfigArn`.',
      cloudformation:
        'Declare an `AWS::Lambda::CodeSigningConfig` with `CodeSigningPolicies: { UntrustedArtifactOnDeployment: Enforce }` and set `CodeSigningConfigArn` on the function.',
      sam: 'Set `CodeSigningConfigArn` on the function and deploy with `sam deploy --signing-profiles Fn=ProfileName`.',
      terraform:
        'Declare `aws_lambda_code_signing_config` with `policies { untrusted_artifact_on_deployment = "Enforce" }` and set `code_signing_config_arn` on the `aws_lambda_function`.',
      cdk: 'Pass `codeSigningConfig: new lambda.CodeSigningConfig(this, "Csc", { signingProfiles: [profile], untrustedArtifactOnDeployment: UntrustedArtifactOnDeployment.ENFORCE })`.',
    },
    formats: ['serverless', 'cloudformation', 'sam', 'cdk', 'terraform'],
    references: ['Checkov CKV_AWS_272'],
    precision: 'high',
  },
  check(ctx) {
    for (const fn of awsFunctions(ctx.app)) {
      if (fn.packageType === 'image') continue;
      if (!fn.codeSigning) {
        ctx.report({
          fn,
          message: `Function '${fn.name}' has no code-signing configuration: any uploaded package is deployed, signed or not.`,
          key: 'no-code-signing',
        });
        continue;
      }
      const e = enforcement(ctx.app, fn);
      if (e === undefined || isUnknown(e)) continue;
      if (e.toLowerCase() === 'enforce') continue;
      ctx.report({
        fn,
        where: fn.codeSigning.where,
        message: `Function '${fn.name}' has a code-signing configuration in ${e} mode: unsigned packages are still deployed (only a log entry is written). Set it to Enforce.`,
        key: 'code-signing-warn',
      });
    }
  },
});
