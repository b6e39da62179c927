/**
 * `codeAnalyzer` (fact id `js-code`): for every JS/TS function of the Model, its entry file and
 * export, the local modules reachable through imports, and the packages they import. Each file is
 * read and parsed once per scan (oxc-parser). Readers: the INJ/OTH rules (through the taint
 * analyzer), dependency reachability, least-privilege policy generation. See ./types.ts.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { DEFAULT_MAX_FILE_SIZE } from '../../discover/discover.js';
import { type Fn, isUnknown, type Where } from '../../model/types.js';
import { type AnalyzerInput, defineAnalyzer, readerOf } from '../types.js';
import { collectImports } from './imports.js';
import { languageOf, loadParser, type ParseOutcome, parseModule, parseModuleAsync } from './parse.js';
import { fileSystemView, ImportResolver, insideRoot, packageName, resolveEntry } from './resolve.js';
import type { CodeFacts, FunctionCode, ImportedPackage, ParsedModule, ResolvedImport } from './types.js';

export type { CodeFacts, FunctionCode, ParsedModule } from './types.js';

const BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith('_')));
/** Stop following imports past this many local files per function (bundled monorepos). */
export const MAX_FILES_PER_FUNCTION = 2000;
/**
 * Files read and parsed ahead of their turn, at most this many at once: oxc's native parse runs on
 * libuv's thread pool while the JS thread builds and walks the ASTs of the files before them.
 */
export const PARSE_AHEAD = 4;

/** Node or unknown runtime: the code may be JS/TS. Python, Java, Go... are not ours. */
export function mayBeJsFunction(fn: Fn): boolean {
  if (fn.packageType === 'image') return false;
  const rt = fn.runtime;
  if (rt === undefined || isUnknown(rt)) return true;
  return /^node/i.test(rt);
}

function isBuiltin(spec: string): boolean {
  if (spec.startsWith('node:')) return true;
  return BUILTINS.has(spec.split('/')[0] ?? spec) && BUILTINS.has(spec);
}

/** The line in `template` where the inline code's first non-empty line sits (at or after `from`). */
function inlineLineOffset(templateText: string | undefined, code: string, from: number): number {
  const first = code
    .split('\n')
    .find((l) => l.trim() !== '')
    ?.trim();
  if (!templateText || !first) return from;
  const lines = templateText.split('\n');
  const firstIndex = code.split('\n').findIndex((l) => l.trim() !== '');
  for (let i = Math.max(0, from - 1); i < Math.min(lines.length, from + 5); i++)
    if ((lines[i] ?? '').includes(first)) return i + 1 - firstIndex;
  return from;
}

