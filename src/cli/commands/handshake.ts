/** `tcpwire handshake --client ADDR:PORT --server ADDR:PORT [...]` */

import { writeFileSync } from 'node:fs';
import { parseAddress } from '../../address.js';
import { TcpWireError } from '../../errors.js';
import { formatFlags } from '../../flags.js';
import { optionShort } from '../../field-map.js';
import { toHex } from '../../hex.js';
import { segmentToJson } from '../../json.js';
import { writePcap } from '../../capture/pcap-writer.js';
import { LINKTYPE } from '../../capture/link-type.js';
import { checkHandshake } from '../../handshake/check.js';
import { explainHandshake } from '../../handshake/explain.js';
import { threeWayHandshake } from '../../handshake/generate.js';
import type { HandshakeSegment, HandshakeSpec } from '../../handshake/spec.js';
import { checkU16 } from '../../range.js';
import { parseSeq } from '../../seq.js';
import { type ParsedArgs, optString } from '../args.js';
import { out } from '../io.js';
import { renderFields, renderHexDump } from '../render.js';

export const HANDSHAKE_HELP = `usage: tcpwire handshake --client ADDR:PORT --server ADDR:PORT [--isn-client N] [--isn-server N]
                         [--profile plain|linux] [--window N] [--mss N] [--json] [--pcap FILE] [--explain]

Builds the three segments of a TCP three-way handshake, byte for byte:
  SYN      client → server   seq = x
  SYN-ACK  server → client   seq = y, ack = x+1
  ACK      client → server   seq = x+1, ack = y+1        (all modulo 2^32)
each with its checksum computed over the IPv4 or IPv6 pseudo-header.

  --client ADDR:PORT   the side that opens (IPv6 as [ADDR]:PORT)
  --server ADDR:PORT   the side that listens
  --isn-client N       x, the client's initial sequence number (decimal or 0x hex; default random)
  --isn-server N       y, the server's (default random)
  --profile P          plain (default): 20-byte headers, the textbook exchange;
                       linux: the options Linux 6.x sends (MSS, SACK-permitted,
                       timestamps, window scale; the ACK with timestamps)
  --window N           the window field of the SYN and the SYN-ACK
  --mss N              the MSS both sides announce (profile linux)
  --json               print the handshake as JSON: each segment decoded, its hex
                       and its IP packet's hex, the states, the checker's verdict
  --pcap FILE          also write the three IP packets to a pcap file (raw IP,
                       link type 101) for Wireshark or tshark
  --explain            a ladder diagram with both sides' states, the seq/ack
                       arithmetic in x/y notation and real numbers, what the options
                       negotiated, and an annotated hex dump of each segment

Examples:
  tcpwire handshake --client 10.0.0.1:40000 --server 10.0.0.2:80 --isn-client 1000 --isn-server 5000
  tcpwire handshake --client [2001:db8::1]:40000 --server [2001:db8::2]:443 --profile linux --explain
  tcpwire handshake --client 10.0.0.1:40000 --server 10.0.0.2:80 --pcap hs.pcap && tshark -r hs.pcap`;

/**
 * Parses "ADDR:PORT" (IPv4) or "[ADDR]:PORT" (IPv6).
 * @throws {TcpWireError} `BAD_INPUT`, `BAD_ADDRESS` or `OUT_OF_RANGE`.
 */
export function parseEndpoint(text: string, option: string): { address: string; port: number } {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:[\]]+):(\d+)$/.exec(text);
  if (m === null) {
    throw new TcpWireError('BAD_INPUT', `--${option} "${text}" is not ADDR:PORT (IPv4, e.g. 10.0.0.1:80) or [ADDR]:PORT (IPv6, e.g. [2001:db8::1]:80)`);
  }
  const address = m[1] as string;
  parseAddress(address);
  const port = Number(m[2]);
  checkU16(port, `--${option} port`);
  return { address, port };
}

function integer(args: ParsedArgs, name: string): number | undefined {
  const v = optString(args, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v.trim())) throw new TcpWireError('OUT_OF_RANGE', `--${name} "${v}" is not a non-negative integer`);
  return Number(v.trim());
}

