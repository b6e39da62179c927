/** The WebAssembly anchor loop finds exactly what the JavaScript loop finds (fuzzed), across resumes and memory growth. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { scanAnchors } from '../../../src/analyze/secrets/anchors.js';
import { detectorCatalogue } from '../../../src/analyze/secrets/detectors.js';
import { createAnchorScanner } from '../../../src/analyze/secrets/wasmAnchors.js';

const set = detectorCatalogue().set;
const scanner = createAnchorScanner(set);

function hits(run: (cb: (id: number, end: number) => boolean) => boolean): string[] {
  const out: string[] = [];
  run((id, end) => {
    out.push(`${id}@${end}`);
    return true;
  });
  return out;
}
const js = (b: Uint8Array, n = b.length) => hits((cb) => scanAnchors(set, b, n, cb));
const wasm = (b: Uint8Array, n = b.length) => hits((cb) => scanner.scan(b, n, cb));

describe('WebAssembly anchor scanner', () => {
  test('is used on this runtime', () => {
    assert.equal(scanner.engine, 'wasm');
  });

  test('same hits as the JavaScript loop on random text made of anchors', () => {
    const piece = fc.oneof(fc.constantFrom(...set.anchors, ...set.anchors.map((a) => a.toUpperCase())), fc.string({ maxLength: 6 }));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 120 }), (parts) => {
        const b = Buffer.from(parts.join(''));
        assert.deepEqual(wasm(b), js(b));
      }),
      { numRuns: 1500 },
    );
  });

  test('same hits on arbitrary bytes and on a prefix of the buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.nat(), (b, cut) => {
        const n = b.length === 0 ? 0 : cut % b.length;
        assert.deepEqual(wasm(b, n), js(b, n));
      }),
      { numRuns: 500 },
    );
  });

  test('resumes when more hits than its output area holds, and grows for big inputs', () => {
    const many = Buffer.from('token '.repeat(200_000)); // 200,000 hits: several resumes
    assert.deepEqual(wasm(many), js(many));
    const big = Buffer.alloc(12 * 1024 * 1024, 0x61);
    big.write('ghp_', 12 * 1024 * 1024 - 10);
    assert.deepEqual(wasm(big), js(big));
    const small = Buffer.from('x = process.env.TOKEN');
    assert.deepEqual(wasm(small), js(small), 'still right after growing');
  });

  test('anchors across the middle of the buffer (where the two interleaved runs meet) are found once', () => {
    for (const n of [80, 81, 97, 160, 161, 333, 640, 641, 643, 1000]) {
      for (let p = 0; p + 20 <= n; p++) {
        const b = Buffer.alloc(n, 0x2e);
        b.write('putty-user-key-file-', p);
        b.write('ghp_', Math.max(0, n - p - 4));
        b.write('://', Math.floor(n / 4) + (p % 7) - 3);
        b.write('token', Math.floor(n / 2) + (p % 9) - 4);
        assert.deepEqual(wasm(b), js(b), `n=${n} p=${p}`);
      }
    }
  });

  test('stops when the callback says so', () => {
    const b = Buffer.from('token token token');
    let n = 0;
    const complete = scanner.scan(b, b.length, () => ++n < 2);
    assert.equal(complete, false);
    assert.equal(n, 2);
  });
});
