/**
 * The handshake checker: are these three segments a correct three-way handshake?
 * Each rule cites where it comes from, and each finding says what is wrong in
 * the textbook's words with the real numbers in it.
 */

import { type AddressInput, formatAddress, parseAddress } from '../address.js';
import { formatFlags } from '../flags.js';
import { verifyTcpChecksum } from '../pseudo-header.js';
import type { TcpSegment } from '../segment.js';
import { segmentLength, seqAdd } from '../seq.js';
import { type OfferedOptions, offered } from './profiles.js';
import type { Handshake } from './spec.js';
import { type StatePair, replay } from './states.js';

/** Every finding the checker reports. */
export type HandshakeFindingCode =
  /** Not exactly three segments. */
  | 'SEGMENT_COUNT'
  /** The first segment is not a SYN without ACK. */
  | 'SYN_FLAGS'
  /** The SYN's acknowledgment number is not 0 although its ACK bit is off. */
  | 'SYN_ACK_NUMBER'
  /** The second segment is not a SYN with ACK. */
  | 'SYN_ACK_FLAGS'
  /** The SYN-ACK does not acknowledge x+1. */
  | 'SYN_ACK_ACK'
  /** The third segment is not an ACK without SYN. */
  | 'ACK_FLAGS'
  /** The ACK's sequence number is not x+1. */
  | 'ACK_SEQ'
  /** The ACK does not acknowledge y+1. */
  | 'ACK_ACK'
  /** Ports do not mirror the SYN's. */
  | 'PORTS_MIRROR'
  /** IP addresses do not mirror the SYN's. */
  | 'ADDRESSES_MIRROR'
  /** A checksum is wrong for its pseudo-header. */
  | 'BAD_CHECKSUM'
  /** RST inside the handshake. */
  | 'RST_IN_HANDSHAKE'
  /** FIN inside the handshake. */
  | 'FIN_IN_HANDSHAKE'
  /** A TSecr does not echo the TSval it answers. */
  | 'TSECR_ECHO'
  /** Timestamps sent although not offered by the SYN (or not negotiated by both SYNs). */
  | 'TIMESTAMPS_NOT_NEGOTIATED'
  /** Timestamps negotiated, but the ACK carries none. */
  | 'TIMESTAMPS_MISSING'
  /** The SYN-ACK carries window scale although the SYN did not. */
  | 'WSCALE_NOT_OFFERED'
  /** Only one SYN carries window scale: scaling is not in effect. */
  | 'WSCALE_ONE_SIDED'
  /** Window scale on a segment without SYN (ignored). */
  | 'WSCALE_OUTSIDE_SYN'
  /** Only one SYN carries SACK-permitted: SACK is not in effect. */
  | 'SACK_ONE_SIDED'
  /** SACK-permitted on a segment without SYN. */
  | 'SACK_PERMITTED_OUTSIDE_SYN'
  /** MSS on a segment without SYN. */
  | 'MSS_OUTSIDE_SYN'
  /** The SYN-ACK sets ECE although the SYN was not an ECN-setup SYN. */
  | 'ECN_NOT_OFFERED'
  /** The SYN-ACK sets CWR as well as ECE (then it is not an ECN-setup SYN-ACK). */
  | 'ECN_SYN_ACK_CWR';

/**
 * How bad a finding is. `error`: the rules are broken, the connection does not
 * open as drawn. `warning`: legal but suspect, or a rule a receiver ignores.
 * `note`: how the handshake turned out (an option not in effect).
 */
export type FindingSeverity = 'error' | 'warning' | 'note';

/** One finding: what, at which segment (0 = SYN, 1 = SYN-ACK, 2 = ACK), and why. */
export interface HandshakeFinding {
  code: HandshakeFindingCode;
  index: number;
  message: string;
  severity: FindingSeverity;
}

