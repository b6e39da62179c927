/**
 * The normalized Model: every IaC adapter (serverless, cloudformation/sam/cdk, terraform, aws)
 * produces it, every rule reads it. Rules never look at raw YAML/JSON/HCL.
 *
 * Conventions
 * - Every object carries `where`: the position in the user's source (1-based line and column).
 * - A value the adapter could not resolve statically is an explicit `Unknown` carrying the
 *   expression it came from. Rules never flag what they cannot see: use `isUnknown()`.
 * - Optional fields are `undefined` when the source does not set them (so a rule can tell
 *   "not set" (provider default applies) from "set to a value" and from "set but Unknown").
 * - Extending this file: add optional fields only, never rename or remove; document the field.
 */

/** A position in a user's file. `file` is absolute; reports make it relative to the scan root. */
export interface Where {
  file: string;
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
  endLine?: number;
  endColumn?: number;
  /** A logical path inside the file, e.g. `functions.api.events[0].http` or a CDK construct path. */
  path?: string;
}

/** A value that could not be resolved statically (an intrinsic, a variable, a reference). */
export interface Unknown {
  readonly kind: 'unknown';
  /** The expression it came from, as the user wrote it, e.g. `!Ref DbPassword`, `${ssm:/x}`, `var.token`. */
  readonly expr: string;
  /**
   * What the expression is known to be, when the adapter can tell (helps SEC-03 and policy):
   * `ref` (a reference to another resource/parameter), `secret-reference` (SSM SecureString,
   * Secrets Manager dynamic reference, TF secret data source), `variable`, `parameter`, `other`.
   */
  readonly hint?: 'ref' | 'secret-reference' | 'variable' | 'parameter' | 'other';
  /** Logical id / address of the referenced resource, when it is a reference. */
  readonly target?: string;
  readonly where?: Where;
}

export type Maybe<T> = T | Unknown;

/**
 * A suppression declared in the source on a function, resource or identity, e.g. CloudFormation
 * `Metadata: { fnguard: { ignore: [{ rule: PERM-01, reason: ... }] } }` (CDK: `cfnOptions.metadata`).
 * `rule` is a rule id or a glob (`PERM-*`). The engine marks matching findings suppressed (kind `metadata`).
 */
export interface ModelSuppression {
  rule: string;
  reason?: string;
  where: Where;
}

export function unknown(expr: string, extra: Partial<Omit<Unknown, 'kind' | 'expr'>> = {}): Unknown {
  return { kind: 'unknown', expr, ...extra };
}

export function isUnknown(v: unknown): v is Unknown {
  return (
    typeof v === 'object' &&
    v !== null &&
    (v as { kind?: unknown }).kind === 'unknown' &&
    typeof (v as { expr?: unknown }).expr === 'string'
  );
}

/** True when the value is known (not Unknown and not undefined). */
export function isKnown<T>(v: Maybe<T> | undefined): v is T {
  return v !== undefined && !isUnknown(v);
}

export type Provider = 'aws' | 'gcp' | 'azure';

/** Which input format a Model object came from. */
export type SourceFormat = 'serverless' | 'cloudformation' | 'sam' | 'cdk' | 'terraform' | 'aws';

/* ------------------------------------------------------------------------------------------ */
/* IAM                                                                                         */
/* ------------------------------------------------------------------------------------------ */

/** A principal block of a policy statement. `'*'` means everyone. */
export type Principal =
  | '*'
  | {
      AWS?: Maybe<string>[];
      Service?: Maybe<string>[];
      Federated?: Maybe<string>[];
      CanonicalUser?: Maybe<string>[];
    };

export interface PolicyStatement {
  sid?: string;
  effect: 'Allow' | 'Deny' | Unknown;
  /** `Action`; undefined when the statement uses `NotAction`. Each entry as written (`s3:Get*`). */
  actions?: Maybe<string>[];
  notActions?: Maybe<string>[];
  resources?: Maybe<string>[];
  notResources?: Maybe<string>[];
  principal?: Principal | Unknown;
  notPrincipal?: Principal | Unknown;
  /** Condition block as written (operators -> keys -> values), or Unknown. */
  condition?: Record<string, Record<string, unknown>> | Unknown;
  where: Where;
  /** Where this statement came from: an inline policy, a managed policy document, a SAM template. */
  origin?: { kind: 'inline' | 'customer-managed' | 'aws-managed' | 'sam-template' | 'permission'; name?: string };
}

