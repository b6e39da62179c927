import { isKnown, isUnknown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';

export default defineRule({
  meta: {
    id: 'LOG-07',
    title: 'Step Functions state machine not logging all events or not traced',
    severity: 'low',
    category: 'missing-logging',
    cwe: ['CWE-778'],
    sas: 'SAS-5',
    description:
      'A state machine that chains functions should log every execution event (`ALL`) and be traced with X-Ray; otherwise a failed or abused multi-function flow leaves no record of which step did what with which input.',
    remediation: {
      general:
        "Set the state machine's logging level to `ALL` (with `IncludeExecutionData` only if the data is not sensitive) and enable X-Ray tracing.",
      serverless:
        'With serverless-step-functions: `loggingConfig: { level: ALL, destinations: [...] }` and `tracingConfig: { enabled: true }`.',
      cloudformation:
        'Set `LoggingConfiguration: { Level: ALL, Destinations: [...] }` and `TracingConfiguration: { Enabled: true }` on the `AWS::StepFunctions::StateMachine`.',
      sam: 'Set `Logging: { Level: ALL, Destinations: [...] }` and `Tracing: { Enabled: true }` on the `AWS::Serverless::StateMachine`.',
      terraform:
        'Add `logging_configuration { level = "ALL", log_destination = ... }` and `tracing_configuration { enabled = true }` to the `aws_sfn_state_machine`.',
    },
    formats: ['serverless', 'cloudformation', 'sam', 'cdk', 'terraform'],
    references: [
      'Checkov CKV_AWS_285',
      'Checkov CKV_AWS_284',
      'cdk-nag AwsSolutions-SF1',
      'cdk-nag AwsSolutions-SF2',
      'serverless-rules WS5000',
    ],
    precision: 'high',
  },
  check(ctx) {
    for (const r of ctx.app.resources) {
      if (r.type !== 'state-machine') continue;
      const name = isKnown(r.name) ? r.name : r.id;
      const level = r.props.loggingLevel;
      if (!isUnknown(level) && (level === undefined || level.toUpperCase() !== 'ALL')) {
        ctx.report({
          resource: r.id,
          where: r.where,
          message: `State machine '${name}' ${level === undefined ? 'has no logging' : `logs at level ${level}, not ALL`}: its executions leave an incomplete record.`,
          key: `sfn-logging:${r.id}`,
        });
      }
      const tracing = r.props.tracingEnabled;
      if (tracing !== true && !isUnknown(tracing)) {
        ctx.report({
          resource: r.id,
          where: r.where,
          message: `State machine '${name}' has X-Ray tracing off.`,
          key: `sfn-tracing:${r.id}`,
        });
      }
    }
  },
});
