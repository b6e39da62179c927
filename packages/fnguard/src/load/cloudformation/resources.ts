/**
 * Supporting resources into `Resource` with normalized `props` (keys documented in docs/model.md),
 * their resource policies, and the links they create to functions (S3 notifications, SNS
 * subscriptions, EventBridge rule targets, log groups).
 */
import type { AuthType, Fn, Maybe, PolicyStatement, Resource, ResourceProps, Trigger, TriggerAuth } from '../../model/types.js';
import { type Builder, type ResourceEntry, refOf, refsIn, suppressionsOf } from './builder.js';
import { policyDocument } from './iam.js';
import { bool, intrinsicName, isObj, list, num, type Obj, str } from './intrinsics.js';

/** CloudFormation type -> Model resource type. */
export const RESOURCE_TYPES: Record<string, string> = {
  'AWS::SQS::Queue': 'sqs-queue',
  'AWS::SNS::Topic': 'sns-topic',
  'AWS::S3::Bucket': 's3-bucket',
  'AWS::DynamoDB::Table': 'dynamodb-table',
  'AWS::DynamoDB::GlobalTable': 'dynamodb-table',
  'AWS::Serverless::SimpleTable': 'dynamodb-table',
  'AWS::Kinesis::Stream': 'kinesis-stream',
  'AWS::Events::EventBus': 'eventbridge-bus',
  'AWS::Events::Rule': 'eventbridge-rule',
  'AWS::Logs::LogGroup': 'log-group',
  'AWS::StepFunctions::StateMachine': 'state-machine',
  'AWS::Serverless::StateMachine': 'state-machine',
  'AWS::Cognito::IdentityPool': 'cognito-identity-pool',
  'AWS::Cognito::UserPool': 'cognito-user-pool',
  'AWS::CloudWatch::Alarm': 'cloudwatch-alarm',
  'AWS::SecretsManager::Secret': 'secret',
  'AWS::KMS::Key': 'kms-key',
  'AWS::AppSync::GraphQLApi': 'appsync-api',
  'AWS::Lambda::CodeSigningConfig': 'code-signing-config',
  'AWS::SNS::Subscription': 'sns-subscription',
};

const POLICY_TYPES: Record<string, string> = {
  'AWS::SQS::QueuePolicy': 'Queues',
  'AWS::SNS::TopicPolicy': 'Topics',
  'AWS::S3::BucketPolicy': 'Bucket',
  'AWS::Events::EventBusPolicy': 'EventBusName',
};

export function isPolicyType(type: string): boolean {
  return type in POLICY_TYPES;
}

