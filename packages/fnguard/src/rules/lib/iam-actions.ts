/**
 * IAM action sets used by the PERM rules, as data, with wildcard matching.
 *
 * The lists are facts (AWS IAM action names) gathered from the research note
 * (`/work/shared/research/rules.md` A.1): privilege-escalation primitives as catalogued by
 * Prowler/LambdaGuard/Checkov, data-exfiltration and credentials-exposure actions as classified by
 * Cloudsplaining (used by Checkov CKV_AWS_107/108), and permissions-management actions.
 * Names are written in AWS's canonical case; matching is case-insensitive.
 */

/**
 * IAM-style glob match (`*` any run, `?` one character), case-insensitive, in O(pattern × text)
 * time whatever the pattern (no regular expression, so a hostile `*a*a*a*...` cannot backtrack).
 */
export function globMatch(pattern: string, text: string): boolean {
  const p = pattern.toLowerCase();
  const t = text.toLowerCase();
  let pi = 0;
  let ti = 0;
  let star = -1;
  let mark = 0;
  while (ti < t.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === t[ti])) {
      pi++;
      ti++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      mark = ti;
    } else if (star >= 0) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

/** True when the IAM action pattern as written in a policy (`iam:Put*`, `*`) covers `action`. */
export function actionMatches(pattern: string, action: string): boolean {
  const p = pattern.trim();
  if (p === '*' || p === '*:*') return true;
  // without a wildcard, globMatch is a case-insensitive comparison
  if (!p.includes('*') && !p.includes('?')) return p.toLowerCase() === action.toLowerCase();
  return globMatch(p, action);
}

/**
 * `(action) => patterns.some((p) => actionMatches(p, action))`, with the patterns prepared once:
 * those without a wildcard become one lower-cased Set (a lookup instead of a comparison each).
 */
export function patternMatcher(patterns: readonly string[]): (action: string) => boolean {
  let exact: Set<string> | undefined;
  const globs: string[] = [];
  for (const raw of patterns) {
    const p = raw.trim();
    if (p === '*' || p === '*:*') return () => true;
    if (p.includes('*') || p.includes('?')) globs.push(p);
    else {
      exact ??= new Set();
      exact.add(p.toLowerCase());
    }
  }
  const names = exact;
  if (globs.length === 0) return names ? (a) => names.has(a.toLowerCase()) : () => false;
  return (a) => names?.has(a.toLowerCase()) === true || globs.some((g) => globMatch(g, a));
}

/** The members of `set` covered by any of the patterns. */
export function matchActions(patterns: readonly string[], set: readonly string[]): string[] {
  const matches = patternMatcher(patterns);
  return set.filter(matches);
}

/** True for `*`, `*:*`, and a whole-service wildcard `svc:*`. */
export function isServiceWildcard(pattern: string): boolean {
  return /^(\*|\*:\*|[a-z0-9-]+:\*)$/i.test(pattern.trim());
}

/** True when the pattern contains a wildcard character at all. */
export function hasWildcard(pattern: string): boolean {
  return /[*?]/.test(pattern);
}

/** The service prefix of an action (`iam` for `iam:PassRole`), lower case; `*` for `*`. */
export function serviceOf(action: string): string {
  const i = action.indexOf(':');
  return i < 0 ? action.trim().toLowerCase() : action.slice(0, i).trim().toLowerCase();
}

/**
 * Actions that let a principal give itself (or a new principal it controls) more permissions.
 * Each is dangerous on its own (Prowler's privilege_escalation.py combinations, LambdaGuard
 * PrivilegeEscalation.py, Checkov CKV_AWS_110/286).
 */
export const ESCALATION_ACTIONS: readonly string[] = [
  'iam:CreatePolicyVersion',
  'iam:SetDefaultPolicyVersion',
  'iam:AttachRolePolicy',
  'iam:AttachUserPolicy',
  'iam:AttachGroupPolicy',
  'iam:PutRolePolicy',
  'iam:PutUserPolicy',
  'iam:PutGroupPolicy',
  'iam:UpdateAssumeRolePolicy',
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:UpdateLoginProfile',
  'iam:AddUserToGroup',
  'iam:PutRolePermissionsBoundary',
  'iam:DeleteRolePermissionsBoundary',
  'iam:PutUserPermissionsBoundary',
  'iam:DeleteUserPermissionsBoundary',
];

