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
  // biome-ignore format: one instruction per line would hide the loop
  const body = [
    0x02, 0x40, // block $done
    0x03, 0x40, // loop $next
    ...get(I), ...get(N), GE_U, 0x0d, 1, // if i >= n: break $done
    // s = table[s + data[i]]
    ...get(S), ...get(D), ...get(I), ADD, 0x2d, 0, 0, ADD, ...c(2), SHL, ...get(T), ADD, 0x28, 2, 0, ...tee(S),
    ...get(ACC), GE_U, 0x04, 0x40, // if s >= acc
    ...get(O), ...get(K), ...c(2), SHL, ADD, ...get(S), 0x36, 2, 0, // out[k] = s
    ...get(O), ...get(K), ...c(2), SHL, ADD, ...get(I), ...c(1), ADD, 0x36, 2, 4, // out[k + 1] = i + 1
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
  // scan2(t, d, c, b0, acc, o1, o2, max) -> k1 | -1: two interleaved runs, over [0, c) and [b0, b0 + c),
  // so that the two table loads per step do not wait on each other. Run 1 emits hits ending at or before
  // c, run 2 the ones ending after c (b0 <= c - longest anchor + 1, so no anchor is cut); k2 goes to o2 - 4.
  const [T2, D2, C2, B0, ACC2, O1, O2, MAX2] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [S1, S2, I2, K1, K2, E] = [8, 9, 10, 11, 12, 13];
  const step = (s: number, base: number[]) => [
    ...get(s),
    ...get(D2),
    ...base,
    ADD,
    0x2d,
    0,
    0,
    ADD,
    ...c(2),
    SHL,
    ...get(T2),
    ADD,
    0x28,
    2,
    0,
    ...set(s),
  ];
  const emit = (o: number, k: number, s: number, end: number[]) => [
    ...get(o),
    ...get(k),
    ...c(2),
    SHL,
    ADD,
    ...get(s),
    0x36,
    2,
    0,
    ...get(o),
    ...get(k),
    ...c(2),
    SHL,
    ADD,
    ...end,
    0x36,
    2,
    4,
    ...get(k),
    ...c(2),
    ADD,
    ...tee(k),
    ...get(MAX2),
    GE_U,
    0x04,
    0x40,
    ...c(-1),
    0x0f,
    0x0b, // overflow: return -1
  ];
  // biome-ignore format: one instruction per line would hide the loop
  const body2 = [
    0x02, 0x40, 0x03, 0x40,
    ...get(I2), ...get(C2), GE_U, 0x0d, 1,
    ...step(S1, get(I2)),
    ...step(S2, [...get(B0), ...get(I2), ADD]),
    ...get(S1), ...get(ACC2), GE_U, 0x04, 0x40, ...emit(O1, K1, S1, [...get(I2), ...c(1), ADD]), 0x0b,
    ...get(S2), ...get(ACC2), GE_U, 0x04, 0x40,
      ...get(B0), ...get(I2), ADD, ...c(1), ADD, ...tee(E), ...get(C2), 0x4b /* gt_u */, 0x04, 0x40, ...emit(O2, K2, S2, get(E)), 0x0b,
    0x0b,
    ...get(I2), ...c(1), ADD, ...set(I2),
    0x0c, 0, 0x0b, 0x0b,
    ...get(O2), ...c(4), 0x6b /* sub */, ...get(K2), 0x36, 2, 0,
    ...get(K1), 0x0b,
  ];
  const func2 = [...vec([[6, I32]]), ...body2];
  // biome-ignore format: the module layout, section by section
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec(Array.from({ length: 8 }, () => [I32])), ...vec([[I32]])]])),
    ...section(3, vec([[0], [0]])),
    ...section(5, vec([[0x00, ...uleb(16)]])),
    ...section(7, vec([[...name('mem'), 0x02, 0], [...name('scan'), 0x00, 0], [...name('scan2'), 0x00, 1]])),
    ...section(10, vec([[...uleb(func.length), ...func], [...uleb(func2.length), ...func2]])),
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
const MAX_OUT = 1 << 16; // (state, end) pairs per call

