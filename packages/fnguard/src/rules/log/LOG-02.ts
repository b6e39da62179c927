// biome-ignore-all lint/suspicious/noTemplateCurlyInString: remediation text quotes CloudFormation/Terraform `${}` syntax
import { type App, type Fn, isKnown, isUnknown, type Resource } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { awsFunctions, localId } from '../lib/functions.js';

const groupCache = new WeakMap<App, Resource[]>();

function logGroups(app: App): Resource[] {
  let list = groupCache.get(app);
  if (!list) {
    list = app.resources.filter((r) => r.type === 'log-group');
    groupCache.set(app, list);
  }
  return list;
}

/** A log-group resource in the project that belongs to this function (`/aws/lambda/<name>` or a reference to it). */
export function functionLogGroup(app: App, fn: Fn): Resource | undefined {
  const groups = logGroups(app);
  if (groups.length === 0) return undefined;
  const names = [fn.name, fn.resourceId && localId(fn.resourceId), isKnown(fn.functionName) ? fn.functionName : undefined].filter(
    (n): n is string => !!n && n.length > 2,
  );
  const wanted = isKnown(fn.logs?.logGroup) ? fn.logs?.logGroup : undefined;
  return groups.find((r) => {
    const n = r.name;
    if (isKnown(n)) return n === wanted || (isKnown(fn.functionName) && n === `/aws/lambda/${fn.functionName}`);
    if (isUnknown(n)) {
      const at = n.expr.indexOf('/aws/lambda/');
      if (at < 0) return false;
      // `/aws/lambda/${Worker}`, `/aws/lambda/${aws_lambda_function.worker.function_name}`
      const tokens = n.expr.slice(at + 12).split(/[^A-Za-z0-9_.-]+/);
      return tokens.some((t) => names.some((h) => t === h || t.startsWith(`${h}.`)));
    }
    return false;
  });
}

export default defineRule({
  meta: {
    id: 'LOG-02',
    title: 'Function log group without a retention period',
    severity: 'low',
    category: 'missing-logging',
    cwe: ['CWE-779'],
    sas: 'SAS-5',
    description:
      "The function's CloudWatch log group keeps logs forever (the default). Logs often hold request data and tokens: keeping them indefinitely extends the exposure of anything sensitive that was logged, and the cost grows without bound. (Too short a retention is the opposite problem: pick one that matches your incident-response and compliance needs.)",
    remediation: {
      general: "Set an explicit log retention (for example 30, 90 or 365 days) on the function's log group.",
      serverless: 'Set `provider.logRetentionInDays: 30` (or `logRetentionInDays` on the function).',
      cloudformation: 'Declare an `AWS::Logs::LogGroup` named `/aws/lambda/<FunctionName>` with `RetentionInDays: 30`.',
      sam: 'Declare an `AWS::Logs::LogGroup` with `LogGroupName: !Sub /aws/lambda/${MyFunction}` and `RetentionInDays: 30`.',
      terraform:
        'Declare `aws_cloudwatch_log_group` named `/aws/lambda/${aws_lambda_function.x.function_name}` with `retention_in_days = 30`.',
      cdk: 'Pass `logRetention: RetentionDays.ONE_MONTH` (or a `logGroup` with a retention) to the function.',
    },
    formats: ['serverless', 'cloudformation', 'sam', 'cdk', 'terraform'],
    references: ['serverless-rules WS1004', 'Checkov CKV_AWS_66', 'cdk-nag Serverless-CloudWatchLogGroupRetentionPeriod'],
    precision: 'medium',
  },
  check(ctx) {
    for (const fn of awsFunctions(ctx.app)) {
      const r = fn.logs?.retentionInDays;
      if (r !== undefined) continue; // set (or Unknown)
      const group = functionLogGroup(ctx.app, fn);
      if (group) {
        const gr = group.props.retentionInDays;
        if (gr !== undefined) continue;
        ctx.report({
          fn,
          resource: group.id,
          where: group.where,
          message: `The log group of function '${fn.name}' has no retention period: its logs are kept forever.`,
          key: 'no-retention',
        });
        continue;
      }
      ctx.report({
        fn,
        where: fn.logs?.where ?? fn.where,
        message: `Function '${fn.name}' sets no log retention, so its logs are kept forever: set a retention period.`,
        key: 'no-retention',
      });
    }
  },
});
