/**
 * The anchor automaton's inner loop in WebAssembly: the same table and the same result as
 * `scanAnchors()` (anchors.ts), about 1.5 times faster, because the loop is the whole cost of a secret
 * scan. The module is assembled here from its instructions (about 100 bytes, no build step, no
 * binary blob in the repository), compiled on first use, and falls back to the JavaScript loop
 * wherever WebAssembly is not available.
 *
 * Function `scan(table, data, i, n, s, acc, out, max) -> k`: from byte `i` to `n` of `data`, in state `s`
 * (premultiplied by 256), `s = table[s + byte]`; whenever `s >= acc`, append `(s, i + 1)` to `out`;
 * stop early when `k` reaches `max` (the caller resumes from the last hit).
 */
import { type AnchorSet, scanAnchors } from './anchors.js';

function uleb(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  let v = n | 0;
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];

/** The module's bytes. */
export function anchorScanModule(): Uint8Array {
  const I32 = 0x7f;
  const [T, D, I, N, S, ACC, O, MAX, K] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const get = (x: number) => [0x20, x];
  const set = (x: number) => [0x21, x];
  const tee = (x: number) => [0x22, x];
  const c = (v: number) => [0x41, ...sleb(v)];
  const ADD = 0x6a;
  const SHL = 0x74;
  const GE_U = 0x4f;
  /** `out[k] = value` (offset 0) or `out[k + 1] = value` (offset 4), out and k being locals. */
  const store = (o: number, k: number, value: number[], offset: number) => [
    ...get(o),
    ...get(k),
    ...c(2),
    SHL,
    ADD,
    ...value,
    0x36,
    2,
    offset,
  ];
  // biome-ignore format: one instruction per line would hide the loop
  const body = [
    0x02, 0x40, // block $done
    0x03, 0x40, // loop $next
    ...get(I), ...get(N), GE_U, 0x0d, 1, // if i >= n: break $done
    // s = table[s + data[i]]
    ...get(S), ...get(D), ...get(I), ADD, 0x2d, 0, 0, ADD, ...c(2), SHL, ...get(T), ADD, 0x28, 2, 0, ...tee(S),
    ...get(ACC), GE_U, 0x04, 0x40, // if s >= acc
    ...store(O, K, get(S), 0), // out[k] = s
    ...store(O, K, [...get(I), ...c(1), ADD], 4), // out[k + 1] = i + 1
    ...get(K), ...c(2), ADD, ...tee(K), ...get(MAX), GE_U, 0x0d, 2, // k += 2; if k >= max: break $done
    0x0b, // end if
    ...get(I), ...c(1), ADD, ...set(I), // i++
    0x0c, 0, // continue $next
    0x0b, // end loop
    0x0b, // end block
    ...get(K),
    0x0b, // end function
  ];
  const func = [...vec([[1, I32]]), ...body];
  // scanN(t, d, c, acc, max, then per run r: b, lo, hi, o) -> 0 | -1: RUNS interleaved runs, run r over
  // [b, b + c), emitting the hits that end in (lo, hi] to its own output area (count at o - 4). The runs'
  // table loads do not depend on each other, so the processor overlaps them (the single loop waits for
  // each load before the next). -1: an output area is full (the caller falls back to `scan`).
  const [TN, DN, CN, ACCN, MAXN] = [0, 1, 2, 3, 4];
  const runParam = (r: number, k: number) => 5 + r * 4 + k; // k: 0 b, 1 lo, 2 hi, 3 o
  const nParams = 5 + RUNS * 4;
  const IN = nParams;
  const st = (r: number) => nParams + 1 + r;
  const kk = (r: number) => nParams + 1 + RUNS + r;
  const EN = nParams + 1 + 2 * RUNS;
  const GT_U = 0x4b;
  const LE_U = 0x4d;
  const bodyN: number[] = [0x02, 0x40, 0x03, 0x40, ...get(IN), ...get(CN), GE_U, 0x0d, 1];
  // every run: s_r = table[s_r + data[b_r + i]]
  for (let r = 0; r < RUNS; r++) {
    const load = [...get(DN), ...get(runParam(r, 0)), ...get(IN), ADD, ADD, 0x2d, 0, 0];
    bodyN.push(...get(st(r)), ...load, ADD, ...c(2), SHL, ...get(TN), ADD, 0x28, 2, 0, ...set(st(r)));
  }
  // every run: if s_r >= acc and lo_r < end <= hi_r, append (s_r, end); -1 when its area is full
  for (let r = 0; r < RUNS; r++) {
    const [b, lo, hi, o] = [0, 1, 2, 3].map((k) => runParam(r, k)) as [number, number, number, number];
    const end = [...get(b), ...get(IN), ADD, ...c(1), ADD, ...tee(EN)];
    const inRange = [...end, ...get(lo), GT_U, ...get(EN), ...get(hi), LE_U, 0x71 /* and */];
    const full = [...get(kk(r)), ...c(2), ADD, ...tee(kk(r)), ...get(MAXN), GE_U, 0x04, 0x40, ...c(-1), 0x0f, 0x0b];
    const append = [...store(o, kk(r), get(st(r)), 0), ...store(o, kk(r), get(EN), 4), ...full];
    bodyN.push(...get(st(r)), ...get(ACCN), GE_U, 0x04, 0x40, ...inRange, 0x04, 0x40, ...append, 0x0b, 0x0b);
  }
  bodyN.push(...get(IN), ...c(1), ADD, ...set(IN), 0x0c, 0, 0x0b, 0x0b);
  for (let r = 0; r < RUNS; r++) bodyN.push(...get(runParam(r, 3)), ...c(4), 0x6b /* sub */, ...get(kk(r)), 0x36, 2, 0);
  bodyN.push(...c(0), 0x0b);
  const funcN = [...vec([[1 + 2 * RUNS + 1, I32]]), ...bodyN];
  // biome-ignore format: the module layout, section by section
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec(Array.from({ length: 8 }, () => [I32])), ...vec([[I32]])], [0x60, ...vec(Array.from({ length: nParams }, () => [I32])), ...vec([[I32]])]])),
    ...section(3, vec([[0], [1]])),
    ...section(5, vec([[0x00, ...uleb(16)]])),
    ...section(7, vec([[...name('mem'), 0x02, 0], [...name('scan'), 0x00, 0], [...name('scanN'), 0x00, 1]])),
    ...section(10, vec([[...uleb(func.length), ...func], [...uleb(funcN.length), ...funcN]])),
  ];
  return Uint8Array.from(bytes);
}

