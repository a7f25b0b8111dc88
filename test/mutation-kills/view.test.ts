/**
 * Tests written for mutants that survived in TcpView (src/view.ts): the cached walk of reset()
 * and the getters that read from it must answer exactly what decodeSegment's options say, and
 * never read an option's value from outside the options area (RFC 9293 §3.1: the options end
 * at the data offset), whatever bytes sit around it.
 */

import { describe, expect, it } from 'vitest';
import { TcpView, TcpWireError, decodeSegment } from '../../src/index.js';
import { rawOption } from '../core/arbitraries.js';

/** A segment: 20-byte header (byte 0 = `first`), the options area, the payload. */
function seg(options: number[], payload: number[] = [], first = 0): Uint8Array {
  const hdr = 20 + options.length;
  if (hdr % 4 !== 0) throw new Error('options must fill whole words');
  const b = new Uint8Array(hdr + payload.length);
  b[0] = first;
  b[12] = (hdr / 4) << 4;
  b.set(options, 20);
  b.set(payload, hdr);
  return b;
}

const codeAt = (f: () => unknown): string => {
  try {
    return `returned ${String(f())}`;
  } catch (e) {
    return e instanceof TcpWireError ? `${e.code}@${e.offset}` : `not a TcpWireError: ${String(e)}`;
  }
};

const MSS = [2, 4, 0x05, 0xb4];
const SACKOK = [4, 2];
const TS = (v: number, e: number) => [8, 10, v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255, e >>> 24, (e >>> 16) & 255, (e >>> 8) & 255, e & 255];
const WS = (s: number) => [3, 3, s];

