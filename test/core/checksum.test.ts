/**
 * The Internet checksum (RFC 1071) and its incremental update (RFC 1624), and
 * the TCP checksum over the IPv4/IPv6 pseudo-header. Oracles: the RFCs' worked
 * examples and the textbook loop in ./arbitraries.ts (`referenceSum`).
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  TcpWireError,
  encodeSegment,
  foldSum,
  internetChecksum,
  onesComplementSum,
  pseudoHeaderSum,
  tcpChecksum,
  updateChecksum,
  verifyTcpChecksum,
} from '../../src/index.js';
import { addressPairArb, bytesArb, referenceSum, referenceTcpChecksum, segmentArb, wellFormedBytesArb } from './arbitraries.js';

const swap16 = (x: number): number => ((x & 0xff) << 8) | (x >>> 8);

/** `bytes` copied into a larger buffer at `shift`, returned as a subarray (so its byteOffset is `shift`). */
function unaligned(bytes: Uint8Array, shift: number): Uint8Array {
  const big = new Uint8Array(bytes.length + shift + 3).fill(0xa5);
  big.set(bytes, shift);
  return big.subarray(shift, shift + bytes.length);
}

describe('RFC 1071 worked example (§3)', () => {
  // "00 01 f2 03 f4 f5 f6 f7" sums to ddf2 (with carries folded: 2ddf0 -> ddf2).
  const bytes = Uint8Array.of(0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7);

  it('sums to 0xddf2, checksum 0x220d', () => {
    expect(onesComplementSum(bytes)).toBe(0xddf2);
    expect(internetChecksum(bytes)).toBe(0x220d);
  });

  it('the RFC notes the sum is byte-order independent: swapped bytes give the swapped sum', () => {
    const swapped = Uint8Array.of(0x01, 0x00, 0x03, 0xf2, 0xf5, 0xf4, 0xf7, 0xf6);
    expect(onesComplementSum(swapped)).toBe(0xf2dd);
  });

  it('gives the same sum at byteOffset 1, 2 and 3', () => {
    for (const s of [1, 2, 3]) expect(onesComplementSum(unaligned(bytes, s))).toBe(0xddf2);
  });

  it('appending the checksum makes the whole sum 0xffff', () => {
    const withSum = Uint8Array.of(...bytes, 0x22, 0x0d);
    expect(onesComplementSum(withSum)).toBe(0xffff);
  });
});

describe('RFC 1624 incremental update', () => {
  it('§4 example: HC 0xdd2f, m 0x5555 -> m\' 0x3285 gives 0x0000 by eqn. 3', () => {
    expect(updateChecksum(0xdd2f, 0x5555, 0x3285)).toBe(0x0000);
  });

  it('a change that leaves the word alone leaves the checksum alone', () => {
    fc.assert(
      fc.property(bytesArb(2, 64), (b) => {
        const hc = internetChecksum(b);
        fc.pre(hc !== 0xffff); // all-zero data: see the next test
        const w = ((b[0] as number) << 8) | (b[1] as number);
        expect(updateChecksum(hc, w, w)).toBe(hc);
      }),
    );
  });

  it('equals recomputation after changing any one 16-bit word (data not all zero afterwards)', () => {
    fc.assert(
      fc.property(bytesArb(2, 200), fc.nat(), fc.integer({ min: 0, max: 0xffff }), (b, at, newWord) => {
        const i = 2 * (at % Math.floor(b.length / 2));
        const oldWord = ((b[i] as number) << 8) | (b[i + 1] as number);
        const hc = internetChecksum(b);
        const c = b.slice();
        c[i] = newWord >>> 8;
        c[i + 1] = newWord & 0xff;
        // Recomputed, an all-zero buffer sums to 0 and checks to 0xffff; eqn. 3
        // gives the other zero, 0x0000. No TCP segment is all zero (the pseudo-header carries 6).
        fc.pre(c.some((x) => x !== 0));
        expect(updateChecksum(hc, oldWord, newWord)).toBe(internetChecksum(c));
      }),
    );
  });

  it('equals recomputation of a TCP checksum after changing the window (IPv4 and IPv6)', () => {
    fc.assert(
      fc.property(segmentArb(32), addressPairArb(), fc.integer({ min: 0, max: 0xffff }), ({ segment }, { src, dst }, win) => {
        const before = encodeSegment(segment, { src, dst });
        const after = encodeSegment({ ...segment, window: win }, { src, dst });
        const hc = ((before[16] as number) << 8) | (before[17] as number);
        expect(updateChecksum(hc, segment.window, win)).toBe(tcpChecksum(after, src, dst));
      }),
    );
  });

  it('rejects values that are not 16-bit with OUT_OF_RANGE', () => {
    const cases: [number, number, number][] = [
      [0x10000, 0, 0],
      [0, -1, 0],
      [0, 0, 1.5],
      [Number.NaN, 0, 0],
    ];
    for (const [hc, m, m2] of cases) {
      expect(() => updateChecksum(hc, m, m2)).toThrowError(expect.objectContaining({ code: 'OUT_OF_RANGE' }));
    }
  });
});

