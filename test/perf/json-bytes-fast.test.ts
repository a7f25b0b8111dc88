/**
 * The CLI's byte writer for `decode --pcap --json` (src/cli/json-bytes.ts: pieces stored 8
 * bytes at a time, digits from tables, remembered runs of keys and values) pinned to the plain
 * line, `JSON.stringify(captureItemToJson(item))` of the item readCapture gives: on every
 * fixture capture, and on generated IPv4 segments with any field values (seq/ack, timestamps
 * and SACK edges at and above 2^31, odd and malformed options, IP options, bad checksums,
 * truncation, big timestamps), with and without the relative numbers. Where the writer
 * declines a segment (it returns false and the CLI uses the string builder), nothing is
 * compared here; the CLI test compares the CLI's whole output.
 */

import { readFileSync, readdirSync } from 'node:fs';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaptureParser, type CaptureItem, PcapWriter, captureItemToJson, readCapture } from '../../src/index.js';
import { SegmentScanner } from '../../src/capture/scan.js';
import { type RelativeFields, writeSegmentJson } from '../../src/cli/json-bytes.js';
import { LineSink } from '../../src/cli/line-sink.js';

const CAPTURES = new URL('../../fixtures/captures/', import.meta.url);
const SYNTHETIC = new URL('../../fixtures/synthetic/', import.meta.url);

/** The writer's lines by frame (only where it took the segment), written through a small sink so buffers roll over. */
function fastLines(bytes: Uint8Array, rel?: (frame: number) => RelativeFields): Map<number, string> {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  const sink = new LineSink(out);
  const frames: number[] = [];
  const parser = new CaptureParser();
  const scanner = new SegmentScanner((view, meta) => {
    if (writeSegmentJson(sink, view, meta, rel?.(meta.frame))) frames.push(meta.frame);
  });
  parser.push(bytes);
  scanner.scan(parser);
  void sink.flush();
  const text = Buffer.concat(chunks).toString('latin1');
  const lines = text.split('\n');
  expect(lines.pop()).toBe('');
  expect(lines.length).toBe(frames.length);
  return new Map(frames.map((f, i) => [f, lines[i] as string]));
}

function plainLines(bytes: Uint8Array, rel?: (frame: number) => RelativeFields): Map<number, string> {
  const m = new Map<number, string>();
  for (const item of readCapture(bytes) as Iterable<CaptureItem>) {
    if (item.kind !== 'segment') continue;
    const r = rel?.(item.frame);
    m.set(item.frame, JSON.stringify(captureItemToJson(item, r && { relativeSeq: r.seq, relativeAck: r.ack, stream: r.stream })));
  }
  return m;
}

/** Compares every line the writer took; returns how many it took. */
function same(bytes: Uint8Array, rel?: (frame: number) => RelativeFields): number {
  const fast = fastLines(bytes, rel);
  const plain = plainLines(bytes, rel);
  for (const [frame, line] of fast) expect(line, `frame ${frame}`).toBe(plain.get(frame));
  return fast.size;
}

const REL = (frame: number): RelativeFields => ({ seq: frame * 2654435761 % 2 ** 32, ack: 2 ** 31 + frame, stream: frame % 7 });

