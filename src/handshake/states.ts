/**
 * A small model of one TCP endpoint during connection set-up (RFC 9293 §3.3.2
 * and the event processing of §3.10.7): the five states a handshake passes through,
 * and what sending or receiving a segment does to them. The generator reports
 * these states; the checker replays captured segments through them, so a wrong
 * acknowledgment number shows up as a client that never gets to ESTABLISHED.
 */

import type { TcpFlags } from '../flags.js';
import { seqAdd, seqGt, seqLe } from '../seq.js';

/** The connection states a handshake visits. */
export type TcpState = 'CLOSED' | 'LISTEN' | 'SYN-SENT' | 'SYN-RECEIVED' | 'ESTABLISHED';

/** What the model needs of a segment. */
export interface SegmentLike {
  seq: number;
  ack: number;
  flags: TcpFlags;
  payload: { length: number };
}

/** One endpoint: its state and the sequence variables set-up fills in. */
export interface Endpoint {
  state: TcpState;
  /** Initial send sequence number (ISS), once this side has sent its SYN. */
  iss?: number;
  /** Initial receive sequence number (IRS), once this side has seen the peer's SYN. */
  irs?: number;
  /** Oldest unacknowledged sequence number (SND.UNA). */
  sndUna?: number;
  /** Next sequence number to send (SND.NXT). */
  sndNxt?: number;
  /** Next sequence number expected (RCV.NXT). */
  rcvNxt?: number;
  /** True for a server: it came from LISTEN and a reset sends it back there. */
  passive?: boolean;
  /** Set when the last event broke the rules: what the endpoint does about it, in words. */
  note?: string;
}

function copy(ep: Endpoint): Endpoint {
  const { note: _dropped, ...rest } = ep;
  return rest;
}

/** A client before its active open. */
export function closedEndpoint(): Endpoint {
  return { state: 'CLOSED' };
}

/** A server after its passive open. */
export function listeningEndpoint(): Endpoint {
  return { state: 'LISTEN', passive: true };
}

function seqLen(seg: SegmentLike): number {
  return seg.payload.length + (seg.flags.syn ? 1 : 0) + (seg.flags.fin ? 1 : 0);
}

/**
 * The endpoint after it sends `seg`. A SYN from CLOSED is the active open
 * (→ SYN-SENT); a SYN-ACK from LISTEN, answering a SYN, leaves it in SYN-RECEIVED;
 * the ACK of a SYN-ACK from SYN-SENT completes the open (→ ESTABLISHED). A RST
 * sent from a synchronized-to-be state aborts (→ CLOSED, or LISTEN for a server).
 */
export function afterSend(ep: Endpoint, seg: SegmentLike): Endpoint {
  const f = seg.flags;
  const next = copy(ep);
  if (f.rst) {
    next.state = ep.passive === true && ep.state !== 'ESTABLISHED' ? 'LISTEN' : 'CLOSED';
    return next;
  }
  if (f.syn) {
    next.iss = seg.seq;
    next.sndUna = seg.seq;
    next.sndNxt = seqAdd(seg.seq, seqLen(seg));
    if (ep.state === 'CLOSED') next.state = 'SYN-SENT';
    return next;
  }
  if (next.sndNxt !== undefined) next.sndNxt = seqAdd(seg.seq, seqLen(seg));
  return next;
}

/**
 * The endpoint after it receives `seg` (RFC 9293 §3.10.7.2 LISTEN, §3.10.7.3 SYN-SENT,
 * §3.10.7.4 for SYN-RECEIVED). A segment the rules reject leaves the state as it
 * was, with `note` saying why and what the endpoint sends back.
 */
