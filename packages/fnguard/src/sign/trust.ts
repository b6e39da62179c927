/**
 * The trust policy (`trust.yml`): which key may sign which function or layer.
 *
 *   keys:
 *     - id: ci-prod                   # a label for messages
 *       publicKey: keys/ci-prod.pub   # PEM file (relative to trust.yml) or inline PEM
 *       functions: [orders, 'payments-*']
 *       layers: [shared]
 *       subjects: ['fn:tools-*']      # full subject names, optional
 *       expires: 2027-01-01           # optional
 *   revoked: [<key hint>]             # hex sha256 of the SPKI DER (`fnguard keygen` prints it)
 */
import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { keyHint, publicKeyFrom } from '@fnguard/shield/integrity';
import { parse } from 'yaml';

export interface TrustedKey {
  id: string;
  key: KeyObject;
  hint: string;
  /** Globs on subject names: `fn:<glob>`, `layer:<glob>` or any full name. */
  subjects: string[];
  expires?: Date;
}

export interface TrustPolicy {
  file?: string;
  keys: TrustedKey[];
  revoked: Set<string>;
}

export class TrustPolicyError extends Error {}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

function strings(v: unknown, where: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' && typeof x !== 'number'))
    throw new TrustPolicyError(`${where} must be a list of names`);
  return v.map(String);
}

/** A policy that trusts the given keys for every subject (what `--key` alone means). */
export function anySubjectPolicy(keys: { id: string; key: KeyObject }[]): TrustPolicy {
  return { keys: keys.map((k) => ({ ...k, hint: keyHint(k.key), subjects: ['*'] })), revoked: new Set() };
}

export async function loadTrustPolicy(file: string): Promise<TrustPolicy> {
  let doc: unknown;
  try {
    doc = parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new TrustPolicyError(`cannot read trust policy ${file}: ${(e as Error).message}`);
  }
  const d = doc as { keys?: unknown; revoked?: unknown } | null;
  if (!d || typeof d !== 'object' || !Array.isArray(d.keys) || d.keys.length === 0)
    throw new TrustPolicyError(`${file}: expected a 'keys:' list`);
  const keys: TrustedKey[] = [];
  for (const [i, raw] of d.keys.entries()) {
    const k = raw as Record<string, unknown>;
    const where = `${file}: keys[${i}]`;
    if (!k || typeof k.publicKey !== 'string') throw new TrustPolicyError(`${where}: publicKey (a PEM file or PEM text) is required`);
    const pem = k.publicKey.includes('-----BEGIN')
      ? k.publicKey
      : await readFile(resolve(dirname(file), k.publicKey), 'utf8').catch(() => {
          throw new TrustPolicyError(`${where}: cannot read ${k.publicKey}`);
        });
    let key: KeyObject;
    try {
      key = publicKeyFrom(pem);
    } catch (e) {
      throw new TrustPolicyError(`${where}: ${(e as Error).message}`);
    }
    const subjects = [
      ...strings(k.functions, `${where}.functions`).map((f) => `fn:${f}`),
      ...strings(k.layers, `${where}.layers`).map((l) => `layer:${l}`),
      ...strings(k.subjects, `${where}.subjects`),
    ];
    if (subjects.length === 0) throw new TrustPolicyError(`${where}: list the functions, layers or subjects this key may sign`);
    const t: TrustedKey = { id: typeof k.id === 'string' ? k.id : `keys[${i}]`, key, hint: keyHint(key), subjects };
    if (k.expires !== undefined) {
      const dt = new Date(String(k.expires));
      if (Number.isNaN(dt.getTime())) throw new TrustPolicyError(`${where}.expires is not a date`);
      t.expires = dt;
    }
    keys.push(t);
  }
  return { file, keys, revoked: new Set(strings(d.revoked, `${file}: revoked`)) };
}

/** Does the policy let the key with this hint sign this subject? Returns the reason when it does not. */
export function policyRefusal(policy: TrustPolicy, hint: string, subject: string, now = new Date()): string | undefined {
  if (policy.revoked.has(hint)) return `key ${hint.slice(0, 16)}… is revoked`;
  const keys = policy.keys.filter((k) => k.hint === hint);
  if (keys.length === 0) return `wrong key: signed with key ${hint.slice(0, 16)}…, which is not trusted`;
  const live = keys.filter((k) => !k.expires || k.expires.getTime() > now.getTime());
  if (live.length === 0) return `key '${keys[0]?.id}' expired on ${keys[0]?.expires?.toISOString().slice(0, 10)}`;
  if (live.some((k) => k.subjects.some((s) => globToRegExp(s).test(subject)))) return undefined;
  return `key '${live[0]?.id}' may not sign '${subject}' (it may sign ${live.flatMap((k) => k.subjects).join(', ')})`;
}
