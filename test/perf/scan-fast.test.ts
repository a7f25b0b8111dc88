/**
 * forEachSegment's inlined locator for the commonest record (Ethernet, IPv4 without options,
 * TCP: SegmentScanner.locateEthIpv4) pinned to the item reader on generated records around its
 * edges: IHL 5 and others, TCP and other protocols, DF/MF/offsets, total lengths too small,
 * zero or past the capture, records cut short, every data offset. Each record must give the
 * same facts (or the same skip or error) as readCapture, in memory and streamed.
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { type CaptureSegment, PcapWriter, type SegmentMeta, type TcpView, forEachSegment, readCapture } from '../../src/index.js';
import { forEachSegmentIn } from '../../src/node.js';

const dir = mkdtempSync(join(tmpdir(), 'tcpwire-scan-fast-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fromView(v: TcpView, m: SegmentMeta): string {
  return [
    m.frame, m.capturedLength, m.originalLength, m.base + m.recordOffset, m.base + m.packetOffset, m.ipVersion, m.base + m.ipOffset,
    m.base + m.tcpOffset, m.tcpLength, m.truncated, m.fragment, m.lengthFromCapture, m.checksum(), m.base + m.dstOffset,
    v.srcPort, v.seq, v.headerLength, v.flagBits, v.length,
  ].join(' ');
}

function fromItem(s: CaptureSegment): string {
  const cap = Math.min(s.tcpLength, s.offsets.packet + s.capturedLength - s.offsets.tcp);
  const bits = Object.values(s.tcp.flags).reduce((a, f) => (a << 1) | (f ? 1 : 0), 0);
  return [
    s.frame, s.capturedLength, s.originalLength, s.offsets.record, s.offsets.packet, s.ip.version, s.offsets.ip,
    s.offsets.tcp, s.tcpLength, s.truncated, s.fragment, s.lengthFromCapture, s.checksum, s.offsets.ip + 16,
    s.tcp.srcPort, s.tcp.seq, s.tcp.dataOffset * 4, bits, cap,
  ].join(' ');
}

const record = fc.record({
  ethertype: fc.constantFrom(0x0800, 0x0800, 0x0800, 0x86dd, 0x0806),
  verIhl: fc.constantFrom(0x45, 0x45, 0x45, 0x46, 0x44, 0x4f, 0x55),
  proto: fc.constantFrom(6, 6, 6, 17),
  ff: fc.oneof(fc.constantFrom(0, 0x4000, 0x2000, 0x0001, 0x8000), fc.integer({ min: 0, max: 65535 })),
  totalDelta: fc.oneof(fc.constant(0), fc.integer({ min: -80, max: 40 })),
  zeroTotal: fc.boolean(),
  dataOffset: fc.oneof(fc.constantFrom(5, 8), fc.integer({ min: 0, max: 15 })),
  tcpRest: fc.uint8Array({ minLength: 60, maxLength: 80 }),
  cut: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 90 })),
});

function frame(r: typeof record extends fc.Arbitrary<infer T> ? T : never): Uint8Array {
  const ihl = (r.verIhl & 15) * 4;
  const tcp = Uint8Array.from(r.tcpRest);
  tcp[12] = (r.dataOffset << 4) | (tcp[12] as number & 15);
  const ipLen = Math.max(ihl, 20);
  const total = r.zeroTotal ? 0 : Math.max(0, Math.min(65535, ipLen + tcp.length + r.totalDelta));
  const ip = new Uint8Array(ipLen);
  ip[0] = r.verIhl;
  ip[2] = total >>> 8;
  ip[3] = total & 255;
  ip[6] = r.ff >>> 8;
  ip[7] = r.ff & 255;
  ip[8] = 64;
  ip[9] = r.proto;
  ip.set([10, 0, 0, 1, 10, 0, 0, 2], 12);
  const eth = new Uint8Array(14);
  eth[12] = r.ethertype >>> 8;
  eth[13] = r.ethertype & 255;
  const whole = new Uint8Array([...eth, ...ip, ...tcp]);
  return whole.subarray(0, whole.length - Math.min(r.cut, whole.length - 1));
}

describe('forEachSegment: the inlined Ethernet/IPv4 locator says what readCapture says', () => {
  it('on generated records around its edges, in memory and streamed', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 12 }), async (recs) => {
        const w = new PcapWriter({ linkType: 1, frames: true });
        const bytes = new Uint8Array(Buffer.concat([w.header(), ...recs.map((r) => w.record({ data: frame(r) }))]));
        const items = [...readCapture(bytes)];
        const optionErrors = new Set(items.filter((i) => i.kind === 'error' && /OPTION/.test(i.error.code)).map((i) => i.frame));
        const want = items.filter((i): i is CaptureSegment => i.kind === 'segment').map(fromItem);
        const got: string[] = [];
        const errors: number[] = [];
        const stats = forEachSegment(
          bytes,
          (v, m) => {
            if (!optionErrors.has(m.frame)) got.push(fromView(v, m));
          },
          { onError: (_e, f) => errors.push(f) },
        );
        expect(got).toEqual(want);
        expect(stats.skipped).toBe(items.filter((i) => i.kind === 'skipped').length);
        expect(errors).toEqual(items.filter((i) => i.kind === 'error' && !/OPTION/.test(i.error.code)).map((i) => i.frame));
        const path = join(dir, `c${n++ % 4}.pcap`);
        writeFileSync(path, bytes);
        const streamed: string[] = [];
        await forEachSegmentIn(path, (v, m) => {
          if (!optionErrors.has(m.frame)) streamed.push(fromView(v, m));
        }, { chunkSize: 64 });
        expect(streamed).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });
});
