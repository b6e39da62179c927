/**
 * Taint sources: which fields of a handler's event an attacker controls, per trigger kind
 * (research/rules.md section (d), after AWS's event fixtures). A spec is a tree of path segments;
 * `*` matches any array index. A path is tainted when the nearest marked node on it is tainted;
 * unmarked paths take their parent's default.
 */
import type { TriggerKind } from '../../../model/types.js';

export type Taintedness = 'tainted' | 'trusted' | 'partial';

export interface SpecNode {
  /** The default for this node and unmarked children. */
  mark?: 'tainted' | 'trusted';
  /** What the field is, for flow notes. */
  note?: string;
  children?: Map<string, SpecNode>;
}

export interface SourceSpec {
  /** Trigger kinds it was built from (for notes). */
  triggers: string[];
  root: SpecNode;
}

type Rows = [path: string, mark: 'tainted' | 'trusted', note?: string][];

function build(rows: Rows, rootMark: 'tainted' | 'trusted'): SpecNode {
  const root: SpecNode = { mark: rootMark };
  for (const [path, mark, note] of rows) {
    let n = root;
    for (const seg of path.split('.')) {
      n.children ??= new Map();
      let c = n.children.get(seg);
      if (!c) {
        c = {};
        n.children.set(seg, c);
      }
      n = c;
    }
    n.mark = mark;
    if (note) n.note = note;
  }
  return root;
}

const HTTP_V1: Rows = [
  ['body', 'tainted', 'request body'],
  ['headers', 'tainted', 'request header'],
  ['multiValueHeaders', 'tainted', 'request header'],
  ['queryStringParameters', 'tainted', 'query string parameter'],
  ['multiValueQueryStringParameters', 'tainted', 'query string parameter'],
  ['pathParameters', 'tainted', 'path parameter'],
  ['path', 'tainted', 'request path'],
  ['resource', 'trusted'],
  ['httpMethod', 'trusted'],
  ['stageVariables', 'trusted'],
  ['isBase64Encoded', 'trusted'],
  ['requestContext', 'trusted'],
  ['requestContext.path', 'tainted', 'request path'],
  ['requestContext.identity.userAgent', 'tainted', 'User-Agent header'],
  ['requestContext.identity.clientCert', 'tainted', 'client certificate'],
];
const HTTP_V2: Rows = [
  ['body', 'tainted', 'request body'],
  ['headers', 'tainted', 'request header'],
  ['cookies', 'tainted', 'cookie'],
  ['rawPath', 'tainted', 'request path'],
  ['rawQueryString', 'tainted', 'query string'],
  ['queryStringParameters', 'tainted', 'query string parameter'],
  ['pathParameters', 'tainted', 'path parameter'],
  ['routeKey', 'trusted'],
  ['version', 'trusted'],
  ['stageVariables', 'trusted'],
  ['isBase64Encoded', 'trusted'],
  ['requestContext', 'trusted'],
  ['requestContext.http.path', 'tainted', 'request path'],
  ['requestContext.http.userAgent', 'tainted', 'User-Agent header'],
];
const ALB: Rows = [
  ['body', 'tainted', 'request body'],
  ['path', 'tainted', 'request path'],
  ['headers', 'tainted', 'request header'],
  ['multiValueHeaders', 'tainted', 'request header'],
  ['queryStringParameters', 'tainted', 'query string parameter'],
  ['multiValueQueryStringParameters', 'tainted', 'query string parameter'],
  ['requestContext', 'trusted'],
  ['httpMethod', 'trusted'],
  ['isBase64Encoded', 'trusted'],
];
const WEBSOCKET: Rows = [
  ['body', 'tainted', 'WebSocket message'],
  ['headers', 'tainted', 'request header'],
  ['multiValueHeaders', 'tainted', 'request header'],
  ['queryStringParameters', 'tainted', 'query string parameter'],
  ['requestContext', 'trusted'],
  ['isBase64Encoded', 'trusted'],
  ['stageVariables', 'trusted'],
];

interface TriggerSpec {
  rows: Rows;
  root: 'tainted' | 'trusted';
}

