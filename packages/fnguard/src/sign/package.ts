/** Read a function package, a directory or a zip, into its manifest (hostile input refused before extraction). */
import { open, readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { IntegrityError, type Manifest, manifestOfDir } from '@fnguard/shield/integrity';
import { looksLikeZip, manifestOfZip, type ZipLimits, type ZipManifest } from './zip.js';

export interface CodePackage {
  kind: 'dir' | 'zip';
  path: string;
  manifest: Manifest | ZipManifest;
  /** The default subject: `fn:<name without .zip>`. */
  defaultName: string;
}

export async function isZipFile(path: string): Promise<boolean> {
  const st = await stat(path);
  if (!st.isFile()) return false;
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    await fh.read(head, 0, 4, 0);
    return looksLikeZip(head);
  } finally {
    await fh.close();
  }
}

export async function readPackage(path: string, limits: ZipLimits = {}): Promise<CodePackage> {
  let st: Awaited<ReturnType<typeof stat>>;
  try {
    st = await stat(path);
  } catch (e) {
    throw new IntegrityError('input', `cannot read ${path}: ${(e as Error).message}`);
  }
  const name = basename(path).replace(/\.zip$/i, '') || 'code';
  if (st.isDirectory()) return { kind: 'dir', path, manifest: manifestOfDir(path, limits), defaultName: `fn:${name}` };
  if (!st.isFile()) throw new IntegrityError('input', `${path} is neither a directory nor a zip file`);
  const max = limits.maxTotalBytes ?? 262_144_000;
  if (st.size > max) throw new IntegrityError('too-large', `${path} is larger than ${max} bytes`);
  return { kind: 'zip', path, manifest: manifestOfZip(await readFile(path), limits), defaultName: `fn:${name}` };
}

export function isZipManifest(m: Manifest | ZipManifest): m is ZipManifest {
  return typeof (m as ZipManifest).zipSha256 === 'string';
}
