/**
 * Serverless Framework plugin: runs the fnguard scan when the service is packaged or deployed.
 *
 *   before:package:finalize  scan the service sources (serverless.yml, handlers, resources):
 *                            findings at or above `failOn` stop the packaging (and so the deploy)
 *   after:package:finalize   scan the compiled CloudFormation in .serverless/ (variables resolved,
 *                            `resources:` merged, what plugins generated); report what the source
 *                            scan did not already report, and stop on it too
 *   before:deploy:deploy     `serverless deploy --package DIR` skips packaging: scan the sources
 *                            and DIR's compiled template here
 *   serverless fnguard       the same checks on demand (`--fail-on`, `--compiled` options)
 *
 * Configure under `custom.fnguard` (see README.md). The scan never runs the service's code and
 * needs no network and no AWS credentials.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { FailOn, Finding, Result, ScanRequest } from 'fnguard' with { 'resolution-mode': 'import' };

/** `custom.fnguard` */
export interface FnguardPluginConfig {
  /** Fail at or above this severity (default `high`); `none` only reports. */
  failOn?: FailOn;
  /** Report only findings at or above this severity (default: all). */
  severity?: 'critical' | 'high' | 'medium' | 'low' | 'info';
  /** Also scan the compiled CloudFormation template (default true). */
  compiled?: boolean;
  /** Only these rules / skip these rules (ids or globs). */
  rules?: string[];
  skipRules?: string[];
  /** Baseline and ignore file, relative to the service directory. */
  baseline?: string;
  ignoreFile?: string;
  /** Reports to write, e.g. `[{ format: html, output: fnguard-report.html }]` (paths relative to the service). */
  reports?: { format: string; output: string }[];
  /** Findings listed in the deploy log (default 10). */
  maxListed?: number;
  /** `false` turns the plugin off (so does the environment variable FNGUARD_SKIP=1). */
  enabled?: boolean;
}

/* Just the parts of the Framework's objects the plugin uses. */
interface AwsNaming {
  getLambdaLogicalId(functionName: string): string;
  getRoleLogicalId(): string;
  getCompiledTemplateFileName(): string;
}
export interface ServerlessLike {
  serviceDir?: string;
  config?: { servicePath?: string };
  service: {
    custom?: { fnguard?: FnguardPluginConfig };
    provider: { stage?: string; region?: string };
    getAllFunctions?(): string[];
  };
  getProvider?(name: string): { naming?: AwsNaming; getStage?(): string; getRegion?(): string } | undefined;
  configSchemaHandler?: { defineCustomProperties?(schema: unknown): void };
  classes?: { Error?: new (message: string, code?: string) => Error };
}
export interface PluginLogger {
  notice(...args: unknown[]): void;
  warning(...args: unknown[]): void;
  error(...args: unknown[]): void;
  info?(...args: unknown[]): void;
}
interface PluginUtils {
  log?: PluginLogger & ((...args: unknown[]) => void);
}

const SEVERITY_ENUM = ['critical', 'high', 'medium', 'low', 'info'];
export const CONFIG_SCHEMA = {
  type: 'object',
  properties: {
    fnguard: {
      type: 'object',
      properties: {
        failOn: { enum: ['critical', 'high', 'medium', 'low', 'none'] },
        severity: { enum: SEVERITY_ENUM },
        compiled: { type: 'boolean' },
        rules: { type: 'array', items: { type: 'string' } },
        skipRules: { type: 'array', items: { type: 'string' } },
        baseline: { type: 'string' },
        ignoreFile: { type: 'string' },
        reports: {
          type: 'array',
          items: {
            type: 'object',
            properties: { format: { type: 'string' }, output: { type: 'string' } },
            required: ['format', 'output'],
            additionalProperties: false,
          },
        },
        maxListed: { type: 'integer', minimum: 0 },
        enabled: { type: 'boolean' },
      },
      additionalProperties: false,
    },
  },
};

/** What one check found: the findings to show and those that block. */
export interface CheckOutcome {
  result: Result;
  /** Findings of the compiled template that the source scan had not reported. */
  compiledOnly: Finding[];
  blocking: Finding[];
}

