/**
 * Sequence arithmetic modulo 2^32 (RFC 9293 §3.4, RFC 1982). The oracle is
 * BigInt arithmetic written out here: exact, with no 32-bit tricks to share bugs with.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SEQ_MODULUS,
  TcpWireError,
  isSeq,
  parseSeq,
  segmentLength,
  seqAdd,
  seqCompare,
  seqDiff,
  seqGe,
  seqGt,
  seqInWindow,
  seqLe,
  seqLt,
  seqSub,
} from '../../src/index.js';
import { U32_EDGES, seqArb } from './arbitraries.js';

const M = 1n << 32n;
const HALF = 1n << 31n;
const mod = (x: bigint): bigint => ((x % M) + M) % M;
/** (a - b) as Linux's (s32)(a - b): the representative of a - b mod 2^32 in [-2^31, 2^31). */
const refDiff = (a: number, b: number): number => {
  const d = mod(BigInt(a) - BigInt(b));
  return Number(d >= HALF ? d - M : d);
};
const refAdd = (a: number, n: number): number => Number(mod(BigInt(a) + BigInt(n)));

describe('seqAdd / seqSub', () => {
  it('wraps at 2^32, not at 2^32 - 1 (gopacket used 0xFFFFFFFF as the modulus)', () => {
    expect(seqAdd(0xffff_ffff, 1)).toBe(0);
    expect(seqAdd(0xffff_ffff, 2)).toBe(1);
    expect(seqAdd(0x7fff_ffff, 1)).toBe(0x8000_0000);
    expect(seqAdd(0x8000_0000, 0x8000_0000)).toBe(0);
    expect(seqAdd(0, -1)).toBe(0xffff_ffff);
    expect(seqSub(0, 1)).toBe(0xffff_ffff);
    expect(seqSub(5, 0xffff_ffff)).toBe(6);
    expect(SEQ_MODULUS).toBe(2 ** 32);
  });

  it('a TypeScript stack overflowed at 2^32 + 44: seqAdd never leaves 0..2^32-1', () => {
    expect(seqAdd(0xffff_ffff, 45)).toBe(44);
    expect(seqAdd(2 ** 32 - 1, 2 ** 40 + 3)).toBe(2);
  });

  it('matches BigInt arithmetic for any n, including large and negative', () => {
    fc.assert(
      fc.property(seqArb(), fc.oneof(fc.integer({ min: -(2 ** 33), max: 2 ** 33 }), fc.constantFrom(...U32_EDGES)), (a, n) => {
        const r = seqAdd(a, n);
        expect(r).toBe(refAdd(a, n));
        expect(seqSub(a, n)).toBe(refAdd(a, -n));
      }),
    );
  });
});

describe('seqDiff', () => {
  it('is the signed distance in [-2^31, 2^31)', () => {
    expect(seqDiff(0, 0xffff_ffff)).toBe(1);
    expect(seqDiff(0xffff_ffff, 0)).toBe(-1);
    expect(seqDiff(0x7fff_ffff, 0)).toBe(0x7fff_ffff);
    expect(seqDiff(0x8000_0000, 0)).toBe(-(2 ** 31));
    expect(seqDiff(0, 0x8000_0000)).toBe(-(2 ** 31));
  });

  it('matches (s32)(a - b) computed with BigInt', () => {
    fc.assert(
      fc.property(seqArb(), seqArb(), (a, b) => {
        const d = seqDiff(a, b);
        expect(d).toBe(refDiff(a, b));
        expect(d).toBeGreaterThanOrEqual(-(2 ** 31));
        expect(d).toBeLessThan(2 ** 31);
      }),
    );
  });

  it('seqAdd(a, seqDiff(b, a)) === b', () => {
    fc.assert(
      fc.property(seqArb(), seqArb(), (a, b) => {
        expect(seqAdd(a, seqDiff(b, a))).toBe(b);
      }),
    );
  });
});

