/**
 * Fuzzing the IP layer: locateTcp, locateTcpIn (the reader's allocation-free walk), decodeIpv4
 * and decodeIpv6 on arbitrary bytes and on mutants of real-shaped packets (IPv4 with options,
 * IPv6 with hop-by-hop, routing types 0/2/4, fragment, destination options and AH headers),
 * with IHL, total length, payload length, next header and extension lengths set to hostile values.
 * Where both walks find a TCP segment they must agree on where it is, how long, and which addresses
 * go into its pseudo-header.
 */

import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  LOCATE,
  TcpLocation,
  buildIpPacket,
  decodeIpv4,
  decodeIpv6,
  decodeSegment,
  encodeSegment,
  locateTcp,
  locateTcpIn,
} from '../../src/index.js';
import { addressPairArb, segmentArb } from '../core/arbitraries.js';
import { FuzzStats, InvariantError, checkNumbers } from './invariants.js';
import { type LengthField, batchProperty, hexOf, mutateWith, tcpFields } from './mutate.js';
import { CALL_BUDGET_MS, reportStats } from './report.js';
import { runs } from './scale.js';

const stats = {
  locateTcp: new FuzzStats(),
  locateTcpIn: new FuzzStats(),
  decodeIpv4: new FuzzStats(),
  decodeIpv6: new FuzzStats(),
  decodeSegment: new FuzzStats(),
};
let generated = 0;
const loc = new TcpLocation();

