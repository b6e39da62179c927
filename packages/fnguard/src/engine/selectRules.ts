/** Rule selection: `rules`/`skipRules` (ids or globs like `PERM-*`) and opt-in rules. */
import { globMatcher } from '../discover/ignore.js';
import type { Rule } from '../rules/defineRule.js';

export interface RuleSelection {
  /** Only these rules (ids or globs). An opt-in rule runs only when named by its exact id. */
  rules?: readonly string[];
  /** Never these rules (ids or globs). */
  skipRules?: readonly string[];
}

function isGlob(s: string): boolean {
  return /[*?[]/.test(s);
}

function matcher(patterns: readonly string[]): (id: string) => boolean {
  const exact = new Set<string>();
  const globs: { test(s: string): boolean }[] = [];
  for (const p of patterns) {
    const up = p.trim().toUpperCase();
    if (up === '') continue;
    if (isGlob(up)) globs.push(globMatcher(up));
    else exact.add(up);
  }
  return (id) => exact.has(id) || globs.some((g) => g.test(id));
}

/** Patterns in `rules`/`skipRules` that match no registered rule (reported as warnings). */
export function unknownRulePatterns(all: readonly Rule[], patterns: readonly string[]): string[] {
  return patterns.filter((p) => p.trim() !== '' && !all.some((r) => matcher([p])(r.meta.id)));
}

export function selectRules(all: readonly Rule[], sel: RuleSelection): Rule[] {
  const include = sel.rules && sel.rules.length > 0 ? matcher(sel.rules) : undefined;
  const exactIds = new Set((sel.rules ?? []).map((r) => r.trim().toUpperCase()));
  const skip = sel.skipRules && sel.skipRules.length > 0 ? matcher(sel.skipRules) : () => false;
  return all.filter((r) => {
    const id = r.meta.id;
    if (skip(id)) return false;
    if (r.meta.optIn) return exactIds.has(id);
    return include ? include(id) : true;
  });
}
