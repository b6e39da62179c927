/**
 * Needed permissions against the granted role: missing (the code will fail at run time), excess
 * actions (granted, never used), wildcard resources that can be narrowed, unused
 * privilege-escalation actions.
 */
import type { Identity, SourceFormat, Where } from '../model/types.js';
import {
  CREDENTIALS_EXPOSURE_ACTIONS,
  ESCALATION_ACTIONS,
  isResourceStarOk,
  LAMBDA_TAKEOVER_ACTIONS,
  PASSROLE_COMBOS,
  PERMISSIONS_MANAGEMENT_ACTIONS,
} from '../rules/lib/iam-actions.js';
import { concretize, displayArn, type RefIndex } from './arn.js';
import { actionsOfService, expandAction } from './catalog.js';
import { compileStatements, type Decision, type EvalStatement, evaluate, resourceMatch } from './evaluate.js';
import type { Need } from './needs.js';

export interface MissingPermission {
  action: string;
  resource: string;
  decision: Exclude<Decision, 'allowed' | 'unknown'>;
  file: string;
  line: number;
}

export interface ExcessGrant {
  /** The action pattern(s) of the statement as written (`s3:*`, `NotAction iam:*`). */
  grant: string;
  /** Unused concrete actions (up to 500 listed). */
  actions: string[];
  count: number;
  file: string;
  line: number;
}

export interface NarrowableGrant {
  grant: string;
  actions: string[];
  resource: string;
  suggested: string[];
  file: string;
  line: number;
}

export interface EscalationGrant {
  action: string;
  grant: string;
  file: string;
  line: number;
}

export interface Comparison {
  missing: MissingPermission[];
  excess: ExcessGrant[];
  narrowable: NarrowableGrant[];
  escalation: EscalationGrant[];
  /** Needed permissions the evaluator could not decide (conditions, unresolved granted resources). */
  undecided: { action: string; resource: string }[];
}

const MAX_LISTED = 500;

const ESCALATION = new Set(
  [
    'iam:PassRole',
    ...ESCALATION_ACTIONS,
    ...LAMBDA_TAKEOVER_ACTIONS,
    ...PASSROLE_COMBOS.map((c) => c.create),
    ...PERMISSIONS_MANAGEMENT_ACTIONS,
    ...CREDENTIALS_EXPOSURE_ACTIONS,
    'lambda:CreateEventSourceMapping',
  ].map((a) => a.toLowerCase()),
);

export function isEscalationAction(action: string): boolean {
  return ESCALATION.has(action.toLowerCase());
}

function grantLabel(s: EvalStatement): string {
  const o = s.source.origin;
  const from = o && (o.kind === 'sam-template' || o.kind === 'aws-managed' || o.kind === 'customer-managed') && o.name ? `${o.name}: ` : '';
  const list = s.actions ?? [];
  const acts = list.length > 4 ? `${list.slice(0, 3).join(', ')} and ${list.length - 3} more` : list.join(', ');
  if (s.actions) return `${from}${acts}`;
  return `${from}NotAction ${(s.notActions ?? []).join(', ')}`;
}

/** Concrete actions an Allow statement grants (wildcards expanded against the catalogue). */
export function grantedActions(s: EvalStatement): string[] {
  if (s.actions) {
    const out = new Set<string>();
    for (const p of s.actions) for (const a of expandAction(p)) out.add(a);
    return [...out];
  }
  if (s.notActions) {
    const excluded = new Set(s.notActions.flatMap((p) => expandAction(p)));
    return expandAction('*').filter((a) => !excluded.has(a));
  }
  return [];
}

function isStarResource(s: EvalStatement): boolean {
  return !!s.resources?.some((r) => 'text' in r && r.text.trim() === '*') || !!s.notResources;
}

function where(s: EvalStatement): Where {
  return s.source.where;
}

/**
 * Managed policies whose documents fnguard does not have (AWS-managed ones newer than the shipped
 * data, customer-managed ones defined elsewhere, unresolved ARNs): they may grant anything.
 */
export function hiddenGrants(identity: Identity): string[] {
  const expanded = new Set(identity.statements.map((s) => s.origin?.name).filter((n): n is string => !!n));
  const out: string[] = [];
  for (const m of identity.managedPolicies) {
    const name = m.name ?? (typeof m.arn === 'string' ? m.arn.split('/').pop() : undefined);
    if (!name || !expanded.has(name)) out.push(name ?? (typeof m.arn === 'string' ? m.arn : m.arn.expr));
  }
  return out;
}

