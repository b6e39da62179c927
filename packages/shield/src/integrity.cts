// Code integrity: the canonical manifest of a code tree (lambda-code-manifest/v1), the tree checks shared by
// directories and zips, DSSE envelope verification against a pinned public key, and the first difference between
// two manifests. node:crypto, node:fs and node:path only: `fnguard sign/verify` and the cold-start check
// (coldstart.cts) use this one module, so the CLI and the runtime compute the same bytes.
import crypto = require('node:crypto');
import fs = require('node:fs');
import path = require('node:path');

export const MANIFEST_FORMAT = 'lambda-code-manifest/v1';
export const PREDICATE_TYPE = 'https://fnguard.dev/attestation/lambda-code-manifest/v1';
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const PAYLOAD_TYPE = 'application/vnd.in-toto+json';
/** Reserved folder at the root of a package: holds only `*.sigstore.json` bundles, never part of the manifest. */
export const SIG_DIR = '.lambda-sig';
export const BUNDLE_FILE = `${SIG_DIR}/bundle.sigstore.json`;
/** Lambda's limit for function plus layers, unzipped. */
export const MAX_TOTAL_BYTES = 262_144_000;
export const MAX_ENTRIES = 100_000;
export const MAX_PATH = 4096;

/** `0644` or `0755` for regular files (only the exec bit is kept), `link` for symbolic links. */
export type EntryMode = '0644' | '0755' | 'link';

export interface ManifestEntry {
  /** Relative POSIX path, NFC. */
  path: string;
  mode: EntryMode;
  /** Bytes of the file (of the link target for links). */
  size: number;
  /** Hex sha256 of the content (of the link target for links). */
  sha256: string;
  /** Link target as stored. */
  target?: string;
}

export interface Manifest {
  entries: ManifestEntry[];
  /** Hex sha256 of the canonical lines. */
  digest: string;
  totalBytes: number;
  /** Non-fatal observations (case-only collisions). */
  warnings: string[];
}

/** A package that must not be trusted or processed: zip slip, duplicates, setuid, bombs, escaping links... */
export class IntegrityError extends Error {
  readonly code: string;
  readonly path: string | undefined;
  constructor(code: string, message: string, file?: string) {
    super(message);
    this.name = 'IntegrityError';
    this.code = code;
    this.path = file;
  }
}

export interface TreeLimits {
  maxEntries?: number;
  maxTotalBytes?: number;
  /** Look for case-only name collisions and list them in `warnings` (default true; the cold start has no use for them). */
  caseWarnings?: boolean;
}

/** Why a stored name is not an acceptable relative path, or undefined when it is. */
export function pathProblem(p: string): string | undefined {
  if (p.length === 0) return 'empty path';
  if (p.length > MAX_PATH) return `path longer than ${MAX_PATH} characters`;
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return 'absolute path';
  if (p.includes('\\')) return 'backslash in path';
  if (/[\u0000-\u001f\u007f]/.test(p)) return 'control character in path';
  for (const seg of p.split('/')) {
    if (seg === '') return 'empty path segment';
    if (seg === '.' || seg === '..') return `'${seg}' path segment (zip slip)`;
  }
  return undefined;
}

const utf8 = (s: string) => Buffer.from(s, 'utf8');
const NON_ASCII = /[^\u0000-\u007f]/;
/** What can make a name read from a directory (never empty, '.', '..' or holding '/') a bad path segment. */
const BAD_NAME = /[\\\u0000-\u001f\u007f]/;
const DRIVE = /^[A-Za-z]:/;

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Sort by the UTF-8 bytes of a key. Without surrogate pairs, UTF-16 code units order like code points, which order
 * like UTF-8 bytes, so plain string comparison is exact; only keys beyond the BMP need their bytes (latin1 of the
 * UTF-8 bytes compares like the bytes).
 */
export function sortByUtf8<T>(items: readonly T[], key: (item: T) => string): T[] {
  let astral = false;
  for (const item of items)
    if (SURROGATE.test(key(item))) {
      astral = true;
      break;
    }
  if (!astral) return [...items].sort((a, b) => compareStrings(key(a), key(b)));
  const keyed = items.map((item) => ({ k: utf8(key(item)).toString('latin1'), item }));
  keyed.sort((a, b) => compareStrings(a.k, b.k));
  return keyed.map((x) => x.item);
}

