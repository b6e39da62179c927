import { type Fn, isKnown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { awsFunctions } from '../lib/functions.js';
import { compareRuntimes } from '../lib/runtimes.js';

/** Was the runtime set at the project level (`provider.runtime`, SAM `Globals.Function.Runtime`)? */
function isDefaultLevel(fn: Fn): boolean {
  const p = fn.runtimeWhere?.path;
  return !!p && /^(provider|Globals)(\.|\[|$)/.test(p);
}

export default defineRule({
  meta: {
    id: 'SUP-07',
    title: 'Function overrides the project runtime with an older one',
    severity: 'info',
    category: 'supply-chain',
    cwe: ['CWE-1104'],
    sas: 'SAS-6',
    description:
      'The project sets a default runtime (`provider.runtime`, SAM `Globals.Function.Runtime`) but this function overrides it with an older runtime of the same family. Such overrides are usually left behind when the project was upgraded, and the function keeps running on the old runtime until it is deprecated (see SUP-01).',
    remediation: {
      general: 'Remove the function-level runtime so it inherits the project default, or upgrade it to the same version.',
      serverless: 'Delete `runtime:` under the function (it then uses `provider.runtime`).',
      sam: 'Delete `Runtime` on the function (it then uses `Globals.Function.Runtime`).',
    },
    formats: ['serverless', 'sam'],
    references: ['novel (context for SUP-01)'],
    precision: 'high',
  },
  check(ctx) {
    const fns = awsFunctions(ctx.app);
    // project default runtime per source file
    const defaults = new Map<string, string>();
    for (const fn of fns) if (isKnown(fn.runtime) && isDefaultLevel(fn)) defaults.set(fn.where.file, fn.runtime);
    for (const fn of fns) if (isKnown(fn.defaultRuntime) && !defaults.has(fn.where.file)) defaults.set(fn.where.file, fn.defaultRuntime);
    for (const fn of fns) {
      if (!isKnown(fn.runtime) || isDefaultLevel(fn) || !fn.runtimeWhere) continue;
      const def = isKnown(fn.defaultRuntime) ? fn.defaultRuntime : defaults.get(fn.where.file);
      if (!def) continue;
      const cmp = compareRuntimes(fn.runtime, def);
      if (cmp === undefined || cmp >= 0) continue;
      ctx.report({
        fn,
        where: fn.runtimeWhere,
        message: `Function '${fn.name}' overrides the project runtime ${def} with the older ${fn.runtime}.`,
        key: `runtime-override:${fn.runtime}`,
      });
    }
  },
});
