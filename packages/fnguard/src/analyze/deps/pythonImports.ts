/**
 * A light Python import scan for dependency reachability (there is no Python code analysis
 * yet): the handler module named by the handler string (`app.handler`, `src/app.handler`) and
 * the local modules it imports, read as text (never executed), `import x` / `from x import y`
 * collected with their lines. It can only say "imported": a distribution may be imported under
 * another name or used through another package, so absence proves nothing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Where } from '../../model/types.js';
import { pypiName } from './graph.js';

const MAX_FILES = 200;
const MAX_FILE = 1024 * 1024;

/** Distributions whose import name differs from their name (well-known cases). */
const IMPORT_NAMES: Record<string, string[]> = {
  pyyaml: ['yaml'],
  beautifulsoup4: ['bs4'],
  'python-dateutil': ['dateutil'],
  pillow: ['PIL'],
  'scikit-learn': ['sklearn'],
  'opencv-python': ['cv2'],
  'opencv-python-headless': ['cv2'],
  'psycopg2-binary': ['psycopg2'],
  'psycopg-binary': ['psycopg'],
  pyjwt: ['jwt'],
  attrs: ['attr', 'attrs'],
  protobuf: ['google'],
  'python-jose': ['jose'],
  'python-dotenv': ['dotenv'],
  pymysql: ['pymysql'],
  'mysql-connector-python': ['mysql'],
  'google-cloud-storage': ['google'],
  'aws-lambda-powertools': ['aws_lambda_powertools'],
  'typing-extensions': ['typing_extensions'],
  pycryptodome: ['Crypto'],
  pycryptodomex: ['Cryptodome'],
  'msgpack-python': ['msgpack'],
  markupsafe: ['markupsafe'],
};

export function importNamesOf(distribution: string): string[] {
  const n = pypiName(distribution);
  return IMPORT_NAMES[n] ?? [n.replace(/-/g, '_')];
}

export interface PythonImport {
  module: string;
  where: Where;
}

/** The handler module's file: `src/app.handler` -> `<codeDir>/src/app.py`. */
export function pythonHandlerFile(codeDir: string, handler: string): string | undefined {
  const dot = handler.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const mod = handler.slice(0, dot).replace(/\./g, '/');
  if (mod.split('/').includes('..')) return undefined;
  for (const f of [join(codeDir, `${mod}.py`), join(codeDir, mod, '__init__.py')]) if (existsSync(f)) return f;
  return undefined;
}

/** Top-level module names imported (absolute imports only), with where. */
export function scanPythonImports(source: string, file: string): PythonImport[] {
  const out: PythonImport[] = [];
  const lines = source.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).replace(/#.*$/, '');
    let m = /^\s*import\s+(.+)$/.exec(line);
    if (m) {
      for (const part of (m[1] as string).split(',')) {
        const name = /^\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(part)?.[1];
        if (name) out.push({ module: name, where: { file, line: i + 1, column: 1 } });
      }
      continue;
    }
    m = /^\s*from\s+([A-Za-z_][A-Za-z0-9_]*)[\w.]*\s+import\b/.exec(line);
    if (m) out.push({ module: m[1] as string, where: { file, line: i + 1, column: 1 } });
  }
  return out;
}

/** Imports of the handler and the local modules it reaches (same code directory). */
export async function pythonImportGraph(
  codeDir: string,
  entry: string,
  read: (file: string, maxSize: number) => Promise<string | undefined>,
): Promise<PythonImport[]> {
  const seen = new Set<string>();
  const queue = [entry];
  const external: PythonImport[] = [];
  while (queue.length > 0 && seen.size < MAX_FILES) {
    const file = queue.shift() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = await read(file, MAX_FILE);
    if (text === undefined) continue;
    for (const imp of scanPythonImports(text, file)) {
      const local = [join(codeDir, `${imp.module}.py`), join(codeDir, imp.module, '__init__.py')].find((f) => existsSync(f));
      if (local) queue.push(local);
      else external.push(imp);
    }
  }
  return external;
}
