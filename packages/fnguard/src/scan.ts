/**
 * `scan()`: the whole pipeline as a library call.
 *   discover → loadApp (every adapter) → analyzers the enabled rules need (once, memoized)
 *   → runRules → post-process (relative paths, fingerprints, suppressions, baseline, risk, summary)
 * Returns a `Result` (engine/types.ts, docs/json-contract.md). Never throws for bad input files:
 * problems become diagnostics. Throws only for unusable options (e.g. an unreadable baseline).
 */
import { statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Analyzer, AnalyzerInput, ScanOptions } from './analyze/types.js';
import { type DiscoverOptions, discover } from './discover/discover.js';
import type { DiscoveredFile } from './discover/types.js';
import { applyBaseline, type BaselineEntry, parseBaseline } from './engine/baseline.js';
import { fingerprint } from './engine/fingerprint.js';
import { createRiskCache, riskScore } from './engine/riskScore.js';
import { type RawFinding, runRules } from './engine/runRules.js';
import { selectRules, unknownRulePatterns } from './engine/selectRules.js';
import { buildSnippet, SECRET_CATEGORIES } from './engine/snippet.js';
import {
  expiredEntryDiagnostics,
  findInlineSuppression,
  findModelSuppression,
  type IgnoreEntry,
  matchIgnoreEntry,
  parseIgnoreFileYaml,
} from './engine/suppress.js';
import {
  type Finding,
  type FunctionSummary,
  type Result,
  type ResultDiagnostic,
  SEVERITIES,
  SEVERITY_RANK,
  type Severity,
  type Summary,
} from './engine/types.js';
import { createTextReader, LoadError, loadApp, type TextReader } from './load/index.js';
import type { Adapter } from './load/types.js';
import type { App, Diagnostic, Fn, ModelSuppression, Where } from './model/types.js';
import { docsUrl, type Rule } from './rules/defineRule.js';
import { VERSION } from './version.js';

export const TOOL_VERSION = VERSION;
export const IGNORE_FILE_NAME = '.fnguardignore.yml';

export interface ScanRequest {
  /** Directory to scan. */
  root: string;
  /** Only these rules (ids or globs such as `PERM-*`); opt-in rules need their exact id. */
  rules?: string[];
  /** Skip these rules (ids or globs). */
  skipRules?: string[];
  /** Minimum severity of the findings kept in the result (default: all). */
  severity?: Severity;
  /** "Today" for date-based rules and ignore-file expiry (default: now). */
  now?: Date;
  /** Serverless `${opt:stage}` / `${opt:region}`. */
  stage?: string;
  region?: string;
  /** Serverless `--param key=value`, passed to adapters as `opts['param:key']`. */
  params?: Record<string, string>;
  /** Other `${opt:...}` values. */
  opts?: Record<string, string>;
  includeDev?: boolean;
  advisoryDb?: string;
  online?: boolean;
  /** Public key PEM or trust.yml: verify the functions' code packages and layers (SUP-08). Relative paths are relative to the root. */
  verifyKey?: string;
  /** Baseline file (path) or already-parsed entries: matching findings are suppressed, stale entries listed. */
  baseline?: string | readonly BaselineEntry[];
  /** Ignore file path; default `<root>/.fnguardignore.yml`; `false` disables it. */
  ignoreFile?: string | false;
  /** Environment for `${env:}` (default process.env). */
  env?: Record<string, string | undefined>;
  discover?: DiscoverOptions;
  /** Rule registry to select from (default: every registered rule). */
  registry?: readonly Rule[];
  /** Adapters to run (default: every registered adapter). */
  adapters?: readonly Adapter[];
  /** Extra options handed to analyzers and rules through `ScanOptions`. */
  extra?: Record<string, unknown>;
}

function toRel(root: string, file: string): string {
  if (!file) return '.';
  const abs = isAbsolute(file) ? file : resolve(root, file);
  const rel = relative(root, abs);
  if (rel === '') return '.';
  return sep === '/' ? rel : rel.split(sep).join('/');
}

/** False only when `path` certainly does not exist (a failed stat for any other reason says "maybe"). */
function mayExist(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return true;
  }
}

function errText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

interface Prepared {
  raw: RawFinding;
  finding: Finding;
}

