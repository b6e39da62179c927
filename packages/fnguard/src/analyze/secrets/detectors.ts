/**
 * The secret detectors: one catalogue shared by the file scanner (every discovered text file) and
 * by `classifySecret()` (IaC environment variables, stage variables, parameter defaults).
 *
 * Each detector names the anchors (case-insensitive keywords) that must occur before it runs; the
 * anchors of every detector are compiled into one automaton (anchors.ts), so a file is read once
 * and a detector only looks at the text around its anchor, with sticky (position-anchored)
 * regexes whose character classes cannot overlap their delimiters (linear time, no backtracking
 * blow-up on hostile input).
 *
 * Vendor token formats are public facts (documented by the vendors, catalogued by gitleaks and
 * secretlint); the expressions and code here are our own.
 */
import { type AnchorSet, buildAnchorSet } from './anchors.js';
import {
  AWS_EXAMPLE_VALUES,
  distinctChars,
  isNonSecretValue,
  isPlainUrl,
  isSecretName,
  looksLikeIdentifier,
  nameWords,
  shannonEntropy,
} from './primitives.js';
import { isNameCode, isWordCode, lastIndexWithin, matchAt, readStringLiteral, skipArgument, skipBlanks, skipSpace } from './text.js';

/** The CSEC rule that reports each kind. */
export type SecretRuleId = 'CSEC-01' | 'CSEC-02' | 'CSEC-03' | 'CSEC-04' | 'CSEC-05' | 'CSEC-06' | 'CSEC-07';

export type Confidence = 'high' | 'medium' | 'low';

/** One secret found in a text. `value` is the secret itself: never print it, use `redact()`. */
export interface SecretHit {
  /** e.g. `aws-access-key-id`, `github-token`, `generic-password`, `env-fallback`. */
  kind: string;
  rule: SecretRuleId;
  confidence: Confidence;
  /** Span of the secret in the text (UTF-16 indices, end exclusive). */
  start: number;
  end: number;
  value: string;
  /** The variable / key / env var the value is assigned to, when known. */
  name?: string;
  /** How it was found, for the message: `the fallback of process.env.X`, `the key of jwt.sign()`. */
  context?: string;
  /** Higher wins when two hits overlap. */
  priority: number;
}

/** What a detector knows about the text it reads. */
export interface DetectContext {
  text: string;
  /** Unquoted `key: value` / `KEY=value` are values (YAML, .env, ini, properties, shell); in code they are expressions. */
  configLike: boolean;
  /** Run the generic (name + entropy) detectors: off for lockfiles and minified bundles. */
  generic: boolean;
}

/** A check on the raw bytes after an anchor (end offset): false drops the hit before the file is even decoded. */
export type BytePrefilter = (bytes: Uint8Array, end: number, length: number) => boolean;

interface Detector {
  /** Case-insensitive anchors. */
  anchors: readonly string[];
  prefilter?: BytePrefilter;
  /** `start`/`end`: the anchor occurrence in `ctx.text`. */
  match(ctx: DetectContext, start: number, end: number): SecretHit | null;
}

const PRIO_VENDOR = 4;
const PRIO_KEY = 3;
const PRIO_URL = 2;
const PRIO_GENERIC = 1;

function hit(
  kind: string,
  rule: SecretRuleId,
  confidence: Confidence,
  text: string,
  start: number,
  end: number,
  priority: number,
  extra: Partial<SecretHit> = {},
): SecretHit {
  return { kind, rule, confidence, start, end, value: text.slice(start, end), priority, ...extra };
}

function codeAt(text: string, i: number): number {
  return i >= 0 && i < text.length ? text.charCodeAt(i) : 0;
}

/** A token detector: a sticky regex at the anchor (shifted by `back`), with word boundaries around the match. */
function token(
  anchors: readonly string[],
  re: RegExp,
  kind: string,
  rule: SecretRuleId,
  confidence: Confidence,
  opts: { back?: number; boundary?: (c: number) => boolean; check?: (v: string) => boolean; group?: number } = {},
): Detector {
  const boundary = opts.boundary ?? isWordCode;
  return {
    anchors,
    match(ctx, start) {
      const pos = start - (opts.back ?? 0);
      if (boundary(codeAt(ctx.text, pos - 1))) return null;
      const m = matchAt(re, ctx.text, pos);
      if (!m) return null;
      const end = pos + m[0].length;
      if (boundary(codeAt(ctx.text, end))) return null;
      let s = pos;
      let e = end;
      if (opts.group !== undefined) {
        const g = m[opts.group];
        if (g === undefined) return null;
        s = pos + m[0].indexOf(g);
        e = s + g.length;
      }
      const v = ctx.text.slice(s, e);
      if (AWS_EXAMPLE_VALUES.has(v) || /EXAMPLE|X{8,}|x{8,}|0{12,}/.test(v)) return null;
      if (opts.check && !opts.check(v)) return null;
      return hit(kind, rule, confidence, ctx.text, s, e, PRIO_VENDOR);
    },
  };
}

const notTokenChar = (c: number) => isWordCode(c) || c === 45;

/* ------------------------------------------------------------------------------------------ */
/* Private keys                                                                                */
/* ------------------------------------------------------------------------------------------ */

