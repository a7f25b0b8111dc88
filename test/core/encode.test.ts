/**
 * encodeSegment: the documented defaults, data offset and padding, flags,
 * checksums, and agreement with the independent writer in ./arbitraries.ts.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type TcpOption,
  TcpWireError,
  decodeSegment,
  encodeSegment,
  encodingLength,
  optionLength,
  optionsLength,
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

/** The TcpWireError `f` throws (the test fails if it throws nothing or something else). */
function thrown(f: () => unknown): TcpWireError {
  try {
    f();
  } catch (e) {
    if (e instanceof TcpWireError) return e;
    throw e;
  }
  throw new Error('expected a TcpWireError, nothing was thrown');
}

/**
 * For each typed kind, the total lengths (kind and length bytes included) at which it decodes
 * typed, from the RFCs: MSS RFC 9293 §3.2, window scale and timestamps RFC 7323 §2.2/§3.2,
 * SACK RFC 2018 §3 (1 to 4 blocks of 8 bytes), MD5 RFC 2385 §3.0, user timeout RFC 5482 §2,
 * TCP-AO RFC 5925 §2.2 (at least KeyID and RNextKeyID), MPTCP RFC 8684 §3 (at least a subtype
 * byte), Fast Open RFC 7413 §4.1.1 (a request, or a cookie of 4 to 16 bytes), the experimental
 * kinds RFC 6994 §3 (at least a 16-bit ExID). Every other length keeps the kind raw.
 */
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const TYPED_LENGTHS: [kind: number, type: string, lengths: number[]][] = [
  [2, 'mss', [4]],
  [3, 'windowScale', [3]],
  [4, 'sackPermitted', [2]],
  [5, 'sack', [10, 18, 26, 34]],
  [8, 'timestamps', [10]],
  [19, 'md5', [18]],
  [28, 'userTimeout', [4]],
  [29, 'tcpAo', range(4, 40)],
  [30, 'mptcp', range(3, 40)],
  [34, 'fastOpen', [2, ...range(6, 18)]],
  [253, 'experimental', range(4, 40)],
  [254, 'experimental', range(4, 40)],
];

describe('what would not decode back as given is refused (BAD_INPUT), naming the option', () => {
  it('an option after an EOL: EOL ends the list, and what follows it decodes as padding', () => {
    fc.assert(
      fc.property(fc.array(optionArb(), { maxLength: 3 }), fc.array(optionArb(), { minLength: 1, maxLength: 3 }), (before, after) => {
        const options: TcpOption[] = [...before, { type: 'eol' }, ...after];
        const first = after[0] as TcpOption;
        for (const f of [() => encodeSegment({ options }), () => encodingLength({ options }), () => optionsLength(options)]) {
          const e = thrown(f);
          expect(e.code).toBe('BAD_INPUT');
          expect(e.offset).toBe(-1);
          expect(e.message).toContain(`option ${before.length + 1} (${first.type})`);
          expect(e.message).toContain(`EOL at option ${before.length}`);
          expect(e.message).toContain('expected EOL to be the last option');
        }
        // a second EOL is an option after the first, too
        const twice = thrown(() => encodeSegment({ options: [...before, { type: 'eol' }, { type: 'eol' }] }));
        expect(twice.message).toContain(`option ${before.length + 1} (eol)`);
      }),
      { numRuns: 200 },
    );
  });

  it('padding without an EOL at the end of the options: padding is only what follows an EOL', () => {
    fc.assert(
      fc.property(fc.array(optionArb(), { maxLength: 3 }), fc.uint8Array({ minLength: 1, maxLength: 8 }), (options, padding) => {
        for (const f of [() => encodeSegment({ options, padding }), () => encodingLength({ options, padding })]) {
          const e = thrown(f);
          expect(e.code).toBe('BAD_INPUT');
          expect(e.offset).toBe(-1);
          expect(e.message).toContain(`padding has ${padding.length} bytes`);
          expect(e.message).toContain(`expected option ${options.length} to be an EOL`);
        }
        // the rest only where the options (with an EOL and the padding) fit in a header's 40 bytes
        const withEol: TcpOption[] = [...options, { type: 'eol' }];
        if (withEol.reduce((n, o) => n + rawOption(o).length, 0) + padding.length > 40) return;
        // empty padding (what the decoder gives for a list without EOL) is no padding at all
        expect(encodeSegment({ options, padding: new Uint8Array(0) })).toEqual(encodeSegment({ options }));
        // after an EOL the same padding is taken, and read back first in the padding
        const back = decodeSegment(encodeSegment({ options: withEol, padding }));
        expect(back.options).toEqual(withEol);
        expect(Array.from(back.padding.subarray(0, padding.length))).toEqual(Array.from(padding));
        expect(Array.from(back.padding.subarray(padding.length)).every((b) => b === 0)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('an unknown option with the kind and length of a typed option; at any other length it is kept raw', () => {
    for (const [kind, type, lengths] of TYPED_LENGTHS) {
      for (let len = 2; len <= 40; len++) {
        const data = Uint8Array.from({ length: len - 2 }, (_, i) => (i * 37 + kind) & 0xff);
        const raw: TcpOption = { type: 'unknown', kind, data };
        // after a NOP, so that the option is not the first, while the two fit in 40 bytes
        const options: TcpOption[] = len < 40 ? [{ type: 'nop' }, raw] : [raw];
        const index = options.length - 1;
        const what = `kind ${kind}, ${len} bytes`;
        if (lengths.includes(len)) {
          for (const e of [thrown(() => encodeSegment({ options })), thrown(() => optionsLength(options))]) {
            expect(e.code, what).toBe('BAD_INPUT');
            expect(e.offset, what).toBe(-1);
            expect(e.message, what).toContain(`option ${index} is unknown kind ${kind} with ${len} bytes`);
            expect(e.message, what).toContain(`expected { type: "${type}" }`);
          }
          // alone, without a place in a list
          expect(thrown(() => optionLength(raw)).message, what).toMatch(new RegExp(`^the option is unknown kind ${kind} with ${len} bytes`));
        } else {
          // a known kind with a wrong length: the decoder keeps it raw, so it round-trips
          const b = encodeSegment({ options });
          expect(Array.from(b.subarray(20 + index, 20 + index + len)), what).toEqual([kind, len, ...data]);
          expect(decodeSegment(b).options.slice(0, options.length), what).toEqual(options);
        }
      }
    }
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