export interface AnchorScanner {
  /** Same contract as `scanAnchors(set, bytes, length, onHit)`. */
  scan(bytes: Uint8Array, length: number, onHit: (anchorId: number, end: number) => boolean | undefined): boolean;
  readonly engine: 'wasm' | 'js';
}

/** The part of the WebAssembly API used here (the project's TypeScript lib has no WebAssembly types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

const PAGE = 65536;
/** Interleaved runs of `scanN`. */
export const RUNS = 4;
const MAX_OUT = 1 << 16; // (state, end) pairs per call

/** A scanner for one anchor set: WebAssembly when available, else the JavaScript loop. */
export function createAnchorScanner(set: AnchorSet): AnchorScanner {
  const js: AnchorScanner = { engine: 'js', scan: (bytes, length, onHit) => scanAnchors(set, bytes, length, onHit) };
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!wasm) return js;
  let mem: WasmMemory;
  let run: (t: number, d: number, i: number, n: number, s: number, acc: number, o: number, max: number) => number;
  let runN: (...args: number[]) => number;
  try {
    const inst = new wasm.Instance(new wasm.Module(anchorScanModule()), {});
    mem = inst.exports.mem as WasmMemory;
    run = inst.exports.scan as typeof run;
    runN = inst.exports.scanN as typeof runN;
  } catch {
    return js;
  }
  const tableBytes = set.table.length * 4;
  const outOff = tableBytes;
  // one output area per run (the first also serves `scan`), each preceded by a count slot
  const areaBytes = MAX_OUT * 2 * 4 + 16;
  const areas = Array.from({ length: RUNS }, (_, r) => outOff + 16 + r * areaBytes);
  const dataOff = outOff + 16 + RUNS * areaBytes;
  const longest = Math.max(...set.anchors.map((a) => a.length));
  let capacity = 0;
  let u8 = new Uint8Array(0);
  let i32 = new Int32Array(0);
  const ensure = (length: number) => {
    if (dataOff + length + 4096 <= capacity) return;
    const want = Math.ceil((dataOff + Math.max(length, 1 << 20) + 4096) / PAGE);
    const have = mem.buffer.byteLength / PAGE;
    if (want > have) mem.grow(want - have);
    capacity = mem.buffer.byteLength;
    u8 = new Uint8Array(mem.buffer);
    i32 = new Int32Array(mem.buffer);
    i32.set(set.table, 0);
  };
  const acc = set.firstAccepting;
  /** Hand the (state, end) pairs of an output area to `onHit`, one call per anchor of the state. */
  const deliver = (base: number, k: number, onHit: (anchorId: number, end: number) => boolean | undefined): boolean => {
    for (let j = 0; j < k; j += 2) {
      const outs = set.outputs[((i32[base + j] as number) - acc) >> 8] as readonly number[];
      const end = i32[base + j + 1] as number;
      for (let q = 0; q < outs.length; q++) if (onHit(outs[q] as number, end) === false) return false;
    }
    return true;
  };
  return {
    engine: 'wasm',
    scan(bytes, length, onHit) {
      try {
        ensure(length);
      } catch {
        return scanAnchors(set, bytes, length, onHit); // cannot grow the memory: the JS loop needs none
      }
      u8.set(length === bytes.length ? bytes : bytes.subarray(0, length), dataOff);
      if (length >= 8 * longest * RUNS) {
        const part = Math.ceil(length / RUNS);
        const c = part + longest;
        const args = [0, dataOff, c, acc, MAX_OUT * 2];
        for (let r = 0; r < RUNS; r++) {
          const lo = r * part;
          args.push(Math.max(0, lo - (longest - 1)), lo, Math.min(length, lo + part), areas[r] as number);
        }
        if (runN(...args) === 0) {
          for (let r = 0; r < RUNS; r++) {
            const base = (areas[r] as number) >> 2;
            if (!deliver(base, i32[base - 1] as number, onHit)) return false;
          }
          return true;
        }
        // more hits than an output area holds: the single run below resumes as often as needed
      }
      let i = 0;
      let s = 0;
      for (;;) {
        const k = run(0, dataOff, i, length, s, acc, areas[0] as number, MAX_OUT * 2);
        const base = (areas[0] as number) >> 2;
        if (!deliver(base, k, onHit)) return false;
        if (k < MAX_OUT * 2) return true;
        // the output area is full: resume after the last hit, in its state
        s = i32[base + k - 2] as number;
        i = i32[base + k - 1] as number;
      }
    },
  };
}
