/**
 * Permissions the function's configuration needs, whatever its code does: writing its own logs,
 * X-Ray when tracing is active, network interfaces in a VPC, reading its event-source mappings
 * (SQS, Kinesis, DynamoDB streams), sending to its dead-letter queue / topic and destinations.
 */
import { type Fn, isUnknown, type Maybe, type Where } from '../model/types.js';
import { type ArnPart, type RefTarget, targetArn } from './arn.js';
import { actionDetail } from './catalog.js';
import type { Need, NeedContext, NeededResource, NeedSource } from './needs.js';

const VPC_ACTIONS = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
];
const XRAY_ACTIONS = [
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'xray:GetSamplingStatisticSummaries',
];
const SQS_MAPPING = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'];
const KINESIS_MAPPING = [
  'kinesis:DescribeStream',
  'kinesis:DescribeStreamSummary',
  'kinesis:GetRecords',
  'kinesis:GetShardIterator',
  'kinesis:ListShards',
  'kinesis:ListStreams',
  'kinesis:SubscribeToShard',
];
const DDB_STREAM_MAPPING = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'];

function src(label: string, where: Where): NeedSource {
  return { kind: 'config', label, file: where.file, line: where.line, column: where.column };
}

function marker(v: string): string {
  return `<unresolved:${v}>`;
}

/** A resource value from the configuration (`!GetAtt Queue.Arn`, a literal ARN) into a needed resource. */
function configResource(value: Maybe<string> | undefined, what: string, ctx: NeedContext, suffix?: string): NeededResource {
  if (value === undefined) return { parts: [marker(what)], unresolved: `${what} not set` };
  if (!isUnknown(value)) {
    if (value.startsWith('arn:')) return { parts: [suffix && !value.includes('/stream/') ? `${value}${suffix}` : value] };
    return { parts: [marker(what)], unresolved: `${what} ${value} is not an ARN` };
  }
  const t: RefTarget | undefined = value.target ? ctx.index.byRef(value.target, { format: ctx.fn.format }) : undefined;
  if (!t) return { parts: [marker(what)], unresolved: `${what} = ${value.expr} cannot be resolved` };
  const arn = targetArn(t);
  if (!arn) return { parts: [marker(what)], unresolved: `${t.address} has no ARN form` };
  const parts: ArnPart[] = [...arn];
  if (suffix && t.kind.type === 'dynamodb-table') parts.push(suffix);
  return { parts };
}

function push(out: Need[], actions: readonly string[], resource: NeededResource, source: NeedSource, note: string): void {
  for (const action of actions) {
    const d = actionDetail(action);
    const r: NeededResource =
      d?.wildcardOnly || (d === undefined && action.startsWith('ec2:')) ? { parts: ['*'], wildcardOnly: true } : resource;
    out.push({ action, verified: true, resource: r, source, note });
  }
}

/** The log group the function writes to. */
function logGroupParts(fn: Fn, ctx: NeedContext): ArnPart[] | undefined {
  const base: ArnPart[] = ['arn:', { pseudo: 'partition' }, ':logs:', { pseudo: 'region' }, ':', { pseudo: 'account' }, ':log-group:'];
  const lg = fn.logs?.logGroup;
  if (typeof lg === 'string') return [...base, lg];
  if (lg !== undefined) return undefined;
  if (typeof fn.functionName === 'string') return [...base, `/aws/lambda/${fn.functionName}`];
  const t = ctx.index.ofFunction(fn);
  if (t && fn.format !== 'serverless') return [...base, '/aws/lambda/', { ref: t.id, attr: 'name' }];
  return undefined;
}

/** Every permission the configuration of `fn` implies. */
export function configNeeds(ctx: NeedContext): Need[] {
  const { fn } = ctx;
  const out: Need[] = [];
  const lg = logGroupParts(fn, ctx);
  const logSource = src('logs (function log group)', fn.logs?.where ?? fn.where);
  if (lg) {
    out.push({
      action: 'logs:CreateLogGroup',
      verified: true,
      resource: { parts: [...lg, ':*'] },
      source: logSource,
      note: 'function logs',
    });
    for (const a of ['logs:CreateLogStream', 'logs:PutLogEvents'])
      out.push({ action: a, verified: true, resource: { parts: [...lg, ':log-stream:*'] }, source: logSource, note: 'function logs' });
  } else {
    const r: NeededResource = { parts: [marker('LogGroupName')], unresolved: "the function's log group name is not known statically" };
    for (const a of ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'])
      out.push({ action: a, verified: true, resource: r, source: logSource, note: 'function logs' });
  }
  if (fn.tracing === 'Active')
    push(out, XRAY_ACTIONS, { parts: ['*'], wildcardOnly: true }, src('tracing: Active', fn.where), 'X-Ray tracing');
  if (fn.vpc) push(out, VPC_ACTIONS, { parts: ['*'], wildcardOnly: true }, src('VPC network interfaces', fn.vpc.where), 'VPC access');
  for (const t of fn.triggers) {
    const source = src(`${t.kind} event source mapping`, t.where);
    if (t.kind === 'sqs') push(out, SQS_MAPPING, configResource(t.source, 'queue', ctx), source, 'event source mapping');
    else if (t.kind === 'kinesis') push(out, KINESIS_MAPPING, configResource(t.source, 'stream', ctx), source, 'event source mapping');
    else if (t.kind === 'dynamodb-stream')
      push(out, DDB_STREAM_MAPPING, configResource(t.source, 'stream', ctx, '/stream/*'), source, 'event source mapping');
  }
  const sendTo = (value: Maybe<string> | undefined, where: Where, what: string) => {
    if (value === undefined) return;
    const r = configResource(value, what, ctx);
    const text = isUnknown(value)
      ? value.target
        ? (ctx.index.byRef(value.target, { format: fn.format })?.kind.type ?? '')
        : value.expr
      : value;
    const action = /sns|:sns:/.test(text)
      ? 'sns:Publish'
      : /sqs|:sqs:/.test(text)
        ? 'sqs:SendMessage'
        : /function|:lambda:/.test(text)
          ? 'lambda:InvokeFunction'
          : /event|:events:/.test(text)
            ? 'events:PutEvents'
            : undefined;
    if (action) out.push({ action, verified: true, resource: r, source: src(what, where), note: what });
  };
  if (fn.deadLetter) sendTo(fn.deadLetter.target, fn.deadLetter.where, 'dead-letter target');
  if (fn.destinations) {
    sendTo(fn.destinations.onSuccess, fn.destinations.where, 'on-success destination');
    sendTo(fn.destinations.onFailure, fn.destinations.where, 'on-failure destination');
  }
  // SAM and the Serverless Framework add these to the roles they generate (logs are in the Model already)
  if (fn.format === 'sam' || fn.format === 'serverless') for (const n of out) if (!n.action.startsWith('logs:')) n.frameworkGranted = true;
  return out;
}
