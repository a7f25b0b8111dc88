/**
 * The IP layer against a reference written here from RFC 791 §3.1 (IPv4) and RFC 8200 §3-§4, §8.1
 * (IPv6, its extension headers and the pseudo-header's final destination), on generated headers:
 * every field decodeIpv4/decodeIpv6 give, and where locateTcp and locateTcpIn put the segment.
 * Written for mutants that survived in src/ip/.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LOCATE,
  TcpLocation,
  TcpWireError,
  decodeIpv4,
  decodeIpv6,
  encodeIpv4Header,
  encodeIpv6Header,
  locateTcp,
  locateTcpIn,
} from '../../src/index.js';
import { ipv4Text, ipv6FullText, referenceSum } from '../core/arbitraries.js';

const u16 = (b: Uint8Array, i: number): number => ((b[i] as number) << 8) | (b[i + 1] as number);
const u32 = (b: Uint8Array, i: number): number => u16(b, i) * 65536 + u16(b, i + 2);
const norm6 = (text: string): string => new URL(`http://[${text}]/`).hostname.slice(1, -1);

/** IPv4 header bytes with every field chosen, options of `ihl - 5` words, then `rest`. */
const ipv4Arb = fc
  .record({
    ihl: fc.integer({ min: 5, max: 15 }),
    tos: fc.nat({ max: 255 }),
    total: fc.oneof(fc.constant(-1), fc.constant(0), fc.nat({ max: 0xffff })),
    id: fc.nat({ max: 0xffff }),
    ff: fc.oneof(fc.nat({ max: 0xffff }), fc.constantFrom(0, 0x4000, 0x2000, 0x8000, 0x0001, 0x1fff, 0x2001)),
    ttl: fc.nat({ max: 255 }),
    protocol: fc.oneof(fc.constant(6), fc.nat({ max: 255 })),
    fixChecksum: fc.boolean(),
    src: fc.uint8Array({ minLength: 4, maxLength: 4 }),
    dst: fc.uint8Array({ minLength: 4, maxLength: 4 }),
    options: fc.uint8Array({ minLength: 40, maxLength: 40 }),
    rest: fc.uint8Array({ maxLength: 60 }),
  })
  .map((f) => {
    const hl = f.ihl * 4;
    const b = new Uint8Array(hl + f.rest.length);
    b[0] = 0x40 | f.ihl;
    b[1] = f.tos;
    const total = f.total === -1 ? b.length : f.total;
    b[2] = total >>> 8;
    b[3] = total & 255;
    b[4] = f.id >>> 8;
    b[5] = f.id & 255;
    b[6] = f.ff >>> 8;
    b[7] = f.ff & 255;
    b[8] = f.ttl;
    b[9] = f.protocol;
    b.set(f.src, 12);
    b.set(f.dst, 16);
    b.set(f.options.subarray(0, hl - 20), 20);
    b.set(f.rest, hl);
    if (f.fixChecksum) {
      const c = ~referenceSum(b.subarray(0, hl)) & 0xffff;
      b[10] = c >>> 8;
      b[11] = c & 255;
    } else {
      b[10] = f.id & 255;
      b[11] = f.ttl;
    }
    return b;
  });

