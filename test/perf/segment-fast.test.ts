/**
 * decodeSegment's fast path (fields by shifts, NOP and timestamps read inline, Linux's three
 * option layouts built as literals, one shared empty payload and padding) pinned to the plain decoder it replaced: a DataView
 * for the fields and readOption for every option, on well-formed, fuzzed and
 * malformed segments, errors included.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DATA_OFFSET_SHIFT,
  FIELD,
  FLAGS_MASK,
  HEADER_LEN,
  RESERVED_MASK,
  RESERVED_SHIFT,
  type TcpSegment,
  TcpWireError,
  type TcpWireWarning,
  type TcpOption,
  checkHeader,
  decodeOptions,
  decodeSegment,
  flagsFromBits,
  readOption,
} from '../../src/index.js';
import { fuzzBytesArb, wellFormedBytesArb } from '../core/arbitraries.js';

/** decodeOptions as it was: readOption for every option, the padding a view from after EOL. */
function plainOptions(bytes: Uint8Array, start: number, end: number, warnings: TcpWireWarning[]): { options: TcpOption[]; padding: Uint8Array } {
  const options: TcpOption[] = [];
  let pos = start;
  while (pos < end) {
    const option = readOption(bytes, pos, end, warnings);
    options.push(option);
    if (option.type === 'eol') {
      pos += 1;
      break;
    }
    pos += option.type === 'nop' ? 1 : (bytes[pos + 1] as number);
  }
  return { options, padding: bytes.subarray(pos, end) };
}

function plainDecode(bytes: Uint8Array): TcpSegment {
  const hdr = checkHeader(bytes, 0, bytes.length);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const word = dv.getUint16(FIELD.OFFSET_FLAGS);
  const warnings: TcpWireWarning[] = [];
  const { options, padding } = plainOptions(bytes, HEADER_LEN, hdr, warnings);
  return {
    srcPort: dv.getUint16(FIELD.SRC_PORT),
    dstPort: dv.getUint16(FIELD.DST_PORT),
    seq: dv.getUint32(FIELD.SEQ),
    ack: dv.getUint32(FIELD.ACK),
    dataOffset: word >>> DATA_OFFSET_SHIFT,
    reserved: (word & RESERVED_MASK) >>> RESERVED_SHIFT,
    flags: flagsFromBits(word & FLAGS_MASK),
    window: dv.getUint16(FIELD.WINDOW),
    checksum: dv.getUint16(FIELD.CHECKSUM),
    urgentPointer: dv.getUint16(FIELD.URGENT),
    options,
    padding,
    payload: bytes.subarray(hdr),
    warnings,
  };
}

function outcome(f: () => TcpSegment): TcpSegment | { code: string; offset: number } {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof TcpWireError)) throw e;
    return { code: e.code, offset: e.offset };
  }
}

/** Segments whose options area is made of NOP, timestamps (of any length) and arbitrary bytes. */
const nopTsBytesArb = fc
  .tuple(
    fc.array(fc.oneof(fc.constant([1]), fc.constant([8, 10, 0x80, 0, 0, 1, 0xff, 0xff, 0xff, 0xff]), fc.constant([8, 9, 1, 2, 3, 4, 5, 6, 7]), fc.array(fc.nat({ max: 255 }), { maxLength: 3 })), { maxLength: 8 }),
    fc.nat({ max: 40 }),
    fc.uint8Array({ maxLength: 20 }),
  )
  .map(([parts, cut, payload]) => {
    const opts = parts.flat().slice(0, cut);
    const hdr = 20 + Math.ceil(opts.length / 4) * 4;
    const b = new Uint8Array(hdr + payload.length);
    b[12] = (hdr / 4) << 4;
    b.set(opts, 20);
    b.set(payload, hdr);
    return b;
  });

/**
 * Linux's three layouts that decodeSegment builds as literals (NOP,NOP,TS; MSS,SACKOK,TS,NOP,WS;
 * NOP,NOP,TS,NOP,NOP,SACK), exact or with one byte of the options area changed, so both the
 * literal path and every near miss that must fall back to the general walk are met.
 */
