/**
 * TcpView's cached option walk (one walk finds MSS, window scale, SACK and
 * timestamps) pinned to the plain walk findOption describes, on arbitrary and
 * malformed option areas, and across reset().
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TcpView, TcpWireError, type TcpOption, type TcpWireWarning, readOption } from '../../src/index.js';

/** The plain walk: first option of `kind` before EOL; throws where an option before it (or it) is malformed. */
function plainFind(b: Uint8Array, start: number, hdr: number, kind: number): number | { code: string; offset: number } {
  const end = start + hdr;
  let p = start + 20;
  while (p < end) {
    const k = b[p] as number;
    if (k === 0 || k === 1) {
      if (k === kind) return p;
      if (k === 0) return -1;
      p++;
      continue;
    }
    if (p + 1 >= end) return { code: 'OPTION_OVERRUN', offset: p };
    const n = b[p + 1] as number;
    if (n < 2) return { code: 'BAD_OPTION_LENGTH', offset: p };
    if (p + n > end) return { code: 'OPTION_OVERRUN', offset: p };
    if (k === kind) return p;
    p += n;
  }
  return -1;
}

function viewFind(v: TcpView, kind: number): number | { code: string; offset: number } {
  try {
    return v.findOption(kind);
  } catch (e) {
    if (!(e instanceof TcpWireError)) throw e;
    return { code: e.code, offset: e.offset };
  }
}

/** Option bytes biased towards real kinds and lengths, with malformed ones mixed in. */
const optionBytes = fc
  .array(
    fc.oneof(
      fc.constant([1]),
      fc.constant([0]),
      fc.constant([2, 4, 5, 0xb4]),
      fc.constant([3, 3, 7]),
      fc.constant([4, 2]),
      fc.constant([8, 10, 1, 2, 3, 4, 5, 6, 7, 8]),
      fc.constant([5, 10, 0, 0, 0, 1, 0, 0, 0, 2]),
      fc.constant([2, 3, 9]), // MSS of the wrong length
      fc.constant([8, 0]), // length below 2
      fc.constant([5, 40]), // runs past the area
      fc.array(fc.nat({ max: 255 }), { minLength: 1, maxLength: 4 }),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.flat().slice(0, 40));

/** The layouts reset() recognises by whole words (NOP,NOP,TS and MSS,SACKOK,TS), or nothing, to start the area with. */
const linuxPrefix = fc.constantFrom(
  [],
  [1, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 7],
  [2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 9, 0, 0, 0, 0],
  [2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 9, 0, 0, 0, 0, 1, 3, 3, 7],
  [1, 1, 8, 11, 0, 0, 0, 9, 0, 0, 0, 7], // timestamps of the wrong length
  [2, 4, 5, 0xb4, 4, 2, 8, 9, 0, 0, 0, 9, 0, 0, 0, 0],
);

const KINDS = [0, 1, 2, 3, 4, 5, 8, 9, 30, 254];

describe('TcpView.findOption with the cached walk equals the plain walk', () => {
  it('for every kind, on arbitrary option areas (malformed ones included), at any offset', () => {
    fc.assert(
      fc.property(linuxPrefix, optionBytes, fc.nat({ max: 7 }), fc.nat({ max: 30 }), fc.nat({ max: 40 }), (prefix, rest, shift, payload, cut) => {
        // Cut the area anywhere, so the data offset can end inside a recognised layout.
        const opts = [...prefix, ...rest].slice(0, cut);
        const hdr = 20 + Math.ceil(opts.length / 4) * 4;
        const buf = new Uint8Array(shift + hdr + payload).fill(0xee, shift + hdr);
        buf.fill(0, shift, shift + hdr);
        buf.set(opts, shift + 20);
        buf[shift + 12] = (hdr / 4) << 4;
        const v = new TcpView(buf, shift, hdr + payload);
        // Ask in an order that makes the cached kinds come both first and after others.
        for (const k of [...KINDS, ...KINDS.slice().reverse()]) {
          expect(viewFind(v, k)).toEqual(plainFind(buf, shift, hdr, k));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('forgets the walk on reset()', () => {
    const a = new Uint8Array(28);
    a[12] = 7 << 4;
    a.set([2, 4, 5, 0xb4, 8, 10, 0, 0], 20); // MSS, then timestamps running past the area
    const b = new Uint8Array(24);
    b[12] = 6 << 4;
    b.set([3, 3, 9, 0], 20); // window scale, EOL
    const v = new TcpView(a);
    expect(v.mss).toBe(1460);
    expect(() => v.tsval).toThrowError(expect.objectContaining({ code: 'OPTION_OVERRUN', offset: 24 }));
    v.reset(b);
    expect(v.mss).toBe(-1);
    expect(v.windowShift).toBe(9);
    expect(v.tsval).toBe(-1);
    v.reset(a);
    // Window scale is not before the malformed timestamps: the walk stops there, so it throws.
    expect(() => v.windowShift).toThrowError(expect.objectContaining({ code: 'OPTION_OVERRUN', offset: 24 }));
    expect(v.mss).toBe(1460);
  });
});

/** The options() generator as it was: readOption for every option, up to and including EOL. */
function plainOptions(b: Uint8Array, start: number, hdr: number, warnings: TcpWireWarning[]): (TcpOption | { code: string; offset: number })[] {
  const out: (TcpOption | { code: string; offset: number })[] = [];
  const end = start + hdr;
  let p = start + 20;
  try {
    while (p < end) {
      const o = readOption(b, p, end, warnings);
      out.push(o);
      if (o.type === 'eol') break;
      p += o.type === 'nop' ? 1 : (b[p + 1] as number);
    }
  } catch (e) {
    if (!(e instanceof TcpWireError)) throw e;
    out.push({ code: e.code, offset: e.offset });
  }
  return out;
}

function viewOptions(v: TcpView, warnings: TcpWireWarning[]): (TcpOption | { code: string; offset: number })[] {
  const out: (TcpOption | { code: string; offset: number })[] = [];
  try {
    for (const o of v.options(warnings)) out.push(o);
  } catch (e) {
    if (!(e instanceof TcpWireError)) throw e;
    out.push({ code: e.code, offset: e.offset });
  }
  return out;
}

describe('TcpView.options() (NOP and timestamps read inline) equals the plain readOption generator', () => {
  it('on arbitrary and malformed option areas cut anywhere, warnings and errors included', () => {
    fc.assert(
      fc.property(linuxPrefix, optionBytes, fc.nat({ max: 7 }), fc.nat({ max: 40 }), (prefix, rest, shift, cut) => {
        const opts = [...prefix, ...rest].slice(0, cut);
        const hdr = 20 + Math.ceil(opts.length / 4) * 4;
        const buf = new Uint8Array(shift + hdr + 3).fill(0xee);
        buf.fill(0, shift, shift + hdr);
        buf.set(opts, shift + 20);
        buf[shift + 12] = (hdr / 4) << 4;
        const w1: TcpWireWarning[] = [];
        const w2: TcpWireWarning[] = [];
        expect(viewOptions(new TcpView(buf, shift, hdr + 3), w1)).toEqual(plainOptions(buf, shift, hdr, w2));
        expect(w1).toEqual(w2);
      }),
      { numRuns: 3000 },
    );
  });
});