/** What both SYNs agreed on. */
export interface Negotiated {
  /** MSS each side announced, if it did. */
  mss: { client?: number; server?: number };
  /** Raw window-scale shifts, when both SYNs carry the option; otherwise null (no scaling either way). */
  windowScale: { client: number; server: number } | null;
  /** Both SYNs carry SACK-permitted. */
  sackPermitted: boolean;
  /** Both SYNs carry timestamps. */
  timestamps: boolean;
  /** ECN-setup SYN answered by an ECN-setup SYN-ACK. */
  ecn: boolean;
}

/** The checker's verdict. */
export interface HandshakeCheck {
  /** True when no finding is an error. */
  ok: boolean;
  findings: HandshakeFinding[];
  /** Both sides' states before the first segment and after each (the endpoint model's replay). */
  states: StatePair[];
  /** What was negotiated, as far as there are two SYNs to tell. */
  negotiated: Negotiated;
}

/** A segment to check, with what is known of its IP packet. */
export interface CheckSegmentInput {
  segment: TcpSegment;
  /** IP source and destination, when known: addresses must mirror, and with `bytes` the checksum is verified. */
  src?: AddressInput;
  dst?: AddressInput;
  /** The TCP bytes as sent. */
  bytes?: Uint8Array;
}

/** A decoded segment, or one with its addresses and bytes. */
export type CheckInput = TcpSegment | CheckSegmentInput;

const NAMES = ['SYN', 'SYN-ACK', 'ACK'];

function normalize(input: CheckInput): CheckSegmentInput {
  return 'segment' in input ? input : { segment: input };
}

function plus(base: string, value: number, n: number): string {
  const sum = seqAdd(value, n);
  const wrapped = value + n >= 0x1_0000_0000 ? ' (mod 2^32)' : '';
  return `${base}+${n} = ${sum}${wrapped}`;
}

