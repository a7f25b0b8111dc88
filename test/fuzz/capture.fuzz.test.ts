/**
 * Fuzzing the capture readers: readCapture and forEachSegment on mutants of real and synthetic
 * pcap and pcapng files (record and block lengths, captured lengths, interface ids, option
 * lengths set to 0, 1, 255, 0xFFFF, 0xFFFFFFFF; bit flips, cuts, insertions) and on arbitrary
 * bytes behind a valid magic. Besides the invariants of ./invariants.ts:
 *
 * - damage ends reading with a TcpWireError whose offset lies in the file, at or after the last
 *   record given out (every intact record comes out first);
 * - the same bytes fed to the parser in chunks of random sizes give the same items and the same error;
 * - forEachSegment sees the same segments as readCapture.
 */

import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CaptureParser } from '../../src/capture/parser.js';
import { ItemBuilder } from '../../src/capture/reader.js';
import { type CaptureItem, TcpWireError, forEachSegment, readCapture } from '../../src/index.js';
import { FuzzStats, InvariantError, checkNumbers, expectTcpWireError } from './invariants.js';
import { type LengthField, batchProperty, hexOf, mutateWith } from './mutate.js';
import { CALL_BUDGET_MS, reportStats } from './report.js';
import { runs } from './scale.js';

const stats = { readCapture: new FuzzStats(), chunked: new FuzzStats(), forEachSegment: new FuzzStats() };
let generated = 0;

function fail(message: string): never {
  throw new InvariantError(message);
}

const load = (path: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url)));

export const PCAP_SEEDS = ['captures/rst-closed.pcap', 'captures/tfo.pcap', 'synthetic/be-ns.pcap', 'synthetic/snaplen.pcap', 'synthetic/ip.pcap'];
export const PCAPNG_SEEDS = ['synthetic/odd-blocks.pcapng', 'synthetic/features.pcapng', 'synthetic/links.pcapng', 'captures/http-v4.pcapng'];

/** The length fields of a pcap or pcapng file, walked leniently (by the format's rules, not by tcpwire). */
export function captureFields(b: Uint8Array): LengthField[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const fields: LengthField[] = [];
  if (b.length < 24) return fields;
  if (dv.getUint32(0) === 0x0a0d0d0a) {
    let le = true;
    for (let p = 0; p + 12 <= b.length; ) {
      if (dv.getUint32(p) === 0x0a0d0d0a) le = dv.getUint32(p + 8, true) === 0x1a2b3c4d;
      const type = dv.getUint32(p, le);
      const len = dv.getUint32(p + 4, le);
      if (len < 12 || p + len > b.length) break;
      fields.push({ at: p + 4, width: 4, littleEndian: le }, { at: p + len - 4, width: 4, littleEndian: le });
      if (type === 6 || type === 2) {
        fields.push({ at: p + 8, width: 4, littleEndian: le }, { at: p + 20, width: 4, littleEndian: le }, { at: p + 24, width: 4, littleEndian: le });
      } else if (type === 1) {
        fields.push({ at: p + 8, width: 2, littleEndian: le }, { at: p + 12, width: 4, littleEndian: le });
        for (let o = p + 16; o + 4 <= p + len - 4; ) {
          fields.push({ at: o + 2, width: 2, littleEndian: le }, { at: o + 4, width: 1 });
          const ol = dv.getUint16(o + 2, le);
          if (dv.getUint16(o, le) === 0) break;
          o += 4 + ((ol + 3) & ~3);
        }
      } else if (type === 3) {
        fields.push({ at: p + 8, width: 4, littleEndian: le });
      }
      p += len;
    }
    return fields;
  }
  const le = dv.getUint32(0, true) === 0xa1b2c3d4 || dv.getUint32(0, true) === 0xa1b23c4d;
  fields.push({ at: 16, width: 4, littleEndian: le }, { at: 20, width: 4, littleEndian: le });
  for (let p = 24; p + 16 <= b.length; ) {
    fields.push({ at: p + 4, width: 4, littleEndian: le }, { at: p + 8, width: 4, littleEndian: le }, { at: p + 12, width: 4, littleEndian: le });
    p += 16 + dv.getUint32(p + 8, le);
  }
  return fields;
}

/** A compact picture of an item, to compare two readings. */
function sig(i: CaptureItem): string {
  const base = `${i.frame} ${i.offsets.record} ${i.capturedLength}`;
  if (i.kind === 'segment') return `${base} seg ${i.offsets.tcp} ${i.tcp.seq} ${i.tcp.options.length} ${i.checksum}`;
  if (i.kind === 'skipped') return `${base} skip ${i.reason}`;
  return `${base} err ${i.error.code} ${i.error.offset}`;
}

function readWhole(b: Uint8Array): { items: CaptureItem[]; error: TcpWireError | undefined } {
  const items: CaptureItem[] = [];
  let error: TcpWireError | undefined;
  stats.readCapture.run(
    'readCapture',
    () => {
      try {
        for (const item of readCapture(b)) items.push(item);
      } catch (e) {
        error = expectTcpWireError(e, 'readCapture');
        throw e;
      }
      return items;
    },
    () => {},
  );
  return { items, error };
}

