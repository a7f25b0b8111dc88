/**
 * Fuzzing the TCP decoders: decodeSegment, TcpView (every getter and the options iterator)
 * and decodeOptions, on arbitrary bytes, on mutants of valid segments (bit flips, cuts,
 * length bytes set to 0, 1, 255 ...), on every data offset 0..15 against every buffer size
 * 0..60, and on option lists with length bytes 0 and 1.
 *
 * Besides "only TcpWireError, numbers in range, bounded time" (./invariants.ts), the two decoders
 * are each other's oracle: when decodeSegment returns, the view gives the same fields and options;
 * when it throws, the view throws the same error (at construction for a bad header, while iterating
 * the options for a bad option list).
 */

import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { type TcpOption, type TcpSegment, TcpView, type TcpWireWarning, decodeOptions, decodeSegment } from '../../src/index.js';
import { fuzzBytesArb, wellFormedBytesArb } from '../core/arbitraries.js';
import { FuzzStats, InvariantError, checkNumbers, expectTcpWireError } from './invariants.js';
import { batchProperty, hexOf, mutateWith, tcpFields } from './mutate.js';
import { CALL_BUDGET_MS, reportStats } from './report.js';
import { runs } from './scale.js';

const stats = { decodeSegment: new FuzzStats(), tcpView: new FuzzStats(), decodeOptions: new FuzzStats() };

function fail(message: string): never {
  throw new InvariantError(message);
}

/** The segment's own laws: the option area is exactly [20, dataOffset*4), the payload the rest. */
function checkSegment(s: TcpSegment, b: Uint8Array): void {
  checkNumbers(s);
  const hdr = s.dataOffset * 4;
  if (s.payload.length !== b.length - hdr) fail(`payload ${s.payload.length} bytes of a ${b.length}-byte segment with a ${hdr}-byte header`);
  if (s.padding.length > hdr - 20) fail(`padding ${s.padding.length} longer than the option area`);
  const last = s.options[s.options.length - 1];
  if (s.padding.length > 0 && last?.type !== 'eol') fail('padding without an EOL before it');
  s.options.forEach((o, i) => {
    if (o.type === 'eol' && i !== s.options.length - 1) fail('an option after EOL');
  });
  for (const w of s.warnings) if (w.offset < 20 || w.offset >= hdr) fail(`warning at ${w.offset}, outside the option area`);
}

/** Reads everything a TcpView offers. */
function readView(b: Uint8Array, warnings: TcpWireWarning[]): Record<string, unknown> {
  const v = new TcpView(b);
  const fields: Record<string, unknown> = {
    srcPort: v.srcPort,
    dstPort: v.dstPort,
    seq: v.seq,
    ack: v.ack,
    dataOffset: v.dataOffset,
    reserved: v.reserved,
    flags: v.flags,
    window: v.window,
    checksum: v.checksum,
    urgentPointer: v.urgentPointer,
    payloadLength: v.payloadLength,
    segmentLength: v.segmentLength,
    flagBits: v.flagBits,
  };
  const options: TcpOption[] = [];
  for (const o of v.options(warnings)) options.push(o);
  fields.options = options;
  // The option getters, after a complete walk: a malformed list has thrown above.
  fields.mss = v.mss;
  fields.windowShift = v.windowShift;
  fields.tsval = v.tsval;
  fields.tsecr = v.tsecr;
  fields.hasTimestamps = v.hasTimestamps;
  fields.sackAt = v.findOption(5);
  fields.eolAt = v.findOption(0);
  return fields;
}

let generated = 0;

/** Runs all three decoders on `b` and holds them to each other; a failure names the input. */
function fuzzOne(b: Uint8Array): void {
  generated++;
  try {
    fuzzDecoders(b);
  } catch (e) {
    if (e instanceof InvariantError) e.message = `${e.message}\n  input: ${hexOf(b)}`;
    throw e;
  }
}