export function loadResource(b: Builder, e: ResourceEntry): Resource | undefined {
  const type = RESOURCE_TYPES[e.type];
  if (!type) return undefined;
  const t = b.t;
  const p = e.props;
  const props: ResourceProps = {};
  const setP = (k: string, v: unknown): void => {
    if (v !== undefined) props[k] = v;
  };
  let name: Maybe<string> | undefined;
  switch (e.type) {
    case 'AWS::SQS::Queue': {
      name = str(t, p.QueueName, p, 'QueueName');
      const kms = str(t, p.KmsMasterKeyId, p, 'KmsMasterKeyId');
      const sse = bool(t, p.SqsManagedSseEnabled, p, 'SqsManagedSseEnabled');
      setP('kmsKeyId', kms);
      // SQS-managed SSE is the default for new queues since 2022 unless disabled
      props.encryption = kms !== undefined ? (isAwsAlias(kms) ? 'aws-managed' : 'cmk') : sse === false ? 'none' : 'aws-managed';
      props.redrive = p.RedrivePolicy !== undefined;
      if (isObj(p.RedrivePolicy))
        setP('deadLetterTarget', str(t, p.RedrivePolicy.deadLetterTargetArn, p.RedrivePolicy, 'deadLetterTargetArn'));
      setP('visibilityTimeout', num(t, p.VisibilityTimeout, p, 'VisibilityTimeout'));
      break;
    }
    case 'AWS::SNS::Topic': {
      name = str(t, p.TopicName, p, 'TopicName');
      const kms = str(t, p.KmsMasterKeyId, p, 'KmsMasterKeyId');
      setP('kmsKeyId', kms);
      props.encryption = kms === undefined ? 'none' : isAwsAlias(kms) ? 'aws-managed' : 'cmk';
      break;
    }
    case 'AWS::SNS::Subscription': {
      setP('protocol', str(t, p.Protocol, p, 'Protocol'));
      setP('endpoint', str(t, p.Endpoint, p, 'Endpoint'));
      props.redrive = p.RedrivePolicy !== undefined;
      if (isObj(p.RedrivePolicy))
        setP('deadLetterTarget', str(t, p.RedrivePolicy.deadLetterTargetArn, p.RedrivePolicy, 'deadLetterTargetArn'));
      break;
    }
    case 'AWS::S3::Bucket': {
      name = str(t, p.BucketName, p, 'BucketName');
      const pab = p.PublicAccessBlockConfiguration;
      if (isObj(pab)) {
        const all = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'].map((k) =>
          bool(t, pab[k], pab, k),
        );
        props.blockPublicAccess = all.every((x) => x === true);
      } else props.blockPublicAccess = undefined;
      const enc = p.BucketEncryption;
      const rule =
        isObj(enc) && Array.isArray(enc.ServerSideEncryptionConfiguration) ? enc.ServerSideEncryptionConfiguration[0] : undefined;
      const def = isObj(rule) && isObj(rule.ServerSideEncryptionByDefault) ? rule.ServerSideEncryptionByDefault : undefined;
      const kms = def ? str(t, def.KMSMasterKeyID, def, 'KMSMasterKeyID') : undefined;
      setP('kmsKeyId', kms);
      // S3 encrypts new objects with SSE-S3 by default
      props.encryption = kms !== undefined ? 'cmk' : 'aws-managed';
      setP('accessControl', str(t, p.AccessControl, p, 'AccessControl'));
      break;
    }
    case 'AWS::DynamoDB::Table':
    case 'AWS::DynamoDB::GlobalTable':
    case 'AWS::Serverless::SimpleTable': {
      name = str(t, p.TableName, p, 'TableName');
      const sse = p.SSESpecification;
      const kms = isObj(sse) ? str(t, sse.KMSMasterKeyId, sse, 'KMSMasterKeyId') : undefined;
      const enabled = isObj(sse) ? bool(t, sse.SSEEnabled, sse, 'SSEEnabled') : undefined;
      setP('kmsKeyId', kms);
      props.encryption = kms !== undefined ? 'cmk' : enabled === true ? 'aws-managed' : 'aws-managed';
      if (isObj(p.StreamSpecification))
        setP('streamViewType', str(t, p.StreamSpecification.StreamViewType, p.StreamSpecification, 'StreamViewType'));
      if (isObj(p.PointInTimeRecoverySpecification))
        setP(
          'pointInTimeRecovery',
          bool(
            t,
            p.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled,
            p.PointInTimeRecoverySpecification,
            'PointInTimeRecoveryEnabled',
          ),
        );
      break;
    }
    case 'AWS::Kinesis::Stream': {
      name = str(t, p.Name, p, 'Name');
      const se = p.StreamEncryption;
      const kms = isObj(se) ? str(t, se.KeyId, se, 'KeyId') : undefined;
      setP('kmsKeyId', kms);
      props.encryption = kms === undefined ? 'none' : isAwsAlias(kms) ? 'aws-managed' : 'cmk';
      break;
    }
    case 'AWS::Events::EventBus':
      name = str(t, p.Name, p, 'Name');
      break;
    case 'AWS::Events::Rule': {
      name = str(t, p.Name, p, 'Name');
      setP('scheduleExpression', str(t, p.ScheduleExpression, p, 'ScheduleExpression'));
      if (p.EventPattern !== undefined) props.eventPattern = p.EventPattern;
      setP('state', str(t, p.State, p, 'State'));
      break;
    }
    case 'AWS::Logs::LogGroup': {
      name = str(t, p.LogGroupName, p, 'LogGroupName');
      setP('retentionInDays', num(t, p.RetentionInDays, p, 'RetentionInDays'));
      const kms = str(t, p.KmsKeyId, p, 'KmsKeyId');
      setP('kmsKeyId', kms);
      props.encryption = kms === undefined ? 'aws-managed' : 'cmk';
      if (p.DataProtectionPolicy !== undefined) props.dataProtectionPolicy = true;
      break;
    }
    case 'AWS::StepFunctions::StateMachine':
    case 'AWS::Serverless::StateMachine': {
      name = str(t, p.StateMachineName ?? p.Name, p, p.StateMachineName !== undefined ? 'StateMachineName' : 'Name');
      const lc = p.LoggingConfiguration ?? p.Logging;
      if (isObj(lc)) {
        setP('loggingLevel', str(t, lc.Level, lc, 'Level'));
        setP('includeExecutionData', bool(t, lc.IncludeExecutionData, lc, 'IncludeExecutionData'));
      }
      const tc = p.TracingConfiguration ?? p.Tracing;
      if (isObj(tc)) setP('tracingEnabled', bool(t, tc.Enabled, tc, 'Enabled'));
      setP('stateMachineType', str(t, p.StateMachineType ?? p.Type, p, p.StateMachineType !== undefined ? 'StateMachineType' : 'Type'));
      break;
    }
    case 'AWS::Cognito::IdentityPool':
      name = str(t, p.IdentityPoolName, p, 'IdentityPoolName');
      setP('allowUnauthenticated', bool(t, p.AllowUnauthenticatedIdentities, p, 'AllowUnauthenticatedIdentities'));
      break;
    case 'AWS::Cognito::UserPool':
      name = str(t, p.UserPoolName, p, 'UserPoolName');
      setP('mfaConfiguration', str(t, p.MfaConfiguration, p, 'MfaConfiguration'));
      break;
    case 'AWS::CloudWatch::Alarm': {
      name = str(t, p.AlarmName, p, 'AlarmName');
      setP('metricName', str(t, p.MetricName, p, 'MetricName'));
      setP('namespace', str(t, p.Namespace, p, 'Namespace'));
      if (Array.isArray(p.Dimensions)) {
        const dims: Record<string, Maybe<string>> = {};
        for (const d of p.Dimensions) if (isObj(d) && typeof d.Name === 'string') dims[d.Name] = str(t, d.Value, d, 'Value') ?? '';
        props.dimensions = dims;
        const fnDim = p.Dimensions.find((d) => isObj(d) && d.Name === 'FunctionName');
        const fn = isObj(fnDim) ? b.fnByTarget(refOf(fnDim.Value)) : undefined;
        if (fn) props.functionId = fn.id;
      }
      props.alarmActions = list(t, p.AlarmActions, p, 'AlarmActions') ?? [];
      break;
    }
    case 'AWS::SecretsManager::Secret': {
      name = str(t, p.Name, p, 'Name');
      const kms = str(t, p.KmsKeyId, p, 'KmsKeyId');
      setP('kmsKeyId', kms);
      props.encryption = kms === undefined ? 'aws-managed' : 'cmk';
      if (p.SecretString !== undefined) setP('secretString', str(t, p.SecretString, p, 'SecretString'));
      props.generated = p.GenerateSecretString !== undefined;
      break;
    }
    case 'AWS::KMS::Key':
      setP('enableKeyRotation', bool(t, p.EnableKeyRotation, p, 'EnableKeyRotation'));
      break;
    case 'AWS::AppSync::GraphQLApi':
      name = str(t, p.Name, p, 'Name');
      setP('authenticationType', str(t, p.AuthenticationType, p, 'AuthenticationType'));
      setP('tracingEnabled', bool(t, p.XrayEnabled, p, 'XrayEnabled'));
      break;
    case 'AWS::Lambda::CodeSigningConfig': {
      const pol = p.CodeSigningPolicies;
      if (isObj(pol))
        setP('untrustedArtifactOnDeployment', str(t, pol.UntrustedArtifactOnDeployment, pol, 'UntrustedArtifactOnDeployment'));
      else props.untrustedArtifactOnDeployment = 'Warn';
      break;
    }
  }
  const res: Resource = { id: e.id, type, sourceType: e.type, format: b.format, props, where: e.where };
  if (name !== undefined) res.name = name;
  if (e.cdkPath) res.cdkPath = e.cdkPath;
  const sup = suppressionsOf(t, e.node, `Resources.${e.id}`);
  if (sup) res.suppressions = sup;
  if (e.type === 'AWS::Serverless::StateMachine' && p.Policies !== undefined) props.hasPolicies = true;
  return res;
}

