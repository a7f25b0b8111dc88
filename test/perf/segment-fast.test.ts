/**
 * decodeSegment's fast path (fields by shifts, NOP and timestamps read inline,
 * one shared empty padding) pinned to the plain decoder it replaced: a DataView
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
      fc.property(fc.oneof(nopTsBytesArb, fuzzBytesArb()), (b) => {
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
      { numRuns: 5000 },
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
        expect(s.payload.buffer).toBe(big.buffer);
        expect(s.payload.byteOffset).toBe(shift + s.dataOffset * 4);
      }),
    );
  });
});
