/**
 * AWS CDK policy-validation plugin: runs fnguard on the templates `cdk synth` produced and turns
 * its findings into CDK policy violations (the mechanism cdk-nag v3 uses).
 *
 *   Validations.of(app).addPlugins(new FnguardValidation({ failOn: 'high' }));
 *   // or, older aws-cdk-lib: new App({ policyValidationBeta1: [new FnguardValidation()] })
 *
 * CDK calls `validate()` synchronously, so the scan runs the fnguard CLI in a child process
 * (`fnguard scan TEMPLATE... --format json`). Findings at or above `failOn` make the report fail
 * (synth fails); findings at or above `severity` but below `failOn` are listed as warnings.
 * Suppress with `Metadata.fnguard.ignore` (`cfnOptions.metadata`), `.fnguardignore.yml`, or CDK's
 * own `Validations.of(scope).acknowledge({ id: 'fnguard::PERM-01', reason })` (plugin name :: rule id).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { IPolicyValidationContextBeta1, IPolicyValidationPluginBeta1, PolicyValidationPluginReportBeta1 } from 'aws-cdk-lib';
import type { Finding, Result } from 'fnguard' with { 'resolution-mode': 'import' };

type Level = 'critical' | 'high' | 'medium' | 'low' | 'info';
const RANK: Record<Level, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

export interface FnguardValidationProps {
  /** Fail the synth on unsuppressed findings at or above this severity (default `high`); `none` never fails. */
  failOn?: Level | 'none';
  /** List findings at or above this severity (default `medium`). */
  severity?: Level;
  /** Only these rules / skip these rules (ids or globs such as `PERM-*`). */
  rules?: string[];
  skipRules?: string[];
  /** `.fnguardignore.yml` to apply (default: none; the templates' own Metadata suppressions always apply). */
  ignoreFile?: string;
  /** Baseline file: listed findings do not fail the synth. */
  baseline?: string;
  /** Extra reports, e.g. `[{ format: 'sarif', output: 'fnguard.sarif' }]` (paths relative to the current directory). */
  reports?: { format: string; output: string }[];
  /** Scan timeout in ms (default 120,000). */
  timeoutMs?: number;
}

/** The parts of a policy-validation report the plugin builds (Beta1 and the stable interface accept it). */
export type FnguardReport = PolicyValidationPluginReportBeta1;

function fnguardBin(): { bin: string; version: string } {
  const pkgJson = require.resolve('fnguard/package.json');
  const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string; bin: Record<string, string> };
  return { bin: join(dirname(pkgJson), pkg.bin.fnguard ?? 'bin/fnguard.js'), version: pkg.version };
}

/** The deepest directory that contains every path. */
export function commonDir(paths: readonly string[]): string {
  const parts = paths.map((p) => dirname(resolve(p)).split(sep));
  const first = parts[0] ?? [process.cwd()];
  let n = first.length;
  for (const p of parts) {
    let i = 0;
    while (i < n && i < p.length && p[i] === first[i]) i++;
    n = i;
  }
  return first.slice(0, n).join(sep) || sep;
}

function logicalId(f: Finding): string {
  const pick = f.resource ?? f.function ?? '';
  return pick.slice(pick.lastIndexOf('#') + 1);
}

/** Turn an fnguard Result into a CDK policy-validation report. Pure. */
export function toValidationReport(result: Result, templatesRoot: string, props: FnguardValidationProps, version: string): FnguardReport {
  const failOn = props.failOn ?? 'high';
  const min = RANK[props.severity ?? 'medium'];
  const blocking = (f: Finding) => failOn !== 'none' && RANK[f.severity] >= RANK[failOn];
  const shown = result.findings.filter((f) => !f.suppressed && (RANK[f.severity] >= min || blocking(f)));
  const violations = shown.map((f) => ({
    ruleName: f.ruleId,
    description: `${f.title}: ${f.message}`,
    fix: f.helpUri ? `See ${f.helpUri}` : 'See the rule documentation.',
    severity: blocking(f) ? 'error' : f.severity === 'info' ? 'info' : 'warning',
    ruleMetadata: {
      severity: f.severity,
      category: f.category,
      ...(f.cwe.length ? { cwe: f.cwe.join(', ') } : {}),
      location: `${f.location.file}:${f.location.line}`,
      fingerprint: f.fingerprint,
    },
    violatingResources: [
      {
        resourceLogicalId: logicalId(f),
        templatePath: isAbsolute(f.location.file) ? f.location.file : join(templatesRoot, f.location.file),
        locations: [] as string[],
      },
    ],
  }));
  const errors = result.diagnostics.filter((d) => d.level === 'error');
  return {
    success: !shown.some(blocking),
    violations,
    pluginVersion: version,
    metadata: {
      findings: String(result.summary.findings),
      suppressed: String(result.summary.suppressed),
      failOn,
      ...(errors.length ? { inputErrors: errors.map((d) => `${d.file}: ${d.message}`).join('; ') } : {}),
    },
  };
}

export class FnguardValidation implements IPolicyValidationPluginBeta1 {
  readonly name = 'fnguard';
  readonly version: string;
  private readonly props: FnguardValidationProps;

  constructor(props: FnguardValidationProps = {}) {
    this.props = props;
    this.version = fnguardBin().version;
  }

  validate(context: IPolicyValidationContextBeta1 | { templatePaths: string[] }): FnguardReport {
    const templates = context.templatePaths;
    if (templates.length === 0) return { success: true, violations: [], pluginVersion: this.version };
    const root = commonDir(templates);
    const p = this.props;
    const args = [fnguardBin().bin, 'scan', ...templates.map((t) => relative(root, resolve(t))), '--format', 'json', '--fail-on', 'none'];
    if (p.ignoreFile) args.push('--ignore-file', resolve(p.ignoreFile));
    for (const r of p.rules ?? []) args.push('--rule', r);
    for (const r of p.skipRules ?? []) args.push('--skip-rule', r);
    if (p.baseline) args.push('--baseline', resolve(p.baseline));
    for (const r of p.reports ?? []) args.push('--format', r.format, '--output', resolve(r.output));
    const run = spawnSync(process.execPath, args, {
      cwd: root,
      encoding: 'utf8',
      timeout: p.timeoutMs ?? 120_000,
      maxBuffer: 256 * 1024 * 1024,
      env: { ...process.env, NO_COLOR: '1' },
    });
    if (run.error || run.status !== 0) {
      // fail closed: a scan that did not run must not look like a clean one
      const why = run.error ? run.error.message : `exit ${run.status}: ${(run.stderr ?? '').trim().slice(0, 2000)}`;
      throw new Error(`fnguard scan failed (${why})`);
    }
    const result = JSON.parse(run.stdout) as Result;
    return toValidationReport(result, root, p, this.version);
  }
}
