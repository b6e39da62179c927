/** What discovery hands to the loaders and analyzers. */
export type FileKind = 'iac' | 'code' | 'lockfile' | 'manifest' | 'text' | 'binary' | 'archive';

export interface DiscoveredFile {
  /** Absolute path. */
  path: string;
  /** Relative to the scan root, forward slashes. */
  rel: string;
  kind: FileKind;
  /** For IaC: the detected format; for code: the language; for lockfiles: the lockfile type. */
  subtype?: string;
  size: number;
}