export interface ManagedPolicyRef {
  /** ARN or name as written (`arn:aws:iam::aws:policy/AdministratorAccess`), or Unknown. */
  arn: Maybe<string>;
  /** The policy name when known (`AdministratorAccess`). */
  name?: string;
  /** True for AWS-managed (`arn:aws:iam::aws:policy/...`). */
  awsManaged?: boolean;
  where: Where;
}

/** An execution identity: an IAM role (AWS), a service account (GCP), a managed identity (Azure). */
export interface Identity {
  /** Stable id: logical id / TF address / `serverless:<service>:role` */
  id: string;
  name?: Maybe<string>;
  provider: Provider;
  /** Permission statements granted (inline + customer-managed documents + expanded SAM templates). */
  statements: PolicyStatement[];
  /** Managed policies attached by ARN (AWS-managed ones are also expanded into `statements` when known). */
  managedPolicies: ManagedPolicyRef[];
  /** Trust policy (AssumeRolePolicyDocument) statements. */
  trust?: PolicyStatement[];
  permissionsBoundary?: Maybe<string>;
  /** True when the role is defined outside this project (custom ARN): its permissions are unknown. */
  external?: boolean;
  /** For external roles: the ARN as given. */
  arn?: Maybe<string>;
  /** GCP: the service account email, `default` when the function runs as the default compute SA. */
  serviceAccount?: Maybe<string>;
  /** Fn ids using this identity. */
  usedBy: string[];
  /** Suppressions declared on the object itself (CloudFormation `Metadata.fnguard.ignore`); the engine applies them. */
  suppressions?: ModelSuppression[];
  where: Where;
}

/* ------------------------------------------------------------------------------------------ */
/* Triggers                                                                                    */
/* ------------------------------------------------------------------------------------------ */

export type TriggerKind =
  | 'rest-api'
  | 'http-api'
  | 'websocket'
  | 'function-url'
  | 'alb'
  | 's3'
  | 'sqs'
  | 'sns'
  | 'eventbridge'
  | 'schedule'
  | 'dynamodb-stream'
  | 'kinesis'
  | 'kafka'
  | 'mq'
  | 'cognito'
  | 'iot'
  | 'cloudwatch-logs'
  | 'alexa'
  | 'appsync'
  | 'step-functions'
  | 'http' /* generic HTTP trigger (GCP/Azure) */
  | 'pubsub'
  | 'storage'
  | 'timer'
  | 'other';

export type AuthType = 'none' | 'iam' | 'cognito' | 'jwt' | 'lambda' | 'api-key' | 'mtls' | 'private' | 'function-key' | 'unknown';

export interface TriggerAuth {
  type: AuthType;
  /** Authorizer name / logical id / ARN when known. */
  authorizer?: Maybe<string>;
  /** API Gateway: `private: true` / ApiKeyRequired. */
  apiKeyRequired?: boolean;
  /** Authorization scopes when set. */
  scopes?: string[];
  where?: Where;
}

export interface Trigger {
  kind: TriggerKind;
  auth: TriggerAuth;
  /**
   * Reachable from the internet without AWS credentials? true for HTTP-like triggers on public
   * endpoints, false for internal event sources, 'unknown' when it cannot be told.
   */
  public: boolean | 'unknown';
  /** HTTP method and path for HTTP-like triggers. */
  method?: string;
  path?: Maybe<string>;
  /** The API (Model `apis[].id`) this route belongs to. */
  apiId?: string;
  /** The event source resource: queue/topic/bucket/table/stream id or ARN (or Unknown). */
  source?: Maybe<string>;
  /** For event-source mappings (sqs, kinesis, dynamodb-stream, kafka, mq). */
  mapping?: EventSourceMapping;
  /** True when Lambda invokes the function asynchronously for this trigger (s3, sns, eventbridge, schedule, ...). */
  async?: boolean;
  /** Schedule expression, S3 event names, EventBridge pattern... as written. */
  detail?: Record<string, unknown>;
  /** Logical id of the resource that declares it (AWS::Lambda::Permission, event source mapping...). */
  resourceId?: string;
  where: Where;
}

export interface EventSourceMapping {
  batchSize?: Maybe<number>;
  maximumRetryAttempts?: Maybe<number>;
  bisectBatchOnFunctionError?: Maybe<boolean>;
  /** On-failure destination ARN (Kinesis/DynamoDB/Kafka). */
  onFailure?: Maybe<string>;
  /** For SQS: whether the queue has a redrive policy (DLQ). */
  functionResponseTypes?: string[];
  enabled?: Maybe<boolean>;
  where: Where;
}

