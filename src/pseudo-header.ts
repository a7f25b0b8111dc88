/**
 * The TCP checksum over the IPv4 pseudo-header (RFC 9293 §3.1) or the IPv6
 * pseudo-header (RFC 8200 §8.1).
 *
 * IPv4: source (4), destination (4), zero (1), protocol 6 (1), TCP length (2).
 * IPv6: source (16), destination (16), upper-layer length (4), zero (3), next header 6 (1).
 * With an IPv6 Routing header, the destination is the final one.
 */

import { type AddressInput, parseAddress } from './address.js';
import { onesComplementSum } from './checksum.js';
import { TcpWireError } from './errors.js';
import { FIELD, HEADER_LEN, IPPROTO_TCP, MAX_SEGMENT_LEN } from './layout.js';

/** Source and destination of the IP packet carrying a segment. */
export interface PseudoHeaderInput {
  src: AddressInput;
  dst: AddressInput;
}

function toBytes(a: AddressInput): Uint8Array {
  return a instanceof Uint8Array && (a.length === 4 || a.length === 16) ? a : parseAddress(a);
}

/**
 * The ones'-complement sum of the pseudo-header for a TCP segment of `length` bytes.
 * @throws {TcpWireError} `BAD_ADDRESS` for bad or mixed-family addresses, `OUT_OF_RANGE` for a length the family cannot carry.
 */
export function pseudoHeaderSum(src: AddressInput, dst: AddressInput, length: number): number {
  const s = toBytes(src);
  const d = toBytes(dst);
  if (s.length !== d.length) {
    throw new TcpWireError(
      'BAD_ADDRESS',
      `source is IPv${s.length === 4 ? 4 : 6} but destination is IPv${d.length === 4 ? 4 : 6}: a pseudo-header has one family`,
    );
  }
  const max = s.length === 4 ? MAX_SEGMENT_LEN : 0xffff_ffff;
  if (!Number.isInteger(length) || length < 0 || length > max) {
    throw new TcpWireError('OUT_OF_RANGE', `TCP length ${length} does not fit the IPv${s.length === 4 ? 4 : 6} pseudo-header (0 to ${max})`);
  }
  // The length (16 bits in IPv4, 32 bits in IPv6) and the protocol add as 16-bit words.
  const lengthWords = (length >>> 16) + (length & 0xffff);
  return onesComplementSum(d, 0, d.length, onesComplementSum(s, 0, s.length, IPPROTO_TCP + lengthWords));
}

/**
 * Computes the checksum a TCP segment should carry: the checksum field itself
 * (bytes 16–17) is left out of the sum, whatever it holds.
 * @throws {TcpWireError} `TRUNCATED` if the segment is shorter than 20 bytes; address errors as {@link pseudoHeaderSum}.
 */
export function tcpChecksum(segment: Uint8Array, src: AddressInput, dst: AddressInput): number {
  if (segment.length < HEADER_LEN) {
    throw new TcpWireError('TRUNCATED', `a TCP segment has at least ${HEADER_LEN} bytes; this one has ${segment.length}`, segment.length);
  }
  let sum = pseudoHeaderSum(src, dst, segment.length);
  sum = onesComplementSum(segment, 0, FIELD.CHECKSUM, sum);
  sum = onesComplementSum(segment, FIELD.CHECKSUM + 2, segment.length, sum);
  return ~sum & 0xffff;
}

/**
 * True if the segment's checksum field is right for these addresses. The whole
 * segment, checksum included, is summed and must come to 0xffff, so a field of
 * 0x0000 and one of 0xffff are judged alike (RFC 1624 §3).
 */
export function verifyTcpChecksum(segment: Uint8Array, src: AddressInput, dst: AddressInput): boolean {
  if (segment.length < HEADER_LEN) return false;
  return onesComplementSum(segment, 0, segment.length, pseudoHeaderSum(src, dst, segment.length)) === 0xffff;
}
