/**
 * Primitives shared by every secret detector: placeholder and reference rejection, secret-like
 * names, entropy and redaction. Pure, no I/O, bounded regexes.
 */

/** Values longer than this are not classified (a config value is never that long; avoids regex cost). */
export const MAX_VALUE = 10_000;

/** AWS's documented example credentials (never real). */
export const AWS_EXAMPLE_VALUES: ReadonlySet<string> = new Set([
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'ASIAIOSFODNN7EXAMPLE',
  'AKIAI44QH8DHBEXAMPLE',
  'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
]);

/** Any URL with inline credentials (`scheme://user:password@host`). */
export const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/([^:/@\s]*):([^@\s/]+)@[^\s]/i;

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

/** Shannon entropy in bits per character (UTF-16 code units; fast path for ASCII). */
export function shannonEntropy(s: string): number {
  const n = s.length;
  if (n === 0) return 0;
  const counts = new Uint32Array(128);
  let other: Map<number, number> | undefined;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 128) counts[c] = (counts[c] as number) + 1;
    else {
      other ??= new Map();
      other.set(c, (other.get(c) ?? 0) + 1);
    }
  }
  let h = 0;
  for (let c = 0; c < 128; c++) {
    const k = counts[c] as number;
    if (k === 0) continue;
    const p = k / n;
    h -= p * Math.log2(p);
  }
  if (other)
    for (const k of other.values()) {
      const p = k / n;
      h -= p * Math.log2(p);
    }
  return h;
}

/** Number of distinct characters. */
export function distinctChars(s: string): number {
  return new Set(s).size;
}

/** Redact a secret for display: `AKIA****MPLE`; short values become `****`. Never returns the value. */
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
export function isPlainUrl(v: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^\s]+$/i.test(v) && !URL_WITH_PASSWORD.test(v);
}

/** Split `dbPasswordArn` / `DB_PASSWORD_ARN` / `db.password-arn` into lower-case words. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Last words that make a secret-looking name a reference or a setting, not the secret itself. */
const REFERENCE_WORDS = new Set(
  'arn name names id ids path file param parameter url uri endpoint table bucket queue topic region ttl expiry expires expiration length len header field prefix suffix policy type version rotation count enabled min max timeout duration age ssm location hint label scope scopes audience issuer algorithm alg format mode provider strategy source host port user username owner realm domain alias usage store template rounds size limit interval schedule retries backend engine manager service class group role placeholder pattern regex regexp validator validation input error errors message msg text title description desc help key_id kms env var variable hash hashed digest fingerprint sha checksum reset forgot confirm confirmation required policy strength generator'.split(
    ' ',
  ),
);

/** True when the name looks like it holds a secret and not a reference to one. */
export function isSecretName(name: string | undefined): boolean {
  if (!name) return false;
  const n = name.trim();
  if (n.length > 200) return false;
  if (!SECRET_NAME.test(n)) return false;
  if (REFERENCE_NAME.test(n)) return false;
  const words = nameWords(n);
  const last = words[words.length - 1];
  if (last !== undefined && words.length > 1 && REFERENCE_WORDS.has(last)) return false;
  return true;
}

export function looksLikeIdentifier(v: string): boolean {
  // lower-case words joined by - _ . / (a resource name such as `orders-db-secret`), or a sentence
  if (/^[a-z]+(?:[-_./][a-z]+)*$/.test(v)) return true;
  if (/\s/.test(v) && v.split(/\s+/).length >= 3) return true;
  return false;
}
