/**
 * Tests written for mutants that survived in the options codec (src/options.ts). The rules are
 * RFC 2018 §3 (SACK: 2 + 8n bytes, 1 <= n <= 4), RFC 7413 §4.1.1 (a Fast Open cookie of 0 or 4..16
 * bytes), RFC 7323 §2.3 (a window shift above 14 is kept and reported) and RFC 9293 §3.1 (an option
 * never runs past the end of the options area).
 */

import { describe, expect, it } from 'vitest';
import { TcpView, TcpWireError, type TcpWireWarning, decodeOptions, decodeSegment, readOption } from '../../src/index.js';

const codeAt = (f: () => unknown): string => {
  try {
    f();
    return 'returned';
  } catch (e) {
    return e instanceof TcpWireError ? `${e.code}@${e.offset}` : `not a TcpWireError: ${String(e)}`;
  }
};

describe('lengths the known kinds may have, on an options area of any size', () => {
  it('SACK: 2 + 8n bytes with n from 1 to 4 is SACK; any other length is kept raw with a warning', () => {
    for (let len = 2; len <= 60; len++) {
      const area = new Uint8Array(len).fill(7);
      area[0] = 5;
      area[1] = len;
      const warnings: TcpWireWarning[] = [];
      const [o] = decodeOptions(area, 0, len, warnings).options;
      const n = (len - 2) / 8;
      if (Number.isInteger(n) && n >= 1 && n <= 4) {
        expect(o, `length ${len}`).toEqual({ type: 'sack', blocks: new Array(n).fill([0x07070707, 0x07070707]) });
        expect(warnings).toEqual([]);
      } else {
        expect(o?.type, `length ${len}`).toBe('unknown');
        expect(warnings.map((w) => w.code)).toEqual(['BAD_OPTION_LENGTH']);
      }
    }
  });

  it('Fast Open: a cookie of 0 or 4..16 bytes; 1..3 and 17 or more are kept raw with a warning', () => {
    for (let n = 0; n <= 24; n++) {
      const area = Uint8Array.from([34, n + 2, ...new Array(n).fill(9)]);
      const warnings: TcpWireWarning[] = [];
      const [o] = decodeOptions(area, 0, area.length, warnings).options;
      const ok = n === 0 || (n >= 4 && n <= 16);
      expect(o?.type, `cookie of ${n}`).toBe(ok ? 'fastOpen' : 'unknown');
      expect(warnings.length, `cookie of ${n}`).toBe(ok ? 0 : 1);
    }
  });

  it('a window shift above 14 is reported only when warnings are asked for, and never throws without them', () => {
    const area = Uint8Array.of(3, 3, 15);
    expect(readOption(area, 0, 3)).toEqual({ type: 'windowScale', shift: 15 });
    expect(decodeOptions(area, 0, 3).options).toEqual([{ type: 'windowScale', shift: 15 }]);
    const seg = new Uint8Array(24);
    seg[12] = 0x60;
    seg.set([3, 3, 200, 0], 20);
    expect([...new TcpView(seg).options()]).toEqual([{ type: 'windowScale', shift: 200 }, { type: 'eol' }]);
    const warnings: TcpWireWarning[] = [];
    readOption(area, 0, 3, warnings);
    expect(warnings).toHaveLength(1);
  });
});

describe('the inline timestamps read looks at the length byte itself', () => {
  it('timestamps of length 6 after an MSS whose last byte is 10: kept raw with a warning, not read as 10 bytes', () => {
    // 14 bytes, so that 10 bytes from the timestamps kind still fit in the area
    const area = Uint8Array.of(2, 4, 0, 10, 8, 6, 1, 2, 3, 4, 1, 1, 1, 1);
    const warnings: TcpWireWarning[] = [];
    expect(decodeOptions(area, 0, area.length, warnings).options).toEqual([
      { type: 'mss', value: 10 },
      { type: 'unknown', kind: 8, data: Uint8Array.of(1, 2, 3, 4) },
      { type: 'nop' },
      { type: 'nop' },
      { type: 'nop' },
      { type: 'nop' },
    ]);
    expect(warnings.map((w) => [w.code, w.offset])).toEqual([['BAD_OPTION_LENGTH', 4]]);
  });
});

describe('an option never runs past the end of the area', () => {
  it('timestamps whose 10 bytes pass the end: OPTION_OVERRUN at the kind byte, whatever follows in the buffer', () => {
    const b = Uint8Array.of(8, 10, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0);
    for (let end = 2; end < 10; end++) expect(codeAt(() => decodeOptions(b, 0, end)), `end ${end}`).toBe('OPTION_OVERRUN@0');
    expect(decodeOptions(b, 0, 10).options).toEqual([{ type: 'timestamps', tsval: 0x01020304, tsecr: 0x05060708 }]);
    // in a segment: NOP NOP and the first two bytes of timestamps in the header, the rest in the payload
    const seg = Uint8Array.of(...new Array(12).fill(0), 0x60, 0, 0, 0, 0, 0, 0, 0, 1, 1, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8);
    expect(codeAt(() => decodeSegment(seg))).toBe('OPTION_OVERRUN@22');
    expect(codeAt(() => [...new TcpView(seg).options()])).toBe('OPTION_OVERRUN@22');
  });
});
