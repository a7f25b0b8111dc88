/**
 * Finding the TCP segment in an IP packet without allocating: the hot path of the
 * capture reader. {@link locateTcpIn} fills a reused {@link TcpLocation} with offsets
 * and lengths; the descriptive objects (`decodeIpv4`, `decodeIpv6`) are built only when
 * someone asks for them.
 *
 * The TCP length always comes from the IP header's lengths (RFC 791 §3.1 total length,
 * RFC 8200 §3 payload length), never from the frame length, so Ethernet padding is not
 * taken for payload.
 */

import { TcpWireError } from '../errors.js';
import { IPPROTO_TCP } from '../layout.js';
import { IPV4, IPV4_MF, IPV4_MIN_HEADER } from './ipv4.js';
import { IPV6, IPV6_HEADER, NEXT_HEADER } from './ipv6.js';

/** What {@link locateTcpIn} found. */
export const LOCATE = {
  /** A TCP header starts at {@link TcpLocation.tcpOffset}. */
  TCP: 0,
  /** The packet carries another protocol (see {@link TcpLocation.protocol}). */
  NOT_TCP: 1,
  /** A non-first fragment: its bytes continue an earlier fragment, there is no TCP header here. */
  NON_FIRST_FRAGMENT: 2,
} as const;

/** The fragment-offset bits of the IPv4 flags/fragment word. */
const IPV4_FRAGMENT_MASK = 0x1fff;

/**
 * Where a TCP segment sits in an IP packet. One object is reused packet after packet;
 * every field is rewritten by each {@link locateTcpIn} call, in the same order.
 * All offsets index the buffer that was passed in.
 */
export class TcpLocation {
  /** One of {@link LOCATE}. */
  status = 0;
  /** 4 or 6. */
  ipVersion = 0;
  /** Where the IP header starts. */
  ipOffset = 0;
  /** The upper-layer protocol (for IPv6: after the extension headers). */
  protocol = 0;
  /** Where the TCP header starts (the end of the IP header and its extension headers). */
  tcpOffset = 0;
  /** TCP length by the IP lengths (may exceed what was captured). */
  tcpLength = 0;
  /** Offset of the source address (4 or 16 bytes). */
  srcOffset = 0;
  /** Offset of the destination address for the pseudo-header: the final one with a Routing header. */
  pseudoDstOffset = 0;
  /** True if the packet is a fragment (IPv4 MF or offset, or an IPv6 Fragment header). */
  fragment = false;
  /** Fragment offset in bytes (0 for the first fragment or an unfragmented packet). */
  fragmentOffset = 0;
  /** True when the IP length field was 0 (segmentation offload) and the captured length was used. */
  lengthFromCapture = false;
}

/**
 * Finds the TCP segment in the IP packet at `offset` of which `length` bytes were captured.
 * `view` must be a DataView over the whole of `bytes` (the caller keeps one per buffer).
 * Returns {@link TcpLocation.status}.
 * @throws {TcpWireError} `TRUNCATED` or `BAD_RECORD` for an IP header that cannot be walked, with its byte offset.
 */
export function locateTcpIn(bytes: Uint8Array, view: DataView, offset: number, length: number, out: TcpLocation): number {
  if (length < 1) throw new TcpWireError('TRUNCATED', 'no bytes where an IP header should be', offset);
  const version = (bytes[offset] as number) >>> 4;
  if (version === 4) return locateIpv4(bytes, view, offset, length, out);
  if (version === 6) return locateIpv6(bytes, view, offset, length, out);
  throw new TcpWireError('BAD_RECORD', `IP version ${version}: expected 4 or 6`, offset);
}

function locateIpv4(bytes: Uint8Array, view: DataView, offset: number, length: number, out: TcpLocation): number {
  if (length < IPV4_MIN_HEADER) {
    throw new TcpWireError('TRUNCATED', `an IPv4 header needs ${IPV4_MIN_HEADER} bytes, but only ${length} were captured`, offset);
  }
  const hl = ((bytes[offset] as number) & 15) * 4;
  if (hl < IPV4_MIN_HEADER) throw new TcpWireError('BAD_RECORD', `IPv4 header length ${hl / 4} words is below the minimum 5`, offset);
  if (hl > length) throw new TcpWireError('TRUNCATED', `IPv4 header length ${hl} bytes runs past the ${length} bytes captured`, offset);
  let total = view.getUint16(offset + IPV4.TOTAL_LENGTH);
  let fromCapture = false;
  if (total === 0) {
    // Segmentation offload leaves 0 here: the captured length is all there is to go on.
    total = length;
    fromCapture = true;
  } else if (total < hl) {
    throw new TcpWireError('BAD_RECORD', `IPv4 total length ${total} is below its header length ${hl}`, offset + IPV4.TOTAL_LENGTH);
  }
  const ff = view.getUint16(offset + IPV4.FLAGS_FRAGMENT);
  const fragOffset = (ff & IPV4_FRAGMENT_MASK) * 8;
  const protocol = bytes[offset + IPV4.PROTOCOL] as number;
  const status = protocol !== IPPROTO_TCP ? LOCATE.NOT_TCP : fragOffset > 0 ? LOCATE.NON_FIRST_FRAGMENT : LOCATE.TCP;
  out.status = status;
  out.ipVersion = 4;
  out.ipOffset = offset;
  out.protocol = protocol;
  out.tcpOffset = offset + hl;
  out.tcpLength = total - hl;
  out.srcOffset = offset + IPV4.SRC;
  out.pseudoDstOffset = offset + IPV4.DST;
  out.fragment = fragOffset > 0 || (ff & IPV4_MF) !== 0;
  out.fragmentOffset = fragOffset;
  out.lengthFromCapture = fromCapture;
  return status;
}