export function afterReceive(ep: Endpoint, seg: SegmentLike): Endpoint {
  const f = seg.flags;
  const next = copy(ep);
  switch (ep.state) {
    case 'CLOSED':
      next.note = f.rst ? 'a RST to a closed port is dropped' : 'a closed port answers with RST';
      return next;
    case 'LISTEN':
      if (f.rst) return { ...next, note: 'a RST in LISTEN is ignored' };
      if (f.ack) return { ...next, note: 'an ACK in LISTEN is answered with RST (seq = SEG.ACK)' };
      if (!f.syn) return { ...next, note: 'a segment without SYN in LISTEN is dropped' };
      next.irs = seg.seq;
      next.rcvNxt = seqAdd(seg.seq, seqLen(seg));
      next.state = 'SYN-RECEIVED';
      return next;
    case 'SYN-SENT': {
      if (f.ack) {
        const iss = ep.iss ?? seqAdd(seg.ack, -1);
        const sndNxt = ep.sndNxt ?? seqAdd(iss, 1);
        // Acceptable: ISS < SEG.ACK =< SND.NXT.
        if (!(seqGt(seg.ack, iss) && seqLe(seg.ack, sndNxt))) {
          return { ...next, note: f.rst ? 'a RST with an unacceptable ACK is dropped' : 'an unacceptable ACK is answered with RST (seq = SEG.ACK)' };
        }
      }
      if (f.rst) {
        if (f.ack) return { ...next, state: 'CLOSED', note: 'connection reset by the peer' };
        return { ...next, note: 'a RST without ACK in SYN-SENT is dropped' };
      }
      if (!f.syn) return { ...next, note: 'a segment without SYN or RST in SYN-SENT is dropped' };
      next.irs = seg.seq;
      next.rcvNxt = seqAdd(seg.seq, seqLen(seg));
      if (f.ack) {
        next.sndUna = seg.ack;
        next.state = 'ESTABLISHED';
      } else {
        // Simultaneous open: both sides sent a SYN.
        next.state = 'SYN-RECEIVED';
      }
      return next;
    }
    case 'SYN-RECEIVED': {
      if (f.rst) {
        return ep.passive === true
          ? { ...next, state: 'LISTEN', note: 'connection reset: back to LISTEN' }
          : { ...next, state: 'CLOSED', note: 'connection refused' };
      }
      if (f.syn) return { ...next, note: 'a SYN in SYN-RECEIVED is answered with a challenge ACK (RFC 5961 §4)' };
      if (!f.ack) return { ...next, note: 'a segment without ACK is dropped' };
      const iss = ep.iss;
      const sndNxt = ep.sndNxt;
      // Acceptable: SND.UNA < SEG.ACK =< SND.NXT (the SYN-ACK's SYN is what is outstanding).
      if (iss !== undefined && sndNxt !== undefined && !(seqGt(seg.ack, iss) && seqLe(seg.ack, sndNxt))) {
        return { ...next, note: 'an unacceptable ACK is answered with RST (seq = SEG.ACK)' };
      }
      if (ep.rcvNxt !== undefined && seg.seq !== ep.rcvNxt) {
        return { ...next, note: 'a segment outside the receive window is answered with an ACK and dropped' };
      }
      next.sndUna = seg.ack;
      next.state = 'ESTABLISHED';
      return next;
    }
    case 'ESTABLISHED':
      if (f.rst) return { ...next, state: 'CLOSED', note: 'connection reset by the peer' };
      return next;
  }
}

/** Both sides' states at one moment. */
export interface StatePair {
  client: TcpState;
  server: TcpState;
}

/** One step of a replay: a segment and who sent it. */
export interface ReplayStep {
  segment: SegmentLike;
  /** True if the client (the side that sent the first SYN) sent it. */
  fromClient: boolean;
}

/** Both sides' states before the first segment and after each, and the notes each segment caused. */
export interface Replay {
  /** `states[0]` before the first segment (CLOSED / LISTEN), `states[i + 1]` after segment i. */
  states: StatePair[];
  /** `notes[i]`: what the receiver of segment i made of it when the rules rejected it, or undefined. */
  notes: (string | undefined)[];
  client: Endpoint;
  server: Endpoint;
}

/**
 * Replays segments through a client that starts CLOSED and a server that starts
 * in LISTEN, each segment being sent by one side and received at once by the other.
 */
export function replay(steps: readonly ReplayStep[]): Replay {
  let client = closedEndpoint();
  let server = listeningEndpoint();
  const states: StatePair[] = [{ client: client.state, server: server.state }];
  const notes: (string | undefined)[] = [];
  for (const { segment, fromClient } of steps) {
    if (fromClient) {
      client = afterSend(client, segment);
      server = afterReceive(server, segment);
      notes.push(server.note);
    } else {
      server = afterSend(server, segment);
      client = afterReceive(client, segment);
      notes.push(client.note);
    }
    states.push({ client: client.state, server: server.state });
  }
  return { states, notes, client, server };
}
