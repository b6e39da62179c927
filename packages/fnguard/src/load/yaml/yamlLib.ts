import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

let lib: typeof Yaml | undefined;

/**
 * The `yaml` package, loaded on first use: loading it costs tens of milliseconds of start-up, and most
 * scans never need it (the js-yaml fast path parses ordinary documents; see fastYaml.ts).
 */
export function yamlLib(): typeof Yaml {
  lib ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return lib;
}
