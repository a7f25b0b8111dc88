/**
 * The zero-copy TcpView agrees with decodeSegment field for field, on segments
 * built independently (./arbitraries.ts), at any offset in a larger buffer.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type TcpSegment, type TcpWireWarning, TcpView, TcpWireError, decodeSegment, segmentLength } from '../../src/index.js';
import { buildSegmentBytes, fuzzBytesArb, segmentArb, wellFormedBytesArb } from './arbitraries.js';

/** Every getter of the view against the decoded segment. */
function expectAgree(v: TcpView, s: TcpSegment, bytes: Uint8Array): void {
  expect(v.srcPort).toBe(s.srcPort);
  expect(v.dstPort).toBe(s.dstPort);
  expect(v.seq).toBe(s.seq);
  expect(v.ack).toBe(s.ack);
  expect(v.dataOffset).toBe(s.dataOffset);
  expect(v.headerLength).toBe(s.dataOffset * 4);
  expect(v.reserved).toBe(s.reserved);
  expect(v.flags).toEqual(s.flags);
  expect([v.ae, v.cwr, v.ece, v.urg, v.isAck, v.psh, v.rst, v.syn, v.fin]).toEqual([
    s.flags.ae,
    s.flags.cwr,
    s.flags.ece,
    s.flags.urg,
    s.flags.ack,
    s.flags.psh,
    s.flags.rst,
    s.flags.syn,
    s.flags.fin,
  ]);
  expect(v.window).toBe(s.window);
  expect(v.checksum).toBe(s.checksum);
  expect(v.urgentPointer).toBe(s.urgentPointer);
  expect(v.payload).toEqual(s.payload);
  expect(v.payloadLength).toBe(s.payload.length);
  expect(v.length).toBe(bytes.length);
  expect(v.segment).toEqual(bytes);
  expect(v.segmentLength).toBe(segmentLength(s));
  const warnings: TcpWireWarning[] = [];
  expect([...v.options(warnings)]).toEqual(s.options);
  // The view reports offsets in its whole buffer (as its errors do): shift them back.
  expect(warnings.map((w) => [w.code, w.offset - v.offset])).toEqual(s.warnings.map((w) => [w.code, w.offset]));
  // The option getters against the decoded options (first of each kind, well-formed; stop at EOL).
  const mss = s.options.find((o) => o.type === 'mss');
  expect(v.mss).toBe(mss?.type === 'mss' && firstOfKind(s, 2) === mss ? mss.value : -1);
  const ws = s.options.find((o) => o.type === 'windowScale');
  expect(v.windowShift).toBe(ws?.type === 'windowScale' && firstOfKind(s, 3) === ws ? ws.shift : -1);
  const ts = s.options.find((o) => o.type === 'timestamps');
  const tsFirst = ts?.type === 'timestamps' && firstOfKind(s, 8) === ts;
  expect(v.hasTimestamps).toBe(tsFirst);
  expect(v.tsval).toBe(tsFirst && ts?.type === 'timestamps' ? ts.tsval : -1);
  expect(v.tsecr).toBe(tsFirst && ts?.type === 'timestamps' ? ts.tsecr : -1);
}

/** The first option of a kind (typed, or kept as unknown because of its length). */
function firstOfKind(s: TcpSegment, kind: number) {
  const kinds: Record<string, number> = { mss: 2, windowScale: 3, timestamps: 8 };
  return s.options.find((o) => (o.type === 'unknown' ? o.kind === kind : kinds[o.type] === kind));
}

function inBuffer(bytes: Uint8Array, before: number, after: number): Uint8Array {
  const big = new Uint8Array(before + bytes.length + after).fill(0xee);
  big.set(bytes, before);
  return big;
}