function fail(message: string): never {
  throw new InvariantError(message);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function fuzzIp(b: Uint8Array): void {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const a = stats.locateTcp.run('locateTcp', () => locateTcp(b, 0, b.length));
  const st = stats.locateTcpIn.run('locateTcpIn', () => locateTcpIn(b, dv, 0, b.length, loc), (s) => checkNumbers({ ...loc, status: s }));
  if (b.length > 0 && (b[0] as number) >>> 4 === 4) stats.decodeIpv4.run('decodeIpv4', () => decodeIpv4(b));
  if (b.length > 0 && (b[0] as number) >>> 4 === 6) stats.decodeIpv6.run('decodeIpv6', () => decodeIpv6(b));
  if (a !== undefined && a.tcpOffset >= 0 && st === LOCATE.TCP) {
    if (a.tcpOffset !== loc.tcpOffset) fail(`locateTcp says TCP at ${a.tcpOffset}, locateTcpIn at ${loc.tcpOffset}`);
    if (a.tcpLength !== loc.tcpLength) fail(`locateTcp says ${a.tcpLength} TCP bytes, locateTcpIn ${loc.tcpLength}`);
    const n = a.pseudoSrc.length;
    if (!sameBytes(a.pseudoSrc, b.subarray(loc.srcOffset, loc.srcOffset + n))) fail('pseudo-header sources differ');
    if (!sameBytes(a.pseudoDst, b.subarray(loc.pseudoDstOffset, loc.pseudoDstOffset + n))) fail('pseudo-header destinations differ');
    const end = Math.min(b.length, a.tcpOffset + a.tcpLength);
    if (a.tcpOffset > b.length) fail(`TCP offset ${a.tcpOffset} past the ${b.length}-byte packet`);
    stats.decodeSegment.run('decodeSegment', () => decodeSegment(b.subarray(a.tcpOffset, end)));
  }
}

function fuzzOne(b: Uint8Array): void {
  generated++;
  try {
    fuzzIp(b);
  } catch (e) {
    if (e instanceof InvariantError) e.message = `${e.message}\n  input: ${hexOf(b)}`;
    throw e;
  }
}

/** The length-ish fields of an IP packet (and of the TCP header after it), found leniently. */
function ipFields(b: Uint8Array): LengthField[] {
  if (b.length < 1) return [];
  const v = (b[0] as number) >>> 4;
  if (v === 4) {
    const hl = ((b[0] as number) & 15) * 4;
    return [
      { at: 0, width: 1, nibble: 'low' },
      { at: 2, width: 2 },
      { at: 6, width: 2 },
      { at: 9, width: 1 },
      ...(hl >= 20 ? tcpFields(b, hl) : []),
    ];
  }
  const fields: LengthField[] = [{ at: 4, width: 2 }, { at: 6, width: 1 }];
  let next = b[6] as number;
  let p = 40;
  while ([0, 43, 44, 51, 60].includes(next) && p + 8 <= b.length) {
    fields.push({ at: p, width: 1 }, { at: p + 1, width: 1 });
    if (next === 43) fields.push({ at: p + 2, width: 1 }, { at: p + 3, width: 1 });
    if (next === 44) fields.push({ at: p + 2, width: 2 });
    const len = next === 44 ? 8 : next === 51 ? ((b[p + 1] as number) + 2) * 4 : ((b[p + 1] as number) + 1) * 8;
    next = b[p] as number;
    p += len;
  }
  return [...fields, ...tcpFields(b, p)];
}

/** IPv6 extension headers, as bytes, in front of a segment: a chain ending in next header 6. */
const extensionsArb = fc.array(
  fc.oneof(
    fc.record({ type: fc.constantFrom(0, 60), words: fc.integer({ min: 0, max: 3 }) }),
    fc.record({ type: fc.constant(43), words: fc.constantFrom(0, 2, 4), routing: fc.constantFrom(0, 2, 4), left: fc.integer({ min: 0, max: 2 }) }),
    fc.record({ type: fc.constant(44), offset: fc.constantFrom(0, 8, 1480), more: fc.boolean() }),
    fc.record({ type: fc.constant(51), words: fc.integer({ min: 1, max: 4 }) }),
  ),
  { maxLength: 4 },
);

type Ext = { type: number; words?: number; routing?: number; left?: number; offset?: number; more?: boolean };

function withExtensions(packet: Uint8Array, exts: Ext[]): Uint8Array {
  if (packet[0] !== 0x60 && (packet[0] as number) >>> 4 !== 6) return packet;
  const parts: number[] = [];
  const types = exts.map((e) => e.type);
  exts.forEach((e, i) => {
    const next = i + 1 < exts.length ? (types[i + 1] as number) : 6;
    if (e.type === 44) {
      const fo = (e.offset ?? 0) | (e.more ? 1 : 0);
      parts.push(next, 0, fo >>> 8, fo & 0xff, 0, 0, 0, 42);
    } else if (e.type === 51) {
      const len = ((e.words ?? 1) + 2) * 4;
      parts.push(next, e.words ?? 1, ...new Array<number>(len - 2).fill(0xaa));
    } else {
      const words = e.words ?? 0;
      const len = (words + 1) * 8;
      const body = new Array<number>(len - 2).fill(0);
      if (e.type === 43) {
        body[0] = e.routing ?? 0;
        body[1] = e.left ?? 0;
        for (let k = 6; k < body.length; k++) body[k] = 0x20 + k;
      }
      parts.push(next, words, ...body);
    }
  });
  const out = new Uint8Array(packet.length + parts.length);
  out.set(packet.subarray(0, 40), 0);
  out.set(parts, 40);
  out.set(packet.subarray(40), 40 + parts.length);
  if (exts.length > 0) out[6] = types[0] as number;
  const pl = out.length - 40;
  out[4] = pl >>> 8;
  out[5] = pl & 0xff;
  return out;
}

const packetArb = fc
  .tuple(segmentArb(32), addressPairArb(), extensionsArb, fc.uint8Array({ maxLength: 8 }))
  .map(([{ segment }, { src, dst }, exts, trailer]) => {
    const p = withExtensions(buildIpPacket(encodeSegment(segment, { src, dst }), src, dst), exts);
    // Ethernet padding after the packet: must never be taken for TCP bytes.
    const out = new Uint8Array(p.length + trailer.length);
    out.set(p, 0);
    out.set(trailer, p.length);
    return out;
  });

describe('the IP layer on hostile bytes: only TcpWireError, numbers in range, bounded time, both walks agree', () => {
  it('arbitrary bytes starting with version 4 or 6', () => {
    const arb = fc.tuple(fc.constantFrom(0x45, 0x46, 0x4f, 0x40, 0x60, 0x6f, 0x00, 0xff), fc.uint8Array({ maxLength: 120 })).map(([v, rest]) => {
      const b = new Uint8Array(1 + rest.length);
      b[0] = v;
      b.set(rest, 1);
      return b;
    });
    fc.assert(fc.property(arb, (b) => fuzzOne(b)), { numRuns: runs(40_000) });
  });

  it('mutants of IPv4/IPv6 packets (with extension headers and trailing padding): lengths and next headers hostile', () => {
    fc.assert(
      batchProperty(packetArb, 100, (p, rnd) => fuzzOne(mutateWith(p, ipFields(p), rnd, 3))),
      { numRuns: runs(3_000) },
    );
  });

  it('unmutated packets: TCP found where it was put, its length by the IP header (not the padding)', () => {
    fc.assert(
      fc.property(packetArb, (p) => {
        fuzzOne(p);
        const found = locateTcp(p, 0, p.length);
        if (found.tcpOffset >= 0) {
          const seg = decodeSegment(p.subarray(found.tcpOffset, found.tcpOffset + found.tcpLength));
          expect(seg.dataOffset).toBeGreaterThanOrEqual(5);
          expect(found.tcpOffset + found.tcpLength).toBeLessThanOrEqual(p.length);
        } else {
          expect(found.skip).toMatch(/fragment/);
        }
      }),
      { numRuns: runs(5_000) },
    );
  });
});

afterAll(() => {
  reportStats('ip', generated, stats);
  for (const s of Object.values(stats)) expect(s.slowestMs).toBeLessThan(CALL_BUDGET_MS);
});
