/**
 * `fnguard verify`: a package is accepted only when its bundle's signature verifies with a trusted key, its content
 * matches the signed manifest byte for byte (same paths, sizes, sha256, exec bits, link targets), and the trust
 * policy lets that key sign that function or layer. Otherwise the outcome names the first difference.
 */
import { readFile } from 'node:fs/promises';
import {
  type CodeStatement,
  type Difference,
  describeDifference,
  firstDifference,
  IntegrityError,
  parseStatement,
} from '@fnguard/shield/integrity';
import { bundleHint, verifyBundleSignature } from './bundle.js';
import { type CodePackage, isZipManifest, readPackage } from './package.js';
import { defaultBundlePath } from './sign.js';
import { policyRefusal, type TrustPolicy } from './trust.js';
import type { ZipLimits } from './zip.js';

export type VerifyCode =
  | 'ok'
  | 'refused'
  | 'no-bundle'
  | 'bundle'
  | 'wrong-key'
  | 'signature'
  | 'statement'
  | 'subject'
  | 'mismatch'
  | 'policy';

export interface VerifyOutcome {
  ok: boolean;
  code: VerifyCode;
  /** One line: why the package is refused, or what was verified. */
  message: string;
  difference?: Difference;
  statement?: CodeStatement;
  hint?: string;
  keyId?: string;
  bundlePath?: string;
  /** Observations that do not fail verification (re-zipped archive, case-only collisions). */
  notes: string[];
  pkg?: CodePackage;
}

export interface VerifyOptions {
  policy: TrustPolicy;
  /** Bundle file; default: the zip's embedded `.lambda-sig/bundle.sigstore.json`, else `<zip>.sigstore.json`, or the directory's `.lambda-sig/bundle.sigstore.json`. */
  bundlePath?: string;
  /** The function or layer being deployed (`fn:orders`): the bundle must have been signed for it. */
  name?: string;
  limits?: ZipLimits;
  now?: Date;
}

const fail = (code: VerifyCode, message: string, extra: Partial<VerifyOutcome> = {}): VerifyOutcome => ({
  ok: false,
  code,
  message,
  notes: [],
  ...extra,
});

async function loadBundle(pkg: CodePackage, explicit: string | undefined): Promise<{ json: unknown; path: string } | VerifyOutcome> {
  let text: string | undefined;
  let path = explicit ?? defaultBundlePath(pkg);
  if (explicit === undefined && isZipManifest(pkg.manifest)) {
    const inside = pkg.manifest.bundles.get('bundle.sigstore.json');
    if (inside) {
      text = inside.toString('utf8');
      path = `${pkg.path}!/.lambda-sig/bundle.sigstore.json`;
    }
  }
  if (text === undefined) {
    try {
      text = await readFile(path, 'utf8');
    } catch {
      return fail('no-bundle', `no signature: ${path} not found (sign with fnguard sign, or pass --bundle)`, { bundlePath: path });
    }
  }
  try {
    return { json: JSON.parse(text), path };
  } catch {
    return fail('bundle', `${path} is not JSON`, { bundlePath: path });
  }
}

export async function verifyPackage(input: string, o: VerifyOptions): Promise<VerifyOutcome> {
  let pkg: CodePackage;
  try {
    pkg = await readPackage(input, o.limits);
  } catch (e) {
    if (e instanceof IntegrityError) return fail('refused', `hostile or unreadable package refused: ${e.message}`);
    throw e;
  }
  const notes = [...pkg.manifest.warnings];
  const b = await loadBundle(pkg, o.bundlePath);
  if ('code' in b) return { ...b, pkg, notes };
  const base = { pkg, notes, bundlePath: b.path };
  let hint: string;
  let payload: Buffer;
  let statement: CodeStatement;
  try {
    hint = await bundleHint(b.json);
  } catch (e) {
    return fail('bundle', `${b.path}: ${(e as Error).message}`, base);
  }
  const trusted = o.policy.keys.find((k) => k.hint === hint);
  if (!trusted)
    return fail('wrong-key', `wrong key: the bundle was signed with key ${hint.slice(0, 16)}…, which is not a trusted key`, {
      ...base,
      hint,
    });
  try {
    payload = await verifyBundleSignature(b.json, trusted.key);
    statement = parseStatement(payload);
  } catch (e) {
    const code = e instanceof IntegrityError && e.code === 'statement' ? 'statement' : 'signature';
    return fail(code, `${b.path}: ${(e as Error).message}`, { ...base, hint, keyId: trusted.id });
  }
  const signedFor = statement.predicate.name;
  const more = { ...base, hint, keyId: trusted.id, statement };
  if (o.name !== undefined && o.name !== signedFor)
    return fail('subject', `the bundle was signed for '${signedFor}', not for '${o.name}'`, more);
  const m = pkg.manifest;
  if (m.digest !== statement.predicate.manifestDigest) {
    const files = statement.predicate.files;
    const d = files ? firstDifference(files, m.entries) : undefined;
    return fail(
      'mismatch',
      d ? describeDifference(d) : 'the content differs from the signed manifest (a compact bundle lists no files to name the difference)',
      { ...more, ...(d ? { difference: d } : {}) },
    );
  }
  const refusal = policyRefusal(o.policy, hint, signedFor, o.now);
  if (refusal) return fail(refusal.startsWith('wrong key') ? 'wrong-key' : 'policy', refusal, more);
  const zip = statement.predicate.zip;
  if (isZipManifest(m) && zip && zip.sha256 !== m.zipSha256)
    notes.push(`the archive bytes differ from the signed ${zip.name} (re-zipped or reordered); its content matches the manifest`);
  return {
    ok: true,
    code: 'ok',
    message: `verified ${signedFor}: ${m.entries.length} files, manifest sha256:${m.digest.slice(0, 16)}…, signed by '${trusted.id}'`,
    ...more,
    notes,
  };
}
