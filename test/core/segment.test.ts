/**
 * decodeSegment on real and hand-written bytes. Expected values are read off
 * the hex by hand (Python's struct.unpack('!HHIIBBHHH') was the second pair of
 * eyes), never copied from tcpwire's output.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSegment, encodeSegment, segmentLength, verifyTcpChecksum } from '../../src/index.js';
import { buildSegmentBytes, referenceTcpChecksum, segmentArb, withoutMessages } from './arbitraries.js';

const fromHexNode = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));

/** The SYN the CLI demo decodes: frame 1 of fixtures/captures/handshakes-linux.pcap, 10.99.0.1 -> 10.99.0.2. */
const LINUX_SYN = '9f941e61880eb25b00000000a002faf0b5070000020405b40402080aee189cc3000000000103030a';

describe('a real Linux SYN', () => {
  const bytes = fromHexNode(LINUX_SYN);
  const s = decodeSegment(bytes);

  it('decodes every field', () => {
    // 9f94 1e61 | 880eb25b | 00000000 | a0 02 | faf0 | b507 | 0000
    expect(s.srcPort).toBe(40852);
    expect(s.dstPort).toBe(7777);
    expect(s.seq).toBe(2282664539); // 0x880eb25b, above 2^31: unsigned
    expect(s.ack).toBe(0);
    expect(s.dataOffset).toBe(10); // 0xa0 >> 4
    expect(s.reserved).toBe(0);
    expect(s.flags).toEqual({ ae: false, cwr: false, ece: false, urg: false, ack: false, psh: false, rst: false, syn: true, fin: false });
    expect(s.window).toBe(64240);
    expect(s.checksum).toBe(0xb507);
    expect(s.urgentPointer).toBe(0);
    // 020405b4 | 0402 | 080a ee189cc3 00000000 | 01 | 03030a: Linux's SYN option order
    expect(s.options).toEqual([
      { type: 'mss', value: 1460 },
      { type: 'sackPermitted' },
      { type: 'timestamps', tsval: 3994590403, tsecr: 0 }, // 0xee189cc3, above 2^31
      { type: 'nop' },
      { type: 'windowScale', shift: 10 },
    ]);
    expect(s.padding.length).toBe(0);
    expect(s.payload.length).toBe(0);
    expect(s.warnings).toEqual([]);
    expect(segmentLength(s)).toBe(1);
  });

  it('carries the checksum the textbook computes over the IPv4 pseudo-header', () => {
    const src = Uint8Array.of(10, 99, 0, 1);
    const dst = Uint8Array.of(10, 99, 0, 2);
    expect(referenceTcpChecksum(bytes, src, dst)).toBe(0xb507);
    expect(verifyTcpChecksum(bytes, '10.99.0.1', '10.99.0.2')).toBe(true);
  });

  it('re-encodes byte for byte', () => {
    expect(encodeSegment(s)).toEqual(bytes);
  });
});

describe('reserved bits and AE are kept, never rejected (Linux ECN SYNs were dropped by a strict parser)', () => {
  it('every value of the three reserved bits, with AE on and off', () => {
    for (let reserved = 0; reserved < 8; reserved++) {
      for (const ae of [0, 1]) {
        const b = buildSegmentBytes({
          srcPort: 1,
          dstPort: 2,
          seq: 3,
          ack: 4,
          dataOffset: 5,
          reserved,
          flags: (ae << 8) | 0xc2, // AE? CWR ECE SYN: an ECN setup SYN
          window: 5,
          checksum: 6,
          urgentPointer: 7,
          optionBytes: [],
          payload: [],
        });
        expect(b[12]).toBe(0x50 | (reserved << 1) | ae);
        const s = decodeSegment(b);
        expect(s.reserved).toBe(reserved);
        expect(s.flags).toEqual({ ae: ae === 1, cwr: true, ece: true, urg: false, ack: false, psh: false, rst: false, syn: true, fin: false });
        expect(encodeSegment(s)).toEqual(b);
      }
    }
  });
});

describe('decodeSegment', () => {
  it('gives back exactly the fields an independent writer put in', () => {
    fc.assert(
      fc.property(segmentArb(), ({ segment, bytes }) => {
        expect(withoutMessages(decodeSegment(bytes))).toEqual(segment);
      }),
    );
  });

  it('the payload and option data are views into the input, not copies', () => {
    const big = new Uint8Array(64);
    const seg = fromHexNode('0001000200000003000000046000ffff00000000' + '63040102' + 'abcdef');
    big.set(seg, 5);
    const view = big.subarray(5, 5 + seg.length);
    const s = decodeSegment(view);
    expect(s.payload.buffer).toBe(big.buffer);
    expect(s.payload.byteOffset).toBe(5 + 24);
    expect(Array.from(s.payload)).toEqual([0xab, 0xcd, 0xef]);
    const o = s.options[0];
    expect(o?.type === 'unknown' && o.data.buffer === big.buffer).toBe(true);
  });

  it('decodes the same at an unaligned byteOffset', () => {
    fc.assert(
      fc.property(segmentArb(), fc.constantFrom(1, 2, 3), ({ segment, bytes }, shift) => {
        const big = new Uint8Array(bytes.length + shift);
        big.set(bytes, shift);
        expect(withoutMessages(decodeSegment(big.subarray(shift)))).toEqual(segment);
      }),
    );
  });

  it('everything after the header is payload, including what looks like options', () => {
    const s = decodeSegment(fromHexNode('0001000200000003000000045000ffff00000000' + '020405b4'));
    expect(s.options).toEqual([]);
    expect(Array.from(s.payload)).toEqual([2, 4, 5, 0xb4]);
  });

  it('a header of the largest size, 60 bytes, full of options', () => {
    const opts = [2, 4, 0x05, 0xb4, 1, 3, 3, 14, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 5, 18, 0, 0, 0, 1, 0, 0, 0, 2, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 1, 0];
    const b = buildSegmentBytes({
      srcPort: 443,
      dstPort: 50000,
      seq: 0x8000_0000,
      ack: 0x7fff_ffff,
      dataOffset: 15,
      reserved: 0,
      flags: 0x10,
      window: 0,
      checksum: 0,
      urgentPointer: 0,
      optionBytes: opts,
      payload: [1],
    });
    const s = decodeSegment(b);
    expect(s.dataOffset).toBe(15);
    expect(s.options).toEqual([
      { type: 'mss', value: 1460 },
      { type: 'nop' },
      { type: 'windowScale', shift: 14 },
      { type: 'sackPermitted' },
      { type: 'timestamps', tsval: 1, tsecr: 2 },
      {
        type: 'sack',
        blocks: [
          [1, 2],
          [0xffff_ffff, 0],
        ],
      },
      { type: 'nop' },
      { type: 'eol' },
    ]);
    expect(s.padding.length).toBe(0);
    expect(Array.from(s.payload)).toEqual([1]);
  });
});
