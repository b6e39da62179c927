/**
 * Rule fixtures: `test/fixtures/rules/<RULE-ID>/{fail,pass}/<case>/...`. Each case is a small
 * project scanned with only that rule enabled. A case may hold `expected.json`:
 *   [{ "ruleId": "EXPO-01", "line": 12 }, ...]                      (exact findings of that rule)
 * or { "findings": [...], "now": "2026-01-01", "options": { "stage": "prod" }, "allowEmpty": true }
 * A `pass` case must not be vacuous: it must load without error diagnostics and yield at least one
 * Model object (function, identity, API, layer or resource); `allowEmpty` skips that check.
 * (`expected.json` itself is not part of the scanned project's IaC: it is plain JSON.)
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding, Result } from '../../src/engine/types.js';
import { type ScanRequest, scan } from '../../src/scan.js';
import { RULE_FIXTURES_DIR } from './index.js';

export interface FixtureCase {
  ruleId: string;
  kind: 'fail' | 'pass';
  name: string;
  dir: string;
  expected?: { ruleId: string; line: number }[];
  now?: Date;
  options?: Partial<ScanRequest>;
  allowEmpty?: boolean;
}

function dirs(p: string): string[] {
  if (!existsSync(p)) return [];
  return readdirSync(p)
    .filter((n) => !n.startsWith('.') && statSync(join(p, n)).isDirectory())
    .sort();
}

export function readCase(ruleId: string, kind: 'fail' | 'pass', name: string, dir: string): FixtureCase {
  const c: FixtureCase = { ruleId, kind, name, dir };
  const expPath = join(dir, 'expected.json');
  if (existsSync(expPath)) {
    const data: unknown = JSON.parse(readFileSync(expPath, 'utf8'));
    const obj = (Array.isArray(data) ? { findings: data } : data) as {
      findings?: { ruleId: string; line: number }[];
      now?: string;
      options?: Partial<ScanRequest>;
    };
    if (obj.findings) c.expected = obj.findings;
    if (obj.now) c.now = new Date(obj.now);
    if (obj.options) c.options = obj.options;
    // a relative advisory database (DEP rules) is relative to the case directory
    if (typeof c.options?.advisoryDb === 'string' && !c.options.advisoryDb.startsWith('/'))
      c.options = { ...c.options, advisoryDb: join(dir, c.options.advisoryDb) };
  }
  return c;
}

/** Every fixture case, grouped by rule id. */
export function listFixtureCases(root = RULE_FIXTURES_DIR): Map<string, FixtureCase[]> {
  const out = new Map<string, FixtureCase[]>();
  for (const ruleId of dirs(root)) {
    const cases: FixtureCase[] = [];
    for (const kind of ['fail', 'pass'] as const) {
      for (const name of dirs(join(root, ruleId, kind))) cases.push(readCase(ruleId, kind, name, join(root, ruleId, kind, name)));
    }
    out.set(ruleId, cases);
  }
  return out;
}

export async function scanCase(c: FixtureCase): Promise<Result> {
  return scan({
    ...(c.options ?? {}),
    root: c.dir,
    rules: [c.ruleId],
    ...(c.now ? { now: c.now } : {}),
    ignoreFile: c.options?.ignoreFile ?? undefined,
  });
}

export function describeFindings(findings: readonly Finding[]): string {
  return findings.map((f) => `${f.ruleId} ${f.location.file}:${f.location.line} ${f.message}`).join('\n  ') || '(none)';
}

/** Check one case; returns an error message or undefined. */
export function checkCase(c: FixtureCase, result: Result): string | undefined {
  const mine = result.findings.filter((f) => f.ruleId === c.ruleId && !f.suppressed);
  const diag = result.diagnostics.filter((d) => d.level === 'error').map((d) => `${d.file}:${d.line ?? ''} ${d.message}`);
  const ctx = `\n  findings:\n  ${describeFindings(mine)}${diag.length ? `\n  error diagnostics:\n  ${diag.join('\n  ')}` : ''}`;
  if (c.kind === 'fail' && mine.length === 0) return `${c.ruleId} fail/${c.name}: expected at least one finding${ctx}`;
  if (c.kind === 'pass' && mine.length > 0) return `${c.ruleId} pass/${c.name}: expected no finding${ctx}`;
  if (c.kind === 'pass' && diag.length > 0)
    return `${c.ruleId} pass/${c.name}: the case has error diagnostics, so passing proves nothing${ctx}`;
  const model = (result.summary.model ?? {}) as Record<string, number>;
  const loaded = result.summary.functions + Object.values(model).reduce((n, v) => n + (typeof v === 'number' ? v : 0), 0);
  if (c.kind === 'pass' && !c.allowEmpty && loaded === 0)
    return `${c.ruleId} pass/${c.name}: nothing was loaded (no function, role, API or resource), so passing proves nothing`;
  if (c.expected) {
    const got = mine.map((f) => `${f.ruleId}@${f.location.line}`).sort();
    const want = c.expected.map((e) => `${e.ruleId}@${e.line}`).sort();
    if (got.join(',') !== want.join(','))
      return `${c.ruleId} ${c.kind}/${c.name}: expected ${want.join(', ') || 'none'}, got ${got.join(', ') || 'none'}${ctx}`;
  }
  return undefined;
}
