/** The `scan` command's work (imported lazily by commands/scan.ts). */
import { stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CONFIG_FILE_NAMES, ConfigError, type FnguardConfig, loadConfig, type OutputSpec } from '../config/index.js';
import { createBaseline } from '../engine/baseline.js';
import { blockingFindings, FAIL_ON_LEVELS, isFailOn } from '../engine/gate.js';
import type { Result, Severity } from '../engine/types.js';
import { formatNames, formatResult, isFormat } from '../report/index.js';
import { type ScanRequest, scan } from '../scan.js';
import { type CliContext, parseCommandArgs, UsageError } from './command.js';

const FAIL_ON = FAIL_ON_LEVELS;
const SEVERITY_NAMES = ['critical', 'high', 'medium', 'low', 'info'] as const;

function formatFromExt(file: string): string {
  const lower = file.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.sarif') || lower.endsWith('.sarif.json')) return 'sarif';
  if (lower.endsWith('.md') || lower.endsWith('.markdown')) return 'markdown';
  if (lower.endsWith('.html') || lower.endsWith('.htm')) return 'html';
  return 'text';
}

/** Pair `--format`/`--output` in the order given. */
export function pairOutputs(tokens: readonly { kind: string; name?: string; value?: string | undefined; index?: number }[]): OutputSpec[] {
  const out: OutputSpec[] = [];
  for (const t of tokens) {
    if (t.kind !== 'option' || t.value === undefined) continue;
    if (t.name === 'format') out.push({ format: t.value });
    else if (t.name === 'output') {
      const last = out[out.length - 1];
      if (last && last.output === undefined) last.output = t.value;
      else out.push({ format: formatFromExt(t.value), output: t.value });
    }
  }
  return out;
}

/** Exit code for a result: 1 when an unsuppressed finding is at or above failOn. */
export function exitCodeFor(result: Result, failOn: string): number {
  return isFailOn(failOn) && blockingFindings(result, failOn).length > 0 ? 1 : 0;
}