const BY_TRIGGER: Partial<Record<TriggerKind, TriggerSpec>> = {
  'rest-api': { rows: HTTP_V1, root: 'tainted' },
  'http-api': { rows: [...HTTP_V2, ...HTTP_V1.filter(([p]) => !HTTP_V2.some(([q]) => q === p))], root: 'tainted' },
  'function-url': { rows: HTTP_V2, root: 'tainted' },
  alb: { rows: ALB, root: 'tainted' },
  websocket: { rows: WEBSOCKET, root: 'tainted' },
  s3: {
    rows: [
      ['Records.*.s3.object.key', 'tainted', 'S3 object key (chosen by the uploader)'],
      ['detail.object.key', 'tainted', 'S3 object key (chosen by the uploader)'],
    ],
    root: 'trusted',
  },
  sqs: {
    rows: [
      ['Records.*.body', 'tainted', 'SQS message body'],
      ['Records.*.messageAttributes', 'tainted', 'SQS message attribute'],
    ],
    root: 'trusted',
  },
  sns: {
    rows: [
      ['Records.*.Sns.Message', 'tainted', 'SNS message'],
      ['Records.*.Sns.Subject', 'tainted', 'SNS subject'],
      ['Records.*.Sns.MessageAttributes', 'tainted', 'SNS message attribute'],
    ],
    root: 'trusted',
  },
  'dynamodb-stream': {
    rows: [
      ['Records.*.dynamodb.NewImage', 'tainted', 'DynamoDB stream item (stored user data)'],
      ['Records.*.dynamodb.OldImage', 'tainted', 'DynamoDB stream item (stored user data)'],
      ['Records.*.dynamodb.Keys', 'tainted', 'DynamoDB stream key'],
    ],
    root: 'trusted',
  },
  kinesis: {
    rows: [
      ['Records.*.kinesis.data', 'tainted', 'Kinesis record data'],
      ['Records.*.kinesis.partitionKey', 'tainted', 'Kinesis partition key'],
      ['records.*.data', 'tainted', 'Firehose record data'],
    ],
    root: 'trusted',
  },
  kafka: { rows: [['records', 'tainted', 'Kafka record']], root: 'trusted' },
  mq: { rows: [['messages', 'tainted', 'MQ message']], root: 'trusted' },
  eventbridge: {
    rows: [
      ['detail', 'tainted', 'EventBridge event detail'],
      ['detail-type', 'tainted', 'EventBridge detail-type'],
      ['source', 'tainted', 'EventBridge source'],
      ['resources', 'tainted', 'EventBridge resources'],
    ],
    root: 'trusted',
  },
  schedule: { rows: [], root: 'trusted' },
  timer: { rows: [], root: 'trusted' },
  cognito: {
    rows: [
      ['userName', 'tainted', 'Cognito user name'],
      ['request', 'tainted', 'Cognito user-supplied attribute'],
      ['request.privateChallengeParameters', 'trusted'],
    ],
    root: 'trusted',
  },
  iot: { rows: [], root: 'tainted' },
  'cloudwatch-logs': { rows: [['awslogs.data', 'tainted', 'log data']], root: 'trusted' },
  appsync: {
    rows: [
      ['arguments', 'tainted', 'GraphQL argument'],
      ['source', 'tainted', 'GraphQL parent object'],
      ['request', 'tainted', 'request header'],
    ],
    root: 'trusted',
  },
};

/** Sources of Express/Koa/Fastify request objects (`req`, `ctx`, `request`). */
export const REQUEST_SPEC: SourceSpec = {
  triggers: ['http-framework'],
  root: build(
    [
      ['body', 'tainted', 'request body'],
      ['query', 'tainted', 'query string parameter'],
      ['params', 'tainted', 'path parameter'],
      ['headers', 'tainted', 'request header'],
      ['cookies', 'tainted', 'cookie'],
      ['signedCookies', 'tainted', 'cookie'],
      ['path', 'tainted', 'request path'],
      ['url', 'tainted', 'request URL'],
      ['originalUrl', 'tainted', 'request URL'],
      ['hostname', 'tainted', 'Host header'],
      ['querystring', 'tainted', 'query string'],
      ['request', 'tainted', 'request'],
      ['request.body', 'tainted', 'request body'],
      ['raw', 'tainted', 'request'],
      ['files', 'tainted', 'uploaded file'],
      ['file', 'tainted', 'uploaded file'],
    ],
    'trusted',
  ),
};

/** Methods of a request object that return attacker data (`req.get('x')`, `ctx.get()`). */
export const REQUEST_GETTERS = new Set(['get', 'header', 'param']);

const WHOLE: SourceSpec = {
  triggers: ['unknown'],
  root: { mark: 'tainted', note: 'event (trigger unknown: every field is treated as attacker-controlled)' },
};