export async function analyzeCode(input: AnalyzerInput): Promise<CodeFacts> {
  const { app, files, options } = input;
  if (files.some((f) => f.kind === 'code') || app.functions.some((f) => f.inlineCode)) await loadParser();
  const root = options.root;
  const reader = readerOf(input);
  const maxSize = typeof options.maxFileSize === 'number' ? options.maxFileSize : DEFAULT_MAX_FILE_SIZE;
  const modules = new Map<string, ParsedModule | null>();
  const importsByFile = new Map<string, ResolvedImport[]>();
  const texts = new Map<string, string | undefined>();
  const readConfig = (path: string): string | undefined => {
    if (texts.has(path)) return texts.get(path);
    let t: string | undefined;
    try {
      t = readFileSync(path, 'utf8');
      if (t.length > 1024 * 1024) t = undefined;
    } catch {
      t = undefined;
    }
    texts.set(path, t);
    return t;
  };
  const fs = fileSystemView(
    root,
    files.filter((f) => f.kind === 'code' || f.kind === 'manifest').map((f) => f.path),
    readConfig,
  );
  const resolver = new ImportResolver(
    fs,
    root,
    files.filter((f) => f.subtype === 'package-json').map((f) => f.path),
  );

  /** A file read and parsed (or the read's error), started ahead of its turn by `parseAhead`. */
  type Loaded = { outcome: ParseOutcome } | { error: Error } | { thrown: unknown };
  const pending = new Map<string, Promise<Loaded>>();
  const wanted: string[] = [];
  let nextWanted = 0;
  let inFlight = 0;
  const start = (file: string): Promise<Loaded> => {
    inFlight++;
    const p = (async (): Promise<Loaded> => {
      let text: string;
      try {
        text = await reader.read(file, maxSize);
      } catch (e) {
        return { error: e as Error };
      }
      return { outcome: await parseModuleAsync(file, text) };
    })()
      // a file parsed ahead but never loaded must not reject unobserved; `load` rethrows
      .catch((e: unknown): Loaded => ({ thrown: e }))
      .finally(() => {
        inFlight--;
        pump();
      });
    pending.set(file, p);
    return p;
  };
  const pump = () => {
    while (inFlight < PARSE_AHEAD && nextWanted < wanted.length) {
      const f = wanted[nextWanted++] as string;
      if (!pending.has(f) && !modules.has(f)) start(f);
    }
  };
  /** Start reading and parsing `file`, which `load` will ask for later (in the order asked here). */
  const parseAhead = (file: string) => {
    if (modules.has(file) || pending.has(file)) return;
    wanted.push(file);
    pump();
  };

  // diagnostics are reported here, in load order, whenever the parse ran
  const load = async (file: string): Promise<ParsedModule | undefined> => {
    const hit = modules.get(file);
    if (hit !== undefined) return hit ?? undefined;
    modules.set(file, null);
    const started = pending.get(file) ?? start(file);
    pending.delete(file);
    const loaded = await started;
    if ('thrown' in loaded) throw loaded.thrown;
    if ('error' in loaded) {
      input.diagnostic({ level: 'warning', file, message: `code not analysed: ${loaded.error.message}`, code: 'code-unreadable' });
      return undefined;
    }
    const { module, diagnostics } = loaded.outcome;
    for (const d of diagnostics) input.diagnostic(d);
    if (module) {
      modules.set(file, module);
      importsByFile.set(file, resolveImports(module));
    }
    return module;
  };

  const resolveImports = (m: ParsedModule): ResolvedImport[] =>
    collectImports(m.program, m.source).map((imp) => {
      const pos = m.position(imp.start);
      const where: Where = { file: m.reportFile ?? m.file, line: pos.line, column: pos.column };
      const r: ResolvedImport = { specifier: imp.specifier, kind: imp.kind, where };
      if (isBuiltin(imp.specifier) && !imp.specifier.startsWith('.')) {
        r.builtin = true;
        return r;
      }
      const res = resolver.resolve(imp.specifier, m.reportFile ?? m.file);
      if (res.file) r.file = res.file;
      else if (!res.local) {
        const name = packageName(imp.specifier);
        if (name) r.packageName = name;
      }
      return r;
    });

  const codeFiles = files.filter((f) => f.kind === 'code').map((f) => f.path);
  const byFunction = new Map<string, FunctionCode>();
  const templateTexts = new Map<string, string | undefined>();
  // every function's entry file first, so that their parses start ahead
  const entries = new Map<Fn, ReturnType<typeof resolveEntry>>();
  for (const fn of app.functions) {
    if (!mayBeJsFunction(fn) || fn.inlineCode) continue;
    const res = resolveEntry(fs, fn, root, codeFiles);
    entries.set(fn, res);
    if (res.file && languageOf(res.file) !== undefined) parseAhead(res.file);
  }
  for (const fn of app.functions) {
    if (!mayBeJsFunction(fn)) continue;
    const code: FunctionCode = { fnId: fn.id, files: [], packages: [], unresolved: [] };
    let entry: ParsedModule | undefined;
    if (fn.inlineCode) {
      const tpl = fn.inlineCode.where.file;
      if (!templateTexts.has(tpl)) {
        let t: string | undefined;
        try {
          t = await reader.read(tpl, maxSize);
        } catch {
          t = undefined;
        }
        templateTexts.set(tpl, t);
      }
      const virtual = `${tpl}#inline:${fn.name}`;
      const { module, diagnostics } = parseModule(virtual, fn.inlineCode.text, 'js');
      const lineOffset = inlineLineOffset(templateTexts.get(tpl), fn.inlineCode.text, fn.inlineCode.where.line) - 1;
      for (const d of diagnostics) input.diagnostic({ ...d, file: tpl, ...(d.line !== undefined ? { line: d.line + lineOffset } : {}) });
      if (module) {
        const base = module.position;
        const indent = /^[ \t]*/.exec((templateTexts.get(tpl) ?? '').split('\n')[lineOffset] ?? '')?.[0]?.length ?? 0;
        module.reportFile = tpl;
        module.position = (offset) => {
          const p = base(offset);
          return { line: p.line + lineOffset, column: p.column + indent };
        };
        modules.set(virtual, module);
        importsByFile.set(virtual, resolveImports(module));
        entry = module;
        code.inline = true;
        code.entryFile = virtual;
        const split = typeof fn.handler === 'string' ? fn.handler.split('.').slice(1) : [];
        code.exportPath = split.length ? split : ['handler'];
        code.exportName = code.exportPath[0] ?? 'handler';
      }
    } else {
      const res = entries.get(fn) ?? resolveEntry(fs, fn, root, codeFiles);
      if (!res.file) {
        // a function with an explicit non-Node runtime never gets here; say why we found nothing
        if (!(fn.runtime === undefined && fn.handler === undefined)) {
          code.missingReason = res.reason ?? 'code not found';
          byFunction.set(fn.id, code);
          input.diagnostic({
            level: 'info',
            file: fn.where.file,
            line: fn.where.line,
            message: `function '${fn.name}': code not analysed: ${code.missingReason}`,
            code: 'code-not-found',
          });
        }
        continue;
      }
      if (languageOf(res.file) === undefined) continue;
      entry = await load(res.file);
      code.exportPath = res.exportPath;
      code.exportName = res.exportPath[0] ?? 'handler';
      if (!entry) {
        code.missingReason = `the entry file could not be parsed`;
        byFunction.set(fn.id, code);
        continue;
      }
      code.entryFile = res.file;
      fn.entryFile = res.file;
    }
    if (!entry) continue;
    // follow local imports breadth-first
    const seen = new Set<string>([entry.file]);
    const queue: string[] = [entry.file];
    const pkgSeen = new Set<string>();
    const builtins = new Set<string>();
    while (queue.length > 0 && code.files.length < MAX_FILES_PER_FUNCTION) {
      const file = queue.shift() as string;
      const m = file === entry.file ? entry : await load(file);
      if (!m) continue;
      code.files.push(file);
      for (const imp of importsByFile.get(file) ?? []) {
        if (imp.builtin) {
          builtins.add(imp.specifier.replace(/^node:/, ''));
          continue;
        }
        if (imp.file) {
          if (!seen.has(imp.file) && insideRoot(root, imp.file) && languageOf(imp.file)) {
            seen.add(imp.file);
            queue.push(imp.file);
            parseAhead(imp.file);
          }
          continue;
        }
        if (imp.packageName) {
          const k = `${imp.specifier}\0${imp.kind}\0${imp.where.file}\0${imp.where.line}`;
          if (pkgSeen.has(k)) continue;
          pkgSeen.add(k);
          const p: ImportedPackage = { name: imp.packageName, specifier: imp.specifier, kind: imp.kind, where: imp.where };
          code.packages.push(p);
          continue;
        }
        code.unresolved.push({ specifier: imp.specifier, where: imp.where });
      }
    }
    code.builtins = [...builtins].sort();
    byFunction.set(fn.id, code);
  }
  return {
    byFunction,
    module: (file) => modules.get(file) ?? undefined,
    imports: (file) => importsByFile.get(file) ?? [],
  };
}

export const codeAnalyzer = defineAnalyzer<CodeFacts>({ id: 'js-code', run: analyzeCode });