function readChunked(b: Uint8Array, rnd: (n: number) => number): { items: CaptureItem[]; error: TcpWireError | undefined } {
  const items: CaptureItem[] = [];
  let error: TcpWireError | undefined;
  stats.chunked.run(
    'CaptureParser (chunked)',
    () => {
      const parser = new CaptureParser();
      const builder = new ItemBuilder();
      try {
        for (let p = 0; p < b.length; ) {
          const n = 1 + rnd(rnd(2) === 0 ? 16 : 4096);
          parser.push(b.slice(p, p + n)); // copies, as a stream gives
          p += n;
          while (parser.next()) {
            const item = builder.build(parser);
            if (item !== undefined) items.push(item);
          }
        }
        parser.finish();
      } catch (e) {
        error = expectTcpWireError(e, 'CaptureParser');
        throw e;
      }
      return items;
    },
    () => {},
  );
  return { items, error };
}

function fuzzCapture(b: Uint8Array, rnd: (n: number) => number): void {
  const whole = readWhole(b);
  for (const item of whole.items) {
    checkNumbers({ ...item, packet: undefined, kind: undefined });
    if (item.offsets.record >= b.length || item.offsets.packet + item.capturedLength > b.length) fail(`item ${item.frame} reaches past the file`);
  }
  if (whole.error !== undefined) {
    const last = whole.items[whole.items.length - 1];
    if (whole.error.offset < 0 || whole.error.offset > b.length) fail(`damage reported at ${whole.error.offset}, outside the ${b.length}-byte file`);
    if (last !== undefined && whole.error.offset < last.offsets.record) fail(`damage at ${whole.error.offset} before record ${last.frame} at ${last.offsets.record}, which was given out`);
  }
  // Chunked parsing: the same.
  if (rnd(4) === 0) {
    const ch = readChunked(b, rnd);
    const a = whole.items.map(sig).join('\n');
    const c = ch.items.map(sig).join('\n');
    if (a !== c) fail(`chunked reading gave other items:\n${c}\nnot\n${a}`);
    if (String(whole.error) !== String(ch.error) || whole.error?.offset !== ch.error?.offset) {
      fail(`chunked reading ended with ${String(ch.error)}@${ch.error?.offset}, not ${String(whole.error)}@${whole.error?.offset}`);
    }
  }
  // The fast path sees the same segments (and reads their options without another kind of error).
  const frames: number[] = [];
  stats.forEachSegment.run(
    'forEachSegment',
    () =>
      forEachSegment(b, (v, meta) => {
        frames.push(meta.frame);
        try {
          void [v.seq, v.mss, v.windowShift, v.tsval, v.hasTimestamps, meta.checksum()];
          for (const o of v.options()) void o;
        } catch (e) {
          expectTcpWireError(e, 'forEachSegment getters');
        }
      }),
    (s) => checkNumbers(s),
  );
  const segs = whole.items.filter((i) => i.kind === 'segment').map((i) => i.frame);
  // readCapture reports a segment whose options are malformed as an error; the view reads it lazily.
  const missing = segs.filter((f) => !frames.includes(f));
  if (missing.length > 0) fail(`forEachSegment missed frames ${missing.join(',')}`);
}

function fuzzOne(b: Uint8Array, rnd: (n: number) => number): void {
  generated++;
  try {
    fuzzCapture(b, rnd);
  } catch (e) {
    if (e instanceof InvariantError) e.message = `${e.message}\n  input: ${hexOf(b, 4096)}`;
    throw e;
  }
}

const pcaps = PCAP_SEEDS.map(load);
const pcapngs = PCAPNG_SEEDS.map(load);

describe('the capture readers on damaged files: only TcpWireError, intact records first, the same in chunks, bounded time', () => {
  it.each([
    ['pcap', pcaps],
    ['pcapng', pcapngs],
  ])('mutants of %s files: lengths hostile, bits flipped, cut, bytes inserted and deleted', (_, seeds) => {
    const fields = seeds.map(captureFields);
    fc.assert(
      batchProperty(fc.nat({ max: seeds.length - 1 }), 100, (i, rnd) => {
        const base = seeds[i] as Uint8Array;
        fuzzOne(mutateWith(base, fields[i] as LengthField[], rnd, 3), rnd);
      }),
      { numRuns: runs(600) },
    );
  });

  it('arbitrary bytes behind a pcap or pcapng magic', () => {
    const heads = [pcaps[0]?.subarray(0, 24), pcapngs[0]?.subarray(0, 28), Uint8Array.of(0x0a, 0x0d, 0x0d, 0x0a)] as Uint8Array[];
    fc.assert(
      batchProperty(fc.tuple(fc.nat({ max: heads.length - 1 }), fc.uint8Array({ maxLength: 200 })), 20, ([h, tail], rnd) => {
        const head = heads[h] as Uint8Array;
        const b = new Uint8Array(head.length + tail.length);
        b.set(head, 0);
        b.set(tail, head.length);
        fuzzOne(mutateWith(b, captureFields(b), rnd, 2), rnd);
      }),
      { numRuns: runs(2_000) },
    );
  });

  it('the seeds themselves read without damage', () => {
    for (const b of [...pcaps, ...pcapngs]) {
      const { error, items } = readWhole(b);
      expect(error).toBeUndefined();
      expect(items.length).toBeGreaterThan(0);
    }
  });
});

afterAll(() => {
  reportStats('capture', generated, stats);
  for (const s of Object.values(stats)) expect(s.slowestMs).toBeLessThan(CALL_BUDGET_MS);
});
