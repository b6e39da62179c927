/** One parser per lockfile format, chosen by the discovery subtype. */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import type { Ecosystem, LockGraph } from '../types.js';
import { parseBunLock } from './bun.js';
import type { ManifestDeps } from './manifest.js';
import { parseNpmLock } from './npm.js';
import { parsePnpmLock } from './pnpm.js';
import { parsePipfileLock, parseRequirements, parseTomlLock } from './python.js';
import { parseYarnLock } from './yarn.js';

export const LOCKFILE_ECOSYSTEM: Record<string, Ecosystem> = {
  'npm-shrinkwrap': 'npm',
  'package-lock': 'npm',
  'pnpm-lock': 'npm',
  'yarn-lock': 'npm',
  'bun-lock': 'npm',
  'poetry-lock': 'PyPI',
  'uv-lock': 'PyPI',
  'pdm-lock': 'PyPI',
  'pipfile-lock': 'PyPI',
  requirements: 'PyPI',
};

/** When one directory holds several lockfiles of an ecosystem, the first here wins (npm's own precedence first). */
export const LOCKFILE_PREFERENCE = [
  'npm-shrinkwrap',
  'package-lock',
  'pnpm-lock',
  'yarn-lock',
  'bun-lock',
  'uv-lock',
  'poetry-lock',
  'pdm-lock',
  'pipfile-lock',
  'requirements',
];

export interface ParseContext {
  root: string;
  /** The package.json next to the lockfile (npm v1, yarn). */
  packageJson?: ManifestDeps;
  /** Direct dependencies from the pyproject.toml next to it (poetry, pdm). */
  pyproject?: { prod: string[]; dev: string[] };
  maxFileSize: number;
}

/** A requirements file whose name says it is for development (`requirements-dev.txt`, `test-requirements.txt`). */
export function devRequirementsName(file: string): boolean {
  return /(^|[-_.])(dev|test|tests|testing|lint|docs|ci)([-_.]|$)/i.test(basename(file).replace(/\.txt$/i, ''));
}

export function parseLockfile(
  kind: string,
  text: string,
  file: string,
  ctx: ParseContext,
): { graph: LockGraph; unpinned?: { name: string; file: string; line: number }[] } {
  switch (kind) {
    case 'package-lock':
    case 'npm-shrinkwrap':
      return { graph: parseNpmLock(text, file, kind, ctx.packageJson) };
    case 'yarn-lock':
      return { graph: parseYarnLock(text, file, ctx.packageJson) };
    case 'pnpm-lock':
      return { graph: parsePnpmLock(text, file) };
    case 'bun-lock':
      return { graph: parseBunLock(text, file) };
    case 'poetry-lock':
    case 'pdm-lock':
    case 'uv-lock':
      return { graph: parseTomlLock(text, file, kind, ctx.pyproject) };
    case 'pipfile-lock':
      return { graph: parsePipfileLock(text, file) };
    case 'requirements': {
      const include = (from: string, target: string) => {
        const abs = resolve(dirname(from), target);
        try {
          const real = realpathSync(abs);
          const rel = relative(realpathSync(ctx.root), real);
          if (rel.startsWith('..') || isAbsolute(rel)) return undefined;
          if (statSync(real).size > ctx.maxFileSize) return undefined;
          return { text: readFileSync(real, 'utf8'), file: abs };
        } catch {
          return undefined;
        }
      };
      return parseRequirements({ text, file, include }, devRequirementsName(file));
    }
    default:
      throw new Error(`no parser for lockfile kind ${kind}`);
  }
}
