/**
 * The option lists of the handshake profiles.
 *
 * `plain`: no options at all, the textbook exchange in 20-byte headers.
 *
 * `linux`: the layouts Linux 6.x writes (net/ipv4/tcp_output.c, tcp_options_write),
 * which packs every option into 32-bit words in a fixed order:
 *   - MSS (4 bytes);
 *   - with timestamps: SACK-permitted + timestamps (`04 02 08 0a ...`) when SACK is
 *     offered too, otherwise NOP NOP + timestamps;
 *   - SACK-permitted without timestamps: NOP NOP SACK-permitted;
 *   - window scale: NOP + window scale.
 * So a SYN with everything is `MSS, SACK-permitted, Timestamps, NOP, Window scale`
 * (20 bytes), and an ACK with only timestamps is `NOP, NOP, Timestamps` (12 bytes).
 *
 * Negotiation, as Linux does it and as the RFCs require: a SYN-ACK carries window
 * scale (RFC 7323 §2.2), timestamps (RFC 7323 §3.2) and SACK-permitted (RFC 2018 §2)
 * only when the SYN did; the segments after the SYNs carry timestamps only when
 * both SYNs did (RFC 7323 §3.2).
 */

import type { TcpOption } from '../options.js';

/** What a Linux stack puts in one segment's options. */
export interface LinuxOptionSet {
  mss?: number;
  sackPermitted?: boolean;
  timestamps?: { tsval: number; tsecr: number };
  windowScale?: number;
}

/** The options in the order and with the NOP padding Linux writes them. */
export function linuxOptions(set: LinuxOptionSet): TcpOption[] {
  const out: TcpOption[] = [];
  if (set.mss !== undefined) out.push({ type: 'mss', value: set.mss });
  if (set.timestamps !== undefined) {
    if (set.sackPermitted === true) out.push({ type: 'sackPermitted' });
    else out.push({ type: 'nop' }, { type: 'nop' });
    out.push({ type: 'timestamps', tsval: set.timestamps.tsval, tsecr: set.timestamps.tsecr });
  } else if (set.sackPermitted === true) {
    out.push({ type: 'nop' }, { type: 'nop' }, { type: 'sackPermitted' });
  }
  if (set.windowScale !== undefined) out.push({ type: 'nop' }, { type: 'windowScale', shift: set.windowScale });
  return out;
}

/** The options a SYN offers, as far as the handshake rules care. */
export interface OfferedOptions {
  mss?: number;
  windowScale?: number;
  sackPermitted: boolean;
  /** The TSval, when the segment carries timestamps. */
  tsval?: number;
  tsecr?: number;
}

/** Reads what a segment's options offer (the first of each kind counts). */
export function offered(options: readonly TcpOption[]): OfferedOptions {
  const o: OfferedOptions = { sackPermitted: false };
  for (const opt of options) {
    if (opt.type === 'mss' && o.mss === undefined) o.mss = opt.value;
    else if (opt.type === 'windowScale' && o.windowScale === undefined) o.windowScale = opt.shift;
    else if (opt.type === 'sackPermitted') o.sackPermitted = true;
    else if (opt.type === 'timestamps' && o.tsval === undefined) {
      o.tsval = opt.tsval;
      o.tsecr = opt.tsecr;
    }
  }
  return o;
}