function locateIpv6(bytes: Uint8Array, view: DataView, offset: number, length: number, out: TcpLocation): number {
  if (length < IPV6_HEADER) {
    throw new TcpWireError('TRUNCATED', `an IPv6 header needs ${IPV6_HEADER} bytes, but only ${length} were captured`, offset);
  }
  let payloadLength = view.getUint16(offset + IPV6.PAYLOAD_LENGTH);
  let next = bytes[offset + IPV6.NEXT_HEADER] as number;
  let fromCapture = false;
  if (payloadLength === 0 && next !== NEXT_HEADER.NONE && length > IPV6_HEADER) {
    // Offload (or a jumbogram, RFC 2675) leaves 0 here: go by the captured length.
    payloadLength = length - IPV6_HEADER;
    fromCapture = true;
  }
  const end = Math.min(length, IPV6_HEADER + payloadLength);
  let pseudoDst = offset + IPV6.DST;
  let p = IPV6_HEADER;
  let fragment = false;
  let fragOffset = 0;
  // RFC 8200 §4: hop-by-hop, routing, fragment, destination options; AH (RFC 4302) too.
  while (
    next === NEXT_HEADER.HOP_BY_HOP ||
    next === NEXT_HEADER.ROUTING ||
    next === NEXT_HEADER.FRAGMENT ||
    next === NEXT_HEADER.DEST_OPTIONS ||
    next === NEXT_HEADER.AH
  ) {
    const at = offset + p;
    if (p + 8 > end) throw new TcpWireError('TRUNCATED', `IPv6 extension header ${next} is cut short`, at);
    const hdrLen = bytes[at + 1] as number;
    const len = next === NEXT_HEADER.FRAGMENT ? 8 : next === NEXT_HEADER.AH ? (hdrLen + 2) * 4 : (hdrLen + 1) * 8;
    if (p + len > end) {
      throw new TcpWireError('TRUNCATED', `IPv6 extension header ${next} has ${len} bytes, past the end of the packet`, at);
    }
    if (next === NEXT_HEADER.FRAGMENT) {
      const fo = view.getUint16(at + 2);
      fragOffset = fo & 0xfff8;
      // An "atomic fragment" (offset 0, no more fragments, RFC 6946) is a whole packet.
      fragment = fragOffset > 0 || (fo & 1) !== 0;
    } else if (next === NEXT_HEADER.ROUTING) {
      const type = bytes[at + 2] as number;
      const segmentsLeft = bytes[at + 3] as number;
      // RFC 8200 §8.1: the pseudo-header carries the final destination. Types 0 and 2 list
      // plain addresses after 8 bytes (the last is final); type 4 (SRH, RFC 8754) lists the final one first.
      if (segmentsLeft > 0 && (type === 0 || type === 2) && len >= 24) pseudoDst = at + len - 16;
      else if (segmentsLeft > 0 && type === 4 && len >= 24) pseudoDst = at + 8;
    }
    next = bytes[at] as number;
    p += len;
    // After the Fragment header of a non-first fragment come data bytes, not headers.
    if (fragOffset > 0) break;
  }
  const status = fragOffset > 0 ? LOCATE.NON_FIRST_FRAGMENT : next !== IPPROTO_TCP ? LOCATE.NOT_TCP : LOCATE.TCP;
  out.status = status;
  out.ipVersion = 6;
  out.ipOffset = offset;
  out.protocol = next;
  out.tcpOffset = offset + p;
  out.tcpLength = IPV6_HEADER + payloadLength - p;
  out.srcOffset = offset + IPV6.SRC;
  out.pseudoDstOffset = pseudoDst;
  out.fragment = fragment;
  out.fragmentOffset = fragOffset;
  out.lengthFromCapture = fromCapture;
  return status;
}
