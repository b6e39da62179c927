/**
 * fnguard's own IAM identity-policy evaluator (no AGPL code): Allow/Deny, `Action`/`NotAction`
 * with wildcards, `Resource`/`NotResource` with ARN wildcards, statements from inline,
 * customer-managed and AWS-managed documents and SAM templates (the adapters expand those into
 * `Identity.statements`). Conditions are treated conservatively: a conditional Allow does not
 * prove a grant and a conditional Deny does not prove a denial; both make the answer `unknown`.
 * Values decided at deploy time (region, account, generated names) never prove a match either.
 */
import { isUnknown, type PolicyStatement, type SourceFormat } from '../model/types.js';
import { globMatch } from '../rules/lib/iam-actions.js';
import { type ArnPart, concretize, OPAQUE_CLOSE, OPAQUE_OPEN, parseGrantedExpr, type RefIndex } from './arn.js';

export type Decision = 'allowed' | 'denied' | 'implicit' | 'unknown';

type Match = 'yes' | 'no' | 'maybe';

/** A granted resource pattern in concrete form, or unreadable. */
export type GrantedResource = { text: string; parts?: ArnPart[] } | { unknown: string };

export interface EvalStatement {
  effect: 'Allow' | 'Deny' | 'unknown';
  actions?: string[];
  notActions?: string[];
  /** Some action entry could not be resolved. */
  unknownActions: boolean;
  resources?: GrantedResource[];
  notResources?: GrantedResource[];
  conditional: boolean;
  source: PolicyStatement;
}

function resourcesOf(list: PolicyStatement['resources'], format: SourceFormat, index: RefIndex): GrantedResource[] | undefined {
  if (!list) return undefined;
  return list.map((r) => {
    if (!isUnknown(r)) return { text: r };
    const parts = parseGrantedExpr(r.expr, format, index);
    return parts ? { text: concretize(parts, index), parts } : { unknown: r.expr };
  });
}

/** Model statements into evaluation form. */
export function compileStatements(statements: readonly PolicyStatement[], format: SourceFormat, index: RefIndex): EvalStatement[] {
  return statements.map((s) => {
    const known = (l?: PolicyStatement['actions']) => l?.filter((a): a is string => typeof a === 'string');
    const e: EvalStatement = {
      effect: s.effect === 'Allow' || s.effect === 'Deny' ? s.effect : 'unknown',
      unknownActions: !!(s.actions?.some(isUnknown) || s.notActions?.some(isUnknown)),
      conditional: s.condition !== undefined && (isUnknown(s.condition) || Object.keys(s.condition).length > 0),
      source: s,
    };
    const a = known(s.actions);
    if (a) e.actions = a;
    const na = known(s.notActions);
    if (na) e.notActions = na;
    const r = resourcesOf(s.resources, format, index);
    if (r) e.resources = r;
    const nr = resourcesOf(s.notResources, format, index);
    if (nr) e.notResources = nr;
    return e;
  });
}

function actionMatch(s: EvalStatement, action: string): Match {
  if (s.actions) {
    if (s.actions.some((p) => p.trim() === '*' || globMatch(p.trim(), action))) return 'yes';
    return s.unknownActions ? 'maybe' : 'no';
  }
  if (s.notActions) {
    if (s.notActions.some((p) => p.trim() === '*' || globMatch(p.trim(), action))) return 'no';
    return s.unknownActions ? 'maybe' : 'yes';
  }
  return 'no';
}

const OPAQUE = new RegExp(`${OPAQUE_OPEN}[^${OPAQUE_CLOSE}]*${OPAQUE_CLOSE}`, 'g');

function splitArn(s: string): string[] | undefined {
  if (!s.startsWith('arn:')) return undefined;
  const out: string[] = [];
  let rest = s;
  for (let i = 0; i < 5; i++) {
    const k = rest.indexOf(':');
    if (k < 0) return undefined;
    out.push(rest.slice(0, k));
    rest = rest.slice(k + 1);
  }
  out.push(rest);
  return out;
}

/** Can some string match both globs? (`*`, `?`), bounded. */
export function globsIntersect(a: string, b: string): boolean {
  if (a.length > 512 || b.length > 512) return true;
  const memo = new Map<number, boolean>();
  const W = b.length + 1;
  const stack: [number, number][] = [];
  // iterative DFS with memo of visited states (reachability of the end state)
  stack.push([0, 0]);
  while (stack.length > 0) {
    const [i, j] = stack.pop() as [number, number];
    const key = i * W + j;
    if (memo.has(key)) continue;
    memo.set(key, true);
    if (i === a.length && j === b.length) return true;
    const ca = a[i];
    const cb = b[j];
    if (ca === '*') {
      stack.push([i + 1, j]);
      if (j < b.length) stack.push([i, j + 1]);
    }
    if (cb === '*') {
      stack.push([i, j + 1]);
      if (i < a.length) stack.push([i + 1, j]);
    }
    if (ca !== undefined && cb !== undefined && ca !== '*' && cb !== '*' && (ca === cb || ca === '?' || cb === '?'))
      stack.push([i + 1, j + 1]);
  }
  return false;
}

