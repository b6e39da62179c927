/**
 * The keyword prefilter of the secret scanner: one Aho-Corasick automaton over every detector's
 * anchors, compiled to a flat DFA over ASCII-case-folded bytes. One pass over a file's bytes,
 * a single table load per byte, finds every anchor occurrence; files without any are never decoded.
 * Detectors then look only at the text around each hit (gitleaks' keyword prefilter, in one pass
 * instead of one search per keyword).
 */

export interface AnchorSet {
  /** The anchors, lower-case ASCII, index = anchor id. */
  readonly anchors: readonly string[];
  /** Transition table, premultiplied: `next = table[state + byte]` (state = id * 256). */
  readonly table: Int32Array;
  /** States at or above this (premultiplied) value emit anchors. */
  readonly firstAccepting: number;
  /** For accepting states: the anchor ids they emit (index = state id - first accepting id). */
  readonly outputs: readonly (readonly number[])[];
}

/** Build the automaton. Anchors are matched ASCII-case-insensitively. */
export function buildAnchorSet(anchors: readonly string[]): AnchorSet {
  const norm = anchors.map((a) => a.toLowerCase());
  for (const a of norm) {
    if (a.length === 0) throw new Error('empty anchor');
    for (let i = 0; i < a.length; i++) if (a.charCodeAt(i) > 127) throw new Error(`anchor '${a}' is not ASCII`);
  }
  // trie
  const next: Map<number, number>[] = [new Map()];
  const out: number[][] = [[]];
  norm.forEach((a, id) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) {
      const c = a.charCodeAt(i);
      let n = next[s]?.get(c);
      if (n === undefined) {
        n = next.length;
        next.push(new Map());
        out.push([]);
        next[s]?.set(c, n);
      }
      s = n;
    }
    out[s]?.push(id);
  });
  const n = next.length;
  // failure links, breadth first
  const fail = new Int32Array(n);
  const order: number[] = [0];
  const queue: number[] = [];
  for (const child of next[0]?.values() ?? []) queue.push(child);
  for (let qi = 0; qi < queue.length; qi++) {
    const s = queue[qi] as number;
    order.push(s);
    for (const [c, child] of next[s] ?? []) {
      let f = fail[s] as number;
      while (f !== 0 && !next[f]?.has(c)) f = fail[f] as number;
      const g = next[f]?.get(c);
      fail[child] = g !== undefined && g !== child ? g : 0;
      out[child] = [...(out[child] ?? []), ...(out[fail[child] as number] ?? [])];
      queue.push(child);
    }
  }
  // dense transitions over folded bytes: a state's row is its failure state's row (built before it, breadth first)
  // with its own edges on top; an edge on a lowercase letter is taken on the uppercase one too
  const delta = new Int32Array(n * 256);
  for (const s of order) {
    if (s !== 0) delta.copyWithin(s * 256, (fail[s] as number) * 256, (fail[s] as number) * 256 + 256);
    for (const [c, g] of next[s] ?? []) {
      delta[s * 256 + c] = g;
      if (c >= 97 && c <= 122) delta[s * 256 + c - 32] = g;
    }
  }
  // renumber so that every accepting state comes last: one comparison per byte in the scan loop
  const ids = new Int32Array(n);
  let k = 0;
  for (let s = 0; s < n; s++) if ((out[s]?.length ?? 0) === 0) ids[s] = k++;
  const firstAcc = k;
  const outputs: number[][] = [];
  for (let s = 0; s < n; s++)
    if ((out[s]?.length ?? 0) > 0) {
      ids[s] = k++;
      outputs.push(out[s] ?? []);
    }
  const table = new Int32Array(n * 256);
  for (let s = 0; s < n; s++)
    for (let b = 0; b < 256; b++) table[(ids[s] as number) * 256 + b] = (ids[delta[s * 256 + b] as number] as number) * 256;
  return { anchors: norm, table, firstAccepting: firstAcc * 256, outputs };
}

/**
 * Find anchor occurrences in `bytes[0..length)`. Calls `onHit(anchorId, endOffset)` (end exclusive,
 * in bytes) for each. Returns false when it stopped early because `onHit` returned false.
 */
export function scanAnchors(
  set: AnchorSet,
  bytes: Uint8Array,
  length: number,
  onHit: (anchorId: number, end: number) => boolean | undefined,
): boolean {
  const table = set.table;
  const acc = set.firstAccepting;
  let s = 0;
  for (let i = 0; i < length; i++) {
    s = table[s + (bytes[i] as number)] as number;
    if (s >= acc) {
      const outs = set.outputs[(s - acc) >> 8] as readonly number[];
      for (let j = 0; j < outs.length; j++) if (onHit(outs[j] as number, i + 1) === false) return false;
    }
  }
  return true;
}

/** Anchor occurrences in a (short) string, e.g. an IaC value: same automaton, over UTF-16 code units < 256. */
export function scanAnchorsInString(set: AnchorSet, text: string, onHit: (anchorId: number, end: number) => void): void {
  const table = set.table;
  const acc = set.firstAccepting;
  let s = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    s = table[s + (c < 256 ? c : 0)] as number;
    if (s >= acc) {
      const outs = set.outputs[(s - acc) >> 8] as readonly number[];
      for (const o of outs) onHit(o, i + 1);
    }
  }
}
