/**
 * The fast checksum paths pinned to the plain one: the SIMD kernel (checksum-wasm.ts),
 * the small byte-pair loop and the DataView fallback must give exactly what a
 * textbook byte-pair loop gives, for every length, start offset, byteOffset and
 * `initial`. No timings here: `npm run bench` measures.
 */

import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { foldSum, onesComplementSum } from '../../src/index.js';
import { WASM_SUM_CAPACITY, wasmLaneSum } from '../../src/checksum-wasm.js';

/** RFC 1071 §4.1's loop: big-endian byte pairs, an odd last byte as the high byte, then `initial`. */
function plainSum(b: Uint8Array, start = 0, end = b.length, initial = 0): number {
  let sum = 0;
  let i = start;
  for (; i + 1 < end; i += 2) sum += (b[i] as number) * 256 + (b[i + 1] as number);
  if (i < end) sum += (b[i] as number) * 256;
  // Fold by division: exact for any sum below 2^53.
  while (sum > 0xffff) sum = (sum % 0x10000) + Math.floor(sum / 0x10000);
  sum += initial;
  while (sum > 0xffff) sum = (sum % 0x10000) + Math.floor(sum / 0x10000);
  return sum;
}

/** Deterministic bytes (xorshift), so a failure names a length and an offset that reproduce. */
function pseudoRandomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed | 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

describe('onesComplementSum equals the plain byte-pair sum', () => {
  it('for every length 0..2000 at start offsets 0..7 (and byteOffsets 0..7)', () => {
    const pool = pseudoRandomBytes(2000 + 16, 0x9e3779b9);
    for (let n = 0; n <= 2000; n++) {
      for (let off = 0; off < 8; off++) {
        // The range inside a larger buffer (start = off) ...
        const expected = plainSum(pool, off, off + n);
        const got = onesComplementSum(pool, off, off + n);
        if (got !== expected) expect({ n, off, got }).toEqual({ n, off, got: expected });
        // ... and the same bytes as a view whose byteOffset is off.
        const view = pool.subarray(off, off + n);
        const got2 = onesComplementSum(view);
        if (got2 !== expected) expect({ n, off, view: true, got: got2 }).toEqual({ n, off, view: true, got: expected });
      }
    }
  });

  it('for arbitrary bytes, ranges and initial sums', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 3000 }),
        fc.nat(),
        fc.nat(),
        fc.oneof(fc.constant(0), fc.nat({ max: 0xffff }), fc.nat({ max: 2 ** 40 })),
        (b, x, y, initial) => {
          const s = b.length === 0 ? 0 : x % (b.length + 1);
          const e = s + (b.length - s === 0 ? 0 : y % (b.length - s + 1));
          expect(onesComplementSum(b, s, e, initial)).toBe(plainSum(b, s, e, initial));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('on all-0xff bytes at and around the kernel capacity (the largest lane sums)', () => {
    for (const n of [WASM_SUM_CAPACITY - 1, WASM_SUM_CAPACITY, WASM_SUM_CAPACITY + 1, 3 * WASM_SUM_CAPACITY + 7]) {
      for (const off of [0, 1]) {
        const big = new Uint8Array(n + off + 1).fill(0xff);
        expect(onesComplementSum(big, off, off + n)).toBe(plainSum(big, off, off + n));
      }
    }
  });

  it('on ranges inside buffers larger than the kernel memory (copied in chunks)', () => {
    const big = pseudoRandomBytes(5 * WASM_SUM_CAPACITY + 3, 12345);
    for (const [s, e] of [
      [0, big.length],
      [1, big.length],
      [7, big.length - 1],
      [WASM_SUM_CAPACITY - 5, WASM_SUM_CAPACITY + 1500],
      [3 * WASM_SUM_CAPACITY + 1, 3 * WASM_SUM_CAPACITY + 41],
      [100, 100 + 2 * WASM_SUM_CAPACITY + 1],
    ] as const) {
      expect(onesComplementSum(big, s, e)).toBe(plainSum(big, s, e));
    }
  });

  it('refuses a range outside the buffer instead of reading beyond it', () => {
    const b = new Uint8Array(100);
    expect(() => onesComplementSum(b, 0, 101)).toThrowError(expect.objectContaining({ code: 'OUT_OF_RANGE' }));
    expect(() => onesComplementSum(b, -1, 50)).toThrowError(expect.objectContaining({ code: 'OUT_OF_RANGE' }));
  });
});

describe('the SIMD kernel itself', () => {
  it('is available on this Node (otherwise the bench measures the fallback)', () => {
    expect(wasmLaneSum(new Uint8Array(64), 0, 64)).toBe(0);
  });

  it('leaves no bytes behind from an earlier, longer call', () => {
    const long = new Uint8Array(4096).fill(0xff);
    wasmLaneSum(long, 0, long.length);
    const short = Uint8Array.of(1, 2, 3);
    // Lanes little-endian: 0x0201 + 0x0003.
    expect(foldSum(wasmLaneSum(short, 0, 3))).toBe(0x0204);
  });
});

describe('without WebAssembly (the DataView fallback)', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('gives the same sums', async () => {
    vi.stubGlobal('WebAssembly', undefined);
    vi.resetModules();
    const fresh = await import('../../src/checksum.js');
    const kernel = await import('../../src/checksum-wasm.js');
    expect(kernel.wasmLaneSum(new Uint8Array(64), 0, 64)).toBe(-1);
    const pool = pseudoRandomBytes(1600, 777);
    for (let n = 0; n <= 1500; n += 7) {
      for (let off = 0; off < 4; off++) {
        expect(fresh.onesComplementSum(pool, off, off + n, 0x1234)).toBe(plainSum(pool, off, off + n, 0x1234));
      }
    }
  });
});