describe('TcpView agrees with decodeSegment', () => {
  it('on canonical segments (seq/ack >= 2^31 come out unsigned)', () => {
    fc.assert(
      fc.property(segmentArb(), ({ bytes }) => {
        expectAgree(new TcpView(bytes), decodeSegment(bytes), bytes);
      }),
    );
  });

  it('on well-formed bytes with odd option orders, wrong-length known options and junk after EOL', () => {
    fc.assert(
      fc.property(wellFormedBytesArb(), (bytes) => {
        expectAgree(new TcpView(bytes), decodeSegment(bytes), bytes);
      }),
    );
  });

  it('inside a larger buffer, at any offset, with an explicit length', () => {
    fc.assert(
      fc.property(wellFormedBytesArb(), fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 7 }), (bytes, before, after) => {
        const big = inBuffer(bytes, before, after);
        const v = new TcpView(big, before, bytes.length);
        expect(v.offset).toBe(before);
        expect(v.bytes).toBe(big);
        expectAgree(v, decodeSegment(bytes), bytes);
        // and on an unaligned subarray of it
        const sub = big.subarray(before, before + bytes.length);
        expectAgree(new TcpView(sub), decodeSegment(sub), bytes);
      }),
    );
  });

  it('reset points one view at segment after segment', () => {
    fc.assert(
      fc.property(fc.array(wellFormedBytesArb(), { minLength: 1, maxLength: 5 }), (list) => {
        const v = new TcpView(list[0] as Uint8Array);
        for (const b of list) {
          expect(v.reset(b)).toBe(v);
          expectAgree(v, decodeSegment(b), b);
        }
        // several segments in one buffer, one view
        const joined = new Uint8Array(list.reduce((n, b) => n + b.length, 0));
        let at = 0;
        for (const b of list) {
          joined.set(b, at);
          v.reset(joined, at, b.length);
          expectAgree(v, decodeSegment(b), b);
          at += b.length;
        }
      }),
    );
  });

  it('on arbitrary bytes: the view fails exactly where decodeSegment fails, with the same code and offset', () => {
    fc.assert(
      fc.property(fuzzBytesArb(), (bytes) => {
        let want: TcpSegment | TcpWireError;
        try {
          want = decodeSegment(bytes);
        } catch (e) {
          want = e as TcpWireError;
        }
        let got: unknown;
        try {
          const v = new TcpView(bytes);
          got = [...v.options()];
        } catch (e) {
          got = e;
        }
        if (want instanceof TcpWireError) {
          expect(got).toBeInstanceOf(TcpWireError);
          expect([(got as TcpWireError).code, (got as TcpWireError).offset]).toEqual([want.code, want.offset]);
        } else {
          expect(got).toEqual(want.options);
        }
      }),
      { numRuns: 5000 },
    );
  });
});

describe('TcpView details', () => {
  const bytes = buildSegmentBytes({
    srcPort: 0xffff,
    dstPort: 0x8000,
    seq: 0xffff_ffff,
    ack: 0x8000_0000,
    dataOffset: 11,
    reserved: 5,
    flags: 0x1ff,
    window: 0xfffe,
    checksum: 0xabcd,
    urgentPointer: 0x8001,
    // bytes 20..43: NOP, NOP, TS (22), MSS (32), WS 15 (36), EOL (39), junk (40..43)
    optionBytes: [1, 1, 8, 10, 0xff, 0xff, 0xff, 0xff, 0x80, 0, 0, 0, 2, 4, 0xff, 0xff, 3, 3, 15, 0, 0xaa, 0xbb, 0xcc, 0xdd],
    payload: [0xde, 0xad],
  });

  it('reads every field as an unsigned number', () => {
    const v = new TcpView(bytes);
    expect([v.srcPort, v.dstPort, v.seq, v.ack, v.dataOffset, v.reserved, v.flagBits, v.window, v.checksum, v.urgentPointer]).toEqual([
      0xffff, 0x8000, 0xffff_ffff, 0x8000_0000, 11, 5, 0x1ff, 0xfffe, 0xabcd, 0x8001,
    ]);
    expect([v.mss, v.windowShift, v.tsval, v.tsecr, v.hasTimestamps]).toEqual([0xffff, 15, 0xffff_ffff, 0x8000_0000, true]);
    expect(v.segmentLength).toBe(2 + 1 + 1);
  });

  it('findOption gives the absolute offset, stops at EOL, and does not look past it', () => {
    const big = inBuffer(bytes, 3, 0);
    const v = new TcpView(big, 3);
    expect(v.findOption(8)).toBe(3 + 22);
    expect(v.findOption(2)).toBe(3 + 32);
    expect(v.findOption(0)).toBe(3 + 39);
    expect(v.findOption(0xaa)).toBe(-1); // a kind that only appears after EOL
    expect(v.findOption(5)).toBe(-1);
  });

  it('payload and segment are views, not copies', () => {
    const v = new TcpView(bytes);
    expect(v.payload.buffer).toBe(bytes.buffer);
    expect(v.payload.byteOffset).toBe(bytes.byteOffset + 44);
    bytes[44] = 0x11;
    expect(v.payload[0]).toBe(0x11);
    bytes[44] = 0xde;
  });

  it('getters of absent options are -1', () => {
    const bare = buildSegmentBytes({
      srcPort: 1,
      dstPort: 2,
      seq: 3,
      ack: 4,
      dataOffset: 5,
      reserved: 0,
      flags: 0,
      window: 5,
      checksum: 0,
      urgentPointer: 0,
      optionBytes: [],
      payload: [],
    });
    const v = new TcpView(bare);
    expect([v.mss, v.windowShift, v.tsval, v.tsecr, v.hasTimestamps]).toEqual([-1, -1, -1, -1, false]);
    expect([...v.options()]).toEqual([]);
  });
});
