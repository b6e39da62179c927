#!/usr/bin/env node
// The `fnguard` executable. Checked in (not built) so that `npm ci` links it even before the
// first build; the CLI itself is compiled to dist/ by `npm run build`.
import('../dist/cli/bin.js').catch((e) => {
  if (e && e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('dist/cli/bin.js')) {
    process.stderr.write('fnguard: not built yet. Run `npm run build` at the repository root first.\n');
  } else {
    process.stderr.write(`fnguard: fatal: ${e && e.stack ? e.stack : e}\n`);
  }
  process.exitCode = 2;
});
