/** API Gateway helpers shared by the EXPO/SEC rules. */
import { type Api, type App, type Fn, isKnown, isUnknown, type Trigger } from '../../model/types.js';
import { isAllow, isPublicAllow } from './iam.js';

/** A display name for an API. */
export function apiLabel(api: Api): string {
  if (isKnown(api.name)) return api.name;
  const hash = api.id.lastIndexOf('#');
  return hash >= 0 ? api.id.slice(hash + 1) : api.id;
}

/**
 * True when a REST API's resource policy restricts who can call it: it has a Deny, or none of
 * its Allow statements is open to everyone without a condition.
 */
export function hasRestrictingResourcePolicy(api: Api): boolean {
  const policy = api.policy ?? [];
  if (policy.length === 0) return false;
  if (policy.some((s) => s.effect === 'Deny' || isUnknown(s.effect))) return true;
  return !policy.some((s) => isAllow(s) && isPublicAllow(s));
}

/**
 * Reachability of an API's execute-api endpoint: `true` (EDGE/REGIONAL, the default when unset,
 * and no restricting resource policy), `false` (PRIVATE or restricted), `'unknown'` (endpoint type Unknown).
 */
export function apiIsPublic(api: Api): boolean | 'unknown' {
  if (isUnknown(api.endpointType)) return 'unknown';
  if (typeof api.endpointType === 'string' && api.endpointType.toUpperCase() === 'PRIVATE') return false;
  if (hasRestrictingResourcePolicy(api)) return false;
  return true;
}

/** Function triggers attached to an API (by `Trigger.apiId`). */
export function triggersOfApi(app: App, api: Api): { fn: Fn; t: Trigger }[] {
  const out: { fn: Fn; t: Trigger }[] = [];
  for (const fn of app.functions) for (const t of fn.triggers) if (t.apiId === api.id) out.push({ fn, t });
  return out;
}

/** `GET /orders/{id}` */
export function routeLabel(t: Trigger): string {
  const path = isKnown(t.path) ? t.path : isUnknown(t.path) ? t.path.expr : '';
  const method = (t.method ?? 'ANY').toUpperCase();
  if (path === '*' || path === '$default') return `${path} (catch-all route)`;
  return `${method === '*' ? 'ANY' : method} ${path}`.trim();
}
