/**
 * The IPv4 header (RFC 791 §3.1): enough to carry TCP segments into captures and
 * to find them again. The layout is named once, as for TCP.
 */

import { onesComplementSum } from '../checksum.js';
import { ipv4TextAt } from './address-text.js';
import { TcpWireError } from '../errors.js';
import { checkInt, checkU16, checkU8 } from '../range.js';

/** Byte offsets of the IPv4 header fields. */
export const IPV4 = {
  VERSION_IHL: 0,
  TOS: 1,
  TOTAL_LENGTH: 2,
  ID: 4,
  FLAGS_FRAGMENT: 6,
  TTL: 8,
  PROTOCOL: 9,
  CHECKSUM: 10,
  SRC: 12,
  DST: 16,
  OPTIONS: 20,
} as const;
/** Length of an IPv4 header without options. */
export const IPV4_MIN_HEADER = 20;
/** Don't Fragment and More Fragments bits of the flags/fragment word. */
export const IPV4_DF = 0x4000;
export const IPV4_MF = 0x2000;
/** The reserved ("evil") flag bit. */
export const IPV4_RF = 0x8000;
const FRAGMENT_MASK = 0x1fff;

/** A decoded IPv4 header. */
export interface Ipv4Header {
  version: 4;
  /** Header length in bytes (IHL × 4). */
  headerLength: number;
  /** DSCP (6 bits). */
  dscp: number;
  /** ECN codepoint (2 bits): 0 not-ECT, 1 ECT(1), 2 ECT(0), 3 CE. */
  ecn: number;
  totalLength: number;
  id: number;
  df: boolean;
  mf: boolean;
  /** Fragment offset in bytes (the field × 8). */
  fragmentOffset: number;
  ttl: number;
  protocol: number;
  checksum: number;
  /** True if the header checksum verifies. */
  checksumOk: boolean;
  src: string;
  dst: string;
  /** Raw address bytes (views). */
  srcBytes: Uint8Array;
  dstBytes: Uint8Array;
  /** IP options bytes (a view), empty if none. */
  options: Uint8Array;
}

/**
 * Decodes an IPv4 header at `offset`; `length` is how many bytes are there.
 * @throws {TcpWireError} `TRUNCATED` or `BAD_RECORD` (not version 4, IHL < 5).
 */
export function decodeIpv4(bytes: Uint8Array, offset = 0, length = bytes.length - offset): Ipv4Header {
  if (length < IPV4_MIN_HEADER) {
    throw new TcpWireError('TRUNCATED', `an IPv4 header needs ${IPV4_MIN_HEADER} bytes, but only ${Math.max(0, length)} are there`, offset);
  }
  const b0 = bytes[offset] as number;
  if (b0 >>> 4 !== 4) throw new TcpWireError('BAD_RECORD', `IP version ${b0 >>> 4} where 4 was expected`, offset);
  const hl = (b0 & 15) * 4;
  if (hl < IPV4_MIN_HEADER) {
    throw new TcpWireError('BAD_RECORD', `IPv4 header length ${hl / 4} words is below the minimum 5`, offset);
  }
  if (hl > length) {
    throw new TcpWireError('TRUNCATED', `IPv4 header length ${hl} bytes runs past the ${length} bytes captured`, offset);
  }
  const ff = u16(bytes, offset + IPV4.FLAGS_FRAGMENT);
  const tos = bytes[offset + IPV4.TOS] as number;
  const srcBytes = bytes.subarray(offset + IPV4.SRC, offset + IPV4.SRC + 4);
  const dstBytes = bytes.subarray(offset + IPV4.DST, offset + IPV4.DST + 4);
  // The header checksum verifies when the header's 16-bit words sum to 0xffff (RFC 1071).
  let sum = 0;
  for (let i = offset; i < offset + hl; i += 2) sum += u16(bytes, i);
  sum = (sum & 0xffff) + (sum >>> 16);
  sum = (sum & 0xffff) + (sum >>> 16);
  return {
    version: 4,
    headerLength: hl,
    dscp: tos >>> 2,
    ecn: tos & 3,
    totalLength: u16(bytes, offset + IPV4.TOTAL_LENGTH),
    id: u16(bytes, offset + IPV4.ID),
    df: (ff & IPV4_DF) !== 0,
    mf: (ff & IPV4_MF) !== 0,
    fragmentOffset: (ff & FRAGMENT_MASK) * 8,
    ttl: bytes[offset + IPV4.TTL] as number,
    protocol: bytes[offset + IPV4.PROTOCOL] as number,
    checksum: u16(bytes, offset + IPV4.CHECKSUM),
    checksumOk: sum === 0xffff,
    src: ipv4TextAt(bytes, offset + IPV4.SRC),
    dst: ipv4TextAt(bytes, offset + IPV4.DST),
    srcBytes,
    dstBytes,
    options: bytes.subarray(offset + IPV4_MIN_HEADER, offset + hl),
  };
}

function u16(bytes: Uint8Array, at: number): number {
  return ((bytes[at] as number) << 8) | (bytes[at + 1] as number);
}

/** What {@link encodeIpv4Header} takes; defaults: ttl 64, id 0, DF set, DSCP and ECN 0, protocol 6. */
export interface Ipv4HeaderInit {
  src: Uint8Array;
  dst: Uint8Array;
  payloadLength: number;
  ttl?: number;
  id?: number;
  df?: boolean;
  dscp?: number;
  ecn?: number;
  protocol?: number;
}

/**
 * A 20-byte IPv4 header with its header checksum.
 * @throws {TcpWireError} `OUT_OF_RANGE` for any field out of range.
 */
export function encodeIpv4Header(init: Ipv4HeaderInit): Uint8Array {
  const total = checkInt(init.payloadLength + IPV4_MIN_HEADER, IPV4_MIN_HEADER, 0xffff, 'IPv4 total length');
  const out = new Uint8Array(IPV4_MIN_HEADER);
  const dv = new DataView(out.buffer);
  out[IPV4.VERSION_IHL] = 0x45;
  out[IPV4.TOS] = (checkInt(init.dscp ?? 0, 0, 63, 'DSCP') << 2) | checkInt(init.ecn ?? 0, 0, 3, 'ECN');
  dv.setUint16(IPV4.TOTAL_LENGTH, total);
  dv.setUint16(IPV4.ID, checkU16(init.id ?? 0, 'IPv4 id'));
  dv.setUint16(IPV4.FLAGS_FRAGMENT, (init.df ?? true) ? IPV4_DF : 0);
  out[IPV4.TTL] = checkU8(init.ttl ?? 64, 'TTL');
  out[IPV4.PROTOCOL] = checkU8(init.protocol ?? 6, 'protocol');
  out.set(init.src, IPV4.SRC);
  out.set(init.dst, IPV4.DST);
  dv.setUint16(IPV4.CHECKSUM, ~onesComplementSum(out) & 0xffff);
  return out;
}