describe('onesComplementSum', () => {
  it('matches the textbook loop on any bytes, odd lengths included', () => {
    fc.assert(
      fc.property(bytesArb(0, 300), (b) => {
        expect(onesComplementSum(b)).toBe(referenceSum(b));
        expect(internetChecksum(b)).toBe(~referenceSum(b) & 0xffff);
      }),
    );
  });

  it('the odd last byte is the high byte of its word (RIOT, libpnet and PcapPlusPlus got it wrong)', () => {
    expect(onesComplementSum(Uint8Array.of(0xab))).toBe(0xab00);
    expect(onesComplementSum(Uint8Array.of(0x00, 0x01, 0x02))).toBe(0x0201);
  });

  it('split into two chunks anywhere equals summing at once (an odd boundary swaps the byte lanes of the second part)', () => {
    fc.assert(
      fc.property(bytesArb(0, 200), fc.nat(), (b, k0) => {
        const k = b.length === 0 ? 0 : k0 % (b.length + 1);
        const whole = onesComplementSum(b);
        const first = onesComplementSum(b, 0, k);
        const second = onesComplementSum(b, k, b.length);
        if (k % 2 === 0) {
          expect(onesComplementSum(b, k, b.length, first)).toBe(whole);
          expect(foldSum(first + second)).toBe(whole);
        } else {
          // The second part starts in the low byte of a word: its own sum treats
          // that byte as a high byte, so its lanes are swapped (RFC 1071 §2(B)).
          expect(foldSum(first + swap16(second))).toBe(whole);
        }
      }),
    );
  });

  it('split into many chunks at even boundaries, carried through `initial`, equals summing at once', () => {
    fc.assert(
      fc.property(bytesArb(0, 300), fc.array(fc.nat(), { maxLength: 6 }), (b, cuts0) => {
        const cuts = [...new Set(cuts0.map((c) => 2 * (c % (Math.floor(b.length / 2) + 1))))].sort((x, y) => x - y);
        let sum = 0;
        let at = 0;
        for (const c of [...cuts, b.length]) {
          sum = onesComplementSum(b, at, c, sum);
          at = c;
        }
        expect(sum).toBe(onesComplementSum(b));
      }),
    );
  });

  it('gives the same sum at an unaligned byteOffset (1, 2, 3) as at 0', () => {
    fc.assert(
      fc.property(bytesArb(0, 120), fc.constantFrom(1, 2, 3), (b, s) => {
        expect(onesComplementSum(unaligned(b, s))).toBe(onesComplementSum(b));
      }),
    );
  });

  it('does not lose carries on 65,535 bytes of 0xff', () => {
    const b = new Uint8Array(65535).fill(0xff);
    expect(onesComplementSum(b)).toBe(referenceSum(b));
    expect(internetChecksum(new Uint8Array(65535))).toBe(0xffff);
  });

  it('foldSum folds large sums exactly', () => {
    expect(foldSum(0)).toBe(0);
    expect(foldSum(0xffff)).toBe(0xffff);
    expect(foldSum(0x10000)).toBe(1);
    expect(foldSum(0x2ddf0)).toBe(0xddf2);
    // Near 2^48 the first fold lands on 2^32 exactly; truncating it to 32 bits gave 0.
    // 0xffffc9f4360c ≡ 1 (mod 0xffff), so its fold is 1.
    expect(foldSum(0xffff_c9f4_360c)).toBe(1);
    expect(foldSum(Number.MAX_SAFE_INTEGER)).toBe(Number(BigInt(Number.MAX_SAFE_INTEGER) % 0xffffn) || 0xffff);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (n) => {
        const f = foldSum(n);
        expect(f).toBeGreaterThanOrEqual(1);
        expect(f).toBeLessThanOrEqual(0xffff);
        expect(BigInt(f) % 0xffffn).toBe(BigInt(n) % 0xffffn);
      }),
    );
  });
});

