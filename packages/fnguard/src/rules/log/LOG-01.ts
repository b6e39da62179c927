import { isUnknown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { awsFunctions } from '../lib/functions.js';

export default defineRule({
  meta: {
    id: 'LOG-01',
    title: 'Function without active X-Ray tracing',
    severity: 'low',
    category: 'missing-logging',
    cwe: ['CWE-778'],
    sas: 'SAS-5',
    description:
      "Active tracing is off (the default is `PassThrough`), so requests through the function, and the calls it makes to other services, leave no trace. During an incident you cannot follow an attacker's request across functions or see which downstream calls it triggered.",
    remediation: {
      general: 'Turn on active X-Ray tracing for the function (the role needs `xray:PutTraceSegments` and `xray:PutTelemetryRecords`).',
      serverless: 'Set `provider.tracing.lambda: true` (or `tracing: Active` on the function).',
      cloudformation: 'Set `TracingConfig: { Mode: Active }` on the `AWS::Lambda::Function`.',
      sam: 'Set `Tracing: Active` on the function or in `Globals.Function`.',
      terraform: 'Add `tracing_config { mode = "Active" }` to the `aws_lambda_function`.',
      cdk: 'Pass `tracing: lambda.Tracing.ACTIVE` to the function.',
    },
    formats: ['serverless', 'cloudformation', 'sam', 'cdk', 'terraform'],
    references: ['Checkov CKV_AWS_50', 'serverless-rules WS1000', 'cdk-nag Serverless-LambdaTracing', 'Trivy AWS-0066', 'Trivy AWS-0125'],
    precision: 'high',
  },
  check(ctx) {
    for (const fn of awsFunctions(ctx.app)) {
      const t = fn.tracing;
      if (isUnknown(t)) continue;
      if (t !== undefined && t.toLowerCase() === 'active') continue;
      ctx.report({
        fn,
        message: `Function '${fn.name}' does not use active X-Ray tracing (${t === undefined ? 'not set, so PassThrough' : t}): its requests cannot be followed across services during an investigation.`,
        key: 'no-active-tracing',
      });
    }
  },
});