/** Compare what the code needs with what the identity grants. */
export function compare(needs: readonly Need[], identity: Identity, format: SourceFormat, index: RefIndex): Comparison {
  const stmts = compileStatements(identity.statements, format, index);
  // a grant fnguard cannot see may cover what looks missing: report it undecided instead
  const hidden = hiddenGrants(identity).length > 0;
  const out: Comparison = { missing: [], excess: [], narrowable: [], escalation: [], undecided: [] };
  const seen = new Set<string>();
  for (const n of needs) {
    const res = n.resource.wildcardOnly ? '*' : concretize(n.resource.parts, index);
    const k = `${n.action}|${res}`;
    if (seen.has(k)) continue;
    seen.add(k);
    if (n.resource.unresolved) continue;
    const r = evaluate(stmts, n.action, res);
    const shown = n.resource.wildcardOnly ? '*' : displayArn(n.resource.parts, index);
    if ((r.decision === 'implicit' && !n.frameworkGranted && !hidden) || r.decision === 'denied')
      out.missing.push({ action: n.action, resource: shown, decision: r.decision, file: n.source.file, line: n.source.line });
    else if (r.decision === 'unknown' || (r.decision === 'implicit' && hidden && !n.frameworkGranted))
      out.undecided.push({ action: n.action, resource: shown });
  }
  const needed = new Set(needs.map((n) => n.action.toLowerCase()));
  const globalDenies = stmts.filter((s) => s.effect === 'Deny' && !s.conditional && isStarResource(s));
  const denied = (a: string) => globalDenies.some((d) => evaluate([d], a, '*').decision === 'denied');
  const escalationSeen = new Set<string>();
  for (const s of stmts) {
    if (s.effect !== 'Allow') continue;
    const unused = grantedActions(s).filter((a) => !needed.has(a.toLowerCase()) && !denied(a));
    if (unused.length > 0) {
      unused.sort();
      out.excess.push({
        grant: grantLabel(s),
        actions: unused.slice(0, MAX_LISTED),
        count: unused.length,
        file: where(s).file,
        line: where(s).line,
      });
      for (const a of unused)
        if (isEscalationAction(a) && !escalationSeen.has(a)) {
          escalationSeen.add(a);
          out.escalation.push({ action: a, grant: grantLabel(s), file: where(s).file, line: where(s).line });
        }
    }
    if (s.source.origin?.kind !== 'aws-managed') out.narrowable.push(...narrowableIn(s, needs, index));
  }
  return out;
}

/** A needed resource in the concrete form the evaluator matches. */
function concreteNeed(n: Need, index: RefIndex): string {
  return concretize(n.resource.parts, index);
}

/**
 * Resources of an Allow statement wider than what the code uses: `*` (any resource-level need it
 * covers), or a pattern with wildcards (`arn:aws:s3:::b/*`, `table/*`) that covers the needed
 * resources without being covered by any of them (the code touches only `b/uploads/*`, one table).
 * Matching is the evaluator's; a statement whose actions have an unresolved need is not narrowed
 * below `*` (what the code touches there is unknown), and a deploy-time value never proves a match.
 */
function narrowableIn(s: EvalStatement, needs: readonly Need[], index: RefIndex): NarrowableGrant[] {
  if (s.effect !== 'Allow' || !s.resources) return [];
  const grants = new Set(grantedActions(s));
  const mine = needs.filter((n) => !n.resource.wildcardOnly && grants.has(n.action) && !isResourceStarOk(n.action));
  const resolved = mine.filter((n) => !n.resource.unresolved);
  if (resolved.length === 0) return [];
  const anyUnresolved = resolved.length < mine.length;
  const out: NarrowableGrant[] = [];
  const seen = new Set<string>();
  for (const r of s.resources) {
    if (!('text' in r)) continue;
    const text = r.text.trim();
    if (seen.has(text) || !/[*?]/.test(text)) continue;
    seen.add(text);
    const star = text === '*';
    if (!star && anyUnresolved) continue;
    const covered = star ? resolved : resolved.filter((n) => resourceMatch(r, concreteNeed(n, index)) === 'yes');
    if (covered.length === 0) continue;
    // a needed resource that itself covers the grant (the code uses `b/*` with any key): not wider
    if (!star && covered.some((n) => resourceMatch({ text: concreteNeed(n, index) }, text) === 'yes')) continue;
    const actions = [...new Set(covered.map((n) => n.action))].sort();
    const suggested = [...new Set(covered.map((n) => displayArn(n.resource.parts, index)))].sort();
    const resource = star ? '*' : r.parts ? displayArn(r.parts, index) : text;
    out.push({ grant: grantLabel(s), actions, resource, suggested, file: where(s).file, line: where(s).line });
  }
  return out;
}

/** Every action of a service (for docs and tests). */
export function serviceActions(prefix: string): string[] {
  return actionsOfService(prefix);
}
