/**
 * Dependency facts (issue 5): the packages each function ships, read from lockfiles, and the
 * advisories that affect them. Computed once per scan by `depsAnalyzer` (analyzer.ts).
 */
import type { Where } from '../../model/types.js';

export type Ecosystem = 'npm' | 'PyPI';

/** Where a package comes from: only `registry` packages can be matched against advisories. */
export type PackageSource = 'registry' | 'git' | 'file' | 'url' | 'link' | 'workspace';

/** One package of a lockfile's dependency graph (a node). */
export interface PkgNode {
  /** Unique in the graph: an install location (`node_modules/a/node_modules/b`) or `name@version`. */
  key: string;
  name: string;
  version: string;
  /** 1-based line of the package's entry in the lockfile. */
  line: number;
  source: PackageSource;
  /** Keys of the packages it depends on (resolved in the graph; unresolved names are dropped). */
  deps: string[];
  /** The lockfile itself marks it dev-only (npm `dev: true`, Pipfile `develop`, poetry `category = "dev"`). */
  dev?: boolean;
  /** npm v2/v3 `hasInstallScript`. */
  installScript?: boolean;
  /** The file the entry is in, when not the lockfile itself (a `-r` included requirements file). */
  file?: string;
}

/** Direct dependencies of one importer (the root project or a workspace member). */
export interface Importer {
  prod: string[];
  dev: string[];
}

/** A parsed lockfile: a dependency graph plus its importers. */
export interface LockGraph {
  /** Absolute path. */
  file: string;
  /** e.g. `package-lock`, `yarn-lock`, `pnpm-lock`, `requirements`. */
  kind: string;
  ecosystem: Ecosystem;
  nodes: Map<string, PkgNode>;
  /**
   * Importers by directory relative to the lockfile's directory (`''` = the root project,
   * `packages/api` = a workspace). Empty when the format does not say which packages are direct
   * (then every node counts as direct, dev-ness from `PkgNode.dev`).
   */
  importers: Map<string, Importer>;
}

/** A package a function ships, with how it got there. */
export interface ShippedPackage {
  ecosystem: Ecosystem;
  name: string;
  version: string;
  source: PackageSource;
  /** Only reachable through dev dependencies. */
  dev: boolean;
  /** A direct dependency of the function's project. */
  direct: boolean;
  /** Package names from the direct dependency down to this one (`['express', 'qs']`). */
  path: string[];
  /** The lockfile entry. */
  where: Where;
  installScript?: boolean;
}

/** A lockfile problem that stopped part of the parse. */
export class LockfileError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'LockfileError';
  }
}
