/**
 * readCapture against tshark, field by field, on every real capture in fixtures/captures/:
 * every TCP segment tshark sees comes out of the capture file (through the link layer,
 * the IP layer and the pcap/pcapng framing) with tshark's values, and no other.
 * Then every segment re-encodes byte for byte and equals dpkt's bytes for that frame.
 */

import { describe, expect, it } from 'vitest';
import { encodeSegment, readCapture } from '../../src/index.js';
import { type TsharkSegment, asTshark, captureBytes, captureNames, dpktOf, expected, hex, segmentsOf, tsharkOf } from './fixtures.js';

describe.skipIf(captureNames.length === 0)('readCapture agrees with tshark on every real capture', () => {
  it('the capture fixtures are there', () => {
    expect(captureNames.length).toBeGreaterThanOrEqual(12);
  });

  for (const name of captureNames) {
    describe(name, () => {
      const bytes = captureBytes(name);
      const items = [...readCapture(bytes)];
      const ours = segmentsOf(items);
      const shark = tsharkOf(name);

      it('yields a TCP segment for exactly the frames tshark dissects as TCP, and nothing malformed', () => {
        expect(ours.map((s) => s.frame)).toEqual(shark.map((t) => t.frame));
        expect(items.filter((i) => i.kind === 'error')).toEqual([]);
        // frame numbers count every record, from 1
        expect(items.map((i) => i.frame)).toEqual(items.map((_, k) => k + 1));
      });

      it('every field of every segment equals tshark’s', () => {
        let fields = 0;
        ours.forEach((s, k) => {
          const want = expected(shark[k] as TsharkSegment);
          expect(asTshark(s), `${name} frame ${s.frame}`).toEqual(want);
          fields += Object.keys(want).length;
        });
        expect(fields).toBe(shark.length * Object.keys(expected(shark[0] as TsharkSegment)).length);
      });

      it('every segment re-encodes byte for byte, equals dpkt’s bytes, and its offsets lead back to its fields', () => {
        const dpkt = dpktOf(name);
        expect(dpkt, 'NAME.segments.json is there').toBeDefined();
        const byFrame = new Map((dpkt ?? []).map((d) => [d.frame, d.tcp]));
        for (const s of ours) {
          const where = `${name} frame ${s.frame}`;
          const captured = bytes.subarray(s.offsets.tcp, s.offsets.tcp + s.tcpLength);
          expect(hex(encodeSegment(s.tcp)), where).toBe(hex(captured));
          expect(hex(captured), where).toBe(byFrame.get(s.frame));
          const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
          expect(dv.getUint32(s.offsets.tcp + 4), where).toBe(s.tcp.seq);
          expect(s.offsets.payload - s.offsets.tcp, where).toBe(s.tcp.dataOffset * 4);
          expect(bytes[s.offsets.ip]! >>> 4, where).toBe(s.ip.version);
          expect(hex(s.packet), where).toBe(hex(bytes.subarray(s.offsets.packet, s.offsets.packet + s.capturedLength)));
        }
      });
    });
  }
});
