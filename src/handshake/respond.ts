/**
 * The responder: what an endpoint sends back when a segment arrives during
 * connection set-up, by RFC 9293 §3.10.7 (SEGMENT ARRIVES). Enough to drive a real
 * TCP stack from a test: answer its SYN with a SYN-ACK, its SYN-ACK with the ACK.
 */

import { type AddressInput, formatAddress, parseAddress } from '../address.js';
import { encodeSegment } from '../encode.js';
import { TcpWireError } from '../errors.js';
import type { TcpFlagsInit } from '../flags.js';
import { type IpOptions, buildIpPacket } from '../ip/packet.js';
import { type TcpOption, effectiveWindowShift } from '../options.js';
import { checkInt, checkU16, checkU32 } from '../range.js';
import { type TcpSegment, decodeSegment } from '../segment.js';
import { segmentLength, seqAdd, seqGt, seqLe } from '../seq.js';
import { randomIsn } from './isn.js';
import { linuxOptions, offered } from './profiles.js';
import {
  DEFAULT_MSS_V4,
  DEFAULT_MSS_V6,
  DEFAULT_TSVAL,
  DEFAULT_WINDOW_SCALE,
  type HandshakeProfile,
  type HandshakeSegment,
  PLAIN_WINDOW,
  linuxInitialWindow,
} from './spec.js';
import type { TcpState } from './states.js';

/** Where a segment arrives and how the receiving endpoint answers. */
export interface RespondContext {
  /** IP source of the arriving segment (the peer). */
  src: AddressInput;
  /** IP destination of the arriving segment (this endpoint). The answer goes `dst` → `src`. */
  dst: AddressInput;
  /**
   * This endpoint's state when the segment arrives. Left out: LISTEN for a SYN
   * without ACK, SYN-SENT for a SYN with ACK, CLOSED (no one listening) for anything else.
   */
  state?: 'CLOSED' | 'LISTEN' | 'SYN-SENT';
  /**
   * LISTEN: the ISN of the SYN-ACK (default random). SYN-SENT: the ISN of the SYN this
   * endpoint sent (default `syn.seq`, else SEG.ACK − 1, taken on trust).
   */
  isn?: number;
  /** SYN-SENT: the SYN this endpoint sent; its options say what it offered. */
  syn?: TcpSegment;
  /** `plain` (default): no options; `linux`: Linux's option layouts and negotiation. */
  profile?: HandshakeProfile;
  /** The answer's window field. */
  window?: number;
  /** MSS to offer in a SYN-ACK (profile `linux`). */
  mss?: number;
  /** Window scale shift to offer in a SYN-ACK, when the SYN offered one (profile `linux`). */
  windowScale?: number;
  /** The answer's TSval, when timestamps are in use (profile `linux`); in SYN-SENT default the SYN's. */
  tsval?: number;
  /** The answer's options, replacing the profile's. */
  options?: readonly TcpOption[];
  /**
   * Accept ECN (RFC 3168 §6.1.1): a SYN-ACK answering an ECN-setup SYN (ECE+CWR) carries ECE.
   * Default: true for profile `linux` (Linux's tcp_ecn=2 default), false for `plain`.
   */
  ecn?: boolean;
  /** Also build the whole IP packet. */
  packets?: boolean;
  /** IP-layer settings for the packet. */
  ip?: IpOptions;
}

/** An answer: the segment, and the state the answering endpoint is in after sending it. */
export interface RespondResult extends HandshakeSegment {
  state: TcpState;
}

/** Builds one segment from `src` to `dst`: bytes with checksum, decoded form, packet on request. */
export function buildSegment(
  init: Parameters<typeof encodeSegment>[0],
  src: AddressInput,
  dst: AddressInput,
  packets: boolean | undefined,
  ip: IpOptions | undefined,
): HandshakeSegment {
  const s = parseAddress(src);
  const d = parseAddress(dst);
  if (s.length !== d.length) {
    throw new TcpWireError('BAD_ADDRESS', `${formatAddress(s)} and ${formatAddress(d)} are of different IP families: a connection has one`);
  }
  const bytes = encodeSegment(init, { src: s, dst: d });
  const out: HandshakeSegment = { segment: decodeSegment(bytes), bytes, src: formatAddress(s), dst: formatAddress(d) };
  if (packets === true) out.packet = buildIpPacket(bytes, s, d, ip ?? {});
  return out;
}

