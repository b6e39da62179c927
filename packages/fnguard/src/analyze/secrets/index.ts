/**
 * `secretsAnalyzer`: scans every text file discovery found (code, config, .env, IaC, notebooks,
 * lockfiles; not binaries, archives or what discovery pruned) with the shared detector catalogue,
 * once per scan. Facts are keyed by file; each secret is tied to the function whose code directory
 * holds the file and to the layer whose content it is part of. Secrets that a SEC rule already reports
 * from the Model (environment variables, stage variables, API keys, parameter defaults) are marked
 * `claimedBy` so that the CSEC rules do not report them a second time.
 *
 * Raw secret values never leave this module: facts carry the redacted form and a hash.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { basename, sep } from 'node:path';
import type { DiscoveredFile } from '../../discover/types.js';
import { type App, type Fn, isKnown } from '../../model/types.js';
import { type Analyzer, defineAnalyzer } from '../types.js';
import type { Confidence, SecretRuleId } from './detectors.js';
import { detectorCatalogue } from './detectors.js';
import { isNonSecretValue, redact } from './primitives.js';
import { type LocatedSecret, scanSecretsInBytes } from './scanText.js';
import { classifyLiteralDefault, classifySecret, secretDigest } from './value.js';
import { createAnchorScanner } from './wasmAnchors.js';

export interface SecretFinding {
  /** Absolute path and root-relative path of the file. */
  file: string;
  rel: string;
  line: number;
  column: number;
  endLine: number;
  kind: string;
  rule: SecretRuleId;
  confidence: Confidence;
  /** `AKIA****WXYZ`: the only form of the value that leaves the analyzer. */
  redacted: string;
  /** sha256 of the value (hex, 16 chars): a content-stable fingerprint key that reveals nothing. */
  valueHash: string;
  name?: string;
  context?: string;
  /** The file is under a test, fixture, example or mock folder (or is a test file). */
  testPath: boolean;
  /** Functions whose code directory holds the file (the deepest directory wins). */
  fnIds: string[];
  /** The layer whose content directory holds the file. */
  layerId?: string;
  /** AWS key ids and secret keys found together: the line of the other half. */
  pairedLine?: number;
  /** Reported from the Model by this SEC rule (an IaC environment variable, parameter default...). */
  claimedBy?: string;
}

export type CredentialFileType =
  | 'dotenv'
  | 'npm-config'
  | 'aws-credentials'
  | 'pypi-config'
  | 'netrc'
  | 'git-credentials'
  | 'docker-config'
  | 'private-key-file'
  | 'terraform-state';

export interface CredentialFile {
  file: string;
  rel: string;
  type: CredentialFileType;
  /** First credential in the file. */
  line: number;
  column: number;
  /** Credentials found in it, by kind. */
  kinds: string[];
  count: number;
  testPath: boolean;
  fnIds: string[];
  layerId?: string;
}

export interface SecretFacts {
  findings: SecretFinding[];
  /** Findings by absolute file path. */
  byFile: Map<string, SecretFinding[]>;
  credentialFiles: CredentialFile[];
  filesScanned: number;
  bytesScanned: number;
}

/** Files whose unquoted `key: value` / `KEY=value` are values. */
const CONFIG_EXT = /\.(?:ya?ml|env|ini|cfg|conf|properties|toml|sh|bash|zsh|envrc|tfvars|npmrc|pypirc)$/i;
const CONFIG_NAME =
  /^(?:\.env(?:\..*)?|.*\.env|\.npmrc|\.yarnrc|\.pypirc|\.netrc|_netrc|credentials|config|\.envrc|dockerfile|makefile|procfile)$/i;
/** Not scanned at all: source maps repeat the sources they map, SVG is drawings. */
const SKIP_EXT = /\.(?:map|svg|min\.css|css|lock\.json)$/i;
/** Scanned for vendor formats only (hashes and generated names are everywhere in them). */
const NO_GENERIC = /(?:\.min\.js|\.bundle\.js|\.chunk\.js|\.ipynb|\.snap|\.csv|\.tsv|\.sum|\.pem\.pub|\.pub)$/i;

const TEST_DIR =
  /(?:^|\/)(?:tests?|__tests__|spec|specs|__mocks__|mocks?|fixtures?|__fixtures__|testdata|test-data|test_data|examples?|samples?|demos?|stubs?|e2e|cypress|playwright)(?:\/|$)/i;