const PEM_BEGIN = /-----BEGIN ((?:[A-Z0-9]{1,12} ){0,3})PRIVATE KEY(?: BLOCK)?-----/y;

/** Count base64 body characters after the header (skipping line breaks, `\n` escapes, quotes, indentation). */
function pemBodyLength(text: string, from: number): { chars: number; end: number } {
  const limit = Math.min(text.length, from + 20_000);
  let chars = 0;
  let i = from;
  for (; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 45 && text.startsWith('-----END', i)) {
      const close = text.indexOf('-----', i + 8);
      return { chars, end: close < 0 ? i + 8 : close + 5 };
    }
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 43 || c === 47 || c === 61) chars++;
    else if (c === 92 && (text.charCodeAt(i + 1) === 110 || text.charCodeAt(i + 1) === 114)) i++;
    else if (c !== 10 && c !== 13 && c !== 32 && c !== 9 && c !== 34 && c !== 39 && c !== 44 && c !== 58) {
      // a header line such as `Proc-Type: 4,ENCRYPTED` keeps going; anything else ends the body
      if (chars > 0) break;
    }
  }
  return { chars, end: i };
}

const privateKey: Detector = {
  anchors: ['-----begin '],
  match(ctx, start) {
    const m = matchAt(PEM_BEGIN, ctx.text, start);
    if (!m) return null;
    const headerEnd = start + m[0].length;
    const body = pemBodyLength(ctx.text, headerEnd);
    // a real key body is hundreds of base64 characters; `...` or a truncated sample is not
    if (body.chars < 64) return null;
    const bodyText = ctx.text.slice(headerEnd, Math.min(body.end, headerEnd + 4000));
    if (/\.\.\.|x{8,}|X{8,}|EXAMPLE|<[a-z -]+>/.test(bodyText)) return null;
    const type = (m[1] ?? '').trim();
    const encrypted = type === 'ENCRYPTED' || /Proc-Type: 4,ENCRYPTED/.test(bodyText);
    // a Google Cloud service account key file embeds its private key
    const around = ctx.text.slice(Math.max(0, start - 3000), Math.min(ctx.text.length, body.end + 3000));
    if (/"type"\s*:\s*"service_account"/.test(around) || /"private_key_id"\s*:/.test(around))
      return hit('gcp-service-account-key', 'CSEC-04', 'high', ctx.text, start, body.end, PRIO_VENDOR);
    return hit(
      encrypted ? 'encrypted-private-key' : 'private-key',
      'CSEC-03',
      encrypted ? 'medium' : 'high',
      ctx.text,
      start,
      body.end,
      PRIO_VENDOR,
      {
        ...(type && !encrypted ? { context: `${type} key` } : {}),
      },
    );
  },
};

const puttyKey: Detector = {
  anchors: ['putty-user-key-file-'],
  match(ctx, start) {
    const m = matchAt(/PuTTY-User-Key-File-\d: [a-z0-9-]+\r?\nEncryption: ([a-z0-9-]+)/y, ctx.text, start);
    if (!m) return null;
    const priv = ctx.text.indexOf('Private-Lines:', start);
    if (priv < 0 || priv - start > 4000) return null;
    return hit('putty-private-key', 'CSEC-03', m[1] === 'none' ? 'high' : 'medium', ctx.text, start, priv, PRIO_VENDOR);
  },
};

/* ------------------------------------------------------------------------------------------ */
/* Vendor tokens                                                                                */
/* ------------------------------------------------------------------------------------------ */

const awsKeyId = token(
  ['akia', 'asia', 'abia', 'acca', 'a3t'],
  /(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}/y,
  'aws-access-key-id',
  'CSEC-01',
  'high',
  { check: (v) => shannonEntropy(v) >= 3 },
);