describe('TcpView option getters', () => {
  it("Linux's layouts, and the same options in other orders, give decodeSegment's values", () => {
    const layouts = [
      [1, 1, ...TS(7, 9)],
      [...MSS, ...SACKOK, ...TS(7, 9), 1, ...WS(7)],
      [...MSS, ...SACKOK, ...TS(7, 9), 1, 1, 1, 1],
      [...SACKOK, ...MSS, ...TS(7, 9), 1, ...WS(7)],
      [...TS(7, 9), ...MSS, 1, 1],
      [...WS(7), 1, ...TS(7, 9), ...MSS, 1, 1],
      [1, 1, 1, 1, ...TS(7, 9), ...TS(8, 10)],
      [...MSS, ...MSS.map((x, i) => (i === 3 ? 0 : x)), 1, 1, 1, 1],
      [1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 2, 5, 10, 0, 0, 0, 3, 0, 0, 0, 4, 1, 1],
      [...WS(3), 5, 10, 0, 0, 0, 1, 0, 0, 0, 2, ...WS(9), 1, 1, 1, 1],
    ];
    for (const o of layouts) {
      const b = seg(o);
      const s = decodeSegment(b);
      const v = new TcpView(b);
      const mss = s.options.find((x) => x.type === 'mss');
      const ts = s.options.find((x) => x.type === 'timestamps');
      const ws = s.options.find((x) => x.type === 'windowScale');
      expect(v.mss, o.join(',')).toBe(mss?.type === 'mss' ? mss.value : -1);
      expect(v.tsval, o.join(',')).toBe(ts?.type === 'timestamps' ? ts.tsval : -1);
      expect(v.tsecr, o.join(',')).toBe(ts?.type === 'timestamps' ? ts.tsecr : -1);
      expect(v.hasTimestamps).toBe(ts !== undefined);
      expect(v.windowShift, o.join(',')).toBe(ws?.type === 'windowScale' ? ws.shift : -1);
      // where each kind first sits, walking decodeSegment's options by their RFC lengths
      const at = new Map<number, number>();
      let p = 20;
      for (const x of s.options) {
        const kind = p < b.length ? (b[p] as number) : -1;
        if (!at.has(kind)) at.set(kind, p);
        p += rawOption(x).length;
      }
      for (const kind of [2, 3, 5, 8]) expect(v.findOption(kind), `${o.join(',')} kind ${kind}`).toBe(at.get(kind) ?? -1);
    }
  });

  it('no options: -1 and false, whatever the header bytes hold (byte 0 = 3, 4 or 10 is not a length byte)', () => {
    for (const first of [3, 4, 10, 0xff]) {
      const v = new TcpView(seg([], [8, 10, 1, 2, 3, 4, 5, 6, 7, 8], first));
      expect([v.mss, v.windowShift, v.tsval, v.tsecr, v.hasTimestamps, v.findOption(8), v.findOption(2), v.findOption(3), v.findOption(5)]).toEqual([
        -1, -1, -1, -1, false, -1, -1, -1, -1,
      ]);
    }
  });

  it("Linux's SYN layout cut by the data offset: timestamps never read from the payload", () => {
    // MSS, SACK-permitted, then the first 6 bytes of timestamps in 12 option bytes; the rest in the payload
    const b = seg([...MSS, ...SACKOK, 8, 10, 0, 0, 0, 1], [0, 0, 0, 2, 0, 0, 0, 3]);
    expect(codeAt(() => decodeSegment(b))).toBe('OPTION_OVERRUN@26');
    const v = new TcpView(b);
    expect(v.mss).toBe(1460);
    expect(codeAt(() => v.tsval)).toBe('OPTION_OVERRUN@26');
    expect(codeAt(() => v.tsecr)).toBe('OPTION_OVERRUN@26');
    expect(codeAt(() => v.hasTimestamps)).toBe('OPTION_OVERRUN@26');
    // and NOP, NOP with timestamps cut the same way
    const c = seg([1, 1, 8, 10, 0, 0, 0, 1], [0, 0, 0, 2, 0, 0]);
    expect(codeAt(() => new TcpView(c).tsval)).toBe('OPTION_OVERRUN@22');
  });

  it('a kind byte in the last slot of the area, at the end of the buffer: its option is malformed, not present', () => {
    for (const kind of [2, 3, 5, 8]) {
      const b = seg([1, 1, 1, kind]);
      expect(codeAt(() => decodeSegment(b))).toBe('OPTION_OVERRUN@23');
      const v = new TcpView(b);
      const getter = { 2: () => v.mss, 3: () => v.windowShift, 5: () => v.findOption(5), 8: () => v.tsval }[kind] as () => number;
      expect(codeAt(getter), `kind ${kind}`).toBe('OPTION_OVERRUN@23');
      expect(codeAt(() => v.findOption(kind))).toBe('OPTION_OVERRUN@23');
    }
  });

  it("a first word that is not MSS before SACK-permitted and timestamps: not Linux's layout, every option found", () => {
    const v = new TcpView(seg([...WS(7), 1, ...SACKOK, ...TS(5, 6)]));
    expect([v.windowShift, v.mss, v.tsval, v.tsecr]).toEqual([7, -1, 5, 6]);
  });

  it('the options iterator reads a timestamps kind by its own length byte', () => {
    const b = seg([2, 4, 0, 10, 8, 6, 1, 2, 3, 4, 1, 1, 1, 1, 1, 1]);
    expect([...new TcpView(b).options()]).toEqual(decodeSegment(b).options);
  });

  it('a malformed option before the one asked for: its error, from every getter and findOption', () => {
    const v = new TcpView(seg([1, 9, 0, 1, ...MSS]));
    for (const f of [() => v.mss, () => v.windowShift, () => v.tsval, () => v.tsecr, () => v.hasTimestamps, () => v.findOption(2), () => v.findOption(8), () => v.findOption(3), () => v.findOption(5), () => v.findOption(34)]) {
      expect(codeAt(f)).toBe('BAD_OPTION_LENGTH@21');
    }
  });

  it('other kinds by findOption: EOL and NOP found where they are, the walk stops at EOL', () => {
    const v = new TcpView(seg([1, ...SACKOK, 34, 2, 0, 99, 2]));
    expect([v.findOption(1), v.findOption(4), v.findOption(34), v.findOption(0), v.findOption(99)]).toEqual([20, 21, 23, 25, -1]);
    expect(new TcpView(seg([1, 1, 1, 1])).findOption(34)).toBe(-1);
    expect(new TcpView(seg([...SACKOK, 1, 1])).findOption(4)).toBe(20);
  });

  it('other kinds by findOption: an option running past the area, or in its last slot, is an error, not found', () => {
    expect(codeAt(() => new TcpView(seg([1, 1, 34, 9])).findOption(34))).toBe('OPTION_OVERRUN@22');
    expect(codeAt(() => new TcpView(seg([1, 1, 1, 34])).findOption(34))).toBe('OPTION_OVERRUN@23');
    expect(codeAt(() => new TcpView(seg([1, 1, 1, 34], [6, 1, 1, 1])).findOption(34))).toBe('OPTION_OVERRUN@23');
    expect(codeAt(() => new TcpView(seg([1, 34, 1, 1])).findOption(99))).toBe('BAD_OPTION_LENGTH@21');
  });

  it("Linux's SYN layout is not taken from header bytes that happen to look like it", () => {
    // checksum and urgent pointer spell 04 02 08 0a, the word before the options; the options are MSS, WS, NOPs
    const b = seg([...MSS, ...WS(7), 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    b.set([4, 2, 8, 10], 16);
    const v = new TcpView(b);
    expect([v.mss, v.windowShift, v.tsval, v.hasTimestamps]).toEqual([1460, 7, -1, false]);
  });
});

describe('TcpView at an offset, and reset()', () => {
  it('the length defaults to the rest of the buffer, in the constructor and in reset()', () => {
    const inner = seg([...MSS], [1, 2, 3]);
    const buf = new Uint8Array(inner.length + 4);
    buf.set(inner, 4);
    const v = new TcpView(buf, 4);
    expect([v.offset, v.length, v.payloadLength, v.mss, v.srcPort]).toEqual([4, inner.length, 3, 1460, 0]);
    const other = new Uint8Array(inner.length + 8);
    other.set(inner, 8);
    other[8] = 0x12;
    v.reset(other, 8);
    expect([v.offset, v.length, v.payloadLength, v.mss, v.srcPort]).toEqual([8, inner.length, 3, 1460, 0x1200]);
    expect(Array.from(v.segment)).toEqual(Array.from(other.subarray(8)));
  });

  it('a negative length is a TRUNCATED header at the offset, counted as 0 bytes', () => {
    let e: TcpWireError | undefined;
    try {
      new TcpView(new Uint8Array(40), 2, -5);
    } catch (x) {
      e = x as TcpWireError;
    }
    expect([e?.code, e?.offset]).toEqual(['TRUNCATED', 2]);
    expect(e?.message).toContain('only 0 are there');
  });
});

describe('TcpView.reset refuses what is not a segment in the buffer, whatever bytes sit there', () => {
  // A 40-byte buffer whose bytes 11, 12 and 22 each read as a data offset of 5 (a 20-byte header):
  // a reset that checked only the header would point the view at bytes outside the segment given.
  const b = new Uint8Array(40);
  b[11] = 0x50;
  b[12] = 0x50;
  b[22] = 0x50;

  it('a negative offset, or a segment running past the buffer: TRUNCATED at the buffer\'s end', () => {
    const v = new TcpView(b);
    for (const [offset, length] of [
      [-1, 20],
      [-1, 41],
      [10, 31],
      [10, 40],
      [0, 41],
    ] as const) {
      expect(codeAt(() => v.reset(b, offset, length)), `${offset}, ${length}`).toBe('TRUNCATED@40');
    }
    // the same with room to spare is accepted
    expect(v.reset(b, 10, 30).headerLength).toBe(20);
    expect(v.reset(b, 0, 40).offset).toBe(0);
  });

  it('an offset or length that is not an integer: OUT_OF_RANGE, not a data offset read from elsewhere', () => {
    const v = new TcpView(b);
    for (const [offset, length] of [
      [0.5, 20],
      [Number.NaN, 20],
      [0, Number.NaN],
      [0, 20.5],
      [Number.POSITIVE_INFINITY, 20],
    ]) {
      expect(codeAt(() => v.reset(b, offset as number, length as number)), `${offset}, ${length}`).toBe('OUT_OF_RANGE@-1');
    }
    // the sentence says what was wrong, with the values given
    expect(() => v.reset(b, 0.5, 20)).toThrowError(/integers.*0\.5 and 20/);
  });
});

describe("reset()'s Linux layouts are told by the option words, not by the header's other fields", () => {
  /** A segment of `options` with the given sequence and acknowledgment numbers. */
  function withNumbers(options: number[], seq: number, ack: number): Uint8Array {
    const s = seg(options);
    const dv = new DataView(s.buffer);
    dv.setUint32(4, seq);
    dv.setUint32(8, ack);
    return s;
  }

  it('NOP,NOP,TS then EOL: no SACK, though the acknowledgment number reads as NOP,NOP,SACK of the right length', () => {
    // 36-byte header: a SACK filling it would have length 36 - 34 = 2, i.e. the word 0x01010502
    const v = new TcpView(withNumbers([1, 1, ...TS(7, 9), 0, 0, 0, 0], 0, 0x01010502));
    expect([v.tsval, v.findOption(5)]).toEqual([7, -1]);
  });

  it('NOP,NOP,TS then an option of a length that does not fit: the walk throws, no SACK is made up', () => {
    // words 0x010104dc and 0x010104ba (SACK-permitted with length 220 or 186) and 0x01010546 (SACK with
    // length 70): near the word a SACK filling the header would have (0x01010502), each off by an
    // arithmetic slip (0x01010500 - 36, - 36 - 34, + 36 + 34), and each malformed
    for (const tail of [
      [1, 1, 4, 0xdc],
      [1, 1, 4, 0xba],
      [1, 1, 5, 70],
    ]) {
      const v = new TcpView(seg([1, 1, ...TS(7, 9), ...tail]));
      expect(v.tsval, tail.join(',')).toBe(7);
      expect(codeAt(() => v.findOption(5)), tail.join(',')).toBe('OPTION_OVERRUN@34');
    }
  });

  it('MSS,SACKOK,TS then four NOPs: no window scale, though the sequence number reads as NOP, window scale', () => {
    const v = new TcpView(withNumbers([...MSS, ...SACKOK, ...TS(7, 9), 1, 1, 1, 1], 0x01030307, 0));
    expect([v.mss, v.tsval, v.tsecr, v.windowShift, v.findOption(3)]).toEqual([1460, 7, 9, -1, -1]);
  });
});

describe('TcpView.nextOption refuses an offset outside the options area, and says where the area is', () => {
  it('OUT_OF_RANGE naming the offset and the area\'s first and last bytes', () => {
    const v = new TcpView(seg([...MSS, 1, 1, 1, 1], [9, 9]));
    expect(() => v.nextOption(28)).toThrowError(/option offset 28 .*bytes 20 to 27/);
    expect(() => v.nextOption(19)).toThrowError(/option offset 19 .*bytes 20 to 27/);
    expect([v.nextOption(-1), v.nextOption(20), v.nextOption(24), v.nextOption(27)]).toEqual([20, 24, 25, -1]);
  });
});
