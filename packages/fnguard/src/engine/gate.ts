/** The fail gate shared by the CLI (`--fail-on`) and the framework plugins (Serverless, CDK). */
import { type Finding, type Result, SEVERITY_RANK, type Severity } from './types.js';

/** `--fail-on` levels: a severity, or `none` (never fail). */
export const FAIL_ON_LEVELS = ['critical', 'high', 'medium', 'low', 'none'] as const;
export type FailOn = (typeof FAIL_ON_LEVELS)[number];

export function isFailOn(s: unknown): s is FailOn {
  return typeof s === 'string' && (FAIL_ON_LEVELS as readonly string[]).includes(s);
}

/** Unsuppressed findings at or above `failOn` (none for `none`), worst first as in the result. */
export function blockingFindings(result: Pick<Result, 'findings'>, failOn: FailOn): Finding[] {
  if (failOn === 'none') return [];
  const min = SEVERITY_RANK[failOn as Severity];
  return result.findings.filter((f) => !f.suppressed && SEVERITY_RANK[f.severity] >= min);
}
