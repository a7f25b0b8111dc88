/**
 * TCP options: typed decoding of bytes written by hand from the RFCs, the
 * encoder's checks, and the option-by-option round trip against the
 * independent writer in ./arbitraries.ts.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type TcpOption,
  type TcpWireWarning,
  TcpWireError,
  decodeOptions,
  effectiveWindowShift,
  encodeSegment,
  optionKindName,
  optionLength,
  optionsLength,
  readOption,
  writeOption,
} from '../../src/index.js';
import { optionArb, rawOption, unknownKindArb } from './arbitraries.js';

/** Decodes an options area given as bytes (offsets then count from 0). */
function decode(bytes: number[]) {
  const b = Uint8Array.from(bytes);
  const warnings: TcpWireWarning[] = [];
  const r = decodeOptions(b, 0, b.length, warnings);
  return { ...r, warnings };
}

function thrown(f: () => unknown): TcpWireError {
  try {
    f();
  } catch (e) {
    if (e instanceof TcpWireError) return e;
    throw e;
  }
  throw new Error('expected a TcpWireError, nothing was thrown');
}

const hex = (s: string): number[] => Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));

describe('typed options from hand-written bytes', () => {
  it('MSS (kind 2, length 4, RFC 9293 §3.2)', () => {
    expect(decode(hex('02 04 05 b4')).options).toEqual([{ type: 'mss', value: 1460 }]);
    expect(decode(hex('02 04 ff ff')).options).toEqual([{ type: 'mss', value: 65535 }]);
  });

  it('window scale (kind 3, length 3, RFC 7323 §2): raw shift kept, above 14 warned and clamped by effectiveWindowShift', () => {
    expect(decode(hex('03 03 07')).options).toEqual([{ type: 'windowScale', shift: 7 }]);
    const d = decode(hex('01 03 03 0f'));
    expect(d.options).toEqual([{ type: 'nop' }, { type: 'windowScale', shift: 15 }]);
    expect(d.warnings).toEqual([{ code: 'OUT_OF_RANGE', offset: 1, message: expect.stringContaining('14') }]);
    expect(decode(hex('03 03 ff')).options).toEqual([{ type: 'windowScale', shift: 255 }]);
    expect(decode(hex('03 03 0e')).warnings).toEqual([]);
    expect([0, 7, 14, 15, 255].map(effectiveWindowShift)).toEqual([0, 7, 14, 14, 14]);
  });

  it('SACK permitted (kind 4, length 2) and SACK blocks (kind 5, RFC 2018), left edge above right across the wrap', () => {
    expect(decode(hex('04 02')).options).toEqual([{ type: 'sackPermitted' }]);
    expect(decode(hex('05 0a ffffff00 00000010')).options).toEqual([{ type: 'sack', blocks: [[0xffffff00, 0x10]] }]);
    const four = hex('05 22 00000001 00000002 7fffffff 80000000 fffffffe ffffffff 00000000 00000000');
    expect(decode(four).options).toEqual([
      {
        type: 'sack',
        blocks: [
          [1, 2],
          [0x7fffffff, 0x80000000],
          [0xfffffffe, 0xffffffff],
          [0, 0],
        ],
      },
    ]);
  });

  it('timestamps (kind 8, length 10, RFC 7323 §3): unsigned 32-bit values', () => {
    expect(decode(hex('08 0a ffffffff 80000000')).options).toEqual([{ type: 'timestamps', tsval: 0xffffffff, tsecr: 0x80000000 }]);
  });

  it('Fast Open (kind 34, RFC 7413): an empty cookie is a request; 4..16 bytes a cookie', () => {
    expect(decode(hex('22 02')).options).toEqual([{ type: 'fastOpen', cookie: new Uint8Array(0) }]);
    expect(decode(hex('22 0a 0102030405060708')).options).toEqual([{ type: 'fastOpen', cookie: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) }]);
    expect(decode(hex('22 06 01020304')).options).toEqual([{ type: 'fastOpen', cookie: Uint8Array.of(1, 2, 3, 4) }]);
    expect(decode([0x22, 18, ...new Array(16).fill(7)]).options).toEqual([{ type: 'fastOpen', cookie: new Uint8Array(16).fill(7) }]);
  });

  it('MD5 (19), user timeout (28), TCP-AO (29), MPTCP (30), experimental 253/254 with ExID', () => {
    expect(decode([19, 18, ...new Array(16).fill(0xab)]).options).toEqual([{ type: 'md5', digest: new Uint8Array(16).fill(0xab) }]);
    expect(decode(hex('1c 04 80 05')).options).toEqual([{ type: 'userTimeout', granularity: 'minutes', timeout: 5 }]);
    expect(decode(hex('1c 04 7f ff')).options).toEqual([{ type: 'userTimeout', granularity: 'seconds', timeout: 0x7fff }]);
    expect(decode(hex('1d 06 01 02 aa bb')).options).toEqual([{ type: 'tcpAo', keyId: 1, rNextKeyId: 2, mac: Uint8Array.of(0xaa, 0xbb) }]);
    expect(decode(hex('1d 04 ff 00')).options).toEqual([{ type: 'tcpAo', keyId: 255, rNextKeyId: 0, mac: new Uint8Array(0) }]);
    expect(decode(hex('1e 04 21 81')).options).toEqual([{ type: 'mptcp', subtype: 2, data: Uint8Array.of(0x21, 0x81) }]);
    expect(decode(hex('fd 06 f9 89 01 02')).options).toEqual([{ type: 'experimental', kind: 253, exid: 0xf989, data: Uint8Array.of(1, 2) }]);
    expect(decode(hex('fe 04 00 01')).options).toEqual([{ type: 'experimental', kind: 254, exid: 1, data: new Uint8Array(0) }]);
  });

  it('unknown kinds are kept with their exact bytes, never dropped or thrown (node_pcap threw on TFO)', () => {
    expect(decode(hex('63 05 01 02 03')).options).toEqual([{ type: 'unknown', kind: 99, data: Uint8Array.of(1, 2, 3) }]);
    expect(decode(hex('ff 02')).options).toEqual([{ type: 'unknown', kind: 255, data: new Uint8Array(0) }]);
    expect(decode(hex('0e 03 01 0f 02 00 00')).options).toEqual([
      { type: 'unknown', kind: 14, data: Uint8Array.of(1) },
      { type: 'unknown', kind: 15, data: new Uint8Array(0) },
      { type: 'eol' },
    ]);
  });

  it('lengths above 127 are unsigned (pcap4j read 0xb3 as -77)', () => {
    const area = new Array<number>(0xb3).fill(0);
    area[0] = 0x63;
    area[1] = 0xb3;
    expect(decode(area).options).toEqual([{ type: 'unknown', kind: 0x63, data: new Uint8Array(0xb1) }]);
  });

  it('EOL ends the list; the rest is padding kept byte for byte; NOP is one byte', () => {
    const d = decode(hex('01 01 00 07 08 09'));
    expect(d.options).toEqual([{ type: 'nop' }, { type: 'nop' }, { type: 'eol' }]);
    expect(Array.from(d.padding)).toEqual([7, 8, 9]);
    expect(decode(hex('01 01 01 01')).padding.length).toBe(0);
    expect(decode([]).options).toEqual([]);
  });

  it('option data are views of the input, not copies', () => {
    const b = Uint8Array.from(hex('63 04 aa bb'));
    const o = decodeOptions(b, 0, 4).options[0] as Extract<TcpOption, { type: 'unknown' }>;
    expect(o.data.buffer).toBe(b.buffer);
    expect(o.data.byteOffset).toBe(2);
  });

  it('a known kind with the wrong length is kept as unknown with its bytes and a BAD_OPTION_LENGTH warning', () => {
    const cases: [string, number, number][] = [
      // bytes, kind, offset of the option in the area
      ['02 03 05', 2, 0],
      ['01 02 06 05 b4 00 00', 2, 1],
      ['03 04 07 00', 3, 0],
      ['04 03 00', 4, 0],
      ['05 02', 5, 0],
      ['05 0b 00000001 00000002 ff', 5, 0],
      ['08 09 00000001000000', 8, 0],
      ['08 0b 000000010000000200', 8, 0],
      ['22 03 01', 34, 0],
      ['22 05 010203', 34, 0],
      ['13 11 ' + '00'.repeat(15), 19, 0],
      ['1c 03 00', 28, 0],
      ['1d 03 00', 29, 0],
      ['1e 02', 30, 0],
      ['fd 03 00', 253, 0],
      ['fe 02', 254, 0],
    ];
    for (const [text, kind, at] of cases) {
      const bytes = hex(text);
      const d = decode(bytes);
      const len = bytes[at + 1] as number;
      const got = d.options.find((o) => o.type !== 'nop');
      expect(got, text).toEqual({ type: 'unknown', kind, data: Uint8Array.from(bytes.slice(at + 2, at + len)) });
      expect(d.warnings, text).toEqual([{ code: 'BAD_OPTION_LENGTH', offset: at, message: expect.stringContaining(`length ${len}`) }]);
    }
  });

  it('the warning names the kind, byte, length and what was expected (the issue\'s example message)', () => {
    const area = new Uint8Array(40);
    area.set([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 8, 9], 0);
    const full = new Uint8Array(60);
    full.set(area, 20);
    const warnings: TcpWireWarning[] = [];
    decodeOptions(full, 20, 60, warnings);
    expect(warnings[0]?.message).toMatch(/option kind 8 .*at byte 32 has length 9, expected 10/);
  });
});