function endpointText(s: HandshakeSegment, port: number, address: string): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/** One summary line of a segment, Wireshark-style. */
function summary(name: string, s: HandshakeSegment): string {
  const seg = s.segment;
  const opts = seg.options.map(optionShort).join(' ');
  return (
    `${name.padEnd(8)} ${endpointText(s, seg.srcPort, s.src)} → ${endpointText(s, seg.dstPort, s.dst)} ` +
    `[${formatFlags(seg.flags)}] seq=${seg.seq} ack=${seg.ack} win=${seg.window} len=${seg.payload.length}${opts ? ` ${opts}` : ''}`
  );
}

export function handshakeCommand(args: ParsedArgs): void {
  if (args.positional.length > 0) throw new TcpWireError('BAD_INPUT', `handshake takes no positional arguments (got "${args.positional[0]}")`);
  const clientText = optString(args, 'client');
  const serverText = optString(args, 'server');
  if (clientText === undefined || serverText === undefined) {
    throw new TcpWireError('BAD_INPUT', 'handshake needs --client ADDR:PORT and --server ADDR:PORT');
  }
  const client = parseEndpoint(clientText, 'client');
  const server = parseEndpoint(serverText, 'server');
  const profile = optString(args, 'profile') ?? 'plain';
  if (profile !== 'plain' && profile !== 'linux') throw new TcpWireError('BAD_INPUT', `--profile "${profile}" is not one of plain, linux`);
  const isnClient = optString(args, 'isn-client');
  const isnServer = optString(args, 'isn-server');
  const window = integer(args, 'window');
  const mss = integer(args, 'mss');
  if (mss !== undefined && profile !== 'linux') {
    throw new TcpWireError('BAD_INPUT', '--mss needs --profile linux: a plain handshake carries no options');
  }
  const pcap = optString(args, 'pcap');
  const spec: HandshakeSpec = {
    client: { ...client },
    server: { ...server },
    profile,
    packets: true,
  };
  if (isnClient !== undefined) spec.client.isn = parseSeq(isnClient);
  if (isnServer !== undefined) spec.server.isn = parseSeq(isnServer);
  if (window !== undefined) {
    spec.client.window = checkU16(window, '--window');
    spec.server.window = window;
  }
  if (mss !== undefined) {
    spec.client.mss = checkU16(mss, '--mss');
    spec.server.mss = mss;
  }
  const hs = threeWayHandshake(spec);
  const segs: [string, HandshakeSegment][] = [
    ['SYN', hs.syn],
    ['SYN-ACK', hs.synAck],
    ['ACK', hs.ack],
  ];

  if (pcap !== undefined) {
    const file = writePcap(
      segs.map(([, s]) => ({ data: s.packet as Uint8Array })),
      { linkType: LINKTYPE.RAW },
    );
    writeFileSync(pcap, file);
  }

  if (args.options.has('json')) {
    const check = checkHandshake(hs);
    const seg = (s: HandshakeSegment) => ({
      src: s.src,
      dst: s.dst,
      hex: toHex(s.bytes),
      packet: toHex(s.packet as Uint8Array),
      segment: segmentToJson(s.segment),
    });
    out(
      JSON.stringify({
        x: hs.syn.segment.seq,
        y: hs.synAck.segment.seq,
        profile,
        syn: seg(hs.syn),
        synAck: seg(hs.synAck),
        ack: seg(hs.ack),
        states: hs.states,
        check: { ok: check.ok, findings: check.findings },
        ...(pcap !== undefined ? { pcap } : {}),
      }),
    );
    return;
  }

  if (args.options.has('explain')) {
    const color = process.stdout.isTTY === true && process.env.NO_COLOR === undefined;
    const lines = explainHandshake(hs, {
      dump: (s) => [
        ...renderFields(s.segment, s.bytes, { color }).map((l) => `  ${l}`),
        '',
        ...renderHexDump(s.segment, s.bytes, { color }).map((l) => `  ${l}`),
      ],
    });
    for (const l of lines) out(l);
  } else {
    for (const [name, s] of segs) {
      out(summary(name, s));
      out(`  ${toHex(s.bytes)}`);
    }
  }
  if (pcap !== undefined) {
    out('');
    out(`wrote ${pcap}: the 3 packets as raw IP (pcap link type 101)`);
  }
}