/** Manifest entries by path in UTF-8 byte order: `sortByUtf8`, with a comparator that reads the field (no key calls) in the usual case. */
function sortEntries(entries: readonly ManifestEntry[]): ManifestEntry[] {
  for (const e of entries) if (SURROGATE.test(e.path)) return sortByUtf8(entries, (x) => x.path);
  return [...entries].sort((a, b) => compareStrings(a.path, b.path));
}

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** One canonical line per entry: `<sha256> <mode> <size> <path>\n`. Unambiguous: fixed-width hash and mode, no control chars in paths. */
export function canonicalLine(e: ManifestEntry): string {
  return `${e.sha256} ${e.mode} ${e.size} ${e.path}\n`;
}

export function canonicalText(entries: readonly ManifestEntry[]): string {
  let s = '';
  for (const e of entries) s += canonicalLine(e);
  return s;
}

/** One-shot `crypto.hash` where Node has it (20.12+, 21.7+): no Hash object per call. */
const oneShot = (crypto as { hash?: (algorithm: string, data: Uint8Array | string, encoding: 'hex') => string }).hash;

export function sha256Hex(data: Uint8Array | string): string {
  return oneShot ? oneShot('sha256', data, 'hex') : crypto.createHash('sha256').update(data).digest('hex');
}

/**
 * Resolve a link target against the links of the tree, component by component (a link reached on the way is
 * followed), so `a/up -> ..` then `a/x -> up/..` is seen to leave the root. Returns the resolved parts, `escape`
 * when the path is absolute or leaves the root, `loop` when links resolve in a circle.
 */
function resolveInside(
  dirParts: readonly string[],
  target: string,
  links: ReadonlyMap<string, string>,
  depth: number,
): string[] | 'escape' | 'loop' {
  if (target.startsWith('/')) return 'escape';
  if (depth > 40) return 'loop';
  let parts = [...dirParts];
  for (const comp of target.split('/')) {
    if (comp === '' || comp === '.') continue;
    if (comp === '..') {
      if (parts.length === 0) return 'escape';
      parts.pop();
      continue;
    }
    parts.push(comp);
    const link = links.get(parts.join('/'));
    if (link !== undefined) {
      const next = resolveInside(parts.slice(0, -1), link, links, depth + 1);
      if (typeof next === 'string') return next;
      parts = next;
    }
  }
  return parts;
}

/**
 * Validate a whole tree and produce its manifest: unique names after NFC, no file or link used as a folder, links
 * that stay inside the root, limits; sorted by UTF-8 bytes. `entries` paths must already be NFC (see `manifestPath`).
 * `walked`: the entries come from a directory walk, where a file or link cannot be a folder too.
 */
export function finishManifest(entries: ManifestEntry[], limits: TreeLimits = {}, walked = false): Manifest {
  const maxEntries = limits.maxEntries ?? MAX_ENTRIES;
  const maxTotal = limits.maxTotalBytes ?? MAX_TOTAL_BYTES;
  if (entries.length > maxEntries) throw new IntegrityError('too-many-entries', `more than ${maxEntries} entries`);
  // a walked directory has no duplicates (manifestPath refused NFC twins) and no file or link used as a folder:
  // only archives need the path index
  const byPath = new Map<string, ManifestEntry>();
  const links = new Map<string, string>();
  let totalBytes = 0;
  for (const e of entries) {
    if (!walked) {
      if (byPath.has(e.path)) throw new IntegrityError('duplicate', `duplicate entry: "${e.path}"`, e.path);
      byPath.set(e.path, e);
    }
    if (e.mode === 'link') links.set(e.path, e.target ?? '');
    else totalBytes += e.size;
  }
  if (totalBytes > maxTotal) throw new IntegrityError('too-large', `unpacked size ${totalBytes} bytes is above the limit of ${maxTotal}`);
  const folded = limits.caseWarnings === false ? undefined : new Map<string, string>();
  const warnings: string[] = [];
  for (const e of entries) {
    for (let i = walked ? -1 : e.path.indexOf('/'); i > 0; i = e.path.indexOf('/', i + 1)) {
      const prefix = e.path.slice(0, i);
      const p = byPath.get(prefix);
      if (p)
        throw new IntegrityError(
          p.mode === 'link' ? 'link-as-folder' : 'file-as-folder',
          `"${prefix}" is a ${p.mode === 'link' ? 'symlink' : 'file'} but "${e.path}" uses it as a folder`,
          e.path,
        );
    }
    if (e.mode === 'link') {
      const r = resolveInside(e.path.split('/').slice(0, -1), e.target ?? '', links, 0);
      if (r === 'escape') throw new IntegrityError('symlink-escape', `symlink escapes the root: ${e.path} -> ${e.target}`, e.path);
      if (r === 'loop') throw new IntegrityError('symlink-loop', `symlink loop: ${e.path} -> ${e.target}`, e.path);
    }
    if (folded === undefined) continue;
    const f = e.path.toLowerCase();
    const other = folded.get(f);
    if (other !== undefined) warnings.push(`case-only collision: ${other} / ${e.path}`);
    else folded.set(f, e.path);
  }
  const sorted = sortEntries(entries);
  return { entries: sorted, digest: sha256Hex(canonicalText(sorted)), totalBytes, warnings };
}

