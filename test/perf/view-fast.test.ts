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

/**
 * The layouts reset() recognises by whole words (NOP,NOP,TS; NOP,NOP,TS,NOP,NOP,SACK;
 * MSS,SACKOK,TS,NOP,WS), near misses of each (one byte off), or nothing, to start the area
 * with. TSval, TSecr and SACK edges sit at and above 2^31.
 */
const linuxPrefix = fc.constantFrom(
  [],
  [1, 1, 8, 10, 0x80, 0, 0, 9, 0xff, 0xff, 0xff, 0xff],
  [2, 4, 5, 0xb4, 4, 2, 8, 10, 0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0],
  [2, 4, 5, 0xb4, 4, 2, 8, 10, 0xff, 0, 0, 9, 0x80, 0, 0, 0, 1, 3, 3, 7],
  [2, 4, 0xff, 0xff, 4, 2, 8, 10, 0, 0, 0, 9, 0, 0, 0, 1, 1, 3, 3, 15],
  [2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 9, 0, 0, 0, 0, 1, 3, 4, 7], // window scale of the wrong length
  [2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 9, 0, 0, 0, 0, 1, 1, 3, 3], // NOP,NOP where the NOP,WS was
  [2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 9, 0, 0, 0, 0, 1, 3, 3], // cut inside the window scale
  [2, 5, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 9, 0, 0, 0, 0, 1, 3, 3, 7], // MSS of the wrong length
  [2, 4, 5, 0xb4, 4, 3, 8, 10, 0, 0, 0, 9, 0, 0, 0, 0, 1, 3, 3, 7],
  [1, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 7, 1, 1, 5, 10, 0x80, 0, 0, 1, 0xff, 0xff, 0xff, 0xff],
  [1, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 7, 1, 1, 5, 18, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4],
  [1, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 7, 1, 1, 5, 26, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5, 0, 0, 0, 6],
  [1, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 7, 1, 1, 5, 2], // SACK with no blocks
  [1, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 7, 1, 1, 5, 1], // SACK of length 1: malformed
  [1, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 7, 1, 1, 5, 11, 0, 0, 0, 1, 0, 0, 0, 2], // SACK running past the area
  [1, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 7, 1, 0, 5, 10, 0, 0, 0, 1, 0, 0, 0, 2], // NOP,EOL before the SACK
  [1, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 7, 1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2], // a second timestamps option
  [1, 1, 8, 11, 0, 0, 0, 9, 0, 0, 0, 7], // timestamps of the wrong length
  [1, 1, 8, 9, 0, 0, 0, 9, 0, 0, 0, 7],
  [1, 0, 8, 10, 0, 0, 0, 9, 0, 0, 0, 7], // NOP,EOL: the rest is padding
  [2, 4, 5, 0xb4, 4, 2, 8, 9, 0, 0, 0, 9, 0, 0, 0, 0],
);

const KINDS = [0, 1, 2, 3, 4, 5, 8, 9, 30, 254];

type Answer = number | boolean | { code: string; offset: number };

/** What a getter gives, or the code and offset of the TcpWireError it throws. */
function answer(f: () => number | boolean): Answer {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof TcpWireError)) throw e;
    return { code: e.code, offset: e.offset };
  }
}

/**
 * The value getters as the plain walk defines them: the first option of the kind (its error
 * if the walk meets a malformed option first), its value if it has its kind's length, else -1.
 */
function plainValues(b: Uint8Array, start: number, hdr: number): Record<string, Answer> {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const value = (kind: number, len: number, read: (at: number) => number): Answer => {
    const at = plainFind(b, start, hdr, kind);
    if (typeof at !== 'number') return at;
    return at >= 0 && b[at + 1] === len ? read(at) : -1;
  };
  const ts = value(8, 10, () => 1);
  return {
    mss: value(2, 4, (at) => dv.getUint16(at + 2)),
    windowShift: value(3, 3, (at) => b[at + 2] as number),
    tsval: value(8, 10, (at) => dv.getUint32(at + 2)),
    tsecr: value(8, 10, (at) => dv.getUint32(at + 6)),
    hasTimestamps: typeof ts === 'number' ? ts === 1 : ts,
  };
}

function viewValues(v: TcpView): Record<string, Answer> {
  return {
    mss: answer(() => v.mss),
    windowShift: answer(() => v.windowShift),
    tsval: answer(() => v.tsval),
    tsecr: answer(() => v.tsecr),
    hasTimestamps: answer(() => v.hasTimestamps),
  };
}

