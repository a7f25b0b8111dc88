/**
 * Relative sequence numbers against tshark's own (tcp.seq, tcp.ack, tcp.stream with its
 * default preferences), on every real capture, including hping's port reuse, a seq at
 * 2^32-1 and RSTs from closed ports. (Skipped, visibly, without tshark.)
 */

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RelativeSequencer, readCapture } from '../../src/index.js';
import { CAPTURES_DIR, captureBytes, captureNames, segmentsOf } from './fixtures.js';
import { hasTshark, tsharkFields } from './tshark.js';

describe.skipIf(!hasTshark || captureNames.length === 0)('RelativeSequencer agrees with tshark', () => {
  // The format variants of http-v4 hold the same connection as http-v4.pcap.
  it.each(captureNames.filter((n) => !/^http-v4-(be|ns|sll)/.test(n)))('%s', (name) => {
    const { rows } = tsharkFields(fileURLToPath(new URL(name, CAPTURES_DIR)), ['frame.number', 'tcp.seq', 'tcp.ack', 'tcp.stream'], ['ip.defragment:FALSE']);
    const want = rows.filter((r) => r[1] !== '').map((r) => r.map(Number));
    const rs = new RelativeSequencer();
    const got = segmentsOf(readCapture(captureBytes(name))).map((s) => {
      const r = rs.forSegment(s);
      return [s.frame, r.seq, r.ack, r.stream];
    });
    expect(got).toEqual(want);
  });
});

describe('RelativeSequencer by its rules', () => {
  const F = { SYN: 2, ACK: 16, RST: 4 };
  it('SYN is 0, the first byte 1, across the 2^32 wrap; the ack is raw without the ACK flag', () => {
    const rs = new RelativeSequencer();
    expect(rs.next('a', 1, 'b', 2, 0xffffffff, 77, F.SYN)).toEqual({ seq: 0, ack: 77, stream: 0 });
    expect(rs.next('b', 2, 'a', 1, 500, 0, F.SYN | F.ACK)).toEqual({ seq: 0, ack: 1, stream: 0 });
    expect(rs.next('a', 1, 'b', 2, 0, 501, F.ACK)).toEqual({ seq: 1, ack: 1, stream: 0 });
    expect(rs.next('a', 1, 'b', 2, 10, 0, F.RST)).toEqual({ seq: 11, ack: 0, stream: 0 });
  });
  it('mid-stream: the first segment of each direction counts as 1', () => {
    const rs = new RelativeSequencer();
    expect(rs.next('a', 1, 'b', 2, 1000, 5000, F.ACK)).toEqual({ seq: 1, ack: 1, stream: 0 });
    expect(rs.next('b', 2, 'a', 1, 5000, 1100, F.ACK)).toEqual({ seq: 1, ack: 101, stream: 0 });
  });
  it('a new SYN with a new ISN on the same ports is a new connection', () => {
    const rs = new RelativeSequencer();
    rs.next('a', 1, 'b', 2, 100, 0, F.SYN);
    expect(rs.next('a', 1, 'b', 2, 100, 0, F.SYN).stream).toBe(0); // a retransmission
    expect(rs.next('a', 1, 'b', 2, 9000, 0, F.SYN)).toEqual({ seq: 0, ack: 0, stream: 1 });
    expect(rs.next('c', 1, 'b', 2, 1, 0, F.SYN).stream).toBe(2);
  });
});
