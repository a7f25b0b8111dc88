/**
 * Code of the core that only the CLI's subprocess tests reached (so no coverage was counted and
 * no mutant could be killed in process), or that no test reached: explainHandshake, the long
 * division of 64-bit pcapng tick counts, link-type names, buildIpPacket's IP settings, randomIsn
 * without a crypto source. Expected values: BigInt arithmetic, the decoders' view of the bytes,
 * and the handshake's own numbers.
 */

import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { divideTicks } from '../../src/capture/record.js';
import {
  LINKTYPE,
  TcpWireError,
  buildIpPacket,
  decodeIpv4,
  decodeIpv6,
  explainHandshake,
  keyedIsn,
  linkTypeName,
  randomIsn,
  threeWayHandshake,
} from '../../src/index.js';

describe('divideTicks: 64-bit tick counts into seconds, exactly as BigInt divides', () => {
  it('for every resolution from 2^11 to 2^32 ticks a second, high words above 2^21 included', () => {
    const tpsArb = fc.oneof(
      fc.integer({ min: 4, max: 9 }).map((e) => 10 ** e),
      fc.integer({ min: 11, max: 32 }).map((e) => 2 ** e),
      fc.integer({ min: 2048, max: 0xffff_ffff }),
    );
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 0x200000, max: 0xffff_ffff }), fc.nat({ max: 0x1fffff })), fc.nat({ max: 0xffff_ffff }), tpsArb, (high, low, tps) => {
        const rec = { seconds: -1, nanos: -1 };
        const r = divideTicks(high, low, tps, rec);
        const t = (BigInt(high) << 32n) | BigInt(low);
        expect(BigInt(rec.seconds)).toBe(t / BigInt(tps));
        expect(BigInt(r)).toBe(t % BigInt(tps));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('explainHandshake', () => {
  it('draws the ladder with x and y, the arithmetic across the wrap, the options and the verdict', () => {
    const hs = threeWayHandshake({
      client: { address: '192.0.2.1', port: 40000, isn: 0xffff_ffff, mss: 1460, windowScale: 7, tsval: 1000 },
      server: { address: '192.0.2.2', port: 80, isn: 5000, mss: 1400, windowScale: 9, tsval: 2000 },
      profile: 'linux',
      ecn: true,
    });
    const dumped: number[] = [];
    const text = explainHandshake(hs, { dump: (_s, i) => (dumped.push(i), [`dump ${i}`]) }).join('\n');
    expect(dumped).toEqual([0, 1, 2]);
    expect(text).toContain('x+1 = 0 (mod 2^32)');
    expect(text).toContain(`seq=${0xffff_ffff}`);
    expect(text).toContain('y+1 = 5001');
    expect(text).toContain('MSS: client 1460, server 1400');
    expect(text).toContain('2^7 = 128 bytes');
    expect(text).toContain('SACK: permitted');
    expect(text).toContain('timestamps: in use');
    expect(text).toContain('ECN: set up');
    expect(text).toContain('Checker: a correct handshake');
    expect(text.match(/checksum 0x[0-9a-f]{4} good/g)).toHaveLength(3);
    expect(text.trimEnd()).toBe(text);
  });

  it('a plain handshake: no options, and IPv6 endpoints in brackets', () => {
    const hs = threeWayHandshake({ client: { address: '2001:db8::1', port: 1, isn: 1 }, server: { address: '2001:db8::2', port: 2, isn: 2 } });
    const text = explainHandshake(hs).join('\n');
    expect(text).toContain('no options');
    expect(text).toContain('[2001:db8::1]:1');
    expect(text).not.toContain('ECN');
  });

  it('a broken one says so, with the findings', () => {
    const hs = threeWayHandshake({ client: { address: '192.0.2.1', port: 1, isn: 10 }, server: { address: '192.0.2.2', port: 2, isn: 20 } });
    const bad = { ...hs, ack: { ...hs.ack, segment: { ...hs.ack.segment, ack: 99 } } };
    const text = explainHandshake(bad).join('\n');
    expect(text).toContain('NOT a correct handshake');
    expect(text).toContain('ACK_ACK');
  });
});

describe('link-type names', () => {
  it('every decoded link type by name, others by number', () => {
    expect(
      [LINKTYPE.NULL, LINKTYPE.ETHERNET, LINKTYPE.RAW, LINKTYPE.RAW_OLD, 14, LINKTYPE.LOOP, LINKTYPE.LINUX_SLL, LINKTYPE.IPV4, LINKTYPE.IPV6, LINKTYPE.LINUX_SLL2, 147].map(linkTypeName),
    ).toEqual(['BSD null', 'Ethernet', 'raw IP', 'raw IP', 'raw IP', 'OpenBSD loop', 'Linux cooked', 'raw IPv4', 'raw IPv6', 'Linux cooked v2', 'link type 147']);
  });
});

describe('buildIpPacket: the IP settings reach the header', () => {
  it('IPv4: TTL, id, DF, DSCP, ECN', () => {
    const p = buildIpPacket(new Uint8Array(20), '192.0.2.1', '192.0.2.2', { ttl: 7, id: 0x1234, df: false, dscp: 46, ecn: 3 });
    const h = decodeIpv4(p);
    expect([h.ttl, h.id, h.df, h.dscp, h.ecn, h.totalLength, h.checksumOk]).toEqual([7, 0x1234, false, 46, 3, 40, true]);
    const d = decodeIpv4(buildIpPacket(new Uint8Array(20), '192.0.2.1', '192.0.2.2'));
    expect([d.ttl, d.id, d.df, d.dscp, d.ecn]).toEqual([64, 0, true, 0, 0]);
  });
  it('IPv6: hop limit, traffic class from DSCP and ECN, flow label', () => {
    const h = decodeIpv6(buildIpPacket(new Uint8Array(20), '2001:db8::1', '2001:db8::2', { ttl: 9, dscp: 10, ecn: 1, flowLabel: 0xabcde }));
    expect([h.hopLimit, h.trafficClass, h.ecn, h.flowLabel, h.payloadLength]).toEqual([9, (10 << 2) | 1, 1, 0xabcde, 20]);
    const d = decodeIpv6(buildIpPacket(new Uint8Array(20), '2001:db8::1', '2001:db8::2'));
    expect([d.hopLimit, d.trafficClass, d.flowLabel]).toEqual([64, 0, 0]);
  });
});

describe('ISNs', () => {
  it('randomIsn without crypto.getRandomValues: UNSUPPORTED, not a guess', () => {
    vi.stubGlobal('crypto', undefined);
    try {
      expect(() => randomIsn()).toThrow(TcpWireError);
    } finally {
      vi.unstubAllGlobals();
    }
    const n = randomIsn();
    expect(Number.isInteger(n) && n >= 0 && n <= 0xffff_ffff).toBe(true);
  });
  it('keyedIsn refuses addresses of two families', () => {
    expect(() => keyedIsn({ localAddress: '192.0.2.1', remoteAddress: '::1', localPort: 1, remotePort: 2, key: new Uint8Array(16), timeMicros: 0 } as never)).toThrow(
      /different IP families/,
    );
  });
});