/** A scanner for one anchor set: WebAssembly when available, else the JavaScript loop. */
export function createAnchorScanner(set: AnchorSet): AnchorScanner {
  const js: AnchorScanner = { engine: 'js', scan: (bytes, length, onHit) => scanAnchors(set, bytes, length, onHit) };
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!wasm) return js;
  let mem: WasmMemory;
  let run: (t: number, d: number, i: number, n: number, s: number, acc: number, o: number, max: number) => number;
  let run2: (t: number, d: number, c: number, b0: number, acc: number, o1: number, o2: number, max: number) => number;
  try {
    const inst = new wasm.Instance(new wasm.Module(anchorScanModule()), {});
    mem = inst.exports.mem as WasmMemory;
    run = inst.exports.scan as typeof run;
    run2 = inst.exports.scan2 as typeof run2;
  } catch {
    return js;
  }
  const tableBytes = set.table.length * 4;
  const outOff = tableBytes;
  const out2Off = outOff + MAX_OUT * 2 * 4 + 16;
  const dataOff = out2Off + MAX_OUT * 2 * 4;
  const longest = Math.max(...set.anchors.map((a) => a.length));
  let capacity = 0;
  let u8 = new Uint8Array(0);
  let i32 = new Int32Array(0);
  const ensure = (length: number) => {
    if (dataOff + length <= capacity) return;
    const want = Math.ceil((dataOff + Math.max(length, 1 << 20)) / PAGE);
    const have = mem.buffer.byteLength / PAGE;
    if (want > have) mem.grow(want - have);
    capacity = mem.buffer.byteLength;
    u8 = new Uint8Array(mem.buffer);
    i32 = new Int32Array(mem.buffer);
    i32.set(set.table, 0);
  };
  const acc = set.firstAccepting;
  return {
    engine: 'wasm',
    scan(bytes, length, onHit) {
      try {
        ensure(length);
      } catch {
        return scanAnchors(set, bytes, length, onHit); // cannot grow the memory: the JS loop needs none
      }
      u8.set(length === bytes.length ? bytes : bytes.subarray(0, length), dataOff);
      if (length >= 4 * longest) {
        // two interleaved runs over the two halves (overlapping by the longest anchor)
        const cut = Math.ceil((length + longest - 1) / 2);
        const b0 = length - cut;
        const k1 = run2(0, dataOff, cut, b0, acc, outOff, out2Off, MAX_OUT * 2);
        if (k1 >= 0) {
          const k2 = i32[(out2Off >> 2) - 1] as number;
          for (const [base, k] of [
            [outOff >> 2, k1],
            [out2Off >> 2, k2],
          ] as const) {
            for (let j = 0; j < k; j += 2) {
              const outs = set.outputs[((i32[base + j] as number) - acc) >> 8] as readonly number[];
              const end = i32[base + j + 1] as number;
              for (let q = 0; q < outs.length; q++) if (onHit(outs[q] as number, end) === false) return false;
            }
          }
          return true;
        }
        // more hits than the output areas hold: the single run below resumes as often as needed
      }
      let i = 0;
      let s = 0;
      for (;;) {
        const k = run(0, dataOff, i, length, s, acc, outOff, MAX_OUT * 2);
        const base = outOff >> 2;
        for (let j = 0; j < k; j += 2) {
          const st = i32[base + j] as number;
          const end = i32[base + j + 1] as number;
          const outs = set.outputs[(st - acc) >> 8] as readonly number[];
          for (let q = 0; q < outs.length; q++) if (onHit(outs[q] as number, end) === false) return false;
        }
        if (k < MAX_OUT * 2) return true;
        // the output area is full: resume after the last hit, in its state
        s = i32[base + k - 2] as number;
        i = i32[base + k - 1] as number;
      }
    },
  };
}
