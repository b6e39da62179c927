/**
 * IAM statement analysis shared by the PERM/EXPO rules. Pure functions over the Model.
 * Unknown values are never guessed: an Unknown action/resource is simply not counted.
 */
import {
  type App,
  type Fn,
  type Identity,
  isKnown,
  isUnknown,
  type Maybe,
  type PolicyStatement,
  type Principal,
  type Unknown,
} from '../../model/types.js';
import { actionMatches, patternMatcher } from './iam-actions.js';

/** The known strings of a Maybe<string>[] (Unknown entries dropped). */
export function knownStrings(list: readonly Maybe<string>[] | undefined): string[] {
  if (!list) return [];
  return list.filter((v): v is string => typeof v === 'string');
}

/** True when the list has an Unknown entry. */
export function hasUnknown(list: readonly Maybe<string>[] | undefined): boolean {
  return !!list?.some((v) => isUnknown(v));
}

export function isAllow(s: PolicyStatement): boolean {
  return s.effect === 'Allow';
}

/** True when the statement has a (known, non-empty) Condition block. Unknown counts as present. */
export function hasCondition(s: PolicyStatement): boolean {
  if (s.condition === undefined) return false;
  if (isUnknown(s.condition)) return true;
  return Object.keys(s.condition).length > 0;
}

/**
 * True when a resource string matches everything of its kind: `*`, or an ARN whose resource part
 * is `*` (`arn:aws:s3:::*`, `arn:aws:dynamodb:*:*:*`), or whose account field is `*`.
 */
export function isUnconstrainedResource(r: string): boolean {
  const v = r.trim();
  if (v === '*') return true;
  if (!v.toLowerCase().startsWith('arn:')) return false;
  const parts = v.split(':');
  if (parts.length < 6) return false;
  const account = parts[4] ?? '';
  const resource = parts.slice(5).join(':');
  if (resource === '*' || resource === '*/*') return true;
  if (account === '*') return true;
  return false;
}

/** An Allow statement whose resource scope is everything (`Resource: "*"` or any `NotResource`). */
export function hasUnconstrainedResource(s: PolicyStatement): boolean {
  if (s.notResources && s.notResources.length > 0) return true;
  return knownStrings(s.resources).some(isUnconstrainedResource);
}

/** True when the statement's `Resource` is exactly all resources (`*`). */
export function hasStarResource(s: PolicyStatement): boolean {
  return knownStrings(s.resources).some((r) => r.trim() === '*');
}

/** The known action patterns of a statement (`Action` only; `NotAction` is handled by PERM-07). */
export function actionsOf(s: PolicyStatement): string[] {
  return knownStrings(s.actions);
}

/** Allow + `Action: "*"` + `Resource: "*"`: full administrator. */
export function isAdminStatement(s: PolicyStatement): boolean {
  if (!isAllow(s)) return false;
  const star = actionsOf(s).some((a) => a.trim() === '*' || a.trim() === '*:*');
  return star && hasStarResource(s);
}

/**
 * Statements rules evaluate for a role: Allow statements, excluding the expanded documents of
 * AWS-managed policies (PERM-08 reports those by name).
 */
export function ownAllowStatements(identity: Identity): PolicyStatement[] {
  return identity.statements.filter((s) => isAllow(s) && s.origin?.kind !== 'aws-managed');
}

/** globalDenies per identity: rules ask for every action they check (a serverless provider role holds hundreds of statements). */
const denyMemo = new WeakMap<Identity, { statements: readonly PolicyStatement[]; count: number; denies: PolicyStatement[] }>();

/** Deny statements of the role that apply to every resource without a condition. */
function globalDenies(identity: Identity): PolicyStatement[] {
  const hit = denyMemo.get(identity);
  // recomputed if the statement list was replaced or grew (the Model is read-only once loaded; tests build it step by step)
  if (hit && hit.statements === identity.statements && hit.count === identity.statements.length) return hit.denies;
  const denies = identity.statements.filter((s) => s.effect === 'Deny' && hasStarResource(s) && !hasCondition(s) && !s.notActions);
  denyMemo.set(identity, { statements: identity.statements, count: identity.statements.length, denies });
  return denies;
}

/** True when a `Deny` on every resource in the same role removes `action`. */
export function isDenied(identity: Identity, action: string): boolean {
  return globalDenies(identity).some((d) => actionsOf(d).some((p) => actionMatches(p, action)));
}

/** Actions of `set` granted by statement `s` (wildcards expanded) and not removed by a global Deny. */
export function grantedFrom(identity: Identity, s: PolicyStatement, set: readonly string[]): string[] {
  const matches = patternMatcher(actionsOf(s));
  return set.filter((a) => matches(a) && !isDenied(identity, a));
}

/** Every action of `set` the role grants through any of its Allow statements (including AWS-managed documents). */
export function roleGrants(identity: Identity, set: readonly string[], includeManaged = true): string[] {
  const out = new Set<string>();
  // what a statement grants depends only on its action patterns: statements repeating the patterns
  // of an earlier one (one per function's log group in a serverless role) add nothing
  const seen = new Set<string>();
  for (const s of identity.statements) {
    if (!isAllow(s)) continue;
    if (!includeManaged && s.origin?.kind === 'aws-managed') continue;
    const patterns = actionsOf(s).join('\0');
    if (seen.has(patterns)) continue;
    seen.add(patterns);
    for (const a of grantedFrom(identity, s, set)) out.add(a);
  }
  return [...out];
}

/** Functions that run with this identity (from `fn.identity` and `identity.usedBy`). */
export function functionsUsing(app: App, identity: Identity): Fn[] {
  return app.functions.filter((f) => f.identity === identity.id || identity.usedBy.includes(f.id));
}

