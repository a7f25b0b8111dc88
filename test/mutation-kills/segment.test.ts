/**
 * decodeSegment's shortcuts for Linux's option layouts (NOP, NOP, timestamps; the same with a
 * SACK after it; MSS, SACK-permitted, timestamps, NOP, window scale) must be taken only for
 * exactly those layouts. Written for mutants that survived in src/segment.ts: a shortcut that
 * looks at the wrong bytes (the checksum, the sequence or acknowledgment number) or accepts a
 * wrong length would build Linux's options for segments that do not carry them. Each segment
 * here is built byte by byte so that the wrong bytes look right, and the expected options are
 * read off the bytes by hand.
 */

import { describe, expect, it } from 'vitest';
import { TcpWireError, type TcpOption, decodeSegment } from '../../src/index.js';

/** A header of `20 + options.length` bytes: data offset from the length, the given fixed fields, then the options. */
function segment(options: number[], fields: { seq?: number; ack?: number; checksum?: number; urgent?: number } = {}): Uint8Array {
  const b = new Uint8Array(20 + options.length);
  const dv = new DataView(b.buffer);
  dv.setUint32(4, fields.seq ?? 0);
  dv.setUint32(8, fields.ack ?? 0);
  b[12] = ((20 + options.length) / 4) << 4;
  dv.setUint16(16, fields.checksum ?? 0);
  dv.setUint16(18, fields.urgent ?? 0);
  b.set(options, 20);
  return b;
}

const NOP: TcpOption = { type: 'nop' };
const nops = (n: number): TcpOption[] => new Array<TcpOption>(n).fill(NOP);

describe('the Linux SYN layout is recognised by the options themselves', () => {
  it('not by bytes 16-19 (checksum, urgent pointer) holding SACK-permitted and the timestamps kind', () => {
    // MSS 1460, 13 NOPs, window scale 7: no SACK-permitted, no timestamps
    const b = segment([2, 4, 5, 0xb4, ...new Array(13).fill(1), 3, 3, 7], { checksum: 0x0402, urgent: 0x080a });
    expect(decodeSegment(b).options).toEqual([{ type: 'mss', value: 1460 }, ...nops(13), { type: 'windowScale', shift: 7 }]);
  });

  it('not by the sequence number holding NOP and the window scale kind and length', () => {
    // MSS, SACK-permitted, timestamps, then four NOPs where NOP, window scale would be
    const b = segment([2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 1, 1, 1], { seq: 0x01030307 });
    expect(decodeSegment(b).options).toEqual([{ type: 'mss', value: 1460 }, { type: 'sackPermitted' }, { type: 'timestamps', tsval: 1, tsecr: 2 }, ...nops(4)]);
  });
});

describe('the Linux SACK layout is recognised by the options themselves, with the SACK\'s own length', () => {
  const TS = [1, 1, 8, 10, 0, 0, 0, 5, 0, 0, 0, 6];
  const ts: TcpOption[] = [NOP, NOP, { type: 'timestamps', tsval: 5, tsecr: 6 }];

  it('not by the acknowledgment number holding NOP, NOP, SACK', () => {
    // NOP NOP timestamps, three NOPs, an unknown kind 10 of 8 bytes whose kind sits where the SACK length would, a NOP
    const b = segment([...TS, 1, 1, 1, 10, 8, 1, 2, 3, 4, 5, 6, 1], { ack: 0x010105ff });
    expect(decodeSegment(b).options).toEqual([...ts, ...nops(3), { type: 'unknown', kind: 10, data: Uint8Array.of(1, 2, 3, 4, 5, 6) }, NOP]);
  });

  it('not by the sequence number\'s second byte holding the header\'s SACK length', () => {
    // a 52-byte header: NOP NOP timestamps, NOP NOP, a SACK of one block (10 bytes), then eight NOPs;
    // 52 - 34 = 18 would be the length of a SACK filling it
    const b = segment([...TS, 1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 2, ...new Array(8).fill(1)], { seq: 0x00120000 });
    expect(decodeSegment(b).options).toEqual([...ts, NOP, NOP, { type: 'sack', blocks: [[1, 2]] }, ...nops(8)]);
  });

  it('a SACK length running past the header is an overrun, not a Linux SACK', () => {
    // 50 = 44 + 20 - 14: what a length check that added the fixed header's 20 bytes instead of subtracting them would take
    for (const len of [38, 50, 64]) {
      // a 44-byte header: the SACK at byte 34 claims `len` bytes, past the end at 44
      const b = segment([...TS, 1, 1, 5, len, 0, 0, 0, 1, 0, 0, 0, 2]);
      let e: unknown;
      try {
        decodeSegment(b);
      } catch (err) {
        e = err;
      }
      expect(e, `length ${len}`).toBeInstanceOf(TcpWireError);
      expect([(e as TcpWireError).code, (e as TcpWireError).offset], `length ${len}`).toEqual(['OPTION_OVERRUN', 34]);
    }
  });
});
