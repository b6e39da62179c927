/**
 * `--format github`: GitHub Actions workflow commands (`::error file=…,line=…::message`) for the
 * worst unsuppressed findings, so they show as annotations on the pull request. GitHub keeps at
 * most 10 annotations of each level per step, so only the `max` worst (default 10) are emitted,
 * followed by a plain line counting the rest.
 */
import type { Finding, Result, Severity } from '../engine/types.js';

export interface GithubOptions {
  /** Max annotations (default 10). */
  max?: number;
  /** Path of the scan root relative to the repository root, prepended to file paths. */
  uriPrefix?: string;
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'notice'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'notice',
  info: 'notice',
};

/** Escape the message part of a workflow command. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escape a property value of a workflow command. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatGithub(result: Result, options: GithubOptions = {}): string {
  const max = options.max ?? 10;
  const prefix = options.uriPrefix ? `${options.uriPrefix.replace(/\/+$/, '')}/` : '';
  const open: Finding[] = result.findings.filter((f) => !f.suppressed);
  const lines: string[] = [];
  for (const f of open.slice(0, max)) {
    const props = [`file=${escapeProperty(prefix + f.location.file)}`, `line=${f.location.line}`, `col=${f.location.column}`];
    if (f.location.endLine !== undefined) props.push(`endLine=${f.location.endLine}`);
    props.push(`title=${escapeProperty(`${f.ruleId} ${f.title} (${f.severity})`)}`);
    lines.push(`::${LEVEL[f.severity]} ${props.join(',')}::${escapeData(f.helpUri ? `${f.message}\n${f.helpUri}` : f.message)}`);
  }
  if (open.length > max) lines.push(`fnguard: ${open.length - max} more findings not annotated (see the SARIF or JSON report)`);
  lines.push(`fnguard: ${result.summary.findings} findings, ${result.summary.suppressed} suppressed`);
  return `${lines.join('\n')}\n`;
}
