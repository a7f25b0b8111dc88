/**
 * encodeSegment: the documented defaults, data offset and padding, flags,
 * checksums, and agreement with the independent writer in ./arbitraries.ts.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type TcpOption,
  decodeSegment,
  encodeSegment,
  encodingLength,
  segmentFromJson,
  segmentToJson,
  verifyTcpChecksum,
} from '../../src/index.js';
import { addressPairArb, optionArb, rawOption, referenceTcpChecksum, segmentArb, withoutMessages } from './arbitraries.js';

describe('defaults (as TcpSegmentInit documents them)', () => {
  it('an empty init is a 20-byte header: zeros, data offset 5, window 65535', () => {
    expect(Array.from(encodeSegment({}))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x50, 0, 0xff, 0xff, 0, 0, 0, 0]);
  });

  it('each field lands at its RFC 9293 §3.1 offset, big-endian', () => {
    const b = encodeSegment({
      srcPort: 0x1234,
      dstPort: 0xabcd,
      seq: 0x8000_0001,
      ack: 0xfedc_ba98,
      reserved: 0b101,
      flags: { ae: true, fin: true, urg: true },
      window: 0x0102,
      checksum: 0x0304,
      urgentPointer: 0x0506,
      payload: Uint8Array.of(9),
    });
    expect(Array.from(b)).toEqual([0x12, 0x34, 0xab, 0xcd, 0x80, 0, 0, 1, 0xfe, 0xdc, 0xba, 0x98, 0x5b, 0x21, 1, 2, 3, 4, 5, 6, 9]);
  });
});

describe('flags', () => {
  it("Scapy's letters: F S R P A U E C and N for AE; case does not matter", () => {
    const byte13 = (flags: string) => encodeSegment({ flags })[13];
    expect(byte13('S')).toBe(0x02);
    expect(byte13('SA')).toBe(0x12);
    expect(byte13('FSRPAUEC')).toBe(0xff);
    expect(byte13('pa')).toBe(0x18);
    expect(encodeSegment({ flags: 'N' })[12]).toBe(0x51);
    expect(encodeSegment({ flags: 'N' })[13]).toBe(0);
    expect(byte13('')).toBe(0);
  });
});

describe('data offset and padding', () => {
  it('is the smallest that holds the options; pads with zeros only up to the next 4-byte boundary', () => {
    // etherparse padded an aligned list; smoltcp floored 27 bytes to 24: 0..40 bytes of options, each.
    for (let n = 0; n <= 40; n++) {
      const options: TcpOption[] = n === 0 ? [] : n === 1 ? [{ type: 'nop' }] : [{ type: 'unknown', kind: 99, data: new Uint8Array(n - 2).fill(0xaa) }];
      const b = encodeSegment({ options, payload: Uint8Array.of(0xee) });
      const words = 5 + Math.ceil(n / 4);
      expect(b[12]! >>> 4).toBe(words);
      expect(b.length).toBe(words * 4 + 1);
      expect(Array.from(b.subarray(20 + n, words * 4))).toEqual(new Array(words * 4 - 20 - n).fill(0));
      expect(b[words * 4]).toBe(0xee);
    }
  });

  it('a given dataOffset above the minimum: the rest of the area is zero (EOL then zero padding)', () => {
    const b = encodeSegment({ dataOffset: 8, options: [{ type: 'mss', value: 1460 }] });
    expect(b.length).toBe(32);
    expect(Array.from(b.subarray(20))).toEqual([2, 4, 5, 0xb4, 0, 0, 0, 0, 0, 0, 0, 0]);
    const s = decodeSegment(b);
    expect(s.options).toEqual([{ type: 'mss', value: 1460 }, { type: 'eol' }]);
    expect(Array.from(s.padding)).toEqual(new Array(7).fill(0));
  });

  it('padding given is written right after the options, the rest zero-filled', () => {
    const b = encodeSegment({ dataOffset: 7, options: [{ type: 'nop' }, { type: 'eol' }], padding: Uint8Array.of(1, 2, 3) });
    expect(Array.from(b.subarray(20))).toEqual([1, 0, 1, 2, 3, 0, 0, 0]);
  });

  it('encodingLength says how long the output will be', () => {
    fc.assert(
      fc.property(segmentArb(), ({ segment }) => {
        expect(encodingLength(segment)).toBe(encodeSegment(segment).length);
        expect(encodingLength({ options: segment.options.filter((o) => o.type !== 'eol'), payload: segment.payload })).toBe(
          encodeSegment({ options: segment.options.filter((o) => o.type !== 'eol'), payload: segment.payload }).length,
        );
      }),
    );
  });
});

describe('payload', () => {
  it('a string is written as UTF-8', () => {
    const b = encodeSegment({ payload: 'hé\n' });
    expect(Array.from(b.subarray(20))).toEqual([0x68, 0xc3, 0xa9, 0x0a]);
  });
});

describe('checksum', () => {
  it('without addresses the given checksum (or 0) is written; with them it is computed and the given one ignored', () => {
    expect(encodeSegment({ checksum: 0xbeef }).subarray(16, 18)).toEqual(Uint8Array.of(0xbe, 0xef));
    const b = encodeSegment({ checksum: 0xbeef, payload: 'x' }, { src: '10.0.0.1', dst: '10.0.0.2' });
    const expected = referenceTcpChecksum(b, Uint8Array.of(10, 0, 0, 1), Uint8Array.of(10, 0, 0, 2));
    expect(((b[16] as number) << 8) | (b[17] as number)).toBe(expected);
  });

  it('with addresses the result verifies, for IPv4 and IPv6, and equals the textbook checksum', () => {
    fc.assert(
      fc.property(segmentArb(), addressPairArb(), ({ segment }, { src, dst }) => {
        const b = encodeSegment(segment, { src, dst });
        expect(verifyTcpChecksum(b, src, dst)).toBe(true);
        expect(((b[16] as number) << 8) | (b[17] as number)).toBe(referenceTcpChecksum(b, src, dst));
      }),
    );
  });
});

describe('agreement with the independent writer', () => {
  it('encodeSegment(segment) is the bytes written from RFC 9293 §3.1', () => {
    fc.assert(
      fc.property(segmentArb(), ({ segment, bytes }) => {
        expect(encodeSegment(segment)).toEqual(bytes);
      }),
    );
  });

  it('the options area is each option\'s bytes in order, then zeros', () => {
    fc.assert(
      fc.property(fc.array(optionArb(), { maxLength: 6 }), (options0) => {
        const options: TcpOption[] = [];
        let n = 0;
        for (const o of options0) {
          const len = rawOption(o).length;
          if (n + len > 40) break;
          options.push(o);
          n += len;
        }
        const b = encodeSegment({ options });
        const expected = options.flatMap(rawOption);
        while (expected.length % 4 !== 0) expected.push(0);
        expect(Array.from(b.subarray(20))).toEqual(expected);
      }),
    );
  });
});

describe('JSON form', () => {
  it('segmentFromJson(JSON of segmentToJson(decoded)) encodes back to the same bytes', () => {
    fc.assert(
      fc.property(segmentArb(), ({ segment, bytes }) => {
        const json = JSON.parse(JSON.stringify(segmentToJson(decodeSegment(bytes)))) as unknown;
        expect(encodeSegment(segmentFromJson(json))).toEqual(bytes);
        expect(withoutMessages(decodeSegment(encodeSegment(segmentFromJson(json))))).toEqual(segment);
      }),
    );
  });

  it('byte strings are lowercase hex, numbers stay numbers', () => {
    const j = segmentToJson(
      decodeSegment(
        encodeSegment({ seq: 0xffff_ffff, options: [{ type: 'fastOpen', cookie: Uint8Array.of(0xab, 0xcd, 0xef, 0x01) }, { type: 'eol' }], payload: Uint8Array.of(0xfe) }),
      ),
    );
    expect(j.seq).toBe(4294967295);
    expect(j.payload).toBe('fe');
    expect(j.padding).toBe('00'); // 6 bytes of TFO + EOL = 7, one byte to the boundary
    expect(j.options).toEqual([{ type: 'fastOpen', cookie: 'abcdef01' }, { type: 'eol' }]);
  });
});