/** The distinct identities used by the App's functions, each with its functions. */
export function functionIdentities(app: App): { identity: Identity; fns: Fn[] }[] {
  const byId = new Map(app.identities.map((i) => [i.id, i] as const));
  const seen = new Map<string, { identity: Identity; fns: Fn[] }>();
  for (const fn of app.functions) {
    if (!fn.identity) continue;
    const identity = byId.get(fn.identity);
    if (!identity) continue;
    let entry = seen.get(identity.id);
    if (!entry) {
      entry = { identity, fns: [] };
      seen.set(identity.id, entry);
    }
    entry.fns.push(fn);
  }
  for (const identity of app.identities) {
    if (seen.has(identity.id)) continue;
    const fns = functionsUsing(app, identity);
    if (fns.length > 0) seen.set(identity.id, { identity, fns });
  }
  return [...seen.values()];
}

/** A short display name for a role: its known name or its id. */
export function identityLabel(identity: Identity): string {
  if (isKnown(identity.name)) return identity.name;
  const hash = identity.id.lastIndexOf('#');
  return hash >= 0 ? identity.id.slice(hash + 1) : identity.id;
}

/** `function 'a'` / `functions 'a', 'b' and 3 more` */
export function describeFunctions(fns: readonly Fn[]): string {
  const names = fns.map((f) => `'${f.name}'`);
  if (names.length === 0) return 'no function';
  if (names.length === 1) return `function ${names[0]}`;
  const shown = names.slice(0, 4);
  const more = names.length - shown.length;
  return `functions ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

/**
 * Standard report target for a role-level finding: the function when only one uses the role,
 * otherwise null (the finding is about the shared role, `resource` = identity id).
 */
export function roleTarget(identity: Identity, fns: readonly Fn[]): { fn: Fn | null; resource: string } {
  return { fn: fns.length === 1 ? (fns[0] ?? null) : null, resource: identity.id };
}

/** A content-stable key for a statement (for fingerprints): identity, sid or normalized actions/resources. */
export function statementKey(identity: Identity, s: PolicyStatement): string {
  const acts = actionsOf(s)
    .map((a) => a.toLowerCase())
    .sort()
    .join(',');
  const nacts = knownStrings(s.notActions)
    .map((a) => a.toLowerCase())
    .sort()
    .join(',');
  const res = knownStrings(s.resources).sort().join(',');
  const nres = knownStrings(s.notResources).sort().join(',');
  return `${identity.id}|${s.sid ?? ''}|${String(isKnown(s.effect) ? s.effect : 'unknown')}|a=${acts}|na=${nacts}|r=${res}|nr=${nres}`;
}

/* --------------------------------- principals --------------------------------- */

export interface PrincipalSummary {
  /** Principal `*` or `{AWS: "*"}`. */
  everyone: boolean;
  aws: string[];
  services: string[];
  federated: string[];
  /** Some entry could not be resolved. */
  unknown: boolean;
}

export function summarizePrincipal(p: Principal | Unknown | undefined): PrincipalSummary {
  const out: PrincipalSummary = { everyone: false, aws: [], services: [], federated: [], unknown: false };
  if (p === undefined) return out;
  if (isUnknown(p)) {
    out.unknown = true;
    return out;
  }
  if (p === '*') {
    out.everyone = true;
    return out;
  }
  const obj = p as Exclude<Principal, '*'>;
  const take = (list: Maybe<string>[] | undefined, into: string[]) => {
    if (hasUnknown(list)) out.unknown = true;
    for (const v of knownStrings(list)) into.push(v.trim());
  };
  take(obj.AWS, out.aws);
  take(obj.Service, out.services);
  take(obj.Federated, out.federated);
  if (out.aws.includes('*')) out.everyone = true;
  return out;
}

/** Condition keys (lower case) present in a statement's condition block. */
export function conditionKeys(s: PolicyStatement): string[] {
  if (!s.condition || isUnknown(s.condition)) return [];
  const keys: string[] = [];
  for (const op of Object.values(s.condition)) {
    if (op && typeof op === 'object') for (const k of Object.keys(op)) keys.push(k.toLowerCase());
  }
  return keys;
}

/** Condition keys that restrict who (which account/org/source) can use a public-principal statement. */
export const RESTRICTING_CONDITION_KEYS: readonly string[] = [
  'aws:sourcearn',
  'aws:sourceaccount',
  'aws:sourceowner',
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:sourceip',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  'aws:userid',
  'aws:username',
  'aws:principalservicename',
  'sns:endpoint',
];

/** True when a statement's condition restricts the caller (source ARN/account, org, VPC, IP). Unknown counts as restricting. */
export function hasRestrictingCondition(s: PolicyStatement): boolean {
  if (s.condition === undefined) return false;
  if (isUnknown(s.condition)) return true;
  return conditionKeys(s).some((k) => RESTRICTING_CONDITION_KEYS.includes(k));
}

/** Allow statement open to everyone (`Principal: "*"` / `{AWS: "*"}`) without a restricting condition. */
export function isPublicAllow(s: PolicyStatement): boolean {
  if (!isAllow(s)) return false;
  if (s.principal === undefined) return false;
  return summarizePrincipal(s.principal).everyone && !hasRestrictingCondition(s);
}

/**
 * `Role 'x' (used by function 'a')`, plus a note when a permissions boundary is attached (the
 * effective permissions may then be narrower than the statements say; the boundary's content is
 * not known here, so severities are not lowered).
 */
export function roleSubject(identity: Identity, fns: readonly Fn[]): string {
  const boundary = identity.permissionsBoundary !== undefined ? ', limited by a permissions boundary' : '';
  return `Role '${identityLabel(identity)}' (used by ${describeFunctions(fns)}${boundary})`;
}
