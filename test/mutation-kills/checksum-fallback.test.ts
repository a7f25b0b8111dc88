/**
 * The JavaScript lane sum that checksum.ts uses where WebAssembly SIMD is missing
 * (a browser with a content security policy, an old runtime). On this machine the SIMD kernel
 * always answers, so no other test reaches the fallback: here the kernel is made to decline
 * (wasmLaneSum answers -1, as it does when it cannot compile) and every sum is held to the
 * textbook RFC 1071 loop (test/core/arbitraries.ts), for every length, offset and alignment.
 * Mutation testing found the fallback unreached (issue 6).
 */

import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { internetChecksum, onesComplementSum } from '../../src/checksum.js';
import { referenceSum } from '../core/arbitraries.js';

vi.mock('../../src/checksum-wasm.js', () => ({ wasmLaneSum: () => -1, WASM_SUM_CAPACITY: 0x10000 }));

describe('the JavaScript fallback of the checksum lane sum', () => {
  it('every length 40..200 and every start 0..9 of all-0xff and patterned buffers: the textbook sum', () => {
    for (const fill of [(i: number) => 0xff, (i: number) => (i * 151 + 7) & 0xff, (i: number) => (i & 1 ? 0xff : 0)]) {
      const buf = new Uint8Array(220);
      for (let i = 0; i < buf.length; i++) buf[i] = fill(i);
      for (let start = 0; start < 10; start++) {
        for (let len = 40; len <= 200; len++) {
          const part = buf.subarray(start, start + len);
          expect(onesComplementSum(buf, start, start + len), `start ${start} length ${len}`).toBe(referenceSum(part));
        }
      }
    }
  });

  it('with an initial sum, on views at any byteOffset, and as a checksum', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 40, maxLength: 600 }), fc.nat({ max: 7 }), fc.integer({ min: 0, max: 0xffff }), (bytes, shift, initial) => {
        const backing = new Uint8Array(bytes.length + shift);
        backing.set(bytes, shift);
        const view = backing.subarray(shift);
        const want = referenceSum([...bytes, ...[]]);
        let folded = want + initial;
        while (folded > 0xffff) folded = (folded & 0xffff) + (folded >>> 16);
        expect(onesComplementSum(view, 0, view.length, initial)).toBe(folded);
        expect(internetChecksum(view)).toBe(~want & 0xffff);
      }),
      { numRuns: 500 },
    );
  });

  it('a large buffer of 0xff (sums far beyond 2^32 before folding)', () => {
    const big = new Uint8Array(1 << 20).fill(0xff);
    expect(onesComplementSum(big)).toBe(0xffff);
    big[big.length - 1] = 0;
    expect(onesComplementSum(big)).toBe(referenceSum(big));
  });
});