/**
 * Check a stored name and turn it into the manifest path (NFC); `seen` maps NFC names to the name first seen, so NFC/NFD
 * twins are refused. Returns undefined for the reserved signature folder's bundles (not part of the manifest).
 */
export function manifestPath(raw: string, seen: Map<string, string>, checked = false): string | undefined {
  const problem = checked ? undefined : pathProblem(raw);
  if (problem) throw new IntegrityError('bad-path', `${problem}: ${JSON.stringify(raw)}`, raw);
  // an ASCII name is its own NFC form
  const p = NON_ASCII.test(raw) ? raw.normalize('NFC') : raw;
  const first = seen.get(p);
  if (first !== undefined)
    throw new IntegrityError(
      'duplicate',
      first === raw ? `duplicate entry: "${p}"` : `duplicate entry: "${p}" (NFC and NFD spellings of the same name)`,
      p,
    );
  seen.set(p, raw);
  if (p === SIG_DIR || p.startsWith(`${SIG_DIR}/`)) {
    if (/^\.lambda-sig\/[^/]+\.sigstore\.json$/.test(p)) return undefined;
    throw new IntegrityError('reserved', `only *.sigstore.json bundles may be in ${SIG_DIR}/: ${p}`, p);
  }
  return p;
}

/** The manifest mode of a unix mode: exec bit kept, setuid/setgid/sticky refused. */
export function entryMode(unixMode: number, file: string): '0644' | '0755' {
  if (unixMode & 0o7000)
    throw new IntegrityError('setuid', `setuid/setgid/sticky bit on ${file}: ${(unixMode & 0o7777).toString(8).padStart(4, '0')}`, file);
  return unixMode & 0o111 ? '0755' : '0644';
}

const WASM_PAGE = 65536;

/**
 * A Buffer of `size` bytes whose first byte is on a page boundary, for read(2) destinations. On the AMD EPYC
 * development VM the kernel copies file data into a destination that is not 32-byte aligned about 8 times slower
 * (read of 512 KB from the page cache: 350 µs into a `Buffer.allocUnsafe` buffer, which malloc places 16 bytes past
 * a page, against 43 µs into an aligned one; the same in C). A WebAssembly memory is page-aligned; where there is
 * none (`--jitless`, or no address space for its reservation), a plain buffer does the same job more slowly.
 */
export function alignedBuffer(size: number): Buffer {
  const wasm = (globalThis as { WebAssembly?: { Memory: new (d: { initial: number }) => { buffer: ArrayBuffer } } }).WebAssembly;
  if (wasm !== undefined && size > 0) {
    try {
      return Buffer.from(new wasm.Memory({ initial: Math.ceil(size / WASM_PAGE) }).buffer, 0, size);
    } catch {
      // fall through to an unaligned buffer
    }
  }
  return Buffer.allocUnsafe(size);
}

let scratch = alignedBuffer(256 * 1024);

/**
 * Hash an open regular file of `size` bytes (from fstat) with one reusable buffer. The first read asks for one byte
 * more than the size, so a file that did not grow is read in one call (a short read is the end of a regular file);
 * a file that grew since fstat is read to its end. Returns the hex sha256 and the bytes read.
 */
function hashFd(fd: number, size: number): { sha256: string; size: number } {
  if (size < scratch.length) {
    const n = fs.readSync(fd, scratch, 0, size + 1, null);
    // a plain Uint8Array view: Buffer#subarray goes through the species constructor, several times slower
    if (n <= size) return { sha256: sha256Hex(new Uint8Array(scratch.buffer, scratch.byteOffset, n)), size: n };
    const h = crypto.createHash('sha256').update(scratch.subarray(0, n));
    return hashRest(fd, h, n);
  }
  if (size <= 8 << 20) scratch = alignedBuffer(size + 1);
  return hashRest(fd, crypto.createHash('sha256'), 0);
}

