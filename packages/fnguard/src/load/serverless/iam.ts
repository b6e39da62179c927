/**
 * Serverless Framework IAM: the default service role (`provider.iam.role` / legacy
 * `iamRoleStatements`, `iamManagedPolicies`, `rolePermissionsBoundary`), external roles
 * (`provider.iam.role: arn:...`, `provider.role`, function `role:`), and per-function roles
 * (`functions.<f>.iam.role.statements`, `serverless-iam-roles-per-function` `iamRoleStatements`).
 */
import {
  type Fn,
  type Identity,
  isUnknown,
  type ManagedPolicyRef,
  type Maybe,
  type PolicyStatement,
  unknown,
  type Where,
} from '../../model/types.js';
import { managedPolicy, policyDocument } from '../cloudformation/iam.js';
import { exprOf } from '../cloudformation/intrinsics.js';
import { at, atKey, isIntrinsic, isObj, listAt, type Obj, objAt, type Svc, strAt } from './context.js';

/** What a role setting says: a role defined here, or one defined elsewhere (ARN / resources logical id). */
export type RoleRef =
  | { kind: 'inline' }
  | { kind: 'logical'; logicalId: string; where: Where }
  | { kind: 'external'; arn: Maybe<string>; where: Where };

/** Read a `role:` value (`provider.role`, `provider.iam.role` string form, function `role`). */
export function roleRef(s: Svc, parent: Obj, key: string, path: string): RoleRef | undefined {
  const v = parent[key];
  if (v === undefined || v === null) return undefined;
  const where = at(s, parent, key, path);
  if (typeof v === 'string') {
    if (v.startsWith('arn:')) return { kind: 'external', arn: v, where };
    if (/^[A-Za-z0-9]+$/.test(v)) return { kind: 'logical', logicalId: v, where };
    return { kind: 'external', arn: v, where };
  }
  if (isIntrinsic(v)) {
    const o = v as Obj;
    const ga = o['Fn::GetAtt'];
    const target = Array.isArray(ga) ? ga[0] : typeof ga === 'string' ? ga.split('.')[0] : typeof o.Ref === 'string' ? o.Ref : undefined;
    if (typeof target === 'string' && isObj(s.t.resources[target])) return { kind: 'logical', logicalId: target, where };
    return { kind: 'external', arn: unknown(exprOf(v), { hint: 'ref', ...(typeof target === 'string' ? { target } : {}), where }), where };
  }
  if (isUnknown(v)) return { kind: 'external', arn: v, where };
  return undefined;
}

/** Statements from a list of IAM statements (serverless `statements:` / `iamRoleStatements:`). */
export function statementsAt(s: Svc, parent: Obj, key: string, path: string, name: string): PolicyStatement[] {
  const list = listAt(s, parent, key, path);
  if (!list) return [];
  const doc = { Statement: list };
  const out = policyDocument(s.t, doc, parent, key, { kind: 'inline', name }, path);
  for (const st of out) if (st.where.path) st.where = { ...st.where, path: st.where.path.replace('.Statement[', '[') };
  return out;
}

/** Managed policy ARNs; AWS-managed ones are expanded into `into`. */
export function managedPoliciesAt(s: Svc, parent: Obj, key: string, path: string, into: PolicyStatement[]): ManagedPolicyRef[] {
  const list = listAt(s, parent, key, path);
  const out: ManagedPolicyRef[] = [];
  if (!list) return out;
  list.forEach((v, i) => {
    const ref = managedPolicy(s.t, v, list, i, into, `${path}[${i}]`);
    if (ref) out.push(ref);
  });
  return out;
}

export function lambdaTrust(where: Where): PolicyStatement[] {
  return [
    {
      effect: 'Allow',
      actions: ['sts:AssumeRole'],
      principal: { Service: ['lambda.amazonaws.com'] },
      where,
      origin: { kind: 'inline', name: 'trust' },
    },
  ];
}

/** The CloudWatch Logs permissions Serverless adds to every role it creates. */
export function defaultLogsStatement(s: Svc, where: Where, fnNames: string[]): PolicyStatement {
  const svc = typeof s.service === 'string' ? s.service : '<service>';
  const stage = typeof s.stage === 'string' ? s.stage : '<stage>';
  const group = fnNames.length === 1 ? `${svc}-${stage}-${fnNames[0]}` : `${svc}-${stage}*`;
  return {
    effect: 'Allow',
    actions: ['logs:CreateLogStream', 'logs:CreateLogGroup', 'logs:PutLogEvents'],
    resources: [
      unknown(`arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/${group}:*`, { hint: 'other', where }),
    ],
    where,
    origin: { kind: 'inline', name: 'serverless-default-logs' },
  };
}

