/**
 * Rule definition API. Metadata is the single source of truth for the docs pages, SARIF
 * `rules[]`, `fnguard rules`, and the severity filter.
 */
import type { Analyzer, ScanOptions } from '../analyze/types.js';
import type { Category, FlowStep, Severity } from '../engine/types.js';
import type { App, Fn, Where } from '../model/types.js';

/** Formats a rule applies to; `code` = JS/TS/Python sources, `any` = every text file, `lockfile` = dependency manifests. */
export type RuleFormat = 'serverless' | 'cloudformation' | 'sam' | 'cdk' | 'terraform' | 'code' | 'any' | 'lockfile';

export interface Remediation {
  /** One or two sentences that apply whatever the format. */
  general: string;
  serverless?: string;
  cloudformation?: string;
  sam?: string;
  terraform?: string;
  cdk?: string;
  code?: string;
}

export interface RuleMeta {
  /** `<FAMILY>-NN`, e.g. `EXPO-01`. */
  id: string;
  title: string;
  severity: Severity;
  category: Category;
  /** e.g. `['CWE-306']` */
  cwe: string[];
  /** Serverless Top 10 item, e.g. `SAS-2` (the first one when several apply). */
  sas: string;
  /** What it detects and why it matters (markdown, a short paragraph). */
  description: string;
  remediation: Remediation;
  formats: RuleFormat[];
  /** Anchors: the tools' ids it matches (for the docs page), e.g. `['Checkov CKV_AWS_258']`. */
  references?: string[];
  /** 'high' = few false positives. */
  precision?: 'high' | 'medium' | 'low';
  /** Not enabled unless selected with --rule. */
  optIn?: boolean;
}

export interface ReportInput {
  /** The function the finding is about (null/undefined for resource-only findings). */
  fn?: Fn | null;
  /** Logical id / TF address of the resource the finding is about. */
  resource?: string | null;
  /** Where to point; defaults to the fn's `where`. */
  where?: Where;
  message: string;
  /** Override the rule's default severity for this finding (e.g. SUP-01 phases). */
  severity?: Severity;
  flow?: FlowStep[];
  /**
   * Content-stable key for the fingerprint (not line numbers): e.g. the env var name, the
   * normalized statement, the sink expression. Defaults to the message.
   */
  key?: string;
  details?: Record<string, unknown>;
}

export interface RuleContext {
  app: App;
  options: ScanOptions;
  /** Facts of the analyzers this rule declared in `needs` (already computed). */
  fact<T>(analyzer: Analyzer<T>): T;
  report(input: ReportInput): void;
}

export interface Rule {
  meta: RuleMeta;
  /** Analyzers whose facts this rule reads. */
  needs?: Analyzer<unknown>[];
  check(ctx: RuleContext): void;
}

export const DOCS_BASE = 'https://github.com/fnguard/fnguard/blob/main/docs/rules/';

export function docsUrl(id: string): string {
  return `${DOCS_BASE}${id}.md`;
}

const ID_PATTERN = /^(PERM|EXPO|CFG|LOG|SEC|SUP|INJ|CSEC|OTH|DEP|GCP|AZ)-\d{2}$/;

export function isValidRuleId(id: string): boolean {
  return ID_PATTERN.test(id);
}

export function defineRule<R extends Rule>(rule: R): R {
  if (!isValidRuleId(rule.meta.id)) throw new Error(`invalid rule id ${rule.meta.id}`);
  return rule;
}
