/** Shared reporting of the DEP rules: one finding per function, package and vulnerability. */
import { relative, sep } from 'node:path';
import { type DepFacts, depsAnalyzer, type VulnerableDependency } from '../../analyze/deps/analyzer.js';
import { adjustedSeverity, reachText } from '../../analyze/deps/reach.js';
import type { Ecosystem, ShippedPackage } from '../../analyze/deps/types.js';
import type { RuleContext } from '../defineRule.js';

export { depsAnalyzer };

function relTo(root: string): (file: string) => string {
  return (file) => {
    const r = relative(root, file);
    return sep === '/' ? r : r.split(sep).join('/');
  };
}

/** Report the function's vulnerable dependencies selected by `pick`. */
export function reportVulnerableDependencies(ctx: RuleContext, pick: (v: VulnerableDependency) => boolean): void {
  const facts = ctx.fact<DepFacts>(depsAnalyzer);
  const rel = relTo(ctx.options.root);
  for (const fn of ctx.app.functions) {
    const fd = facts.byFunction.get(fn.id);
    if (!fd) continue;
    for (const v of fd.vulnerable) {
      if (!pick(v)) continue;
      const { pkg, vuln, reach } = v;
      const severity = adjustedSeverity(vuln.severity, reach, pkg.dev, vuln.malicious);
      const others = vuln.ids.filter((id) => id !== vuln.id);
      const idText = others.length ? `${vuln.id} (${others.slice(0, 3).join(', ')}${others.length > 3 ? ', …' : ''})` : vuln.id;
      const via = viaText(pkg);
      const what = vuln.malicious
        ? `${pkg.name}@${pkg.version} is a known-malicious package version ${idText}`
        : `${pkg.name}@${pkg.version} has a known vulnerability ${idText}${vuln.summary ? `: ${vuln.summary}` : ''}`;
      const fix = vuln.malicious
        ? 'remove it and rotate the credentials the function can reach'
        : vuln.fixed
          ? `fixed in ${vuln.fixed}`
          : 'no fixed version known';
      const parts = [what, fix, `${via}${pkg.dev ? ' (dev)' : ''}${v.layer ? ` in layer ${v.layer}` : ''}`, reachText(reach, pkg, rel)];
      ctx.report({
        fn,
        where: pkg.where,
        severity,
        message: `${parts.join('; ')}.`,
        key: `${pkg.ecosystem}:${pkg.name}@${pkg.version}:${vuln.id}`,
        details: {
          ecosystem: pkg.ecosystem,
          package: pkg.name,
          version: pkg.version,
          ...(vuln.fixed ? { fixed: vuln.fixed } : {}),
          path: pkg.path,
          direct: pkg.direct,
          dev: pkg.dev,
          advisory: vuln.id,
          ids: vuln.ids,
          records: vuln.records,
          advisorySeverity: vuln.severity,
          ...(vuln.cvss ? { cvss: vuln.cvss } : {}),
          malicious: vuln.malicious,
          references: vuln.references,
          reachability: reach.kind,
          ...(reach.kind === 'imported'
            ? { importedAt: { file: rel(reach.where.file), line: reach.where.line }, importedAs: reach.via }
            : {}),
          lockfile: rel(v.lockfile),
          ...(v.layer ? { layer: v.layer } : {}),
        },
      });
    }
  }
}

export function ecosystemVulns(ecosystem: Ecosystem): (v: VulnerableDependency) => boolean {
  return (v) => v.pkg.ecosystem === ecosystem && !v.vuln.malicious;
}

/** Report each shipped package that `pick` selects, per function (DEP-05, DEP-06). */
export function reportShippedPackages(ctx: RuleContext, pick: (pkg: ShippedPackage) => string | undefined, keySuffix: string): void {
  const facts = ctx.fact<DepFacts>(depsAnalyzer);
  for (const fn of ctx.app.functions)
    for (const pkg of facts.byFunction.get(fn.id)?.packages ?? []) {
      const what = pick(pkg);
      if (what === undefined) continue;
      ctx.report({
        fn,
        where: pkg.where,
        message: `${pkg.name}${pkg.version ? `@${pkg.version}` : ''} ${what} (${viaText(pkg)}).`,
        key: `${pkg.ecosystem}:${pkg.name}@${pkg.version}:${keySuffix}`,
        details: { ecosystem: pkg.ecosystem, package: pkg.name, version: pkg.version, source: pkg.source, path: pkg.path },
      });
    }
}

export function viaText(pkg: ShippedPackage): string {
  return pkg.path.length > 1 ? `dependency path ${pkg.path.join(' > ')}` : 'a direct dependency';
}
