/**
 * Link layers, IP corner cases, snaplen cuts and pcapng features, on captures built by
 * fixtures/synthetic/make-synthetic.py: the expected values are Scapy's packets and
 * checksums and the script's own integer arithmetic on the tick counts it wrote.
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type CaptureItem, TcpWireError, encodeSegment, forEachSegment, readCapture } from '../../src/index.js';
import { epochText, hex } from './fixtures.js';

interface Expected {
  frame: number;
  kind: 'segment' | 'skipped' | 'error';
  reason?: string;
  code?: string;
  linkType?: number;
  interfaceId?: number;
  time?: string;
  ipVersion?: number;
  src?: string;
  dst?: string;
  srcPort?: number;
  dstPort?: number;
  seq?: number;
  ack?: number;
  tcp?: string;
  tcpLength?: number;
  checksum?: string;
  truncated?: boolean;
  fragment?: boolean;
  lengthFromCapture?: boolean;
}

const DIR = new URL('../../fixtures/synthetic/', import.meta.url);
const expectedFiles = JSON.parse(readFileSync(new URL('expected.json', DIR), 'utf8')) as Record<string, Expected[]>;
const bytesOf = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, DIR)));

/** What the item says, in the script's terms (only the keys the expectation has). */
function observed(item: CaptureItem, bytes: Uint8Array, want: Expected): Expected {
  const o: Expected = { frame: item.frame, kind: item.kind };
  if (want.linkType !== undefined) o.linkType = item.linkType;
  if (want.interfaceId !== undefined) o.interfaceId = item.interfaceId;
  if (want.time !== undefined) o.time = epochText(item.seconds, item.nanos);
  if (item.kind === 'skipped') o.reason = item.reason;
  if (item.kind === 'error') {
    o.code = item.error.code;
  }
  if (item.kind === 'segment') {
    const t = item.tcp;
    Object.assign(o, {
      ipVersion: item.ip.version,
      src: item.ip.src,
      dst: item.ip.dst,
      srcPort: t.srcPort,
      dstPort: t.dstPort,
      seq: t.seq,
      ack: t.ack,
      tcp: hex(bytes.subarray(item.offsets.tcp, item.offsets.tcp + Math.min(item.tcpLength, item.offsets.packet + item.capturedLength - item.offsets.tcp))),
      tcpLength: item.tcpLength,
      checksum: item.checksum,
      truncated: item.truncated,
      fragment: item.fragment,
      lengthFromCapture: item.lengthFromCapture,
    });
  }
  return o;
}

describe('synthetic captures: every record as Scapy built it', () => {
  for (const [name, want] of Object.entries(expectedFiles)) {
    describe(name, () => {
      const bytes = bytesOf(name);
      const items = [...readCapture(bytes)];

      it('one item per record, each as expected', () => {
        expect(items.map((i) => i.frame)).toEqual(want.map((w) => w.frame));
        items.forEach((item, k) => {
          const w = want[k] as Expected;
          expect(observed(item, bytes, w), `${name} frame ${item.frame}`).toEqual(w);
        });
      });

      it('segments re-encode to the bytes captured; errors carry a file offset inside their record', () => {
        for (const item of items) {
          if (item.kind === 'segment') {
            const got = hex(encodeSegment(item.tcp));
            expect(got, `${name} frame ${item.frame}`).toBe(hex(bytes.subarray(item.offsets.tcp, item.offsets.tcp + got.length / 2)));
          }
          if (item.kind === 'error') {
            expect(item.error).toBeInstanceOf(TcpWireError);
            expect(item.error.offset, `${name} frame ${item.frame}: ${item.error.message}`).toBeGreaterThanOrEqual(item.offsets.record);
            expect(item.error.offset).toBeLessThanOrEqual(item.offsets.packet + Math.max(item.capturedLength, 0));
          }
        }
      });

      it('forEachSegment sees the same segments, fields and checksum verdicts (and options left unread), and counts the rest', () => {
        const segs = items.filter((i) => i.kind === 'segment');
        const seen: string[] = [];
        const errors: number[] = [];
        const stats = forEachSegment(
          bytes,
          (v, m) => {
            seen.push(`${m.frame} ${v.srcPort} ${v.dstPort} ${v.seq} ${v.ack} ${v.flagBits} ${v.length} ${m.tcpLength} ${m.checksum()} ${m.truncated} ${m.fragment} ${m.tcpOffset}`);
          },
          { onError: (_e, frame) => errors.push(frame) },
        );
        // The view checks the header only; options are read (and found malformed) when asked for.
        const optionErrors = items.filter((i) => i.kind === 'error' && /OPTION/.test(i.error.code)).map((i) => i.frame);
        const lazy = seen.filter((l) => optionErrors.includes(Number(l.split(' ')[0])));
        expect(lazy.length).toBe(optionErrors.length);
        expect(seen.filter((l) => !lazy.includes(l))).toEqual(
          segs.map((s) => {
            const t = s.tcp;
            const cap = Math.min(s.tcpLength, s.offsets.packet + s.capturedLength - s.offsets.tcp);
            const bits = (t.flags.ae ? 256 : 0) | (t.flags.cwr ? 128 : 0) | (t.flags.ece ? 64 : 0) | (t.flags.urg ? 32 : 0) | (t.flags.ack ? 16 : 0) | (t.flags.psh ? 8 : 0) | (t.flags.rst ? 4 : 0) | (t.flags.syn ? 2 : 0) | (t.flags.fin ? 1 : 0);
            return `${s.frame} ${t.srcPort} ${t.dstPort} ${t.seq} ${t.ack} ${bits} ${cap} ${s.tcpLength} ${s.checksum} ${s.truncated} ${s.fragment} ${s.offsets.tcp}`;
          }),
        );
        expect(errors).toEqual(items.filter((i) => i.kind === 'error' && !optionErrors.includes(i.frame)).map((i) => i.frame));
        expect(stats.segments).toBe(segs.length + optionErrors.length);
        expect(stats.malformed).toBe(errors.length);
        expect(stats.skipped).toBe(items.filter((i) => i.kind === 'skipped').length);
      });
    });
  }

  it('skipped: false leaves out skipped records but keeps the frame numbers', () => {
    const bytes = bytesOf('ip.pcap');
    const all = [...readCapture(bytes)];
    const some = [...readCapture(bytes, { skipped: false })];
    expect(some.map((i) => i.frame)).toEqual(all.filter((i) => i.kind !== 'skipped').map((i) => i.frame));
  });

  it('verifyChecksums: false says unverified for every segment', () => {
    const some = [...readCapture(bytesOf('ip.pcap'), { verifyChecksums: false })];
    expect(new Set(some.flatMap((i) => (i.kind === 'segment' ? [i.checksum] : [])))).toEqual(new Set(['unverified']));
  });
});
