// Cold-start code verification (opt-in, FNGUARD_VERIFY): before the handler module loads, the preload hashes the
// task root (and, if asked, the layers in /opt) and checks them against a signed bundle with a pinned public key.
// On failure it writes one JSON line in the shield's log format and refuses to start (or, with
// FNGUARD_VERIFY_FAIL=open, logs and goes on). Loaded by register.cts only when FNGUARD_VERIFY is set.
import fs = require('node:fs');
import path = require('node:path');

import {
  BUNDLE_FILE,
  type CodeStatement,
  checkStatementFiles,
  describeDifference,
  envelopeOf,
  firstDifference,
  IntegrityError,
  type ManifestEntry,
  manifestOfDir,
  parseStatement,
  publicKeyFrom,
  SIG_DIR,
  verifyEnvelope,
} from './integrity.cjs';

const writeSync = fs.writeSync;
const readFileSync = fs.readFileSync;
const now = () => performance.now();

export interface ColdStartResult {
  ok: boolean;
  scope: 'task' | 'layers';
  root: string;
  subject?: string;
  manifest?: string;
  files?: number;
  bytes?: number;
  ms: number;
  code?: string;
  error?: string;
}

export interface ColdStartConfig {
  task: boolean;
  layers: boolean;
  failOpen: boolean;
  keyPem: string;
  bundleText: string | undefined;
  subject: string | undefined;
  taskRoot: string;
  optRoot: string;
}

/** Read a value that is either inline text (PEM or JSON) or a path to a file holding it. */
function inlineOrFile(value: string, inlineMarker: RegExp, what: string): string {
  if (inlineMarker.test(value)) return value;
  try {
    return readFileSync(value, 'utf8');
  } catch (e) {
    throw new IntegrityError('config', `cannot read ${what} ${value}: ${(e as Error).message}`);
  }
}

/** The configuration from the environment, or undefined when FNGUARD_VERIFY is not set (the check is opt-in). */
export function coldStartConfig(env: NodeJS.ProcessEnv = process.env): ColdStartConfig | undefined {
  const raw = (env.FNGUARD_VERIFY ?? '').trim().toLowerCase();
  if (raw === '' || raw === '0' || raw === 'false' || raw === 'off') return undefined;
  const words = raw === '1' || raw === 'true' || raw === 'on' ? ['task'] : raw.split(/[\s,]+/).filter(Boolean);
  for (const w of words)
    if (w !== 'task' && w !== 'layers') throw new IntegrityError('config', `FNGUARD_VERIFY: unknown scope '${w}' (task, layers)`);
  const key = env.FNGUARD_VERIFY_KEY;
  if (!key) throw new IntegrityError('config', 'FNGUARD_VERIFY is set but FNGUARD_VERIFY_KEY (PEM text or file) is not');
  const fail = (env.FNGUARD_VERIFY_FAIL ?? 'closed').toLowerCase();
  if (fail !== 'closed' && fail !== 'open')
    throw new IntegrityError('config', `FNGUARD_VERIFY_FAIL must be closed or open (got '${fail}')`);
  const bundle = env.FNGUARD_VERIFY_BUNDLE;
  return {
    task: words.includes('task'),
    layers: words.includes('layers'),
    failOpen: fail === 'open',
    keyPem: inlineOrFile(key, /-----BEGIN/, 'the public key'),
    bundleText: bundle ? inlineOrFile(bundle, /^\s*\{/, 'the bundle') : undefined,
    subject: env.FNGUARD_VERIFY_SUBJECT || undefined,
    taskRoot: env.LAMBDA_TASK_ROOT || '/var/task',
    optRoot: env.FNGUARD_VERIFY_OPT || '/opt',
  };
}

function statementOf(text: string, keyPem: string, where: string): CodeStatement {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new IntegrityError('bundle', `${where} is not JSON`);
  }
  const { envelope } = envelopeOf(json);
  const { payload } = verifyEnvelope(envelope, [publicKeyFrom(keyPem)]);
  return parseStatement(payload, false);
}

function mismatch(st: CodeStatement, actual: readonly ManifestEntry[]): never {
  checkStatementFiles(st);
  const files = st.predicate.files;
  const d = files ? firstDifference(files, actual) : undefined;
  throw new IntegrityError(
    'mismatch',
    d ? describeDifference(d) : 'the code differs from the signed manifest (the bundle lists no files to name the difference)',
    d?.path,
  );
}

/** Verify the task root against its bundle. Throws IntegrityError on any failure. */
export function verifyTask(cfg: ColdStartConfig): Omit<ColdStartResult, 'ok' | 'ms' | 'scope'> {
  const root = cfg.taskRoot;
  let text = cfg.bundleText;
  if (text === undefined) {
    const file = path.join(root, BUNDLE_FILE);
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new IntegrityError('bundle', `no bundle: set FNGUARD_VERIFY_BUNDLE or ship ${BUNDLE_FILE} in the package`);
    }
  }
  const st = statementOf(text, cfg.keyPem, 'the bundle');
  if (cfg.subject !== undefined && st.predicate.name !== cfg.subject)
    throw new IntegrityError('subject', `the bundle was signed for '${st.predicate.name}', not for '${cfg.subject}'`);
  const m = manifestOfDir(root, { caseWarnings: false });
  if (m.digest !== st.predicate.manifestDigest) mismatch(st, m.entries);
  return { root, subject: st.predicate.name, manifest: m.digest, files: m.entries.length, bytes: m.totalBytes };
}