describe('decodeIpv4 field by field (RFC 791 §3.1)', () => {
  it('on generated headers with options, at an offset inside a larger buffer', () => {
    fc.assert(
      fc.property(ipv4Arb, fc.nat({ max: 5 }), (pkt, pad) => {
        const buf = new Uint8Array(pad + pkt.length);
        buf.set(pkt, pad);
        const h = decodeIpv4(buf, pad);
        const hl = ((pkt[0] as number) & 15) * 4;
        const ff = u16(pkt, 6);
        expect(h).toEqual({
          version: 4,
          headerLength: hl,
          dscp: (pkt[1] as number) >> 2,
          ecn: (pkt[1] as number) & 3,
          totalLength: u16(pkt, 2),
          id: u16(pkt, 4),
          df: (ff & 0x4000) !== 0,
          mf: (ff & 0x2000) !== 0,
          fragmentOffset: (ff & 0x1fff) * 8,
          ttl: pkt[8],
          protocol: pkt[9],
          checksum: u16(pkt, 10),
          checksumOk: referenceSum(pkt.subarray(0, hl)) === 0xffff,
          src: ipv4Text(pkt.subarray(12, 16)),
          dst: ipv4Text(pkt.subarray(16, 20)),
          srcBytes: pkt.subarray(12, 16),
          dstBytes: pkt.subarray(16, 20),
          options: pkt.subarray(20, hl),
        });
      }),
      { numRuns: 3000 },
    );
  });

  it('encodeIpv4Header writes what decodeIpv4 and the textbook checksum read', () => {
    fc.assert(
      fc.property(
        fc.record({ len: fc.nat({ max: 65515 }), ttl: fc.nat({ max: 255 }), id: fc.nat({ max: 0xffff }), df: fc.boolean(), dscp: fc.nat({ max: 63 }), ecn: fc.nat({ max: 3 }), protocol: fc.nat({ max: 255 }) }),
        (f) => {
          const src = Uint8Array.of(192, 0, 2, 1);
          const dst = Uint8Array.of(198, 51, 100, 7);
          const b = encodeIpv4Header({ src, dst, payloadLength: f.len, ttl: f.ttl, id: f.id, df: f.df, dscp: f.dscp, ecn: f.ecn, protocol: f.protocol });
          expect(referenceSum(b)).toBe(0xffff);
          const h = decodeIpv4(b);
          expect([h.totalLength, h.ttl, h.id, h.df, h.mf, h.fragmentOffset, h.dscp, h.ecn, h.protocol, h.src, h.dst, h.headerLength]).toEqual([
            f.len + 20, f.ttl, f.id, f.df, false, 0, f.dscp, f.ecn, f.protocol, '192.0.2.1', '198.51.100.7', 20,
          ]);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

/** An IPv6 packet: fixed header, a chain of extension headers, then TCP bytes. Returns the reference's view of it. */
interface Ext {
  type: number;
  words: number;
  routing: number;
  left: number;
  fragOffset: number;
  more: boolean;
}
const extArb: fc.Arbitrary<Ext> = fc.record({
  type: fc.constantFrom(0, 43, 44, 51, 60),
  words: fc.nat({ max: 5 }),
  routing: fc.constantFrom(0, 2, 3, 4),
  left: fc.nat({ max: 2 }),
  fragOffset: fc.constantFrom(0, 0, 8, 1232),
  more: fc.boolean(),
});

const ipv6Arb = fc
  .record({
    tc: fc.nat({ max: 255 }),
    flow: fc.nat({ max: 0xfffff }),
    hop: fc.nat({ max: 255 }),
    src: fc.uint8Array({ minLength: 16, maxLength: 16 }),
    dst: fc.uint8Array({ minLength: 16, maxLength: 16 }),
    exts: fc.array(extArb, { maxLength: 4 }),
    upper: fc.oneof(fc.constant(6), fc.constant(6), fc.constantFrom(17, 59, 58)),
    tcp: fc.uint8Array({ minLength: 0, maxLength: 40 }),
    payloadLength: fc.oneof(fc.constant(-1), fc.constant(-1), fc.constant(0), fc.nat({ max: 200 })),
    trailer: fc.uint8Array({ maxLength: 8 }),
  })
  .map((f) => {
    const parts: number[] = [];
    const chain = f.exts.map((e) => e.type);
    f.exts.forEach((e, i) => {
      const next = i + 1 < chain.length ? (chain[i + 1] as number) : f.upper;
      if (e.type === 44) {
        const fo = e.fragOffset | (e.more ? 1 : 0);
        // Reserved (the second byte) is ignored on reception (RFC 8200 §4.5): not always 0 here.
        parts.push(next, e.words * 51, fo >>> 8, fo & 255, 0xde, 0xad, 0xbe, 0xef);
      } else if (e.type === 51) {
        const len = (e.words + 2) * 4;
        parts.push(next, e.words, ...Array.from({ length: len - 2 }, (_, k) => (k * 7) & 255));
      } else {
        const len = (e.words + 1) * 8;
        const body = Array.from({ length: len - 2 }, (_, k) => (k * 13 + 5) & 255);
        if (e.type === 43) {
          body[0] = e.routing;
          body[1] = e.left;
        }
        parts.push(next, e.words, ...body);
      }
    });
    const body = [...parts, ...f.tcp];
    const pl = f.payloadLength === -1 ? body.length : f.payloadLength;
    const b = new Uint8Array(40 + body.length + f.trailer.length);
    const w0 = ((6 << 28) | (f.tc << 20) | f.flow) >>> 0;
    b.set([w0 >>> 24, (w0 >>> 16) & 255, (w0 >>> 8) & 255, w0 & 255, pl >>> 8, pl & 255, chain[0] ?? f.upper, f.hop], 0);
    b.set(f.src, 8);
    b.set(f.dst, 24);
    b.set(body, 40);
    b.set(f.trailer, 40 + body.length);
    return b;
  });

/** The reference walk of RFC 8200 §4 (with AH, RFC 4302 §2.2): throws 'TRUNCATED' like the library. */
function walk6(b: Uint8Array) {
  const length = b.length;
  const payloadLength = u16(b, 4);
  let next = b[6] as number;
  const fromCapture = payloadLength === 0 && next !== 59 && length > 40;
  const pl = fromCapture ? length - 40 : payloadLength;
  const end = Math.min(length, 40 + pl);
  let p = 40;
  let finalDst = b.subarray(24, 40);
  const extensions: { type: number; offset: number; length: number }[] = [];
  let fragment: { offset: number; more: boolean; id: number } | undefined;
  while ([0, 43, 44, 51, 60].includes(next)) {
    if (p + 8 > end) return { error: 'TRUNCATED', at: p };
    const len = next === 44 ? 8 : next === 51 ? ((b[p + 1] as number) + 2) * 4 : ((b[p + 1] as number) + 1) * 8;
    if (p + len > end) return { error: 'TRUNCATED', at: p };
    extensions.push({ type: next, offset: p, length: len });
    if (next === 44) fragment = { offset: u16(b, p + 2) & 0xfff8, more: (u16(b, p + 2) & 1) === 1, id: u32(b, p + 4) };
    if (next === 43 && (b[p + 3] as number) > 0 && len >= 24) {
      const type = b[p + 2] as number;
      if (type === 0 || type === 2) finalDst = b.subarray(p + len - 16, p + len);
      else if (type === 4) finalDst = b.subarray(p + 8, p + 24);
    }
    next = b[p] as number;
    p += len;
    if (fragment !== undefined && fragment.offset > 0) break;
  }
  return { payloadLength, pl, fromCapture, extensions, fragment, protocol: next, upper: p, upperLength: Math.max(0, 40 + pl - p), finalDst };
}

describe('the IPv6 extension-header walk (RFC 8200 §4, §8.1)', () => {
  it('decodeIpv6, locateTcp and locateTcpIn agree with the reference walk on generated chains', () => {
    fc.assert(
      fc.property(ipv6Arb, (b) => {
        const r = walk6(b);
        const w0 = u32(b, 0);
        if ('error' in r) {
          for (const f of [() => decodeIpv6(b), () => locateTcp(b, 0, b.length), () => locateTcpIn(b, new DataView(b.buffer), 0, b.length, new TcpLocation())]) {
            let e: unknown;
            try {
              f();
            } catch (x) {
              e = x;
            }
            expect(e).toBeInstanceOf(TcpWireError);
            expect([(e as TcpWireError).code, (e as TcpWireError).offset]).toEqual([r.error, r.at]);
          }
          return;
        }
        const h = decodeIpv6(b);
        expect(h).toEqual({
          version: 6,
          trafficClass: (w0 >>> 20) & 255,
          ecn: (w0 >>> 20) & 3,
          flowLabel: w0 & 0xfffff,
          payloadLength: r.payloadLength,
          hopLimit: b[7],
          src: norm6(ipv6FullText(b.subarray(8, 24))),
          dst: norm6(ipv6FullText(b.subarray(24, 40))),
          srcBytes: b.subarray(8, 24),
          dstBytes: b.subarray(24, 40),
          finalDstBytes: r.finalDst,
          extensions: r.extensions,
          protocol: r.protocol,
          upperOffset: r.upper,
          upperLength: r.upperLength,
          ...(r.fragment ? { fragment: r.fragment } : {}),
        });
        const nonFirst = r.fragment !== undefined && r.fragment.offset > 0;
        const loc = locateTcp(b, 0, b.length);
        expect(loc.tcpOffset).toBe(nonFirst || r.protocol !== 6 ? -1 : r.upper);
        expect(loc.tcpLength).toBe(r.upperLength);
        expect(Array.from(loc.pseudoDst)).toEqual(Array.from(r.finalDst));
        if (nonFirst) expect(loc.skip).toMatch(/non-first IPv6 fragment/);
        else if (r.protocol !== 6) expect(loc.skip).toBe(`next header ${r.protocol}, not TCP`);
        const out = new TcpLocation();
        const st = locateTcpIn(b, new DataView(b.buffer), 0, b.length, out);
        expect(st).toBe(nonFirst ? LOCATE.NON_FIRST_FRAGMENT : r.protocol !== 6 ? LOCATE.NOT_TCP : LOCATE.TCP);
        expect({ ...out }).toEqual({
          status: st,
          ipVersion: 6,
          ipOffset: 0,
          protocol: r.protocol,
          tcpOffset: r.upper,
          tcpLength: 40 + r.pl - r.upper,
          srcOffset: 8,
          pseudoDstOffset: r.finalDst.byteOffset - b.byteOffset,
          fragment: r.fragment !== undefined && (r.fragment.offset > 0 || r.fragment.more),
          fragmentOffset: r.fragment?.offset ?? 0,
          lengthFromCapture: r.fromCapture,
        });
      }),
      { numRuns: 4000 },
    );
  });

  it('encodeIpv6Header writes what decodeIpv6 reads', () => {
    fc.assert(
      fc.property(fc.nat({ max: 0xffff }), fc.nat({ max: 255 }), fc.nat({ max: 0xfffff }), fc.nat({ max: 255 }), fc.nat({ max: 255 }), (len, tc, flow, hop, nh) => {
        const b = encodeIpv6Header({ src: new Uint8Array(16).fill(1), dst: new Uint8Array(16).fill(2), payloadLength: len, trafficClass: tc, flowLabel: flow, hopLimit: hop, nextHeader: nh });
        expect(b.length).toBe(40);
        expect([u32(b, 0) >>> 28, (u32(b, 0) >>> 20) & 255, u32(b, 0) & 0xfffff, u16(b, 4), b[6], b[7]]).toEqual([6, tc, flow, len, nh, hop]);
        expect(Array.from(b.subarray(8, 24))).toEqual(new Array(16).fill(1));
        expect(Array.from(b.subarray(24, 40))).toEqual(new Array(16).fill(2));
      }),
      { numRuns: 500 },
    );
  });
});

describe('locateTcp and locateTcpIn on IPv4 (RFC 791: lengths from the header, never from the frame)', () => {
  it('agree with the header: offset IHL*4, length total - IHL (or the captured length when total is 0), fragments and other protocols skipped', () => {
    fc.assert(
      fc.property(ipv4Arb, fc.nat({ max: 3 }), (pkt, pad) => {
        const buf = new Uint8Array(pad + pkt.length);
        buf.set(pkt, pad);
        const hl = ((pkt[0] as number) & 15) * 4;
        const total = u16(pkt, 2);
        const fromCapture = total === 0;
        const t = fromCapture ? pkt.length : total;
        const fo = (u16(pkt, 6) & 0x1fff) * 8;
        const mf = (u16(pkt, 6) & 0x2000) !== 0;
        const proto = pkt[9] as number;
        const out = new TcpLocation();
        let stIn: number | string;
        try {
          stIn = locateTcpIn(buf, new DataView(buf.buffer), pad, pkt.length, out);
        } catch (e) {
          stIn = (e as TcpWireError).code;
        }
        if (t < hl) {
          expect(stIn).toBe('BAD_RECORD');
        } else {
          expect(stIn).toBe(proto !== 6 ? LOCATE.NOT_TCP : fo > 0 ? LOCATE.NON_FIRST_FRAGMENT : LOCATE.TCP);
          expect({ ...out }).toEqual({
            status: stIn,
            ipVersion: 4,
            ipOffset: pad,
            protocol: proto,
            tcpOffset: pad + hl,
            tcpLength: t - hl,
            srcOffset: pad + 12,
            pseudoDstOffset: pad + 16,
            fragment: fo > 0 || mf,
            fragmentOffset: fo,
            lengthFromCapture: fromCapture,
          });
        }
        let loc: ReturnType<typeof locateTcp> | string;
        try {
          loc = locateTcp(buf, pad, pkt.length);
        } catch (e) {
          loc = (e as TcpWireError).code;
        }
        if (proto === 6 && fo === 0 && t < hl) expect(loc).toBe('BAD_RECORD');
        else if (typeof loc !== 'string') {
          expect(loc.tcpOffset).toBe(proto !== 6 || fo > 0 ? -1 : pad + hl);
          expect(loc.tcpLength).toBe(Math.max(0, t - hl));
          expect(loc.lengthFromCapture === true).toBe(fromCapture);
          expect(Array.from(loc.pseudoSrc)).toEqual(Array.from(pkt.subarray(12, 16)));
          expect(Array.from(loc.pseudoDst)).toEqual(Array.from(pkt.subarray(16, 20)));
          if (proto !== 6) expect(loc.skip).toBe(`IP protocol ${proto}, not TCP`);
          else if (fo > 0) expect(loc.skip).toContain(`offset ${fo}`);
          else expect(loc.skip).toBeUndefined();
        } else throw new Error(`locateTcp threw ${loc}`);
      }),
      { numRuns: 3000 },
    );
  });

  it('too short, wrong versions, IHL below 5 or past the capture: the error and its offset', () => {
    const codeAt = (f: () => unknown): string => {
      try {
        f();
        return 'returned';
      } catch (e) {
        return `${(e as TcpWireError).code}@${(e as TcpWireError).offset}`;
      }
    };
    const v4 = Uint8Array.of(0x45, 0, 0, 40, ...new Array(16).fill(0), ...new Array(20).fill(0));
    const dv = (b: Uint8Array) => new DataView(b.buffer);
    for (const [b, off, len, want] of [
      [v4, 0, 19, 'TRUNCATED@0'],
      [v4, 3, 0, 'TRUNCATED@3'],
      [Uint8Array.of(0x44, ...new Array(39).fill(0)), 0, 40, 'BAD_RECORD@0'],
      [Uint8Array.of(0x46, ...new Array(20).fill(0)), 0, 21, 'TRUNCATED@0'],
      [Uint8Array.of(0x60, ...new Array(30).fill(0)), 0, 31, 'TRUNCATED@0'],
      [Uint8Array.of(0x70, ...new Array(39).fill(0)), 0, 40, 'BAD_RECORD@0'],
    ] as const) {
      expect(codeAt(() => locateTcpIn(b, dv(b), off, len, new TcpLocation())), `${Array.from(b.subarray(0, 1))} ${len}`).toBe(want);
      expect(codeAt(() => locateTcp(b, off, len)), `${Array.from(b.subarray(0, 1))} ${len}`).toBe(want);
    }
  });
});

describe('address text read in place (the small caches of src/ip/address-text.ts)', () => {
  it('addresses that differ in one 32-bit word only, 1024 of each, land in shared slots and still read right', async () => {
    const { ipv4TextAt, ipv6TextAt } = await import('../../src/ip/address-text.js');
    const { formatAddress } = await import('../../src/index.js');
    for (let word = 0; word < 4; word++) {
      const buf = new Uint8Array(24);
      for (let i = 0; i < 1024; i++) {
        buf.set([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0xaa, 0xbb], 4);
        const v = (Math.imul(i + 1, 0x9e3779b1) >>> 0) ^ i;
        buf.set([v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255], 4 + word * 4);
        expect(ipv6TextAt(buf, 4), `word ${word} value ${v}`).toBe(formatAddress(buf.subarray(4, 20)));
      }
    }
    const b4 = new Uint8Array(8);
    for (let i = 0; i < 2048; i++) {
      b4.set([i >> 8, i & 255, (i * 7) & 255, 9], 2);
      expect(ipv4TextAt(b4, 2)).toBe(formatAddress(b4.subarray(2, 6)));
    }
  });

  it('the length defaults to the rest of the buffer after the offset', () => {
    const codeOf = (f: () => unknown): string => {
      try {
        f();
        return 'returned';
      } catch (e) {
        return `${(e as TcpWireError).code}@${(e as TcpWireError).offset}`;
      }
    };
    const v4 = new Uint8Array(22);
    v4[3] = 0x45;
    expect(codeOf(() => decodeIpv4(v4, 3))).toBe('TRUNCATED@3');
    const v6 = new Uint8Array(45);
    v6[6] = 0x60;
    expect(codeOf(() => decodeIpv6(v6, 6))).toBe('TRUNCATED@6');
    for (const [b, want] of [[Uint8Array.of(0x50), 'BAD_RECORD@0'], [Uint8Array.of(0x45), 'TRUNCATED@0'], [Uint8Array.of(0x60), 'TRUNCATED@0']] as const) {
      expect(codeOf(() => locateTcpIn(b, new DataView(b.buffer), 0, 1, new TcpLocation()))).toBe(want);
      expect(codeOf(() => locateTcp(b, 0, 1))).toBe(want);
    }
  });
});

describe('locateTcpIn refuses headers cut short before reading past them', () => {
  const codeOf = (b: Uint8Array, length = b.length): string => {
    try {
      locateTcpIn(b, new DataView(b.buffer), 0, length, new TcpLocation());
      return 'returned';
    } catch (e) {
      return e instanceof TcpWireError ? `${e.code}@${e.offset}: ${e.message}` : `not a TcpWireError: ${String(e)}`;
    }
  };

  it('an IPv4 header of fewer than 20 captured bytes is TRUNCATED, whatever its header length says (IHL 4 included)', () => {
    for (const first of [0x44, 0x45, 0x4f]) {
      const b = new Uint8Array(12);
      b[0] = first;
      expect(codeOf(b), first.toString(16)).toBe('TRUNCATED@0: an IPv4 header needs 20 bytes, but only 12 were captured');
    }
  });

  it('an IPv6 extension header of which no byte was captured is TRUNCATED at its place, not read from past the capture', () => {
    // IPv6, payload length 8, next header hop-by-hop (0); the capture ends with the fixed header
    const b = new Uint8Array(40);
    b[0] = 0x60;
    b[5] = 8;
    b[6] = 0;
    b[7] = 64;
    expect(codeOf(b)).toBe('TRUNCATED@40: IPv6 extension header 0 is cut short');
    // four of its bytes captured: still cut short (its first 8 bytes are not all there)
    const c = new Uint8Array(44);
    c.set(b);
    c[40] = 6;
    expect(codeOf(c)).toBe('TRUNCATED@40: IPv6 extension header 0 is cut short');
  });
});

describe('an IPv6 Fragment header is 8 bytes, whatever its Reserved byte holds (RFC 8200 §4.5: ignored on reception)', () => {
  // IPv6 (payload 8 + 20), next header Fragment (44); Fragment: next header TCP, Reserved 0xff,
  // offset 0 and M clear (an atomic fragment, RFC 6946: a whole packet), id; a 20-byte TCP header.
  const b = new Uint8Array(40 + 8 + 20);
  b[0] = 0x60;
  b[5] = 28;
  b[6] = 44;
  b[7] = 64;
  b.set([6, 0xff, 0, 0, 0xde, 0xad, 0xbe, 0xef], 40);
  b[48 + 12] = 0x50;
  it('decodeIpv6: one extension of 8 bytes, TCP at 48', () => {
    const h = decodeIpv6(b);
    expect(h.extensions).toEqual([{ type: 44, offset: 40, length: 8 }]);
    expect([h.protocol, h.upperOffset, h.upperLength]).toEqual([6, 48, 20]);
    expect(h.fragment).toEqual({ offset: 0, more: false, id: 0xdeadbeef });
  });
  it('locateTcp and locateTcpIn: the segment at 48, 20 bytes, not a fragment', () => {
    const loc = locateTcp(b, 0, b.length);
    expect([loc.tcpOffset, loc.tcpLength]).toEqual([48, 20]);
    const out = new TcpLocation();
    expect(locateTcpIn(b, new DataView(b.buffer), 0, b.length, out)).toBe(LOCATE.TCP);
    expect([out.tcpOffset, out.tcpLength, out.fragment]).toEqual([48, 20, false]);
  });
});
