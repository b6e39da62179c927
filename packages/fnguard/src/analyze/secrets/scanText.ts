/**
 * Scan one file's bytes (or a string) for secrets: one pass of the anchor automaton over the bytes;
 * only files with an anchor are decoded, and detectors only read the text around each anchor.
 * Pure: no I/O. Bounded: at most `MAX_ANCHOR_HITS` anchors per file are examined.
 */
import { isAscii } from 'node:buffer';
import { scanAnchors } from './anchors.js';
import { type DetectContext, detectorCatalogue, type SecretHit } from './detectors.js';
import { shannonEntropy } from './primitives.js';
import type { AnchorScanner } from './wasmAnchors.js';

export interface LocatedSecret extends SecretHit {
  /** 1-based line and column (UTF-16 units) of the secret's first character. */
  line: number;
  column: number;
  endLine: number;
  /** For AWS key ids: the line of the secret access key found with it (and the reverse). */
  pairedLine?: number;
}

export interface TextScanOptions {
  configLike: boolean;
  generic: boolean;
}

export interface TextScanResult {
  secrets: LocatedSecret[];
  /** True when the file had more anchors than are examined. */
  truncated: boolean;
}

export const MAX_ANCHOR_HITS = 200_000;

/** Scan `bytes[0..length)`. */
export function scanSecretsInBytes(bytes: Uint8Array, length: number, opts: TextScanOptions, scanner?: AnchorScanner): TextScanResult {
  const cat = detectorCatalogue();
  const ids: number[] = [];
  const ends: number[] = [];
  const prefilters = cat.prefilters;
  const onHit = (id: number, end: number) => {
    if (!(prefilters[id] as (b: Uint8Array, e: number, n: number) => boolean)(bytes, end, length)) return true;
    ids.push(id);
    ends.push(end);
    return ids.length < MAX_ANCHOR_HITS;
  };
  const complete = scanner ? scanner.scan(bytes, length, onHit) : scanAnchors(cat.set, bytes, length, onHit);
  if (ids.length === 0) return { secrets: [], truncated: false };
  // Detectors read a latin1 view of the bytes: one character per byte, so anchor offsets are string
  // indices, and decoding costs nothing. Every pattern is ASCII; non-ASCII bytes match none of them.
  // Positions and values of the (few) secrets found are then re-read as UTF-8 (see `locate`).
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, length);
  const text = buf.toString('latin1', 0, length);
  const ascii = isAscii(buf);
  return { secrets: runDetectors(text, ids, ends, opts, ascii ? undefined : buf), truncated: !complete };
}

/** Scan a string (tests, inline code, values). */
export function scanSecretsInText(text: string, opts: TextScanOptions): TextScanResult {
  const bytes = Buffer.from(text, 'utf8');
  return scanSecretsInBytes(bytes, bytes.length, opts);
}

function runDetectors(
  text: string,
  ids: readonly number[],
  ends: readonly number[],
  opts: TextScanOptions,
  utf8: Buffer | undefined,
): LocatedSecret[] {
  const cat = detectorCatalogue();
  const ctx: DetectContext = { text, configLike: opts.configLike, generic: opts.generic };
  const found: SecretHit[] = [];
  // the same detector at the same anchor start runs once (overlapping anchors such as `pass`/`password=`)
  const lastStart = new Map<object, number>();
  // the byte prefilters already ran in scanSecretsInBytes
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k] as number;
    const anchor = cat.set.anchors[id] as string;
    const end = ends[k] as number;
    const start = end - anchor.length;
    if (start < 0) continue;
    for (const d of cat.byAnchor[id] ?? []) {
      const prev = lastStart.get(d);
      if (prev !== undefined && prev >= start) continue;
      lastStart.set(d, start);
      let h: SecretHit | null;
      try {
        h = d.match(ctx, start, end);
      } catch {
        h = null; // a detector bug must never stop the scan of a file
      }
      if (h && h.end > h.start) found.push(h);
    }
  }
  const kept = resolveOverlaps(found);
  pairAwsKeys(text, kept);
  return locate(text, kept, utf8);
}

/** Keep one hit per span: the highest priority, then the one that knows more (a name, a context), then the longest. */
function resolveOverlaps(hits: SecretHit[]): SecretHit[] {
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: SecretHit[] = [];
  for (const h of hits) {
    const last = out[out.length - 1];
    if (last && h.start < last.end) {
      const better =
        h.priority > last.priority ||
        (h.priority === last.priority &&
          (h.context !== undefined || h.name !== undefined) &&
          last.context === undefined &&
          last.name === undefined);
      const [win, lose] = better ? [h, last] : [last, h];
      const merged: SecretHit = { ...win };
      if (merged.name === undefined && lose.name !== undefined) merged.name = lose.name;
      if (merged.context === undefined && lose.context !== undefined && lose.start === win.start) merged.context = lose.context;
      out[out.length - 1] = merged;
      continue;
    }
    out.push(h);
  }
  return out;
}

