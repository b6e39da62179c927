/**
 * The value classifier: given a name (env var, parameter, key) and a literal value, decide whether
 * the value is a hard-coded secret. Used by SEC-01/04/05/06 on IaC values; the same detectors
 * (detectors.ts) scan every text file for the CSEC rules, so both agree on what a secret is.
 * No I/O, no state; safe on hostile input (bounded regexes, length cap).
 */
import { classifyNamedValue } from './detectors.js';
import { isNonSecretValue, isSecretName, MAX_VALUE } from './primitives.js';

export {
  AWS_EXAMPLE_VALUES,
  isNonSecretValue,
  isPlainUrl,
  isSecretName,
  looksLikeIdentifier,
  nameWords,
  redact,
  shannonEntropy,
} from './primitives.js';

import { hash } from 'node:crypto';

/**
 * A short digest of a secret value for fingerprint keys: a different secret under the same name
 * is a new finding (a baseline must not hide it), the same secret keeps its fingerprint. The
 * fingerprint hashes it again; the value itself never appears.
 */
export function secretDigest(value: string): string {
  return hash('sha256', `fnguard-secret\0${value.trim()}`, 'hex').slice(0, 16);
}

export interface SecretClass {
  /** e.g. `aws-access-key-id`, `github-token`, `generic-password`. */
  kind: string;
  confidence: 'high' | 'medium';
}

/**
 * Classify a literal value. Returns null when it is not (recognizably) a secret.
 * `name` is the key it is stored under (env var, parameter, property), when known.
 */
export function classifySecret(name: string | undefined, value: string): SecretClass | null {
  if (typeof value !== 'string' || value.length > MAX_VALUE) return null;
  const c = classifyNamedValue(name, value);
  if (!c) return null;
  return { kind: c.kind, confidence: c.confidence === 'high' ? 'high' : 'medium' };
}

/**
 * A parameter / variable default that is a secret (SEC-06): a classified secret, or any
 * non-placeholder literal of 6+ characters under a secret-like name.
 */
export function classifyLiteralDefault(name: string, value: string): SecretClass | null {
  const c = classifySecret(name, value);
  if (c) return c;
  if (isSecretName(name) && !isNonSecretValue(value) && value.trim().length >= 6)
    return { kind: 'literal-secret-default', confidence: 'medium' };
  return null;
}
