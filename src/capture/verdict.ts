/**
 * The checksum verdict for a captured TCP segment, computed in place (no copies, no
 * allocation) with the DataView the reader already holds.
 *
 * - `good`: the whole segment plus its pseudo-header sums to 0xffff (RFC 1071; RFC 9293 §3.1).
 * - `partial`: the field holds the pseudo-header-only sum: the sender left the rest to checksum
 *   offload and the capture saw the packet before the NIC filled it in (Linux CHECKSUM_PARTIAL).
 * - `bad`: neither.
 * - `unverified`: the segment was not captured whole (snaplen, or a first IP fragment).
 */

import { FIELD, IPPROTO_TCP } from '../layout.js';

/** What a capture says about a segment's checksum. */
export type ChecksumVerdict = 'good' | 'bad' | 'partial' | 'unverified';

/** Folds a non-negative sum below 2^53 to 16 bits, end-around carry included. */
function fold(sum: number): number {
  let s = (sum % 0x10000) + Math.floor(sum / 0x10000);
  s = (s & 0xffff) + (s >>> 16);
  return (s & 0xffff) + (s >>> 16);
}

/** Swaps the two bytes of a 16-bit value. */
function swap(x: number): number {
  return ((x & 0xff) << 8) | (x >>> 8);
}

/**
 * The unfolded sum of `bytes[start..end)` as little-endian 16-bit lanes (an odd last byte is
 * the low byte of its lane). `view` covers all of `bytes`. Lanes do not depend on alignment, so
 * any `start` works; sums of ranges that each start a word of their own may be added before one
 * fold and one swap (RFC 1071 §2(B): the sum does not depend on byte order).
 */
function laneSum(view: DataView, bytes: Uint8Array, start: number, end: number): number {
  let sum = 0;
  let i = start;
  const end4 = end - ((end - start) & 3);
  for (; i < end4; i += 4) sum += view.getUint32(i, true);
  if (end - i >= 2) {
    sum += view.getUint16(i, true);
    i += 2;
  }
  if (i < end) sum += bytes[i] as number;
  return sum;
}

/**
 * The folded ones'-complement sum of `bytes[start..end)` as big-endian 16-bit words (an odd
 * last byte is a high byte). `view` covers all of `bytes`.
 */
export function sumRange(view: DataView, bytes: Uint8Array, start: number, end: number): number {
  return swap(fold(laneSum(view, bytes, start, end)));
}

/**
 * The folded pseudo-header sum (RFC 9293 §3.1 for IPv4, RFC 8200 §8.1 for IPv6) for a TCP
 * segment of `length` bytes, with the addresses read in place: `addressLength` is 4 or 16.
 */
export function pseudoSumAt(view: DataView, bytes: Uint8Array, srcOffset: number, dstOffset: number, addressLength: number, length: number): number {
  const addresses = swap(fold(laneSum(view, bytes, srcOffset, srcOffset + addressLength) + laneSum(view, bytes, dstOffset, dstOffset + addressLength)));
  return fold(addresses + IPPROTO_TCP + Math.floor(length / 0x10000) + (length & 0xffff));
}

/**
 * The verdict for the complete segment `bytes[tcpOffset .. tcpOffset+length)`: `good`, `partial` or `bad`.
 * (A caller that holds only part of the segment says `unverified` without calling this.)
 * The addresses and the segment are summed as lanes and folded once; the pseudo-header's own
 * sum is needed only to tell `partial` from `bad`.
 */
export function segmentVerdict(
  view: DataView,
  bytes: Uint8Array,
  tcpOffset: number,
  length: number,
  srcOffset: number,
  dstOffset: number,
  addressLength: number,
): ChecksumVerdict {
  const lanes =
    laneSum(view, bytes, srcOffset, srcOffset + addressLength) + laneSum(view, bytes, dstOffset, dstOffset + addressLength) + laneSum(view, bytes, tcpOffset, tcpOffset + length);
  if (fold(swap(fold(lanes)) + IPPROTO_TCP + Math.floor(length / 0x10000) + (length & 0xffff)) === 0xffff) return 'good';
  return view.getUint16(tcpOffset + FIELD.CHECKSUM) === pseudoSumAt(view, bytes, srcOffset, dstOffset, addressLength, length) ? 'partial' : 'bad';
}