function sameAddress(a: AddressInput, b: AddressInput): boolean {
  const x = parseAddress(a);
  const y = parseAddress(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function text(a: AddressInput): string {
  return formatAddress(parseAddress(a));
}

/**
 * Checks a three-way handshake (RFC 9293 §3.5). Rules:
 * - the first segment is a SYN without ACK (SYN_FLAGS), ack field 0 (SYN_ACK_NUMBER, warning);
 * - the second is SYN+ACK (SYN_ACK_FLAGS) acknowledging x+1 mod 2^32 (SYN_ACK_ACK);
 * - the third is ACK without SYN (ACK_FLAGS) with seq x+1 (ACK_SEQ) and ack y+1 (ACK_ACK);
 * - ports (PORTS_MIRROR) and, when given, addresses (ADDRESSES_MIRROR) mirror the SYN's;
 * - with bytes and addresses, every checksum verifies (BAD_CHECKSUM, warning: capture offload);
 * - no RST (RST_IN_HANDSHAKE) or FIN (FIN_IN_HANDSHAKE);
 * - timestamps (RFC 7323 §3.2, §4.3): the SYN-ACK's TSecr is the SYN's TSval and the ACK's
 *   the SYN-ACK's (TSECR_ECHO); no timestamps unless the SYN offered them / both SYNs did
 *   (TIMESTAMPS_NOT_NEGOTIATED); once both did, the ACK carries them (TIMESTAMPS_MISSING);
 * - window scale (RFC 7323 §2.2) and SACK (RFC 2018 §2) are in effect only when both SYNs carry
 *   them (WSCALE_ONE_SIDED, SACK_ONE_SIDED, notes); a SYN-ACK must not offer window scale the
 *   SYN did not (WSCALE_NOT_OFFERED); SYN-only options on the ACK are flagged
 *   (WSCALE_OUTSIDE_SYN, SACK_PERMITTED_OUTSIDE_SYN, MSS_OUTSIDE_SYN);
 * - ECN (RFC 3168 §6.1.1): a SYN-ACK sets ECE only for an ECN-setup SYN (ECN_NOT_OFFERED), and
 *   not CWR with it (ECN_SYN_ACK_CWR).
 *
 * `ok` is true when no finding is an error.
 */
export function checkHandshake(segments: readonly CheckInput[] | Handshake): HandshakeCheck {
  const list: CheckSegmentInput[] = Array.isArray(segments)
    ? (segments as readonly CheckInput[]).map(normalize)
    : [(segments as Handshake).syn, (segments as Handshake).synAck, (segments as Handshake).ack];
  const findings: HandshakeFinding[] = [];
  const add = (code: HandshakeFindingCode, index: number, severity: FindingSeverity, message: string): void => {
    findings.push({ code, index, message, severity });
  };

  if (list.length !== 3) {
    add(
      'SEGMENT_COUNT',
      Math.min(list.length, 3),
      'error',
      list.length < 3
        ? `a three-way handshake has three segments (SYN, SYN-ACK, ACK), but only ${list.length} ${list.length === 1 ? 'was' : 'were'} given: the ${NAMES[list.length]} is missing`
        : `a three-way handshake has three segments (SYN, SYN-ACK, ACK), but ${list.length} were given: only the first three are checked`,
    );
  }
  const [syn, synAck, ack] = list as [CheckSegmentInput | undefined, CheckSegmentInput | undefined, CheckSegmentInput | undefined];

  list.slice(0, 3).forEach((s, i) => {
    const f = s.segment.flags;
    const name = NAMES[i] as string;
    if (f.rst) add('RST_IN_HANDSHAKE', i, 'error', `the ${name} (segment ${i + 1}) has RST set: a reset aborts the connection, it has no place in a handshake`);
    if (f.fin) add('FIN_IN_HANDSHAKE', i, 'error', `the ${name} (segment ${i + 1}) has FIN set: a connection closes only after it is open`);
    if (s.bytes !== undefined && s.src !== undefined && s.dst !== undefined && !verifyTcpChecksum(s.bytes, s.src, s.dst)) {
      add(
        'BAD_CHECKSUM',
        i,
        'warning',
        `the ${name}'s checksum 0x${s.segment.checksum.toString(16).padStart(4, '0')} is wrong for ${text(s.src)} → ${text(s.dst)} (a receiver drops it; a capture on the sending host may show this under checksum offload)`,
      );
    }
  });

  if (syn !== undefined) {
    const f = syn.segment.flags;
    if (!f.syn || f.ack) {
      add(
        'SYN_FLAGS',
        0,
        'error',
        `the first segment must be a SYN without ACK (SYN=1, ACK=0), but it has ${formatFlags(f) || 'no flags'}`,
      );
    }
    if (!f.ack && syn.segment.ack !== 0) {
      add(
        'SYN_ACK_NUMBER',
        0,
        'warning',
        `the SYN has ACK=0 yet its acknowledgment number is ${syn.segment.ack}: the field means nothing without ACK and stacks send 0 (a leftover value leaks state)`,
      );
    }
  }

  const x = syn?.segment.seq;
  const synLen = syn !== undefined ? segmentLength(syn.segment) : 1;
  if (synAck !== undefined && syn !== undefined && x !== undefined) {
    const s = synAck.segment;
    if (!s.flags.syn || !s.flags.ack) {
      add('SYN_ACK_FLAGS', 1, 'error', `the second segment must be a SYN-ACK (SYN=1, ACK=1), but it has ${formatFlags(s.flags) || 'no flags'}`);
    }
    const want = seqAdd(x, synLen);
    if (s.flags.ack && s.ack !== want) {
      add(
        'SYN_ACK_ACK',
        1,
        'error',
        `SYN-ACK acknowledges ${s.ack}, but the SYN had seq x = ${x}, so it must acknowledge ${plus('x', x, synLen)}`,
      );
    }
    mirror(syn, synAck, 1, true, add);
  }

  if (ack !== undefined && syn !== undefined && x !== undefined) {
    const a = ack.segment;
    if (!a.flags.ack || a.flags.syn) {
      add('ACK_FLAGS', 2, 'error', `the third segment must be an ACK without SYN (SYN=0, ACK=1), but it has ${formatFlags(a.flags) || 'no flags'}`);
    }
    const wantSeq = seqAdd(x, synLen);
    if (a.seq !== wantSeq) {
      add(
        'ACK_SEQ',
        2,
        'error',
        `ACK has seq ${a.seq}, but the SYN had seq x = ${x} and took ${synLen} sequence number${synLen === 1 ? '' : 's'}, so the ACK's seq must be ${plus('x', x, synLen)}`,
      );
    }
    if (synAck !== undefined && a.flags.ack) {
      const y = synAck.segment.seq;
      const len = segmentLength(synAck.segment);
      const want = seqAdd(y, len);
      if (a.ack !== want) {
        add('ACK_ACK', 2, 'error', `ACK acknowledges ${a.ack}, but the SYN-ACK had seq y = ${y}, so it must acknowledge ${plus('y', y, len)}`);
      }
    }
    mirror(syn, ack, 2, false, add);
  }

  const negotiated = negotiate(syn?.segment, synAck?.segment);
  if (syn !== undefined && synAck !== undefined) optionRules(syn.segment, synAck.segment, ack?.segment, negotiated, add);

  const steps = list.slice(0, 3).map((s, i) => ({ segment: s.segment, fromClient: i !== 1 }));
  const { states } = replay(steps);
  return { ok: !findings.some((f) => f.severity === 'error'), findings, states, negotiated };
}

type Add = (code: HandshakeFindingCode, index: number, severity: FindingSeverity, message: string) => void;

function mirror(syn: CheckSegmentInput, other: CheckSegmentInput, index: number, reverse: boolean, add: Add): void {
  const name = NAMES[index] as string;
  const s = syn.segment;
  const o = other.segment;
  const wantSrc = reverse ? s.dstPort : s.srcPort;
  const wantDst = reverse ? s.srcPort : s.dstPort;
  if (o.srcPort !== wantSrc || o.dstPort !== wantDst) {
    add(
      'PORTS_MIRROR',
      index,
      'error',
      `the ${name} goes from port ${o.srcPort} to ${o.dstPort}, but the SYN went ${s.srcPort} → ${s.dstPort}, so it must go ${wantSrc} → ${wantDst}`,
    );
  }
  if (syn.src !== undefined && syn.dst !== undefined && other.src !== undefined && other.dst !== undefined) {
    const wantA = reverse ? syn.dst : syn.src;
    const wantB = reverse ? syn.src : syn.dst;
    if (!sameAddress(other.src, wantA) || !sameAddress(other.dst, wantB)) {
      add(
        'ADDRESSES_MIRROR',
        index,
        'error',
        `the ${name} goes from ${text(other.src)} to ${text(other.dst)}, but the SYN went ${text(syn.src)} → ${text(syn.dst)}, so it must go ${text(wantA)} → ${text(wantB)}`,
      );
    }
  }
}

function negotiate(syn: TcpSegment | undefined, synAck: TcpSegment | undefined): Negotiated {
  const c: OfferedOptions = offered(syn?.options ?? []);
  const s: OfferedOptions = offered(synAck?.options ?? []);
  const mss: Negotiated['mss'] = {};
  if (c.mss !== undefined) mss.client = c.mss;
  if (s.mss !== undefined) mss.server = s.mss;
  return {
    mss,
    windowScale: c.windowScale !== undefined && s.windowScale !== undefined ? { client: c.windowScale, server: s.windowScale } : null,
    sackPermitted: c.sackPermitted && s.sackPermitted,
    timestamps: c.tsval !== undefined && s.tsval !== undefined,
    ecn: syn !== undefined && synAck !== undefined && syn.flags.ece && syn.flags.cwr && synAck.flags.ece && !synAck.flags.cwr,
  };
}

function optionRules(syn: TcpSegment, synAck: TcpSegment, ack: TcpSegment | undefined, n: Negotiated, add: Add): void {
  const c = offered(syn.options);
  const s = offered(synAck.options);
  // Timestamps, RFC 7323 §3.2 and §4.3.
  if (s.tsval !== undefined && c.tsval === undefined) {
    add('TIMESTAMPS_NOT_NEGOTIATED', 1, 'error', 'the SYN-ACK carries timestamps, but the SYN did not offer them: a SYN-ACK may carry them only in answer to a SYN that did (RFC 7323 §3.2)');
  }
  if (n.timestamps && s.tsecr !== c.tsval) {
    add('TSECR_ECHO', 1, 'error', `SYN-ACK echoes TSecr = ${s.tsecr}, but the SYN had TSval = ${c.tsval}, so it must echo ${c.tsval} (RFC 7323 §4.3)`);
  }
  if (ack !== undefined) {
    const a = offered(ack.options);
    if (n.timestamps && a.tsval === undefined) {
      add('TIMESTAMPS_MISSING', 2, 'error', 'both SYNs carry timestamps, so every later segment must carry them too, but the ACK has none (RFC 7323 §3.2)');
    }
    if (!n.timestamps && a.tsval !== undefined) {
      add('TIMESTAMPS_NOT_NEGOTIATED', 2, 'error', 'the ACK carries timestamps, but they were not negotiated: only when both SYNs carry them may later segments (RFC 7323 §3.2)');
    }
    if (n.timestamps && a.tsval !== undefined && a.tsecr !== s.tsval) {
      add('TSECR_ECHO', 2, 'error', `ACK echoes TSecr = ${a.tsecr}, but the SYN-ACK had TSval = ${s.tsval}, so it must echo ${s.tsval} (RFC 7323 §4.3)`);
    }
    if (a.windowScale !== undefined) {
      add('WSCALE_OUTSIDE_SYN', 2, 'warning', `the ACK carries window scale (shift ${a.windowScale}), but the option belongs in SYNs only and is ignored anywhere else (RFC 7323 §2.2)`);
    }
    if (a.sackPermitted) {
      add('SACK_PERMITTED_OUTSIDE_SYN', 2, 'warning', 'the ACK carries SACK-permitted, which must not be sent on a segment without SYN (RFC 2018 §2)');
    }
    if (a.mss !== undefined) {
      add('MSS_OUTSIDE_SYN', 2, 'warning', `the ACK carries MSS ${a.mss}, which may be sent only with SYN (RFC 9293 §3.7.1)`);
    }
  }
  // Window scale, RFC 7323 §2.2.
  if (s.windowScale !== undefined && c.windowScale === undefined) {
    add('WSCALE_NOT_OFFERED', 1, 'error', `the SYN-ACK carries window scale (shift ${s.windowScale}), but the SYN did not: a SYN-ACK must not, and scaling is not in effect either way (RFC 7323 §2.2)`);
  } else if (c.windowScale !== undefined && s.windowScale === undefined) {
    add('WSCALE_ONE_SIDED', 1, 'note', `the SYN offers window scale (shift ${c.windowScale}) but the SYN-ACK does not: scaling is in effect only when both SYNs carry it, so windows count plain bytes both ways (RFC 7323 §2.2)`);
  }
  // SACK, RFC 2018 §2.
  if (c.sackPermitted !== s.sackPermitted) {
    const who = c.sackPermitted ? 'the SYN offers SACK-permitted but the SYN-ACK does not' : 'the SYN-ACK offers SACK-permitted but the SYN did not';
    add('SACK_ONE_SIDED', 1, 'note', `${who}: SACK is in effect only when both SYNs carry it, so no SACK blocks may be sent (RFC 2018 §2)`);
  }
  // ECN, RFC 3168 §6.1.1.
  if (synAck.flags.ece && !(syn.flags.ece && syn.flags.cwr)) {
    add('ECN_NOT_OFFERED', 1, 'error', 'the SYN-ACK sets ECE, but the SYN was not an ECN-setup SYN (ECE and CWR): a SYN-ACK may set ECE only in answer to one (RFC 3168 §6.1.1)');
  }
  if (synAck.flags.ece && synAck.flags.cwr) {
    add('ECN_SYN_ACK_CWR', 1, 'warning', 'the SYN-ACK sets both ECE and CWR: an ECN-setup SYN-ACK has ECE and not CWR, so this one does not set ECN up (RFC 3168 §6.1.1)');
  }
}