/** Compute the facts of every needed analyzer once (analyzers may depend on each other). */
async function computeFacts(
  needed: readonly Analyzer<unknown>[],
  app: App,
  files: readonly DiscoveredFile[],
  options: ScanOptions,
  diagnostics: Diagnostic[],
  reader: TextReader,
): Promise<{ facts: Map<string, unknown>; failed: Set<string> }> {
  const facts = new Map<string, unknown>();
  const failed = new Set<string>();
  const running = new Map<string, Promise<unknown>>();
  const stack: string[] = [];
  const fact = <T>(analyzer: Analyzer<T>): Promise<T> => {
    let p = running.get(analyzer.id);
    if (!p) {
      if (stack.includes(analyzer.id)) return Promise.reject(new Error(`analyzer cycle: ${[...stack, analyzer.id].join(' -> ')}`));
      const input: AnalyzerInput = { app, files, options, diagnostic: (d) => diagnostics.push(d), fact, reader };
      stack.push(analyzer.id);
      try {
        p = Promise.resolve(analyzer.run(input));
      } catch (e) {
        p = Promise.reject(e);
      } finally {
        stack.pop();
      }
      running.set(analyzer.id, p);
    }
    return p as Promise<T>;
  };
  for (const a of needed) {
    try {
      facts.set(a.id, await fact(a));
    } catch (e) {
      failed.add(a.id);
      diagnostics.push({ level: 'error', file: app.root, message: `analyzer ${a.id} failed: ${errText(e)}`, code: 'analyzer-error' });
    }
  }
  return { facts, failed };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    cmp(a.location.file, b.location.file) ||
    a.location.line - b.location.line ||
    a.location.column - b.location.column ||
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.fingerprint, b.fingerprint)
  );
}