/* ------------------------------------------------------------------------------------------ */
/* Function                                                                                    */
/* ------------------------------------------------------------------------------------------ */

export interface EnvVar {
  name: string;
  value: Maybe<string>;
  where: Where;
  /** provider-level (serverless `provider.environment`, SAM `Globals`) or function-level. */
  level?: 'provider' | 'function';
}

export interface FunctionUrl {
  auth: 'none' | 'iam' | Unknown;
  cors?: {
    allowOrigins?: Maybe<string>[];
    allowMethods?: Maybe<string>[];
    allowHeaders?: Maybe<string>[];
    allowCredentials?: Maybe<boolean>;
    where: Where;
  };
  invokeMode?: Maybe<string>;
  resourceId?: string;
  where: Where;
}

/** A resource-based permission on the function (who may invoke it). */
export interface InvokePermission {
  id: string;
  principal: Maybe<string>;
  action: Maybe<string>;
  sourceArn?: Maybe<string>;
  sourceAccount?: Maybe<string>;
  principalOrgId?: Maybe<string>;
  functionUrlAuthType?: Maybe<string>;
  where: Where;
}

export interface LayerRef {
  /** ARN or reference as written. */
  arn: Maybe<string>;
  /** The Model layer id when the layer is defined in this project. */
  layerId?: string;
  where: Where;
}

export interface Fn {
  /** Stable id: `<format>:<file-relative-to-root>#<logical name>` — unique in the App. */
  id: string;
  /** The function's logical name (serverless key, CFN logical id, TF resource name). */
  name: string;
  /** The deployed name when known (`FunctionName`, `function_name`). */
  functionName?: Maybe<string>;
  provider: Provider;
  format: SourceFormat;
  /** `nodejs20.x`, `python3.12`, ... or Unknown; undefined for container images. */
  runtime?: Maybe<string>;
  /** Where the runtime was set (may be provider level / Globals). */
  runtimeWhere?: Where;
  /** The project-level runtime (serverless `provider.runtime`, SAM `Globals.Function.Runtime`) when one is set, even if this function overrides it (SUP-07). */
  defaultRuntime?: Maybe<string>;
  /** `src/handler.main`, `index.handler`... */
  handler?: Maybe<string>;
  packageType?: 'zip' | 'image';
  /** Container image URI. */
  imageUri?: Maybe<string>;
  /** Absolute directory the code lives in (CodeUri, serverless service dir, TF source_dir), when known. */
  codeDir?: string;
  /** Zip artifact path when the code is given as a zip (TF `filename`, CodeUri: x.zip). */
  codeArtifact?: string;
  /** Source code given inline in the template (CFN `Code.ZipFile`, SAM `InlineCode`), when literal; for code analyzers. */
  inlineCode?: { text: string; where: Where };
  /** Absolute path of the handler's entry file, resolved by code analysis (may be filled later). */
  entryFile?: string;
  env: EnvVar[];
  /** KMS key for environment encryption; undefined = AWS-managed key. */
  kmsKeyArn?: Maybe<string>;
  /** The execution identity id (Model `identities[].id`), or undefined if none resolved. */
  identity?: string;
  /** Seconds; undefined = provider default (3 s for CFN/TF/SAM, 6 s for serverless). */
  timeout?: Maybe<number>;
  /** MB; undefined = provider default (128 MB CFN/TF/SAM, 1024 MB serverless). */
  memory?: Maybe<number>;
  reservedConcurrency?: Maybe<number>;
  provisionedConcurrency?: Maybe<number>;
  /** X-Ray: 'Active' | 'PassThrough'. undefined = not set (PassThrough). */
  tracing?: Maybe<string>;
  vpc?: { subnetIds: Maybe<string>[]; securityGroupIds: Maybe<string>[]; where: Where };
  /** Async failure handling. */
  deadLetter?: { target: Maybe<string>; where: Where };
  destinations?: { onSuccess?: Maybe<string>; onFailure?: Maybe<string>; maximumRetryAttempts?: Maybe<number>; where: Where };
  url?: FunctionUrl;
  layers: LayerRef[];
  /** CodeSigningConfigArn; `enforce` when the config's policy is Enforce in this project. */
  codeSigning?: { config: Maybe<string>; enforcement?: 'Enforce' | 'Warn' | Unknown; where: Where };
  triggers: Trigger[];
  permissions: InvokePermission[];
  /** Log group settings of the function. */
  logs?: {
    retentionInDays?: Maybe<number>;
    logGroup?: Maybe<string>;
    kmsKeyId?: Maybe<string>;
    format?: Maybe<string>;
    /** A CloudWatch Logs data-protection (masking) policy applies to the function's log group (SLS `provider.logDataProtectionPolicy`, CFN `LogGroup.DataProtectionPolicy`, TF `aws_cloudwatch_log_data_protection_policy`). */
    dataProtection?: Maybe<boolean>;
    where: Where;
  };
  /** `RecursiveLoop` setting ('Allow' | 'Terminate'). */
  recursiveLoop?: Maybe<string>;
  architectures?: Maybe<string>[];
  tags?: Record<string, Maybe<string>>;
  /** Serverless Framework: package.patterns / include / exclude; SAM: CodeUri folder; TF archive_file excludes. */
  packaging?: { patterns?: string[]; individually?: boolean; artifact?: Maybe<string>; where?: Where };
  /** GCP/Azure specifics: ingress setting, `allUsers` invoker, https only, auth level... */
  cloud?: {
    ingress?: Maybe<string>;
    /** GCP: invoker IAM members (e.g. `allUsers`). */
    invokers?: Maybe<string>[];
    /** GCP gen1: `trigger_http` with `https_trigger_security_level`. */
    httpsOnly?: Maybe<boolean>;
    /** Azure: `auth_settings.enabled`, function auth level. */
    authEnabled?: Maybe<boolean>;
    /** Azure: minimum TLS version, client certs, FTPS... */
    settings?: Record<string, Maybe<string | boolean | number>>;
  };
  /** The CloudFormation/TF logical id / address of the function resource. */
  resourceId?: string;
  /** CDK construct path (`aws:cdk:path`) when the template was synthesized by CDK. */
  cdkPath?: string;
  /** Suppressions declared on the object itself (CloudFormation `Metadata.fnguard.ignore`); the engine applies them. */
  suppressions?: ModelSuppression[];
  where: Where;
}

