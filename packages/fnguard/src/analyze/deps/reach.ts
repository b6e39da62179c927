/**
 * Reachability of a shipped package from a function's handler, from the code analysis'
 * import graph (`FunctionCode.packages`: bare imports reachable from the entry). A transitive
 * package counts as reached when the direct dependency it came through is imported.
 */
import type { Severity } from '../../engine/types.js';
import type { Where } from '../../model/types.js';
import type { FunctionCode } from '../code/types.js';
import { importNamesOf, type PythonImport } from './pythonImports.js';
import type { ShippedPackage } from './types.js';

export type Reach =
  | { kind: 'imported'; where: Where /** The imported package (the direct dependency for transitive ones). */; via: string }
  | { kind: 'not-imported' }
  | { kind: 'unknown'; reason: string };

export function reachability(pkg: ShippedPackage, code: FunctionCode | undefined, pythonImports?: readonly PythonImport[]): Reach {
  if (pkg.ecosystem !== 'npm') {
    // Python: only a positive answer is trustworthy (import names differ, packages use packages)
    if (!pythonImports) return { kind: 'unknown', reason: "the handler's Python code was not found" };
    for (const dist of [pkg.name, pkg.path[0] ?? pkg.name]) {
      const names = importNamesOf(dist);
      const hit = pythonImports.find((i) => names.includes(i.module));
      if (hit) return { kind: 'imported', where: hit.where, via: dist };
    }
    return { kind: 'unknown', reason: 'no import of it found in the handler (Python import names may differ)' };
  }
  if (!code) return { kind: 'unknown', reason: 'the code analysis did not cover this function' };
  if (!code.entryFile) return { kind: 'unknown', reason: code.missingReason ?? "the handler's code was not found" };
  const direct = pkg.path[0] ?? pkg.name;
  const hit = code.packages.find((p) => p.name === pkg.name) ?? code.packages.find((p) => p.name === direct);
  if (hit) return { kind: 'imported', where: hit.where, via: hit.name };
  return { kind: 'not-imported' };
}

const DOWN: Record<Severity, Severity> = { critical: 'high', high: 'medium', medium: 'low', low: 'low', info: 'info' };

/**
 * DEP-07 as a modifier: a package the handler's code never imports, or that is only a dev
 * dependency, ranks one level lower; malicious packages never do (install scripts run anyway).
 */
export function adjustedSeverity(base: Severity, reach: Reach, dev: boolean, malicious: boolean): Severity {
  if (malicious) return base;
  if (reach.kind === 'not-imported' || dev) return DOWN[base];
  return base;
}

export function reachText(reach: Reach, pkg: ShippedPackage, rel: (file: string) => string): string {
  if (reach.kind === 'imported') {
    const at = `${rel(reach.where.file)}:${reach.where.line}`;
    return reach.via === pkg.name ? `imported by the handler (${at})` : `reached through ${reach.via}, imported by the handler (${at})`;
  }
  if (reach.kind === 'not-imported') return "not imported by the handler's code";
  return `reachability unknown: ${reach.reason}`;
}
