// Lambda layer builder: nodejs/node_modules/@fnguard/shield/... plus the exec wrapper at the layer root
// (/opt/fnguard-shield once deployed). Used by `npm run layer -w @fnguard/shield` and `fnguard shield layer`.
import fs = require('node:fs');
import path = require('node:path');

import { type ZipEntry, zip } from './zip.cjs';

export const WRAPPER_NAME = 'fnguard-shield';
const PKG_PREFIX = 'nodejs/node_modules/@fnguard/shield';

/** The package root (the folder holding package.json, dist/, layer/, native/). */
export function packageRoot(): string {
  return path.join(__dirname, '..');
}

function walk(dir: string, rel: string, out: string[]): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const n of names) {
    const abs = path.join(dir, n);
    const st = fs.statSync(abs);
    if (st.isDirectory()) walk(abs, `${rel}${n}/`, out);
    else if (st.isFile()) out.push(`${rel}${n}`);
  }
}

/** The files of the layer, in archive order. */
export function layerEntries(root = packageRoot()): ZipEntry[] {
  const entries: ZipEntry[] = [];
  const wrapper = path.join(root, 'layer', WRAPPER_NAME);
  entries.push({ name: WRAPPER_NAME, data: fs.readFileSync(wrapper), mode: 0o755 });
  const files: string[] = [];
  for (const f of ['package.json', 'README.md', 'LICENSE']) if (fs.existsSync(path.join(root, f))) files.push(f);
  const dist: string[] = [];
  walk(path.join(root, 'dist'), 'dist/', dist);
  // code, types, and the runtime's V8 code caches (used only by the Node binary and flags they were made for)
  files.push(...dist.filter((f) => /\.(c?js|mjs|d\.c?ts|d\.mts)$/.test(f) || /^dist\/runtime-cache\/[^/]+\.bin$/.test(f)));
  files.push(`layer/${WRAPPER_NAME}`);
  for (const f of ['native/noexec.c', 'native/binding.gyp', 'native/build.cjs', 'native/build/Release/noexec.node'])
    if (fs.existsSync(path.join(root, f))) files.push(f);
  for (const f of files) {
    const mode = f.endsWith(WRAPPER_NAME) ? 0o755 : 0o644;
    entries.push({ name: `${PKG_PREFIX}/${f}`, data: fs.readFileSync(path.join(root, f)), mode });
  }
  return entries;
}

/** Write the layer zip to `outPath` (parent folders created). Returns the number of files and bytes written. */
export function buildLayerZip(outPath: string, root = packageRoot()): { files: number; bytes: number; path: string } {
  const entries = layerEntries(root);
  if (!entries.some((e) => e.name.endsWith('/dist/register.cjs')))
    throw new Error('build the package first (dist/register.cjs is missing)');
  const buf = zip(entries);
  const out = path.resolve(outPath);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, buf);
  return { files: entries.length, bytes: buf.length, path: out };
}