function hashRest(fd: number, h: crypto.Hash, already: number): { sha256: string; size: number } {
  let total = already;
  for (;;) {
    const n = fs.readSync(fd, scratch, 0, scratch.length, null);
    if (n <= 0) break;
    h.update(n === scratch.length ? scratch : scratch.subarray(0, n));
    total += n;
  }
  return { sha256: h.digest('hex'), size: total };
}

function typeKnown(d: fs.Dirent): boolean {
  return d.isFile() || d.isDirectory() || d.isSymbolicLink() || d.isFIFO() || d.isSocket() || d.isBlockDevice() || d.isCharacterDevice();
}

/** The manifest of a directory tree. Links are recorded, never followed; special files and setuid bits are refused. */
export function manifestOfDir(root: string, limits: TreeLimits = {}): Manifest {
  const maxEntries = limits.maxEntries ?? MAX_ENTRIES;
  const maxTotal = limits.maxTotalBytes ?? MAX_TOTAL_BYTES;
  const entries: ManifestEntry[] = [];
  const seen = new Map<string, string>();
  let total = 0;
  const stack: string[] = [''];
  while (stack.length > 0) {
    const rel = stack.pop() as string;
    const dir = rel === '' ? root : `${root}/${rel}`;
    for (const dirent of fs.readdirSync(dir, { withFileTypes: true })) {
      const name = dirent.name;
      const raw = rel === '' ? name : `${rel}/${name}`;
      // the folders above were checked when they were pushed, and readdir never returns '', '.', '..' or a '/':
      // only the new segment and the length can make the path bad (pathProblem then names the problem)
      const checked = raw.length <= MAX_PATH && !BAD_NAME.test(name) && (rel !== '' || !DRIVE.test(name));
      // some file systems do not report the type in readdir: ask lstat then
      const abs = `${dir}/${name}`;
      const d = typeKnown(dirent) ? dirent : fs.lstatSync(abs);
      if (d.isDirectory()) {
        if (rel === '' && dirent.name === SIG_DIR) {
          for (const s of fs.readdirSync(abs, { withFileTypes: true })) {
            const name = `${SIG_DIR}/${s.name}`;
            if (!s.isFile() || manifestPath(name, seen) !== undefined)
              throw new IntegrityError('reserved', `only *.sigstore.json bundles may be in ${SIG_DIR}/: ${name}`, name);
          }
          continue;
        }
        const problem = checked ? undefined : pathProblem(raw);
        if (problem) throw new IntegrityError('bad-path', `${problem}: ${JSON.stringify(raw)}`, raw);
        stack.push(raw);
        continue;
      }
      const p = manifestPath(raw, seen, checked);
      if (p === undefined) continue;
      if (d.isSymbolicLink()) {
        const target = fs.readlinkSync(abs);
        if (/[\u0000-\u001f\u007f]/.test(target)) throw new IntegrityError('bad-path', `symlink target with a control character: ${p}`, p);
        entries.push({ path: p, mode: 'link', size: Buffer.byteLength(target), sha256: sha256Hex(target), target });
      } else if (d.isFile()) {
        // open without following a link swapped in since readdir, then stat and read the same descriptor
        const fd = fs.openSync(abs, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0));
        try {
          const st = fs.fstatSync(fd);
          if (!st.isFile()) throw new IntegrityError('special-file', `not a regular file, folder or symlink: ${p}`, p);
          const mode = entryMode(st.mode, p);
          total += st.size;
          if (total > maxTotal) throw new IntegrityError('too-large', `unpacked size is above the limit of ${maxTotal} bytes`);
          const h = hashFd(fd, st.size);
          entries.push({ path: p, mode, size: h.size, sha256: h.sha256 });
        } finally {
          fs.closeSync(fd);
        }
      } else throw new IntegrityError('special-file', `not a regular file, folder or symlink: ${p}`, p);
      if (entries.length > maxEntries) throw new IntegrityError('too-many-entries', `more than ${maxEntries} entries`);
    }
  }
  return finishManifest(entries, limits, true);
}

export type DifferenceKind = 'changed' | 'added' | 'missing' | 'renamed' | 'mode' | 'symlink';

export interface Difference {
  kind: DifferenceKind;
  path: string;
  /** For `renamed`: the signed path; for `mode`: the signed mode. */
  from?: string;
  to?: string;
}

