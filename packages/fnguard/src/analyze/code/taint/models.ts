/**
 * Library models of the taint engine: sinks (which argument of which API is dangerous, per sink
 * kind), sanitisers (which calls make a value safe for which sink kinds) and calls whose result
 * carries no attacker data. Callee paths are module-qualified: `child_process.exec`,
 * `mysql.createConnection().query` (`()` marks a call or `new`), `fs.promises.readFile`.
 */

export type SinkKind =
  | 'command'
  | 'code'
  | 'require'
  | 'sql'
  | 'dynamodb'
  | 'mongodb'
  | 'path'
  | 'xxe'
  | 'deserialization'
  | 'ssrf'
  | 'xss'
  | 'redos'
  | 'redirect'
  | 'aws-resource'
  | 'error-exposure'
  | 'tmp-path'
  | 'tmp-write'
  | 'module-state';

export const SINK_KINDS: readonly SinkKind[] = [
  'command',
  'code',
  'require',
  'sql',
  'dynamodb',
  'mongodb',
  'path',
  'xxe',
  'deserialization',
  'ssrf',
  'xss',
  'redos',
  'redirect',
  'aws-resource',
  'error-exposure',
  'tmp-path',
  'tmp-write',
  'module-state',
];

export function bit(kind: SinkKind): number {
  return 1 << SINK_KINDS.indexOf(kind);
}
export function bits(...kinds: SinkKind[]): number {
  return kinds.reduce((b, k) => b | bit(k), 0);
}
/** Every injection kind: what schema validation and numeric coercion make safe. */
export const ALL_INJECTION = bits(...SINK_KINDS.filter((k) => k !== 'error-exposure' && k !== 'tmp-write' && k !== 'module-state'));

export const KIND_LABEL: Record<SinkKind, string> = {
  command: 'OS command',
  code: 'code evaluation',
  require: 'module loading',
  sql: 'SQL query',
  dynamodb: 'DynamoDB request',
  mongodb: 'MongoDB query',
  path: 'file path',
  xxe: 'XML parser with external entities',
  deserialization: 'unsafe deserialiser',
  ssrf: 'outbound request URL',
  xss: 'HTML response',
  redos: 'regular expression',
  redirect: 'redirect location',
  'aws-resource': 'AWS resource parameter',
  'error-exposure': 'response to the caller',
  'tmp-path': '/tmp file name',
  'tmp-write': '/tmp file',
  'module-state': 'module-level state',
};

export interface SinkSpec {
  kind: SinkKind;
  /** Matches the callee path. */
  callee: RegExp;
  /** Argument indexes checked; `all` for every argument. */
  args: number[] | 'all';
  /** Check these properties of an object argument instead of (or as well as) the argument itself. */
  props?: string[];
  /** Only the properties (an options object), not the argument as a whole. */
  propsOnly?: boolean;
  /** The call is a sink only when this holds (e.g. `spawn` with `shell: true`). */
  when?: (args: readonly ArgView[]) => boolean;
  /** The receiver (the object the method is called on) carries the dangerous data (`new AdmZip(upload).extractAllTo`). */
  receiver?: boolean;
}

/** What a sink condition may look at in an argument. */
export interface ArgView {
  /** Literal text when known. */
  text?: string;
  /** Property of an object literal argument. */
  prop(name: string): ArgView | undefined;
  isFunction: boolean;
  /** The module path when the argument is a library value (`js-yaml.DEFAULT_FULL_SCHEMA`). */
  mod?: string;
}

const CP = '(child_process|cross-spawn)';
const shellTrue = (i: number) => (a: readonly ArgView[]) => {
  for (const x of a.slice(i)) {
    const s = x?.prop('shell');
    if (s && s.text !== undefined && s.text !== 'false' && s.text !== '') return true;
  }
  return false;
};
const FS = '(fs|fs-extra|graceful-fs|fs\\.promises|fs/promises)';
const FS_PATH_1 =
  'readFile|readFileSync|writeFile|writeFileSync|appendFile|appendFileSync|createReadStream|createWriteStream|open|openSync|unlink|unlinkSync|rm|rmSync|rmdir|rmdirSync|readdir|readdirSync|mkdir|mkdirSync|access|accessSync|stat|statSync|lstat|lstatSync|truncate|truncateSync|chmod|chmodSync|outputFile|outputFileSync|outputJson|readJson|readJsonSync|writeJson|writeJsonSync|remove|removeSync|ensureFile|ensureDir|opendir|readlink|realpath';