describe('optionKindName', () => {
  it('names the known kinds and numbers the rest', () => {
    expect(optionKindName(2)).toBe('MSS');
    expect(optionKindName(5)).toBe('SACK');
    expect(optionKindName(99)).toBe('kind 99');
  });
});

describe('encoding options', () => {
  it('each typed option writes the bytes the RFC layout gives (independent writer) and reads back as itself', () => {
    fc.assert(
      fc.property(optionArb(), (o) => {
        const expected = rawOption(o);
        expect(optionLength(o)).toBe(expected.length);
        const out = new Uint8Array(expected.length + 2);
        expect(writeOption(o, out, 1)).toBe(1 + expected.length);
        expect(Array.from(out.subarray(1, 1 + expected.length))).toEqual(expected);
        const back = readOption(out, 1, 1 + expected.length);
        expect(back).toEqual(o);
      }),
    );
  });

  it('optionsLength is the sum of the lengths', () => {
    fc.assert(
      fc.property(fc.array(optionArb(), { maxLength: 6 }), (os) => {
        expect(optionsLength(os)).toBe(os.reduce((n, o) => n + rawOption(o).length, 0));
      }),
    );
  });

  it('unknown kinds encode as kind, length, data', () => {
    fc.assert(
      fc.property(unknownKindArb(), fc.uint8Array({ maxLength: 38 }), (kind, data) => {
        const out = new Uint8Array(2 + data.length);
        writeOption({ type: 'unknown', kind, data }, out, 0);
        expect(Array.from(out)).toEqual([kind, data.length + 2, ...data]);
      }),
    );
  });

  it('SACK: up to 4 blocks alone, 3 beside timestamps; 5 blocks or 4 beside timestamps do not fit', () => {
    const blk: [number, number] = [1, 2];
    expect(encodeSegment({ options: [{ type: 'sack', blocks: [blk, blk, blk, blk] }] }).length).toBe(20 + 36);
    expect(
      encodeSegment({
        options: [{ type: 'nop' }, { type: 'nop' }, { type: 'timestamps', tsval: 1, tsecr: 2 }, { type: 'sack', blocks: [blk, blk, blk] }],
      }).length,
    ).toBe(60);
    const five = thrown(() => optionLength({ type: 'sack', blocks: [blk, blk, blk, blk, blk] }));
    expect(five.code).toBe('OUT_OF_RANGE');
    expect(five.message).toMatch(/1 to 4 blocks, not 5/);
    const fourTs = thrown(() => encodeSegment({ options: [{ type: 'timestamps', tsval: 1, tsecr: 2 }, { type: 'sack', blocks: [blk, blk, blk, blk] }] }));
    expect(fourTs.code).toBe('OUT_OF_RANGE');
  });

  it('rejects values the option cannot carry: OUT_OF_RANGE for numbers and sizes, BAD_INPUT for shapes', () => {
    const cases: [TcpOption, string][] = [
      [{ type: 'mss', value: 65536 }, 'OUT_OF_RANGE'],
      [{ type: 'mss', value: -1 }, 'OUT_OF_RANGE'],
      [{ type: 'mss', value: 1.5 }, 'OUT_OF_RANGE'],
      [{ type: 'windowScale', shift: 256 }, 'OUT_OF_RANGE'],
      [{ type: 'sack', blocks: [] }, 'OUT_OF_RANGE'],
      [{ type: 'sack', blocks: [[0, 2 ** 32]] }, 'OUT_OF_RANGE'],
      [{ type: 'sack', blocks: [[-1, 0]] }, 'OUT_OF_RANGE'],
      [{ type: 'sack', blocks: [[1] as unknown as [number, number]] }, 'BAD_INPUT'],
      [{ type: 'timestamps', tsval: 2 ** 32, tsecr: 0 }, 'OUT_OF_RANGE'],
      [{ type: 'timestamps', tsval: 0, tsecr: Number.NaN }, 'OUT_OF_RANGE'],
      [{ type: 'fastOpen', cookie: new Uint8Array(3) }, 'OUT_OF_RANGE'],
      [{ type: 'fastOpen', cookie: new Uint8Array(17) }, 'OUT_OF_RANGE'],
      [{ type: 'fastOpen', cookie: [1, 2, 3, 4] as unknown as Uint8Array }, 'BAD_INPUT'],
      [{ type: 'md5', digest: new Uint8Array(15) }, 'OUT_OF_RANGE'],
      [{ type: 'userTimeout', granularity: 'seconds', timeout: 0x8000 }, 'OUT_OF_RANGE'],
      [{ type: 'userTimeout', granularity: 'hours' as 'seconds', timeout: 1 }, 'BAD_INPUT'],
      [{ type: 'tcpAo', keyId: 256, rNextKeyId: 0, mac: new Uint8Array(0) }, 'OUT_OF_RANGE'],
      [{ type: 'tcpAo', keyId: 0, rNextKeyId: 0, mac: new Uint8Array(37) }, 'OUT_OF_RANGE'],
      [{ type: 'mptcp', subtype: 1, data: Uint8Array.of(0x21) }, 'BAD_INPUT'],
      [{ type: 'mptcp', subtype: 0, data: new Uint8Array(0) }, 'OUT_OF_RANGE'],
      [{ type: 'experimental', kind: 252, exid: 1, data: new Uint8Array(0) }, 'OUT_OF_RANGE'],
      [{ type: 'experimental', kind: 253, exid: 0x10000, data: new Uint8Array(0) }, 'OUT_OF_RANGE'],
      [{ type: 'unknown', kind: 1, data: new Uint8Array(0) }, 'OUT_OF_RANGE'],
      [{ type: 'unknown', kind: 0, data: new Uint8Array(0) }, 'OUT_OF_RANGE'],
      [{ type: 'unknown', kind: 256, data: new Uint8Array(0) }, 'OUT_OF_RANGE'],
      [{ type: 'unknown', kind: 99, data: new Uint8Array(39) }, 'OUT_OF_RANGE'],
      [{ type: 'bogus' } as unknown as TcpOption, 'BAD_INPUT'],
    ];
    for (const [o, code] of cases) {
      const e = thrown(() => optionLength(o));
      expect(e.code, JSON.stringify(o, (_k, v: unknown) => (v instanceof Uint8Array ? `bytes(${v.length})` : v))).toBe(code);
      expect(e.offset).toBe(-1);
      // and the segment encoder refuses it the same way
      expect(thrown(() => encodeSegment({ options: [o] })).code).toBe(code);
    }
  });
});
