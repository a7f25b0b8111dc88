/**
 * What a three-way handshake is built from (the spec), what it gives back, and
 * the defaults that fill a spec in. The names here are a public contract (issue 3).
 */

import type { AddressInput } from '../address.js';
import type { IpOptions } from '../ip/packet.js';
import type { TcpOption } from '../options.js';
import type { TcpSegment } from '../segment.js';
import type { StatePair } from './states.js';

/** The option layouts a handshake can follow. */
export type HandshakeProfile = 'plain' | 'linux';

/** One side of the connection: the client sends the SYN and the ACK, the server the SYN-ACK. */
export interface HandshakeEndpoint {
  /** IPv4 or IPv6 address (text, or 4/16 bytes); both sides must be of one family. */
  address: AddressInput;
  port: number;
  /** Initial sequence number (x for the client, y for the server); left out: a random 32-bit value. */
  isn?: number;
  /** The window field of this side's SYN (never scaled, RFC 7323 §2.2). */
  window?: number;
  /** MSS option value (profile `linux`). */
  mss?: number;
  /** Window scale shift (profile `linux`). */
  windowScale?: number;
  /** Timestamp value (profile `linux`). */
  tsval?: number;
  /** This side's SYN (or SYN-ACK) options, replacing the profile's list. */
  options?: readonly TcpOption[];
}

/** The third segment's own values, where they differ from the SYN's. */
export interface HandshakeAckSpec {
  /** The ACK's window field (already scaled, as a stack writes it). */
  window?: number;
  /** The ACK's TSval (profile `linux`); default the SYN's. */
  tsval?: number;
  /** The ACK's options, replacing the profile's list. */
  options?: readonly TcpOption[];
}

/** Everything a three-way handshake is built from. */
export interface HandshakeSpec {
  /** Sends the SYN and the ACK. */
  client: HandshakeEndpoint;
  /** Sends the SYN-ACK. */
  server: HandshakeEndpoint;
  ack?: HandshakeAckSpec;
  /** `plain` (default): 20-byte headers; `linux`: the option layouts Linux 6.x sends. */
  profile?: HandshakeProfile;
  /** ECN setup (RFC 3168 §6.1.1): the SYN carries ECE+CWR, the SYN-ACK ECE. */
  ecn?: boolean;
  /** Also build each whole IPv4/IPv6 packet (`packet`). Default false. */
  packets?: boolean;
  /** IP-layer settings for the packets; defaults TTL/hop limit 64, IPv4 id 0 and DF, traffic class 0. */
  ip?: IpOptions;
}

/** One built segment. */
export interface HandshakeSegment {
  /** The segment, decoded from `bytes`. */
  segment: TcpSegment;
  /** The TCP bytes, checksum filled in for the pseudo-header of `src` → `dst`. */
  bytes: Uint8Array;
  /** The whole IP packet (IPv4 or IPv6 by the addresses), when asked for with `packets: true`. */
  packet?: Uint8Array;
  /** IP source, as text. */
  src: string;
  /** IP destination, as text. */
  dst: string;
}

/** A generated handshake: the three segments, and the states before and after each. */
export interface Handshake {
  syn: HandshakeSegment;
  synAck: HandshakeSegment;
  ack: HandshakeSegment;
  /** `states[0]` before the SYN (CLOSED / LISTEN), then after the SYN, the SYN-ACK and the ACK. */
  states: StatePair[];
}

/** Window fields when none is given: the largest 16-bit value (profile `plain`). */
export const PLAIN_WINDOW = 65535;
/** MSS when none is given (profile `linux`): a 1500-byte MTU less the IP and TCP headers. */
export const DEFAULT_MSS_V4 = 1460;
export const DEFAULT_MSS_V6 = 1440;
/** Window scale shift when none is given (profile `linux`): what Linux picks for its default 6 MiB tcp_rmem. */
export const DEFAULT_WINDOW_SCALE = 7;
/** TSval when none is given (profile `linux`). */
export const DEFAULT_TSVAL = 1;
/** Bytes a timestamps option takes in every segment once negotiated (10, padded to 12). */
export const TIMESTAMPS_ALIGNED_LEN = 12;

/**
 * The window Linux puts in a SYN or SYN-ACK with default buffers: 65535 rounded
 * down to a multiple of the segment size it expects (tcp_select_initial_window).
 * The client counts its full MSS (64240 for 1460); the server, which already knows
 * timestamps are on, the MSS less 12 option bytes (65160 for 1460).
 */
export function linuxInitialWindow(mss: number, lessTimestamps: boolean): number {
  const unit = lessTimestamps ? mss - TIMESTAMPS_ALIGNED_LEN : mss;
  if (unit <= 0 || unit >= PLAIN_WINDOW) return PLAIN_WINDOW;
  return Math.floor(PLAIN_WINDOW / unit) * unit;
}