const TEST_FILE = /(?:\.(?:test|spec|e2e|stories)\.[a-z]+$|(?:^|\/)(?:test_[^/]*|[^/]*_test)\.(?:py|go|rb)$|(?:^|\/)conftest\.py$)/i;

export function isTestPath(rel: string): boolean {
  return TEST_DIR.test(rel) || TEST_FILE.test(rel);
}

/** The credential-file type of a path, if it is one. */
export function credentialFileType(rel: string): CredentialFileType | undefined {
  const name = basename(rel).toLowerCase();
  if (/^\.env(?:\.[a-z0-9_-]+)*$/.test(name) || /^[a-z0-9_-]+\.env$/.test(name)) {
    if (/(?:^|\.)(?:example|sample|template|dist|defaults?|schema|tpl|tmpl)(?:$|\.)/.test(name.slice(4))) return undefined;
    return 'dotenv';
  }
  if (name === '.npmrc' || name === '.yarnrc' || name === '.yarnrc.yml') return 'npm-config';
  if (name === 'credentials' && /(?:^|\/)\.?aws\/credentials$/i.test(rel)) return 'aws-credentials';
  if (name === '.pypirc') return 'pypi-config';
  if (name === '.netrc' || name === '_netrc') return 'netrc';
  if (name === '.git-credentials') return 'git-credentials';
  if (name === 'config.json' && /(?:^|\/)\.docker\/config\.json$/.test(rel)) return 'docker-config';
  if (/^id_(?:rsa|dsa|ecdsa|ed25519)$/.test(name) || /\.(?:pem|key|ppk|p8)$/.test(name)) return 'private-key-file';
  if (/\.tfstate(?:\.backup)?$/.test(name)) return 'terraform-state';
  return undefined;
}

/** Credentials only meaningful in their credential file (legacy npm tokens, netrc passwords, docker auths). */
const CREDENTIAL_FILE_FORMS: Partial<Record<CredentialFileType, { kind: string; re: RegExp }[]>> = {
  'npm-config': [
    { kind: 'npm-auth-token', re: /^\s*(?:\/\/[^\s=]*:)?(?:_authToken|_auth|_password)\s*=\s*["']?([^\s"'$][^\s"']{7,})/gm },
    { kind: 'npm-auth-token', re: /^\s*npmAuth(?:Token|Ident)\s*:\s*["']?([^\s"'$][^\s"']{7,})/gm },
  ],
  netrc: [{ kind: 'netrc-password', re: /\bpassword\s+(\S{4,})/g }],
  'pypi-config': [{ kind: 'pypi-password', re: /^\s*password\s*[=:]\s*(\S{4,})/gm }],
  'docker-config': [{ kind: 'docker-auth', re: /"auth"\s*:\s*"([A-Za-z0-9+/=]{8,})"/g }],
};

/** Literal values the SEC rules report from the Model, by absolute file. */
export function iacSecretClaims(app: App): Map<string, { value: string; rule: string }[]> {
  const claims = new Map<string, { value: string; rule: string }[]>();
  const add = (file: string | undefined, value: string, rule: string) => {
    if (!file || value.trim().length < 4) return;
    const list = claims.get(file);
    if (list) list.push({ value: value.trim(), rule });
    else claims.set(file, [{ value: value.trim(), rule }]);
  };
  for (const fn of app.functions)
    for (const env of fn.env) if (isKnown(env.value) && classifySecret(env.name, env.value)) add(env.where.file, env.value, 'SEC-01');
  for (const api of app.apis) {
    for (const stage of api.stages)
      for (const v of stage.variables ?? []) if (isKnown(v.value) && classifySecret(v.name, v.value)) add(v.where.file, v.value, 'SEC-04');
    for (const k of api.apiKeys ?? []) if (isKnown(k.value) && !isNonSecretValue(k.value)) add(k.where.file, k.value, 'SEC-05');
  }
  for (const r of app.resources) {
    if (r.type !== 'parameter') continue;
    const def = r.props.default;
    if (!isKnown(def) || typeof def !== 'string') continue;
    const name = isKnown(r.name) ? r.name : (r.id.split('.').pop() ?? r.id);
    if (!classifyLiteralDefault(name, def)) continue;
    const dw = r.props.defaultWhere as { file?: unknown } | undefined;
    add(typeof dw?.file === 'string' ? dw.file : r.where.file, def, 'SEC-06');
  }
  return claims;
}

