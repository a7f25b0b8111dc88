/**
 * The three-way handshake generator (RFC 9293 §3.5):
 *
 *     client                                   server
 *     SYN      seq=x                      →
 *                                         ←    SYN-ACK  seq=y, ack=x+1
 *     ACK      seq=x+1, ack=y+1           →
 *
 * all arithmetic modulo 2^32. The SYN is built from the spec; the SYN-ACK and the
 * ACK are the responder's answers ({@link respondTo}), so the generator and the
 * responder cannot disagree.
 */

import { parseAddress } from '../address.js';
import { TcpWireError } from '../errors.js';
import { checkInt, checkU16, checkU32 } from '../range.js';
import { randomIsn } from './isn.js';
import { linuxOptions } from './profiles.js';
import { type RespondContext, buildSegment, respondTo } from './respond.js';
import {
  DEFAULT_MSS_V4,
  DEFAULT_MSS_V6,
  DEFAULT_TSVAL,
  DEFAULT_WINDOW_SCALE,
  type Handshake,
  type HandshakeEndpoint,
  type HandshakeProfile,
  type HandshakeSegment,
  type HandshakeSpec,
  PLAIN_WINDOW,
  linuxInitialWindow,
} from './spec.js';
import { replay } from './states.js';

function checkEndpoint(e: unknown, name: string): HandshakeEndpoint {
  if (typeof e !== 'object' || e === null) throw new TcpWireError('BAD_INPUT', `spec.${name} must be an object with an address and a port`);
  const ep = e as HandshakeEndpoint;
  if (ep.address === undefined) throw new TcpWireError('BAD_INPUT', `spec.${name}.address is missing`);
  checkU16(ep.port, `${name}.port`);
  if (ep.isn !== undefined) checkU32(ep.isn, `${name}.isn`);
  if (ep.window !== undefined) checkU16(ep.window, `${name}.window`);
  if (ep.mss !== undefined) checkU16(ep.mss, `${name}.mss`);
  if (ep.windowScale !== undefined) checkInt(ep.windowScale, 0, 255, `${name}.windowScale`);
  if (ep.tsval !== undefined) checkU32(ep.tsval, `${name}.tsval`);
  if (ep.options !== undefined && !Array.isArray(ep.options)) throw new TcpWireError('BAD_INPUT', `spec.${name}.options must be an array`);
  return ep;
}

/**
 * Builds the three segments of a three-way handshake, byte for byte.
 *
 * - SYN: client → server, `seq = x` (`client.isn`), `ack = 0`, window `client.window`.
 * - SYN-ACK: server → client, `seq = y` (`server.isn`), `ack = x+1`, window `server.window`.
 * - ACK: client → server, `seq = x+1`, `ack = y+1`, window `ack.window`.
 *
 * Profile `plain` (default): no options; windows default to 65535.
 * Profile `linux`: SYN `MSS, SACK-permitted, Timestamps(tsval, 0), NOP, Window scale`;
 * SYN-ACK the same with TSecr = the SYN's TSval (an option the SYN did not offer
 * is left out of the SYN-ACK, as Linux does); ACK `NOP, NOP, Timestamps(ack.tsval,
 * the SYN-ACK's TSval)`. Defaults: MSS 1460 (IPv4) or 1440 (IPv6), shift 7, TSval 1,
 * the SYN and SYN-ACK windows Linux picks for that MSS (64240 and 65160 for 1460),
 * and the ACK's TSval the SYN's.
 * An endpoint's (or the ACK's) `options` replaces the profile's list for its segment.
 * The ACK's window defaults to the SYN's, scaled by the client's shift when both
 * SYNs carry window scale (RFC 7323 §2.2: a SYN's window is never scaled, later ones are).
 *
 * With `ecn`, the SYN carries ECE+CWR and the SYN-ACK ECE (RFC 3168 §6.1.1).
 * A left-out ISN is random (`crypto.getRandomValues`); everything else is
 * deterministic: the same spec gives the same bytes.
 * With `packets: true`, each segment also comes as a whole IPv4/IPv6 `packet`.
 *
 * @throws {TcpWireError} `BAD_INPUT` for a malformed spec, `OUT_OF_RANGE` for a value
 *   outside its field, `BAD_ADDRESS` for bad or mixed-family addresses.
 */
