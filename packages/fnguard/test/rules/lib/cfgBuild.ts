/**
 * Hand-built Model objects for the CFG/LOG/SUP/GCP/AZ rule unit tests, and a runner that checks
 * one rule against an App through the real engine core (`runRules`).
 */
import type { RawFinding } from '../../../src/engine/runRules.js';
import { runRules } from '../../../src/engine/runRules.js';
import type { Api, App, Fn, Identity, PolicyStatement, Resource, Trigger, Where } from '../../../src/model/types.js';
import type { Rule } from '../../../src/rules/defineRule.js';
import { FIXED_NOW } from '../../helpers/index.js';

let line = 1;
export function at(path = 'x', file = '/proj/serverless.yml'): Where {
  line += 1;
  return { file, line, column: 3, path };
}

export function fn(name: string, extra: Partial<Fn> = {}): Fn {
  return {
    id: `${extra.format ?? 'serverless'}:serverless.yml#${name}`,
    name,
    provider: 'aws',
    format: 'serverless',
    runtime: 'nodejs22.x',
    handler: `src/${name}.handler`,
    env: [],
    layers: [],
    triggers: [],
    permissions: [],
    where: at(`functions.${name}`),
    ...extra,
  };
}

export function trigger(kind: Trigger['kind'], extra: Partial<Trigger> = {}): Trigger {
  const publicKinds = ['rest-api', 'http-api', 'websocket', 'function-url', 'alb', 'http'];
  return {
    kind,
    auth: { type: publicKinds.includes(kind) ? 'none' : 'iam' },
    public: publicKinds.includes(kind),
    where: at(`events.${kind}`),
    ...extra,
  };
}

export function stmt(
  actions: string[],
  resources: PolicyStatement['resources'] = ['*'],
  extra: Partial<PolicyStatement> = {},
): PolicyStatement {
  return { effect: 'Allow', actions, resources, where: at('statement'), ...extra };
}

export function role(id: string, statements: PolicyStatement[], extra: Partial<Identity> = {}): Identity {
  return { id, provider: 'aws', statements, managedPolicies: [], usedBy: [], where: at(`role.${id}`), ...extra };
}

export function resource(id: string, type: string, props: Resource['props'] = {}, extra: Partial<Resource> = {}): Resource {
  return { id, type, sourceType: type, format: 'cloudformation', props, where: at(`Resources.${id}`), ...extra };
}

export function api(id: string, extra: Partial<Api> = {}): Api {
  return { id, kind: 'rest', stages: [], where: at(`api.${id}`), ...extra };
}

export function app(parts: Partial<App> = {}): App {
  const a: App = {
    root: '/proj',
    functions: [],
    identities: [],
    apis: [],
    layers: [],
    resources: [],
    sources: [],
    diagnostics: [],
    ...parts,
  };
  // link identities to their functions
  for (const f of a.functions) {
    const id = a.identities.find((i) => i.id === f.identity);
    if (id && !id.usedBy.includes(f.id)) id.usedBy.push(f.id);
  }
  return a;
}

/** Run one rule on an App; returns its raw findings. */
export function check(rule: Rule, theApp: App, now: Date = FIXED_NOW): RawFinding[] {
  return runRules(theApp, [rule], { options: { root: theApp.root, now } });
}

/** Compact `fnName:severity` list for assertions. */
export function summary(findings: RawFinding[]): string[] {
  return findings.map((f) => `${f.fn?.name ?? f.resource ?? '-'}:${f.severity}`);
}
