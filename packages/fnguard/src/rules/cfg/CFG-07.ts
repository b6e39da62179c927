import {
  type App,
  type Fn,
  type Identity,
  isKnown,
  isUnknown,
  type Maybe,
  type PolicyStatement,
  type Resource,
  type Trigger,
} from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { awsFunctions, identityOf } from '../lib/functions.js';
import { isAllow, isDenied, knownStrings } from '../lib/iam.js';
import { actionMatches } from '../lib/iam-actions.js';
import { resolveSource } from '../lib/resources.js';
import { wildcardMatch } from '../lib/wildcard.js';

/** The write action that re-triggers each source kind, and the ARN service it lives in. */
const LOOP_ACTIONS: Partial<Record<Trigger['kind'], { action: string; service: string; noun: string }>> = {
  s3: { action: 's3:PutObject', service: 's3', noun: 'bucket' },
  sqs: { action: 'sqs:SendMessage', service: 'sqs', noun: 'queue' },
  sns: { action: 'sns:Publish', service: 'sns', noun: 'topic' },
};

interface SourceIds {
  ids: string[];
  names: string[];
}

function lastSegment(s: string): string {
  const parts = s.split(/[:/]/);
  return parts[parts.length - 1] ?? s;
}

function localId(id: string): string {
  return id.slice(id.lastIndexOf('#') + 1);
}

function sourceIds(res: Resource | undefined, source: Maybe<string> | undefined): SourceIds {
  const ids: string[] = [];
  const names: string[] = [];
  if (res) {
    ids.push(res.id);
    // Model ids are `<format>:<file>#<logical id or address>`; references name the part after `#`.
    if (res.id.includes('#')) ids.push(localId(res.id));
    if (isKnown(res.name)) names.push(res.name);
  }
  if (typeof source === 'string' && source.length > 0) {
    // `arn:aws:sqs:...:orders` or a bare bucket name.
    if (source.startsWith('arn:')) names.push(source.split(':').slice(5).join(':'));
    else names.push(source);
    names.push(lastSegment(source));
  } else if (isUnknown(source) && source.target) ids.push(source.target, localId(source.target));
  return { ids: [...new Set(ids)], names: [...new Set(names.filter((n) => n.length > 0))] };
}

/** Does one `Resource` entry of a statement cover the trigger's source? Returns 'exact', 'star' or undefined. */
function resourceCovers(entry: Maybe<string>, service: string, src: SourceIds): 'exact' | 'star' | undefined {
  if (isUnknown(entry)) {
    if (entry.target && (src.ids.includes(entry.target) || src.ids.includes(localId(entry.target)))) return 'exact';
    // `!Sub ${Jobs.Arn}`, `aws_sqs_queue.jobs.arn`: a token naming the source (or an attribute of it)
    const tokens = entry.expr.split(/[^A-Za-z0-9_.-]+/);
    if (src.ids.some((id) => id.length > 2 && tokens.some((t) => t === localId(id) || t.startsWith(`${localId(id)}.`)))) return 'exact';
    return undefined;
  }
  const r = entry.trim();
  if (r === '*') return 'star';
  if (!r.startsWith('arn:')) return src.names.includes(r) || src.ids.includes(r) ? 'exact' : undefined;
  const parts = r.split(':');
  const svc = parts[2] ?? '';
  if (!wildcardMatch(svc, service)) return undefined;
  let resPart = parts.slice(5).join(':');
  if (service === 's3') resPart = resPart.split('/')[0] ?? resPart;
  if (resPart === '*') return 'star';
  return src.names.some((n) => wildcardMatch(resPart, n)) ? 'exact' : undefined;
}

/** The Allow statements of a role (and of its unexpanded managed policies) that grant `action`, in order, once per role. */
const allowingCache = new WeakMap<Identity, Map<string, PolicyStatement[]>>();
function allowing(identity: Identity, action: string): PolicyStatement[] {
  let byAction = allowingCache.get(identity);
  if (!byAction) {
    byAction = new Map();
    allowingCache.set(identity, byAction);
  }
  let list = byAction.get(action);
  if (!list) {
    list = [...identity.statements, ...unexpandedManaged(identity)].filter(
      (s) => isAllow(s) && knownStrings(s.actions).some((a) => actionMatches(a, action)),
    );
    byAction.set(action, list);
  }
  return list;
}

function coveringStatement(
  statements: PolicyStatement[],
  service: string,
  src: SourceIds,
): { s: PolicyStatement; how: 'exact' | 'star' } | undefined {
  let star: { s: PolicyStatement; how: 'star' } | undefined;
  for (const s of statements) {
    for (const r of s.resources ?? []) {
      const how = resourceCovers(r, service, src);
      if (how === 'exact') return { s, how };
      if (how === 'star') star ??= { s, how };
    }
  }
  return star;
}

function sourceLabel(res: Resource | undefined, t: Trigger): string {
  if (res) return isKnown(res.name) ? res.name : localId(res.id);
  if (typeof t.source === 'string') return lastSegment(t.source);
  return t.source?.expr ?? 'its source';
}