const VPC_POLICY = 'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole';

/** The provider-level IAM settings (both syntaxes). */
export interface ProviderIam {
  statements: PolicyStatement[];
  managedPolicies: ManagedPolicyRef[];
  permissionsBoundary?: Maybe<string>;
  /** `provider.iam.role` as a name. */
  name?: Maybe<string>;
  /** A role defined outside (ARN) or in `resources:` (logical id). */
  role?: RoleRef;
  where: Where;
}

export function providerIam(s: Svc): ProviderIam {
  const p = s.provider;
  const out: ProviderIam = { statements: [], managedPolicies: [], where: atKey(s, s.cfg, 'provider', 'provider') };
  const iam = objAt(s, p, 'iam', 'provider.iam');
  if (iam && iam.role !== undefined && iam.role !== null) {
    if (isObj(iam.role) && !isIntrinsic(iam.role) && !isUnknown(iam.role)) {
      const role = iam.role;
      out.where = atKey(s, iam, 'role', 'provider.iam.role');
      out.statements.push(...statementsAt(s, role, 'statements', 'provider.iam.role.statements', 'provider.iam.role.statements'));
      out.managedPolicies.push(...managedPoliciesAt(s, role, 'managedPolicies', 'provider.iam.role.managedPolicies', out.statements));
      const pb = strAt(s, role, 'permissionsBoundary', 'provider.iam.role.permissionsBoundary');
      if (pb !== undefined) out.permissionsBoundary = pb;
      const name = strAt(s, role, 'name', 'provider.iam.role.name');
      if (name !== undefined) out.name = name;
    } else {
      const r = roleRef(s, iam, 'role', 'provider.iam.role');
      if (r) out.role = r;
    }
  }
  // legacy (v1/v2, still read by v3)
  if (p.iamRoleStatements !== undefined) {
    out.statements.push(...statementsAt(s, p, 'iamRoleStatements', 'provider.iamRoleStatements', 'provider.iamRoleStatements'));
    out.where = atKey(s, p, 'iamRoleStatements', 'provider.iamRoleStatements');
  }
  if (p.iamManagedPolicies !== undefined)
    out.managedPolicies.push(...managedPoliciesAt(s, p, 'iamManagedPolicies', 'provider.iamManagedPolicies', out.statements));
  if (p.rolePermissionsBoundary !== undefined && out.permissionsBoundary === undefined) {
    const pb = strAt(s, p, 'rolePermissionsBoundary', 'provider.rolePermissionsBoundary');
    if (pb !== undefined) out.permissionsBoundary = pb;
  }
  if (!out.role && p.role !== undefined) {
    const r = roleRef(s, p, 'role', 'provider.role');
    if (r) out.role = r;
  }
  return out;
}

/** The default role Serverless creates for the service (`IamRoleLambdaExecution`). */
export function defaultRole(s: Svc, piam: ProviderIam, fnNames: string[], vpc: boolean): Identity {
  const where = piam.where;
  const statements = [defaultLogsStatement(s, where, fnNames), ...piam.statements];
  const managedPolicies = [...piam.managedPolicies];
  if (vpc && !managedPolicies.some((m) => m.arn === VPC_POLICY)) {
    const ref = managedPolicy(s.t, VPC_POLICY, undefined, undefined, statements, 'provider.vpc (AWSLambdaVPCAccessExecutionRole)');
    if (ref) managedPolicies.push({ ...ref, where: { ...where, path: 'provider.vpc' } });
  }
  const idn: Identity = {
    id: `${s.prefix}role`,
    provider: 'aws',
    statements,
    managedPolicies,
    trust: lambdaTrust(where),
    usedBy: [],
    where,
  };
  if (piam.name !== undefined) idn.name = piam.name;
  else if (typeof s.service === 'string' && typeof s.stage === 'string')
    idn.name = `${s.service}-${s.stage}-${String(s.provider.region ?? 'us-east-1')}-lambdaRole`;
  if (piam.permissionsBoundary !== undefined) idn.permissionsBoundary = piam.permissionsBoundary;
  return idn;
}

/** An identity for a role defined outside the project (its permissions are unknown). */
export function externalRole(s: Svc, arn: Maybe<string>, where: Where): Identity {
  const key = typeof arn === 'string' ? arn : arn.expr;
  return {
    id: `${s.prefix}external-role:${key}`,
    provider: 'aws',
    statements: [],
    managedPolicies: [],
    external: true,
    arn,
    usedBy: [],
    where,
  };
}

/**
 * A per-function role (`iam.role.statements` on the function, or the
 * `serverless-iam-roles-per-function` plugin's `iamRoleStatements`), or undefined when the function
 * declares none.
 */