/** Lambda write actions that let the holder run its own code under another function's role. */
export const LAMBDA_TAKEOVER_ACTIONS: readonly string[] = ['lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration'];

/**
 * `iam:PassRole` combined with any of these creates compute that runs with the passed role.
 * Each entry: the creating action and the actions of which one must also be granted to run it.
 */
export const PASSROLE_COMBOS: readonly { create: string; run: readonly string[] }[] = [
  {
    create: 'lambda:CreateFunction',
    run: ['lambda:InvokeFunction', 'lambda:AddPermission', 'lambda:CreateEventSourceMapping', 'lambda:CreateFunctionUrlConfig'],
  },
  { create: 'cloudformation:CreateStack', run: ['cloudformation:CreateStack'] },
  { create: 'ec2:RunInstances', run: ['ec2:RunInstances'] },
  { create: 'glue:CreateDevEndpoint', run: ['glue:CreateDevEndpoint'] },
  { create: 'datapipeline:CreatePipeline', run: ['datapipeline:PutPipelineDefinition'] },
  { create: 'ecs:RegisterTaskDefinition', run: ['ecs:RunTask', 'ecs:StartTask', 'ecs:CreateService'] },
];

/** Read access to stored data (Cloudsplaining "data exfiltration"). */
export const EXFILTRATION_ACTIONS: readonly string[] = [
  's3:GetObject',
  's3:GetObjectVersion',
  'ssm:GetParameter',
  'ssm:GetParameters',
  'ssm:GetParametersByPath',
  'secretsmanager:GetSecretValue',
  'secretsmanager:BatchGetSecretValue',
  'rds:CopyDBSnapshot',
  'rds:CreateDBSnapshot',
  'dynamodb:Scan',
  'dynamodb:ExportTableToPointInTime',
  'kms:Decrypt',
];

/** Actions that return credentials (Cloudsplaining "credentials exposure"). */
export const CREDENTIALS_EXPOSURE_ACTIONS: readonly string[] = [
  'iam:CreateAccessKey',
  'iam:UpdateAccessKey',
  'iam:CreateLoginProfile',
  'iam:CreateServiceSpecificCredential',
  'iam:ResetServiceSpecificCredential',
  'sts:AssumeRole',
  'sts:AssumeRoleWithSAML',
  'sts:AssumeRoleWithWebIdentity',
  'sts:GetFederationToken',
  'sts:GetSessionToken',
  'ecr:GetAuthorizationToken',
  'cognito-identity:GetOpenIdToken',
  'cognito-identity:GetOpenIdTokenForDeveloperIdentity',
  'cognito-identity:GetCredentialsForIdentity',
  'redshift:GetClusterCredentials',
  'rds-db:connect',
  'sso:GetRoleCredentials',
  'lightsail:GetInstanceAccessDetails',
  'lightsail:GetRelationalDatabaseMasterUserPassword',
  'codepipeline:PollForJobs',
  'connect:GetFederationToken',
  'gamelift:GetInstanceAccess',
  'gamelift:RequestUploadCredentials',
];

