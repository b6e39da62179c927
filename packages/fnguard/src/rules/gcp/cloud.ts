/** Helpers for the Google Cloud and Azure rules. */
import { type Fn, isKnown, type Maybe } from '../../model/types.js';

/** A `Fn.cloud.settings` value under any of its spellings (adapters may use camelCase or the Terraform name). */
export function cloudSetting(fn: Fn, ...names: string[]): Maybe<string | boolean | number> | undefined {
  const s = fn.cloud?.settings;
  if (!s) return undefined;
  for (const n of names) if (Object.hasOwn(s, n)) return s[n];
  return undefined;
}

/** `'name'` plus the deployed name when it differs. */
export function cloudFnLabel(fn: Fn): string {
  return isKnown(fn.functionName) && fn.functionName !== fn.name ? `'${fn.name}' (${fn.functionName})` : `'${fn.name}'`;
}