function isAwsAlias(v: Maybe<string>): boolean {
  return typeof v === 'string' && /^alias\/aws\//.test(v);
}

/** QueuePolicy/TopicPolicy/BucketPolicy/EventBusPolicy -> `Resource.policy` of the targets. */
export function linkResourcePolicy(b: Builder, e: ResourceEntry): void {
  const key = POLICY_TYPES[e.type] as string;
  const p = e.props;
  let stmts: PolicyStatement[];
  if (e.type === 'AWS::Events::EventBusPolicy' && p.Statement !== undefined) {
    stmts = policyDocument(
      b.t,
      { Statement: p.Statement },
      p,
      'Statement',
      { kind: 'inline', name: e.id },
      `Resources.${e.id}.Properties.Statement`,
    );
  } else if (e.type === 'AWS::Events::EventBusPolicy') {
    // legacy form: Principal + Action (+ Condition)
    stmts = policyDocument(
      b.t,
      {
        Statement: [
          {
            Effect: 'Allow',
            Principal: p.Principal === '*' ? '*' : { AWS: p.Principal },
            Action: p.Action,
            Resource: '*',
            ...(p.Condition ? { Condition: p.Condition } : {}),
          },
        ],
      },
      p,
      'Principal',
      { kind: 'inline', name: e.id },
      `Resources.${e.id}.Properties`,
    );
    for (const s of stmts) s.where = { ...e.where, path: `Resources.${e.id}.Properties` };
  } else
    stmts = policyDocument(
      b.t,
      p.PolicyDocument,
      p,
      'PolicyDocument',
      { kind: 'inline', name: e.id },
      e.cdkPath ?? `Resources.${e.id}.Properties.PolicyDocument`,
    );
  const targets = Array.isArray(p[key]) ? (p[key] as unknown[]) : [p[key]];
  for (const tv of targets) {
    const id = refOf(tv) ?? (typeof tv === 'string' ? [...b.resources.values()].find((r) => r.name === tv)?.id : undefined);
    const res = id ? b.resources.get(id) : undefined;
    if (res) {
      res.policy ??= [];
      res.policy.push(...stmts);
    }
  }
}

