import { classifyLiteralDefault, isSecretName, redact, secretDigest } from '../../analyze/secrets/value.js';
import { isKnown, type Where } from '../../model/types.js';
import { defineRule } from '../defineRule.js';

/** Parameter types whose value is a reference, not the secret itself. */
const REFERENCE_TYPES = /^AWS::SSM::Parameter::Name$|^AWS::SSM::Parameter::Value<|^AWS::EC2::|^AWS::Route53::|^List</;

export default defineRule({
  meta: {
    id: 'SEC-06',
    title: 'Secret-looking parameter without NoEcho, or with a literal default',
    severity: 'medium',
    category: 'hard-coded-secret',
    cwe: ['CWE-798', 'CWE-532'],
    sas: 'SAS-7',
    description:
      'A CloudFormation/SAM parameter whose name says it holds a secret (`DbPassword`, `ApiToken`) is not marked `NoEcho: true`, so its value is shown in the console, `describe-stacks` output and events; or it has a literal `Default`, so the secret is in the template. For Terraform, a `variable` with a secret-looking name and a literal secret `default` (or a `.tfvars` value) is reported the same way.',
    remediation: {
      general:
        'Do not give secrets default values; mark secret parameters as NoEcho/sensitive, and better, reference the secret store instead of passing the value.',
      cloudformation:
        'Add `NoEcho: true`, remove `Default`, or use a dynamic reference (`{{resolve:secretsmanager:...}}`) where the value is needed.',
      sam: 'Add `NoEcho: true`, remove `Default`, or use a dynamic reference (`{{resolve:secretsmanager:...}}`) where the value is needed.',
      terraform:
        'Remove the `default`, set `sensitive = true`, and supply the value from a secret store (`data "aws_secretsmanager_secret_version"`) or a CI secret; keep secrets out of `.tfvars` in the repository.',
      cdk: 'Use `CfnParameter` with `noEcho: true` and no default, or `Secret.fromSecretNameV2`.',
    },
    formats: ['cloudformation', 'sam', 'cdk', 'terraform'],
    references: ['novel (research note A.5)'],
    precision: 'medium',
  },
  check(ctx) {
    for (const r of ctx.app.resources) {
      if (r.type !== 'parameter') continue;
      const name = isKnown(r.name) ? r.name : (r.id.split('.').pop() ?? r.id);
      const ptype =
        typeof r.props.type === 'string'
          ? r.props.type
          : typeof r.props.parameterType === 'string'
            ? (r.props.parameterType as string)
            : '';
      if (REFERENCE_TYPES.test(ptype)) continue;
      const def = r.props.default;
      const isTf = r.format === 'terraform';
      // literal default
      if (isKnown(def) && typeof def === 'string') {
        const literal = classifyLiteralDefault(name, def);
        if (literal) {
          const fromTfvars = r.sourceType === 'tfvars';
          const defWhere = r.props.defaultWhere as Where | undefined;
          ctx.report({
            resource: r.id,
            where: defWhere && typeof defWhere === 'object' && typeof defWhere.line === 'number' ? defWhere : r.where,
            message: fromTfvars
              ? `Variable ${name} is set to a hard-coded secret in ${String(r.props.tfvarsFile ?? 'a .tfvars file')} (${literal.kind}, ${redact(def)}).`
              : `${isTf ? 'Variable' : 'Parameter'} ${name} has a hard-coded secret default (${literal.kind}, ${redact(def)}).`,
            key: `param-default|${r.id}|${secretDigest(def)}`,
          });
          continue;
        }
      }
      if (isTf) continue;
      if (!isSecretName(name)) continue;
      if (r.props.noEcho === true || !isKnown(r.props.noEcho ?? false)) continue;
      ctx.report({
        resource: r.id,
        where: r.where,
        message: `Parameter ${name} looks like a secret but is not NoEcho: its value is shown in the console and API output.`,
        key: `param-noecho|${r.id}`,
      });
    }
  },
});
