// The taint engine's view of a bench corpus held as lowered modules by absolute path: relative imports resolve
// to a module of the map (the file itself, .js, .mjs or index.js), bare specifiers are packages.
import { join } from 'node:path';
import type { ProgramAccess } from '../../packages/fnguard/src/analyze/code/taint/engine.js';
import type { ModuleIR } from '../../packages/fnguard/src/analyze/code/taint/ir.js';

export function irAccess(irs: ReadonlyMap<string, ModuleIR>): ProgramAccess {
  return {
    module: (f) => irs.get(f),
    resolve: (spec, from) => {
      if (!spec.startsWith('.')) return { pkg: spec };
      const base = join(from, '..', spec);
      for (const c of [base, `${base}.js`, `${base}.mjs`, `${base}/index.js`]) if (irs.has(c)) return { file: c };
      return {};
    },
  };
}