describe('decode --pcap --json byte writer', () => {
  it('writes exactly the plain line on every fixture capture, with and without relative numbers', () => {
    let taken = 0;
    for (const dir of [CAPTURES, SYNTHETIC]) {
      for (const name of readdirSync(dir).filter((n) => /\.pcap(ng)?$/.test(n))) {
        const bytes = new Uint8Array(readFileSync(new URL(name, dir)));
        taken += same(bytes);
        same(bytes, REL);
      }
    }
    expect(taken).toBeGreaterThan(100);
  });

  const u32 = fc.integer({ min: 0, max: 0xffffffff });
  const big = fc.oneof(u32, fc.constantFrom(0, 1, 9, 10, 99, 100, 9999, 10000, 99999999, 100000000, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 999999999, 1000000000));
  const be32 = (n: number): number[] => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
  /** One option as bytes: the usual ones (values at the edges) and odd ones. */
  const option = fc.oneof(
    fc.constant([1]),
    fc.constant([0]),
    fc.integer({ min: 0, max: 65535 }).map((v) => [2, 4, v >>> 8, v & 255]),
    fc.integer({ min: 0, max: 20 }).map((s) => [3, 3, s]),
    fc.constant([4, 2]),
    fc.tuple(big, big).map(([a, b]) => [8, 10, ...be32(a), ...be32(b)]),
    fc.array(fc.tuple(big, big), { minLength: 1, maxLength: 4 }).map((bl) => [5, 2 + 8 * bl.length, ...bl.flatMap(([l, r]) => [...be32(l), ...be32(r)])]),
    fc.tuple(fc.integer({ min: 6, max: 254 }), fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 12 })).map(([k, x]) => [k, x.length + 2, ...x]),
    fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 6 }),
  );
  const segment = fc.record({
    sport: fc.integer({ min: 0, max: 65535 }),
    dport: fc.integer({ min: 0, max: 65535 }),
    seq: big,
    ack: big,
    b12low: fc.integer({ min: 0, max: 15 }),
    flags: fc.integer({ min: 0, max: 255 }),
    window: fc.integer({ min: 0, max: 65535 }),
    cksum: fc.integer({ min: 0, max: 65535 }),
    urg: fc.integer({ min: 0, max: 65535 }),
    options: fc.array(option, { maxLength: 6 }),
    payload: fc.uint8Array({ maxLength: 40 }),
    tos: fc.integer({ min: 0, max: 255 }),
    id: fc.integer({ min: 0, max: 65535 }),
    ff: fc.oneof(fc.constantFrom(0, 0x4000, 0x2000, 0x6000, 0x8000), fc.integer({ min: 0, max: 65535 })),
    ttl: fc.integer({ min: 0, max: 255 }),
    ipOptions: fc.integer({ min: 0, max: 10 }),
    ipCksum: fc.integer({ min: 0, max: 65535 }),
    cut: fc.integer({ min: 0, max: 30 }),
    ns: fc.oneof(fc.bigInt({ min: 0n, max: 4294967295999999999n }), fc.constantFrom(0n, 999n, 1_000_000_000n, 1_700_000_000_123_456_789n)),
  });

  type Seg = typeof segment extends fc.Arbitrary<infer T> ? T : never;

  function packet(s: Seg): Uint8Array {
    let opts = s.options.flat();
    opts = opts.slice(0, 40);
    while (opts.length % 4 !== 0) opts.push(0);
    const tcp = [
      ...[s.sport >>> 8, s.sport & 255, s.dport >>> 8, s.dport & 255],
      ...be32(s.seq),
      ...be32(s.ack),
      (((20 + opts.length) / 4) << 4) | s.b12low,
      s.flags,
      s.window >>> 8,
      s.window & 255,
      s.cksum >>> 8,
      s.cksum & 255,
      s.urg >>> 8,
      s.urg & 255,
      ...opts,
      ...s.payload,
    ];
    const hl = 20 + 4 * s.ipOptions;
    const total = hl + tcp.length;
    const ip = [0x40 | (hl / 4), s.tos, total >>> 8, total & 255, s.id >>> 8, s.id & 255, s.ff >>> 8, s.ff & 255, s.ttl, 6, s.ipCksum >>> 8, s.ipCksum & 255, 10, 0, 0, 1, 192, 0, 2, 200];
    for (let i = 0; i < 4 * s.ipOptions; i++) ip.push(i % 3 === 0 ? 1 : (i * 37) & 255);
    const whole = new Uint8Array([...ip, ...tcp]);
    return whole.subarray(0, Math.max(hl + 20 + opts.length, whole.length - s.cut));
  }

  it('writes exactly the plain line on generated segments (any values, odd options, truncation)', () => {
    let taken = 0;
    let seen = 0;
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 20 }), fc.boolean(), fc.boolean(), (segs, nano, relative) => {
        const w = new PcapWriter({ linkType: 1, nanosecond: nano });
        const parts = [w.header(), ...segs.map((s) => w.record({ data: packet(s), timestampNs: s.ns }))];
        const bytes = new Uint8Array(Buffer.concat(parts));
        taken += same(bytes, relative ? REL : undefined);
        seen += segs.length;
      }),
      { numRuns: 300 },
    );
    // the writer took a good share of them (the rest have options it leaves to the string builder)
    expect(taken).toBeGreaterThan(seen / 10);
  });
});
