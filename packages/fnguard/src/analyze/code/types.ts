/**
 * The contract of the JS/TS code analysis (issue 3): what `codeAnalyzer` (src/analyze/code/index.ts)
 * computes once per scan and what its readers rely on: the INJ/OTH rules (issue 3), dependency
 * reachability (issue 5) and least-privilege policy generation from SDK calls (issue 6).
 * Extend it with optional fields; never rename or remove.
 */
import type { Where } from '../../model/types.js';

/** One parsed source file (parsed once per scan, shared by every reader). */
export interface ParsedModule {
  /** Absolute path. */
  file: string;
  language: 'js' | 'jsx' | 'ts' | 'tsx';
  /** The source text. */
  source: string;
  /** The ESTree / TS-ESTree program from oxc-parser (`Program` node). */
  // biome-ignore lint/suspicious/noExplicitAny: the oxc AST types stay inside src/analyze/code; readers walk it as ESTree
  program: any;
  /** 1-based line and column of a character offset in `source` (in `reportFile` for inline code). */
  position(offset: number): { line: number; column: number };
  /**
   * For inline code (CloudFormation `ZipFile`, SAM `InlineCode`): `file` is a virtual path
   * (`<template>#inline:<function>`) and findings point into this real file (the template).
   */
  reportFile?: string;
}

/** One import of a module, resolved. */
export interface ResolvedImport {
  specifier: string;
  kind: ImportedPackage['kind'];
  /** The local file it resolves to (absolute), when it is local and was found. */
  file?: string;
  /** The package name when the specifier is bare and not a local package (`lodash`, `node:fs` -> `fs` builtins excluded). */
  packageName?: string;
  /** True for Node built-in modules (`fs`, `node:child_process`). */
  builtin?: boolean;
  where: Where;
}

/** A package imported with a bare specifier (`lodash`, `@aws-sdk/client-s3/dist-cjs/x`). */
export interface ImportedPackage {
  /** The package name: `lodash`, `@aws-sdk/client-s3`. */
  name: string;
  /** The specifier as written. */
  specifier: string;
  /** `import`, `require`, dynamic `import()`, `export ... from`. */
  kind: 'import' | 'require' | 'dynamic-import' | 're-export';
  where: Where;
}

/** The code of one function of the Model. */
export interface FunctionCode {
  /** Model `Fn.id`. */
  fnId: string;
  /** Absolute path of the handler's entry module, when it was found. */
  entryFile?: string;
  /** The exported name the handler string points at (`handler`, `default`). */
  exportName?: string;
  /** Local modules reachable from the entry through imports (absolute paths, entry first). */
  files: string[];
  /** Every bare-specifier import of those modules (transitively through local modules). */
  packages: ImportedPackage[];
  /** Local imports that could not be resolved, as written, with where. */
  unresolved: { specifier: string; where: Where }[];
  /** Why the code could not be found, when `entryFile` is undefined. */
  missingReason?: string;
  /** The property path of the handler string after the module (`handlers.main` -> `['handlers', 'main']`). */
  exportPath?: string[];
  /** Node built-in modules imported (`child_process`, `fs`), without the `node:` prefix. */
  builtins?: string[];
  /** True when the code is the template's inline code. */
  inline?: boolean;
}

export interface CodeFacts {
  /** Per Model function id. Functions that are not JS/TS are absent. */
  byFunction: Map<string, FunctionCode>;
  /** The parsed module of an absolute path, when that file was part of the analysis. */
  module(file: string): ParsedModule | undefined;
  /** The imports of a parsed module, resolved (empty for files that are not part of the analysis). */
  imports?(file: string): ResolvedImport[];
}
