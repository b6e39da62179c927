/** An IaC adapter turns files of one format into a fragment of the Model. */
import type { DiscoveredFile } from '../discover/types.js';
import type { App, Diagnostic } from '../model/types.js';

export interface LoadContext {
  root: string;
  /** Every file discovery found (an adapter may need siblings: `${file()}`, local modules, cdk.out manifests). */
  files: readonly DiscoveredFile[];
  /** Read a text file with the discovery limits applied; throws a LoadError on failure. */
  readText(path: string): Promise<string>;
  diagnostic(d: Diagnostic): void;
  /** Environment for `${env:}` resolution (defaults to process.env; tests pass their own). */
  env: Record<string, string | undefined>;
  /** `--stage`/`--region` style options for `${opt:}` (serverless). */
  opts: Record<string, string>;
}

export interface Adapter {
  /** `serverless`, `cloudformation`, `terraform`, ... */
  id: string;
  /** Claim the files this adapter loads (called once with all discovered files). */
  select(files: readonly DiscoveredFile[]): DiscoveredFile[];
  /** Load the selected files into Model fragments. Must never throw for a bad file: emit diagnostics. */
  load(files: DiscoveredFile[], ctx: LoadContext): Promise<Partial<App>>;
}