function fuzzDecoders(b: Uint8Array): void {
  let segError: unknown;
  const seg = stats.decodeSegment.run(
    'decodeSegment',
    () => {
      try {
        return decodeSegment(b);
      } catch (e) {
        segError = e;
        throw e;
      }
    },
    (s) => checkSegment(s, b),
  );
  const warnings: TcpWireWarning[] = [];
  let viewError: unknown;
  const view = stats.tcpView.run(
    'TcpView',
    () => {
      try {
        return readView(b, warnings);
      } catch (e) {
        viewError = e;
        throw e;
      }
    },
    (f) => {
      checkNumbers({ ...f, sackAt: undefined, eolAt: undefined, mss: undefined, windowShift: undefined, tsval: undefined, tsecr: undefined });
      for (const k of ['mss', 'windowShift'] as const) {
        const n = f[k] as number;
        if (!Number.isInteger(n) || n < -1 || n > 0xffff) fail(`view.${k} = ${n}`);
      }
      for (const k of ['tsval', 'tsecr'] as const) {
        const n = f[k] as number;
        if (!Number.isInteger(n) || n < -1 || n > 0xffff_ffff) fail(`view.${k} = ${n}`);
      }
    },
  );
  // The two forms agree.
  if (seg !== undefined) {
    if (view === undefined) fail(`decodeSegment decoded what TcpView refused: ${String(viewError)}`);
    for (const k of ['srcPort', 'dstPort', 'seq', 'ack', 'dataOffset', 'reserved', 'flags', 'window', 'checksum', 'urgentPointer', 'options'] as const) {
      if (!isDeepStrictEqual(view[k], seg[k])) fail(`view.${k} differs from decodeSegment's`);
    }
    if (!isDeepStrictEqual(warnings, seg.warnings)) fail('view warnings differ');
    const mss = seg.options.find((o) => o.type === 'mss' || (o.type === 'unknown' && o.kind === 2));
    if (mss?.type === 'mss' && view.mss !== mss.value) fail('view.mss differs');
    const ts = seg.options.find((o) => o.type === 'timestamps' || (o.type === 'unknown' && o.kind === 8));
    if (ts?.type === 'timestamps' && (view.tsval !== ts.tsval || view.tsecr !== ts.tsecr)) fail('view timestamps differ');
    if (ts === undefined && view.tsval !== -1) fail('view.tsval without a timestamps option');
  } else if (segError instanceof Error && view !== undefined) {
    fail(`TcpView read what decodeSegment refused (${segError.message})`);
  } else if (segError !== undefined && viewError !== undefined) {
    const a = expectTcpWireError(segError, 'decodeSegment');
    const c = expectTcpWireError(viewError, 'TcpView');
    if (a.code !== c.code || a.offset !== c.offset) fail(`decodeSegment threw ${a.code}@${a.offset}, TcpView ${c.code}@${c.offset}`);
  }
  // decodeOptions on the option area the header claims, cut to the buffer.
  if (b.length >= 20) {
    const end = Math.min(b.length, ((b[12] as number) >>> 4) * 4);
    if (end >= 20) {
      const opts = stats.decodeOptions.run('decodeOptions', () => decodeOptions(b, 20, end, []));
      if (opts !== undefined && seg !== undefined && !isDeepStrictEqual(opts.options, seg.options)) fail('decodeOptions differs from decodeSegment');
    }
  }
}

const property = (arb: fc.Arbitrary<Uint8Array>, numRuns: number): void => {
  fc.assert(fc.property(arb, (b) => fuzzOne(b)), { numRuns });
};

