/**
 * The codec's laws, checked with fast-check on generated segments (./arbitraries.ts):
 * decode ∘ encode = id on segments, encode ∘ decode = id on bytes, every decoded
 * number in its field's range, and decodeSegment throwing nothing but TcpWireError.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type TcpOption, type TcpSegment, TcpWireError, decodeSegment, encodeSegment } from '../../src/index.js';
import { fuzzBytesArb, rawOption, segmentArb, wellFormedBytesArb, withoutMessages } from './arbitraries.js';

const isInt = (n: unknown, min: number, max: number): boolean => typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max;
const U8 = 0xff;
const U16 = 0xffff;
const U32 = 0xffff_ffff;

/** Every number in a decoded segment, with the range its field allows; returns the ones outside. */
function outOfRange(s: TcpSegment, length: number): string[] {
  const bad: string[] = [];
  const want = (name: string, v: unknown, min: number, max: number): void => {
    if (!isInt(v, min, max)) bad.push(`${name}=${String(v)}`);
  };
  want('srcPort', s.srcPort, 0, U16);
  want('dstPort', s.dstPort, 0, U16);
  want('seq', s.seq, 0, U32);
  want('ack', s.ack, 0, U32);
  want('dataOffset', s.dataOffset, 5, 15);
  want('reserved', s.reserved, 0, 7);
  want('window', s.window, 0, U16);
  want('checksum', s.checksum, 0, U16);
  want('urgentPointer', s.urgentPointer, 0, U16);
  for (const k of Object.keys(s.flags)) if (typeof (s.flags as unknown as Record<string, unknown>)[k] !== 'boolean') bad.push(`flag ${k}`);
  const optionArea = s.dataOffset * 4 - 20;
  const checkOption = (o: TcpOption): void => {
    switch (o.type) {
      case 'eol':
      case 'nop':
      case 'sackPermitted':
        break;
      case 'mss':
        want('mss', o.value, 0, U16);
        break;
      case 'windowScale':
        want('shift', o.shift, 0, U8);
        break;
      case 'sack':
        want('sack blocks', o.blocks.length, 1, 4);
        for (const [l, r] of o.blocks) {
          want('sack left', l, 0, U32);
          want('sack right', r, 0, U32);
        }
        break;
      case 'timestamps':
        want('tsval', o.tsval, 0, U32);
        want('tsecr', o.tsecr, 0, U32);
        break;
      case 'fastOpen':
        if (!(o.cookie.length === 0 || isInt(o.cookie.length, 4, 16))) bad.push('cookie length');
        break;
      case 'md5':
        want('md5 length', o.digest.length, 16, 16);
        break;
      case 'userTimeout':
        want('timeout', o.timeout, 0, 0x7fff);
        if (o.granularity !== 'seconds' && o.granularity !== 'minutes') bad.push('granularity');
        break;
      case 'tcpAo':
        want('keyId', o.keyId, 0, U8);
        want('rNextKeyId', o.rNextKeyId, 0, U8);
        break;
      case 'mptcp':
        want('subtype', o.subtype, 0, 15);
        break;
      case 'experimental':
        if (o.kind !== 253 && o.kind !== 254) bad.push(`experimental kind ${o.kind}`);
        want('exid', o.exid, 0, U16);
        break;
      case 'unknown':
        want('kind', o.kind, 2, U8);
        want('data length', o.data.length, 0, 38);
        break;
    }
  };
  for (const o of s.options) checkOption(o);
  // and the pieces add up: options + padding fill the area exactly
  const optionBytes = s.options.reduce((n, o) => n + rawOption(o).length, 0);
  if (optionBytes + s.padding.length !== optionArea) bad.push(`options ${optionBytes} + padding ${s.padding.length} != area ${optionArea}`);
  want('padding length', s.padding.length, 0, optionArea);
  want('payload length', s.payload.length, length - s.dataOffset * 4, length - s.dataOffset * 4);
  for (const w of s.warnings) want('warning offset', w.offset, 20, s.dataOffset * 4 - 1);
  return bad;
}

describe('laws of the codec', () => {
  it('decode(encode(x)) deep-equals x on valid segments (padding after EOL, unknown kinds, reserved bits, AE)', () => {
    fc.assert(
      fc.property(segmentArb(), ({ segment }) => {
        expect(withoutMessages(decodeSegment(encodeSegment(segment)))).toEqual(segment);
      }),
      { numRuns: 2000 },
    );
  });

  it('encode(decode(b)) === b on bytes of well-formed segments (non-zero bytes after EOL, odd option orders, wrong-length known kinds)', () => {
    fc.assert(
      fc.property(wellFormedBytesArb(), (b) => {
        expect(encodeSegment(decodeSegment(b))).toEqual(b);
      }),
      { numRuns: 2000 },
    );
  });

  it('and through the checksum: encode(decode(b), addresses) differs from b at most in bytes 16-17', () => {
    fc.assert(
      fc.property(wellFormedBytesArb(), (b) => {
        const again = encodeSegment(decodeSegment(b), { src: '192.0.2.1', dst: '198.51.100.7' });
        expect(again.length).toBe(b.length);
        expect(Array.from(again.subarray(0, 16))).toEqual(Array.from(b.subarray(0, 16)));
        expect(Array.from(again.subarray(18))).toEqual(Array.from(b.subarray(18)));
      }),
    );
  });

  it('every number in a decoded segment is an integer in its field\'s range', () => {
    fc.assert(
      fc.property(fc.oneof(wellFormedBytesArb(), segmentArb().map((x) => x.bytes)), (b) => {
        expect(outOfRange(decodeSegment(b), b.length)).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it('and on whatever arbitrary bytes decode at all', () => {
    fc.assert(
      fc.property(fuzzBytesArb(), (b) => {
        let s: TcpSegment;
        try {
          s = decodeSegment(b);
        } catch {
          return;
        }
        expect(outOfRange(s, b.length)).toEqual([]);
        // and what decodes re-encodes to the same bytes
        expect(encodeSegment(s)).toEqual(b);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('decodeSegment on arbitrary bytes', () => {
  it('throws nothing but TcpWireError, with a code, an offset inside the input and a message (100,000 runs)', () => {
    const codes = new Map<string, number>();
    let decoded = 0;
    fc.assert(
      fc.property(fuzzBytesArb(), (b) => {
        try {
          decodeSegment(b);
          decoded++;
        } catch (e) {
          if (!(e instanceof TcpWireError)) throw e;
          codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
          if (!['TRUNCATED', 'BAD_DATA_OFFSET', 'BAD_OPTION_LENGTH', 'OPTION_OVERRUN'].includes(e.code)) throw e;
          if (!(e.offset >= 0 && e.offset <= b.length)) throw e;
          if (e.message.length < 10) throw e;
        }
      }),
      { numRuns: 100_000 },
    );
    // The generator reaches every decoding error and plenty of successes.
    expect([...codes.keys()].sort()).toEqual(['BAD_DATA_OFFSET', 'BAD_OPTION_LENGTH', 'OPTION_OVERRUN', 'TRUNCATED']);
    expect(decoded).toBeGreaterThan(1000);
  });
});