function parseParams(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of list) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param must be KEY=VALUE (got '${p}')`);
    out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return out;
}

export async function runScan(argv: string[], ctx: CliContext, options: Parameters<typeof parseCommandArgs>[1]): Promise<number> {
  const { io } = ctx;
  const parsed = parseCommandArgs(argv, options);
  const values = parsed.values;
  // several paths (e.g. the staged files a pre-commit hook passes): scan just those files,
  // relative to the current directory
  const several = parsed.positionals.length > 1;
  const target = several ? io.cwd : resolve(io.cwd, parsed.positionals[0] ?? '.');
  let root = target;
  if (several) {
    for (const p of parsed.positionals) {
      const st = await stat(resolve(io.cwd, p)).catch(() => undefined);
      if (st?.isDirectory()) throw new UsageError(`with several paths, each must be a file (${p} is a directory)`);
    }
  }
  try {
    const st = await stat(target);
    if (st.isFile()) root = dirname(target);
    else if (!st.isDirectory()) throw new UsageError(`${target} is neither a directory nor a file`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot scan ${target}: ${(e as Error).message}`);
  }

  // config: --config FILE, or .fnguard.yml in the scanned directory
  let config: FnguardConfig = {};
  try {
    if (typeof values.config === 'string') config = await loadConfig(resolve(io.cwd, values.config));
    else {
      for (const name of CONFIG_FILE_NAMES) {
        const p = join(root, name);
        const st = await stat(p).catch(() => undefined);
        if (st?.isFile()) {
          config = await loadConfig(p);
          break;
        }
      }
    }
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(e.message);
    throw e;
  }

  const cliOutputs = pairOutputs(parsed.tokens).map((o) => (o.output ? { ...o, output: resolve(io.cwd, o.output) } : o));
  const outputs = cliOutputs.length > 0 ? cliOutputs : (config.outputs ?? [{ format: 'text' }]);
  for (const o of outputs) if (!isFormat(o.format)) throw new UsageError(`unknown format '${o.format}' (${formatNames().join(', ')})`);
  if (outputs.filter((o) => !o.output).length > 1)
    throw new UsageError('only one --format can go to stdout; give the others an --output FILE');

  const failOn = (values['fail-on'] as string | undefined) ?? config.failOn ?? 'high';
  if (!(FAIL_ON as readonly string[]).includes(failOn))
    throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(', ')} (got '${failOn}')`);
  const severity = (values.severity as string | undefined) ?? config.severity;
  if (severity !== undefined && !(SEVERITY_NAMES as readonly string[]).includes(severity))
    throw new UsageError(`--severity must be one of ${SEVERITY_NAMES.join(', ')} (got '${severity}')`);
  const quiet = values.quiet === true || config.quiet === true;
  const color = ctx.color && values['no-color'] !== true && config.noColor !== true;
  const abs = (p: string | undefined) => (p === undefined ? undefined : resolve(io.cwd, p));

  const request: ScanRequest = { ...(ctx.scanDefaults ?? {}), root: target };
  if (several) request.discover = { ...(request.discover ?? {}), only: parsed.positionals.map((p) => resolve(io.cwd, p)) };
  const rules = (values.rule as string[] | undefined) ?? config.rules;
  if (rules) request.rules = rules;
  const skip = [...(config.skipRules ?? []), ...((values['skip-rule'] as string[] | undefined) ?? [])];
  if (skip.length) request.skipRules = skip;
  if (severity) request.severity = severity as Severity;
  const stage = (values.stage as string | undefined) ?? config.stage;
  if (stage) request.stage = stage;
  const region = (values.region as string | undefined) ?? config.region;
  if (region) request.region = region;
  const params = { ...(config.params ?? {}), ...parseParams((values.param as string[] | undefined) ?? []) };
  if (Object.keys(params).length) request.params = params;
  if (values['include-dev'] === true || config.includeDev) request.includeDev = true;
  const advisoryDb = abs(values['advisory-db'] as string | undefined) ?? config.advisoryDb;
  if (advisoryDb) request.advisoryDb = advisoryDb;
  if (values.online === true) request.online = true;
  const { defaultCacheDir } = await import('../analyze/deps/osv/cacheDir.js');
  const cacheDir = defaultCacheDir(io.env);
  if (cacheDir && request.extra?.cacheDir === undefined) request.extra = { ...(request.extra ?? {}), cacheDir };
  const verifyKey = abs(values['verify-key'] as string | undefined);
  if (verifyKey) request.verifyKey = verifyKey;
  const ignoreFile = abs(values['ignore-file'] as string | undefined) ?? config.ignoreFile;
  if (ignoreFile) request.ignoreFile = ignoreFile;
  const baseline = abs(values.baseline as string | undefined) ?? config.baseline;
  if (baseline) {
    try {
      const { parseBaseline } = await import('../engine/baseline.js');
      request.baseline = parseBaseline(await io.readFile(baseline));
    } catch (e) {
      throw new UsageError(`cannot use baseline ${baseline}: ${(e as Error).message}`);
    }
  }
  request.env = io.env;

  const result = await scan(request);
  if (baseline && result.summary.baseline && typeof result.summary.baseline === 'object')
    (result.summary.baseline as Record<string, unknown>).file = baseline;

  const registry = request.registry ?? (await import('../rules/index.js')).allRules;
  const used = new Set(result.findings.map((f) => f.ruleId));
  const metas = registry.filter((r) => used.has(r.meta.id)).map((r) => r.meta);
  const relRoot = relative(io.cwd, root);
  const uriPrefix = relRoot && !relRoot.startsWith('..') && !isAbsolute(relRoot) ? relRoot.split(sep).join('/') : undefined;

  for (const o of outputs) {
    const text = await formatResult(o.format, result, {
      color: o.output ? false : color,
      quiet,
      rules: metas,
      ...(uriPrefix ? { uriPrefix } : {}),
    });
    if (o.output) {
      await io.writeFile(o.output, text);
      if (!quiet) io.stderr(`fnguard: wrote ${o.format} report to ${o.output}\n`);
    } else io.stdout(text);
  }

  const writeBaseline = abs(values['write-baseline'] as string | undefined) ?? config.writeBaseline;
  if (writeBaseline) {
    const b = createBaseline(result);
    await io.writeFile(writeBaseline, `${JSON.stringify(b, null, 2)}\n`);
    if (!quiet) io.stderr(`fnguard: wrote baseline with ${b.findings.length} fingerprints to ${writeBaseline}\n`);
  }
  return exitCodeFor(result, failOn);
}
