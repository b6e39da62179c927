/**
 * File classification: by name first, then (for YAML/JSON) by the first 64 KiB of content.
 * Pure functions: the walker hands in the name and, when needed, the head of the file.
 */
import type { FileKind } from './types.js';

export interface NameClass {
  kind: FileKind;
  subtype?: string;
  /** The content head decides (YAML/JSON that may be CloudFormation). */
  sniff?: 'cloudformation';
  /** Skipped executable config (serverless.js/.ts): reported as an info diagnostic. */
  executableConfig?: boolean;
}

const LOCKFILES: Record<string, string> = {
  'package-lock.json': 'package-lock',
  'npm-shrinkwrap.json': 'npm-shrinkwrap',
  'yarn.lock': 'yarn-lock',
  'pnpm-lock.yaml': 'pnpm-lock',
  'bun.lock': 'bun-lock',
  'pipfile.lock': 'pipfile-lock',
  'poetry.lock': 'poetry-lock',
  'uv.lock': 'uv-lock',
  'pdm.lock': 'pdm-lock',
};

const MANIFESTS: Record<string, string> = {
  'package.json': 'package-json',
  'pyproject.toml': 'pyproject',
  pipfile: 'pipfile',
};

const CODE_EXT: Record<string, string> = {
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'javascript',
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  tsx: 'typescript',
  py: 'python',
};

/** Extensions that are binary by nature: not read at all. */
const BINARY_EXT = new Set([
  'png',
  'jpg',
  'jpeg',
  'gif',
  'webp',
  'ico',
  'bmp',
  'pdf',
  'gz',
  'tgz',
  'bz2',
  'xz',
  '7z',
  'jar',
  'war',
  'class',
  'so',
  'dll',
  'dylib',
  'exe',
  'node',
  'wasm',
  'woff',
  'woff2',
  'ttf',
  'otf',
  'mp3',
  'mp4',
  'mov',
  'pyc',
  'sqlite',
  'db',
]);

function extOf(lower: string): string {
  const dot = lower.lastIndexOf('.');
  return dot <= 0 ? '' : lower.slice(dot + 1);
}

/** Classify by file name (and root-relative path, for `cdk.out`). */
export function classifyByName(rel: string, name: string): NameClass {
  const lower = name.toLowerCase();
  if (/^serverless\.(ya?ml|json)$/.test(lower)) return { kind: 'iac', subtype: 'serverless' };
  if (/^serverless-compose\.(ya?ml|json)$/.test(lower)) return { kind: 'iac', subtype: 'serverless-compose' };
  if (/^serverless\.(js|cjs|mjs|ts)$/.test(lower))
    return { kind: 'code', subtype: lower.endsWith('ts') ? 'typescript' : 'javascript', executableConfig: true };
  if (lower.endsWith('.tf') || lower.endsWith('.tf.json') || lower.endsWith('.tfvars') || lower.endsWith('.tfvars.json'))
    return { kind: 'iac', subtype: 'terraform' };
  const lock = LOCKFILES[lower];
  if (lock) return { kind: 'lockfile', subtype: lock };
  if (/^requirements.*\.txt$/.test(lower)) return { kind: 'lockfile', subtype: 'requirements' };
  const manifest = MANIFESTS[lower];
  if (manifest) return { kind: 'manifest', subtype: manifest };
  const ext = extOf(lower);
  if (/(^|\/)cdk\.out\/[^/]+\.template\.json$/.test(rel)) return { kind: 'iac', subtype: 'cloudformation' };
  const code = CODE_EXT[ext];
  if (code) return lower.endsWith('.d.ts') ? { kind: 'text' } : { kind: 'code', subtype: code };
  if (ext === 'zip') return { kind: 'archive', subtype: 'zip' };
  if (ext === 'yml' || ext === 'yaml' || ext === 'json' || ext === 'template') return { kind: 'text', sniff: 'cloudformation' };
  if (BINARY_EXT.has(ext)) return { kind: 'binary' };
  return { kind: 'text' };
}

/** True when the head contains a NUL byte (git's heuristic, first 8 KiB). */
export function looksBinary(head: Uint8Array, length: number): boolean {
  const n = Math.min(length, 8192);
  for (let i = 0; i < n; i++) if (head[i] === 0) return true;
  return false;
}

/**
 * Does this YAML/JSON head look like a CloudFormation / SAM template? Either
 * `AWSTemplateFormatVersion`, a SAM `Transform`, or a `Resources` map with `AWS::` types.
 */
export function looksLikeCloudFormation(head: string): boolean {
  if (head.includes('AWSTemplateFormatVersion')) return true;
  if (/Transform["']?\s*:\s*\[?\s*["']?AWS::Serverless/.test(head)) return true;
  const r = head.search(/(^|\n|[{,]\s*)["']?Resources["']?\s*:/);
  if (r < 0) return false;
  return /["']?Type["']?\s*:\s*["']?(AWS|Alexa|Custom)::/.test(head.slice(r));
}