/* ------------------------------------------------------------------------------------------ */
/* APIs, layers and supporting resources                                                       */
/* ------------------------------------------------------------------------------------------ */

export interface ApiStage {
  name: Maybe<string>;
  accessLogging?: { destination: Maybe<string>; format?: Maybe<string> };
  /** Execution logging level for all methods: 'OFF' | 'ERROR' | 'INFO'. */
  loggingLevel?: Maybe<string>;
  dataTraceEnabled?: Maybe<boolean>;
  tracingEnabled?: Maybe<boolean>;
  throttling?: { rateLimit?: Maybe<number>; burstLimit?: Maybe<number> };
  cacheEnabled?: Maybe<boolean>;
  cacheEncrypted?: Maybe<boolean>;
  variables?: EnvVar[];
  /** WAFv2 web ACL association. */
  webAclArn?: Maybe<string>;
  where: Where;
}

export interface Api {
  id: string;
  kind: 'rest' | 'http' | 'websocket';
  name?: Maybe<string>;
  /** EDGE | REGIONAL | PRIVATE */
  endpointType?: Maybe<string>;
  /** Resource policy statements (REST). */
  policy?: PolicyStatement[];
  stages: ApiStage[];
  /** Usage plans with throttling (serverless `provider.apiGateway.usagePlan`). */
  usagePlanThrottling?: { rateLimit?: Maybe<number>; burstLimit?: Maybe<number> };
  /** Has request validation (REST RequestValidator / models). */
  requestValidation?: boolean;
  /** Custom domains and their minimum TLS (`TLS_1_0`, `TLS_1_2`). */
  domains?: { name: Maybe<string>; securityPolicy?: Maybe<string>; where: Where }[];
  /** Hard-coded API key values. */
  apiKeys?: { name?: Maybe<string>; value?: Maybe<string>; where: Where }[];
  disableExecuteApiEndpoint?: Maybe<boolean>;
  where: Where;
}

export interface Layer {
  id: string;
  name?: Maybe<string>;
  contentDir?: string;
  compatibleRuntimes?: Maybe<string>[];
  /** LayerVersionPermission principals. */
  permissions: { principal: Maybe<string>; organizationId?: Maybe<string>; where: Where }[];
  where: Where;
}