export function describeDifference(d: Difference): string {
  switch (d.kind) {
    case 'changed':
      return `changed file: ${d.path}`;
    case 'added':
      return `added file: ${d.path} (not in the signed manifest)`;
    case 'missing':
      return `missing file: ${d.path}`;
    case 'renamed':
      return `renamed file: ${d.from} -> ${d.path}`;
    case 'mode':
      return `mode change: ${d.path} ${d.from} -> ${d.to}`;
    case 'symlink':
      return `changed symlink: ${d.path} -> ${d.to} (signed: -> ${d.from})`;
  }
}

/** The first difference (in path order) between the signed entries and the actual ones, or undefined when equal. */
export function firstDifference(signed: readonly ManifestEntry[], actual: readonly ManifestEntry[]): Difference | undefined {
  const a = new Map(signed.map((e) => [e.path, e]));
  const b = new Map(actual.map((e) => [e.path, e]));
  const content = (e: ManifestEntry) => `${e.mode} ${e.sha256} ${e.size}`;
  const missing = signed.filter((e) => !b.has(e.path));
  const added = actual.filter((e) => !a.has(e.path));
  // a missing file whose exact content, size and mode reappear under a new name was renamed
  const renamedFrom = new Map<string, string>();
  const renamedTo = new Map<string, string>();
  for (const m of missing) {
    const to = added.find((x) => !renamedFrom.has(x.path) && content(x) === content(m));
    if (to) {
      renamedFrom.set(to.path, m.path);
      renamedTo.set(m.path, to.path);
    }
  }
  const paths = sortByUtf8([...new Set([...a.keys(), ...b.keys()])], (p) => p);
  for (const p of paths) {
    const s = a.get(p);
    const x = b.get(p);
    if (s && x) {
      if (s.mode === 'link' || x.mode === 'link') {
        if (s.mode !== x.mode) return { kind: 'changed', path: p };
        if (s.target !== x.target) return { kind: 'symlink', path: p, from: s.target ?? '', to: x.target ?? '' };
        continue;
      }
      if (s.sha256 !== x.sha256 || s.size !== x.size) return { kind: 'changed', path: p };
      if (s.mode !== x.mode) return { kind: 'mode', path: p, from: s.mode, to: x.mode };
      continue;
    }
    const from = renamedFrom.get(p);
    if (from !== undefined) return { kind: 'renamed', path: p, from };
    const to = renamedTo.get(p);
    if (to !== undefined) return { kind: 'renamed', path: to, from: p };
    return x ? { kind: 'added', path: p } : { kind: 'missing', path: p };
  }
  return undefined;
}

/* ----------------------------------------------------------------------------------------------------------------- */
/* DSSE envelopes and sigstore bundles (public-key variant)                                                            */
/* ----------------------------------------------------------------------------------------------------------------- */

export interface DsseEnvelope {
  payload: string;
  payloadType: string;
  signatures: { sig: string; keyid?: string }[];
}

/** DSSE pre-authentication encoding. */
export function pae(payloadType: string, payload: Buffer): Buffer {
  const t = utf8(payloadType);
  return Buffer.concat([utf8(`DSSEv1 ${t.length} `), t, utf8(` ${payload.length} `), payload]);
}

/** The public-key hint: hex sha256 of the key's SPKI DER. */
export function keyHint(key: crypto.KeyObject): string {
  return sha256Hex(key.export({ type: 'spki', format: 'der' }));
}