interface Owner {
  dir: string;
  fns: Fn[];
}

/** Which functions' code (and which layer) a file belongs to. */
function ownerIndex(app: App): { fnIdsOf(file: string): string[]; layerOf(file: string): string | undefined } {
  const byDir = new Map<string, Fn[]>();
  for (const fn of app.functions) {
    if (!fn.codeDir) continue;
    const d = fn.codeDir.endsWith(sep) ? fn.codeDir : fn.codeDir + sep;
    const list = byDir.get(d);
    if (list) list.push(fn);
    else byDir.set(d, [fn]);
  }
  const owners: Owner[] = [...byDir].map(([dir, fns]) => ({ dir, fns })).sort((a, b) => b.dir.length - a.dir.length);
  const layers = app.layers
    .filter((l) => l.contentDir)
    .map((l) => ({ dir: (l.contentDir as string).endsWith(sep) ? (l.contentDir as string) : `${l.contentDir}${sep}`, id: l.id }))
    .sort((a, b) => b.dir.length - a.dir.length);
  return {
    fnIdsOf(file) {
      const o = owners.find((x) => file.startsWith(x.dir));
      if (!o) return [];
      if (o.fns.length === 1) return [o.fns[0]?.id as string];
      // several functions share the directory: the one whose handler module or entry file this is
      const noExt = file.replace(/\.[^./\\]+$/, '');
      const own = o.fns.filter((fn) => {
        if (fn.entryFile === file) return true;
        const h = isKnown(fn.handler) ? fn.handler : undefined;
        if (!h) return false;
        const mod = h.replace(/\.[^./]+$/, '');
        return o.dir + mod.split('/').join(sep) === noExt;
      });
      return (own.length > 0 ? own : o.fns).map((f) => f.id);
    },
    layerOf(file) {
      return layers.find((l) => file.startsWith(l.dir))?.id;
    },
  };
}

/** Whether a discovered file is scanned, and how. */
export function scanPlan(f: DiscoveredFile): { configLike: boolean; generic: boolean } | null {
  if (f.kind === 'binary' || f.kind === 'archive') return null;
  const name = basename(f.rel);
  if (SKIP_EXT.test(name) && !credentialFileType(f.rel)) return null;
  const configLike = (CONFIG_EXT.test(name) || CONFIG_NAME.test(name) || f.subtype === 'yaml') && f.kind !== 'code';
  const generic = f.kind !== 'lockfile' && !NO_GENERIC.test(name);
  return { configLike, generic };
}

/** A reusable read buffer: no allocation per file. */
class FileReader {
  private buf = Buffer.allocUnsafe(1 << 20);
  read(path: string, sizeHint: number): { bytes: Buffer; length: number } {
    const fd = openSync(path, 'r');
    try {
      if (sizeHint + 1 > this.buf.length) this.buf = Buffer.allocUnsafe(Math.max(sizeHint + 1, this.buf.length * 2));
      let n = 0;
      for (;;) {
        if (n === this.buf.length) {
          const bigger = Buffer.allocUnsafe(this.buf.length * 2);
          this.buf.copy(bigger, 0, 0, n);
          this.buf = bigger;
        }
        const r = readSync(fd, this.buf, n, this.buf.length - n, n);
        if (r === 0) break;
        n += r;
        // the file grew past the size discovery saw by more than 1 MiB: stop (a hostile or live-written file)
        if (n > sizeHint + (1 << 20)) break;
      }
      return { bytes: this.buf, length: n };
    } finally {
      closeSync(fd);
    }
  }
}

