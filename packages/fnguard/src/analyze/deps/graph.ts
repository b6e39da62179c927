/**
 * From a lockfile graph to the packages one importer (a project or workspace member) ships:
 * breadth-first from its direct dependencies, so each package gets its shortest dependency path
 * from a direct dependency; production roots first, so a package reachable from both stays
 * production. Dev-only packages are left out unless `includeDev`.
 */
import type { Importer, LockGraph, PkgNode, ShippedPackage } from './types.js';

/** The importer whose directory is the longest prefix of `relDir` (relative to the lockfile). */
export function importerFor(graph: LockGraph, relDir: string): Importer | undefined {
  let best: string | undefined;
  for (const dir of graph.importers.keys()) {
    if (dir === '' || relDir === dir || relDir.startsWith(`${dir}/`)) if (best === undefined || dir.length > best.length) best = dir;
  }
  return best === undefined ? undefined : graph.importers.get(best);
}

export function shippedPackages(graph: LockGraph, relDir: string, includeDev: boolean): ShippedPackage[] {
  const out: ShippedPackage[] = [];
  const ship = (node: PkgNode, dev: boolean, direct: boolean, path: string[]) =>
    out.push({
      ecosystem: graph.ecosystem,
      name: node.name,
      version: node.version,
      source: node.source,
      dev,
      direct,
      path,
      where: { file: node.file ?? graph.file, line: node.line, column: 1 },
      ...(node.installScript ? { installScript: true } : {}),
    });
  const importer = importerFor(graph, relDir);
  if (!importer) {
    // flat formats (requirements.txt, Pipfile.lock) or no importer information: every node is direct
    for (const node of graph.nodes.values()) {
      const dev = node.dev === true;
      if (dev && !includeDev) continue;
      ship(node, dev, true, [node.name]);
    }
    return out;
  }
  const seen = new Set<string>();
  const walk = (roots: readonly string[], dev: boolean) => {
    const queue: { key: string; path: string[] }[] = [];
    for (const k of roots) {
      const node = graph.nodes.get(k);
      if (!node || seen.has(k)) continue;
      seen.add(k);
      queue.push({ key: k, path: [node.name] });
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const item = queue[qi] as { key: string; path: string[] };
      const node = graph.nodes.get(item.key) as PkgNode;
      ship(node, dev, item.path.length === 1, item.path);
      for (const d of node.deps) {
        if (seen.has(d)) continue;
        const child = graph.nodes.get(d);
        if (!child) continue;
        seen.add(d);
        queue.push({ key: d, path: [...item.path, child.name] });
      }
    }
  };
  walk(importer.prod, false);
  if (includeDev) walk(importer.dev, true);
  return out;
}

/** `name@version` keys, and a lookup by name for formats whose edges name packages only. */
export function nameIndex(nodes: Iterable<PkgNode>): Map<string, PkgNode[]> {
  const m = new Map<string, PkgNode[]>();
  for (const n of nodes) {
    const l = m.get(n.name);
    if (l) l.push(n);
    else m.set(n.name, [n]);
  }
  return m;
}

/** Normalized PyPI name (PEP 503). */
export function pypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}
