import { type App, type Fn, isKnown, isUnknown, type Maybe } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { awsFunctions } from '../lib/functions.js';
import { knownStrings } from '../lib/iam.js';
import { actionMatches } from '../lib/iam-actions.js';

const NOT_CALLERS = new Set(['log-group', 'cloudwatch-alarm', 'code-signing-config', 'kms-key', 'parameter']);

/** Strings a reference to this function would contain: logical id, name, deployed name. */
function handlesOf(fn: Fn): string[] {
  const out = [fn.name];
  if (fn.resourceId) out.push(fn.resourceId);
  if (isKnown(fn.functionName)) out.push(fn.functionName);
  return [...new Set(out.filter((h) => h.length > 2))];
}

/** Identifier-like tokens (`OrphanFunction`, `orders-dev-report`) of a text. */
function tokens(text: string, into: Set<string>): void {
  for (const t of text.split(/[^A-Za-z0-9_-]+/)) if (t.length > 2) into.add(t);
}

/**
 * Every token that could name a function, from everything that can refer to one: other
 * functions' environment and destinations, policy resources, resource properties. Built once per
 * scan so the rule stays linear in the project size.
 */
function referenceTokens(app: App): Map<string, Set<string>> {
  // token -> ids of the functions whose own settings contain it (a function does not reference itself)
  const out = new Map<string, Set<string>>();
  const add = (text: string, owner: string) => {
    const set = new Set<string>();
    tokens(text, set);
    for (const t of set) {
      const owners = out.get(t) ?? new Set<string>();
      owners.add(owner);
      out.set(t, owners);
    }
  };
  const maybe = (v: Maybe<string> | undefined): string => (v === undefined ? '' : isUnknown(v) ? `${v.target ?? ''} ${v.expr}` : v);
  for (const f of app.functions) {
    for (const e of f.env) add(maybe(e.value), f.id);
    if (f.destinations) add(`${maybe(f.destinations.onFailure)} ${maybe(f.destinations.onSuccess)}`, f.id);
  }
  // Only statements that can invoke a function count (a role writing to the function's log group does not).
  for (const id of app.identities)
    for (const s of id.statements) {
      if (!knownStrings(s.actions).some((a) => actionMatches(a, 'lambda:InvokeFunction'))) continue;
      for (const r of s.resources ?? []) add(maybe(r), `identity:${id.id}`);
    }
  for (const r of app.resources) {
    // A function's log group and alarms are named after it but do not invoke it.
    if (NOT_CALLERS.has(r.type)) continue;
    let text: string;
    try {
      text = JSON.stringify(r.props) ?? '';
    } catch {
      text = '';
    }
    add(text, `resource:${r.id}`);
  }
  return out;
}

function isReferenced(refs: Map<string, Set<string>>, fn: Fn): boolean {
  return handlesOf(fn).some((h) => {
    const owners = refs.get(h);
    return !!owners && [...owners].some((o) => o !== fn.id);
  });
}

export default defineRule({
  meta: {
    id: 'CFG-09',
    title: 'Function with no trigger, no invoke permission and no reference',
    severity: 'info',
    category: 'insecure-config',
    cwe: ['CWE-1164'],
    sas: 'SAS-3',
    description:
      'The function has no event trigger, no URL, no resource-based invoke permission, and nothing else in the project refers to it. It may be dead code that still holds a role, secrets and an attack surface (the static counterpart of "unused functions"). Functions invoked directly by name from other code, Step Functions defined elsewhere, or the console are false positives: suppress them with a reason.',
    remediation: {
      general: 'Remove the function if nothing invokes it; otherwise suppress this finding with the reason (who invokes it).',
      serverless: 'Delete the function from `functions:` or add `# fnguard-ignore CFG-09: invoked by <caller>`.',
      cloudformation: 'Delete the function resource or add `Metadata: { fnguard: { ignore: [{ rule: CFG-09, reason: ... }] } }`.',
      terraform: 'Delete the `aws_lambda_function` or add `# fnguard-ignore CFG-09: invoked by <caller>`.',
    },
    formats: ['serverless', 'cloudformation', 'sam', 'cdk', 'terraform'],
    references: ['Panoptica "Unused functions" (runtime signal); static proxy is novel'],
    precision: 'low',
  },
  check(ctx) {
    let refs: Map<string, Set<string>> | undefined;
    for (const fn of awsFunctions(ctx.app)) {
      if (fn.triggers.length > 0 || fn.permissions.length > 0 || fn.url !== undefined) continue;
      refs ??= referenceTokens(ctx.app);
      if (isReferenced(refs, fn)) continue;
      ctx.report({
        fn,
        message: `Function '${fn.name}' has no trigger, no invoke permission and nothing in the project refers to it: remove it if it is unused, or suppress this with the name of its caller.`,
        key: 'orphan',
      });
    }
  },
});