/**
 * Supporting resources rules care about, normalized per type. `type` is a provider-neutral name:
 * `sqs-queue`, `sns-topic`, `s3-bucket`, `dynamodb-table`, `kinesis-stream`, `eventbridge-bus`,
 * `eventbridge-rule`, `log-group`, `state-machine`, `cognito-identity-pool`, `cognito-user-pool`,
 * `cloudwatch-alarm`, `secret`, `kms-key`, `appsync-api`, `code-signing-config`, `parameter`
 * (CFN parameter / TF variable), `deployment-bucket`, `other`.
 */
export interface Resource {
  /** Logical id / TF address. */
  id: string;
  type: string;
  /** Original type as written (`AWS::SQS::Queue`, `aws_sqs_queue`). */
  sourceType: string;
  name?: Maybe<string>;
  format: SourceFormat;
  /** Normalized properties; the keys for each `type` are documented in docs/model.md. */
  props: ResourceProps;
  /** Resource policy statements (queue/topic/bucket/bus policies). */
  policy?: PolicyStatement[];
  cdkPath?: string;
  /** Suppressions declared on the object itself (CloudFormation `Metadata.fnguard.ignore`); the engine applies them. */
  suppressions?: ModelSuppression[];
  where: Where;
}

/** Normalized resource properties. Known keys per resource type (all optional): */
export interface ResourceProps {
  /** sqs/sns/dynamodb/secret/log-group/kinesis: encryption at rest; 'cmk' when a customer key is set. */
  encryption?: 'none' | 'aws-managed' | 'cmk' | Unknown;
  kmsKeyId?: Maybe<string>;
  /** sqs: redrive (DLQ) configured */
  redrive?: Maybe<boolean>;
  /** sqs: visibility timeout seconds */
  visibilityTimeout?: Maybe<number>;
  /** log-group: retention days */
  retentionInDays?: Maybe<number>;
  /** state-machine: logging level ALL/ERROR/FATAL/OFF, tracing */
  loggingLevel?: Maybe<string>;
  tracingEnabled?: Maybe<boolean>;
  /** cognito-identity-pool */
  allowUnauthenticated?: Maybe<boolean>;
  /** cloudwatch-alarm: metric, namespace, dimensions (FunctionName value), actions */
  metricName?: Maybe<string>;
  namespace?: Maybe<string>;
  dimensions?: Record<string, Maybe<string>>;
  alarmActions?: Maybe<string>[];
  /** parameter: NoEcho, Default, Type; TF variable `sensitive`, default */
  noEcho?: Maybe<boolean>;
  default?: Maybe<string>;
  sensitive?: Maybe<boolean>;
  /** s3 / deployment-bucket: public access block fully on */
  blockPublicAccess?: Maybe<boolean>;
  /** sns/sqs subscription or rule target DLQ */
  deadLetterTarget?: Maybe<string>;
  /** code-signing-config policy: Enforce/Warn */
  untrustedArtifactOnDeployment?: Maybe<string>;
  /** Anything else an adapter wants to expose (document the key in docs/model.md). */
  [key: string]: unknown;
}

export type DiagnosticLevel = 'error' | 'warning' | 'info';

export interface Diagnostic {
  level: DiagnosticLevel;
  /** Absolute path; reports make it relative. */
  file: string;
  line?: number;
  column?: number;
  message: string;
  /** Machine-readable code, e.g. `yaml-parse`, `alias-bomb`, `too-large`, `binary`, `symlink-loop`, `skipped-executable-config`. */
  code?: string;
}

export interface SourceFile {
  file: string;
  format: SourceFormat;
  /** e.g. serverless service name, CFN stack name, TF module path. */
  unit?: string;
}

/** The whole project as one normalized model. */
export interface App {
  root: string;
  functions: Fn[];
  identities: Identity[];
  apis: Api[];
  layers: Layer[];
  resources: Resource[];
  sources: SourceFile[];
  diagnostics: Diagnostic[];
}

export function emptyApp(root: string): App {
  return { root, functions: [], identities: [], apis: [], layers: [], resources: [], sources: [], diagnostics: [] };
}

/** Merge a fragment produced by one adapter into an App (adapters produce one fragment per file/unit). */
export function mergeInto(app: App, part: Partial<App>): App {
  if (part.functions) app.functions.push(...part.functions);
  if (part.identities) app.identities.push(...part.identities);
  if (part.apis) app.apis.push(...part.apis);
  if (part.layers) app.layers.push(...part.layers);
  if (part.resources) app.resources.push(...part.resources);
  if (part.sources) app.sources.push(...part.sources);
  if (part.diagnostics) app.diagnostics.push(...part.diagnostics);
  return app;
}
