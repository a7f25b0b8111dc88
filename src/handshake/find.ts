/**
 * Finding the handshakes in a stream of segments (a capture): for every connection
 * that opens in it, the SYN, the first answer from the other side (a SYN-ACK, or a
 * RST), and the first segment the client sends after that, checked with
 * {@link checkHandshake}. Portable: the segments can come from any reader.
 */

import { formatAddress, parseAddress } from '../address.js';
import type { TcpOption } from '../options.js';
import { type TcpSegment, decodeSegment } from '../segment.js';
import { type CheckSegmentInput, type HandshakeCheck, checkHandshake } from './check.js';

/** One segment seen in a capture. */
export interface SeenSegment {
  /** Frame (record) number, for the report. */
  frame: number;
  /** IP source and destination. */
  src: string;
  dst: string;
  segment: TcpSegment;
  /** The TCP bytes, when the checksum can be verified (captured whole, plain pseudo-header). */
  bytes?: Uint8Array;
}

/** How far a handshake got. */
export type HandshakeOutcome =
  /** SYN, SYN-ACK and the client's ACK were all seen. */
  | 'complete'
  /** The server answered the SYN with RST. */
  | 'refused'
  /** The SYN got a SYN-ACK, but the client's third segment is not in the capture. */
  | 'no-ack'
  /** Nothing came back for the SYN. */
  | 'unanswered';

/** A handshake found in a capture, with the checker's verdict. */
export interface FoundHandshake {
  client: { address: string; port: number };
  server: { address: string; port: number };
  /** Frame numbers of the segments checked: SYN, then the answer, then the ACK. */
  frames: number[];
  /** Those segments (copies, owned). */
  segments: TcpSegment[];
  outcome: HandshakeOutcome;
  /** Frames of SYNs sent again with the same sequence number (retransmissions). */
  retransmittedSyns: number[];
  check: HandshakeCheck;
}

interface Pending {
  client: { address: string; port: number };
  server: { address: string; port: number };
  segments: (CheckSegmentInput & { frame: number })[];
  retransmittedSyns: number[];
}

function canonical(address: string): string {
  return formatAddress(parseAddress(address));
}

function key(a: string, ap: number, b: string, bp: number): string {
  return `${a}|${ap}|${b}|${bp}`;
}

/** An option whose byte fields (cookie, digest, MAC, data) are copies, not views. */
function ownOption(o: TcpOption): TcpOption {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v instanceof Uint8Array ? v.slice() : v])) as TcpOption;
}

/** Owns its bytes: capture readers hand out views into buffers they may reuse (option data included). */
function own(s: SeenSegment): CheckSegmentInput & { frame: number } {
  const copy = s.bytes !== undefined ? s.bytes.slice() : undefined;
  const segment =
    copy !== undefined
      ? decodeSegment(copy)
      : { ...s.segment, options: s.segment.options.map(ownOption), payload: s.segment.payload.slice(), padding: s.segment.padding.slice() };
  const out: CheckSegmentInput & { frame: number } = { frame: s.frame, segment, src: s.src, dst: s.dst };
  if (copy !== undefined) out.bytes = copy;
  return out;
}

/**
 * Collects handshakes segment by segment: {@link push} every segment in capture
 * order, then {@link finish}. Memory holds only connections whose handshake is
 * still open, plus the results.
 */
export class HandshakeFinder {
  private readonly open = new Map<string, Pending>();
  private readonly done: FoundHandshake[] = [];
  /** Segments of connections whose opening is not in the capture. */
  midstream = 0;

  /** Feeds the next segment of the capture. */
  push(seen: SeenSegment): void {
    const f = seen.segment.flags;
    const src = canonical(seen.src);
    const dst = canonical(seen.dst);
    const sp = seen.segment.srcPort;
    const dp = seen.segment.dstPort;
    const forward = this.open.get(key(src, sp, dst, dp));
    const backward = this.open.get(key(dst, dp, src, sp));
    if (f.syn && !f.ack && forward === undefined && backward === undefined) {
      this.open.set(key(src, sp, dst, dp), {
        client: { address: src, port: sp },
        server: { address: dst, port: dp },
        segments: [own({ ...seen, src, dst })],
        retransmittedSyns: [],
      });
      return;
    }
    if (forward !== undefined) {
      const n = forward.segments.length;
      const first = forward.segments[0] as CheckSegmentInput;
      if (f.syn && !f.ack && seen.segment.seq === first.segment.seq) {
        forward.retransmittedSyns.push(seen.frame);
        return;
      }
      if (f.syn && !f.ack && n === 1) {
        // A new SYN with another ISN: the earlier attempt ends unanswered.
        this.close(key(src, sp, dst, dp), 'unanswered');
        this.push(seen);
        return;
      }
      if (n === 2) {
        forward.segments.push(own({ ...seen, src, dst }));
        this.close(key(src, sp, dst, dp), 'complete');
      }
      return;
    }
    if (backward !== undefined) {
      const n = backward.segments.length;
      if (n === 1 && (f.syn || f.rst)) {
        backward.segments.push(own({ ...seen, src, dst }));
        if (f.rst) this.close(key(dst, dp, src, sp), 'refused');
      }
      return;
    }
    this.midstream++;
  }

  private close(k: string, outcome: HandshakeOutcome): void {
    const p = this.open.get(k);
    if (p === undefined) return;
    this.open.delete(k);
    this.done.push({
      client: p.client,
      server: p.server,
      frames: p.segments.map((s) => s.frame),
      segments: p.segments.map((s) => s.segment),
      outcome,
      retransmittedSyns: p.retransmittedSyns,
      check: checkHandshake(p.segments),
    });
  }

  /** Closes every handshake still open and returns all of them, in the order their SYNs came. */
  finish(): FoundHandshake[] {
    for (const [k, p] of [...this.open]) this.close(k, p.segments.length === 1 ? 'unanswered' : 'no-ack');
    return [...this.done].sort((a, b) => (a.frames[0] as number) - (b.frames[0] as number));
  }
}

/** Every handshake in `segments` (in capture order), checked. */
export function findHandshakes(segments: Iterable<SeenSegment>): FoundHandshake[] {
  const finder = new HandshakeFinder();
  for (const s of segments) finder.push(s);
  return finder.finish();
}
