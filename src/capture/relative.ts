/**
 * Relative sequence numbers, as Wireshark shows them: per connection and per direction,
 * counted from that direction's initial sequence number, so a SYN is 0 and the first data
 * byte is 1. All arithmetic is modulo 2^32.
 *
 * The rules (matching what tshark 4.0 prints for `tcp.seq`, `tcp.ack` and `tcp.stream`):
 * - A direction's base is the seq of its SYN (or SYN+ACK); a direction first seen without a
 *   SYN gets base seq − 1 (mid-stream: its first byte counts as 1).
 * - An ACK met before anything was seen from the other direction sets the other direction's
 *   base to ack − 1.
 * - The relative ack is computed only when the ACK flag is set; otherwise the raw field is given,
 *   as tshark does.
 * - A SYN without ACK whose seq differs from its direction's base starts a new connection on
 *   the same addresses and ports (port reuse): new stream number, both bases forgotten.
 *   A SYN+ACK with a new seq re-bases its direction only.
 */

import { flagsToBits } from '../flags.js';
import { FLAG } from '../layout.js';
import type { CaptureSegment } from './reader.js';

/** Relative numbers of one segment. */
export interface RelativeNumbers {
  /** Sequence number relative to its direction's base. */
  seq: number;
  /** Acknowledgment number relative to the other direction's base (raw if the ACK flag is clear). */
  ack: number;
  /** Connection index from 0, in order of first appearance (tshark's `tcp.stream`). */
  stream: number;
}

interface Connection {
  stream: number;
  /** Base of the direction from the lower endpoint key, and from the higher; -1 if unset. */
  base: [number, number];
}

/** Tracks connections across a capture to give each segment its relative numbers. Feed segments in capture order. */
export class RelativeSequencer {
  private readonly connections = new Map<string, Connection>();
  private streams = 0;

  /**
   * The relative numbers of a segment from `src:srcPort` to `dst:dstPort` (addresses as text).
   * `flagBits` are the nine flag bits (FIN = 1 ... AE = 0x100).
   */
  next(src: string, srcPort: number, dst: string, dstPort: number, seq: number, ack: number, flagBits: number): RelativeNumbers {
    const a = `${src}|${srcPort}`;
    const b = `${dst}|${dstPort}`;
    const forward = a < b;
    const key = forward ? `${a}|${b}` : `${b}|${a}`;
    const me = forward ? 0 : 1;
    const peer = 1 - me;
    let c = this.connections.get(key);
    if (c === undefined) {
      c = { stream: this.streams++, base: [-1, -1] };
      this.connections.set(key, c);
    }
    const syn = (flagBits & FLAG.SYN) !== 0;
    const hasAck = (flagBits & FLAG.ACK) !== 0;
    if (syn) {
      if (c.base[me] !== -1 && c.base[me] !== seq) {
        if (!hasAck) {
          // A fresh SYN with a new ISN: the ports are being reused by a new connection.
          c = { stream: this.streams++, base: [-1, -1] };
          this.connections.set(key, c);
        }
      }
      c.base[me] = seq;
    } else if (c.base[me] === -1) {
      c.base[me] = (seq - 1) >>> 0;
    }
    if (hasAck && c.base[peer] === -1) c.base[peer] = (ack - 1) >>> 0;
    return {
      seq: (seq - (c.base[me] as number)) >>> 0,
      ack: hasAck ? (ack - (c.base[peer] as number)) >>> 0 : ack,
      stream: c.stream,
    };
  }

  /** The relative numbers of a capture item's segment. */
  forSegment(item: CaptureSegment): RelativeNumbers {
    const t = item.tcp;
    const bits = flagsToBits(t.flags);
    return this.next(item.ip.src, t.srcPort, item.ip.dst, t.dstPort, t.seq, t.ack, bits);
  }
}
