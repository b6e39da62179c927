import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DiscoveredFile } from '../../../src/discover/types.js';
import { cloudformationAdapter } from '../../../src/load/cloudformation/index.js';
import type { LoadContext } from '../../../src/load/types.js';
import { type App, type Diagnostic, isUnknown, type Where } from '../../../src/model/types.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/load/cloudformation/', import.meta.url)).replace(/\/$/, '');

export function ctxFor(root: string, diagnostics: Diagnostic[]): LoadContext {
  return { root, files: [], readText: (p) => readFile(p, 'utf8'), diagnostic: (d) => diagnostics.push(d), env: {}, opts: {} };
}

export function file(root: string, rel: string): DiscoveredFile {
  const path = join(root, rel);
  return { path, rel: relative(root, path).split('\\').join('/'), kind: 'iac', subtype: 'cloudformation', size: 0 };
}

/** Load fixture files (relative to the cloudformation fixture root) through the adapter. */
export async function load(...rels: string[]): Promise<{ app: Partial<App>; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const files = cloudformationAdapter.select(rels.map((r) => file(FIXTURES, r)));
  const app = await cloudformationAdapter.load(files, ctxFor(FIXTURES, diagnostics));
  return { app, diagnostics };
}

/** Strip positions (and Unknown.where) so two loads can be compared on content. */
export function noPositions<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (k, x) => (k === 'where' || k === 'runtimeWhere' || k === 'defaultWhere' ? undefined : x))) as T;
}

export function line(w: Where | undefined): number | undefined {
  return w?.line;
}

export function expr(v: unknown): string | undefined {
  return isUnknown(v) ? v.expr : undefined;
}
