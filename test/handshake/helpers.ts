/**
 * Helpers for the handshake tests: a field reader written from RFC 9293 §3.1
 * with DataView (not tcpwire's decoder), BigInt modular arithmetic as the
 * oracle for sequence numbers, and fast-check generators with the edge values.
 */

import fc from 'fast-check';

/** The fixed header fields, read straight from the bytes. */
export function rawFields(b: Uint8Array) {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const word = dv.getUint16(12);
  return {
    srcPort: dv.getUint16(0),
    dstPort: dv.getUint16(2),
    seq: dv.getUint32(4),
    ack: dv.getUint32(8),
    headerLength: (word >>> 12) * 4,
    flags: word & 0x1ff,
    window: dv.getUint16(14),
  };
}

/** Flag bits (RFC 9293 §3.1, RFC 3168 §6.1.1). */
export const F = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, ECE: 0x40, CWR: 0x80 } as const;

/** (a + n) mod 2^32 with BigInt: no 32-bit tricks shared with the code under test. */
export function mod32(a: number, n: number): number {
  return Number((BigInt(a) + BigInt(n)) % 4294967296n);
}

export const U32_EDGES = [0, 1, 0x7fff_ffff, 0x8000_0000, 0xffff_fffe, 0xffff_ffff] as const;

/** Any 32-bit value, edge values one time in three. */
export const u32 = (): fc.Arbitrary<number> =>
  fc.oneof({ arbitrary: fc.constantFrom(...U32_EDGES), weight: 1 }, { arbitrary: fc.integer({ min: 0, max: 0xffff_ffff }), weight: 2 });

export const u16 = (): fc.Arbitrary<number> =>
  fc.oneof({ arbitrary: fc.constantFrom(0, 1, 0x8000, 0xffff), weight: 1 }, { arbitrary: fc.integer({ min: 0, max: 0xffff }), weight: 3 });

/** An address pair of one family. */
export const addressPair = (): fc.Arbitrary<[string, string]> =>
  fc.oneof(
    fc.tuple(fc.ipV4(), fc.ipV4()),
    fc.constantFrom<[string, string]>(['2001:db8::1', '2001:db8::2'], ['fe80::1', 'fe80::a00:27ff:fe4e:66a1'], ['::1', '::1']),
  );

/** A whole handshake spec: every field, both profiles, ECN on and off. */
export const specArb = () =>
  fc
    .record({
      addrs: addressPair(),
      cport: u16(),
      sport: u16(),
      x: u32(),
      y: u32(),
      cwin: u16(),
      swin: u16(),
      awin: u16(),
      cmss: u16(),
      smss: u16(),
      cws: fc.integer({ min: 0, max: 14 }),
      sws: fc.integer({ min: 0, max: 14 }),
      ctsv: u32(),
      stsv: u32(),
      atsv: u32(),
      profile: fc.constantFrom('plain' as const, 'linux' as const),
      ecn: fc.boolean(),
    })
    .map((r) => ({
      client: { address: r.addrs[0], port: r.cport, isn: r.x, window: r.cwin, mss: r.cmss, windowScale: r.cws, tsval: r.ctsv },
      server: { address: r.addrs[1], port: r.sport, isn: r.y, window: r.swin, mss: r.smss, windowScale: r.sws, tsval: r.stsv },
      ack: { window: r.awin, tsval: r.atsv },
      profile: r.profile,
      ecn: r.ecn,
    }));