const FS_PATH_2 = 'copyFile|copyFileSync|rename|renameSync|symlink|symlinkSync|link|linkSync|copy|copySync|move|moveSync|cp|cpSync';
const HTTP_CLIENT = '(axios|got|node-fetch|cross-fetch|isomorphic-fetch|undici|superagent|request|needle|phin|ky|http|https)';
const AWS = String.raw`(aws-sdk|@aws-sdk/[\w-]+)`;

export const SINKS: SinkSpec[] = [
  // OS command
  { kind: 'command', callee: new RegExp(`^${CP}\\.(exec|execSync)$`), args: [0] },
  { kind: 'command', callee: new RegExp(`^${CP}(\\.(spawn|spawnSync|execFile|execFileSync|fork))?$`), args: [0] },
  { kind: 'command', callee: new RegExp(`^${CP}(\\.(spawn|spawnSync|execFile|execFileSync))?$`), args: [1], when: shellTrue(1) },
  { kind: 'command', callee: /^shelljs\.exec$/, args: [0] },
  { kind: 'command', callee: /^execa(\.(command|commandSync|execaCommand|execaCommandSync))$|^execa\.(\$|execaSync)$/, args: [0] },
  { kind: 'command', callee: /^execa(\.(execa|execaSync|sync))?$/, args: [0] },
  { kind: 'command', callee: /^execa(\.(execa|execaSync|sync))?$/, args: [1], when: shellTrue(1) },
  // code
  {
    kind: 'code',
    callee:
      /^(eval|Function|vm\.runInThisContext|vm\.runInNewContext|vm\.runInContext|vm\.compileFunction|vm\.Script|vm\.SourceTextModule)$/,
    args: [0],
  },
  { kind: 'code', callee: /^Function$/, args: 'all' },
  { kind: 'code', callee: /^(vm2\.(VM|NodeVM)\(\)\.run|safe-eval|static-eval)$/, args: [0] },
  { kind: 'code', callee: /^(setTimeout|setInterval|setImmediate)$/, args: [0], when: (a) => !(a[0]?.isFunction ?? true) },
  { kind: 'code', callee: /^require$/, args: [0] },
  // SQL
  {
    kind: 'sql',
    callee:
      /^(mysql|mysql2|mysql2\/promise|pg|pg-promise|mssql|tedious|oracledb|sqlite3|better-sqlite3|@databases\/\w+|postgres|serverless-mysql|@neondatabase\/serverless|@planetscale\/database|data-api-client|knex|sequelize|typeorm|@prisma\/client|mariadb|@vercel\/postgres|slonik)\b.*\.(query|execute|raw|whereRaw|havingRaw|orderByRaw|groupByRaw|joinRaw|fromRaw|unsafe|none|one|oneOrNone|many|manyOrNone|any|result|exec|prepare|all|get|run|each|\$queryRawUnsafe|\$executeRawUnsafe)$/,
    args: [0],
  },
  { kind: 'sql', callee: /(^|\.)\$(queryRawUnsafe|executeRawUnsafe)$/, args: [0] },
  {
    kind: 'sql',
    callee: /^@aws-sdk\/client-rds-data\b.*ExecuteStatementCommand\(?$|^aws-sdk\.RDSDataService\(\)\.executeStatement$/,
    args: [0],
    props: ['sql'],
    propsOnly: true,
  },
  // DynamoDB: string-built expressions, PartiQL, or the whole request from the event
  {
    kind: 'dynamodb',
    callee:
      /^(@aws-sdk\/client-dynamodb|@aws-sdk\/lib-dynamodb)\.\w+Command$|^aws-sdk\.DynamoDB(\.DocumentClient)?\(\)\.\w+$|^(@aws-sdk\/client-dynamodb|@aws-sdk\/lib-dynamodb)\.\w+\(\)\.(?!send$)\w+$/,
    args: [0],
    props: [
      'FilterExpression',
      'KeyConditionExpression',
      'ConditionExpression',
      'UpdateExpression',
      'ProjectionExpression',
      'Statement',
      'ScanFilter',
      'QueryFilter',
    ],
  },
  // MongoDB / Mongoose
  {
    kind: 'mongodb',
    callee:
      /^(mongodb|mongoose)\b.*\.(find|findOne|findOneAndUpdate|findOneAndDelete|findOneAndReplace|updateOne|updateMany|deleteOne|deleteMany|countDocuments|count|aggregate|where|distinct|replaceOne|exists|findById|findByIdAndUpdate)$/,
    args: [0, 1],
  },
  // path traversal / file inclusion
  { kind: 'path', callee: new RegExp(`^${FS}\\.(promises\\.)?(${FS_PATH_1})$`), args: [0] },
  { kind: 'path', callee: new RegExp(`^${FS}\\.(promises\\.)?(${FS_PATH_2})$`), args: [0, 1] },
  { kind: 'path', callee: /^express\.response\.(sendFile|download|attachment)$|^fastify\.reply\.sendFile$/, args: [0] },
  { kind: 'path', callee: /^adm-zip\(\)\.(extractAllTo|extractEntryTo|extractAllToAsync)$/, args: [], receiver: true },
  { kind: 'path', callee: /^(decompress|extract-zip|unzipper\.Open\.buffer|tar\.(x|extract))$/, args: [0], props: ['file'] },
  // XXE
  {
    kind: 'xxe',
    callee: /^(libxmljs|libxmljs2)\.(parseXml|parseXmlString|parseXmlAsync|parseHtml|parseHtmlString|XmlDocument\.fromXml)$/,
    args: [0],
    when: (a) => a.slice(1).some((o) => o?.prop('noent')?.text === 'true'),
  },
  { kind: 'xxe', callee: /^(xml2json|node-expat)\.(toJson|Parser\(\)\.parse)$/, args: [0] },
  // unsafe deserialisation
  {
    kind: 'deserialization',
    callee: /^(node-serialize|serialize-to-js|funcster|cryo)\.(unserialize|deserialize|deepDeserialize|parse)$/,
    args: [0],
  },
  {
    kind: 'deserialization',
    callee: /^(js-yaml|yaml)\.(load|loadAll|parse)$/,
    args: [0],
    when: (a) =>
      a
        .slice(1)
        .some(
          (o) =>
            /FULL_SCHEMA|js-yaml-js-types/.test(o?.prop('schema')?.mod ?? '') ||
            o?.prop('customTags')?.mod?.includes('js-yaml-js-types') === true,
        ),
  },
  { kind: 'deserialization', callee: /^js-yaml\.unsafeLoad(All)?$/, args: [0] },
  // SSRF
  { kind: 'ssrf', callee: /^(fetch|undici\.fetch|undici\.request)$/, args: [0] },
  {
    kind: 'ssrf',
    callee: new RegExp(`^${HTTP_CLIENT}(\\(\\))?(\\.(get|post|put|patch|delete|head|options|request|stream|default))?$`),
    args: [0],
    props: ['url', 'uri', 'host', 'hostname', 'baseURL', 'prefixUrl'],
  },
  {
    kind: 'ssrf',
    callee: /^(puppeteer|puppeteer-core|playwright|playwright-core|playwright-aws-lambda|chrome-aws-lambda)\b.*\.goto$/,
    args: [0],
  },
  { kind: 'ssrf', callee: /^(wkhtmltopdf|wkhtmltoimage|html-pdf\.create)$/, args: [0] },
  // XSS (framework responses; Lambda proxy responses are checked on the handler's return value)
  { kind: 'xss', callee: /^express\.response\.(send|write)$|^fastify\.reply\.send$/, args: [0] },
  // ReDoS
  { kind: 'redos', callee: /^RegExp$/, args: [0] },
  // open redirect
  { kind: 'redirect', callee: /^(express\.response|fastify\.reply|koa\.ctx)\.(redirect|location)$/, args: 'all' },
  {
    kind: 'redirect',
    callee: /^(express\.response)\.(set|setHeader|header|append)$/,
    args: [1],
    when: (a) => /^location$/i.test(a[0]?.text ?? ''),
  },
  // AWS SDK resource parameters
  {
    kind: 'aws-resource',
    callee: new RegExp(`^${AWS}\\.\\w+Command$|^aws-sdk\\.\\w+(\\.DocumentClient)?\\(\\)\\.\\w+$|^${AWS}\\.\\w+\\(\\)\\.(?!send$)\\w+$`),
    args: [0],
    props: [
      'Bucket',
      'FunctionName',
      'QueueUrl',
      'TopicArn',
      'TargetArn',
      'TableName',
      'RoleArn',
      'stateMachineArn',
      'SecretId',
      'StreamName',
      'DeliveryStreamName',
      'EventBusName',
    ],
    propsOnly: true,
  },
  {
    kind: 'aws-resource',
    callee: /^(@aws-sdk\/client-s3\.\w+Command|aws-sdk\.S3\(\)\.\w+|@aws-sdk\/client-s3\.S3(Client)?\(\)\.(?!send$)\w+)$/,
    args: [0],
    props: ['Key', 'CopySource'],
    propsOnly: true,
  },
];

/** Calls whose result is safe for some sink kinds (or all of them). */
export const SANITIZERS: [RegExp, number][] = [
  [/^(Number|parseInt|parseFloat|Math\.\w+|Boolean|BigInt|Number\.parseInt|Number\.parseFloat|Date\.parse)$/, ALL_INJECTION],
  [/^path\.(basename|posix\.basename|win32\.basename|extname)$|^sanitize-filename$/, bits('path', 'require')],
  [/^(encodeURIComponent|querystring\.(escape|stringify)|qs\.stringify|URLSearchParams)$/, bits('ssrf', 'redirect', 'xss', 'path')],
  [/^(shell-quote\.quote|shell-escape|shescape\.(quote|quoteAll|escape|escapeAll)|any-shell-escape|shell-escape-tag)$/, bits('command')],
  [
    /^(sqlstring|mysql|mysql2|mysql2\/promise|pg-format|pg\.Client\(\)|pg-escape|sequelize)\b.*\.?(escape|escapeId|escapeLiteral|escapeIdentifier|format|literal|ident)$|^pg-format$|^pg-escape$/,
    bits('sql'),
  ],
  [/(^|\.)(escape|escapeId)$/, bits('sql')],
  [
    /^(escape-html|he\.(encode|escape)|lodash\.escape|lodash\/escape|underscore\.escape|validator\.escape|xss|sanitize-html|dompurify\.sanitize|isomorphic-dompurify\.sanitize|entities\.(encode|encodeHTML|escape)|html-entities\.(encode|escape)|xss-filters\.\w+)$/,
    bits('xss'),
  ],
  [/^(escape-string-regexp|lodash\.escapeRegExp|lodash\/escapeRegExp|regexp\.escape|RegExp\.escape)$/, bits('redos')],
  [/^validator\.(isInt|isNumeric|toInt|toFloat|isUUID|isAlphanumeric)$/, ALL_INJECTION],
  [/^(uuid|crypto|nanoid|bcrypt|bcryptjs|argon2|Date)\b/, ALL_INJECTION],
  // schema validation
  [
    /^(zod|joi|@hapi\/joi|yup|superstruct|valibot|@sinclair\/typebox|runtypes|io-ts)\b.*\.(parse|parseAsync|safeParse|safeParseAsync|validate|validateSync|validateAsync|attempt|cast|create|mask|Parse|Decode|check)$/,
    ALL_INJECTION,
  ],
  [/^(superstruct|valibot)\.(create|parse|mask)$/, ALL_INJECTION],
];

/** Calls that return no attacker data whatever their arguments (hashes, lengths, clocks). */
export const CLEAN_RESULTS =
  /^(crypto\.(createHash|createHmac)\(\).*|crypto\.(randomUUID|randomBytes|randomInt|timingSafeEqual)|Date\.now|Math\.random|Array\.isArray|Number\.isInteger|Number\.isFinite|Object\.keys\(\)\.length|isNaN|isFinite|console\.\w+|process\.hrtime.*|os\.tmpdir)$/;

/** String and array methods that pass the receiver's taint through (and their arguments'). */
export const PROPAGATING_METHODS = new Set([
  'toString',
  'valueOf',
  'trim',
  'trimStart',
  'trimEnd',
  'toLowerCase',
  'toUpperCase',
  'toLocaleLowerCase',
  'toLocaleUpperCase',
  'normalize',
  'replace',
  'replaceAll',
  'split',
  'substring',
  'substr',
  'slice',
  'concat',
  'padStart',
  'padEnd',
  'repeat',
  'at',
  'charAt',
  'join',
  'flat',
  'reverse',
  'toReversed',
  'toSorted',
  'pop',
  'shift',
  'match',
  'matchAll',
  'exec',
  'entries',
  'values',
  'keys',
  'get',
  'toJSON',
]);

/** Methods whose result holds no attacker data. */
export const CLEAN_METHODS = new Set([
  'length',
  'indexOf',
  'lastIndexOf',
  'includes',
  'startsWith',
  'endsWith',
  'test',
  'localeCompare',
  'charCodeAt',
  'codePointAt',
  'search',
  'has',
  'some',
  'every',
  'findIndex',
  'push',
  'unshift',
  'getTime',
  'toFixed',
  'hasOwnProperty',
]);

/** Array methods whose callback's first parameter is an element of the receiver. */
export const ELEMENT_CALLBACK_METHODS = new Set([
  'map',
  'forEach',
  'filter',
  'find',
  'findLast',
  'some',
  'every',
  'flatMap',
  'findIndex',
  'sort',
]);
