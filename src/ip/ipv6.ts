/**
 * The IPv6 header (RFC 8200 §3) and the walk over its extension headers
 * (§4: hop-by-hop 0, routing 43, fragment 44, destination options 60, and AH 51)
 * to the upper-layer header.
 */

import { TcpWireError } from '../errors.js';
import { checkInt, checkU8 } from '../range.js';
import { ipv6TextAt } from './address-text.js';

/** Byte offsets of the fixed IPv6 header. */
export const IPV6 = {
  VERSION_CLASS_FLOW: 0,
  PAYLOAD_LENGTH: 4,
  NEXT_HEADER: 6,
  HOP_LIMIT: 7,
  SRC: 8,
  DST: 24,
} as const;
/** Length of the fixed IPv6 header. */
export const IPV6_HEADER = 40;

/** Next-header values tcpwire walks or stops at. */
export const NEXT_HEADER = {
  HOP_BY_HOP: 0,
  TCP: 6,
  ROUTING: 43,
  FRAGMENT: 44,
  ESP: 50,
  AH: 51,
  NONE: 59,
  DEST_OPTIONS: 60,
} as const;

/** One extension header met on the way. */
export interface Ipv6Extension {
  type: number;
  offset: number;
  length: number;
}

/** A decoded IPv6 header with its extension-header chain walked. */
export interface Ipv6Header {
  version: 6;
  trafficClass: number;
  /** ECN codepoint, the low 2 bits of the traffic class. */
  ecn: number;
  flowLabel: number;
  payloadLength: number;
  hopLimit: number;
  src: string;
  dst: string;
  srcBytes: Uint8Array;
  dstBytes: Uint8Array;
  /** The final destination (last address of a Routing header with segments left), for the pseudo-header (RFC 8200 §8.1). */
  finalDstBytes: Uint8Array;
  /** The extension headers in order. */
  extensions: Ipv6Extension[];
  /** The upper-layer protocol after the extension headers (6 for TCP). */
  protocol: number;
  /** Offset (in the buffer) where the upper-layer header starts. */
  upperOffset: number;
  /** Bytes of upper-layer data by the payload length (payload length less extension headers). */
  upperLength: number;
  /** Set if a Fragment header is present. */
  fragment?: { offset: number; more: boolean; id: number };
}

/**
 * Decodes an IPv6 header at `offset` and walks its extension headers. `length` is how many bytes are there.
 * @throws {TcpWireError} `TRUNCATED` or `BAD_RECORD`.
 */
