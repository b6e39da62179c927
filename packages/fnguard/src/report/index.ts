/**
 * Formatters by name, lazily imported (keeps CLI start-up light). Pure functions of a Result.
 * To add a format, add one entry to FORMATTERS: the CLI picks it up.
 */
import type { Result } from '../engine/types.js';
import type { RuleMeta } from '../rules/defineRule.js';

export interface FormatOptions {
  color?: boolean;
  quiet?: boolean;
  /** Rule metadata (SARIF `rules[]`, remediation text for rich formats). */
  rules?: readonly RuleMeta[];
  /** SARIF: scan root relative to the repository root. */
  uriPrefix?: string;
  /** Markdown character budget. */
  maxChars?: number;
}

export type Formatter = (result: Result, options: FormatOptions) => Promise<string>;

export const FORMATTERS: Record<string, Formatter> = {
  text: async (r, o) => (await import('./text.js')).formatText(r, { color: o.color ?? false, quiet: o.quiet ?? false }),
  json: async (r) => (await import('./json.js')).formatJson(r),
  sarif: async (r, o) =>
    (await import('./sarif.js')).formatSarif(r, { rules: o.rules ?? [], ...(o.uriPrefix ? { uriPrefix: o.uriPrefix } : {}) }),
  markdown: async (r, o) => (await import('./markdown.js')).formatMarkdown(r, o.maxChars ? { maxChars: o.maxChars } : {}),
  html: async (r, o) => (await import('./html.js')).formatHtml(r, { rules: o.rules ?? [] }),
  github: async (r, o) => (await import('./github.js')).formatGithub(r, o.uriPrefix ? { uriPrefix: o.uriPrefix } : {}),
};

export function formatNames(): string[] {
  return Object.keys(FORMATTERS);
}

export function isFormat(s: string): boolean {
  return Object.hasOwn(FORMATTERS, s);
}

export async function formatResult(format: string, result: Result, options: FormatOptions = {}): Promise<string> {
  const f = FORMATTERS[format];
  if (!f) throw new Error(`unknown format '${format}'`);
  return f(result, options);
}