describe('TCP checksum over the pseudo-header', () => {
  it('matches the textbook pseudo-header sum (RFC 9293 §3.1, RFC 8200 §8.1) for IPv4 and IPv6', () => {
    fc.assert(
      fc.property(wellFormedBytesArb(64), addressPairArb(), (b, { src, dst }) => {
        expect(tcpChecksum(b, src, dst)).toBe(referenceTcpChecksum(b, src, dst));
      }),
    );
  });

  it('an encoded segment verifies, and flipping any single bit breaks it', () => {
    fc.assert(
      fc.property(segmentArb(40), addressPairArb(), fc.nat(), ({ segment }, { src, dst }, bit0) => {
        const b = encodeSegment(segment, { src, dst });
        expect(verifyTcpChecksum(b, src, dst)).toBe(true);
        const bit = bit0 % (b.length * 8);
        const c = b.slice();
        c[bit >>> 3] = (c[bit >>> 3] as number) ^ (0x80 >>> (bit & 7));
        expect(verifyTcpChecksum(c, src, dst)).toBe(false);
      }),
    );
  });

  it('every single bit flip is caught, exhaustively, on one segment per family', () => {
    for (const [src, dst] of [
      ['192.0.2.1', '198.51.100.2'],
      ['2001:db8::1', 'fe80::ffff:1'],
    ] as const) {
      const b = encodeSegment({ srcPort: 1, dstPort: 2, seq: 0xffff_ffff, flags: 'SA', options: [{ type: 'mss', value: 1460 }], payload: 'odd' }, { src, dst });
      expect(verifyTcpChecksum(b, src, dst)).toBe(true);
      for (let bit = 0; bit < b.length * 8; bit++) {
        const c = b.slice();
        c[bit >>> 3] = (c[bit >>> 3] as number) ^ (0x80 >>> (bit & 7));
        expect(verifyTcpChecksum(c, src, dst)).toBe(false);
      }
    }
  });

  it('verifies by summing, so 0x0000 and 0xffff in the field are the same number', () => {
    // Find a segment whose correct checksum is 0xffff or 0x0000 by scanning the urgent pointer.
    const base = { srcPort: 4660, dstPort: 80, seq: 1, flags: 'A' as const, window: 1000 };
    let found = false;
    for (let up = 0; up <= 0xffff && !found; up++) {
      const b = encodeSegment({ ...base, urgentPointer: up }, { src: '10.0.0.1', dst: '10.0.0.2' });
      const ck = ((b[16] as number) << 8) | (b[17] as number);
      if (ck !== 0 && ck !== 0xffff) continue;
      found = true;
      const other = ck === 0 ? 0xffff : 0;
      const c = b.slice();
      c[16] = other >>> 8;
      c[17] = other & 0xff;
      expect(verifyTcpChecksum(b, '10.0.0.1', '10.0.0.2')).toBe(true);
      expect(verifyTcpChecksum(c, '10.0.0.1', '10.0.0.2')).toBe(true);
    }
    expect(found).toBe(true);
  });

  it('ignores what the checksum field holds when computing', () => {
    fc.assert(
      fc.property(wellFormedBytesArb(20), addressPairArb(), fc.integer({ min: 0, max: 0xffff }), (b, { src, dst }, junk) => {
        const c = b.slice();
        c[16] = junk >>> 8;
        c[17] = junk & 0xff;
        expect(tcpChecksum(c, src, dst)).toBe(tcpChecksum(b, src, dst));
      }),
    );
  });

  it('works on unaligned views (byteOffset 1, 2, 3)', () => {
    fc.assert(
      fc.property(segmentArb(33), addressPairArb(), fc.constantFrom(1, 2, 3), ({ segment }, { src, dst }, s) => {
        const b = encodeSegment(segment, { src, dst });
        const u = unaligned(b, s);
        expect(u.byteOffset).toBe(s);
        expect(verifyTcpChecksum(u, src, dst)).toBe(true);
        expect(tcpChecksum(u, src, dst)).toBe(tcpChecksum(b, src, dst));
      }),
    );
  });

  it('addresses as text and as bytes give the same checksum', () => {
    const b = encodeSegment({ srcPort: 1, dstPort: 2, payload: 'x' });
    expect(tcpChecksum(b, '10.0.0.1', '10.0.0.2')).toBe(tcpChecksum(b, [10, 0, 0, 1], Uint8Array.of(10, 0, 0, 2)));
    expect(tcpChecksum(b, '::1', '2001:db8::2')).toBe(
      tcpChecksum(b, Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), '2001:0db8:0:0:0:0:0:2'),
    );
  });

  it('the IPv6 pseudo-header carries a 32-bit length: segments over 65,535 bytes sum as RFC 8200 §8.1 says', () => {
    const src = new Uint8Array(16).fill(0x20);
    const dst = new Uint8Array(16).fill(0x01);
    const length = 70000; // a jumbogram-sized upper-layer length
    const words = [...src, ...dst, 0, 1, 0x11, 0x70, 0, 0, 0, 6];
    expect(pseudoHeaderSum(src, dst, length)).toBe(referenceSum(words));
    expect(() => pseudoHeaderSum(Uint8Array.of(1, 2, 3, 4), Uint8Array.of(1, 2, 3, 4), length)).toThrowError(
      expect.objectContaining({ code: 'OUT_OF_RANGE' }),
    );
  });

  it('a segment under 20 bytes: tcpChecksum throws TRUNCATED, verify says false', () => {
    const short = new Uint8Array(19);
    expect(verifyTcpChecksum(short, '10.0.0.1', '10.0.0.2')).toBe(false);
    let err: unknown;
    try {
      tcpChecksum(short, '10.0.0.1', '10.0.0.2');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TcpWireError);
    expect((err as TcpWireError).code).toBe('TRUNCATED');
    expect((err as TcpWireError).offset).toBe(19);
  });
});