/** A segment of `opts` (zero-padded to whole words) at `shift` in a buffer, with `payload` bytes of 0xee after it. */
function place(opts: number[], shift: number, payload: number): { buf: Uint8Array; hdr: number } {
  const hdr = 20 + Math.ceil(opts.length / 4) * 4;
  const buf = new Uint8Array(shift + hdr + payload).fill(0xee, shift + hdr);
  buf.fill(0, shift, shift + hdr);
  buf.set(opts, shift + 20);
  buf[shift + 12] = (hdr / 4) << 4;
  return { buf, hdr };
}

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

  it('the value getters (MSS, window shift, timestamps) equal the plain walk, errors included, one view reset from segment to segment', () => {
    const v = new TcpView(new Uint8Array(20).fill(0x50, 12, 13));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(linuxPrefix, optionBytes, fc.nat({ max: 7 }), fc.nat({ max: 40 })), { minLength: 1, maxLength: 4 }),
        (segments) => {
          for (const [prefix, rest, shift, cut] of segments) {
            const { buf, hdr } = place([...prefix, ...rest].slice(0, cut), shift, 5);
            v.reset(buf, shift, hdr + 5);
            expect(viewValues(v)).toEqual(plainValues(buf, shift, hdr));
            expect(viewFind(v, 5)).toEqual(plainFind(buf, shift, hdr, 5));
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("Linux's layouts as they come, whole: each getter against bytes read by hand", () => {
    const u32 = (x: number) => [x >>> 24, (x >>> 16) & 255, (x >>> 8) & 255, x & 255];
    fc.assert(
      fc.property(fc.constantFrom(0, 0x7fffffff, 0x80000000, 0xffffffff, 1), fc.nat({ max: 0xffffffff }), fc.integer({ min: 0, max: 4 }), (tsval, tsecr, blocks) => {
        // NOP,NOP,TS with 0..4 SACK blocks after NOP,NOP (4 blocks do not fit: then the plain NOP,NOP,TS)
        const sack = blocks > 0 && blocks < 4 ? [1, 1, 5, 2 + 8 * blocks, ...Array.from({ length: blocks * 8 }, (_, i) => i)] : [];
        const a = place([1, 1, 8, 10, ...u32(tsval), ...u32(tsecr), ...sack], 3, 0);
        const va = new TcpView(a.buf, 3);
        expect([va.tsval, va.tsecr, va.hasTimestamps, va.mss, va.windowShift]).toEqual([tsval, tsecr, true, -1, -1]);
        expect(va.findOption(5)).toBe(sack.length > 0 ? 3 + 34 : -1);
        expect(va.findOption(8)).toBe(3 + 22);
        // MSS,SACKOK,TS,NOP,WS
        const b = place([2, 4, tsecr >>> 8 & 255, tsecr & 255, 4, 2, 8, 10, ...u32(tsval), ...u32(tsecr), 1, 3, 3, blocks * 4], 1, 0);
        const vb = new TcpView(b.buf, 1);
        expect([vb.mss, vb.windowShift, vb.tsval, vb.tsecr, vb.hasTimestamps]).toEqual([tsecr & 0xffff, blocks * 4, tsval, tsecr, true]);
        expect([vb.findOption(2), vb.findOption(3), vb.findOption(8), vb.findOption(5), vb.findOption(4)]).toEqual([21, 38, 27, -1, 25]);
      }),
      { numRuns: 500 },
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

describe('TcpView.nextOption walks the options in place as options() decodes them', () => {
  /** The offsets nextOption gives from -1 on, and the error it ends with, if any. */
  function offsets(v: TcpView): (number | { code: string; offset: number })[] {
    const out: (number | { code: string; offset: number })[] = [];
    try {
      for (let at = v.nextOption(-1); at >= 0; at = v.nextOption(at)) out.push(at);
    } catch (e) {
      if (!(e instanceof TcpWireError)) throw e;
      out.push({ code: e.code, offset: e.offset });
    }
    return out;
  }

  it('the same options (kind and place) and the same error as the plain readOption walk, on arbitrary areas', () => {
    fc.assert(
      fc.property(linuxPrefix, optionBytes, fc.nat({ max: 7 }), fc.nat({ max: 40 }), (prefix, rest, shift, cut) => {
        const { buf, hdr } = place([...prefix, ...rest].slice(0, cut), shift, 3);
        const plain = plainOptions(buf, shift, hdr, []);
        // where each of the plain walk's options starts, by the lengths on the wire
        const expected: (number | { code: string; offset: number })[] = [];
        let p = shift + 20;
        for (const o of plain) {
          if ('code' in o) {
            expected.push(o);
            break;
          }
          expected.push(p);
          p += o.type === 'nop' ? 1 : o.type === 'eol' ? 0 : (buf[p + 1] as number);
        }
        expect(offsets(new TcpView(buf, shift, hdr + 3))).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('from any byte of the area it moves on by at least one byte, or throws; outside the area it refuses', () => {
    fc.assert(
      fc.property(linuxPrefix, optionBytes, fc.nat({ max: 40 }), fc.integer({ min: -50, max: 100 }), (prefix, rest, cut, at) => {
        const { buf, hdr } = place([...prefix, ...rest].slice(0, cut), 2, 0);
        const v = new TcpView(buf, 2);
        const r = answer(() => v.nextOption(at));
        if (at === -1) return;
        if (at < 22 || at >= 2 + hdr) expect(r).toEqual({ code: 'OUT_OF_RANGE', offset: -1 });
        else if (typeof r === 'number') expect(r === -1 || (r > at && r < 2 + hdr)).toBe(true);
        else expect(['OPTION_OVERRUN', 'BAD_OPTION_LENGTH']).toContain((r as { code: string }).code);
      }),
      { numRuns: 3000 },
    );
    const v = new TcpView(place([2, 4, 5, 0xb4], 0, 0).buf);
    expect(answer(() => v.nextOption(20.5))).toEqual({ code: 'OUT_OF_RANGE', offset: -1 });
    expect(answer(() => v.nextOption(Number.NaN))).toEqual({ code: 'OUT_OF_RANGE', offset: -1 });
    expect([v.nextOption(-1), v.nextOption(20)]).toEqual([20, -1]);
    // a header without options has none
    expect(new TcpView(place([], 0, 0).buf).nextOption(-1)).toBe(-1);
  });
});
