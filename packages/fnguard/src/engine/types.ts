/**
 * The result contract (`--format json`, schemaVersion 1). See docs/json-contract.md.
 * Extend it, never break it.
 */
import type { Diagnostic, TriggerKind } from '../model/types.js';

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
/** Higher is worse. */
export const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

export type Category =
  | 'injection:command'
  | 'injection:code'
  | 'injection:sql'
  | 'injection:nosql'
  | 'injection:path-traversal'
  | 'injection:xxe'
  | 'injection:deserialization'
  | 'injection:ssrf'
  | 'injection:xss'
  | 'injection:redos'
  | 'over-privileged-iam'
  | 'unauthenticated-trigger'
  | 'broken-authentication'
  | 'hard-coded-secret'
  | 'secret-in-env-var'
  | 'vulnerable-dependency'
  | 'denial-of-wallet'
  | 'missing-logging'
  | 'insecure-config'
  | 'sensitive-data-exposure'
  | 'supply-chain';

/** Every category, at runtime (meta-tests, `fnguard rules`). Keep in sync with `Category`. */
export const CATEGORIES: readonly Category[] = [
  'injection:command',
  'injection:code',
  'injection:sql',
  'injection:nosql',
  'injection:path-traversal',
  'injection:xxe',
  'injection:deserialization',
  'injection:ssrf',
  'injection:xss',
  'injection:redos',
  'over-privileged-iam',
  'unauthenticated-trigger',
  'broken-authentication',
  'hard-coded-secret',
  'secret-in-env-var',
  'vulnerable-dependency',
  'denial-of-wallet',
  'missing-logging',
  'insecure-config',
  'sensitive-data-exposure',
  'supply-chain',
];

export interface Location {
  /** Relative to the scan root, forward slashes. */
  file: string;
  /** 1-based */
  line: number;
  column: number;
  endLine?: number;
}

/** One step of a taint flow, source first, sink last. */
export interface FlowStep {
  file: string;
  line: number;
  column: number;
  note: string;
}

export interface Finding {
  ruleId: string;
  title: string;
  severity: Severity;
  category: Category;
  cwe: string[];
  sas: string | null;
  message: string;
  /** Fn id or null */
  function: string | null;
  /** logical id / TF address of the resource or null */
  resource: string | null;
  location: Location;
  fingerprint: string;
  suppressed: boolean;
  /** Present when suppressed: how and why. */
  suppression?: { kind: 'inline' | 'metadata' | 'ignore-file' | 'baseline'; reason?: string; expires?: string };
  /** Taint flow for code findings. */
  flow?: FlowStep[];
  /** Structured extra data (e.g. dependency: package, version, fixed, advisories, path). */
  details?: Record<string, unknown>;
  /** Docs page for the rule. */
  helpUri?: string;
  /**
   * The source lines around `location` (a few lines of context, long lines cut), for reports.
   * Absent when the file could not be read. Lines that hold a secret some finding reports are
   * redacted, so a report never carries the secret.
   */
  snippet?: Snippet;
}

/** Source lines around a finding: `lines[0]` is line `startLine` of `location.file`. */
export interface Snippet {
  startLine: number;
  lines: string[];
}

export interface RiskFactor {
  /** e.g. `exposure:public-unauthenticated`, `privilege:admin`, `finding:INJ-01` */
  id: string;
  description: string;
  /** Points this factor contributed. */
  points: number;
}

export type RiskLevel = 'critical' | 'high' | 'medium' | 'low' | 'none';

export interface FunctionSummary {
  id: string;
  name: string;
  provider: string;
  runtime: string | null;
  handler: string | null;
  where: Location;
  triggers: { kind: TriggerKind; public: boolean | 'unknown'; auth: string }[];
  risk: { score: number; level: RiskLevel; factors: RiskFactor[] };
}

export interface ResultDiagnostic {
  level: Diagnostic['level'];
  file: string;
  line?: number;
  message: string;
  code?: string;
}

export interface Summary {
  functions: number;
  findings: number;
  suppressed: number;
  bySeverity: Record<Severity, number>;
  filesScanned: number;
  durationMs: number;
  [key: string]: unknown;
}

export interface Result {
  schemaVersion: 1;
  tool: { name: 'fnguard'; version: string };
  root: string;
  functions: FunctionSummary[];
  findings: Finding[];
  diagnostics: ResultDiagnostic[];
  summary: Summary;
}