describe('the TCP decoders on hostile bytes: only TcpWireError, numbers in range, bounded time, the two forms agree', () => {
  it('arbitrary bytes, shaped like segments and not', () => {
    property(fuzzBytesArb(), runs(80_000));
  });

  it('mutants of well-formed segments: bit flips, byte writes, cuts, insertions, data offset and option lengths set to 0, 1, 255 ...', () => {
    // 100 mutants a batch; 1 to 3 operations each.
    fc.assert(
      batchProperty(wellFormedBytesArb(24), 100, (b, rnd) => fuzzOne(mutateWith(b, tcpFields(b), rnd, 3))),
      { numRuns: runs(3_000) },
    );
  });

  it('every data offset 0..15 against every buffer size 0..60, eight fillings each: the error the header calls for, or a decode', () => {
    let n = 0;
    const fills = [
      () => 0,
      () => 0xff,
      () => 1,
      (i: number) => i & 0xff,
      (i: number) => (i * 37 + 11) & 0xff,
      (i: number) => [2, 4, 5, 180, 3, 3, 7, 8, 10, 1][i % 10] as number,
      (i: number) => [8, 10, 0, 0][i % 4] as number,
      (i: number) => [5, 1][i % 2] as number,
    ];
    for (let size = 0; size <= 60; size++) {
      for (let off = 0; off <= 15; off++) {
        for (const fill of fills) {
          const b = new Uint8Array(size);
          for (let i = 0; i < size; i++) b[i] = fill(i);
          if (size > 12) b[12] = (off << 4) | ((b[12] as number) & 15);
          fuzzOne(b);
          n++;
          let code = '';
          let offset = -2;
          try {
            decodeSegment(b);
          } catch (e) {
            code = (e as { code: string }).code;
            offset = (e as { offset: number }).offset;
          }
          // What the header alone decides (RFC 9293 §3.1: 20 bytes at least, 5 <= data offset, header within the segment).
          if (size < 20) expect([code, offset], `size ${size}`).toEqual(['TRUNCATED', size]);
          else if (off < 5 || off * 4 > size) expect([code, offset], `size ${size} offset ${off}`).toEqual(['BAD_DATA_OFFSET', 12]);
          else expect(['', 'BAD_OPTION_LENGTH', 'OPTION_OVERRUN']).toContain(code);
        }
      }
    }
    expect(n).toBe(61 * 16 * fills.length);
  });

  it('option lists with length bytes 0 and 1 anywhere: BAD_OPTION_LENGTH at that option (or OVERRUN), never a loop', () => {
    const arb = fc
      .tuple(
        fc.integer({ min: 6, max: 15 }),
        fc.array(fc.constantFrom(1, 1, 1, 0), { maxLength: 38 }),
        fc.integer({ min: 2, max: 255 }),
        fc.constantFrom(0, 1),
        fc.uint8Array({ maxLength: 16 }),
      )
      .map(([off, nops, kind, len, payload]) => {
        const b = new Uint8Array(off * 4 + payload.length);
        b[12] = off << 4;
        const area = nops.slice(0, off * 4 - 20 - 1).map((x) => (x === 0 ? 1 : x)); // NOPs only before the bad option
        b.set(area, 20);
        const at = 20 + area.length;
        b[at] = kind;
        if (at + 1 < off * 4) b[at + 1] = len;
        b.set(payload, off * 4);
        return { b, at, off };
      });
    fc.assert(
      fc.property(arb, ({ b, at, off }) => {
        fuzzOne(b);
        let err: { code: string; offset: number } | undefined;
        try {
          decodeSegment(b);
        } catch (e) {
          err = e as { code: string; offset: number };
        }
        const want = at + 1 < off * 4 ? 'BAD_OPTION_LENGTH' : 'OPTION_OVERRUN';
        expect(err && [err.code, err.offset]).toEqual([want, at]);
      }),
      { numRuns: runs(20_000) },
    );
  });
});

afterAll(() => {
  const total = reportStats('segment', generated, stats);
  for (const s of Object.values(stats)) expect(s.slowestMs).toBeLessThan(CALL_BUDGET_MS);
  expect(total).toBeGreaterThan(0);
});
