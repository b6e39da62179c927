/** Shared setup of the signing tests: a function directory, key pairs, and the CLI run in-process. */
import {
  chmodSync,
  cpSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/run.js';
import { captureIo } from '../helpers/cliIo.js';
import { type TestZipEntry, testZip } from '../helpers/testZip.js';

export function scratchDir(prefix = 'fnguard-sign-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function cli(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo(cwd);
  const code = await run(argv, io);
  return { code, out: io.out, err: io.err };
}

/** A small function: files in folders, an executable, a symlink, a non-ASCII (NFC) name. */
export function makeFunctionDir(root: string): string {
  const dir = join(root, 'orders');
  mkdirSync(join(dir, 'lib'), { recursive: true });
  mkdirSync(join(dir, 'node_modules', 'dep'), { recursive: true });
  writeFileSync(join(dir, 'index.js'), 'exports.handler = async () => require("./lib/util").ok();\n');
  writeFileSync(join(dir, 'lib', 'util.js'), 'exports.ok = () => ({ statusCode: 200 });\n');
  writeFileSync(join(dir, 'node_modules', 'dep', 'index.js'), 'module.exports = 1;\n');
  writeFileSync(join(dir, 'caf\u00e9.js'), 'module.exports = "caf\u00e9";\n');
  writeFileSync(join(dir, 'bootstrap'), '#!/bin/sh\nexec node index.js\n');
  chmodSync(join(dir, 'bootstrap'), 0o755);
  symlinkSync('index.js', join(dir, 'alias.js'));
  return dir;
}

/** The zip entries of a directory (files, links, no folder entries), in the given order. */
export function zipEntriesOf(dir: string, rel = ''): TestZipEntry[] {
  const out: TestZipEntry[] = [];
  for (const n of readdirSync(join(dir, rel)).sort()) {
    const r = rel ? `${rel}/${n}` : n;
    if (r === '.lambda-sig') continue;
    const abs = join(dir, r);
    const st = lstatSync(abs);
    if (st.isSymbolicLink()) out.push({ name: r, data: readlinkSync(abs), mode: 0o120777 });
    else if (st.isDirectory()) out.push(...zipEntriesOf(dir, r));
    else out.push({ name: r, data: readFileSync(abs), mode: 0o100000 | (st.mode & 0o777) });
  }
  return out;
}

export function writeZip(file: string, entries: TestZipEntry[]): string {
  writeFileSync(file, testZip(entries));
  return file;
}

export function copyDir(src: string, dst: string): string {
  cpSync(src, dst, { recursive: true, verbatimSymlinks: true });
  return dst;
}

export function modeOf(file: string): number {
  return statSync(file).mode & 0o777;
}
