#!/usr/bin/env node
// Bundles the preload runtime of @fnguard/shield after `tsc -b`: the modules `--require @fnguard/shield/register`
// loads before user code (core, guards, events, policy, netmatch, kernel) become one file, dist/runtime.cjs, so a
// cold start resolves, reads and compiles two files (register.cjs, runtime.cjs) instead of seven. The tsc outputs
// of those six modules are replaced by one-line re-exports of runtime.cjs: every entry point (register, the
// package index, wrap, flags) then shares the one instance of the shield's state. Types stay tsc's (.d.cts).
// Runs in `npm run build` and from the test helper; run it after every `tsc -b` of this package.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const dist = `${pkg}dist/`;
export const RUNTIME_MODULES = ['core', 'guards', 'events', 'policy', 'netmatch', 'kernel'];

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  legalComments: 'none',
  banner: { js: '// @fnguard/shield preload runtime, bundled by scripts/bundle-runtime.mjs from src/ (Apache-2.0)' },
};
await build({
  ...common,
  stdin: {
    contents: RUNTIME_MODULES.map((m) => `export * from './${m}.cjs';`).join('\n'),
    resolveDir: `${pkg}src`,
    sourcefile: 'runtime.cts',
    loader: 'ts',
  },
  outfile: `${dist}runtime.cjs`,
  plugins: [sourceOf()],
});
// register.cjs: its own few lines, with the runtime (and the lazily loaded cold-start verifier) left external.
await build({
  ...common,
  entryPoints: [`${pkg}src/register.cts`],
  outfile: `${dist}register.cjs`,
  plugins: [
    {
      name: 'runtime-external',
      setup(b) {
        b.onResolve({ filter: /^\.\/[a-z-]+\.cjs$/ }, (a) => {
          const name = a.path.slice(2, -4);
          if (RUNTIME_MODULES.includes(name)) return { path: './runtime.cjs', external: true };
          return { path: a.path, external: true };
        });
      },
    },
  ],
});
for (const m of RUNTIME_MODULES)
  writeFileSync(`${dist}${m}.cjs`, `"use strict";\n// bundled into runtime.cjs (scripts/bundle-runtime.mjs)\nmodule.exports = require("./runtime.cjs");\n`);

/** `./x.cjs` imports between the runtime's sources resolve to `src/x.cts`. */
function sourceOf() {
  return {
    name: 'cts-sources',
    setup(b) {
      b.onResolve({ filter: /^\.\/[a-z-]+\.cjs$/ }, (a) => ({ path: `${pkg}src/${a.path.slice(2, -4)}.cts` }));
    },
  };
}
