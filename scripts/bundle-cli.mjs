#!/usr/bin/env node
// Bundles the compiled CLI (packages/fnguard/dist/cli/bin.js, tsc output) into
// packages/fnguard/dist/cli-bundle/ (fnguard.js and the chunks it imports lazily), which
// bin/fnguard.js loads: a handful of modules to compile at start-up instead of ~270. Code
// splitting keeps the source's lazy imports lazy (the sign commands' packages are not loaded by a scan). Runs after `tsc -b` in `npm run build`. Packages stay external
// (oxc-parser is native, @aws-sdk and sigstore are loaded only by the commands that need them)
// except the small pure-JS ones every scan loads. The library entry (dist/index.js) stays tsc output.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const pkg = fileURLToPath(new URL('../packages/fnguard/', import.meta.url));
/** Bundled into the CLI (loaded by every scan, pure JS, permissive licences). */
const INLINE = new Set(['js-yaml', 'smol-toml']);

const outdir = `${pkg}dist/cli-bundle`;
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { fnguard: `${pkg}dist/cli/bin.js` },
  outdir,
  bundle: true,
  splitting: true,
  chunkNames: 'chunk-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  legalComments: 'eof',
  logLevel: 'warning',
  plugins: [
    {
      name: 'external-packages',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) => {
          if (args.path.startsWith('node:')) return { external: true };
          const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
          return INLINE.has(name) ? undefined : { external: true };
        });
      },
    },
  ],
});