function rst(seg: TcpSegment, ctx: RespondContext, state: TcpState): RespondResult {
  // RFC 9293 §3.10.7.1: if the ACK bit is on, <SEQ=SEG.ACK><CTL=RST>;
  // otherwise <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
  const flags: TcpFlagsInit = seg.flags.ack ? { rst: true } : { rst: true, ack: true };
  const init = {
    srcPort: seg.dstPort,
    dstPort: seg.srcPort,
    seq: seg.flags.ack ? seg.ack : 0,
    ack: seg.flags.ack ? 0 : seqAdd(seg.seq, segmentLength(seg)),
    flags,
    window: 0,
  };
  return { ...buildSegment(init, ctx.dst, ctx.src, ctx.packets, ctx.ip), state };
}

function profileOf(ctx: RespondContext): HandshakeProfile {
  const p = ctx.profile ?? 'plain';
  if (p !== 'plain' && p !== 'linux') throw new TcpWireError('BAD_INPUT', `profile "${String(p)}" is not one of plain, linux`);
  return p;
}

function defaultMss(address: AddressInput): number {
  return parseAddress(address).length === 4 ? DEFAULT_MSS_V4 : DEFAULT_MSS_V6;
}

/** The SYN-ACK a listener sends for `syn` (LISTEN, or SYN-SENT in a simultaneous open). */
function synAck(syn: TcpSegment, ctx: RespondContext, iss: number, state: TcpState): RespondResult {
  const profile = profileOf(ctx);
  const peer = offered(syn.options);
  let options: readonly TcpOption[] = [];
  let window = ctx.window ?? PLAIN_WINDOW;
  if (profile === 'linux') {
    const mss = checkU16(ctx.mss ?? defaultMss(ctx.dst), 'mss');
    const ts = peer.tsval !== undefined ? { tsval: checkU32(ctx.tsval ?? DEFAULT_TSVAL, 'tsval'), tsecr: peer.tsval } : undefined;
    options = linuxOptions({
      mss,
      sackPermitted: peer.sackPermitted,
      ...(ts !== undefined ? { timestamps: ts } : {}),
      ...(peer.windowScale !== undefined ? { windowScale: checkInt(ctx.windowScale ?? DEFAULT_WINDOW_SCALE, 0, 255, 'windowScale') } : {}),
    });
    window = ctx.window ?? linuxInitialWindow(Math.min(mss, peer.mss ?? mss), ts !== undefined);
  }
  if (ctx.options !== undefined) options = ctx.options;
  // RFC 3168 §6.1.1: ECE in the SYN-ACK only when the SYN was ECN-setup (ECE and CWR).
  const accept = ctx.ecn ?? profile === 'linux';
  const ece = accept && syn.flags.ece && syn.flags.cwr;
  const init = {
    srcPort: syn.dstPort,
    dstPort: syn.srcPort,
    seq: iss,
    ack: seqAdd(syn.seq, segmentLength(syn)),
    flags: { syn: true, ack: true, ece },
    window,
    options,
  };
  return { ...buildSegment(init, ctx.dst, ctx.src, ctx.packets, ctx.ip), state };
}

/** The ACK that completes an active open, answering an acceptable SYN-ACK. */
function finalAck(synAckSeg: TcpSegment, ctx: RespondContext, sndNxt: number): RespondResult {
  const profile = profileOf(ctx);
  const ours = ctx.syn !== undefined ? offered(ctx.syn.options) : undefined;
  const theirs = offered(synAckSeg.options);
  let options: readonly TcpOption[] = [];
  // Without our SYN at hand, trust the SYN-ACK: it may only carry what the SYN offered.
  const timestamps = theirs.tsval !== undefined && (ours === undefined || ours.tsval !== undefined);
  const scaling = theirs.windowScale !== undefined && (ours === undefined || ours.windowScale !== undefined);
  if (profile === 'linux' && timestamps) {
    const tsval = checkU32(ctx.tsval ?? ours?.tsval ?? DEFAULT_TSVAL, 'tsval');
    options = linuxOptions({ timestamps: { tsval, tsecr: theirs.tsval as number } });
  }
  if (ctx.options !== undefined) options = ctx.options;
  let window = ctx.window;
  if (window === undefined) {
    // The SYN's window in bytes, written as the scaled field once scaling is in effect (RFC 7323 §2.2).
    const base = ctx.syn?.window ?? PLAIN_WINDOW;
    const shift = scaling && ours?.windowScale !== undefined ? effectiveWindowShift(ours.windowScale) : 0;
    window = Math.floor(base / 2 ** shift);
  }
  const init = {
    srcPort: synAckSeg.dstPort,
    dstPort: synAckSeg.srcPort,
    seq: sndNxt,
    ack: seqAdd(synAckSeg.seq, segmentLength(synAckSeg)),
    flags: { ack: true },
    window,
    options,
  };
  return { ...buildSegment(init, ctx.dst, ctx.src, ctx.packets, ctx.ip), state: 'ESTABLISHED' };
}

