/**
 * `dataFile(name)`: the URL of a file in packages/fnguard/data, found from this module's URL by
 * its last `/dist/` (tsc output, or the bundled CLI in dist/cli-bundle/, at any depth) or `/src/`
 * (run from source through tsx) folder.
 */
export function dataFile(name: string): URL {
  const here = import.meta.url;
  const at = Math.max(here.lastIndexOf('/dist/'), here.lastIndexOf('/src/'));
  return new URL(`data/${name}`, at < 0 ? new URL('../', here) : here.slice(0, at + 1));
}