export function functionRole(s: Svc, fkey: string, f: Obj, piam: ProviderIam, vpc: boolean, defaultInherit: boolean): Identity | undefined {
  const path = `functions.${fkey}`;
  const fiam = objAt(s, f, 'iam', `${path}.iam`);
  const frole = fiam ? objAt(s, fiam, 'role', `${path}.iam.role`) : undefined;
  const hasV4 = frole !== undefined && (frole.statements !== undefined || frole.managedPolicies !== undefined);
  const hasPlugin = f.iamRoleStatements !== undefined;
  if (!hasV4 && !hasPlugin) return undefined;
  const where = hasPlugin ? atKey(s, f, 'iamRoleStatements', `${path}.iamRoleStatements`) : atKey(s, fiam, 'role', `${path}.iam.role`);
  const statements: PolicyStatement[] = [defaultLogsStatement(s, where, [fkey])];
  const managedPolicies: ManagedPolicyRef[] = [];
  if (hasPlugin) statements.push(...statementsAt(s, f, 'iamRoleStatements', `${path}.iamRoleStatements`, `${path}.iamRoleStatements`));
  if (frole) {
    statements.push(...statementsAt(s, frole, 'statements', `${path}.iam.role.statements`, `${path}.iam.role.statements`));
    managedPolicies.push(...managedPoliciesAt(s, frole, 'managedPolicies', `${path}.iam.role.managedPolicies`, statements));
  }
  const inheritV = f.iamRoleStatementsInherit ?? (frole ? frole.inherit : undefined);
  const inherit = inheritV === true || inheritV === 'true' || (inheritV === undefined && defaultInherit);
  if (inherit) {
    statements.push(...piam.statements);
    managedPolicies.push(...piam.managedPolicies);
  }
  if (vpc) {
    const ref = managedPolicy(s.t, VPC_POLICY, undefined, undefined, statements, `${path}.vpc (AWSLambdaVPCAccessExecutionRole)`);
    if (ref) managedPolicies.push({ ...ref, where: { ...where, path: `${path}.vpc` } });
  }
  const idn: Identity = {
    id: `${s.prefix}role:${fkey}`,
    provider: 'aws',
    statements,
    managedPolicies,
    trust: lambdaTrust(where),
    usedBy: [],
    where,
  };
  const name = strAt(s, f, 'iamRoleStatementsName') ?? (frole ? strAt(s, frole, 'name') : undefined);
  if (name !== undefined) idn.name = name;
  const pb =
    strAt(s, f, 'iamPermissionsBoundary') ?? (frole ? strAt(s, frole, 'permissionsBoundary') : undefined) ?? piam.permissionsBoundary;
  if (pb !== undefined) idn.permissionsBoundary = pb;
  return idn;
}

const STREAM_ACTIONS: Record<string, string[]> = {
  sqs: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
  'dynamodb-stream': ['dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:DescribeStream', 'dynamodb:ListStreams'],
  kinesis: [
    'kinesis:GetRecords',
    'kinesis:GetShardIterator',
    'kinesis:DescribeStream',
    'kinesis:DescribeStreamSummary',
    'kinesis:ListShards',
    'kinesis:ListStreams',
  ],
};

/** The target kind of an SNS/SQS ARN (or reference) for `onError` / `destinations.onFailure`. */
function publishAction(arn: Maybe<string>): string | undefined {
  const text = typeof arn === 'string' ? arn : arn.expr;
  if (/:sns:|Topic/i.test(text)) return 'sns:Publish';
  if (/:sqs:|Queue/i.test(text)) return 'sqs:SendMessage';
  return undefined;
}

/**
 * The statements Serverless adds to the role it creates for a function's event sources: reading
 * SQS queues and DynamoDB/Kinesis streams, publishing to `onError` and stream `onFailure` targets.
 */
export function eventSourceStatements(fn: Fn): PolicyStatement[] {
  const out: PolicyStatement[] = [];
  const origin = { kind: 'inline' as const, name: 'serverless-event-sources' };
  for (const t of fn.triggers) {
    const actions = STREAM_ACTIONS[t.kind];
    if (actions && t.source !== undefined)
      out.push({ effect: 'Allow', actions: [...actions], resources: [t.source], where: t.where, origin });
    const of = t.mapping?.onFailure;
    const act = of !== undefined ? publishAction(of) : undefined;
    if (of !== undefined && act) out.push({ effect: 'Allow', actions: [act], resources: [of], where: t.mapping?.where ?? t.where, origin });
  }
  if (fn.deadLetter) {
    const act = publishAction(fn.deadLetter.target);
    if (act) out.push({ effect: 'Allow', actions: [act], resources: [fn.deadLetter.target], where: fn.deadLetter.where, origin });
  }
  return out;
}
