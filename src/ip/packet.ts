/**
 * Whole IP packets around TCP segments: build one for a capture or a raw socket,
 * and find the TCP segment in one (with the TCP length from the IP lengths, never
 * from the frame length, so Ethernet padding is not taken for payload).
 */

import { parseAddress, type AddressInput } from '../address.js';
import { TcpWireError } from '../errors.js';
import { IPPROTO_TCP } from '../layout.js';
import { type Ipv4Header, IPV4_MIN_HEADER, decodeIpv4, encodeIpv4Header } from './ipv4.js';
import { type Ipv6Header, IPV6_HEADER, decodeIpv6, encodeIpv6Header } from './ipv6.js';

/** IP-layer settings for a built packet (each family uses its own). */
export interface IpOptions {
  /** IPv4 TTL or IPv6 hop limit; default 64. */
  ttl?: number;
  /** IPv4 identification; default 0. */
  id?: number;
  /** IPv4 Don't Fragment; default true. */
  df?: boolean;
  /** DSCP (IPv4) / the high 6 bits of the traffic class (IPv6); default 0. */
  dscp?: number;
  /** ECN codepoint, 0..3; default 0 (not ECT). */
  ecn?: number;
  /** IPv6 flow label; default 0. */
  flowLabel?: number;
}

/**
 * An IPv4 or IPv6 packet (chosen by the addresses' family) carrying `tcp`.
 * @throws {TcpWireError} `BAD_ADDRESS` for bad or mixed addresses, `OUT_OF_RANGE` for oversize or bad fields.
 */
export function buildIpPacket(tcp: Uint8Array, src: AddressInput, dst: AddressInput, ip: IpOptions = {}): Uint8Array {
  const s = parseAddress(src);
  const d = parseAddress(dst);
  if (s.length !== d.length) throw new TcpWireError('BAD_ADDRESS', 'source and destination are of different IP families');
  const header =
    s.length === 4
      ? encodeIpv4Header({
          src: s,
          dst: d,
          payloadLength: tcp.length,
          ...(ip.ttl !== undefined ? { ttl: ip.ttl } : {}),
          ...(ip.id !== undefined ? { id: ip.id } : {}),
          ...(ip.df !== undefined ? { df: ip.df } : {}),
          ...(ip.dscp !== undefined ? { dscp: ip.dscp } : {}),
          ...(ip.ecn !== undefined ? { ecn: ip.ecn } : {}),
        })
      : encodeIpv6Header({
          src: s,
          dst: d,
          payloadLength: tcp.length,
          trafficClass: ((ip.dscp ?? 0) << 2) | (ip.ecn ?? 0),
          ...(ip.ttl !== undefined ? { hopLimit: ip.ttl } : {}),
          ...(ip.flowLabel !== undefined ? { flowLabel: ip.flowLabel } : {}),
        });
  const out = new Uint8Array(header.length + tcp.length);
  out.set(header, 0);
  out.set(tcp, header.length);
  return out;
}

/** Where the TCP segment sits in an IP packet, or why there is none. */
export interface IpTcpLocation {
  ip: Ipv4Header | Ipv6Header;
  /** Offset of the TCP header in the buffer; -1 if there is no TCP header here. */
  tcpOffset: number;
  /** TCP length by the IP header's lengths (may exceed what was captured). */
  tcpLength: number;
  /** Pseudo-header addresses: source, and the final destination. */
  pseudoSrc: Uint8Array;
  pseudoDst: Uint8Array;
  /** Why there is no TCP segment, if there is none: "not TCP", "non-first fragment", ... */
  skip?: string;
  /** Set when the IPv4 total length was 0 (segmentation offload) and the captured length was used. */
  lengthFromCapture?: boolean;
}

/**
 * Finds the TCP segment in the IP packet at `offset` (`length` bytes captured).
 * @throws {TcpWireError} for a malformed IP header.
 */
export function locateTcp(bytes: Uint8Array, offset: number, length: number): IpTcpLocation {
  if (length < 1) throw new TcpWireError('TRUNCATED', 'no bytes where an IP header should be', offset);
  const version = (bytes[offset] as number) >>> 4;
  if (version === 4) {
    const ip = decodeIpv4(bytes, offset, length);
    let total = ip.totalLength;
    let lengthFromCapture = false;
    if (total === 0) {
      // Segmentation offload writes 0 here: the captured length is all there is to go on.
      total = length;
      lengthFromCapture = true;
    }
    const tcpLength = Math.max(0, total - ip.headerLength);
    const loc: IpTcpLocation = {
      ip,
      tcpOffset: offset + ip.headerLength,
      tcpLength,
      pseudoSrc: ip.srcBytes,
      pseudoDst: ip.dstBytes,
      ...(lengthFromCapture ? { lengthFromCapture } : {}),
    };
    if (ip.protocol !== IPPROTO_TCP) return { ...loc, tcpOffset: -1, skip: `IP protocol ${ip.protocol}, not TCP` };
    if (ip.fragmentOffset > 0) return { ...loc, tcpOffset: -1, skip: `non-first IPv4 fragment (offset ${ip.fragmentOffset}): no TCP header here` };
    if (total < ip.headerLength) {
      throw new TcpWireError('BAD_RECORD', `IPv4 total length ${total} is below its header length ${ip.headerLength}`, offset + 2);
    }
    return loc;
  }
  if (version === 6) {
    const ip = decodeIpv6(bytes, offset, length);
    const loc: IpTcpLocation = {
      ip,
      tcpOffset: ip.upperOffset,
      tcpLength: ip.upperLength,
      pseudoSrc: ip.srcBytes,
      pseudoDst: ip.finalDstBytes,
    };
    if (ip.fragment && ip.fragment.offset > 0) {
      return { ...loc, tcpOffset: -1, skip: `non-first IPv6 fragment (offset ${ip.fragment.offset}): no TCP header here` };
    }
    if (ip.protocol !== IPPROTO_TCP) return { ...loc, tcpOffset: -1, skip: `next header ${ip.protocol}, not TCP` };
    return loc;
  }
  throw new TcpWireError('BAD_RECORD', `IP version ${version}: expected 4 or 6`, offset);
}

export { IPV4_MIN_HEADER, IPV6_HEADER };