const UNNAMED_AWS_SECRET = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;

/** An access key id and a secret access key close together are a usable credential pair. */
function pairAwsKeys(text: string, hits: SecretHit[]): void {
  const ids = hits.filter((h) => h.kind === 'aws-access-key-id');
  if (ids.length === 0) return;
  const secrets = hits.filter((h) => h.kind === 'aws-secret-access-key');
  for (const id of ids) {
    let near = secrets.find((s) => Math.abs(s.start - id.start) < 1500);
    if (!near) {
      // an unnamed 40-character key next to the id (`AKIA..., wJal...` in a script or a CSV)
      const from = Math.max(0, id.start - 600);
      const window = text.slice(from, Math.min(text.length, id.end + 600));
      UNNAMED_AWS_SECRET.lastIndex = 0;
      for (let m = UNNAMED_AWS_SECRET.exec(window); m; m = UNNAMED_AWS_SECRET.exec(window)) {
        const v = m[0];
        if (!(/[a-z]/.test(v) && /[A-Z]/.test(v) && /[0-9]/.test(v)) || shannonEntropy(v) < 4 || /EXAMPLE/.test(v)) continue;
        const start = from + m.index;
        if (hits.some((h) => start < h.end && h.start < start + v.length)) continue;
        near = { kind: 'aws-secret-access-key', rule: 'CSEC-02', confidence: 'high', start, end: start + v.length, value: v, priority: 3 };
        hits.push(near);
        secrets.push(near);
        break;
      }
    }
    if (near) {
      (id as SecretHit & { pairedWith?: SecretHit }).pairedWith = near;
      (near as SecretHit & { pairedWith?: SecretHit }).pairedWith = id;
    }
  }
  hits.sort((a, b) => a.start - b.start);
}

/**
 * UTF-16 length of the UTF-8 bytes [from, to): one unit per character started in the range, two for
 * 4-byte sequences. Counting lead bytes (not decoding) keeps positions inside a character consistent.
 */
function utf16Length(bytes: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const b = bytes[i] as number;
    if ((b & 0xc0) !== 0x80) n += b >= 0xf0 ? 2 : 1;
  }
  return n;
}

function locate(text: string, hits: readonly SecretHit[], utf8: Buffer | undefined): LocatedSecret[] {
  // line starts, computed incrementally over ascending positions
  const positions = new Map<number, { line: number; column: number; index: number }>();
  const wanted = new Set<number>();
  for (const h of hits) {
    wanted.add(h.start);
    wanted.add(h.end);
    wanted.add(Math.max(h.start, h.end - 1));
    const p = (h as SecretHit & { pairedWith?: SecretHit }).pairedWith;
    if (p) wanted.add(p.start);
  }
  const sorted = [...wanted].sort((a, b) => a - b);
  let line = 1;
  let ls = 0;
  let scanFrom = 0;
  // offsets are bytes (the latin1 view); the result speaks UTF-16 indices of the decoded text,
  // computed in one forward pass (linear however many secrets share a line)
  let prev = 0;
  let index = 0;
  let lsIndex = 0;
  const advance = (to: number) => {
    index += utf8 ? utf16Length(utf8, prev, to) : to - prev;
    prev = to;
  };
  for (const pos of sorted) {
    for (let nl = text.indexOf('\n', scanFrom); nl >= 0 && nl < pos; nl = text.indexOf('\n', nl + 1)) {
      line++;
      ls = nl + 1;
      scanFrom = nl + 1;
      advance(ls);
      lsIndex = index;
    }
    scanFrom = Math.max(scanFrom, ls);
    advance(pos);
    positions.set(pos, { line, column: index - lsIndex + 1, index });
  }
  return hits.map((h) => {
    const s = positions.get(h.start) ?? { line: 1, column: 1, index: h.start };
    const e = positions.get(Math.max(h.start, h.end - 1)) ?? s;
    const endIndex = positions.get(h.end)?.index ?? h.end;
    const paired = (h as SecretHit & { pairedWith?: SecretHit }).pairedWith;
    const { pairedWith: _drop, ...rest } = h as SecretHit & { pairedWith?: SecretHit };
    const out: LocatedSecret = { ...rest, start: s.index, end: endIndex, line: s.line, column: s.column, endLine: e.line };
    if (utf8) out.value = utf8.toString('utf8', h.start, h.end);
    if (paired) out.pairedLine = positions.get(paired.start)?.line ?? s.line;
    return out;
  });
}
