/** `fnguard sign`: the in-toto statement over a package's manifest (and zip digest), signed into a sigstore bundle. */
import { basename, join } from 'node:path';
import { BUNDLE_FILE, type CodeStatement, MANIFEST_FORMAT, PREDICATE_TYPE, STATEMENT_TYPE, type Subject } from '@fnguard/shield/integrity';
import { type BundleJson, buildBundle } from './bundle.js';
import { type CodePackage, isZipManifest } from './package.js';
import type { CodeSigner } from './signers.js';

export interface StatementOptions {
  /** Subject the code is signed for: `fn:<function>` or `layer:<layer>` (default `fn:<basename>`). */
  name?: string;
  /** Leave the file list out of the predicate (small enough for an environment variable; no per-file diagnostics). */
  compact?: boolean;
  /** Free-form build facts (repo, commit, builder), recorded in the predicate. */
  build?: Record<string, string>;
}

const NAME = /^(fn|layer):[A-Za-z0-9._\-/:@]{1,200}$/;

export function subjectNameProblem(name: string): string | undefined {
  return NAME.test(name) ? undefined : `the subject name must look like fn:<function> or layer:<layer> (got '${name}')`;
}

export function buildStatement(pkg: CodePackage, o: StatementOptions = {}): CodeStatement {
  const m = pkg.manifest;
  const name = o.name ?? pkg.defaultName;
  const subject: Subject[] = [{ name, digest: { sha256: m.digest } }];
  const predicate: CodeStatement['predicate'] = {
    format: MANIFEST_FORMAT,
    name,
    manifestDigest: m.digest,
    entries: m.entries.length,
    totalBytes: m.totalBytes,
  };
  if (isZipManifest(m)) {
    const zipName = basename(pkg.path);
    subject.push({ name: zipName, digest: { sha256: m.zipSha256 } });
    predicate.zip = { name: zipName, sha256: m.zipSha256, codeSha256: m.codeSha256 };
  }
  if (o.build && Object.keys(o.build).length) predicate.build = o.build;
  if (!o.compact) predicate.files = m.entries;
  return { _type: STATEMENT_TYPE, subject, predicateType: PREDICATE_TYPE, predicate };
}

export async function signPackage(
  pkg: CodePackage,
  signer: CodeSigner,
  o: StatementOptions = {},
): Promise<{ statement: CodeStatement; bundle: BundleJson }> {
  const statement = buildStatement(pkg, o);
  return { statement, bundle: await buildBundle(statement, signer) };
}

/** Where the bundle goes by default: inside a directory (`.lambda-sig/bundle.sigstore.json`), next to a zip. */
export function defaultBundlePath(pkg: Pick<CodePackage, 'kind' | 'path'>): string {
  return pkg.kind === 'dir' ? join(pkg.path, BUNDLE_FILE) : `${pkg.path}.sigstore.json`;
}