const linuxLayoutArb = fc
  .tuple(
    fc.constantFrom(
      [1, 1, 8, 10],
      [2, 4, 5, 0xb4, 4, 2, 8, 10, -1, -1, -1, -1, -1, -1, -1, -1, 1, 3, 3, -2],
      [1, 1, 8, 10, -1, -1, -1, -1, -1, -1, -1, -1, 1, 1, 5, -3],
    ),
    fc.uint8Array({ minLength: 40, maxLength: 40 }),
    fc.option(fc.tuple(fc.nat({ max: 39 }), fc.nat({ max: 255 })), { nil: undefined }),
    fc.nat({ max: 15 }),
    // SACK lengths: 1 to 4 blocks and the lengths between, which are not whole blocks.
    fc.constantFrom(2, 6, 10, 14, 18, 22, 26, 34),
    fc.nat({ max: 2 }),
    fc.uint8Array({ maxLength: 8 }),
  )
  .map(([layout, random, change, shift, sackLen, extraWords, payload]) => {
    // -1: a random byte (timestamps, SACK edges); -2: a window shift, above 14 a third of
    // the time; -3: the SACK option's length.
    const opts = layout.map((x, i) => (x === -1 ? (random[i] as number) : x === -2 ? shift : x === -3 ? sackLen : x));
    const sackEnd = layout.length === 16 ? 14 + sackLen : 0;
    while (opts.length % 4 !== 0 || opts.length < sackEnd) opts.push(random[opts.length] as number);
    for (let i = 0; i < 4 * extraWords && opts.length < 40; i++) opts.push(random[opts.length] as number);
    opts.length = Math.min(opts.length, 40);
    if (change !== undefined && change[0] < opts.length) opts[change[0]] = change[1];
    const hdr = 20 + opts.length;
    const b = new Uint8Array(hdr + payload.length);
    b[12] = (hdr / 4) << 4;
    b.set(opts, 20);
    b.set(payload, hdr);
    return b;
  });

describe('decodeSegment (and decodeOptions) equal the plain DataView + readOption decoder', () => {
  it('on well-formed segments', () => {
    fc.assert(
      fc.property(wellFormedBytesArb(), (b) => {
        expect(decodeSegment(b)).toEqual(plainDecode(b));
      }),
      { numRuns: 2000 },
    );
  });

  it('on NOP/timestamps areas cut anywhere (the inline reads), and on fuzzed bytes, errors included', () => {
    fc.assert(
      fc.property(fc.oneof(nopTsBytesArb, linuxLayoutArb, fuzzBytesArb()), (b) => {
        expect(outcome(() => decodeSegment(b))).toEqual(outcome(() => plainDecode(b)));
        const hdr = ((b[12] as number) >>> 4) * 4;
        if (b.length >= 20 && hdr >= 20 && hdr <= b.length) {
          const w1: TcpWireWarning[] = [];
          const w2: TcpWireWarning[] = [];
          const got = outcome(() => ({ ...decodeOptions(b, 20, hdr, w1), w1 }) as unknown as TcpSegment);
          const want = outcome(() => ({ ...plainOptions(b, 20, hdr, w2), w1: w2 }) as unknown as TcpSegment);
          expect(got).toEqual(want);
        }
      }),
      { numRuns: 8000 },
    );
  });

  it('at an unaligned byteOffset inside a larger buffer', () => {
    fc.assert(
      fc.property(wellFormedBytesArb(), fc.nat({ max: 7 }), (b, shift) => {
        const big = new Uint8Array(b.length + shift + 5).fill(0xcc);
        big.set(b, shift);
        const v = big.subarray(shift, shift + b.length);
        const s = decodeSegment(v);
        expect(s).toEqual(plainDecode(v));
        if (b.length > s.dataOffset * 4) {
          expect(s.payload.buffer).toBe(big.buffer);
          expect(s.payload.byteOffset).toBe(shift + s.dataOffset * 4);
        } else {
          // No payload: the one shared empty array, which no caller can write into.
          expect(s.payload.length).toBe(0);
          expect(Object.isFrozen(s.payload)).toBe(true);
        }
      }),
    );
  });
});
