/**
 * Parse one JS/TS file with oxc-parser into a `ParsedModule`. Parse errors become a diagnostic
 * with file and line; a file that cannot be parsed at all yields no module.
 */
import { createRequire } from 'node:module';
import type * as Oxc from 'oxc-parser';

let oxc: typeof Oxc | undefined;

/** Load oxc-parser (a native binding, ~15 ms of start-up) once, and only when there is code to parse. */
export async function loadParser(): Promise<void> {
  oxc ??= await import('oxc-parser');
}

function oxcLib(): typeof Oxc {
  // loadParser() normally ran first; require(esm) is the synchronous fallback (Node >= 20.19)
  oxc ??= createRequire(import.meta.url)('oxc-parser') as typeof Oxc;
  return oxc;
}

import type { Diagnostic } from '../../model/types.js';
import type { ParsedModule } from './types.js';

/** Files larger than this are not parsed (bundles and generated code): an info diagnostic. */
export const MAX_CODE_FILE_SIZE = 2 * 1024 * 1024;

export function languageOf(file: string): ParsedModule['language'] | undefined {
  const m = /\.(m|c)?(js|ts)(x)?$/i.exec(file);
  if (!m) return undefined;
  const base = (m[2] ?? '').toLowerCase() as 'js' | 'ts';
  return m[3] ? (`${base}x` as 'jsx' | 'tsx') : base;
}

/** 1-based line/column lookup over a precomputed table of line starts. */
export function positionIndex(source: string): (offset: number) => { line: number; column: number } {
  const starts: number[] = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 };
  };
}

let raw: boolean | undefined;
/** oxc's raw transfer (Node >= 22 on 64-bit little-endian) builds the AST about twice as fast as JSON. */
function useRawTransfer(): boolean {
  if (raw === undefined) {
    try {
      raw = oxcLib().rawTransferSupported();
    } catch {
      raw = false;
    }
  }
  return raw;
}

export interface ParseOutcome {
  module?: ParsedModule;
  diagnostics: Diagnostic[];
}

/** Parse `source` as the language of `file` (plain `.js` files may hold JSX: retried as JSX). */
export function parseModule(file: string, source: string, language = languageOf(file) ?? 'js'): ParseOutcome {
  const diagnostics: Diagnostic[] = [];
  if (source.length > MAX_CODE_FILE_SIZE) {
    diagnostics.push({
      level: 'info',
      file,
      message: `not analysed: ${source.length} characters, over the ${MAX_CODE_FILE_SIZE}-character limit for code files`,
      code: 'code-too-large',
    });
    return { diagnostics };
  }
  if (source.includes('\u0000')) {
    diagnostics.push({ level: 'warning', file, message: 'not analysed: the file holds NUL bytes (binary?)', code: 'binary' });
    return { diagnostics };
  }
  const position = positionIndex(source);
  let lang = language;
  let result: ReturnType<typeof Oxc.parseSync>;
  try {
    // `experimentalRawTransfer` is read by oxc-parser's JS wrapper but not declared in its types
    const extra = { experimentalRawTransfer: useRawTransfer() } as Record<string, unknown>;
    result = oxcLib().parseSync(file, source, { lang, sourceType: 'unambiguous', preserveParens: false, ...extra });
    if (result.errors.length > 0 && lang === 'js') {
      const jsx = oxcLib().parseSync(file, source, { lang: 'jsx', sourceType: 'unambiguous', preserveParens: false, ...extra });
      if (jsx.errors.length === 0) {
        result = jsx;
        lang = 'jsx';
      }
    }
  } catch (e) {
    diagnostics.push({ level: 'warning', file, message: `cannot parse: ${(e as Error)?.message ?? e}`, code: 'code-parse' });
    return { diagnostics };
  }
  for (const err of result.errors.slice(0, 3)) {
    const label = err.labels?.[0];
    const pos = label ? position(label.start) : undefined;
    diagnostics.push({
      level: 'warning',
      file,
      ...(pos ? { line: pos.line, column: pos.column } : {}),
      message: `parse error: ${err.message}`,
      code: 'code-parse',
    });
  }
  return { module: { file, language: lang, source, program: result.program, position }, diagnostics };
}