/** Resource types that only link to functions (no Resource of their own). */
export const LINK_TYPES = new Set([
  'AWS::ElasticLoadBalancingV2::TargetGroup',
  'AWS::AppSync::DataSource',
  'AWS::IoT::TopicRule',
  'AWS::Logs::SubscriptionFilter',
  'AWS::Scheduler::Schedule',
]);

const APPSYNC_AUTH: Record<string, AuthType> = {
  API_KEY: 'api-key',
  AWS_IAM: 'iam',
  AMAZON_COGNITO_USER_POOLS: 'cognito',
  OPENID_CONNECT: 'jwt',
  AWS_LAMBDA: 'lambda',
};

const COGNITO_TRIGGERS = [
  'PreSignUp',
  'PostConfirmation',
  'PreAuthentication',
  'PostAuthentication',
  'PreTokenGeneration',
  'CustomMessage',
  'DefineAuthChallenge',
  'CreateAuthChallenge',
  'VerifyAuthChallengeResponse',
  'UserMigration',
  'CustomEmailSender',
  'CustomSMSSender',
];

/** Links from supporting resources to functions (second pass). */
export function linkResourceToFunctions(b: Builder, e: ResourceEntry): void {
  const t = b.t;
  const p = e.props;
  switch (e.type) {
    case 'AWS::S3::Bucket': {
      const nc = p.NotificationConfiguration;
      const lcs = isObj(nc) && Array.isArray(nc.LambdaConfigurations) ? nc.LambdaConfigurations : [];
      lcs.forEach((lc, i) => {
        if (!isObj(lc)) return;
        const fn = b.fnByTarget(refOf(lc.Function));
        if (!fn) return;
        const trig: Trigger = {
          kind: 's3',
          auth: { type: 'iam' },
          public: false,
          async: true,
          source: `!Ref ${e.id}`,
          resourceId: e.id,
          where: b.at(lcs, i, `Resources.${e.id}.Properties.NotificationConfiguration.LambdaConfigurations[${i}]`),
        };
        const ev = str(t, lc.Event, lc, 'Event');
        if (ev !== undefined) trig.detail = { events: [ev] };
        fn.triggers.push(trig);
      });
      return;
    }
    case 'AWS::SNS::Topic': {
      const subs = Array.isArray(p.Subscription) ? p.Subscription : [];
      subs.forEach((s, i) => {
        if (!isObj(s) || s.Protocol !== 'lambda') return;
        const fn = b.fnByTarget(refOf(s.Endpoint));
        if (fn)
          fn.triggers.push({
            kind: 'sns',
            auth: { type: 'iam' },
            public: false,
            async: true,
            source: `!Ref ${e.id}`,
            resourceId: e.id,
            where: b.at(subs, i, `Resources.${e.id}.Properties.Subscription[${i}]`),
          });
      });
      return;
    }
    case 'AWS::SNS::Subscription': {
      if (str(t, p.Protocol) !== 'lambda') return;
      const fn = b.fnByTarget(refOf(p.Endpoint));
      if (!fn) return;
      const src = str(t, p.TopicArn, p, 'TopicArn');
      fn.triggers.push({
        kind: 'sns',
        auth: { type: 'iam' },
        public: false,
        async: true,
        ...(src !== undefined ? { source: src } : {}),
        resourceId: e.id,
        where: e.where,
      });
      return;
    }
    case 'AWS::Events::Rule': {
      const targets = Array.isArray(p.Targets) ? p.Targets : [];
      targets.forEach((tg, i) => {
        if (!isObj(tg)) return;
        const fn = b.fnByTarget(refOf(tg.Arn));
        if (!fn) return;
        const schedule = str(t, p.ScheduleExpression, p, 'ScheduleExpression');
        const trig: Trigger = {
          kind: schedule !== undefined ? 'schedule' : 'eventbridge',
          auth: { type: 'iam' },
          public: false,
          async: true,
          resourceId: e.id,
          where: b.at(targets, i, `Resources.${e.id}.Properties.Targets[${i}]`),
        };
        const bus = str(t, p.EventBusName, p, 'EventBusName');
        if (bus !== undefined) trig.source = bus;
        const detail: Record<string, unknown> = {};
        if (schedule !== undefined) detail.schedule = schedule;
        if (p.EventPattern !== undefined) detail.pattern = p.EventPattern;
        if (isObj(tg.DeadLetterConfig)) detail.deadLetterConfig = true;
        if (Object.keys(detail).length) trig.detail = detail;
        fn.triggers.push(trig);
      });
      return;
    }
    case 'AWS::Logs::LogGroup': {
      // `/aws/lambda/<name>` (literal, or !Sub '/aws/lambda/${Fn}', or !Join) -> Fn.logs
      let fn: Fn | undefined;
      const lgn = p.LogGroupName;
      const s = str(t, lgn, p, 'LogGroupName');
      if (typeof s === 'string' && s.startsWith('/aws/lambda/')) fn = b.fnByLiteralName(s.slice('/aws/lambda/'.length));
      if (!fn && lgn !== undefined && JSON.stringify(lgn).includes('/aws/lambda/')) for (const r of refsIn(lgn)) fn ??= b.fnByTarget(r);
      if (!fn) {
        // a function's LoggingConfig.LogGroup pointing at this group
        for (const f of b.functions.values()) {
          const ref = b.entries.get(f.resourceId ?? '')?.props.LoggingConfig;
          if (isObj(ref) && refOf(ref.LogGroup) === e.id) fn = f;
        }
      }
      if (!fn) return;
      const logs: NonNullable<Fn['logs']> = { ...(fn.logs ?? {}), where: fn.logs?.where ?? e.where };
      const ret = num(t, p.RetentionInDays, p, 'RetentionInDays');
      if (ret !== undefined) logs.retentionInDays = ret;
      logs.logGroup ??= s ?? `!Ref ${e.id}`;
      const kms = str(t, p.KmsKeyId, p, 'KmsKeyId');
      if (kms !== undefined) logs.kmsKeyId = kms;
      if (p.DataProtectionPolicy !== undefined) logs.dataProtection = true;
      logs.where = e.where;
      fn.logs = logs;
      return;
    }
    case 'AWS::ElasticLoadBalancingV2::TargetGroup': {
      // a Lambda target group behind listeners of a load balancer
      if (str(t, p.TargetType) !== 'lambda' || !Array.isArray(p.Targets)) return;
      const fns = p.Targets.map((x) => (isObj(x) ? b.fnByTarget(refOf(x.Id)) : undefined)).filter((f): f is Fn => !!f);
      if (fns.length === 0) return;
      const { exposure, auth } = albExposure(b, e.id);
      for (const fn of fns) fn.triggers.push({ kind: 'alb', auth, public: exposure, resourceId: e.id, where: e.where });
      return;
    }
    case 'AWS::AppSync::DataSource': {
      const cfg = p.LambdaConfig;
      const fn = isObj(cfg) ? b.fnByTarget(refOf(cfg.LambdaFunctionArn)) : undefined;
      if (!fn) return;
      const apiId = refOf(p.ApiId);
      const api = apiId ? b.entries.get(apiId) : undefined;
      const at = api ? str(t, api.props.AuthenticationType, api.props, 'AuthenticationType') : undefined;
      const auth: TriggerAuth = { type: typeof at === 'string' ? (APPSYNC_AUTH[at] ?? 'unknown') : 'unknown' };
      if (auth.type === 'api-key') auth.apiKeyRequired = true;
      fn.triggers.push({
        kind: 'appsync',
        auth,
        public: api ? true : 'unknown',
        ...(apiId ? { source: `!Ref ${apiId}` } : {}),
        resourceId: e.id,
        where: e.where,
      });
      return;
    }
    case 'AWS::Cognito::UserPool': {
      const lc = p.LambdaConfig;
      if (!isObj(lc)) return;
      for (const k of COGNITO_TRIGGERS) {
        const raw = lc[k];
        const v = isObj(raw) && !intrinsicName(raw) ? raw.LambdaArn : raw;
        const fn = b.fnByTarget(refOf(v));
        if (fn)
          fn.triggers.push({
            kind: 'cognito',
            auth: { type: 'iam' },
            public: false,
            source: `!Ref ${e.id}`,
            detail: { trigger: k },
            resourceId: e.id,
            where: b.at(lc, k, `Resources.${e.id}.Properties.LambdaConfig.${k}`),
          });
      }
      return;
    }
    case 'AWS::IoT::TopicRule': {
      const payload = p.TopicRulePayload;
      const actions = isObj(payload) && Array.isArray(payload.Actions) ? payload.Actions : [];
      for (const a of actions) {
        const fn = isObj(a) && isObj(a.Lambda) ? b.fnByTarget(refOf(a.Lambda.FunctionArn)) : undefined;
        const sql = isObj(payload) ? str(t, payload.Sql, payload, 'Sql') : undefined;
        if (fn)
          fn.triggers.push({
            kind: 'iot',
            auth: { type: 'iam' },
            public: false,
            async: true,
            ...(sql !== undefined ? { detail: { sql } } : {}),
            resourceId: e.id,
            where: e.where,
          });
      }
      return;
    }
    case 'AWS::Logs::SubscriptionFilter': {
      const fn = b.fnByTarget(refOf(p.DestinationArn));
      const src = str(t, p.LogGroupName, p, 'LogGroupName');
      if (fn)
        fn.triggers.push({
          kind: 'cloudwatch-logs',
          auth: { type: 'iam' },
          public: false,
          async: true,
          ...(src !== undefined ? { source: src } : {}),
          resourceId: e.id,
          where: e.where,
        });
      return;
    }
    case 'AWS::Scheduler::Schedule': {
      const target = p.Target;
      const fn = isObj(target) ? b.fnByTarget(refOf(target.Arn)) : undefined;
      if (!fn) return;
      const expr = str(t, p.ScheduleExpression, p, 'ScheduleExpression');
      const trig: Trigger = { kind: 'schedule', auth: { type: 'iam' }, public: false, async: true, resourceId: e.id, where: e.where };
      if (expr !== undefined) trig.detail = { schedule: expr };
      fn.triggers.push(trig);
      return;
    }
    default:
      return;
  }
}