type Fnguard = typeof import('fnguard', { with: { 'resolution-mode': 'import' }});

/** Findings of the compiled template that repeat a source finding (same rule, same logical id). */
export function newInCompiled(
  source: Result,
  compiled: Result,
  naming?: Pick<AwsNaming, 'getLambdaLogicalId' | 'getRoleLogicalId'>,
): Finding[] {
  const suffix = (id: string | null) => (id ? id.slice(id.lastIndexOf('#') + 1) : '');
  const fnNames = new Map(source.functions.map((f) => [f.id, f.name]));
  const lambdaId = (name: string) =>
    naming
      ? naming.getLambdaLogicalId(name)
      : `${name.charAt(0).toUpperCase()}${name.slice(1).replace(/-/g, 'Dash').replace(/_/g, 'Underscore')}LambdaFunction`;
  const roleId = naming ? naming.getRoleLogicalId() : 'IamRoleLambdaExecution';
  const seen = new Set<string>();
  for (const f of source.findings) {
    const fnName = f.function ? fnNames.get(f.function) : undefined;
    if (fnName) seen.add(`${f.ruleId}\0${lambdaId(fnName)}`);
    const res = suffix(f.resource);
    if (res) seen.add(`${f.ruleId}\0${res === 'role' ? roleId : res}`);
    if (!fnName && !res) seen.add(`${f.ruleId}\0`);
  }
  return compiled.findings.filter((f) => {
    const subject = suffix(f.function) || suffix(f.resource);
    return !seen.has(`${f.ruleId}\0${subject}`);
  });
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

class FnguardServerlessPlugin {
  readonly hooks: Record<string, () => Promise<unknown>>;
  readonly commands: Record<string, unknown>;
  private readonly serverless: ServerlessLike;
  private readonly options: Record<string, unknown>;
  private readonly log: PluginLogger;
  private sourceResult: Result | undefined;
  private checked = false;

  constructor(serverless: ServerlessLike, options: Record<string, unknown> = {}, utils: PluginUtils = {}) {
    this.serverless = serverless;
    this.options = options;
    const fallback: PluginLogger = {
      notice: (...a) => console.error(...a),
      warning: (...a) => console.error(...a),
      error: (...a) => console.error(...a),
    };
    this.log = utils.log ?? fallback;
    serverless.configSchemaHandler?.defineCustomProperties?.(CONFIG_SCHEMA);
    this.commands = {
      fnguard: {
        usage: 'Scan the service with fnguard (sources, and the compiled template in .serverless/ if packaged)',
        lifecycleEvents: ['scan'],
        options: {
          'fail-on': { usage: 'Fail at or above this severity: critical, high, medium, low, none', type: 'string' },
          compiled: { usage: 'Also scan .serverless/ (default true when it exists)', type: 'boolean' },
        },
      },
    };
    this.hooks = {
      'before:package:finalize': () => this.checkSources(),
      'after:package:finalize': () => this.checkCompiled(this.packageDir()),
      'before:deploy:deploy': () => this.checkBeforeDeploy(),
      'fnguard:scan': () => this.checkOnDemand(),
    };
  }

  private config(): FnguardPluginConfig {
    return this.serverless.service.custom?.fnguard ?? {};
  }

  private enabled(): boolean {
    if (process.env.FNGUARD_SKIP === '1' || process.env.FNGUARD_SKIP === 'true') {
      this.log.warning('fnguard: skipped (FNGUARD_SKIP is set)');
      return false;
    }
    return this.config().enabled !== false;
  }

  private serviceDir(): string {
    return resolve(this.serverless.serviceDir ?? this.serverless.config?.servicePath ?? process.cwd());
  }

  private failOn(): FailOn {
    const v = (this.options['fail-on'] as string | undefined) ?? this.config().failOn ?? 'high';
    if (!['critical', 'high', 'medium', 'low', 'none'].includes(v))
      throw this.error(`fnguard: failOn must be critical, high, medium, low or none (got '${v}')`);
    return v as FailOn;
  }

  private error(message: string): Error {
    const E = this.serverless.classes?.Error;
    return E ? new E(message, 'FNGUARD_FINDINGS') : new Error(message);
  }

  private async fnguard(): Promise<Fnguard> {
    return import('fnguard');
  }

  private request(root: string): ScanRequest {
    const c = this.config();
    const provider = this.serverless.getProvider?.('aws');
    const stage = (this.options.stage as string | undefined) ?? provider?.getStage?.() ?? this.serverless.service.provider.stage;
    const region = (this.options.region as string | undefined) ?? provider?.getRegion?.() ?? this.serverless.service.provider.region;
    const dir = this.serviceDir();
    const req: ScanRequest = { root };
    if (stage) req.stage = stage;
    if (region) req.region = region;
    if (c.severity) req.severity = c.severity;
    if (c.rules?.length) req.rules = c.rules;
    if (c.skipRules?.length) req.skipRules = c.skipRules;
    if (c.baseline) req.baseline = resolve(dir, c.baseline);
    if (c.ignoreFile) req.ignoreFile = resolve(dir, c.ignoreFile);
    // `--package DIR` inside the service holds a copy of the compiled template: not a source
    const pkg = this.options.package as string | undefined;
    if (pkg && root === dir) {
      const rel = relative(dir, resolve(dir, pkg));
      if (rel && !rel.startsWith('..') && !rel.includes(sep)) req.discover = { pruneDirs: [rel] };
    }
    return req;
  }

  /** Scan the service directory (discovery skips .serverless/ and node_modules/). */
  async checkSources(): Promise<CheckOutcome | undefined> {
    if (!this.enabled()) return undefined;
    const fg = await this.fnguard();
    const result = await fg.scan(this.request(this.serviceDir()));
    this.sourceResult = result;
    const blocking = fg.blockingFindings(result, this.failOn());
    this.describe('sources', result, result.findings, blocking);
    if (blocking.length > 0) {
      await this.writeReports(result);
      throw this.error(this.verdict(blocking, 'the service'));
    }
    return { result, compiledOnly: [], blocking };
  }

  /** Scan the compiled template in `dir` (.serverless/ or a `--package` directory). */
  async checkCompiled(dir: string): Promise<CheckOutcome | undefined> {
    if (!this.enabled()) return undefined;
    const source = this.sourceResult;
    if (this.config().compiled === false) {
      if (source) await this.writeReports(source);
      this.checked = true;
      return undefined;
    }
    const provider = this.serverless.getProvider?.('aws');
    const name = provider?.naming?.getCompiledTemplateFileName() ?? 'cloudformation-template-update-stack.json';
    const template = join(dir, name);
    if (!(await stat(template).catch(() => undefined))?.isFile()) {
      this.log.warning(`fnguard: no compiled template at ${template}; only the sources were scanned`);
      if (source) await this.writeReports(source);
      this.checked = true;
      return undefined;
    }
    const fg = await this.fnguard();
    const compiled = await fg.scan({ ...this.request(template), ignoreFile: false });
    const base = source ?? (await fg.scan(this.request(this.serviceDir())));
    const rel = relative(this.serviceDir(), template).split(sep).join('/');
    const compiledOnly = newInCompiled(base, compiled, provider?.naming).map((f) => ({
      ...f,
      location: { ...f.location, file: rel },
      ...(f.flow ? { flow: f.flow.map((s) => ({ ...s, file: rel })) } : {}),
    }));
    const merged = mergeResults(base, compiledOnly, compiled);
    const blocking = fg.blockingFindings({ findings: compiledOnly }, this.failOn());
    const alsoSource = source ? [] : fg.blockingFindings(base, this.failOn());
    this.describe('compiled template', merged, compiledOnly, blocking);
    this.checked = true;
    await this.writeReports(merged);
    if (blocking.length + alsoSource.length > 0) throw this.error(this.verdict([...alsoSource, ...blocking], 'the compiled template'));
    return { result: merged, compiledOnly, blocking };
  }

  private async checkBeforeDeploy(): Promise<void> {
    if (this.checked || !this.enabled()) return;
    // `deploy --package DIR` (or a deploy without packaging): nothing was checked in this process
    if (!this.sourceResult) await this.checkSources();
    await this.checkCompiled(this.packageDir());
  }

  /** Where the Framework puts (or took) the compiled template: `--package DIR` or .serverless/. */
  private packageDir(): string {
    const pkg = this.options.package as string | undefined;
    return pkg ? resolve(this.serviceDir(), pkg) : join(this.serviceDir(), '.serverless');
  }

  private async checkOnDemand(): Promise<void> {
    await this.checkSources();
    const dir = join(this.serviceDir(), '.serverless');
    const wantCompiled = this.options.compiled !== false && (await stat(dir).catch(() => undefined))?.isDirectory();
    if (wantCompiled) await this.checkCompiled(dir);
    else if (this.sourceResult) await this.writeReports(this.sourceResult);
  }

  private describe(what: string, result: Result, shown: readonly Finding[], blocking: readonly Finding[]): void {
    const open = shown.filter((f) => !f.suppressed);
    const by = (s: string) => open.filter((f) => f.severity === s).length;
    const counts = SEVERITY_ENUM.map((s) => `${by(s)} ${s}`).join(', ');
    const extra = what === 'compiled template' ? ' not already reported for the sources' : '';
    this.log.notice(`fnguard (${what}): ${plural(open.length, 'finding')}${extra} (${counts}); ${result.summary.suppressed} suppressed`);
    const max = this.config().maxListed ?? 10;
    for (const f of (blocking.length ? blocking : open).slice(0, max)) {
      const line = `  ${f.severity.toUpperCase()} ${f.ruleId} ${f.location.file}:${f.location.line} ${f.message}`;
      if (blocking.includes(f)) this.log.error(line);
      else this.log.notice(line);
    }
    const rest = (blocking.length ? blocking : open).length - max;
    if (rest > 0) this.log.notice(`  … and ${rest} more (set custom.fnguard.reports to write the full report)`);
  }

  private verdict(blocking: readonly Finding[], where: string): string {
    return `fnguard: ${plural(blocking.length, 'finding')} at or above '${this.failOn()}' in ${where}: fix them, suppress them with a reason (fnguard-ignore / .fnguardignore.yml), or set custom.fnguard.failOn`;
  }

  private async writeReports(result: Result): Promise<void> {
    const reports = this.config().reports ?? [];
    if (reports.length === 0) return;
    const fg = await this.fnguard();
    const used = new Set(result.findings.map((f) => f.ruleId));
    const rules = fg.allRules.filter((r) => used.has(r.meta.id)).map((r) => r.meta);
    for (const r of reports) {
      if (!fg.isFormat(r.format)) throw this.error(`fnguard: unknown report format '${r.format}' (${fg.formatNames().join(', ')})`);
      const out = resolve(this.serviceDir(), r.output);
      await mkdir(dirname(out), { recursive: true });
      await writeFile(out, await fg.formatResult(r.format, result, { rules }));
      this.log.notice(`fnguard: wrote ${r.format} report to ${relative(process.cwd(), out) || out}`);
    }
  }
}

/** The source result plus the compiled template's new findings (summary counts updated). */
export function mergeResults(source: Result, extra: readonly Finding[], compiled: Result): Result {
  const findings = [...source.findings, ...extra];
  const bySeverity = { ...source.summary.bySeverity };
  let suppressed = source.summary.suppressed;
  for (const f of extra) {
    if (f.suppressed) suppressed++;
    else bySeverity[f.severity]++;
  }
  return {
    ...source,
    findings,
    diagnostics: [...source.diagnostics, ...compiled.diagnostics],
    summary: {
      ...source.summary,
      findings: findings.length - suppressed,
      suppressed,
      bySeverity,
      filesScanned: source.summary.filesScanned + compiled.summary.filesScanned,
      compiledTemplate: { findings: compiled.findings.length, new: extra.length },
    },
  };
}

export { FnguardServerlessPlugin };

// The Framework loads a plugin with `require()` and expects the class as the module export.
module.exports = FnguardServerlessPlugin;
module.exports.FnguardServerlessPlugin = FnguardServerlessPlugin;
module.exports.newInCompiled = newInCompiled;
module.exports.mergeResults = mergeResults;
module.exports.CONFIG_SCHEMA = CONFIG_SCHEMA;
