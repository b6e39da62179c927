import { isUnknown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { API_GATEWAY_KINDS, awsFunctions, defaultMemory, defaultTimeout } from '../lib/functions.js';

/** Lambda's maximum timeout; a function set to it usually has no real limit in mind. */
const MAX_TIMEOUT = 900;
/** API Gateway's integration timeout (29 s REST, 30 s HTTP API): a longer Lambda timeout is billed after the client got a 504. */
const API_TIMEOUT = 30;

export default defineRule({
  meta: {
    id: 'CFG-02',
    title: 'Function timeout or memory left at the default, or timeout excessive',
    severity: 'low',
    category: 'denial-of-wallet',
    cwe: ['CWE-400'],
    sas: 'SAS-8',
    description:
      'A timeout of 900 s (the maximum), or longer than the API Gateway integration limit (29–30 s) for an API-triggered function, lets a stuck or attacker-slowed invocation run (and bill) long after anyone waits for it. A timeout or memory size left at the provider default (3 s / 128 MB for CloudFormation, SAM and Terraform; 6 s / 1024 MB for the Serverless Framework) is reported at info level: it usually means nobody sized the function.',
    remediation: {
      general:
        'Set an explicit timeout close to the real worst-case duration (at most 29 s behind API Gateway) and an explicit memory size from measurements.',
      serverless: 'Set `timeout: 10` and `memorySize: 512` on the function (or under `provider`).',
      cloudformation: 'Set `Timeout` and `MemorySize` on the `AWS::Lambda::Function`.',
      sam: 'Set `Timeout` and `MemorySize` on the function or in `Globals.Function`.',
      terraform: 'Set `timeout` and `memory_size` on the `aws_lambda_function`.',
      cdk: 'Pass `timeout: Duration.seconds(10)` and `memorySize: 512` to the function construct.',
    },
    formats: ['serverless', 'cloudformation', 'sam', 'cdk', 'terraform'],
    references: [
      'serverless-rules ES1005',
      'serverless-rules ES1006',
      'cdk-nag Serverless-LambdaDefaultTimeout',
      'cdk-nag Serverless-LambdaDefaultMemorySize',
    ],
    precision: 'high',
  },
  check(ctx) {
    for (const fn of awsFunctions(ctx.app)) {
      const t = fn.timeout;
      const behindApi = fn.triggers.some((tr) => API_GATEWAY_KINDS.includes(tr.kind));
      if (t === undefined) {
        const d = defaultTimeout(fn.format);
        ctx.report({
          fn,
          severity: 'info',
          message: `Function '${fn.name}' sets no timeout, so the default of ${d} s applies: set one sized to its real worst case.`,
          key: 'default-timeout',
        });
      } else if (!isUnknown(t)) {
        if (t >= MAX_TIMEOUT) {
          ctx.report({
            fn,
            message: `Function '${fn.name}' has a timeout of ${t} s (the maximum): a stuck or attacker-slowed invocation runs and bills for 15 minutes.`,
            key: 'max-timeout',
          });
        } else if (behindApi && t > API_TIMEOUT) {
          ctx.report({
            fn,
            message: `Function '${fn.name}' is behind API Gateway but has a timeout of ${t} s: the API gives up after 29–30 s while the function keeps running and billing.`,
            key: 'api-timeout',
          });
        }
      }
      if (fn.memory === undefined) {
        const d = defaultMemory(fn.format);
        ctx.report({
          fn,
          severity: 'info',
          message: `Function '${fn.name}' sets no memory size, so the default of ${d} MB applies: size it from measurements.`,
          key: 'default-memory',
        });
      }
    }
  },
});