/** CFN Parameters -> `Resource` type `parameter`. */
export function loadParameters(b: Builder, params: Obj): Resource[] {
  const t = b.t;
  const out: Resource[] = [];
  for (const [id, def] of Object.entries(params)) {
    const where = { ...t.pos.atKey(params, id), path: `Parameters.${id}` };
    if (!isObj(def)) {
      t.diag('warning', `parameter ${id} must be a mapping`, where, 'invalid-property');
      continue;
    }
    const props: ResourceProps = {};
    const ne = bool(t, def.NoEcho, def, 'NoEcho');
    if (ne !== undefined) props.noEcho = ne;
    if (def.Default !== undefined) {
      const d = Array.isArray(def.Default) ? def.Default.join(',') : str(t, def.Default, def, 'Default');
      if (d !== undefined) props.default = d;
      props.defaultWhere = { ...t.pos.at(def, 'Default'), path: `Parameters.${id}.Default` };
    }
    if (typeof def.Type === 'string') props.parameterType = def.Type;
    if (typeof def.Description === 'string') props.description = def.Description;
    const res: Resource = { id, type: 'parameter', sourceType: 'AWS::CloudFormation::Parameter', format: b.format, props, where };
    const sup = suppressionsOf(t, def, `Parameters.${id}`);
    if (sup) res.suppressions = sup;
    out.push(res);
  }
  return out;
}