/** Scan a project directory. */
export async function scan(request: ScanRequest): Promise<Result> {
  const t0 = performance.now();
  const now = request.now ?? new Date();
  const diagnostics: Diagnostic[] = [];

  // 1. discover (a file as root: that file alone, its directory becomes the root)
  const found = await discover(resolve(request.root), request.discover);
  const root = found.root;
  // one reader for the whole scan: the root's real path is computed once
  const reader = createTextReader(root);
  const relCache = new Map<string, string>();
  const rel = (file: string): string => {
    let r = relCache.get(file);
    if (r === undefined) {
      r = toRel(root, file);
      relCache.set(file, r);
    }
    return r;
  };
  diagnostics.push(...found.diagnostics);
  const files = found.files;

  const timings: Record<string, number> = {};
  let mark = t0;
  const lap = (name: string) => {
    const t = performance.now();
    timings[name] = Math.round((t - mark) * 10) / 10;
    mark = t;
  };
  lap('discover');

  // 2. load
  const opts: Record<string, string> = { ...(request.opts ?? {}) };
  if (request.stage !== undefined) opts.stage = request.stage;
  if (request.region !== undefined) opts.region = request.region;
  for (const [k, v] of Object.entries(request.params ?? {})) opts[`param:${k}`] = v;
  const app = await loadApp(root, files, {
    ...(request.adapters ? { adapters: request.adapters } : {}),
    env: request.env ?? process.env,
    opts,
    ...(request.discover?.maxFileSize !== undefined ? { maxFileSize: request.discover.maxFileSize } : {}),
    reader,
  });
  diagnostics.push(...app.diagnostics);

  lap('load');

  // 3. select rules
  const registry = request.registry ?? (await import('./rules/index.js')).allRules;
  const rules = selectRules(registry, { rules: request.rules ?? [], skipRules: request.skipRules ?? [] });
  for (const p of unknownRulePatterns(registry, [...(request.rules ?? []), ...(request.skipRules ?? [])])) {
    diagnostics.push({ level: 'warning', file: root, message: `no rule matches '${p}'`, code: 'unknown-rule' });
  }

  const options: ScanOptions = {
    ...(request.extra ?? {}),
    root,
    now,
    ...(request.advisoryDb !== undefined ? { advisoryDb: resolve(request.advisoryDb) } : {}),
    ...(request.includeDev !== undefined ? { includeDev: request.includeDev } : {}),
    ...(request.online !== undefined ? { online: request.online } : {}),
    ...(request.verifyKey !== undefined ? { verifyKey: request.verifyKey } : {}),
  };

  // 4. analyzers (only those the enabled rules need), once each
  const needed = new Map<string, Analyzer<unknown>>();
  for (const r of rules) for (const a of r.needs ?? []) if (!needed.has(a.id)) needed.set(a.id, a);
  const { facts, failed } = await computeFacts([...needed.values()], app, files, options, diagnostics, reader);
  const runnable = rules.filter((r) => {
    const missing = (r.needs ?? []).filter((a) => failed.has(a.id));
    if (missing.length > 0)
      diagnostics.push({
        level: 'warning',
        file: root,
        message: `rule ${r.meta.id} skipped: analyzer ${missing.map((a) => a.id).join(', ')} failed`,
        code: 'rule-skipped',
      });
    return missing.length === 0;
  });

  lap('analyze');

  // 5. rules
  const raw = runRules(app, runnable, {
    options,
    facts,
    onRuleError: (rule, error) =>
      diagnostics.push({ level: 'error', file: root, message: `rule ${rule.meta.id} failed: ${errText(error)}`, code: 'rule-error' }),
  });

  lap('rules');

  // 6. post-process
  const minRank = request.severity ? SEVERITY_RANK[request.severity] : -1;
  const prepared: Prepared[] = [];
  const seen = new Map<string, number>();
  const exact = new Set<string>();
  for (const r of raw) {
    if (SEVERITY_RANK[r.severity] < minRank) continue;
    const fnId = r.fn?.id ?? null;
    const file = rel(r.where.file);
    const line = Math.max(1, Math.floor(Number(r.where.line) || 1));
    const column = Math.max(1, Math.floor(Number(r.where.column) || 1));
    const dedupeKey = `${r.rule.meta.id}\0${fnId}\0${r.resource}\0${r.key}\0${file}\0${line}\0${column}\0${r.message}`;
    if (exact.has(dedupeKey)) continue;
    exact.add(dedupeKey);
    const base = `${r.rule.meta.id}\0${fnId}\0${r.resource}\0${r.key}`;
    const occurrence = seen.get(base) ?? 0;
    seen.set(base, occurrence + 1);
    const meta = r.rule.meta;
    const location: Finding['location'] = { file, line, column };
    if (r.where.endLine !== undefined && r.where.endLine >= line) location.endLine = r.where.endLine;
    const finding: Finding = {
      ruleId: meta.id,
      title: meta.title,
      severity: r.severity,
      category: meta.category,
      cwe: [...meta.cwe],
      sas: meta.sas ?? null,
      message: r.message,
      function: fnId,
      resource: r.resource,
      location,
      fingerprint: fingerprint(meta.id, fnId, r.resource, r.key, occurrence),
      suppressed: false,
      ...(r.flow
        ? { flow: r.flow.map((s) => ({ ...s, file: rel(s.file), line: Math.max(1, s.line), column: Math.max(1, s.column) })) }
        : {}),
      ...(r.details ? { details: r.details } : {}),
      helpUri: docsUrl(meta.id),
    };
    prepared.push({ raw: r, finding });
  }

  // 6a. inline comments and Model suppressions
  const lineCache = new Map<string, string[] | null>();
  const linesOf = async (absFile: string): Promise<string[] | null> => {
    if (lineCache.has(absFile)) return lineCache.get(absFile) ?? null;
    let lines: string[] | null = null;
    try {
      lines = (await reader.read(absFile, request.discover?.maxFileSize)).split('\n');
    } catch {
      lines = null;
    }
    lineCache.set(absFile, lines);
    return lines;
  };
  const whereById = new Map<string, Where>();
  for (const res of app.resources) whereById.set(res.id, res.where);
  const suppressionsById = new Map<string, ModelSuppression[]>();
  for (const res of app.resources) if (res.suppressions?.length) suppressionsById.set(res.id, res.suppressions);
  for (const idn of app.identities) if (idn.suppressions?.length) suppressionsById.set(idn.id, idn.suppressions);
  const absOf = (file: string) => (isAbsolute(file) ? file : join(root, file));
  await Promise.all([...new Set(prepared.map((p) => absOf(p.raw.where.file)))].map((file) => linesOf(file)));
  for (const p of prepared) {
    const f = p.finding;
    const absFile = absOf(p.raw.where.file);
    const lines = lineCache.get(absFile) ?? null;
    let inline = lines ? findInlineSuppression(lines, f.location.line, f.ruleId) : undefined;
    // block level: a comment on (or above) the line that declares the function or resource
    // (e.g. above `getOrder:` in serverless.yml) covers its findings in the same file
    if (!inline) {
      const owner = p.raw.fn?.where ?? (f.resource ? whereById.get(f.resource) : undefined);
      if (owner && owner.file === p.raw.where.file && owner.line !== f.location.line) {
        const ownerLines = lines ?? (await linesOf(owner.file));
        if (ownerLines) inline = findInlineSuppression(ownerLines, owner.line, f.ruleId);
      }
    }
    if (inline) {
      f.suppressed = true;
      f.suppression = { kind: 'inline', ...(inline.reason ? { reason: inline.reason } : {}) };
      continue;
    }
    // on the function, on the resource reported, or on the function's role
    const fnIdentity = p.raw.fn?.identity;
    const meta =
      findModelSuppression(p.raw.fn?.suppressions, f.ruleId) ??
      (f.resource ? findModelSuppression(suppressionsById.get(f.resource), f.ruleId) : undefined) ??
      (fnIdentity ? findModelSuppression(suppressionsById.get(fnIdentity), f.ruleId) : undefined);
    if (meta) {
      f.suppressed = true;
      f.suppression = { kind: 'metadata', ...(meta.reason ? { reason: meta.reason } : {}) };
    }
  }

  // 6a'. code snippets (the files are already read); lines holding a reported secret are redacted
  const secretLines = new Map<string, Set<number>>();
  for (const p of prepared) {
    if (!SECRET_CATEGORIES.has(p.finding.category)) continue;
    const abs = absOf(p.raw.where.file);
    let set = secretLines.get(abs);
    if (!set) {
      set = new Set();
      secretLines.set(abs, set);
    }
    const loc = p.finding.location;
    for (let n = loc.line; n <= Math.max(loc.line, loc.endLine ?? loc.line) && n < loc.line + 50; n++) set.add(n);
  }
  for (const p of prepared) {
    const abs = absOf(p.raw.where.file);
    const lines = lineCache.get(abs);
    if (!lines) continue;
    const snippet = buildSnippet(lines, p.finding.location, secretLines.get(abs));
    if (snippet) p.finding.snippet = snippet;
  }

  // 6b. ignore file
  // the default ignore file, when there is none (the usual case), is settled by one stat
  const defaultIgnoreAbsent = request.ignoreFile === undefined && !mayExist(join(root, IGNORE_FILE_NAME));
  if (request.ignoreFile !== false && !defaultIgnoreAbsent) {
    const ignorePath = request.ignoreFile ? resolve(root, request.ignoreFile) : join(root, IGNORE_FILE_NAME);
    let text: string | undefined;
    try {
      // the default file must stay inside the root (it is part of the scanned tree); a file the
      // caller names explicitly may live anywhere
      if (request.ignoreFile) {
        const st = await stat(ignorePath);
        if (!st.isFile()) throw new LoadError(ignorePath, 'not-a-file', `${ignorePath} is not a regular file`);
        if (st.size > 1024 * 1024) throw new LoadError(ignorePath, 'too-large', `${ignorePath} is larger than 1 MiB`);
        text = await readFile(ignorePath, 'utf8');
      } else text = await reader.read(ignorePath, 1024 * 1024);
    } catch (e) {
      const missing =
        (e as NodeJS.ErrnoException)?.code === 'ENOENT' || (e instanceof LoadError && e.code === 'unreadable' && /ENOENT/.test(errText(e)));
      if (!missing || request.ignoreFile)
        diagnostics.push({
          level: missing ? 'error' : 'warning',
          file: ignorePath,
          message: `ignore file not used: ${errText(e)}`,
          code: 'ignore-file',
        });
    }
    if (text !== undefined) {
      const parsed = parseIgnoreFileYaml(text, ignorePath);
      diagnostics.push(...parsed.diagnostics, ...expiredEntryDiagnostics(parsed.entries, ignorePath, now));
      applyIgnoreEntries(prepared, parsed.entries, now);
    }
  }

  // 6c. baseline
  let baselineSummary: Record<string, unknown> | undefined;
  if (request.baseline !== undefined) {
    let entries: readonly BaselineEntry[];
    if (typeof request.baseline === 'string') {
      const text = await readFile(resolve(request.baseline), 'utf8');
      entries = parseBaseline(text);
    } else entries = request.baseline;
    const res = applyBaseline(
      prepared.map((p) => p.finding),
      entries,
    );
    baselineSummary = {
      ...(typeof request.baseline === 'string' ? { file: request.baseline } : {}),
      entries: entries.length,
      matched: res.matched,
      stale: res.stale,
    };
  }

  const findings = prepared.map((p) => p.finding).sort(sortFindings);

  // 7. risk per function
  const byFn = new Map<string, Finding[]>();
  for (const f of findings) {
    if (!f.function) continue;
    const list = byFn.get(f.function);
    if (list) list.push(f);
    else byFn.set(f.function, [f]);
  }
  const riskCache = createRiskCache(app);
  const functions: FunctionSummary[] = app.functions.map((fn: Fn) => {
    const risk = riskScore(fn, app, byFn.get(fn.id) ?? [], riskCache);
    return {
      id: fn.id,
      name: fn.name,
      provider: fn.provider,
      runtime: typeof fn.runtime === 'string' ? fn.runtime : null,
      handler: typeof fn.handler === 'string' ? fn.handler : null,
      where: { file: rel(fn.where.file), line: Math.max(1, fn.where.line), column: Math.max(1, fn.where.column) },
      triggers: summarizeTriggers(fn),
      risk,
    };
  });
  functions.sort((a, b) => b.risk.score - a.risk.score || cmp(a.name, b.name) || cmp(a.id, b.id));

  lap('postprocess');

  // 8. diagnostics and summary
  const diagSeen = new Set<string>();
  const resultDiagnostics: ResultDiagnostic[] = [];
  for (const d of diagnostics) {
    const rd: ResultDiagnostic = { level: d.level, file: rel(d.file), message: d.message };
    if (d.line !== undefined) rd.line = d.line;
    if (d.code !== undefined) rd.code = d.code;
    const key = `${rd.level}\0${rd.file}\0${rd.line}\0${rd.message}`;
    if (diagSeen.has(key)) continue;
    diagSeen.add(key);
    resultDiagnostics.push(rd);
  }
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let suppressed = 0;
  for (const f of findings) {
    if (f.suppressed) suppressed++;
    else bySeverity[f.severity]++;
  }
  const summary: Summary = {
    functions: functions.length,
    findings: findings.length - suppressed,
    suppressed,
    bySeverity,
    filesScanned: files.length,
    durationMs: Math.round(performance.now() - t0),
    timings,
    rulesRun: runnable.length,
    model: { identities: app.identities.length, apis: app.apis.length, layers: app.layers.length, resources: app.resources.length },
    maxRisk: functions[0]?.risk.score ?? 0,
    ...factSummaries(facts),
    ...(baselineSummary ? { baseline: baselineSummary } : {}),
  };
  return {
    schemaVersion: 1,
    tool: { name: 'fnguard', version: TOOL_VERSION },
    root,
    functions,
    findings,
    diagnostics: resultDiagnostics,
    summary,
  };
}

