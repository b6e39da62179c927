/** Environment-variable helpers: one entry per env var *declaration*, with the functions it reaches. */
import type { App, EnvVar, Fn } from '../../model/types.js';

export interface EnvOccurrence {
  env: EnvVar;
  fns: Fn[];
}

/**
 * Every env var declaration of the App. A provider-level variable (serverless `provider.environment`,
 * SAM `Globals`) copied into several functions is one declaration (same position and name).
 */
export function envDeclarations(app: App): EnvOccurrence[] {
  const byKey = new Map<string, EnvOccurrence>();
  for (const fn of app.functions) {
    for (const env of fn.env) {
      const k = `${env.where.file}:${env.where.line}:${env.where.column}:${env.name}`;
      const cur = byKey.get(k);
      if (cur) {
        if (!cur.fns.includes(fn)) cur.fns.push(fn);
      } else byKey.set(k, { env, fns: [fn] });
    }
  }
  return [...byKey.values()];
}

/** `fn` to report against: the function when the declaration reaches one function, else null. */
export function envTarget(o: EnvOccurrence): { fn: Fn | null } {
  return { fn: o.fns.length === 1 ? (o.fns[0] ?? null) : null };
}

/** `function 'a'` / `3 functions ('a', 'b', 'c')` */
export function envScope(o: EnvOccurrence): string {
  if (o.fns.length === 1) return `function '${o.fns[0]?.name}'`;
  const names = o.fns.slice(0, 4).map((f) => `'${f.name}'`);
  return `${o.fns.length} functions (${names.join(', ')}${o.fns.length > 4 ? ', ...' : ''})`;
}
