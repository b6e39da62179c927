import { type App, type Fn, isKnown, isUnknown, type Resource } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { awsFunctions, localId, sameRef } from '../lib/functions.js';

const WATCHED = new Set(['Errors', 'Throttles', 'ConcurrentExecutions', 'Duration', 'DeadLetterErrors', 'DestinationDeliveryFailures']);

function alarmTargetsFn(alarm: Resource, fn: Fn): boolean {
  const dim = alarm.props.dimensions?.FunctionName;
  if (dim === undefined) return false;
  if (isUnknown(dim))
    return (
      sameRef(dim.target, fn.resourceId) ||
      sameRef(dim.target, fn.id) ||
      dim.target === fn.name ||
      (!!fn.resourceId && dim.expr.includes(localId(fn.resourceId)))
    );
  return dim === fn.name || (isKnown(fn.functionName) && dim === fn.functionName);
}

function lambdaAlarms(app: App): Resource[] {
  return app.resources.filter((r) => r.type === 'cloudwatch-alarm');
}

export default defineRule({
  meta: {
    id: 'LOG-09',
    title: "No alarm on the function's errors or throttles, or an alarm without actions",
    severity: 'info',
    category: 'missing-logging',
    cwe: ['CWE-778'],
    sas: 'SAS-5',
    description:
      'Nothing alerts anyone when the function starts failing, timing out or being throttled: the usual first signs of an attack or a denial-of-wallet flood. An alarm with no action fires silently. This only looks at alarms defined in the same project; account-wide monitoring set up elsewhere is invisible to it.',
    remediation: {
      general:
        "Create CloudWatch alarms on the function's `Errors` and `Throttles` metrics (dimension `FunctionName`) with an SNS action that reaches a person.",
      serverless: 'Declare `AWS::CloudWatch::Alarm` resources in `resources:` (or use a plugin such as serverless-plugin-aws-alerts).',
      cloudformation:
        'Declare an `AWS::CloudWatch::Alarm` with `Namespace: AWS/Lambda`, `MetricName: Errors`, `Dimensions: [{ Name: FunctionName, Value: !Ref Fn }]` and `AlarmActions`.',
      terraform:
        'Declare an `aws_cloudwatch_metric_alarm` with `namespace = "AWS/Lambda"`, `metric_name = "Errors"`, `dimensions = { FunctionName = aws_lambda_function.x.function_name }` and `alarm_actions`.',
      cdk: '`fn.metricErrors().createAlarm(...)` with `addAlarmAction(new SnsAction(topic))`.',
    },
    formats: ['serverless', 'cloudformation', 'sam', 'cdk', 'terraform'],
    references: ['Checkov CKV_AWS_319', 'cdk-nag CloudWatchAlarmAction', 'ScoutSuite cloudwatch-alarm-without-actions'],
    precision: 'low',
  },
  check(ctx) {
    const alarms = lambdaAlarms(ctx.app);
    for (const alarm of alarms) {
      const actions = alarm.props.alarmActions;
      if (actions !== undefined && (actions.length > 0 || isUnknown(actions))) continue;
      if (alarm.props.namespace !== undefined && alarm.props.namespace !== 'AWS/Lambda') continue;
      ctx.report({
        resource: alarm.id,
        where: alarm.where,
        message: `Alarm '${isKnown(alarm.name) ? alarm.name : alarm.id}' has no alarm actions: it fires without telling anyone.`,
        key: `alarm-no-actions:${alarm.id}`,
      });
    }
    for (const fn of awsFunctions(ctx.app)) {
      const mine = alarms.filter((a) => alarmTargetsFn(a, fn) && (!isKnown(a.props.metricName) || WATCHED.has(a.props.metricName)));
      if (mine.length > 0) continue;
      ctx.report({
        fn,
        message: `No alarm watches function '${fn.name}' (Errors, Throttles): failures and floods go unnoticed.`,
        key: 'no-alarm',
      });
    }
  },
});