/** Analyzers may publish a `summary` object in their facts (e.g. `deps`: the advisory database used and its age). */
function factSummaries(facts: ReadonlyMap<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [id, v] of facts) {
    const s = typeof v === 'object' && v !== null ? (v as { summary?: unknown }).summary : undefined;
    if (s && typeof s === 'object') out[id === 'deps' ? 'dependencies' : id] = s;
  }
  return out;
}

/** The function's triggers, plus its function URL when the adapter did not list it as a trigger. */
function summarizeTriggers(fn: Fn): FunctionSummary['triggers'] {
  const out: FunctionSummary['triggers'] = fn.triggers.map((t) => ({ kind: t.kind, public: t.public, auth: t.auth?.type ?? 'unknown' }));
  if (fn.url && !fn.triggers.some((t) => t.kind === 'function-url')) {
    const auth = fn.url.auth === 'none' || fn.url.auth === 'iam' ? fn.url.auth : 'unknown';
    out.push({ kind: 'function-url', public: auth === 'none' ? true : auth === 'iam' ? false : 'unknown', auth });
  }
  return out;
}

function applyIgnoreEntries(prepared: readonly Prepared[], entries: readonly IgnoreEntry[], now: Date): void {
  if (entries.length === 0) return;
  for (const p of prepared) {
    const f = p.finding;
    if (f.suppressed) continue;
    const e = matchIgnoreEntry(
      entries,
      { ruleId: f.ruleId, file: f.location.file, fnId: f.function, fnName: p.raw.fn?.name ?? null, resource: f.resource },
      now,
    );
    if (!e) continue;
    f.suppressed = true;
    f.suppression = { kind: 'ignore-file', ...(e.reason ? { reason: e.reason } : {}), ...(e.expires ? { expires: e.expires } : {}) };
  }
}