describe('ordering', () => {
  it('at the wrap: 2^32-1 is before 0, 2^31-1 is before 2^31', () => {
    expect(seqLt(0xffff_ffff, 0)).toBe(true);
    expect(seqGt(0, 0xffff_ffff)).toBe(true);
    expect(seqLt(0x7fff_ffff, 0x8000_0000)).toBe(true);
    expect(seqGt(0x8000_0000, 0x7fff_ffff)).toBe(true);
    expect(seqLe(5, 5) && seqGe(5, 5) && !seqLt(5, 5) && !seqGt(5, 5)).toBe(true);
  });

  it('is antisymmetric when a != b and they are not 2^31 apart', () => {
    fc.assert(
      fc.property(seqArb(), seqArb(), (a, b) => {
        fc.pre(a !== b && mod(BigInt(a) - BigInt(b)) !== HALF);
        expect(seqLt(a, b)).not.toBe(seqLt(b, a));
        expect(seqGt(a, b)).toBe(seqLt(b, a));
        expect(seqLe(a, b)).toBe(seqLt(a, b));
        expect(seqGe(a, b)).toBe(seqGt(a, b));
        expect(seqCompare(a, b)).toBe(seqLt(a, b) ? -1 : 1);
        expect(seqCompare(b, a)).toBe(-seqCompare(a, b));
      }),
    );
  });

  it('agrees with the sign of the BigInt distance', () => {
    fc.assert(
      fc.property(seqArb(), seqArb(), (a, b) => {
        const d = refDiff(a, b);
        expect(seqLt(a, b)).toBe(d < 0);
        expect(seqLe(a, b)).toBe(d <= 0);
        expect(seqGt(a, b)).toBe(refDiff(b, a) < 0);
        expect(seqGe(a, b)).toBe(refDiff(b, a) <= 0);
        expect(seqCompare(a, b)).toBe(d < 0 ? -1 : d > 0 ? 1 : 0);
      }),
    );
  });

  it('is reflexive for <= and >=, irreflexive for < and >', () => {
    fc.assert(
      fc.property(seqArb(), (a) => {
        expect([seqLe(a, a), seqGe(a, a), seqLt(a, a), seqGt(a, a), seqCompare(a, a)]).toEqual([true, true, false, false, 0]);
      }),
    );
  });

  // RFC 1982 §3.2 leaves the order of two numbers exactly 2^31 apart undefined.
  // tcpwire does what Linux does: before(a, b) and before(b, a) both hold, and
  // after(a, b) is before(b, a), so both hold too. seqCompare follows seqDiff.
  it('exactly 2^31 apart: seqLt and seqGt hold both ways (Linux before/after), seqDiff is -2^31 both ways', () => {
    fc.assert(
      fc.property(seqArb(), (a) => {
        const b = seqAdd(a, 2 ** 31);
        expect(seqLt(a, b)).toBe(true);
        expect(seqLt(b, a)).toBe(true);
        expect(seqGt(a, b)).toBe(true);
        expect(seqGt(b, a)).toBe(true);
        expect(seqLe(a, b) && seqLe(b, a)).toBe(true);
        expect(seqGe(a, b) && seqGe(b, a)).toBe(true);
        expect(seqDiff(a, b)).toBe(-(2 ** 31));
        expect(seqDiff(b, a)).toBe(-(2 ** 31));
        expect(seqCompare(a, b)).toBe(-1);
        expect(seqCompare(b, a)).toBe(-1);
      }),
    );
    expect(seqLt(0, 0x8000_0000) && seqLt(0x8000_0000, 0)).toBe(true);
    expect(seqLt(0x7fff_ffff, 0xffff_ffff) && seqLt(0xffff_ffff, 0x7fff_ffff)).toBe(true);
  });
});

describe('seqInWindow', () => {
  it('start <= x < start + size, across the wrap', () => {
    expect(seqInWindow(0xffff_fffe, 0xffff_fffe, 4)).toBe(true);
    expect(seqInWindow(1, 0xffff_fffe, 4)).toBe(true);
    expect(seqInWindow(2, 0xffff_fffe, 4)).toBe(false);
    expect(seqInWindow(0xffff_fffd, 0xffff_fffe, 4)).toBe(false);
    expect(seqInWindow(7, 7, 0)).toBe(false);
    expect(seqInWindow(6, 7, 0xffff_ffff)).toBe(false);
    expect(seqInWindow(5, 7, 0xffff_ffff)).toBe(true);
  });

  it('matches (x - start) mod 2^32 < size computed with BigInt', () => {
    fc.assert(
      fc.property(seqArb(), seqArb(), fc.oneof(fc.constantFrom(0, 1, 65535, 2 ** 30, 2 ** 31, 2 ** 32 - 1), fc.integer({ min: 0, max: 2 ** 32 - 1 })), (x, start, size) => {
        expect(seqInWindow(x, start, size)).toBe(mod(BigInt(x) - BigInt(start)) < BigInt(size));
      }),
    );
  });

  it('for windows below 2^31 equals seqLe(start, x) && seqLt(x, start + size)', () => {
    fc.assert(
      fc.property(seqArb(), seqArb(), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (x, start, size) => {
        expect(seqInWindow(x, start, size)).toBe(seqLe(start, x) && seqLt(x, seqAdd(start, size)));
      }),
    );
  });
});