const VENDOR: readonly Detector[] = [
  privateKey,
  puttyKey,
  awsKeyId,
  token(['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'], /gh[pousr]_[A-Za-z0-9]{36,251}/y, 'github-token', 'CSEC-04', 'high', {
    check: (v) => shannonEntropy(v.slice(4)) >= 3,
  }),
  token(['github_pat_'], /github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}/y, 'github-token', 'CSEC-04', 'high'),
  token(['glpat-', 'gldt-', 'glrt-', 'glptt-'], /gl(?:pat|dt|rt|ptt)-[A-Za-z0-9_-]{20,64}/y, 'gitlab-token', 'CSEC-04', 'high', {
    boundary: notTokenChar,
    check: (v) => shannonEntropy(v) >= 3,
  }),
  token(
    ['xoxb-', 'xoxp-', 'xoxa-', 'xoxr-', 'xoxs-', 'xoxe-', 'xoxo-'],
    /xox[bparseo](?:-[A-Za-z0-9]{1,64}){2,6}/y,
    'slack-token',
    'CSEC-04',
    'high',
    { boundary: notTokenChar, check: (v) => v.length >= 30 && shannonEntropy(v) >= 3 },
  ),
  token(['xapp-'], /xapp-\d-[A-Z0-9]{6,16}-\d{6,16}-[a-f0-9]{32,80}/y, 'slack-app-token', 'CSEC-04', 'high', { boundary: notTokenChar }),
  {
    anchors: ['hooks.slack.com/'],
    match(ctx, start) {
      const m = matchAt(
        /hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_-]{6,20}\/[A-Za-z0-9_-]{6,20}\/[A-Za-z0-9_-]{16,64}/y,
        ctx.text,
        start,
      );
      if (!m) return null;
      const s = ctx.text.startsWith('https://', start - 8) ? start - 8 : start;
      const v = m[0];
      if (/X{6,}|x{6,}|EXAMPLE/.test(v)) return null;
      return hit('slack-webhook', 'CSEC-04', 'high', ctx.text, s, start + v.length, PRIO_VENDOR);
    },
  },
  token(['k_live_'], /[sr]k_live_[A-Za-z0-9]{20,247}/y, 'stripe-key', 'CSEC-04', 'high', { back: 1 }),
  token(['k_test_'], /[sr]k_test_[A-Za-z0-9]{20,247}/y, 'stripe-test-key', 'CSEC-04', 'medium', { back: 1 }),
  token(['sg.'], /SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}/y, 'sendgrid-key', 'CSEC-04', 'high', { boundary: notTokenChar }),
  token(['aiza'], /AIza[0-9A-Za-z_-]{35}/y, 'google-api-key', 'CSEC-04', 'high', { boundary: notTokenChar }),
  token(['npm_'], /npm_[A-Za-z0-9]{36}/y, 'npm-token', 'CSEC-04', 'high', { check: (v) => shannonEntropy(v) >= 3.5 }),
  token(['sk-ant-'], /sk-ant-[a-z0-9]{2,10}-[A-Za-z0-9_-]{80,120}/y, 'anthropic-key', 'CSEC-04', 'high', { boundary: notTokenChar }),
  {
    // OpenAI keys carry the base64 of "OpenAI" (T3BlbkFJ) in the middle
    anchors: ['t3blbkfj'],
    match(ctx, start) {
      const from = lastIndexWithin(ctx.text, 'sk-', start, 200);
      if (from < 0) return null;
      const m = matchAt(/sk-(?:[a-z]{2,8}-)?[A-Za-z0-9_-]{16,164}T3BlbkFJ[A-Za-z0-9_-]{16,164}/y, ctx.text, from);
      if (!m || notTokenChar(codeAt(ctx.text, from - 1)) || notTokenChar(codeAt(ctx.text, from + m[0].length))) return null;
      return hit('openai-key', 'CSEC-04', 'high', ctx.text, from, from + m[0].length, PRIO_VENDOR);
    },
  },
  {
    // Twilio API keys (SK + 32 hex) only count next to the word "twilio": `SK` alone is too common an anchor
    anchors: ['twilio'],
    match(ctx, start) {
      const from = Math.max(0, start - 300);
      const window = ctx.text.slice(from, Math.min(ctx.text.length, start + 300));
      const m = /(?<![A-Za-z0-9])SK[0-9a-f]{32}(?![A-Za-z0-9])/.exec(window);
      if (!m || /^SK0{32}$/.test(m[0])) return null;
      const s = from + m.index;
      return hit('twilio-api-key', 'CSEC-04', 'high', ctx.text, s, s + m[0].length, PRIO_VENDOR);
    },
  },
  token(['accountkey='], /AccountKey=([A-Za-z0-9+/]{86}==)/y, 'azure-storage-key', 'CSEC-05', 'high', {
    boundary: () => false,
    group: 1,
  }),
  token(['sharedaccesskey='], /SharedAccessKey=([A-Za-z0-9+/]{43}=)/y, 'azure-shared-access-key', 'CSEC-05', 'high', {
    boundary: () => false,
    group: 1,
  }),
];

/* ------------------------------------------------------------------------------------------ */
/* JWTs                                                                                         */
/* ------------------------------------------------------------------------------------------ */

