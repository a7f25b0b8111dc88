// tcpwire's decoder against an independent declarative decoder (binary-parser),
// on Scapy's 3000 vectors and on arbitrary well-formed segments.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type TcpSegment, decodeSegment, encodeSegment, flagsToBits, fromHex } from '../../src/index.js';
import { parseWithBinaryParser } from './binary-parser-tcp.js';

interface Vector {
  id: number;
  tcp: string;
}
const vectors = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../fixtures/scapy/vectors.json'), 'utf8'),
) as Vector[];

function agree(bytes: Uint8Array, seg: TcpSegment): void {
  const bp = parseWithBinaryParser(bytes);
  expect(seg.srcPort).toBe(bp.srcPort);
  expect(seg.dstPort).toBe(bp.dstPort);
  expect(seg.seq).toBe(bp.seq);
  expect(seg.ack).toBe(bp.ack);
  expect(seg.dataOffset).toBe(bp.dataOffset);
  expect(seg.reserved).toBe(bp.reserved);
  expect(flagsToBits(seg.flags)).toBe(bp.flags);
  expect(seg.window).toBe(bp.window);
  expect(seg.checksum).toBe(bp.checksum);
  expect(seg.urgentPointer).toBe(bp.urgentPointer);
  // binary-parser walks the whole options area; tcpwire stops at EOL and keeps the rest as padding.
  const eol = bp.options.findIndex((o) => o.kind === 0);
  const upToEol = eol < 0 ? bp.options : bp.options.slice(0, eol + 1);
  const kinds = seg.options.map((o) =>
    o.type === 'unknown' || o.type === 'experimental' ? o.kind : undefined,
  );
  expect(seg.options.length).toBe(upToEol.length);
  upToEol.forEach((o, i) => {
    const k = kinds[i];
    if (k !== undefined) expect(k).toBe(o.kind);
  });
  const optionBytes = upToEol.reduce((n, o) => n + (o.kind <= 1 ? 1 : (o.body.len as number)), 0);
  expect(seg.padding.length).toBe(seg.dataOffset * 4 - 20 - optionBytes);
  expect(seg.payload.length).toBe(bytes.length - bp.dataOffset * 4);
}

describe('decodeSegment agrees with a binary-parser decoder', () => {
  it('on every Scapy vector', () => {
    for (const v of vectors) {
      const bytes = fromHex(v.tcp);
      agree(bytes, decodeSegment(bytes));
    }
  });

  it('on arbitrary well-formed segments', () => {
    const u32 = fc.oneof(fc.constantFrom(0, 0x7fffffff, 0x80000000, 0xffffffff), fc.nat({ max: 0xffffffff }));
    fc.assert(
      fc.property(
        fc.record({
          srcPort: fc.nat({ max: 0xffff }),
          dstPort: fc.nat({ max: 0xffff }),
          seq: u32,
          ack: u32,
          reserved: fc.nat({ max: 7 }),
          flags: fc.nat({ max: 0x1ff }),
          window: fc.nat({ max: 0xffff }),
          urgentPointer: fc.nat({ max: 0xffff }),
          tsval: u32,
          // Kinds of one data byte: 3 bytes, which is an MPTCP option for kind 30 (RFC 8684 §3),
          // one the encoder takes only typed; every other kind here decodes raw at that length.
          kinds: fc.array(fc.integer({ min: 9, max: 252 }).filter((k) => k !== 30), { maxLength: 4 }),
          payload: fc.uint8Array({ maxLength: 64 }),
        }),
        (r) => {
          const flags = Object.fromEntries(
            ['fin', 'syn', 'rst', 'psh', 'ack', 'urg', 'ece', 'cwr', 'ae'].map((k, i) => [k, (r.flags & (1 << i)) !== 0]),
          );
          const bytes = encodeSegment({
            ...r,
            flags,
            options: [
              { type: 'timestamps', tsval: r.tsval, tsecr: r.seq },
              ...r.kinds.map((kind) => ({ type: 'unknown' as const, kind, data: new Uint8Array([kind & 0xff]) })),
            ],
          });
          agree(bytes, decodeSegment(bytes));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