describe('seqInWindow: the window size is a 32-bit count, 0 to 2^32 - 1', () => {
  const EDGES = [0, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1];

  it('at the edge sizes 0, 2^31 - 1, 2^31 and 2^32 - 1: exactly the first `size` numbers from start, with BigInt', () => {
    fc.assert(
      fc.property(seqArb(), seqArb(), fc.constantFrom(...EDGES), (x, start, size) => {
        expect(seqInWindow(x, start, size)).toBe(mod(BigInt(x) - BigInt(start)) < BigInt(size));
        // the window's own ends: start is in it unless it is empty, start + size never is
        expect(seqInWindow(start, start, size)).toBe(size > 0);
        expect(seqInWindow(Number(mod(BigInt(start) + BigInt(size))), start, size)).toBe(false);
        if (size > 0) expect(seqInWindow(Number(mod(BigInt(start) + BigInt(size) - 1n)), start, size)).toBe(true);
      }),
    );
  });

  it('refuses a size below 0, from 2^32 up, or not an integer: OUT_OF_RANGE, naming the size and the range', () => {
    const bad = fc.oneof(
      fc.constantFrom(-1, 2 ** 32, 2 ** 32 + 1, 2 ** 53, 0.5, 2 ** 31 + 0.5, Number.NaN, Infinity, -Infinity),
      fc.integer({ min: -(2 ** 31), max: -1 }),
      fc.double({ noInteger: true }),
      fc.integer({ min: 2 ** 32, max: Number.MAX_SAFE_INTEGER }),
    );
    fc.assert(
      fc.property(seqArb(), seqArb(), bad, (x, start, size) => {
        let e: unknown;
        try {
          seqInWindow(x, start, size);
        } catch (err) {
          e = err;
        }
        expect(e).toBeInstanceOf(TcpWireError);
        const err = e as TcpWireError;
        expect(err.code).toBe('OUT_OF_RANGE');
        expect(err.offset).toBe(-1);
        expect(err.message).toContain(`window size is ${String(size)}`);
        expect(err.message).toContain('from 0 to 4294967295');
      }),
    );
  });
});

describe('segmentLength (RFC 9293 §3.4 SEG.LEN)', () => {
  it('counts payload bytes, plus one for SYN and one for FIN', () => {
    const p = (n: number) => ({ length: n });
    const f = (syn: boolean, fin: boolean) => ({ syn, fin });
    expect(segmentLength({ payload: p(0), flags: f(false, false) })).toBe(0);
    expect(segmentLength({ payload: p(0), flags: f(true, false) })).toBe(1);
    expect(segmentLength({ payload: p(0), flags: f(false, true) })).toBe(1);
    expect(segmentLength({ payload: p(10), flags: f(true, true) })).toBe(12);
    expect(segmentLength({ payload: p(1460), flags: f(false, false) })).toBe(1460);
  });
});

describe('isSeq / parseSeq', () => {
  it('accepts integers 0..2^32-1 only', () => {
    for (const n of U32_EDGES) expect(isSeq(n)).toBe(true);
    for (const n of [-1, 2 ** 32, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '5', null]) expect(isSeq(n)).toBe(false);
  });

  it('parses decimal and 0x hex, and rejects the rest with OUT_OF_RANGE', () => {
    expect(parseSeq('4294967295')).toBe(0xffff_ffff);
    expect(parseSeq('0xFFFFFFFF')).toBe(0xffff_ffff);
    expect(parseSeq(' 0 ')).toBe(0);
    expect(parseSeq('0x80000000')).toBe(2 ** 31);
    for (const bad of ['4294967296', '-1', '1.5', '', 'abc', '0x', '0x100000000', '1e3']) {
      let err: unknown;
      try {
        parseSeq(bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(TcpWireError);
      expect((err as TcpWireError).code).toBe('OUT_OF_RANGE');
    }
  });
});