export function decodeIpv6(bytes: Uint8Array, offset = 0, length = bytes.length - offset): Ipv6Header {
  if (length < IPV6_HEADER) {
    throw new TcpWireError('TRUNCATED', `an IPv6 header needs ${IPV6_HEADER} bytes, but only ${Math.max(0, length)} are there`, offset);
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset + offset, length);
  const w0 = dv.getUint32(IPV6.VERSION_CLASS_FLOW);
  if (w0 >>> 28 !== 6) throw new TcpWireError('BAD_RECORD', `IP version ${w0 >>> 28} where 6 was expected`, offset);
  const payloadLength = dv.getUint16(IPV6.PAYLOAD_LENGTH);
  const srcBytes = bytes.subarray(offset + IPV6.SRC, offset + IPV6.SRC + 16);
  const dstBytes = bytes.subarray(offset + IPV6.DST, offset + IPV6.DST + 16);
  let finalDstBytes = dstBytes;
  let next = bytes[offset + IPV6.NEXT_HEADER] as number;
  let p = IPV6_HEADER;
  // Offload (or a jumbogram, RFC 2675) leaves the payload length 0: go by the captured length.
  const effectiveLength = payloadLength === 0 && next !== NEXT_HEADER.NONE && length > IPV6_HEADER ? length - IPV6_HEADER : payloadLength;
  const end = Math.min(length, IPV6_HEADER + effectiveLength);
  const extensions: Ipv6Extension[] = [];
  let fragment: Ipv6Header['fragment'];
  for (;;) {
    if (
      next !== NEXT_HEADER.HOP_BY_HOP &&
      next !== NEXT_HEADER.ROUTING &&
      next !== NEXT_HEADER.FRAGMENT &&
      next !== NEXT_HEADER.DEST_OPTIONS &&
      next !== NEXT_HEADER.AH
    ) {
      break;
    }
    if (p + 8 > end) {
      throw new TcpWireError('TRUNCATED', `IPv6 extension header ${next} at byte ${offset + p} is cut short`, offset + p);
    }
    const len =
      next === NEXT_HEADER.FRAGMENT ? 8 : next === NEXT_HEADER.AH ? ((bytes[offset + p + 1] as number) + 2) * 4 : ((bytes[offset + p + 1] as number) + 1) * 8;
    if (p + len > end) {
      throw new TcpWireError('TRUNCATED', `IPv6 extension header ${next} at byte ${offset + p} has ${len} bytes, past the end of the packet`, offset + p);
    }
    extensions.push({ type: next, offset: offset + p, length: len });
    if (next === NEXT_HEADER.FRAGMENT) {
      const fo = dv.getUint16(p + 2);
      fragment = { offset: fo & 0xfff8, more: (fo & 1) !== 0, id: dv.getUint32(p + 4) };
    } else if (next === NEXT_HEADER.ROUTING) {
      const type = bytes[offset + p + 2] as number;
      const segmentsLeft = bytes[offset + p + 3] as number;
      // Types 0 and 2 list plain addresses after 8 bytes; type 4 (SRH, RFC 8754) lists segments with the final one first.
      if (segmentsLeft > 0 && (type === 0 || type === 2) && len >= 24) {
        finalDstBytes = bytes.subarray(offset + p + len - 16, offset + p + len);
      } else if (segmentsLeft > 0 && type === 4 && len >= 24) {
        finalDstBytes = bytes.subarray(offset + p + 8, offset + p + 24);
      }
    }
    next = bytes[offset + p] as number;
    p += len;
    // After the Fragment header of a non-first fragment come data bytes, not headers.
    if (fragment !== undefined && fragment.offset > 0) break;
  }
  return {
    version: 6,
    trafficClass: (w0 >>> 20) & 0xff,
    ecn: (w0 >>> 20) & 3,
    flowLabel: w0 & 0xfffff,
    payloadLength,
    hopLimit: bytes[offset + IPV6.HOP_LIMIT] as number,
    src: ipv6TextAt(bytes, offset + IPV6.SRC),
    dst: ipv6TextAt(bytes, offset + IPV6.DST),
    srcBytes,
    dstBytes,
    finalDstBytes,
    extensions,
    protocol: next,
    upperOffset: offset + p,
    upperLength: Math.max(0, IPV6_HEADER + effectiveLength - p),
    ...(fragment ? { fragment } : {}),
  };
}

/** What {@link encodeIpv6Header} takes; defaults: hop limit 64, traffic class 0, flow label 0, next header 6. */
export interface Ipv6HeaderInit {
  src: Uint8Array;
  dst: Uint8Array;
  payloadLength: number;
  hopLimit?: number;
  trafficClass?: number;
  flowLabel?: number;
  nextHeader?: number;
}

/**
 * A 40-byte IPv6 header.
 * @throws {TcpWireError} `OUT_OF_RANGE` for any field out of range.
 */
export function encodeIpv6Header(init: Ipv6HeaderInit): Uint8Array {
  const out = new Uint8Array(IPV6_HEADER);
  const dv = new DataView(out.buffer);
  const tc = checkU8(init.trafficClass ?? 0, 'traffic class');
  const fl = checkInt(init.flowLabel ?? 0, 0, 0xfffff, 'flow label');
  dv.setUint32(IPV6.VERSION_CLASS_FLOW, ((6 << 28) | (tc << 20) | fl) >>> 0);
  dv.setUint16(IPV6.PAYLOAD_LENGTH, checkInt(init.payloadLength, 0, 0xffff, 'IPv6 payload length'));
  out[IPV6.NEXT_HEADER] = checkU8(init.nextHeader ?? 6, 'next header');
  out[IPV6.HOP_LIMIT] = checkU8(init.hopLimit ?? 64, 'hop limit');
  out.set(init.src, IPV6.SRC);
  out.set(init.dst, IPV6.DST);
  return out;
}
