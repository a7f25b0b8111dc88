// Finding handshakes in a stream of segments: what is grouped with what.
import { describe, expect, it } from 'vitest';
import { HandshakeFinder, type SeenSegment, type TcpSegment, decodeSegment, encodeSegment, findHandshakes, respondTo, threeWayHandshake } from '../../src/index.js';

const C = '192.0.2.1';
const S = '198.51.100.2';
let frame = 0;
const seen = (segment: TcpSegment, src: string, dst: string, bytes?: Uint8Array): SeenSegment => ({
  frame: ++frame,
  src,
  dst,
  segment,
  ...(bytes ? { bytes } : {}),
});
const hs = (port: number, x: number, y: number) =>
  threeWayHandshake({ client: { address: C, port, isn: x }, server: { address: S, port: 80, isn: y }, profile: 'linux' });

describe('findHandshakes', () => {
  it('pairs interleaved connections by their 4-tuples, in SYN order, and passes them', () => {
    frame = 0;
    const a = hs(1000, 1, 2);
    const b = hs(1001, 2 ** 32 - 1, 7);
    const stream = [
      seen(a.syn.segment, C, S, a.syn.bytes),
      seen(b.syn.segment, C, S, b.syn.bytes),
      seen(b.synAck.segment, S, C, b.synAck.bytes),
      seen(a.synAck.segment, S, C, a.synAck.bytes),
      seen(b.ack.segment, C, S, b.ack.bytes),
      seen(a.ack.segment, C, S, a.ack.bytes),
    ];
    const found = findHandshakes(stream);
    expect(found.map((h) => [h.client.port, h.frames, h.outcome, h.check.ok])).toEqual([
      [1000, [1, 4, 6], 'complete', true],
      [1001, [2, 3, 5], 'complete', true],
    ]);
    expect(found[0]?.check.findings).toEqual([]);
  });

  it('a RST answer is "refused", a lone SYN "unanswered", a missing ACK "no-ack"; a repeated SYN is a retransmission', () => {
    frame = 0;
    const a = hs(2000, 100, 0);
    const rst = respondTo(a.syn.segment, { src: C, dst: S, state: 'CLOSED' });
    const b = hs(2001, 5, 6);
    const c = hs(2002, 9, 10);
    const found = findHandshakes([
      seen(a.syn.segment, C, S),
      seen(rst!.segment, S, C),
      seen(b.syn.segment, C, S),
      seen(b.syn.segment, C, S),
      seen(c.syn.segment, C, S),
      seen(c.synAck.segment, S, C),
    ]);
    expect(found.map((h) => [h.client.port, h.outcome, h.frames, h.retransmittedSyns])).toEqual([
      [2000, 'refused', [1, 2], []],
      [2001, 'unanswered', [3], [4]],
      [2002, 'no-ack', [5, 6], []],
    ]);
    expect(found[1]?.check.findings.map((f) => f.code)).toEqual(['SEGMENT_COUNT']);
  });

  it('segments of connections opened before the capture are counted, not checked', () => {
    frame = 0;
    const a = hs(3000, 1, 2);
    expect(findHandshakes([seen(a.ack.segment, C, S), seen(a.synAck.segment, S, C)])).toEqual([]);
  });

  it('a broken handshake is found and judged: SYN-ACK acknowledging x+2', () => {
    frame = 0;
    const a = hs(4000, 999, 5000);
    const bad = encodeSegment({ ...a.synAck.segment, dataOffset: undefined, padding: undefined, ack: 1001 }, { src: S, dst: C });
    const [h] = findHandshakes([seen(a.syn.segment, C, S, a.syn.bytes), seen(decodeSegment(bad), S, C, bad), seen(a.ack.segment, C, S, a.ack.bytes)]);
    expect(h?.check.ok).toBe(false);
    expect(h?.check.findings.map((f) => f.message)).toContain(
      'SYN-ACK acknowledges 1001, but the SYN had seq x = 999, so it must acknowledge x+1 = 1000',
    );
  });

  it('keeps its own copies of the bytes (a capture reader may reuse its buffers)', () => {
    frame = 0;
    const a = hs(5000, 1, 2);
    const bytes = a.syn.bytes.slice();
    const finder = new HandshakeFinder();
    finder.push(seen(decodeSegment(bytes), C, S, bytes));
    bytes.fill(0);
    // Checked only now, at finish: with the reader's buffer, the checksum would be found bad.
    const [h] = finder.finish();
    expect(h?.outcome).toBe('unanswered');
    expect(h?.check.findings.map((f) => f.code)).toEqual(['SEGMENT_COUNT']);
  });
});