function base64UrlJson(part: string): Record<string, unknown> | null {
  try {
    const json = Buffer.from(part.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    const v: unknown = JSON.parse(json);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const signedJwt: Detector = {
  anchors: ['eyj'],
  match(ctx, start) {
    if (notTokenChar(codeAt(ctx.text, start - 1))) return null;
    const m = matchAt(/eyJ[A-Za-z0-9_-]{8,2000}\.eyJ[A-Za-z0-9_-]{8,8000}\.([A-Za-z0-9_-]{20,1000})/y, ctx.text, start);
    if (!m) return null;
    const end = start + m[0].length;
    if (notTokenChar(codeAt(ctx.text, end))) return null;
    const [h] = m[0].split('.');
    const header = base64UrlJson(h ?? '');
    if (!header || typeof header.alg !== 'string' || header.alg.toLowerCase() === 'none') return null;
    return hit('jwt', 'CSEC-06', 'medium', ctx.text, start, end, PRIO_VENDOR);
  },
};

/** Weak values that are still a finding as a JWT signing key (`jwt.sign(p, 'secret')`); only masks and templates are not. */
function isMaskOrTemplate(v: string): boolean {
  const t = v.trim();
  if (t.length === 0) return true;
  if (
    /^(?:x{3,}|\*{3,}|\.{3,}|<[^>]*>|\$\{[^}]*\}|\{\{[^}]*\}\}|%[A-Za-z0-9_]+%|\$[A-Za-z_][A-Za-z0-9_]*|change[-_ .]?me|your[-_ .].*|replace[-_ .]?me|redacted)$/i.test(
      t,
    )
  )
    return true;
  return /\$\{|\{\{/.test(t);
}

/**
 * A call written as an example rather than code: in Markdown inline code (`` `jwt.sign(p, 'x')` ``) or
 * on a comment line (`//`, `#`, `*`). Only used by the call-shaped JWT detectors, whose literals are
 * often weak words in documentation.
 */
const DOC_LINE_MAX = 4096;

function inDocumentation(text: string, pos: number): boolean {
  if (text.charCodeAt(pos - 1) === 96) return true;
  const nl = lastIndexWithin(text, '\n', pos - 1, DOC_LINE_MAX);
  // a line this long is code (minified or generated), not a comment or Markdown line
  if (nl < 0 && pos - 1 > DOC_LINE_MAX) return false;
  const ls = nl + 1;
  const p = skipBlanks(text, ls, 200);
  const c = text.charCodeAt(p);
  return c === 35 || c === 42 || (c === 47 && (text.charCodeAt(p + 1) === 47 || text.charCodeAt(p + 1) === 42));
}

/** `jwt.sign(payload, 'key')`, `jwt.verify(token, 'key')`, `jwt.encode(payload, 'key')` (PyJWT), `jws.sign(...)`. */
const jwtCall: Detector = {
  anchors: ['jwt.sign(', 'jwt.verify(', 'jwt.encode(', 'jwt.decode(', 'jws.sign(', 'jsonwebtoken.sign(', 'jsonwebtoken.verify('],
  match(ctx, start, end) {
    if (isWordCode(codeAt(ctx.text, start - 1)) || inDocumentation(ctx.text, start)) return null;
    const comma = skipArgument(ctx.text, end);
    if (comma < 0) return null;
    const p = skipSpace(ctx.text, comma + 1);
    const lit = readStringLiteral(ctx.text, p);
    if (!lit || isMaskOrTemplate(lit.value) || lit.value.length < 3) return null;
    return hit('jwt-signing-secret', 'CSEC-06', 'high', ctx.text, lit.start, lit.end, PRIO_KEY, {
      context: `the key of ${ctx.text.slice(start, end)})`,
    });
  },
};

/** express-jwt `expressjwt({ secret: 'x' })` / `jwt({ secret: 'x' })`, passport-jwt `secretOrKey: 'x'`. */
const JWT_SECRET_OPTION = /[^;()]{0,300}?\bsecret["']?\s{0,5}:\s{0,5}/y;
const jwtOption: Detector = {
  anchors: ['secretorkey', 'expressjwt(', 'jwt({'],
  match(ctx, start, end) {
    const text = ctx.text;
    if (inDocumentation(text, start)) return null;
    let p: number;
    let context: string;
    if ((text.charCodeAt(start) | 32) === 115) {
      // secretOrKey
      const m = matchAt(/["']?\s{0,5}:\s{0,5}/y, text, end);
      if (!m) return null;
      p = end + m[0].length;
      context = 'the passport-jwt secretOrKey';
    } else {
      if (isWordCode(codeAt(text, start - 1))) return null;
      const m = matchAt(JWT_SECRET_OPTION, text, end);
      if (!m) return null;
      p = end + m[0].length;
      context = 'the secret of the JWT middleware';
    }
    const lit = readStringLiteral(text, p);
    if (!lit || isMaskOrTemplate(lit.value) || lit.value.length < 3) return null;
    return hit('jwt-signing-secret', 'CSEC-06', 'high', text, lit.start, lit.end, PRIO_KEY + 1, { context });
  },
};

/* ------------------------------------------------------------------------------------------ */
/* URLs and connection strings                                                                  */
/* ------------------------------------------------------------------------------------------ */

const DB_SCHEMES =
  /^(?:postgres(?:ql)?|mysql|mysqlx|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|oracle|cockroachdb|clickhouse|neo4j(?:\+s)?|couchdb|elasticsearch|kafka|nats|ldaps?|jdbc:[a-z]+)$/i;

const URL_CREDS = /([^:/@\s'"`<>]{1,128}):([^@\s'"`<>/]{1,256})@([A-Za-z0-9[][A-Za-z0-9.:\]-]{0,252})/y;

function isPlaceholderPassword(pw: string, user: string): boolean {
  if (isNonSecretValue(pw)) return true;
  if (
    /^(?:pass|pwd|pw|passw|p@ss|p@ssw0rd|password\d?|secret|\*+|x+|\.+|_+|-+|\d{1,4}|[a-z]|user|admin|root|guest|postgres|mysql|mongo|redis|test|dev|local)$/i.test(
      pw,
    )
  )
    return true;
  if (pw === user) return true;
  if (/^[$%{<[]/.test(pw) || /\$\{|\{\{|%[A-Z_]+%|<[^>]*>/.test(pw)) return true;
  return false;
}

/** An `@` before the URL ends (whitespace, a quote, `<`, `>`, or the first `/` of the path). */
const atBeforeUrlEnd: BytePrefilter = (bytes, end, length) => {
  const limit = Math.min(length, end + 400);
  for (let i = end; i < limit; i++) {
    const c = bytes[i] as number;
    if (c === 64) return true;
    if (c <= 32 || c === 34 || c === 39 || c === 96 || c === 60 || c === 62 || c === 47) return false;
  }
  return false;
};

const urlWithCredentials: Detector = {
  anchors: ['://'],
  prefilter: atBeforeUrlEnd,
  match(ctx, start, end) {
    // most URLs have no `@` before their end: find out with a plain loop first
    const text = ctx.text;
    const limit = Math.min(text.length, end + 400);
    let at = -1;
    for (let i = end; i < limit; i++) {
      const c = text.charCodeAt(i);
      if (c === 64) {
        at = i;
        break;
      }
      if (c <= 32 || c === 34 || c === 39 || c === 96 || c === 60 || c === 62 || c === 47) break;
    }
    if (at < 0) return null;
    // scheme before `://`
    let s = start;
    const min = Math.max(0, start - 24);
    while (s > min) {
      const c = ctx.text.charCodeAt(s - 1);
      if (isWordCode(c) || c === 43 || c === 46 || c === 45 || c === 58) s--;
      else break;
    }
    const scheme = ctx.text.slice(s, start);
    if (!/^[A-Za-z][A-Za-z0-9+.:-]*$/.test(scheme)) return null;
    const m = matchAt(URL_CREDS, ctx.text, end);
    if (!m) return null;
    const user = m[1] ?? '';
    const pw = m[2] ?? '';
    const host = (m[3] ?? '').toLowerCase();
    if (user.includes('/') || user.includes('\\') || pw.includes('\\') || isPlaceholderPassword(pw, user)) return null;
    const hostName = host.replace(/:\d+$/, '');
    if (/(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid|host|hostname|server|domain\.com|your[-_]?host.*)$/.test(hostName))
      return null;
    const pwStart = end + user.length + 1;
    const db = DB_SCHEMES.test(scheme);
    const local = /^(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]|db|database|postgres|mysql|mongo|mongodb|redis|rabbitmq)(?::\d+)?$/.test(
      host,
    );
    return hit(
      db ? 'database-url-password' : 'url-with-password',
      'CSEC-05',
      local ? 'low' : db ? 'high' : 'medium',
      ctx.text,
      pwStart,
      pwStart + pw.length,
      PRIO_URL,
      {
        context: `the password of a ${scheme} URL${local ? ' to a local host' : ''}`,
      },
    );
  },
};

/** ADO.NET / ODBC style `Server=...;User Id=...;Password=...;` */
const connectionStringPassword: Detector = {
  anchors: ['password=', 'pwd='],
  match(ctx, start, end) {
    if (isWordCode(codeAt(ctx.text, start - 1))) return null;
    const ls = Math.max(0, lastIndexWithin(ctx.text, '\n', start, 400) + 1, start - 400);
    const before = ctx.text.slice(ls, start);
    if (!/(?:^|[;"'\s])(?:server|data source|host|address|addr|network address)\s*=/i.test(before) || !before.includes(';')) return null;
    const m = matchAt(/([^;"'\s`]{1,256})/y, ctx.text, end);
    if (!m) return null;
    const pw = m[1] ?? '';
    if (isPlaceholderPassword(pw, '')) return null;
    return hit('connection-string-password', 'CSEC-05', 'high', ctx.text, end, end + pw.length, PRIO_URL, {
      context: 'the password of a connection string',
    });
  },
};

/* ------------------------------------------------------------------------------------------ */
/* Named values: generic secrets, AWS secret keys, env fallbacks                                */
/* ------------------------------------------------------------------------------------------ */

const AWS_SECRET_NAME = /aws.{0,20}secret|secret.?access.?key|aws.?sak/i;

/** A name that is a secret-like word inside ordinary code (`tokenizer`, `passport`, `bypass`). */
function codeFalseName(name: string): boolean {
  const words = nameWords(name);
  return words.some((w) =>
    /^(?:tokens?i[sz]e[rd]?|tokeni[sz]ation|secrets?manager|passport|bypass|compass|passthrough|passive|passenger|password(?:less)?s?form|secretary|salts?alt|saltstack)$/.test(
      w,
    ),
  );
}

export interface NamedClass {
  kind: string;
  rule: SecretRuleId;
  confidence: Confidence;
}

/**
 * Classify a literal stored under a name: the core shared by the file scanner (assignments, env
 * fallbacks) and `classifySecret()` (IaC). Vendor formats first (anywhere in the value), then
 * URLs with credentials, name-keyed formats (AWS secret keys, Twilio auth tokens), then generic
 * high-entropy values under secret-like names.
 */
export function classifyNamedValue(
  name: string | undefined,
  value: string,
  opts: { strict?: boolean; fallback?: boolean } = {},
): (NamedClass & { start: number; end: number; inValue?: boolean }) | null {
  const v = value;
  if (v.length === 0 || v.length > 10_000) return null;
  const inner = detectInValue(v);
  if (inner) return { kind: inner.kind, rule: inner.rule, confidence: inner.confidence, start: inner.start, end: inner.end, inValue: true };
  const t = v.trim();
  if (isNonSecretValue(t)) return null;
  const lead = v.indexOf(t);
  const span = { start: lead, end: lead + t.length };
  if (name && AWS_SECRET_NAME.test(name) && /^[A-Za-z0-9/+]{40}$/.test(t) && shannonEntropy(t) >= 3.5)
    return { kind: 'aws-secret-access-key', rule: 'CSEC-02', confidence: 'high', ...span };
  if (/^SK[0-9a-f]{32}$/.test(t) && shannonEntropy(t) >= 3) return { kind: 'twilio-api-key', rule: 'CSEC-04', confidence: 'high', ...span };
  if (name && /twilio/i.test(name) && /token|secret/i.test(name) && /^[0-9a-f]{32}$/.test(t))
    return { kind: 'twilio-auth-token', rule: 'CSEC-04', confidence: 'high', ...span };
  if (!isSecretName(name)) return null;
  if (opts.strict && codeFalseName(name ?? '')) return null;
  if (isPlainUrl(t)) return null;
  const password = /pass|pwd/i.test(name ?? '');
  const kind = opts.fallback ? 'env-fallback' : password ? 'generic-password' : 'generic-secret';
  const h = shannonEntropy(t);
  if (opts.fallback) {
    // the default of a secret-named env var is the secret wherever the variable is not set
    if (t.length < 6 || distinctChars(t) < 4 || /\s/.test(t)) return null;
    return { kind, rule: 'CSEC-07', confidence: h >= 3.5 && t.length >= 16 ? 'high' : 'medium', ...span };
  }
  if (t.length < 8) return null;
  if (looksLikeIdentifier(t)) return null;
  if (distinctChars(t) < 5) return null;
  if (opts.strict) {
    // in source files, names like `token` are everywhere: ask for more (gitleaks: entropy 3.5)
    if (/\s/.test(t) || /^[A-Za-z]+(?:[A-Z][a-z]+)+$/.test(t) || /^[\w-]+(?:\.[\w-]+){2,}$/.test(t) || /^[a-z]+(?:_[a-z]+)+$/i.test(t))
      return null;
    if (/^(?:#?[0-9a-f]{3,8}|[0-9a-f]{8}-[0-9a-f]{4}-0{4}-[0-9a-f]{4}-0{12})$/i.test(t)) return null;
    if (/^[a-z]+\/[a-z0-9.+-]+$/i.test(t) || /[(){}<>;]/.test(t) || /^\W/.test(t)) return null;
    const minH = password ? 3.0 : 3.5;
    if (h < minH || t.length < (password ? 8 : 12)) return null;
    if (password && !/[0-9]/.test(t) && !/[^A-Za-z0-9]/.test(t) && !(/[a-z]/.test(t) && /[A-Z]/.test(t))) return null;
  } else if (h < 2.8) return null;
  const confidence: Confidence = h >= 3.8 && t.length >= 16 ? 'high' : 'medium';
  return { kind, rule: 'CSEC-07', confidence, ...span };
}

/** Read the value after `name` and an assignment operator at `pos`, as written in code or config. */
function readAssignedValue(ctx: DetectContext, pos: number): { value: string; start: number; end: number } | null {
  const text = ctx.text;
  let p = skipBlanks(text, pos, 10);
  const c = text.charCodeAt(p);
  let op = false;
  if (c === 61) {
    // `=`, not `==`, `===`, `=>`
    const n = text.charCodeAt(p + 1);
    if (n === 61 || n === 62) return null;
    p++;
    op = true;
  } else if (c === 58) {
    // `:` or `:=`; in config files `key:value` without a blank is not a mapping
    p += text.charCodeAt(p + 1) === 61 ? 2 : 1;
    const n = text.charCodeAt(p);
    if (ctx.configLike && n !== 32 && n !== 9 && n !== 34 && n !== 39) return null;
    op = true;
  } else if ((c === 124 || c === 63 || c === 38) && text.charCodeAt(p + 1) === c && text.charCodeAt(p + 2) === 61) {
    p += 3; // `||=`, `??=`, `&&=`
    op = true;
  } else if (c === 44 && !ctx.configLike) {
    // `os.environ.setdefault('TOKEN', 'x')`, `('password', 'x')` tuples: too weak, skip
    return null;
  }
  if (!op) return null;
  p = skipBlanks(text, p, 20);
  const q = text.charCodeAt(p);
  if (q === 34 || q === 39 || q === 96 || ((q === 114 || q === 98) && (text.charCodeAt(p + 1) === 34 || text.charCodeAt(p + 1) === 39))) {
    const lit = readStringLiteral(text, p);
    if (!lit) return null;
    const after = skipBlanks(text, lit.end + 1, 10);
    const a = text.charCodeAt(after);
    // `'abc' + x`, `'a' if x else`, `'%s' % x`, `'x'.format()`: an expression, not a literal value
    if (a === 43 || a === 37 || a === 46 || a === 91 || a === 40) return null;
    return { value: lit.value, start: lit.start, end: lit.end };
  }
  if (!ctx.configLike) return null;
  // unquoted config value: up to whitespace or end of line, not a YAML tag/anchor/block/flow
  if (q === 33 || q === 38 || q === 42 || q === 124 || q === 62 || q === 123 || q === 91 || q === 36 || q === 35 || q === 10 || q === 13)
    return null;
  const ls = p;
  let e = p;
  const limit = Math.min(text.length, p + 1024);
  while (e < limit) {
    const ch = text.charCodeAt(e);
    if (ch === 10 || ch === 13 || ch === 32 || ch === 9) break;
    e++;
  }
  // a trailing comment or more words after the value: `key: value # note` is fine, `key: some words` is prose
  const rest = skipBlanks(text, e, 200);
  const rc = text.charCodeAt(rest);
  if (rest < text.length && rc !== 10 && rc !== 13 && rc !== 35 && !(rc === 47 && text.charCodeAt(rest + 1) === 47)) return null;
  if (e === ls) return null;
  const last = text.charCodeAt(e - 1);
  // `password: BinaryLike,` / `token: string;` / `key: fn(`: code in a config-looking file
  if (last === 44 || last === 59 || last === 41 || last === 40 || last === 123) return null;
  return { value: text.slice(ls, e), start: ls, end: e };
}

const GENERIC_ANCHORS = [
  'secret',
  'pass',
  'pwd',
  'token',
  'apikey',
  'api_key',
  'api-key',
  'api.key',
  'credential',
  'privatekey',
  'private_key',
  'private-key',
  'accesskey',
  'access_key',
  'authkey',
  'auth_key',
  'signingkey',
  'signing_key',
  'encryptionkey',
  'encryption_key',
  'sessionkey',
  'session_key',
  'masterkey',
  'master_key',
  'salt',
];

/** After the rest of the name (and a closing quote or bracket), an assignment operator: `=`, `:`, `||=`... */
const assignmentFollows: BytePrefilter = (bytes, end, length) => {
  const limit = Math.min(length, end + 100);
  let i = end;
  while (i < limit) {
    const c = bytes[i] as number;
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c === 45 || c === 46) i++;
    else break;
  }
  while (i < limit) {
    const c = bytes[i] as number;
    if (c === 34 || c === 39 || c === 93 || c === 32 || c === 9) i++;
    else break;
  }
  const c = bytes[i];
  return c === 61 || c === 58 || c === 124 || c === 63 || c === 38;
};

const namedAssignment: Detector = {
  anchors: GENERIC_ANCHORS,
  prefilter: assignmentFollows,
  match(ctx, start, end) {
    if (!ctx.generic) return null;
    const text = ctx.text;
    let s = start;
    const minS = Math.max(0, start - 80);
    while (s > minS && isNameCode(text.charCodeAt(s - 1))) s--;
    let e = end;
    const maxE = Math.min(text.length, end + 80);
    while (e < maxE && isNameCode(text.charCodeAt(e))) e++;
    if (s === minS && s > 0 && isNameCode(text.charCodeAt(s - 1))) return null;
    let name = text.slice(s, e);
    // `this.password`, `config.db.password`: the last segment names it
    const dot = name.lastIndexOf('.');
    if (dot >= 0 && start - s < dot) return null; // the anchor is not in the last segment
    if (dot >= 0) name = name.slice(dot + 1);
    if (name.length === 0) return null;
    // quoted keys (`"api_key": "..."`, `['token'] = '...'`), optional closing bracket
    let p = e;
    const qc = text.charCodeAt(p);
    const open = text.charCodeAt(s - 1);
    if (qc === 34 || qc === 39) {
      if (open !== qc) return null;
      p++;
      if (text.charCodeAt(p) === 93) p++;
    } else if (open === 34 || open === 39 || open === 96) return null; // inside a string: `'secretsmanager:GetSecretValue'`
    // Python/TS annotations: `password: str = '...'`
    const value = readAssignedValue(ctx, p);
    if (!value) return null;
    const c = classifyNamedValue(name, value.value, { strict: true });
    if (!c) return null;
    const vs = value.start + c.start;
    // a vendor format inside the value is also found by its own detector (which knows more, e.g. the
    // service account around a key): this hit only lends it the name
    return hit(
      c.kind,
      c.rule,
      c.confidence,
      text,
      vs,
      value.start + c.end,
      c.rule === 'CSEC-07' || c.inValue ? PRIO_GENERIC : PRIO_VENDOR,
      {
        name,
      },
    );
  },
};

/** `Authorization: Bearer <token>` written into code or config. */
const bearerToken: Detector = {
  anchors: ['bearer '],
  match(ctx, start, end) {
    if (!ctx.generic || isWordCode(codeAt(ctx.text, start - 1))) return null;
    const m = matchAt(/[A-Za-z0-9._~+/-]{24,2000}=*/y, ctx.text, end);
    if (!m) return null;
    const v = m[0];
    if (isNonSecretValue(v) || shannonEntropy(v) < 3.5 || /^[a-z.]+$/i.test(v)) return null;
    if (v.startsWith('eyJ')) return null; // the JWT detector reports it
    return hit('bearer-token', 'CSEC-07', 'medium', ctx.text, end, end + v.length, PRIO_GENERIC, { context: 'a bearer token' });
  },
};

/** `process.env.X || 'literal'`, `process.env['X'] ?? "literal"`. */
const jsEnvFallback: Detector = {
  anchors: ['process.env'],
  match(ctx, _start, end) {
    const text = ctx.text;
    const m = matchAt(
      /(?:\.([A-Za-z_$][\w$]{0,100})|\[\s{0,5}(['"`])([A-Za-z_][\w.-]{0,100})\2\s{0,5}\])\s{0,20}(?:\|\||\?\?)\s{0,20}/y,
      text,
      end,
    );
    if (!m) return null;
    const name = m[1] ?? m[3] ?? '';
    const lit = readStringLiteral(text, end + m[0].length);
    if (!lit) return null;
    return fallbackHit(ctx, name, lit, `the fallback of process.env.${name}`);
  },
};

/** `os.environ.get('X', 'literal')`, `os.getenv('X', 'literal')`, `os.environ.get('X') or 'literal'`, `setdefault`. */
const pyEnvFallback: Detector = {
  anchors: ['environ.get(', 'getenv(', 'environ.setdefault('],
  match(ctx, _start, end) {
    const text = ctx.text;
    const p0 = skipBlanks(text, end, 10);
    const nameLit = readStringLiteral(text, p0);
    if (!nameLit) return null;
    let p = skipBlanks(text, nameLit.end + 1, 10);
    if (text.charCodeAt(p) === 44) p = skipSpace(text, p + 1, 40);
    else if (text.charCodeAt(p) === 41) {
      const m = matchAt(/\)\s{1,10}or\s{1,10}/y, text, p);
      if (!m) return null;
      p += m[0].length;
    } else return null;
    const lit = readStringLiteral(text, p);
    if (!lit) return null;
    return fallbackHit(ctx, nameLit.value, lit, `the default of the ${nameLit.value} environment variable`);
  },
};

function fallbackHit(
  ctx: DetectContext,
  name: string,
  lit: { value: string; start: number; end: number },
  context: string,
): SecretHit | null {
  const c = classifyNamedValue(name, lit.value, { fallback: true, strict: true });
  if (!c) return null;
  return hit(
    c.kind,
    c.rule,
    c.confidence,
    ctx.text,
    lit.start + c.start,
    lit.start + c.end,
    c.rule === 'CSEC-07' ? PRIO_KEY : PRIO_VENDOR,
    {
      name,
      context,
    },
  );
}

/* ------------------------------------------------------------------------------------------ */
/* The catalogue                                                                                */
/* ------------------------------------------------------------------------------------------ */

export const DETECTORS: readonly Detector[] = [
  ...VENDOR,
  signedJwt,
  jwtCall,
  jwtOption,
  urlWithCredentials,
  connectionStringPassword,
  namedAssignment,
  bearerToken,
  jsEnvFallback,
  pyEnvFallback,
];

interface Catalogue {
  set: AnchorSet;
  /** For each anchor id: the detectors listening to it. */
  byAnchor: readonly (readonly Detector[])[];
  /** For each anchor id: a byte check every one of its detectors needs to pass, if they all have one. */
  prefilters: readonly ((bytes: Uint8Array, end: number, length: number) => boolean)[];
}

let catalogue: Catalogue | undefined;

/** The compiled anchor automaton (built on first use, not at import). */
export function detectorCatalogue(): Catalogue {
  if (catalogue) return catalogue;
  const anchors: string[] = [];
  const byAnchor: Detector[][] = [];
  for (const d of DETECTORS) {
    for (const a of d.anchors) {
      const k = a.toLowerCase();
      let id = anchors.indexOf(k);
      if (id < 0) {
        id = anchors.length;
        anchors.push(k);
        byAnchor.push([]);
      }
      byAnchor[id]?.push(d);
    }
  }
  const pass = () => true;
  const prefilters = byAnchor.map((ds) => {
    const fs = ds.map((d) => d.prefilter);
    if (fs.some((f) => f === undefined)) return pass;
    const checks = [...new Set(fs as BytePrefilter[])];
    return checks.length === 1 ? (checks[0] as BytePrefilter) : (b: Uint8Array, e: number, n: number) => checks.some((f) => f(b, e, n));
  });
  catalogue = { set: buildAnchorSet(anchors), byAnchor, prefilters };
  return catalogue;
}

/** Vendor formats, JWTs and credential URLs inside one value (no name needed). */
export function detectInValue(value: string): SecretHit | null {
  const cat = detectorCatalogue();
  const lower = value.toLowerCase();
  const ctx: DetectContext = { text: value, configLike: false, generic: false };
  let best: SecretHit | null = null;
  for (let id = 0; id < cat.set.anchors.length; id++) {
    const a = cat.set.anchors[id] as string;
    let from = 0;
    for (let guard = 0; guard < 50; guard++) {
      const i = lower.indexOf(a, from);
      if (i < 0) break;
      from = i + 1;
      for (const d of cat.byAnchor[id] ?? []) {
        if (d === namedAssignment || d === bearerToken || d === jsEnvFallback || d === pyEnvFallback) continue;
        const h = d.match(ctx, i, i + a.length);
        if (h && (!best || h.priority > best.priority)) best = h;
      }
    }
  }
  return best;
}
