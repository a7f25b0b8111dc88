/**
 * The same HTTP exchange captured in every format variant (fixtures/captures/make-captures.sh):
 * classic pcap little- and big-endian, nanosecond pcap, pcapng, Linux cooked v1 and v2, and a
 * two-interface pcapng. Whatever the framing and link layer, the TCP segments are the same.
 */

import { describe, expect, it } from 'vitest';
import type { CaptureSegment } from '../../src/index.js';
import { captureBytes, captureNames, hex, readSegments } from './fixtures.js';

const tcpOf = (s: CaptureSegment): string => `${s.ip.src} ${s.ip.dst} ${s.checksum} ${hex(s.packet.subarray(s.offsets.tcp - s.offsets.packet, s.offsets.tcp - s.offsets.packet + s.tcpLength))}`;
const timeOf = (s: CaptureSegment): string => `${s.timestampNs}`;
const have = (n: string): boolean => captureNames.includes(n);

describe.skipIf(!have('http-v4.pcap'))('format variants of http-v4 yield identical segments', () => {
  const base = readSegments(captureBytes('http-v4.pcap'));

  it('the base capture has the exchange', () => {
    expect(base.length).toBeGreaterThan(10);
    expect(new Set(base.map((s) => s.linkType))).toEqual(new Set([1]));
  });

  it.each(['http-v4-be.pcap', 'http-v4.pcapng'])('%s (rewritten from the same file): same segments, same timestamps to the nanosecond', (name) => {
    const v = readSegments(captureBytes(name));
    expect(v.map(tcpOf)).toEqual(base.map(tcpOf));
    expect(v.map(timeOf)).toEqual(base.map(timeOf));
  });

  it.each([
    ['http-v4-ns.pcap', 1],
    ['http-v4-sll.pcap', 113],
    ['http-v4-sll2.pcap', 276],
  ])('%s (captured at the same time): same segments, link type %i', (name, linkType) => {
    const v = readSegments(captureBytes(name));
    expect(v.map(tcpOf)).toEqual(base.map(tcpOf));
    expect(new Set(v.map((s) => s.linkType))).toEqual(new Set([linkType]));
  });

  it('the nanosecond capture keeps digits below the microsecond', () => {
    const v = readSegments(captureBytes('http-v4-ns.pcap'));
    expect(v.some((s) => s.nanos % 1000 !== 0)).toBe(true);
    expect(base.every((s) => s.nanos % 1000 === 0)).toBe(true);
  });

  it('http-v4-2if.pcapng: each of its two interfaces (Ethernet, Linux cooked v2) holds the same segments', () => {
    const v = readSegments(captureBytes('http-v4-2if.pcapng'));
    const byIf = (id: number): CaptureSegment[] => v.filter((s) => s.interfaceId === id);
    expect(v.length).toBe(2 * base.length);
    expect(byIf(0).map(tcpOf)).toEqual(base.map(tcpOf));
    expect(byIf(1).map(tcpOf)).toEqual(base.map(tcpOf));
    expect(new Set(byIf(0).map((s) => s.linkType))).toEqual(new Set([1]));
    expect(new Set(byIf(1).map((s) => s.linkType))).toEqual(new Set([276]));
  });
});
