/**
 * Facts: analyses computed once per scan, lazily, memoized by the engine, and read by rules.
 * A rule declares the analyzers it needs (`needs: [jsCodeAnalyzer]`); the engine awaits each
 * needed analyzer once before running rule checks (rules themselves stay synchronous and free of I/O).
 */
import type { DiscoveredFile } from '../discover/types.js';
import { createTextReader, type TextReader } from '../load/textReader.js';
import type { App, Diagnostic } from '../model/types.js';

export interface ScanOptions {
  /** Absolute scan root. */
  root: string;
  /** "Today" for date-based rules (deprecated runtimes, ignore-file expiry). */
  now: Date;
  /** Directory of an OSV advisory database (issue 5). */
  advisoryDb?: string;
  includeDev?: boolean;
  online?: boolean;
  /** Public key for signature verification of packages (issue 7). */
  verifyKey?: string;
  /** Free-form options for analyzers. */
  [key: string]: unknown;
}

export interface AnalyzerInput {
  app: App;
  files: readonly DiscoveredFile[];
  options: ScanOptions;
  /** Report a problem with an input file; it goes to the result's diagnostics. */
  diagnostic(d: Diagnostic): void;
  /** Other analyzers' facts (memoized). */
  fact<T>(analyzer: Analyzer<T>): Promise<T>;
  /** The scan's reader of files under `options.root` (one per scan: the root's real path is computed once). */
  reader?: TextReader;
}

/** The scan's reader when it reads under `options.root`, else a new one. */
export function readerOf(input: Pick<AnalyzerInput, 'options' | 'reader'>): TextReader {
  return input.reader?.root === input.options.root ? input.reader : createTextReader(input.options.root);
}

export interface Analyzer<T> {
  /** Unique id, e.g. `js-code`, `secrets`, `deps`. */
  id: string;
  run(input: AnalyzerInput): Promise<T> | T;
}

export function defineAnalyzer<T>(a: Analyzer<T>): Analyzer<T> {
  return a;
}