/**
 * What an endpoint sends when `segment` arrives (RFC 9293 §3.10.7), or `null` when
 * the rules say to drop it silently.
 *
 * - CLOSED (§3.10.7.1): a RST. If the segment has ACK, `<SEQ=SEG.ACK><CTL=RST>`;
 *   otherwise `<SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>`. An arriving RST is dropped.
 * - LISTEN (§3.10.7.2): a SYN gets the SYN-ACK `<SEQ=ISS><ACK=SEG.SEQ+1><CTL=SYN,ACK>`;
 *   an ACK gets `<SEQ=SEG.ACK><CTL=RST>`; anything else is dropped.
 * - SYN-SENT (§3.10.7.3): an ACK outside ISS < SEG.ACK =< SND.NXT gets
 *   `<SEQ=SEG.ACK><CTL=RST>`; an acceptable SYN-ACK gets the ACK
 *   `<SEQ=SND.NXT><ACK=RCV.NXT>`; a SYN without ACK (simultaneous open) gets a SYN-ACK.
 *
 * With profile `linux`, options follow Linux's layouts and negotiation: the SYN-ACK
 * offers MSS always, and SACK-permitted, timestamps (echoing the SYN's TSval) and
 * window scale only when the SYN did; the ACK carries timestamps when both SYNs did.
 *
 * @param segment the arriving segment, decoded or as TCP bytes.
 * @throws {TcpWireError} for bad addresses or values out of range.
 */
export function respondTo(segment: TcpSegment | Uint8Array, ctx: RespondContext): RespondResult | null {
  const seg = segment instanceof Uint8Array ? decodeSegment(segment) : segment;
  if (typeof ctx !== 'object' || ctx === null) throw new TcpWireError('BAD_INPUT', 'respondTo needs a context with src and dst addresses');
  const f = seg.flags;
  const state = ctx.state ?? (f.syn && !f.ack ? 'LISTEN' : f.syn && f.ack ? 'SYN-SENT' : 'CLOSED');
  switch (state) {
    case 'CLOSED':
      return f.rst ? null : rst(seg, ctx, 'CLOSED');
    case 'LISTEN':
      if (f.rst) return null;
      if (f.ack) return rst(seg, ctx, 'LISTEN');
      if (!f.syn) return null;
      return synAck(seg, ctx, checkU32(ctx.isn ?? randomIsn(), 'isn'), 'SYN-RECEIVED');
    case 'SYN-SENT': {
      if (f.ack) {
        const iss = checkU32(ctx.isn ?? ctx.syn?.seq ?? seqAdd(seg.ack, -1), 'isn');
        const sndNxt = seqAdd(iss, ctx.syn !== undefined ? segmentLength(ctx.syn) : 1);
        if (!(seqGt(seg.ack, iss) && seqLe(seg.ack, sndNxt))) return f.rst ? null : rst(seg, ctx, 'SYN-SENT');
        if (f.rst || !f.syn) return null;
        return finalAck(seg, ctx, sndNxt);
      }
      if (f.rst || !f.syn) return null;
      return synAck(seg, ctx, checkU32(ctx.isn ?? ctx.syn?.seq ?? randomIsn(), 'isn'), 'SYN-RECEIVED');
    }
    default:
      throw new TcpWireError('BAD_INPUT', `respondTo answers in CLOSED, LISTEN or SYN-SENT, not "${String(state)}"`);
  }
}