/**
 * Verify /opt against the bundles the layers ship in /opt/.lambda-sig/*.sigstore.json: every bundle must verify and
 * list its files; every file in /opt must be one some layer signed, with the same content and mode.
 */
export function verifyLayers(cfg: ColdStartConfig): Omit<ColdStartResult, 'ok' | 'ms' | 'scope'> {
  const root = cfg.optRoot;
  const sigDir = path.join(root, SIG_DIR);
  let names: string[];
  try {
    names = fs
      .readdirSync(sigDir)
      .filter((n) => n.endsWith('.sigstore.json'))
      .sort();
  } catch {
    names = [];
  }
  if (names.length === 0)
    throw new IntegrityError('bundle', `no layer bundles in ${sigDir} (each layer ships ${SIG_DIR}/<layer>.sigstore.json)`);
  const signed = new Map<string, ManifestEntry[]>();
  const subjects: string[] = [];
  for (const n of names) {
    const st = statementOf(readFileSync(path.join(sigDir, n), 'utf8'), cfg.keyPem, `${SIG_DIR}/${n}`);
    if (!st.predicate.files) throw new IntegrityError('bundle', `${SIG_DIR}/${n} lists no files (sign layers without --compact)`);
    checkStatementFiles(st); // layers are compared file by file: the list must be the signed manifest
    subjects.push(st.predicate.name);
    for (const e of st.predicate.files) {
      const list = signed.get(e.path);
      if (list) list.push(e);
      else signed.set(e.path, [e]);
    }
  }
  const m = manifestOfDir(root, { caseWarnings: false });
  const actual = new Map(m.entries.map((e) => [e.path, e]));
  // several layers may ship the same path (the later one wins on Lambda): accept any signed version of it
  const expected: ManifestEntry[] = [];
  for (const [p, list] of signed) {
    const a = actual.get(p);
    const same = a && list.find((e) => e.sha256 === a.sha256 && e.mode === a.mode && e.size === a.size && e.target === a.target);
    expected.push(same ?? (list[list.length - 1] as ManifestEntry));
  }
  const d = firstDifference(expected, m.entries);
  if (d) throw new IntegrityError('mismatch', `layers: ${describeDifference(d)}`, d.path);
  return { root, subject: subjects.join(','), manifest: m.digest, files: m.entries.length, bytes: m.totalBytes };
}

function logLine(fields: Record<string, unknown>): void {
  try {
    writeSync(
      1,
      `${JSON.stringify({ fnguard_shield: true, event: 'integrity', ...fields, function: process.env.AWS_LAMBDA_FUNCTION_NAME ?? null, timestamp: new Date().toISOString() })}\n`,
    );
  } catch {
    // stdout closed: the outcome (refusing to start) does not depend on the log
  }
}

/**
 * Run the opt-in cold-start check. Returns the results (one per scope), or undefined when not enabled.
 * Throws (after logging) when a check fails closed, so the preload stops the process before the handler loads.
 */
export function coldStart(env: NodeJS.ProcessEnv = process.env): ColdStartResult[] | undefined {
  const t0 = now();
  let cfg: ColdStartConfig | undefined;
  try {
    cfg = coldStartConfig(env);
  } catch (e) {
    const err = e as IntegrityError;
    logLine({ ok: false, code: err.code ?? 'config', error: err.message, ms: Math.round((now() - t0) * 10) / 10 });
    throw e;
  }
  if (!cfg) return undefined;
  const results: ColdStartResult[] = [];
  const scopes: ('task' | 'layers')[] = [];
  if (cfg.task) scopes.push('task');
  if (cfg.layers) scopes.push('layers');
  for (const scope of scopes) {
    const t = now();
    try {
      const r = scope === 'task' ? verifyTask(cfg) : verifyLayers(cfg);
      const res: ColdStartResult = { ok: true, scope, ...r, ms: Math.round((now() - t) * 10) / 10 };
      results.push(res);
      logLine({ ...res });
    } catch (e) {
      const err = e instanceof IntegrityError ? e : new IntegrityError('error', (e as Error)?.message ?? String(e));
      const res: ColdStartResult = {
        ok: false,
        scope,
        root: scope === 'task' ? cfg.taskRoot : cfg.optRoot,
        code: err.code,
        error: err.message,
        ms: Math.round((now() - t) * 10) / 10,
      };
      results.push(res);
      logLine({ ...res, action: cfg.failOpen ? 'continue' : 'refuse' });
      if (!cfg.failOpen) {
        const refused = new Error(
          `fnguard shield: code integrity check failed (${scope}): ${err.message}; the handler is not started`,
        ) as Error & {
          code: string;
        };
        refused.code = 'ERR_FNGUARD_INTEGRITY';
        throw refused;
      }
    }
  }
  return results;
}
