#!/usr/bin/env node
// The `fnguard` executable. Checked in (not built) so that `npm ci` links it even before the
// first build; the CLI itself is compiled and bundled to dist/cli-bundle/ by `npm run build`
// (tsc -b, then scripts/bundle-cli.mjs).
import module from 'node:module';

// Node 22.1+: keep V8's compiled code of the bundle in Node's cache under the OS temp directory
// (node-compile-cache; NODE_DISABLE_COMPILE_CACHE=1 turns it off), so that later runs skip most of
// the compilation. Absent on Node 20, where this does nothing.
try {
  module.enableCompileCache?.();
} catch {
  // an unwritable temp directory only costs the speed-up
}
import('../dist/cli-bundle/fnguard.js').catch((e) => {
  if (e && e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('dist/cli-bundle/fnguard.js')) {
    process.stderr.write('fnguard: not built yet. Run `npm run build` at the repository root first.\n');
  } else {
    process.stderr.write(`fnguard: fatal: ${e && e.stack ? e.stack : e}\n`);
  }
  process.exitCode = 2;
});