/** The source spec of a function with these triggers: the union of each trigger's tainted fields. */
export function sourceSpecFor(kinds: readonly TriggerKind[]): SourceSpec {
  const known = kinds.map((k) => BY_TRIGGER[k]);
  if (kinds.length === 0 || known.some((k) => k === undefined)) return { ...WHOLE, triggers: kinds.length ? [...kinds] : ['unknown'] };
  const specs = known as TriggerSpec[];
  // union: a field is tainted when any trigger taints it; the root default is tainted if any is
  const root: SpecNode = build([], specs.some((s) => s.root === 'tainted') ? 'tainted' : 'trusted');
  const merge = (into: SpecNode, from: SpecNode) => {
    if (from.mark === 'tainted' || (from.mark === 'trusted' && into.mark === undefined)) into.mark = from.mark;
    if (from.note && !into.note) into.note = from.note;
    for (const [k, c] of from.children ?? []) {
      into.children ??= new Map();
      let t = into.children.get(k);
      if (!t) {
        t = {};
        into.children.set(k, t);
      }
      merge(t, c);
    }
  };
  for (const s of specs) merge(root, build(s.rows, s.root));
  if (specs.some((s) => s.root === 'tainted')) root.mark = 'tainted';
  return { triggers: [...new Set(kinds)], root };
}

/** Classify an access path against a spec. */
export function classify(spec: SourceSpec, path: readonly string[]): { t: Taintedness; note?: string } {
  let node: SpecNode | undefined = spec.root;
  let mark = spec.root.mark ?? 'trusted';
  let note = spec.root.note;
  for (const seg of path) {
    const next: SpecNode | undefined =
      node?.children?.get(seg) ?? (/^\d+$/.test(seg) || seg === '*' ? node?.children?.get('*') : undefined);
    if (!next) {
      node = undefined;
      break;
    }
    node = next;
    if (node.mark) mark = node.mark;
    if (node.note) note = node.note;
  }
  // a node with marked descendants stays an object the engine follows field by field
  if (node?.children?.size) return note ? { t: 'partial', note } : { t: 'partial' };
  if (mark === 'tainted') return note ? { t: 'tainted', note } : { t: 'tainted' };
  return { t: 'trusted' };
}

/** True when some field at or below the path is tainted (a partial object used as a whole). */
export function anyTainted(spec: SourceSpec, path: readonly string[]): { note?: string } | undefined {
  const c = classify(spec, path);
  if (c.t === 'tainted') return c.note ? { note: c.note } : {};
  if (c.t === 'trusted') return undefined;
  let node: SpecNode | undefined = spec.root;
  let mark = spec.root.mark;
  for (const seg of path) {
    node = node?.children?.get(seg) ?? node?.children?.get('*');
    if (node?.mark) mark = node.mark;
  }
  return node ? firstTainted(node, mark) : undefined;
}

/** The first tainted node at or below `n` (depth first), with its note. */
function firstTainted(n: SpecNode, inherited: string | undefined): { note?: string } | undefined {
  if ((n.mark ?? inherited) === 'tainted') return n.note ? { note: n.note } : {};
  for (const ch of n.children?.values() ?? []) {
    const r = firstTainted(ch, n.mark ?? inherited);
    if (r) return r;
  }
  return undefined;
}

/** The trigger a TypeScript handler type names (`APIGatewayProxyHandler` -> `rest-api`). */
export function triggerFromTypeHint(hint: string | undefined): TriggerKind | undefined {
  if (!hint) return undefined;
  const table: [RegExp, TriggerKind][] = [
    [/^APIGatewayProxy(Handler|Event)V2|^APIGatewayProxyWithJWTAuthorizer|^LambdaFunctionURL/, 'http-api'],
    [/^APIGatewayProxy(Handler|Event)$|^APIGatewayEvent$|^ProxyHandler$/, 'rest-api'],
    [/^ALB(Handler|Event)/, 'alb'],
    [/^S3(Handler|Event)/, 's3'],
    [/^SQS(Handler|Event)/, 'sqs'],
    [/^SNS(Handler|Event)/, 'sns'],
    [/^DynamoDBStream(Handler|Event)/, 'dynamodb-stream'],
    [/^Kinesis(Stream)?(Handler|Event)/, 'kinesis'],
    [/^EventBridge(Handler|Event)/, 'eventbridge'],
    [/^ScheduledHandler|^ScheduledEvent/, 'schedule'],
  ];
  for (const [re, kind] of table) if (re.test(hint)) return kind;
  return undefined;
}