export const secretsAnalyzer: Analyzer<SecretFacts> = defineAnalyzer({
  id: 'secrets',
  run(input) {
    const claims = iacSecretClaims(input.app);
    const owners = ownerIndex(input.app);
    const reader = new FileReader();
    const scanner = createAnchorScanner(detectorCatalogue().set);
    const findings: SecretFinding[] = [];
    const byFile = new Map<string, SecretFinding[]>();
    const credentialFiles: CredentialFile[] = [];
    let filesScanned = 0;
    let bytesScanned = 0;
    for (const f of input.files) {
      const plan = scanPlan(f);
      if (!plan) continue;
      let bytes: Buffer;
      let length: number;
      try {
        ({ bytes, length } = reader.read(f.path, f.size));
      } catch (e) {
        input.diagnostic({
          level: 'warning',
          file: f.path,
          message: `secrets: cannot read file (${(e as Error).message})`,
          code: 'unreadable',
        });
        continue;
      }
      filesScanned++;
      bytesScanned += length;
      const { secrets, truncated } = scanSecretsInBytes(bytes, length, plan, scanner);
      if (truncated)
        input.diagnostic({
          level: 'warning',
          file: f.path,
          message: 'secrets: too many candidate keywords in this file; only the first part was examined',
          code: 'secrets-truncated',
        });
      const credType = credentialFileType(f.rel);
      if (secrets.length === 0 && !credType) continue;
      const testPath = isTestPath(f.rel);
      const fnIds = owners.fnIdsOf(f.path);
      const layerId = owners.layerOf(f.path);
      const fileClaims = claims.get(f.path) ?? [];
      const list: SecretFinding[] = [];
      for (const s of secrets) {
        const claim = fileClaims.find((c) => c.value.includes(s.value) || (s.value.length >= 6 && s.value.includes(c.value)));
        list.push(toFinding(f, s, testPath, fnIds, layerId, claim?.rule));
      }
      if (credType) {
        const cf = credentialFile(f, credType, bytes, length, list, testPath, fnIds, layerId);
        if (cf) credentialFiles.push(cf);
      }
      if (list.length === 0) continue;
      findings.push(...list);
      byFile.set(f.path, list);
    }
    return { findings, byFile, credentialFiles, filesScanned, bytesScanned };
  },
});

function toFinding(
  f: DiscoveredFile,
  s: LocatedSecret,
  testPath: boolean,
  fnIds: string[],
  layerId: string | undefined,
  claimedBy: string | undefined,
): SecretFinding {
  return {
    file: f.path,
    rel: f.rel,
    line: s.line,
    column: s.column,
    endLine: s.endLine,
    kind: s.kind,
    rule: s.rule,
    confidence: s.confidence,
    redacted: redact(s.value),
    valueHash: secretDigest(s.value),
    ...(s.name !== undefined ? { name: s.name } : {}),
    ...(s.context !== undefined ? { context: s.context } : {}),
    testPath,
    fnIds,
    ...(layerId ? { layerId } : {}),
    ...(s.pairedLine !== undefined ? { pairedLine: s.pairedLine } : {}),
    ...(claimedBy ? { claimedBy } : {}),
  };
}

function credentialFile(
  f: DiscoveredFile,
  type: CredentialFileType,
  bytes: Buffer,
  length: number,
  found: readonly SecretFinding[],
  testPath: boolean,
  fnIds: string[],
  layerId: string | undefined,
): CredentialFile | undefined {
  const kinds = found.map((s) => s.kind);
  let first = found[0] ? { line: found[0].line, column: found[0].column } : undefined;
  const forms = CREDENTIAL_FILE_FORMS[type];
  if (forms && length <= 1 << 20) {
    const text = bytes.toString('utf8', 0, length);
    for (const form of forms) {
      form.re.lastIndex = 0;
      for (let m = form.re.exec(text); m; m = form.re.exec(text)) {
        const v = m[1] ?? '';
        if (isNonSecretValue(v) || /^\$|\$\{/.test(v)) continue;
        const at = m.index + m[0].lastIndexOf(v);
        if (found.some((s) => s.line === lineOf(text, at))) continue;
        kinds.push(form.kind);
        const pos = { line: lineOf(text, at), column: at - text.lastIndexOf('\n', at - 1) };
        if (!first || pos.line < first.line) first = pos;
      }
    }
  }
  if (!first || kinds.length === 0) return undefined;
  return {
    file: f.path,
    rel: f.rel,
    type,
    line: first.line,
    column: first.column,
    kinds: [...new Set(kinds)],
    count: kinds.length,
    testPath,
    fnIds,
    ...(layerId ? { layerId } : {}),
  };
}

function lineOf(text: string, pos: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
