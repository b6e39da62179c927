/** Hand-built Model objects for rule unit tests (before/independently of the adapters). */
import { type RawFinding, runRules } from '../../../src/engine/runRules.js';
import type { Api, App, Fn, Identity, PolicyStatement, Resource, Trigger, Where } from '../../../src/model/types.js';
import { emptyApp } from '../../../src/model/types.js';
import type { Rule } from '../../../src/rules/defineRule.js';

export const FILE = '/proj/serverless.yml';

export function at(line: number, path?: string): Where {
  return { file: FILE, line, column: 1, ...(path ? { path } : {}) };
}

let counter = 0;
function nextLine(): number {
  counter += 1;
  return counter;
}

export function fn(name: string, extra: Partial<Fn> = {}): Fn {
  return {
    id: `serverless:serverless.yml#${name}`,
    name,
    provider: 'aws',
    format: 'serverless',
    env: [],
    layers: [],
    triggers: [],
    permissions: [],
    where: at(nextLine(), `functions.${name}`),
    ...extra,
  };
}

export function stmt(extra: Partial<PolicyStatement> = {}): PolicyStatement {
  return { effect: 'Allow', actions: [], resources: ['*'], where: at(nextLine(), 'statement'), origin: { kind: 'inline' }, ...extra };
}

export function identity(id: string, extra: Partial<Identity> = {}): Identity {
  return { id, provider: 'aws', statements: [], managedPolicies: [], usedBy: [], where: at(nextLine(), 'role'), ...extra };
}

export function trigger(kind: Trigger['kind'], extra: Partial<Trigger> = {}): Trigger {
  return { kind, auth: { type: 'none' }, public: false, where: at(nextLine(), `events.${kind}`), ...extra };
}

export function api(id: string, extra: Partial<Api> = {}): Api {
  return { id, kind: 'rest', stages: [], where: at(nextLine(), id), ...extra };
}

export function resource(id: string, type: string, extra: Partial<Resource> = {}): Resource {
  return { id, type, sourceType: type, format: 'cloudformation', props: {}, where: at(nextLine(), id), ...extra };
}

/** An App whose functions are attached to identities (fills `fn.identity` and `usedBy`). */
export function app(parts: Partial<App> & { roles?: [Identity, Fn[]][] } = {}): App {
  const a = emptyApp('/proj');
  const { roles, ...rest } = parts;
  Object.assign(a, rest);
  for (const [role, fns] of roles ?? []) {
    if (!a.identities.includes(role)) a.identities.push(role);
    for (const f of fns) {
      f.identity = role.id;
      if (!role.usedBy.includes(f.id)) role.usedBy.push(f.id);
      if (!a.functions.includes(f)) a.functions.push(f);
    }
  }
  return a;
}

export function run(rule: Rule, a: App): RawFinding[] {
  return runRules(a, [rule], { options: { root: a.root, now: new Date('2026-11-23T12:00:00Z') } });
}
