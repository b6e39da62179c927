/**
 * Risk score per function, 0..100, documented in docs/risk-score.md:
 *   score = min(100, exposure (0..35) + privilege (0..35) + findings (0..60))
 * Each part is listed as factors with the points it contributed.
 */
import { type App, type Fn, type Identity, isKnown, isUnknown, type PolicyStatement } from '../model/types.js';
import type { Finding, RiskFactor, RiskLevel, Severity } from './types.js';

export const SEVERITY_POINTS: Record<Severity, number> = { critical: 40, high: 20, medium: 8, low: 3, info: 0 };
export const FINDINGS_CAP = 60;
export const EXPOSURE_CAP = 35;
export const PRIVILEGE_CAP = 35;

export function riskLevel(score: number): RiskLevel {
  if (score >= 80) return 'critical';
  if (score >= 60) return 'high';
  if (score >= 35) return 'medium';
  if (score > 0) return 'low';
  return 'none';
}

function exposure(fn: Fn): RiskFactor | undefined {
  let best: RiskFactor | undefined;
  const consider = (f: RiskFactor) => {
    if (!best || f.points > best.points) best = f;
  };
  if (fn.url && fn.url.auth === 'none')
    consider({ id: 'exposure:public-unauthenticated', description: 'function URL with auth type NONE', points: 35 });
  if (fn.url && isUnknown(fn.url.auth))
    consider({ id: 'exposure:public-unknown', description: 'function URL whose auth type cannot be resolved', points: 15 });
  for (const t of fn.triggers) {
    const auth = t.auth?.type ?? 'unknown';
    if (t.public === true) {
      if (auth === 'none')
        consider({ id: 'exposure:public-unauthenticated', description: `public ${t.kind} trigger without authentication`, points: 35 });
      else if (auth === 'api-key')
        consider({ id: 'exposure:public-api-key', description: `public ${t.kind} trigger protected by an API key only`, points: 22 });
      else if (auth === 'unknown')
        consider({
          id: 'exposure:public-unknown-auth',
          description: `public ${t.kind} trigger whose authentication cannot be resolved`,
          points: 20,
        });
      else
        consider({ id: 'exposure:public-authenticated', description: `public ${t.kind} trigger with ${auth} authentication`, points: 12 });
    } else if (t.public === 'unknown') {
      consider({ id: 'exposure:unknown', description: `${t.kind} trigger whose reachability cannot be resolved`, points: 15 });
    } else {
      consider({
        id: 'exposure:event-source',
        description: `invoked by ${t.kind} events (attacker-influenced data may flow in)`,
        points: 5,
      });
    }
  }
  return best;
}

const ESCALATION = [
  'iam:passrole',
  'iam:createpolicyversion',
  'iam:setdefaultpolicyversion',
  'iam:attachrolepolicy',
  'iam:attachuserpolicy',
  'iam:attachgrouppolicy',
  'iam:putrolepolicy',
  'iam:putuserpolicy',
  'iam:putgrouppolicy',
  'iam:createaccesskey',
  'iam:createloginprofile',
  'iam:updateloginprofile',
  'iam:updateassumerolepolicy',
  'iam:addusertogroup',
  'iam:createrole',
  'lambda:updatefunctioncode',
  'lambda:updatefunctionconfiguration',
  'lambda:createfunction',
  'sts:assumerole',
  'glue:updatedevendpoint',
  'cloudformation:createstack',
  'ec2:runinstances',
];

const DATA_SERVICES = new Set([
  's3',
  'dynamodb',
  'rds',
  'rds-data',
  'secretsmanager',
  'ssm',
  'kms',
  'sqs',
  'sns',
  'kinesis',
  'es',
  'redshift',
  'redshift-data',
  'athena',
  'glue',
  'elasticfilesystem',
  'timestream',
  'docdb-elastic',
  'neptune-db',
]);

function actionRegex(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .toLowerCase()
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
}

function knownStrings(list: readonly unknown[] | undefined): string[] {
  return (list ?? []).filter((v): v is string => typeof v === 'string' && isKnown(v));
}

