/**
 * A small pure secret classifier: given a name (env var, parameter, key) and a literal value,
 * decide whether the value is a hard-coded secret. Used by SEC-01/05/06 and by the whole-repo
 * secret scanner. No I/O, no state; safe on hostile input (bounded regexes, length cap).
 *
 * Vendor token formats are public facts (documented by the vendors, catalogued by gitleaks and
 * secretlint); the expressions here are our own.
 */

import { hash } from 'node:crypto';

export interface SecretClass {
  /** e.g. `aws-access-key-id`, `github-token`, `generic-password`. */
  kind: string;
  confidence: 'high' | 'medium';
}

/** Values longer than this are not classified (a config value is never that long; avoids regex cost). */
const MAX_VALUE = 10_000;

/** AWS's documented example credentials (never real). */
const AWS_EXAMPLE_VALUES = new Set(['AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'ASIAIOSFODNN7EXAMPLE']);

interface VendorPattern {
  kind: string;
  re: RegExp;
  confidence: 'high' | 'medium';
  /** Only when the name matches (e.g. 40-char AWS secret keys look like any base64). */
  name?: RegExp;
  /** Cheap pre-filter: the regex runs only when the value contains one of these (case-sensitive). */
  keywords?: readonly string[];
}

const VENDOR_PATTERNS: readonly VendorPattern[] = [
  { kind: 'private-key', re: /-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----/, confidence: 'high', keywords: ['PRIVATE KEY'] },
  {
    kind: 'aws-access-key-id',
    re: /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Z0-9])/,
    confidence: 'high',
    keywords: ['AKIA', 'ASIA', 'ABIA', 'ACCA'],
  },
  {
    kind: 'aws-secret-access-key',
    re: /^[A-Za-z0-9/+]{40}$/,
    confidence: 'high',
    name: /aws.{0,20}secret|secret.?access.?key|aws.?sak/i,
  },
  {
    kind: 'github-token',
    re: /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,255}(?![A-Za-z0-9_])/,
    confidence: 'high',
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
  },
  { kind: 'github-token', re: /github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}/, confidence: 'high', keywords: ['github_pat_'] },
  { kind: 'gitlab-token', re: /glpat-[A-Za-z0-9_-]{20,}/, confidence: 'high', keywords: ['glpat-'] },
  { kind: 'slack-token', re: /xox[bpaors]-[A-Za-z0-9-]{10,}/, confidence: 'high', keywords: ['xox'] },
  {
    kind: 'slack-webhook',
    re: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/_-]{20,}/,
    confidence: 'high',
    keywords: ['hooks.slack.com'],
  },
  { kind: 'stripe-key', re: /(?<![A-Za-z0-9])(?:sk|rk)_live_[A-Za-z0-9]{20,}/, confidence: 'high', keywords: ['_live_'] },
  { kind: 'stripe-test-key', re: /(?<![A-Za-z0-9])(?:sk|rk)_test_[A-Za-z0-9]{20,}/, confidence: 'medium', keywords: ['_test_'] },
  { kind: 'sendgrid-key', re: /SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}/, confidence: 'high', keywords: ['SG.'] },
  { kind: 'twilio-api-key', re: /(?<![A-Za-z0-9])SK[0-9a-f]{32}(?![A-Za-z0-9])/, confidence: 'high', keywords: ['SK'] },
  { kind: 'twilio-auth-token', re: /^[0-9a-f]{32}$/, confidence: 'high', name: /twilio/i },
  { kind: 'google-api-key', re: /AIza[0-9A-Za-z_-]{35}/, confidence: 'high', keywords: ['AIza'] },
  { kind: 'npm-token', re: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/, confidence: 'high', keywords: ['npm_'] },
  { kind: 'jwt', re: /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/, confidence: 'medium', keywords: ['eyJ'] },
];

/** Database / broker URLs with an inline password: `postgres://user:pass@host/db`. */
const DB_URL =
  /^(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|oracle|cockroachdb):\/\/([^:/@\s]*):([^@\s/]+)@/i;
/** Any other URL with inline credentials. */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/([^:/@\s]+):([^@\s/]+)@[^\s]/i;

/** Names that suggest the value is a secret. */
const SECRET_NAME =
  /(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_.-]?key|apikey|private[_.-]?key|credential|auth[_.-]?key|access[_.-]?key|signing[_.-]?key|encryption[_.-]?key|session[_.-]?key|master[_.-]?key|client[_.-]?secret|webhook|bearer|cookie[_.-]?secret|jwt[_.-]?key|salt)/i;

/**
 * Names whose value is a reference to a secret, not the secret (`DB_SECRET_ARN`, `TOKEN_TABLE`,
 * `PASSWORD_PARAM_NAME`, `SECRET_TTL`...).
 */
const REFERENCE_NAME =
  /(?:[_.-]|^)(?:arn|name|names|id|ids|path|file|param|parameter|key[_.-]?id|url|uri|endpoint|table|bucket|queue|topic|region|ttl|expiry|expires|expiration|length|len|header|field|prefix|suffix|policy|type|version|rotation|count|enabled|min|max|timeout|duration|age|ssm|location|hint|label|scope|scopes|audience|issuer|algorithm|alg|format|mode|provider|strategy|source|host|port|user|username|owner|realm|domain|alias|usage|store|template|rounds|size|limit|interval|schedule|retries|backend|engine|manager|service|class|group|role)$/i;