/** Actions that change who may access a resource (resource exposure / permissions management). */
export const PERMISSIONS_MANAGEMENT_ACTIONS: readonly string[] = [
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
  's3:PutBucketAcl',
  's3:PutObjectAcl',
  's3:PutBucketPublicAccessBlock',
  's3:PutAccountPublicAccessBlock',
  'lambda:AddPermission',
  'lambda:RemovePermission',
  'lambda:AddLayerVersionPermission',
  'lambda:CreateFunctionUrlConfig',
  'lambda:UpdateFunctionUrlConfig',
  'kms:PutKeyPolicy',
  'kms:CreateGrant',
  'sqs:AddPermission',
  'sqs:SetQueueAttributes',
  'sns:AddPermission',
  'sns:SetTopicAttributes',
  'secretsmanager:PutResourcePolicy',
  'secretsmanager:DeleteResourcePolicy',
  'ecr:SetRepositoryPolicy',
  'events:PutPermission',
  'logs:PutResourcePolicy',
  'glacier:SetVaultAccessPolicy',
  'apigateway:UpdateRestApiPolicy',
  'es:UpdateElasticsearchDomainConfig',
  'ram:CreateResourceShare',
  'iam:CreateRole',
  'iam:CreateUser',
  'iam:CreatePolicy',
  'iam:DeleteRolePolicy',
  'iam:DetachRolePolicy',
  'iam:UpdateRole',
];

/** Services where granting every action (`svc:*`) amounts to governance control (Prowler full-access checks, CKV2_AWS_40). */
export const GOVERNANCE_SERVICES: readonly string[] = ['iam', 'kms', 'cloudtrail', 'organizations', 'sts'];

/**
 * Actions that do not support resource-level permissions, or that AWS documents with
 * `Resource: "*"` in its own Lambda managed policies. `Resource: "*"` on them is not a finding.
 * Patterns are allowed here.
 */
export const RESOURCE_STAR_OK_ACTIONS: readonly string[] = [
  // AWSLambdaBasicExecutionRole grants these on `*`: writing the function's own logs
  'logs:CreateLogGroup',
  'logs:CreateLogStream',
  'logs:PutLogEvents',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSampling*',
  'cloudwatch:PutMetricData',
  'cloudwatch:GetMetricData',
  'cloudwatch:GetMetricStatistics',
  'cloudwatch:ListMetrics',
  'ec2:Describe*',
  'ec2:CreateNetworkInterface',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
  's3:ListAllMyBuckets',
  'sts:GetCallerIdentity',
  'kms:CreateKey',
  'kms:ListKeys',
  'kms:ListAliases',
  'kms:GenerateRandom',
  'ssm:DescribeParameters',
  'secretsmanager:ListSecrets',
  'secretsmanager:GetRandomPassword',
  'sqs:ListQueues',
  'sns:ListTopics',
  'dynamodb:ListTables',
  'dynamodb:DescribeLimits',
  'lambda:ListFunctions',
  'lambda:GetAccountSettings',
  'logs:DescribeLogGroups',
  'tag:GetResources',
  'ecr:GetAuthorizationToken',
  'iam:List*',
  'events:PutPartnerEvents',
  'appconfig:GetLatestConfiguration',
  'appconfig:StartConfigurationSession',
];

/** True when `action` (a pattern as written) is only ever used with `Resource: "*"`. */
export function isResourceStarOk(action: string): boolean {
  const a = action.trim();
  if (hasWildcard(a)) {
    // a pattern is OK only when it is itself one of the listed patterns (e.g. `ec2:Describe*`)
    return RESOURCE_STAR_OK_ACTIONS.some((ok) => ok.toLowerCase() === a.toLowerCase());
  }
  return RESOURCE_STAR_OK_ACTIONS.some((ok) => actionMatches(ok, a));
}

/** Data-store access (PERM-12, Panoptica "Data access"): services and representative actions. */
export const DATA_ACCESS_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  DynamoDB: [
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:Query',
    'dynamodb:Scan',
    'dynamodb:BatchGetItem',
    'dynamodb:BatchWriteItem',
    'dynamodb:PartiQLSelect',
  ],
  S3: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
  'RDS Data API': ['rds-data:ExecuteStatement', 'rds-data:BatchExecuteStatement'],
  'RDS IAM auth': ['rds-db:connect'],
  'Secrets Manager': ['secretsmanager:GetSecretValue'],
  'SSM Parameter Store': ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'],
  'Redshift Data API': ['redshift-data:ExecuteStatement'],
  OpenSearch: ['es:ESHttpGet', 'es:ESHttpPost', 'es:ESHttpPut'],
};
