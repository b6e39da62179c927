/**
 * `--format sarif`: SARIF 2.1.0 for GitHub code scanning. Rules from metadata with
 * `security-severity`, results with at least one location (1-based), `partialFingerprints`,
 * `codeFlows` from taint flows, and suppressed findings as `suppressions`.
 */
import type { Finding, Result, Severity } from '../engine/types.js';
import { docsUrl, type RuleMeta } from '../rules/defineRule.js';
import { renderRuleDoc } from './ruleDoc.js';

export const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0' };
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};
const PRECISION: Record<string, string> = { high: 'high', medium: 'medium', low: 'low' };
/** GitHub code scanning's limit of results per run. */
export const MAX_RESULTS = 25_000;

export interface SarifOptions {
  /** Rule metadata for `tool.driver.rules` (the rules of the findings; more is fine). */
  rules: readonly RuleMeta[];
  /** Prefix for artifact URIs: the scan root relative to the repository root (e.g. `services/api`). */
  uriPrefix?: string;
  /** `runAutomationDetails.id` category, e.g. `fnguard/`. */
  category?: string;
}

// biome-ignore lint/suspicious/noExplicitAny: SARIF is a large JSON document; typed at the edges by the tests' schema
type Json = any;

function uriOf(file: string, prefix?: string): string {
  const p = prefix ? `${prefix.replace(/\/+$/, '')}/${file}` : file;
  return p
    .replace(/^\.\//, '')
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

function ruleName(title: string): string {
  return title
    .replace(/[^A-Za-z0-9 ]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join('');
}

function physical(file: string, line: number, column: number, prefix: string | undefined, endLine?: number): Json {
  const region: Json = { startLine: Math.max(1, line), startColumn: Math.max(1, column) };
  if (endLine !== undefined && endLine >= region.startLine) region.endLine = endLine;
  return { artifactLocation: { uri: uriOf(file, prefix) }, region };
}

function sarifRule(m: RuleMeta): Json {
  return {
    id: m.id,
    name: ruleName(m.title) || m.id,
    shortDescription: { text: m.title },
    fullDescription: { text: m.description.trim() },
    help: { text: `${m.remediation.general}\n\nSee ${docsUrl(m.id)}`, markdown: renderRuleDoc(m) },
    helpUri: docsUrl(m.id),
    defaultConfiguration: { level: LEVEL[m.severity] },
    properties: {
      tags: ['security', m.category, ...m.cwe.map((c) => `external/cwe/${c.toLowerCase()}`), m.sas],
      'security-severity': SECURITY_SEVERITY[m.severity],
      precision: PRECISION[m.precision ?? 'medium'] ?? 'medium',
      'problem.severity': LEVEL[m.severity] === 'note' ? 'recommendation' : LEVEL[m.severity],
    },
  };
}

function sarifResult(f: Finding, ruleIndex: number, fnNames: Map<string, string>, prefix?: string): Json {
  const loc: Json = { physicalLocation: physical(f.location.file, f.location.line, f.location.column, prefix, f.location.endLine) };
  const logical: Json[] = [];
  if (f.function) logical.push({ name: fnNames.get(f.function) ?? f.function, fullyQualifiedName: f.function, kind: 'function' });
  if (f.resource) logical.push({ name: f.resource, kind: 'resource' });
  if (logical.length) loc.logicalLocations = logical;
  const r: Json = {
    ruleId: f.ruleId,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: f.message || f.title },
    locations: [loc],
    partialFingerprints: { 'fnguard/v1': f.fingerprint },
    properties: {
      severity: f.severity,
      category: f.category,
      'security-severity': SECURITY_SEVERITY[f.severity],
      function: f.function,
      resource: f.resource,
      ...(f.details ? { details: f.details } : {}),
    },
  };
  if (f.flow && f.flow.length > 0) {
    r.codeFlows = [
      {
        threadFlows: [
          {
            locations: f.flow.map((step, i) => ({
              location: {
                physicalLocation: physical(step.file, step.line, step.column, prefix),
                message: { text: step.note || `step ${i + 1}` },
              },
              nestingLevel: 0,
              executionOrder: i + 1,
            })),
          },
        ],
      },
    ];
  }
  if (f.suppressed) {
    const kind = f.suppression?.kind;
    r.suppressions = [
      {
        kind: kind === 'inline' || kind === 'metadata' ? 'inSource' : 'external',
        status: 'accepted',
        ...(f.suppression?.reason ? { justification: f.suppression.reason } : {}),
        properties: { fnguardKind: kind ?? 'unknown', ...(f.suppression?.expires ? { expires: f.suppression.expires } : {}) },
      },
    ];
  }
  return r;
}

export function toSarif(result: Result, options: SarifOptions): Json {
  const metas = new Map(options.rules.map((m) => [m.id, m]));
  const used = [...new Set(result.findings.map((f) => f.ruleId))];
  const ruleList: RuleMeta[] = [];
  for (const id of [...new Set([...metas.keys(), ...used])].sort()) {
    const m = metas.get(id);
    if (m) ruleList.push(m);
    else {
      const f = result.findings.find((x) => x.ruleId === id);
      if (f)
        ruleList.push({
          id,
          title: f.title,
          severity: f.severity,
          category: f.category,
          cwe: f.cwe,
          sas: f.sas ?? 'SAS-0',
          description: f.title,
          remediation: { general: 'See the rule documentation.' },
          formats: ['any'],
        });
    }
  }
  const index = new Map(ruleList.map((m, i) => [m.id, i]));
  const fnNames = new Map(result.functions.map((f) => [f.id, f.name]));
  const notifications = result.diagnostics
    .filter((d) => d.level !== 'info')
    .slice(0, 1000)
    .map((d) => ({
      level: d.level === 'error' ? 'error' : 'warning',
      message: { text: d.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: uriOf(d.file === '.' ? '' : d.file, options.uriPrefix) || '.' },
            ...(d.line ? { region: { startLine: Math.max(1, d.line) } } : {}),
          },
        },
      ],
      ...(d.code ? { descriptor: { id: d.code } } : {}),
    }));
  if (result.findings.length > MAX_RESULTS)
    notifications.unshift({
      level: 'warning',
      message: {
        text: `${result.findings.length - MAX_RESULTS} lower-severity findings left out: GitHub accepts at most ${MAX_RESULTS} results per run (see the JSON report)`,
      },
      locations: [{ physicalLocation: { artifactLocation: { uri: uriOf('', options.uriPrefix) || '.' } } }],
      descriptor: { id: 'sarif-truncated' },
    });
  const run: Json = {
    tool: {
      driver: {
        name: 'fnguard',
        version: result.tool.version,
        semanticVersion: result.tool.version,
        informationUri: 'https://github.com/fnguard/fnguard',
        rules: ruleList.map(sarifRule),
      },
    },
    invocations: [
      { executionSuccessful: !result.diagnostics.some((d) => d.code === 'not-a-directory'), toolExecutionNotifications: notifications },
    ],
    // GitHub rejects runs with more than 25,000 results: keep the worst (findings are sorted by severity)
    results: result.findings.slice(0, MAX_RESULTS).map((f) => sarifResult(f, index.get(f.ruleId) ?? 0, fnNames, options.uriPrefix)),
    columnKind: 'utf16CodeUnits',
    properties: {
      summary: { functions: result.summary.functions, findings: result.summary.findings, suppressed: result.summary.suppressed },
    },
  };
  if (options.category) run.automationDetails = { id: options.category.endsWith('/') ? options.category : `${options.category}/` };
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [run],
  };
}

export function formatSarif(result: Result, options: SarifOptions): string {
  return `${JSON.stringify(toSarif(result, options), null, 2)}\n`;
}
