/**
 * Hostile input to the encoder (issue 6), beyond test/core/errors.test.ts: every field and every
 * option value out of range or not an integer gives a typed error naming it, never a masked or
 * truncated value; a window-scale shift above 14 encodes and decodes with a warning; addresses of
 * the wrong family or shape for the pseudo-header are refused.
 */

import { describe, expect, it } from 'vitest';
import {
  type TcpSegmentInit,
  TcpView,
  TcpWireError,
  buildIpPacket,
  decodeSegment,
  effectiveWindowShift,
  encodeSegment,
  pseudoHeaderSum,
  tcpChecksum,
} from '../../src/index.js';

const thrown = (f: () => unknown): TcpWireError => {
  try {
    f();
  } catch (e) {
    if (e instanceof TcpWireError) return e;
    throw new Error(`threw ${String(e)}, not a TcpWireError`);
  }
  throw new Error('did not throw');
};

describe('the encoder refuses what it cannot write exactly', () => {
  const FIELDS: Array<[keyof TcpSegmentInit, number]> = [
    ['srcPort', 0xffff],
    ['dstPort', 0xffff],
    ['seq', 0xffff_ffff],
    ['ack', 0xffff_ffff],
    ['reserved', 7],
    ['window', 0xffff],
    ['checksum', 0xffff],
    ['urgentPointer', 0xffff],
    ['dataOffset', 15],
  ];
  const BAD = (max: number): unknown[] => [-1, max + 1, 0.5, max - 0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '1', null, true, 2 ** 53, [1], {}];

  it.each(FIELDS)('%s: every value outside 0..%i or not an integer is OUT_OF_RANGE, naming the field', (field, max) => {
    for (const v of BAD(max)) {
      const e = thrown(() => encodeSegment({ [field]: v } as TcpSegmentInit));
      expect(e.code, `${field} = ${String(v)}`).toBe('OUT_OF_RANGE');
      expect(e.message).toContain(field);
    }
    // and the largest value is written as it is, not masked
    const min = field === 'dataOffset' ? 5 : 0;
    for (const v of [min, max]) {
      const s = decodeSegment(encodeSegment({ [field]: v } as TcpSegmentInit));
      expect(s[field as keyof typeof s], `${field} = ${v}`).toBe(v);
    }
  });

  const OPTION_CASES: Array<[string, string, Record<string, unknown>]> = [
    ['MSS 65536', 'OUT_OF_RANGE', { type: 'mss', value: 65536 }],
    ['MSS -1', 'OUT_OF_RANGE', { type: 'mss', value: -1 }],
    ['MSS 1460.5', 'OUT_OF_RANGE', { type: 'mss', value: 1460.5 }],
    ['window scale 256', 'OUT_OF_RANGE', { type: 'windowScale', shift: 256 }],
    ['window scale -1', 'OUT_OF_RANGE', { type: 'windowScale', shift: -1 }],
    ['SACK with 5 blocks', 'OUT_OF_RANGE', { type: 'sack', blocks: [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]] }],
    ['SACK with no blocks', 'OUT_OF_RANGE', { type: 'sack', blocks: [] }],
    ['SACK edge 2^32', 'OUT_OF_RANGE', { type: 'sack', blocks: [[0, 2 ** 32]] }],
    ['SACK edge -1', 'OUT_OF_RANGE', { type: 'sack', blocks: [[-1, 0]] }],
    ['SACK block of three numbers', 'BAD_INPUT', { type: 'sack', blocks: [[1, 2, 3]] }],
    ['TSval 2^32', 'OUT_OF_RANGE', { type: 'timestamps', tsval: 2 ** 32, tsecr: 0 }],
    ['TSecr NaN', 'OUT_OF_RANGE', { type: 'timestamps', tsval: 0, tsecr: Number.NaN }],
    ['Fast Open cookie of 3 bytes', 'OUT_OF_RANGE', { type: 'fastOpen', cookie: new Uint8Array(3) }],
    ['Fast Open cookie of 17 bytes', 'OUT_OF_RANGE', { type: 'fastOpen', cookie: new Uint8Array(17) }],
    ['MD5 digest of 15 bytes', 'OUT_OF_RANGE', { type: 'md5', digest: new Uint8Array(15) }],
    ['user timeout 0x8000', 'OUT_OF_RANGE', { type: 'userTimeout', granularity: 'seconds', timeout: 0x8000 }],
    ['user timeout in hours', 'BAD_INPUT', { type: 'userTimeout', granularity: 'hours', timeout: 1 }],
    ['TCP-AO KeyID 256', 'OUT_OF_RANGE', { type: 'tcpAo', keyId: 256, rNextKeyId: 0, mac: new Uint8Array(0) }],
    ['TCP-AO MAC of 37 bytes (41 in all)', 'OUT_OF_RANGE', { type: 'tcpAo', keyId: 1, rNextKeyId: 0, mac: new Uint8Array(37) }],
    ['MPTCP without data', 'OUT_OF_RANGE', { type: 'mptcp', subtype: 0, data: new Uint8Array(0) }],
    ['MPTCP subtype not its data', 'BAD_INPUT', { type: 'mptcp', subtype: 3, data: Uint8Array.of(0x10) }],
    ['experimental kind 252', 'OUT_OF_RANGE', { type: 'experimental', kind: 252, exid: 0, data: new Uint8Array(0) }],
    ['ExID 65536', 'OUT_OF_RANGE', { type: 'experimental', kind: 254, exid: 65536, data: new Uint8Array(0) }],
    ['unknown kind 1 (NOP is not unknown)', 'OUT_OF_RANGE', { type: 'unknown', kind: 1, data: new Uint8Array(0) }],
    ['unknown kind 256', 'OUT_OF_RANGE', { type: 'unknown', kind: 256, data: new Uint8Array(0) }],
    ['unknown kind with 39 data bytes', 'OUT_OF_RANGE', { type: 'unknown', kind: 99, data: new Uint8Array(39) }],
    ['unknown data not bytes', 'BAD_INPUT', { type: 'unknown', kind: 99, data: [1, 2] }],
    ['an option type that does not exist', 'BAD_INPUT', { type: 'jumbo' }],
    ['options over 40 bytes', 'OUT_OF_RANGE', { type: 'unknown', kind: 99, data: new Uint8Array(38) }],
  ];

  it.each(OPTION_CASES)('%s: %s', (name, code, option) => {
    const options = name === 'options over 40 bytes' ? [option, { type: 'nop' }] : [option];
    const e = thrown(() => encodeSegment({ options } as unknown as TcpSegmentInit));
    expect(e.code).toBe(code);
    expect(e.message.length).toBeGreaterThan(10);
  });

  it.each([15, 16, 100, 255])('window-scale shift %i: legal on the wire, encoded as given, decoded with a warning, counted as 14', (shift) => {
    const bytes = encodeSegment({ flags: 'S', options: [{ type: 'windowScale', shift }, { type: 'nop' }] });
    expect(Array.from(bytes.subarray(20, 24))).toEqual([3, 3, shift, 1]);
    const s = decodeSegment(bytes);
    expect(s.options[0]).toEqual({ type: 'windowScale', shift });
    expect(s.warnings).toHaveLength(1);
    expect(s.warnings[0]).toMatchObject({ code: 'OUT_OF_RANGE', offset: 20 });
    expect(s.warnings[0]?.message).toContain('RFC 7323');
    expect(effectiveWindowShift(shift)).toBe(14);
    expect(new TcpView(bytes).windowShift).toBe(shift);
  });

  it('shift 14 itself: no warning', () => {
    expect(decodeSegment(encodeSegment({ options: [{ type: 'windowScale', shift: 14 }, { type: 'nop' }] })).warnings).toEqual([]);
  });

  it.each([
    ['IPv4 source, IPv6 destination', '192.0.2.1', '2001:db8::1'],
    ['IPv6 source, IPv4 destination', '2001:db8::1', '192.0.2.1'],
    ['4 bytes and 16 bytes', Uint8Array.of(192, 0, 2, 1), new Uint8Array(16)],
    ['5 bytes', Uint8Array.of(1, 2, 3, 4, 5), Uint8Array.of(1, 2, 3, 4, 5)],
    ['an address byte of 256', [192, 0, 2, 256], [192, 0, 2, 1]],
    ['an address byte of 1.5', [192, 0, 2, 1.5], [192, 0, 2, 1]],
    ['an IPv4 part of 256', '192.0.2.256', '192.0.2.1'],
    ['an IPv6 zone', 'fe80::1%eth0', 'fe80::2'],
    ['an IPv4-mapped IPv6 address with a bad IPv4 part', '::ffff:1.2.3', '::1'],
    ['a host name', 'example.com', '192.0.2.1'],
  ])('pseudo-header with %s: BAD_ADDRESS from the encoder, the checksum and buildIpPacket', (_, src, dst) => {
    const s = src as never;
    const d = dst as never;
    expect(thrown(() => encodeSegment({}, { src: s, dst: d })).code).toBe('BAD_ADDRESS');
    expect(thrown(() => tcpChecksum(encodeSegment({}), s, d)).code).toBe('BAD_ADDRESS');
    expect(thrown(() => pseudoHeaderSum(s, d, 20)).code).toBe('BAD_ADDRESS');
    expect(thrown(() => buildIpPacket(encodeSegment({}), s, d)).code).toBe('BAD_ADDRESS');
  });

  it('a TCP length the IPv4 pseudo-header cannot carry: OUT_OF_RANGE, not truncated to 16 bits', () => {
    expect(thrown(() => pseudoHeaderSum('192.0.2.1', '192.0.2.2', 65536)).code).toBe('OUT_OF_RANGE');
    expect(thrown(() => pseudoHeaderSum('2001:db8::1', '2001:db8::2', 2 ** 32)).code).toBe('OUT_OF_RANGE');
    expect(thrown(() => pseudoHeaderSum('192.0.2.1', '192.0.2.2', -1)).code).toBe('OUT_OF_RANGE');
    expect(thrown(() => pseudoHeaderSum('192.0.2.1', '192.0.2.2', 20.5)).code).toBe('OUT_OF_RANGE');
    // IPv6 carries 32-bit lengths (jumbograms): accepted
    expect(pseudoHeaderSum('2001:db8::1', '2001:db8::2', 65536)).toBeGreaterThanOrEqual(0);
  });
});
