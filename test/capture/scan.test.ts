/**
 * The segment scanner's fast loops against the item reader, on every capture in the fixtures:
 * the same segments with the same facts, whether in memory or streamed from a file into a
 * reused buffer in chunks of awkward sizes; a callback that returns false stops the reading.
 */

import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type CaptureSegment, type SegmentMeta, type TcpView, forEachSegment, readCapture } from '../../src/index.js';
import { forEachSegmentIn } from '../../src/node.js';
import { CAPTURES_DIR, captureNames, segmentsOf } from './fixtures.js';

const SYNTHETIC = new URL('../../fixtures/synthetic/', import.meta.url);
const files: string[] = [
  ...captureNames.map((n) => fileURLToPath(new URL(n, CAPTURES_DIR))),
  ...readdirSync(SYNTHETIC)
    .filter((f) => /\.pcap(ng)?$/.test(f))
    .map((f) => fileURLToPath(new URL(f, SYNTHETIC))),
];

/** What a segment looks like through the view and meta (file offsets). */
function fromView(v: TcpView, m: SegmentMeta): string {
  return [
    m.frame, m.seconds, m.nanos, m.linkType, m.interfaceId, m.capturedLength, m.originalLength,
    m.base + m.recordOffset, m.base + m.packetOffset, m.ipVersion, m.base + m.ipOffset, m.base + m.tcpOffset, m.tcpLength,
    m.truncated, m.fragment, m.checksum(), m.base + m.srcOffset, m.base + m.dstOffset,
    v.srcPort, v.dstPort, v.seq, v.ack, v.headerLength, v.flagBits, v.window, v.checksum, v.urgentPointer, v.length,
  ].join(' ');
}

/** The same facts from an item. */
function fromItem(s: CaptureSegment): string {
  const t = s.tcp;
  const f = t.flags;
  const bits = (f.ae ? 256 : 0) | (f.cwr ? 128 : 0) | (f.ece ? 64 : 0) | (f.urg ? 32 : 0) | (f.ack ? 16 : 0) | (f.psh ? 8 : 0) | (f.rst ? 4 : 0) | (f.syn ? 2 : 0) | (f.fin ? 1 : 0);
  const src = s.offsets.ip + (s.ip.version === 4 ? 12 : 8);
  const ipHeader = new Uint8Array(s.packet.buffer, s.packet.byteOffset + (s.offsets.ip - s.offsets.packet));
  // the pseudo-header destination: the final one of a routing header, where the item's IP header says it is
  const dst =
    s.ip.version === 4
      ? s.offsets.ip + 16
      : s.offsets.ip + (s.ip.finalDstBytes.byteOffset - ipHeader.byteOffset);
  const cap = Math.min(s.tcpLength, s.offsets.packet + s.capturedLength - s.offsets.tcp);
  return [
    s.frame, s.seconds, s.nanos, s.linkType, s.interfaceId, s.capturedLength, s.originalLength,
    s.offsets.record, s.offsets.packet, s.ip.version, s.offsets.ip, s.offsets.tcp, s.tcpLength,
    s.truncated, s.fragment, s.checksum, src, dst,
    t.srcPort, t.dstPort, t.seq, t.ack, t.dataOffset * 4, bits, t.window, t.checksum, t.urgentPointer, cap,
  ].join(' ');
}

describe('forEachSegment and forEachSegmentIn see what readCapture sees', () => {
  it.each(files.map((f) => [f.split('/').slice(-2).join('/'), f]))('%s', async (_, path) => {
    const { readFileSync } = await import('node:fs');
    const bytes = new Uint8Array(readFileSync(path));
    const items = [...readCapture(bytes)];
    // segments whose options are malformed reach the callback (options are read lazily): leave them out
    const optionErrors = new Set(items.filter((i) => i.kind === 'error' && /OPTION/.test(i.error.code)).map((i) => i.frame));
    const want = segmentsOf(items).map(fromItem);
    const got: string[] = [];
    forEachSegment(bytes, (v, m) => {
      if (!optionErrors.has(m.frame)) got.push(fromView(v, m));
    });
    expect(got).toEqual(want);
    for (const chunkSize of [7, 100, 4096]) {
      const streamed: string[] = [];
      const stats = await forEachSegmentIn(
        path,
        (v, m) => {
          if (!optionErrors.has(m.frame)) streamed.push(fromView(v, m));
        },
        { chunkSize },
      );
      expect(streamed, `chunks of ${chunkSize}`).toEqual(want);
      expect(stats.records).toBe(items.length);
    }
  });

  it('returning false stops at that segment, in memory and streaming', async () => {
    const path = fileURLToPath(new URL('sack-loss.pcap', CAPTURES_DIR));
    const { readFileSync } = await import('node:fs');
    const bytes = new Uint8Array(readFileSync(path));
    let n = 0;
    const stats = forEachSegment(bytes, () => ++n < 10);
    expect(n).toBe(10);
    expect(stats.segments).toBe(10);
    n = 0;
    const s2 = await forEachSegmentIn(path, () => ++n < 10, { chunkSize: 1000 });
    expect(n).toBe(10);
    expect(s2.segments).toBe(10);
  });

  it('a damaged file: the callback sees every intact segment, then the error', async () => {
    const { readFileSync } = await import('node:fs');
    const whole = new Uint8Array(readFileSync(fileURLToPath(new URL('http-v4.pcap', CAPTURES_DIR))));
    const cut = whole.subarray(0, whole.length - 5);
    const want = segmentsOf((function* () {
      try {
        yield* readCapture(cut);
      } catch {
        /* the error is checked below */
      }
    })()).map((s) => s.frame);
    const seen: number[] = [];
    expect(() => forEachSegment(cut, (_, m) => void seen.push(m.frame))).toThrow(/TRUNCATED|ends inside/);
    expect(seen).toEqual(want);
  });
});