/**
 * Opaque tokens name values decided at deploy time. The same token on both sides is the same
 * (unknown) string; a token facing literal text might equal it, so that comparison is `maybe`.
 */
function fieldMatch(pattern: string, value: string): Match {
  if (globMatch(pattern, value)) return 'yes';
  if (value.includes(OPAQUE_OPEN) || pattern.includes(OPAQUE_OPEN)) {
    const pTokens = new Set(pattern.match(OPAQUE) ?? []);
    const vTokens = new Set(value.match(OPAQUE) ?? []);
    const v = value.replace(OPAQUE, (t) => (pTokens.has(t) ? t : '*'));
    const p = pattern.replace(OPAQUE, (t) => (vTokens.has(t) ? t : '*'));
    if (v === value && p === pattern) return 'no';
    return globsIntersect(p, v) ? 'maybe' : 'no';
  }
  return 'no';
}

/** Does a granted resource pattern cover a needed resource (concrete form)? */
export function resourceMatch(pattern: GrantedResource, value: string): Match {
  if ('unknown' in pattern) return 'maybe';
  const p = pattern.text.trim();
  if (p === '*') return 'yes';
  const pa = splitArn(p);
  const va = splitArn(value);
  if (!pa || !va) return globMatch(p, value) ? 'yes' : fieldMatch(p, value);
  let result: Match = 'yes';
  for (let i = 1; i < 6; i++) {
    const pf = pa[i] as string;
    const vf = va[i] as string;
    let m: Match;
    // region / account fields decided at deploy time: assume the deployment matches a literal grant
    if ((i === 3 || i === 4) && (vf.startsWith(OPAQUE_OPEN) || pf.startsWith(OPAQUE_OPEN))) m = 'yes';
    else m = i === 2 ? (globMatch(pf.toLowerCase(), vf.toLowerCase()) ? 'yes' : 'no') : fieldMatch(pf, vf);
    if (m === 'no') return 'no';
    if (m === 'maybe') result = 'maybe';
  }
  return result;
}

function resourceApplies(s: EvalStatement, value: string): Match {
  if (s.resources) {
    let best: Match = 'no';
    for (const r of s.resources) {
      const m = resourceMatch(r, value);
      if (m === 'yes') return 'yes';
      if (m === 'maybe') best = 'maybe';
    }
    return best;
  }
  if (s.notResources) {
    let best: Match = 'yes';
    for (const r of s.notResources) {
      const m = resourceMatch(r, value);
      if (m === 'yes') return 'no';
      if (m === 'maybe') best = 'maybe';
    }
    return best;
  }
  return 'no';
}

function both(a: Match, b: Match): Match {
  if (a === 'no' || b === 'no') return 'no';
  if (a === 'maybe' || b === 'maybe') return 'maybe';
  return 'yes';
}

export interface EvalResult {
  decision: Decision;
  /** The statements that decided it (the Deny, or the Allows that match). */
  by: EvalStatement[];
}

/** May the identity call `action` on `resource` (concrete form; `*` for wildcard-only actions)? */
export function evaluate(statements: readonly EvalStatement[], action: string, resource: string): EvalResult {
  let maybeDeny: EvalStatement | undefined;
  for (const s of statements) {
    if (s.effect === 'Allow') continue;
    const m = both(actionMatch(s, action), resourceApplies(s, resource));
    if (m === 'no') continue;
    if (m === 'yes' && s.effect === 'Deny' && !s.conditional) return { decision: 'denied', by: [s] };
    maybeDeny ??= s;
  }
  const allows: EvalStatement[] = [];
  let maybeAllow: EvalStatement | undefined;
  for (const s of statements) {
    if (s.effect !== 'Allow') continue;
    const m = both(actionMatch(s, action), resourceApplies(s, resource));
    if (m === 'no') continue;
    if (m === 'yes' && !s.conditional) allows.push(s);
    else maybeAllow ??= s;
  }
  if (allows.length > 0) return maybeDeny ? { decision: 'unknown', by: [maybeDeny] } : { decision: 'allowed', by: allows };
  if (maybeAllow) return { decision: 'unknown', by: [maybeAllow] };
  return { decision: 'implicit', by: [] };
}