/** Common placeholder values (whole-value matches). */
const PLACEHOLDER =
  /^(?:change[-_ .]?me|change[-_ .]?it|x{3,}|\*{3,}|\.{3,}|-+|placeholder|dummy|example|sample|test(?:ing)?|todo|tbd|fixme|none|null|nil|undefined|empty|default|secret|password|passwd|token|api[-_]?key|your[-_ .].*|my[-_ .]?(?:secret|password|token|key)|replace[-_ .]?me|insert[-_ .].*|fill[-_ .]?in|redacted|hidden|not[-_ .]?set|n\/a)$/i;

/** Placeholder fragments anywhere in the value. */
const PLACEHOLDER_FRAGMENT =
  /example|placeholder|changeme|change_me|dummy|redacted|your[-_]?(?:api[-_]?)?(?:key|token|secret|password)|x{6,}|\*{6,}/i;

/** Template / interpolation syntaxes: `${X}`, `{{ x }}`, `%X%`, `$X`, `<x>`, `#{x}`. */
const TEMPLATE =
  /^(?:\$\{[^}]*\}|\{\{[^}]*\}\}|%[A-Za-z0-9_]+%|\$[A-Za-z_][A-Za-z0-9_]*|<[^>]*>|#\{[^}]*\}|\$\([^)]*\))$|\$\{[^}]*\}|\{\{\s*resolve:/;

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  const n = [...s].length;
  for (const c of counts.values()) {
    const p = c / n;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Redact a secret for display: `AKIA****MPLE`; short values become `****`. Never returns the value. */
/**
 * A short digest of a secret value for fingerprint keys: a different secret under the same name
 * is a new finding (a baseline must not hide it), the same secret keeps its fingerprint. The
 * fingerprint hashes it again; the value itself never appears.
 */
export function secretDigest(value: string): string {
  return hash('sha256', `fnguard-secret\0${value.trim()}`, 'hex').slice(0, 16);
}

export function redact(value: string): string {
  const v = value.trim();
  if (v.length < 12) return '****';
  return `${v.slice(0, 4)}****${v.slice(-4)}`;
}

/** True when the value is obviously not a secret: empty, a placeholder, a template, a boolean/number, an ARN, a path. */
export function isNonSecretValue(value: string): boolean {
  const v = value.trim();
  if (v.length === 0) return true;
  if (AWS_EXAMPLE_VALUES.has(v)) return true;
  if (PLACEHOLDER.test(v) || PLACEHOLDER_FRAGMENT.test(v)) return true;
  if (TEMPLATE.test(v)) return true;
  if (/^(?:true|false|yes|no|on|off|enabled|disabled)$/i.test(v)) return true;
  if (/^[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?$/i.test(v)) return true;
  if (/^(.)\1+$/.test(v)) return true;
  if (/^arn:[a-z-]*:/i.test(v)) return true;
  if (/^alias\/[A-Za-z0-9/_-]+$/.test(v)) return true;
  if (/^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)[^\s]*$/.test(v) && !/-----BEGIN/.test(v)) return true;
  return false;
}

/** A URL (scheme://...) without inline credentials. */
function isPlainUrl(v: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^\s]+$/i.test(v) && !URL_WITH_PASSWORD.test(v);
}

/** True when the name looks like it holds a secret and not a reference to one. */
export function isSecretName(name: string | undefined): boolean {
  if (!name) return false;
  const n = name.trim();
  if (!SECRET_NAME.test(n)) return false;
  if (REFERENCE_NAME.test(n)) return false;
  return true;
}

function looksLikeIdentifier(v: string): boolean {
  // lower-case words joined by - _ . / (a resource name such as `orders-db-secret`), or a sentence
  if (/^[a-z]+(?:[-_./][a-z]+)*$/.test(v)) return true;
  if (/\s/.test(v) && v.split(/\s+/).length >= 3) return true;
  return false;
}

/**
 * Classify a literal value. Returns null when it is not (recognizably) a secret.
 * `name` is the key it is stored under (env var, parameter, property), when known.
 */
export function classifySecret(name: string | undefined, value: string): SecretClass | null {
  if (typeof value !== 'string') return null;
  if (value.length > MAX_VALUE) return null;
  const v = value.trim();
  if (isNonSecretValue(v)) return null;

  for (const p of VENDOR_PATTERNS) {
    if (p.name && !(name && p.name.test(name))) continue;
    if (p.keywords && !p.keywords.some((k) => v.includes(k))) continue;
    const m = p.re.exec(v);
    if (!m) continue;
    if (AWS_EXAMPLE_VALUES.has(m[0])) continue;
    return { kind: p.kind, confidence: p.confidence };
  }

  const db = DB_URL.exec(v);
  if (db) {
    const pw = db[2] ?? '';
    if (!isNonSecretValue(pw) && !/^\$|^\{\{/.test(pw)) return { kind: 'database-url-password', confidence: 'high' };
    return null;
  }
  const url = URL_WITH_PASSWORD.exec(v);
  if (url) {
    const pw = url[2] ?? '';
    if (!isNonSecretValue(pw) && !/^\$|^\{\{/.test(pw)) return { kind: 'url-with-password', confidence: 'medium' };
    return null;
  }

  if (!isSecretName(name)) return null;
  if (isPlainUrl(v)) return null;
  if (v.length < 8) return null;
  if (looksLikeIdentifier(v)) return null;
  const distinct = new Set(v).size;
  if (distinct < 5) return null;
  const h = shannonEntropy(v);
  if (h < 2.8) return null;
  const kind = /pass|pwd/i.test(name ?? '') ? 'generic-password' : 'generic-secret';
  const confidence = h >= 3.8 && v.length >= 16 ? 'high' : 'medium';
  return { kind, confidence };
}
