import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

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

/**
 * The bytes of a data file. A file that cannot be read or parsed is a broken installation, never an empty data set
 * (that would silently change results): the error names the file.
 */
export function readDataFile(name: string): Buffer {
  const url = dataFile(name);
  try {
    return readFileSync(url);
  } catch (e) {
    throw new Error(
      `fnguard data file ${fileURLToPath(url)} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): the installation is incomplete, reinstall fnguard`,
    );
  }
}

/** A JSON data file, parsed; unreadable or invalid JSON is an error naming the file. */
export function readDataJson<T>(name: string): T {
  const bytes = readDataFile(name);
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch (e) {
    throw new Error(`fnguard data file ${fileURLToPath(dataFile(name))} is not valid JSON (${(e as Error).message}): reinstall fnguard`);
  }
}