/**
 * Exposure of a Lambda target group: internet-facing (the default scheme) load balancers whose
 * listeners forward to it are public; an `authenticate-cognito`/`authenticate-oidc` action
 * before the forward is the authentication.
 */
function albExposure(b: Builder, targetGroupId: string): { exposure: boolean | 'unknown'; auth: TriggerAuth } {
  let exposure: boolean | 'unknown' = 'unknown';
  let auth: TriggerAuth = { type: 'unknown' };
  for (const e of b.entries.values()) {
    if (e.type !== 'AWS::ElasticLoadBalancingV2::Listener' && e.type !== 'AWS::ElasticLoadBalancingV2::ListenerRule') continue;
    const actions = e.props.DefaultActions ?? e.props.Actions;
    if (!Array.isArray(actions)) continue;
    const forwards = actions.some(
      (a) =>
        isObj(a) &&
        (refOf(a.TargetGroupArn) === targetGroupId ||
          (isObj(a.ForwardConfig) && JSON.stringify(a.ForwardConfig).includes(`"${targetGroupId}"`))),
    );
    if (!forwards) continue;
    const authAction = actions.find((a) => isObj(a) && (a.Type === 'authenticate-cognito' || a.Type === 'authenticate-oidc'));
    const thisAuth: TriggerAuth =
      authAction && isObj(authAction) ? { type: authAction.Type === 'authenticate-cognito' ? 'cognito' : 'jwt' } : { type: 'none' };
    // a listener rule belongs to a listener, a listener to a load balancer
    let listener: ResourceEntry | undefined = e;
    if (e.type === 'AWS::ElasticLoadBalancingV2::ListenerRule') listener = b.entries.get(refOf(e.props.ListenerArn) ?? '');
    const lb = listener ? b.entries.get(refOf(listener.props.LoadBalancerArn) ?? '') : undefined;
    const scheme = lb ? str(b.t, lb.props.Scheme ?? 'internet-facing') : undefined;
    const pub: boolean | 'unknown' = scheme === 'internet-facing' ? true : scheme === 'internal' ? false : 'unknown';
    if (exposure !== true) exposure = pub === true ? true : exposure === 'unknown' ? pub : exposure;
    if (auth.type === 'unknown' || thisAuth.type === 'none') auth = thisAuth;
  }
  return { exposure, auth };
}
