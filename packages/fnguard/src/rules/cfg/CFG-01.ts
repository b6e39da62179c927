import { isUnknown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { awsFunctions } from '../lib/functions.js';

export default defineRule({
  meta: {
    id: 'CFG-01',
    title: 'Function without reserved concurrency',
    severity: 'medium',
    category: 'denial-of-wallet',
    cwe: ['CWE-770'],
    sas: 'SAS-8',
    description:
      'The function sets no reserved concurrency, so it can scale until it uses the whole account concurrency pool (1,000 by default). A flood of requests or events then runs up the bill (denial of wallet) and throttles every other function in the account and region. Very common and often acceptable for low-traffic internal functions; it matters most for functions reachable from the internet.',
    remediation: {
      general:
        'Set reserved concurrency to the peak concurrency you expect (requests per second × average duration in seconds, plus headroom). It caps the function and guarantees it that capacity. Setting it to 0 disables the function.',
      serverless: 'Add `reservedConcurrency: 20` under the function in `serverless.yml`.',
      cloudformation: 'Set `ReservedConcurrentExecutions: 20` on the `AWS::Lambda::Function`.',
      sam: 'Set `ReservedConcurrentExecutions: 20` on the `AWS::Serverless::Function` (or in `Globals.Function`).',
      terraform: 'Set `reserved_concurrent_executions = 20` on the `aws_lambda_function` (`-1`, the default, means unreserved).',
      cdk: 'Pass `reservedConcurrentExecutions: 20` to `new lambda.Function(...)`.',
    },
    formats: ['serverless', 'cloudformation', 'sam', 'cdk', 'terraform'],
    references: ['Checkov CKV_AWS_115', 'cdk-nag LambdaConcurrency'],
    precision: 'high',
  },
  check(ctx) {
    for (const fn of awsFunctions(ctx.app)) {
      const rc = fn.reservedConcurrency;
      if (isUnknown(rc)) continue;
      // Terraform uses -1 for "unreserved".
      if (rc !== undefined && rc >= 0) continue;
      const publicTrigger = fn.triggers.some((t) => t.public === true) || (fn.url !== undefined && fn.url.auth === 'none');
      const why = publicTrigger
        ? 'it is reachable from the internet, so a request flood can scale it to the whole account concurrency pool (denial of wallet) and throttle every other function'
        : 'a burst of events can scale it to the whole account concurrency pool and throttle the other functions in the account';
      ctx.report({
        fn,
        message: `Function '${fn.name}' has no reserved concurrency: ${why}. Cap it at the peak you expect (e.g. reserved concurrency 20).`,
        key: 'no-reserved-concurrency',
      });
    }
  },
});
