import { type Fn, isUnknown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { awsFunctions } from '../lib/functions.js';
import { functionLogGroup } from './LOG-02.js';

/** Environment variable names that say the function handles a secret. */
const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|DB_?PASS)/i;

/** Evidence that the function handles secrets: the env var that shows it. */
function secretEvidence(fn: Fn): Fn['env'][number] | undefined {
  return fn.env.find((e) => (isUnknown(e.value) && e.value.hint === 'secret-reference') || SECRET_NAME.test(e.name));
}

export default defineRule({
  meta: {
    id: 'LOG-10',
    title: 'Function handling secrets without a log data-protection policy',
    severity: 'info',
    category: 'sensitive-data-exposure',
    cwe: ['CWE-532'],
    sas: 'SAS-5',
    description:
      'The function receives secrets (a secret-looking environment variable or a Secrets Manager / SSM SecureString reference) but its log group has no CloudWatch Logs data-protection policy. One debug `console.log(event)` or error dump then writes the secret into logs readable by everyone with log access. A data-protection policy masks known secret and personal-data patterns as they are ingested.',
    remediation: {
      general:
        "Attach a CloudWatch Logs data-protection policy (audit and mask, with managed data identifiers for credentials and PII) to the function's log group, and do not log secrets or whole events.",
      serverless: 'Set `provider.logDataProtectionPolicy` with the data identifiers to mask.',
      cloudformation: "Declare the function's `AWS::Logs::LogGroup` with a `DataProtectionPolicy`.",
      sam: "Declare the function's `AWS::Logs::LogGroup` with a `DataProtectionPolicy`.",
      terraform: "Add an `aws_cloudwatch_log_data_protection_policy` for the function's log group.",
    },
    formats: ['serverless', 'cloudformation', 'sam', 'cdk', 'terraform'],
    references: ['Serverless Framework provider.logDataProtectionPolicy (novel rule)'],
    precision: 'low',
  },
  check(ctx) {
    for (const fn of awsFunctions(ctx.app)) {
      const evidence = secretEvidence(fn);
      if (!evidence) continue;
      const dp = fn.logs?.dataProtection;
      if (dp === true || isUnknown(dp)) continue;
      const group = functionLogGroup(ctx.app, fn);
      if (group && group.props.dataProtectionPolicy !== undefined) continue;
      ctx.report({
        fn,
        where: evidence.where,
        message: `Function '${fn.name}' handles a secret (environment variable ${evidence.name}) but its log group has no data-protection policy: a logged event or error can leak it.`,
        key: 'no-log-data-protection',
      });
    }
  },
});