export function threeWayHandshake(spec: HandshakeSpec): Handshake {
  if (typeof spec !== 'object' || spec === null) throw new TcpWireError('BAD_INPUT', 'a handshake spec must be an object with client and server');
  const c = checkEndpoint(spec.client, 'client');
  const s = checkEndpoint(spec.server, 'server');
  const a = spec.ack ?? {};
  if (a.window !== undefined) checkU16(a.window, 'ack.window');
  if (a.tsval !== undefined) checkU32(a.tsval, 'ack.tsval');
  const profile: HandshakeProfile = spec.profile ?? 'plain';
  if (profile !== 'plain' && profile !== 'linux') {
    throw new TcpWireError('BAD_INPUT', `profile "${String(profile)}" is not one of plain, linux`);
  }
  const ecn = spec.ecn ?? false;
  const cAddr = parseAddress(c.address);
  const sAddr = parseAddress(s.address);
  if (cAddr.length !== sAddr.length) {
    throw new TcpWireError('BAD_ADDRESS', 'client and server addresses are of different IP families: a connection has one');
  }
  const x = c.isn ?? randomIsn();
  const y = s.isn ?? randomIsn();

  let synOptions = c.options ?? [];
  let synWindow = c.window ?? PLAIN_WINDOW;
  if (profile === 'linux') {
    const mss = c.mss ?? (cAddr.length === 4 ? DEFAULT_MSS_V4 : DEFAULT_MSS_V6);
    synOptions =
      c.options ??
      linuxOptions({
        mss,
        sackPermitted: true,
        timestamps: { tsval: c.tsval ?? DEFAULT_TSVAL, tsecr: 0 },
        windowScale: c.windowScale ?? DEFAULT_WINDOW_SCALE,
      });
    synWindow = c.window ?? linuxInitialWindow(mss, false);
  }
  const syn: HandshakeSegment = buildSegment(
    {
      srcPort: c.port,
      dstPort: s.port,
      seq: x,
      ack: 0,
      flags: { syn: true, ece: ecn, cwr: ecn },
      window: synWindow,
      options: synOptions,
    },
    cAddr,
    sAddr,
    spec.packets,
    spec.ip,
  );

  const common: Pick<RespondContext, 'profile' | 'packets' | 'ip'> = { profile };
  if (spec.packets !== undefined) common.packets = spec.packets;
  if (spec.ip !== undefined) common.ip = spec.ip;
  const synAck = respondTo(syn.segment, {
    ...common,
    src: cAddr,
    dst: sAddr,
    state: 'LISTEN',
    isn: y,
    ecn,
    ...(s.window !== undefined ? { window: s.window } : {}),
    ...(s.mss !== undefined ? { mss: s.mss } : {}),
    ...(s.windowScale !== undefined ? { windowScale: s.windowScale } : {}),
    ...(s.tsval !== undefined ? { tsval: s.tsval } : {}),
    ...(s.options !== undefined ? { options: s.options } : {}),
  });
  if (synAck === null) throw new TcpWireError('BAD_INPUT', 'the server did not answer the SYN');
  const ack = respondTo(synAck.segment, {
    ...common,
    src: sAddr,
    dst: cAddr,
    state: 'SYN-SENT',
    syn: syn.segment,
    ...(a.window !== undefined ? { window: a.window } : {}),
    ...(a.tsval !== undefined ? { tsval: a.tsval } : {}),
    ...(a.options !== undefined ? { options: a.options } : {}),
  });
  if (ack === null) throw new TcpWireError('BAD_INPUT', 'the client did not answer the SYN-ACK');

  const { states } = replay([
    { segment: syn.segment, fromClient: true },
    { segment: synAck.segment, fromClient: false },
    { segment: ack.segment, fromClient: true },
  ]);
  return { syn, synAck: strip(synAck), ack: strip(ack), states };
}

function strip(r: HandshakeSegment & { state?: unknown }): HandshakeSegment {
  const out: HandshakeSegment = { segment: r.segment, bytes: r.bytes, src: r.src, dst: r.dst };
  if (r.packet !== undefined) out.packet = r.packet;
  return out;
}
