import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DiscoveredFile } from '../../../src/discover/types.js';
import { readTextWithin } from '../../../src/load/index.js';
import { serverlessAdapter } from '../../../src/load/serverless/index.js';
import type { LoadContext } from '../../../src/load/types.js';
import { type App, type Diagnostic, isUnknown } from '../../../src/model/types.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/load/serverless/', import.meta.url)).replace(/\/$/, '');

export interface LoadOptions {
  env?: Record<string, string | undefined>;
  opts?: Record<string, string>;
  /** Read files without the scan-root check (default: the real `readTextWithin`). */
  plainRead?: boolean;
}

export function ctxFor(root: string, diagnostics: Diagnostic[], files: DiscoveredFile[] = [], o: LoadOptions = {}): LoadContext {
  return {
    root,
    files,
    readText: o.plainRead ? (p) => readFile(p, 'utf8') : (p) => readTextWithin(root, p),
    diagnostic: (d) => diagnostics.push(d),
    env: o.env ?? {},
    opts: o.opts ?? {},
  };
}

export function file(root: string, rel: string, subtype = 'serverless'): DiscoveredFile {
  const path = join(root, rel);
  return { path, rel: relative(root, path).split('\\').join('/'), kind: 'iac', subtype, size: 0 };
}

/** Load fixture files (relative to `root`, default the serverless fixtures) through the adapter. */
export async function loadIn(
  root: string,
  rels: (string | DiscoveredFile)[],
  o: LoadOptions = {},
): Promise<{ app: Partial<App>; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const all = rels.map((r) => (typeof r === 'string' ? file(root, r) : r));
  const files = serverlessAdapter.select(all);
  const app = await serverlessAdapter.load(files, ctxFor(root, diagnostics, all, o));
  return { app, diagnostics };
}

export function load(rel: string, o: LoadOptions = {}) {
  return loadIn(FIXTURES, [rel], o);
}

export function expr(v: unknown): string | undefined {
  return isUnknown(v) ? v.expr : undefined;
}

/** Strip positions so objects can be compared on content. */
export function noPositions<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (k, x) => (k === 'where' || k === 'runtimeWhere' ? undefined : x))) as T;
}