export function publicKeyFrom(pem: string | Buffer | crypto.KeyObject): crypto.KeyObject {
  const key = pem instanceof crypto.KeyObject ? pem : crypto.createPublicKey(pem);
  const t = key.asymmetricKeyType;
  if (t !== 'ed25519' && t !== 'ec') throw new IntegrityError('key', `unsupported key type ${t} (Ed25519 or ECDSA P-256)`);
  if (t === 'ec' && key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
    throw new IntegrityError('key', `unsupported curve ${key.asymmetricKeyDetails?.namedCurve} (ECDSA must use P-256)`);
  return key;
}

/** Verify one signature over PAE bytes with a public key (Ed25519: pure; P-256: ECDSA-SHA256, DER). */
export function verifyPae(data: Buffer, key: crypto.KeyObject, sig: Buffer): boolean {
  try {
    return crypto.verify(key.asymmetricKeyType === 'ed25519' ? null : 'sha256', data, key, sig);
  } catch {
    return false;
  }
}

/** The envelope of a sigstore bundle (v0.1 to v0.3 JSON) after a shape check. */
export function envelopeOf(bundle: unknown): { envelope: DsseEnvelope; hint: string | undefined } {
  const b = bundle as {
    mediaType?: unknown;
    dsseEnvelope?: Partial<DsseEnvelope>;
    verificationMaterial?: { publicKey?: { hint?: unknown } };
  };
  if (!b || typeof b !== 'object' || typeof b.mediaType !== 'string' || !b.mediaType.startsWith('application/vnd.dev.sigstore.bundle'))
    throw new IntegrityError('bundle', 'not a sigstore bundle (mediaType application/vnd.dev.sigstore.bundle...)');
  const e = b.dsseEnvelope;
  if (!e || typeof e.payload !== 'string' || typeof e.payloadType !== 'string' || !Array.isArray(e.signatures) || e.signatures.length === 0)
    throw new IntegrityError('bundle', 'the bundle holds no DSSE envelope with a signature');
  const hint = b.verificationMaterial?.publicKey?.hint;
  return { envelope: e as DsseEnvelope, hint: typeof hint === 'string' ? hint : undefined };
}

/** Verify the envelope with one of the keys; returns the payload and the key that verified it. Throws when none does. */
export function verifyEnvelope(envelope: DsseEnvelope, keys: readonly crypto.KeyObject[]): { payload: Buffer; key: crypto.KeyObject } {
  if (envelope.payloadType !== PAYLOAD_TYPE)
    throw new IntegrityError('signature', `payload type ${envelope.payloadType}, expected ${PAYLOAD_TYPE}`);
  const payload = Buffer.from(envelope.payload, 'base64');
  const data = pae(envelope.payloadType, payload);
  for (const s of envelope.signatures) {
    if (typeof s?.sig !== 'string') continue;
    const sig = Buffer.from(s.sig, 'base64');
    for (const key of keys) if (verifyPae(data, key, sig)) return { payload, key };
  }
  throw new IntegrityError('signature', 'signature does not verify with the trusted key (wrong key, or the statement was changed)');
}

export interface Subject {
  name: string;
  digest: Record<string, string>;
}

export interface CodePredicate {
  format: string;
  /** The function or layer this code is signed for, e.g. `fn:orders`, `layer:shared`. */
  name: string;
  manifestDigest: string;
  entries?: number;
  totalBytes?: number;
  zip?: { name: string; sha256: string; codeSha256: string };
  files?: ManifestEntry[];
  [k: string]: unknown;
}

export interface CodeStatement {
  _type: string;
  subject: Subject[];
  predicateType: string;
  predicate: CodePredicate;
}

/**
 * Parse and check an in-toto statement of our predicate type; the manifest digest must be one of its subjects.
 * `checkFiles: false` leaves the listed files unchecked (call `checkStatementFiles` before using them): the cold
 * start compares digests and reads the list only to name a difference.
 */
export function parseStatement(payload: Buffer, checkFiles = true): CodeStatement {
  let st: CodeStatement;
  try {
    st = JSON.parse(payload.toString('utf8')) as CodeStatement;
  } catch {
    throw new IntegrityError('statement', 'the signed payload is not JSON');
  }
  if (st?._type !== STATEMENT_TYPE)
    throw new IntegrityError('statement', `statement type ${String(st?._type)}, expected ${STATEMENT_TYPE}`);
  if (st.predicateType !== PREDICATE_TYPE)
    throw new IntegrityError('statement', `predicate type ${String(st.predicateType)}, expected ${PREDICATE_TYPE}`);
  const p = st.predicate;
  if (!p || p.format !== MANIFEST_FORMAT || typeof p.manifestDigest !== 'string' || !/^[0-9a-f]{64}$/.test(p.manifestDigest))
    throw new IntegrityError('statement', 'the predicate has no manifest digest');
  if (!Array.isArray(st.subject) || !st.subject.some((s) => s?.digest?.sha256 === p.manifestDigest))
    throw new IntegrityError('statement', 'the manifest digest is not a subject of the statement');
  if (checkFiles) checkStatementFiles(st);
  return st;
}

/** The statement's file list, when it has one, must be the manifest its digest names. */
export function checkStatementFiles(st: CodeStatement): void {
  const files = st.predicate.files;
  if (files === undefined) return;
  if (!Array.isArray(files)) throw new IntegrityError('statement', 'predicate.files is not a list');
  if (sha256Hex(canonicalText(files)) !== st.predicate.manifestDigest)
    throw new IntegrityError('statement', 'predicate.files does not match the manifest digest');
}