function privilege(identity: Identity | undefined): RiskFactor[] {
  if (!identity) return [];
  if (identity.external)
    return [{ id: 'privilege:external-role', description: 'role defined outside the project: permissions unknown', points: 5 }];
  const admin = identity.managedPolicies.find((m) => {
    const name = m.name ?? (typeof m.arn === 'string' ? m.arn.split('/').pop() : undefined);
    return name === 'AdministratorAccess' || name === 'PowerUserAccess' || name === 'IAMFullAccess';
  });
  if (admin) return [{ id: 'privilege:admin', description: `managed policy ${admin.name ?? String(admin.arn)}`, points: PRIVILEGE_CAP }];
  let escalation: string | undefined;
  let wildcardAction: string | undefined;
  let wildcardResource = false;
  const services = new Set<string>();
  const allows = identity.statements.filter((s: PolicyStatement) => s.effect === 'Allow');
  for (const s of allows) {
    if (s.notActions && s.notActions.length > 0)
      return [{ id: 'privilege:admin', description: 'Allow with NotAction (grants almost everything)', points: 30 }];
    const actions = knownStrings(s.actions);
    const resources = knownStrings(s.resources);
    const anyResource = resources.includes('*') || (s.notResources?.length ?? 0) > 0;
    for (const a of actions) {
      const lower = a.toLowerCase();
      if ((lower === '*' || lower === '*:*') && anyResource)
        return [{ id: 'privilege:admin', description: 'Allow * on *', points: PRIVILEGE_CAP }];
      if (lower === '*' || lower === '*:*') wildcardAction ??= a;
      const re = actionRegex(lower);
      const esc = ESCALATION.find((x) => re.test(x));
      if (esc && !escalation) escalation = a;
      if (lower.endsWith(':*')) wildcardAction ??= a;
      const svc = lower.split(':')[0];
      if (svc && DATA_SERVICES.has(svc)) services.add(svc);
    }
    if (anyResource && actions.length > 0) wildcardResource = true;
  }
  const out: RiskFactor[] = [];
  if (escalation) out.push({ id: 'privilege:escalation', description: `can escalate privileges (${escalation})`, points: 25 });
  else if (wildcardAction) out.push({ id: 'privilege:wildcard-action', description: `wildcard action ${wildcardAction}`, points: 15 });
  else if (wildcardResource) out.push({ id: 'privilege:wildcard-resource', description: 'actions on Resource "*"', points: 8 });
  if (services.size > 0) {
    const list = [...services].sort();
    out.push({
      id: 'privilege:data-reach',
      description: `reaches data services: ${list.join(', ')}`,
      points: Math.min(10, 2 * list.length),
    });
  }
  const total = out.reduce((n, f) => n + f.points, 0);
  if (total > PRIVILEGE_CAP) {
    const last = out[out.length - 1];
    if (last) last.points -= total - PRIVILEGE_CAP;
  }
  return out;
}

/** Severity-weighted, diminishing: the i-th worst finding counts weight × 0.5^i; capped at 60. */
function findingFactors(findings: readonly Finding[]): RiskFactor[] {
  const sorted = findings
    .filter((f) => !f.suppressed && SEVERITY_POINTS[f.severity] > 0)
    .sort((a, b) => SEVERITY_POINTS[b.severity] - SEVERITY_POINTS[a.severity] || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
  const byRule = new Map<string, RiskFactor>();
  // Sorted worst first, so the first finding of a rule carries its worst severity.
  const worst = new Map<string, { severity: string; count: number }>();
  let total = 0;
  sorted.forEach((f, i) => {
    let pts = SEVERITY_POINTS[f.severity] * 0.5 ** i;
    if (total + pts > FINDINGS_CAP) pts = FINDINGS_CAP - total;
    if (pts <= 0) return;
    total += pts;
    const id = `finding:${f.ruleId}`;
    const prev = byRule.get(id);
    if (prev) {
      const seen = worst.get(id)!;
      seen.count += 1;
      prev.points += pts;
      prev.description = `${f.title} (${seen.severity}, ${seen.count} findings)`;
    } else {
      worst.set(id, { severity: f.severity, count: 1 });
      byRule.set(id, { id, description: `${f.title} (${f.severity})`, points: pts });
    }
  });
  return [...byRule.values()];
}

export interface FunctionRisk {
  score: number;
  level: RiskLevel;
  factors: RiskFactor[];
}

/** Per-scan memo: identities by id and their privilege factors (many functions share a role). */
export interface RiskCache {
  identities: Map<string, Identity>;
  privilege: Map<string, RiskFactor[]>;
}

export function createRiskCache(app: App): RiskCache {
  return { identities: new Map(app.identities.map((i) => [i.id, i])), privilege: new Map() };
}

export function riskScore(fn: Fn, app: App, findings: readonly Finding[], cache: RiskCache = createRiskCache(app)): FunctionRisk {
  const identity = fn.identity ? cache.identities.get(fn.identity) : undefined;
  const factors: RiskFactor[] = [];
  const exp = exposure(fn);
  if (exp) factors.push(exp);
  if (identity) {
    let priv = cache.privilege.get(identity.id);
    if (!priv) {
      priv = privilege(identity);
      cache.privilege.set(identity.id, priv);
    }
    for (const f of priv) factors.push({ ...f });
  }
  factors.push(...findingFactors(findings));
  for (const f of factors) f.points = Math.round(f.points * 10) / 10;
  const sum = factors.reduce((n, f) => n + f.points, 0);
  const score = Math.max(0, Math.min(100, Math.round(sum)));
  factors.sort((a, b) => b.points - a.points);
  return { score, level: riskLevel(score), factors: factors.filter((f) => f.points > 0) };
}
