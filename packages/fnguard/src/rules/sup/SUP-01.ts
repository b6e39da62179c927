import type { Severity } from '../../engine/types.js';
import { isKnown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { awsFunctions } from '../lib/functions.js';
import { type RuntimePhase, type RuntimeStatus, runtimeData, runtimeStatus } from '../lib/runtimes.js';

const SEVERITY: Record<Exclude<RuntimePhase, 'current'>, Severity> = {
  'update-blocked': 'critical',
  'create-blocked': 'high',
  deprecated: 'high',
  'deprecating-soon': 'low',
  'not-latest': 'info',
};

export default defineRule({
  meta: {
    id: 'SUP-01',
    title: 'Deprecated or soon-deprecated Lambda runtime',
    severity: 'high',
    category: 'supply-chain',
    cwe: ['CWE-1104'],
    sas: 'SAS-6',
    description:
      'The function runs on a runtime past (or near) its end of support. AWS stops applying security patches to a deprecated runtime, then blocks creating functions with it, then blocks updating them: at that point you cannot even deploy a fix. Severity follows the phase on the scan date: critical once updates are blocked, high once deprecated (or creation is blocked), low when end of support is within 180 days, info when a newer runtime of the same family exists. Dates come from `data/lambda-runtimes.json` (the AWS Lambda runtimes page).',
    remediation: {
      general:
        'Move the function to the latest runtime of its family (e.g. `nodejs24.x`, `python3.14`), test it, and redeploy before the block-update date.',
      serverless: 'Change `runtime:` under `provider` (and any function that overrides it).',
      cloudformation: 'Change `Runtime` on the `AWS::Lambda::Function`.',
      sam: 'Change `Runtime` on the function or in `Globals.Function`.',
      terraform: 'Change `runtime` on the `aws_lambda_function` (and module variables that feed it).',
      cdk: 'Use `lambda.Runtime.NODEJS_24_X` (or the latest of the family) in the function props.',
    },
    formats: ['serverless', 'cloudformation', 'sam', 'cdk', 'terraform'],
    references: [
      'Checkov CKV_AWS_363',
      'Prowler awslambda_function_using_supported_runtimes',
      'cfn-lint E2531',
      'cfn-lint W2531',
      'cfn-lint E2533',
      'tflint aws_lambda_function_deprecated_runtime',
      'cdk-nag AwsSolutions-L1',
    ],
    precision: 'high',
  },
  check(ctx) {
    const asOf = runtimeData().asOf;
    const statuses = new Map<string, RuntimeStatus | undefined>();
    for (const fn of awsFunctions(ctx.app)) {
      if (!isKnown(fn.runtime)) continue;
      let st = statuses.get(fn.runtime);
      if (!statuses.has(fn.runtime)) {
        st = runtimeStatus(fn.runtime, ctx.options.now);
        statuses.set(fn.runtime, st);
      }
      if (!st || st.phase === 'current') continue;
      const lc = st.lifecycle;
      const to = lc.successor ?? st.latest;
      const move = to ? ` Move to ${to}.` : '';
      let message: string;
      switch (st.phase) {
        case 'update-blocked':
          message = `Function '${fn.name}' uses ${st.runtime}, which reached end of support on ${lc.deprecated}; since ${lc.blockUpdate} AWS blocks updating functions on it, so not even a fix can be deployed.${move}`;
          break;
        case 'create-blocked':
          message = `Function '${fn.name}' uses ${st.runtime}, deprecated since ${lc.deprecated} (no security patches); new functions are blocked since ${lc.blockCreate} and updates will be blocked from ${lc.blockUpdate}.${move}`;
          break;
        case 'deprecated':
          message = `Function '${fn.name}' uses ${st.runtime}, deprecated since ${lc.deprecated}: it no longer gets security patches${lc.blockUpdate ? `, and updates will be blocked from ${lc.blockUpdate}` : ''}.${move}`;
          break;
        case 'deprecating-soon':
          message = `Function '${fn.name}' uses ${st.runtime}, which reaches end of support on ${lc.deprecated}.${move}`;
          break;
        default:
          message = `Function '${fn.name}' uses ${st.runtime}; the latest ${lc.family} runtime is ${st.latest}.`;
      }
      ctx.report({
        fn,
        where: fn.runtimeWhere ?? fn.where,
        severity: SEVERITY[st.phase],
        message,
        key: `runtime:${st.runtime}`,
        details: {
          runtime: st.runtime,
          phase: st.phase,
          deprecated: lc.deprecated,
          blockCreate: lc.blockCreate,
          blockUpdate: lc.blockUpdate,
          successor: to,
          dataAsOf: asOf,
        },
      });
    }
  },
});
