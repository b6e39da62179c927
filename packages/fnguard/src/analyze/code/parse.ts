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

/**
 * 1-based line/column lookup over a precomputed table of line starts. Readers ask for offsets
 * mostly in source order (a tree walk), so the line of the previous answer is tried first, then
 * the next one, before a binary search.
 */
export function positionIndex(source: string): (offset: number) => { line: number; column: number } {
  const starts: number[] = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  const last = starts.length - 1;
  let cursor = 0;
  return (offset: number) => {
    let lo = cursor;
    const start = starts[lo] ?? 0;
    if (offset >= start && (lo === last || offset < (starts[lo + 1] ?? 0))) return { line: lo + 1, column: offset - start + 1 };
    if (offset >= start && lo + 1 < last && offset < (starts[lo + 2] ?? 0)) lo++;
    else {
      lo = 0;
      let hi = last;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((starts[mid] ?? 0) <= offset) lo = mid;
        else hi = mid - 1;
      }
    }
    cursor = lo;
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

type OxcResult = ReturnType<typeof Oxc.parseSync>;

/** Files that are not parsed at all (too large, binary): their diagnostics, or undefined. */
function refusal(file: string, source: string): ParseOutcome | undefined {
  if (source.length > MAX_CODE_FILE_SIZE)
    return {
      diagnostics: [
        {
          level: 'info',
          file,
          message: `not analysed: ${source.length} characters, over the ${MAX_CODE_FILE_SIZE}-character limit for code files`,
          code: 'code-too-large',
        },
      ],
    };
  if (source.includes('\u0000'))
    return { diagnostics: [{ level: 'warning', file, message: 'not analysed: the file holds NUL bytes (binary?)', code: 'binary' }] };
  return undefined;
}

function parserOptions(lang: ParsedModule['language']): Oxc.ParserOptions {
  // `experimentalRawTransfer` is read by oxc-parser's JS wrapper but not declared in its types
  const extra = { experimentalRawTransfer: useRawTransfer() } as Record<string, unknown>;
  return { lang, sourceType: 'unambiguous', preserveParens: false, ...extra };
}

function outcome(file: string, source: string, lang: ParsedModule['language'], result: OxcResult): ParseOutcome {
  const position = positionIndex(source);
  const diagnostics: Diagnostic[] = [];
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

function failure(file: string, e: unknown): ParseOutcome {
  return { diagnostics: [{ level: 'warning', file, message: `cannot parse: ${(e as Error)?.message ?? e}`, code: 'code-parse' }] };
}

/** Parse `source` as the language of `file` (plain `.js` files may hold JSX: retried as JSX). */
export function parseModule(file: string, source: string, language = languageOf(file) ?? 'js'): ParseOutcome {
  const refused = refusal(file, source);
  if (refused) return refused;
  let lang = language;
  let result: OxcResult;
  try {
    result = oxcLib().parseSync(file, source, parserOptions(lang));
    if (result.errors.length > 0 && lang === 'js') {
      const jsx = oxcLib().parseSync(file, source, parserOptions('jsx'));
      if (jsx.errors.length === 0) {
        result = jsx;
        lang = 'jsx';
      }
    }
  } catch (e) {
    return failure(file, e);
  }
  return outcome(file, source, lang, result);
}

/**
 * `parseModule` with oxc's native parse (and, on the JSON path, the serialisation of the AST) on
 * libuv's thread pool: several files in flight overlap that work with the JS thread's. The AST is
 * built on the JS thread either way; the outcome is the same as `parseModule`'s.
 */
export async function parseModuleAsync(file: string, source: string, language = languageOf(file) ?? 'js'): Promise<ParseOutcome> {
  const refused = refusal(file, source);
  if (refused) return refused;
  let lang = language;
  let result: OxcResult;
  try {
    result = await oxcLib().parse(file, source, parserOptions(lang));
    if (result.errors.length > 0 && lang === 'js') {
      const jsx = await oxcLib().parse(file, source, parserOptions('jsx'));
      if (jsx.errors.length === 0) {
        result = jsx;
        lang = 'jsx';
      }
    }
  } catch (e) {
    return failure(file, e);
  }
  return outcome(file, source, lang, result);
}
