#!/usr/bin/env node
// Bundles the preload runtime of @fnguard/shield after `tsc -b`: the modules `--require @fnguard/shield/register`
// loads before user code (core, guards, events, policy, netmatch, kernel) become one file, dist/runtime.cjs, so a
// cold start resolves, reads and compiles two files (register.cjs, runtime.cjs) instead of seven. The tsc outputs
// of those six modules are replaced by one-line re-exports of runtime.cjs: every entry point (register, the
// package index, wrap, flags) then shares the one instance of the shield's state. Types stay tsc's (.d.cts).
// Runs in `npm run build` and from the test helper; run it after every `tsc -b` of this package.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
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
  // The sources are modules (strict in TypeScript and in tsc's output), but esbuild writes no "use strict" for an
  // ESM entry bundled to CommonJS: without it every function of the runtime was sloppy (a mapped `arguments`
  // object allocated on each guarded fs call, `this` of a detached call made globalThis, `.caller` exposed).
  banner: { js: `${common.banner.js}\n"use strict";` },
  stdin: {
    contents: RUNTIME_MODULES.map((m) => `export * from './${m}.cjs';`).join('\n'),
    resolveDir: `${pkg}src`,
    sourcefile: 'runtime.cts',
    loader: 'ts',
  },
  outfile: `${dist}runtime.cjs`,
  plugins: [sourceOf()],
});
// register.cjs: its own lines and the runtime loader, with the runtime (and the lazily loaded cold-start verifier)
// left external. The runtime's hash names the code cache it may use (src/runtime-loader.cts).
const key = createHash('sha256')
  .update(readFileSync(`${dist}runtime.cjs`, 'utf8'))
  .digest('hex')
  .slice(0, 16);
await build({
  ...common,
  entryPoints: [`${pkg}src/register.cts`],
  outfile: `${dist}register.cjs`,
  define: { __FNGUARD_RUNTIME_KEY__: JSON.stringify(key) },
  plugins: [
    {
      name: 'runtime-external',
      setup(b) {
        b.onResolve({ filter: /^\.\/[a-z-]+\.cjs$/ }, (a) => {
          const name = a.path.slice(2, -4);
          if (RUNTIME_MODULES.includes(name)) return { path: './runtime.cjs', external: true };
          if (name === 'runtime-loader') return { path: `${pkg}src/runtime-loader.cts` };
          return { path: a.path, external: true };
        });
      },
    },
  ],
});
for (const m of RUNTIME_MODULES)
  writeFileSync(
    `${dist}${m}.cjs`,
    `"use strict";\n// bundled into runtime.cjs (scripts/bundle-runtime.mjs)\nmodule.exports = require("./runtime.cjs");\n`,
  );

// Code caches for the Node binaries at hand (this one, and the node22/24/26 test binaries when installed). Old
// caches go: their runtime is gone.
rmSync(`${dist}runtime-cache`, { recursive: true, force: true });
if (process.env.FNGUARD_SHIELD_NO_CODE_CACHE !== '1') {
  // Under npm, `node` on PATH is the node22 test binary (node_modules/.bin): the Node running npm comes first.
  const viaNpm = process.env.npm_node_execpath;
  const bins = new Set([viaNpm && /node[^/]*$/.test(viaNpm) ? viaNpm : process.execPath, process.execPath]);
  for (const v of [22, 24, 26]) {
    const p = realpathSync.native(`${pkg}../..`) + `/node_modules/node${v}/bin/node`;
    if (existsSync(p)) bins.add(realpathSync.native(p));
  }
  for (const bin of bins) {
    const r = spawnSync(bin, [`${dist}runtime-cache.cjs`, '--all-flags'], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    if (r.status !== 0) console.warn(`no code cache for ${bin}: ${r.stderr.trim().split('\n').pop()}`);
  }
}

/** `./x.cjs` imports between the runtime's sources resolve to `src/x.cts`. */
function sourceOf() {
  return {
    name: 'cts-sources',
    setup(b) {
      b.onResolve({ filter: /^\.\/[a-z-]+\.cjs$/ }, (a) => ({ path: `${pkg}src/${a.path.slice(2, -4)}.cts` }));
    },
  };
}