/**
 * AWS-managed policies that grant the loop actions on every resource, for when the Model lists
 * the policy by name without its statements (facts from the AWS Managed Policy Reference Guide).
 */
const MANAGED_WRITES: Readonly<Record<string, string[]>> = {
  AWSLambdaExecute: ['s3:PutObject'],
  AmazonS3FullAccess: ['s3:*'],
  AmazonSQSFullAccess: ['sqs:*'],
  AmazonSNSFullAccess: ['sns:*'],
};

function unexpandedManaged(identity: Identity): PolicyStatement[] {
  const out: PolicyStatement[] = [];
  for (const m of identity.managedPolicies) {
    const name = m.name ?? (isKnown(m.arn) ? m.arn.slice(m.arn.lastIndexOf('/') + 1) : undefined);
    if (!name || !m.awsManaged) continue;
    const actions = MANAGED_WRITES[name];
    if (!actions) continue;
    if (identity.statements.some((s) => s.origin?.kind === 'aws-managed' && s.origin.name === name)) continue;
    out.push({ effect: 'Allow', actions, resources: ['*'], where: m.where, origin: { kind: 'aws-managed', name } });
  }
  return out;
}

function checkFn(
  app: App,
  fn: Fn,
  report: (fn: Fn, where: PolicyStatement['where'], message: string, key: string, star: boolean) => void,
): void {
  const identity = identityOf(app, fn);
  if (!identity) return;
  for (const t of fn.triggers) {
    const spec = LOOP_ACTIONS[t.kind];
    if (!spec || t.source === undefined) continue;
    const res = resolveSource(app, t.source);
    const src = sourceIds(res, t.source);
    if (src.ids.length === 0 && src.names.length === 0) continue;
    if (isDenied(identity, spec.action)) continue;
    const hit = coveringStatement(allowing(identity, spec.action), spec.service, src);
    if (!hit) continue;
    const label = sourceLabel(res, t);
    const scope = hit.how === 'star' ? `on every ${spec.noun} (Resource "*")` : `on that ${spec.noun}`;
    report(
      fn,
      hit.s.where,
      `Function '${fn.name}' is triggered by ${spec.noun} '${label}' and its role allows ${spec.action} ${scope}: if the code writes back to it, each write triggers the function again (recursive loop, unbounded cost).`,
      `loop:${t.kind}:${src.ids[0] ?? src.names[0] ?? ''}`,
      hit.how === 'star',
    );
  }
}

export default defineRule({
  meta: {
    id: 'CFG-07',
    title: 'Recursive invocation loop: function can write to its own trigger, or RecursiveLoop is Allow',
    severity: 'high',
    category: 'denial-of-wallet',
    cwe: ['CWE-674'],
    sas: 'SAS-8',
    description:
      "The function is triggered by an S3 bucket, SQS queue or SNS topic and its role may write to that same bucket, queue or topic (`s3:PutObject`, `sqs:SendMessage`, `sns:Publish`). One write from the handler re-triggers it, which writes again: an infinite loop billed per invocation. AWS's recursive loop detection stops some SQS/SNS loops only after they start and does not cover every S3 case; setting `RecursiveLoop: Allow` turns it off. Write permission on every resource (`*`) is reported at medium: the loop is possible but not certain.",
    remediation: {
      general:
        "Write the output to a different bucket, queue or topic than the trigger (or a prefix the trigger filter excludes), scope the role's write permission to that destination, and keep `RecursiveLoop` at `Terminate`.",
      serverless:
        'Scope the `provider.iam.role.statements` write action to the output bucket/queue/topic ARN, and use `rules: [{ prefix: incoming/ }]` on the S3 event if input and output share a bucket.',
      cloudformation:
        "Scope the write statement's `Resource` to the output resource ARN; leave `RecursiveLoop` unset or `Terminate` on the `AWS::Lambda::Function`.",
      sam: 'Scope the policy (e.g. `S3WritePolicy: { BucketName: !Ref OutputBucket }`) to the output resource; leave `RecursiveLoop` unset or `Terminate`.',
      terraform: 'Scope the write statement\'s `resources` to the output resource ARN; leave `recursive_loop` unset or `"Terminate"`.',
      cdk: 'Grant write on the output resource only (`outputBucket.grantPut(fn)`), not on the trigger.',
    },
    formats: ['serverless', 'cloudformation', 'sam', 'cdk', 'terraform'],
    references: ['AWS Lambda recursive loop detection (docs.aws.amazon.com/lambda/latest/dg/invocation-recursion)'],
    precision: 'medium',
  },
  check(ctx) {
    for (const fn of awsFunctions(ctx.app)) {
      if (fn.recursiveLoop === 'Allow') {
        ctx.report({
          fn,
          message: `Function '${fn.name}' sets RecursiveLoop to Allow: AWS will not stop a recursive invocation loop through SQS, SNS or S3.`,
          key: 'recursive-loop-allow',
        });
      }
      checkFn(ctx.app, fn, (f, where, message, key, star) =>
        ctx.report({ fn: f, where, message, key, ...(star ? { severity: 'medium' as const } : {}) }),
      );
    }
  },
});
