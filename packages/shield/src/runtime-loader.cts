// Loads the bundled preload runtime (dist/runtime.cjs) for register.cjs, with a V8 code cache when one was made
// for this exact Node binary: the cache holds the bytecode of the runtime and of every function the install ran,
// so a cold start neither parses nor compiles them. The cache is only ever read from dist/runtime-cache/, next
// to the code it stands for (written by the build, the package's install script or the layer build, never at run
// time), so it is exactly as protected as runtime.cjs itself. Its name carries a hash of runtime.cjs, fixed into
// register.cjs when both are bundled: a rebuilt runtime never meets an old cache. V8 rejects a cache made by
// another V8 version or with other V8 flags; the source is then compiled as usual.
import fs = require('node:fs');
import Module = require('node:module');
import path = require('node:path');
import vm = require('node:vm');

import type * as Runtime from './core.cjs';
import type { CodeCacheStatus } from './core.cjs';

/** sha256 prefix of runtime.cjs, set by scripts/bundle-runtime.mjs (esbuild `define`); absent in tsc output. */
declare const __FNGUARD_RUNTIME_KEY__: string | undefined;

export const CACHE_DIR = 'runtime-cache';

/**
 * The two V8 flags that make V8 refuse a cache made without them (measured on Node 20 to 26): `--expose-gc`
 * (the Lambda runtime starts Node with it) and `--disallow-code-generation-from-strings` (the exec wrapper adds
 * it). The heap-size flags Lambda sets are refused only by Node 20/22. One cache is made per combination; a wrong
 * guess here costs a refused cache (a normal compile), never a wrong result: V8 checks the flags itself.
 */
export const FLAG_VARIANTS: readonly (readonly string[])[] = [
  [],
  ['--expose-gc'],
  ['--disallow-code-generation-from-strings'],
  ['--expose-gc', '--disallow-code-generation-from-strings'],
];

function flagVariant(): string {
  const args = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`.replace(/_/g, '-');
  const gc = args.includes('--expose-gc') ? 'g' : '';
  const noCodegen = args.includes('--disallow-code-generation-from-strings') ? 'd' : '';
  return gc + noCodegen || 'plain';
}

/** The cache file for a runtime hash, the running Node binary and its V8 flags. */
export function cacheFileName(key: string): string {
  return `${key}-${process.version}-${process.arch}-${flagVariant()}.bin`;
}

/** The CommonJS wrapper, on the source's first line (line numbers in stack traces stay those of runtime.cjs). */
export function wrapSource(src: string): string {
  return `(function (exports, require, module, __filename, __dirname) {${src}\n})`;
}

/** Compile and run runtime.cjs as the module `file`, registered in the CommonJS cache under that name. */
export function runRuntime(file: string, src: string, cachedData: Buffer | undefined, parent: NodeJS.Module, req: NodeJS.Require) {
  const script = new vm.Script(wrapSource(src), { filename: file, cachedData });
  const m = new Module(file, parent) as NodeJS.Module;
  m.filename = file;
  m.paths = parent.paths;
  // The one instance: the re-export stubs (core.cjs, policy.cjs, ...) that require('./runtime.cjs') get this one.
  req.cache[file] = m;
  try {
    (script.runInThisContext() as (...a: unknown[]) => void)(m.exports, req, m, file, path.dirname(file));
  } catch (e) {
    delete req.cache[file];
    throw e;
  }
  m.loaded = true;
  return { exports: m.exports as typeof Runtime, script };
}

/** The runtime's exports, and whether its code cache was used (reported in the shield's start line). */
export function loadRuntime(): { runtime: typeof Runtime; codeCache: CodeCacheStatus } {
  const key = typeof __FNGUARD_RUNTIME_KEY__ === 'string' ? __FNGUARD_RUNTIME_KEY__ : undefined;
  // Not bundled (tsc output): the modules themselves. Bundled, this require names ./runtime.cjs.
  if (key === undefined) return { runtime: require('./core.cjs') as typeof Runtime, codeCache: 'none' };
  const file = path.join(__dirname, 'runtime.cjs');
  const loaded = require.cache[file];
  if (loaded) return { runtime: loaded.exports as typeof Runtime, codeCache: 'none' };
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(path.join(__dirname, CACHE_DIR, cacheFileName(key)));
  } catch {
    return { runtime: require('./core.cjs') as typeof Runtime, codeCache: 'none' };
  }
  const { exports, script } = runRuntime(file, fs.readFileSync(file, 'utf8'), cachedData, module, require);
  return { runtime: exports, codeCache: script.cachedDataRejected ? 'rejected' : 'used' };
}
