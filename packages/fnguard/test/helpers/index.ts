/** Test helpers shared by fnguard's tests. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';

/** packages/fnguard */
export const PKG_DIR = fileURLToPath(new URL('../..', import.meta.url));
/** repository root */
export const REPO_DIR = join(PKG_DIR, '..', '..');
export const RULE_FIXTURES_DIR = join(PKG_DIR, 'test', 'fixtures', 'rules');

/** Write a tree of files (path -> content) into a fresh temp dir; returns its path. */
export function tmpTree(files: Record<string, string | Uint8Array>, prefix = 'fnguard-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [rel, content] of Object.entries(files)) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  return dir;
}

export function rmTree(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A fixed "today" for date-dependent tests. */
export const FIXED_NOW = new Date('2026-11-23T12:00:00Z');

/** `project(files)`: a temp tree per call, all removed after the calling test file. */
export function tempProjects(): (files: Record<string, string | Uint8Array>) => string {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmTree(d);
  });
  return (files) => {
    const d = tmpTree(files);
    dirs.push(d);
    return d;
  };
}
