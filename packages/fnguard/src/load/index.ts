/**
 * The adapter registry and `loadApp`: every adapter claims its files and loads them into Model
 * fragments, merged into one App. An adapter that throws becomes a diagnostic; the scan goes on.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { DEFAULT_MAX_FILE_SIZE } from '../discover/discover.js';
import type { DiscoveredFile } from '../discover/types.js';
import { type App, type Diagnostic, emptyApp, mergeInto } from '../model/types.js';
import { cloudformationAdapter } from './cloudformation/index.js';
import { serverlessAdapter } from './serverless/index.js';
import { terraformAdapter } from './terraform/index.js';
import type { Adapter, LoadContext } from './types.js';

/** Every IaC adapter, in load order. Add new adapters here. */
export const adapters: Adapter[] = [serverlessAdapter, cloudformationAdapter, terraformAdapter];

/** Thrown by `LoadContext.readText` when a file cannot be read within the limits. */
export class LoadError extends Error {
  readonly file: string;
  readonly code: string;
  constructor(file: string, code: string, message: string) {
    super(message);
    this.name = 'LoadError';
    this.file = file;
    this.code = code;
  }
}

export interface LoadAppOptions {
  /** Adapters to run (default: all registered). */
  adapters?: readonly Adapter[];
  env?: Record<string, string | undefined>;
  /** `${opt:}` values: stage, region, and `param:<key>` entries for `--param key=value`. */
  opts?: Record<string, string>;
  maxFileSize?: number;
}

/** Read a text file inside `root` (after resolving symlinks), within the size limit; strips a BOM. */
export async function readTextWithin(root: string, path: string, maxFileSize = DEFAULT_MAX_FILE_SIZE): Promise<string> {
  const abs = isAbsolute(path) ? path : resolve(root, path);
  let real: string;
  let realRoot: string;
  try {
    real = await realpath(abs);
    realRoot = await realpath(root);
  } catch (e) {
    throw new LoadError(abs, 'unreadable', `cannot read ${abs}: ${(e as Error).message}`);
  }
  const rel = relative(realRoot, real);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new LoadError(abs, 'outside-root', `${abs} is outside the scan root`);
  let st: Awaited<ReturnType<typeof stat>>;
  try {
    st = await stat(real);
  } catch (e) {
    throw new LoadError(abs, 'unreadable', `cannot read ${abs}: ${(e as Error).message}`);
  }
  if (!st.isFile()) throw new LoadError(abs, 'not-a-file', `${abs} is not a regular file`);
  if (st.size > maxFileSize) throw new LoadError(abs, 'too-large', `${abs} is ${st.size} bytes, over the ${maxFileSize}-byte limit`);
  let text: string;
  try {
    text = await readFile(real, 'utf8');
  } catch (e) {
    throw new LoadError(abs, 'unreadable', `cannot read ${abs}: ${(e as Error).message}`);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Run every adapter over the discovered files and merge their fragments into one App. */
export async function loadApp(root: string, files: readonly DiscoveredFile[], options: LoadAppOptions = {}): Promise<App> {
  const app = emptyApp(root);
  const diagnostics: Diagnostic[] = [];
  const ctx: LoadContext = {
    root,
    files,
    readText: (path) => readTextWithin(root, path, options.maxFileSize),
    diagnostic: (d) => diagnostics.push(d),
    env: options.env ?? process.env,
    opts: options.opts ?? {},
  };
  for (const adapter of options.adapters ?? adapters) {
    let selected: DiscoveredFile[];
    try {
      selected = adapter.select(files);
    } catch (e) {
      diagnostics.push({
        level: 'error',
        file: root,
        message: `adapter ${adapter.id} failed to select files: ${(e as Error)?.message ?? e}`,
        code: 'adapter-error',
      });
      continue;
    }
    if (selected.length === 0) continue;
    try {
      const part = await adapter.load(selected, ctx);
      mergeInto(app, part);
    } catch (e) {
      const file = e instanceof LoadError ? e.file : (selected[0]?.path ?? root);
      diagnostics.push({
        level: 'error',
        file,
        message: `adapter ${adapter.id} failed: ${(e as Error)?.message ?? e}`,
        code: 'adapter-error',
      });
    }
  }
  app.diagnostics.push(...diagnostics);
  return app;
}
