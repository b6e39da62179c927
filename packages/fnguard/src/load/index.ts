/**
 * The adapter registry and `loadApp`: every adapter claims its files and loads them into Model
 * fragments, merged into one App. An adapter that throws becomes a diagnostic; the scan goes on.
 */
import type { DiscoveredFile } from '../discover/types.js';
import { type App, type Diagnostic, emptyApp, mergeInto } from '../model/types.js';
import { cloudformationAdapter } from './cloudformation/index.js';
import { serverlessAdapter } from './serverless/index.js';
import { terraformAdapter } from './terraform/index.js';
import { createTextReader, LoadError, type TextReader } from './textReader.js';
import type { Adapter, LoadContext } from './types.js';

export { createTextReader, LoadError, readTextWithin, type TextReader } from './textReader.js';

/** Every IaC adapter, in load order. Add new adapters here. */
export const adapters: Adapter[] = [serverlessAdapter, cloudformationAdapter, terraformAdapter];

export interface LoadAppOptions {
  /** Adapters to run (default: all registered). */
  adapters?: readonly Adapter[];
  env?: Record<string, string | undefined>;
  /** `${opt:}` values: stage, region, and `param:<key>` entries for `--param key=value`. */
  opts?: Record<string, string>;
  maxFileSize?: number;
  /** The scan's reader of files under `root` (default: a new one). */
  reader?: TextReader;
}

/** Run every adapter over the discovered files and merge their fragments into one App. */
export async function loadApp(root: string, files: readonly DiscoveredFile[], options: LoadAppOptions = {}): Promise<App> {
  const app = emptyApp(root);
  const diagnostics: Diagnostic[] = [];
  const reader = options.reader?.root === root ? options.reader : createTextReader(root);
  const ctx: LoadContext = {
    root,
    files,
    readText: (path) => reader.read(path, options.maxFileSize),
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
