/**
 * The handshake explained for a learner: a ladder diagram with both sides' states,
 * the sequence arithmetic in x/y notation and in real numbers, what the options
 * negotiated, and (through a renderer the caller passes, so this file stays
 * portable) an annotated hex dump of each segment.
 */

import { formatFlags } from '../flags.js';
import { optionShort } from '../field-map.js';
import { effectiveWindowShift } from '../options.js';
import { verifyTcpChecksum } from '../pseudo-header.js';
import { segmentLength, seqAdd } from '../seq.js';
import { checkHandshake } from './check.js';
import type { Handshake, HandshakeSegment } from './spec.js';

/** How to explain. */
export interface ExplainOptions {
  /** Lines to print under each segment: the CLI passes its annotated hex dump. */
  dump?: (segment: HandshakeSegment, index: number) => string[];
}

const ARROW = 44;

function endpoint(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

function arrow(label: string, toRight: boolean): string {
  const inner = ` ${label} `;
  const fill = Math.max(2, ARROW - inner.length - 3);
  return toRight ? `──${inner}${'─'.repeat(fill)}▶` : `◀${'─'.repeat(fill)}${inner}──`;
}

/** "x+1 = 1001", "x+1 = 0 (mod 2^32)", or "1002, but x+1 = 1001" when `actual` is not what it should be. */
function relation(actual: number, name: string, value: number, n: number): string {
  const sum = seqAdd(value, n);
  const expr = value + n >= 0x1_0000_0000 ? `${name}+${n} = ${sum} (mod 2^32)` : `${name}+${n} = ${sum}`;
  return actual === sum ? expr : `${actual}, but ${expr}`;
}

function plusText(name: string, value: number, n: number): string {
  const sum = value + n;
  return sum >= 0x1_0000_0000 ? `${name}+${n} = ${sum} mod 2^32 = ${seqAdd(value, n)}` : `${name}+${n} = ${sum}`;
}

function hex16(n: number): string {
  return `0x${n.toString(16).padStart(4, '0')}`;
}

/**
 * The explanation of a handshake as lines of text: the ladder, the arithmetic,
 * the negotiated options, the checker's verdict, and each segment (with `dump`'s lines).
 */
export function explainHandshake(hs: Handshake, options: ExplainOptions = {}): string[] {
  const segs = [hs.syn, hs.synAck, hs.ack];
  const check = checkHandshake(hs);
  const [syn, synAck, ack] = [hs.syn.segment, hs.synAck.segment, hs.ack.segment];
  const x = syn.seq;
  const y = synAck.seq;
  const lines: string[] = [];
  const client = endpoint(hs.syn.src, syn.srcPort);
  const server = endpoint(hs.syn.dst, syn.dstPort);
  const family = hs.syn.src.includes(':') ? 'IPv6' : 'IPv4';

  lines.push(`Three-way handshake (RFC 9293 §3.5) over ${family}`);
  lines.push('');
  const left = Math.max(14, client.length + 2);
  const row = (l: string, middle: string, right: string): string => `  ${l.padEnd(left)}${middle.padEnd(ARROW + 2)}${right}`.trimEnd();
  lines.push(row('client', '', 'server'));
  lines.push(row(client, '', server));
  lines.push(row(check.states[0]?.client ?? '', '', check.states[0]?.server ?? ''));
  const labels = [
    { label: 'SYN', numbers: `seq = x = ${x}` },
    { label: 'SYN-ACK', numbers: `seq = y = ${y}, ack = ${relation(synAck.ack, 'x', x, 1)}` },
    { label: 'ACK', numbers: `seq = ${relation(ack.seq, 'x', x, 1)}, ack = ${relation(ack.ack, 'y', y, 1)}` },
  ];
  segs.forEach((s, i) => {
    const st = check.states[i + 1];
    const l = labels[i] as { label: string; numbers: string };
    const flags = formatFlags(s.segment.flags);
    const label = flags === 'SYN' || flags === 'SYN, ACK' || flags === 'ACK' ? l.label : `${l.label} [${flags}]`;
    lines.push(row('', '', ''));
    lines.push(row(st?.client ?? '', arrow(label, i !== 1), st?.server ?? ''));
    lines.push(row('', `  ${l.numbers}`, ''));
  });
  lines.push('');

  lines.push('Sequence numbers (all arithmetic modulo 2^32):');
  lines.push(`  x = ${x} is the client's initial sequence number (ISN), y = ${y} the server's.`);
  lines.push(`  The SYN takes ${segmentLength(syn)} sequence number, so the server acknowledges ${plusText('x', x, 1)}:`);
  lines.push('  "everything before this has arrived; this is the next number I expect".');
  lines.push(`  The SYN-ACK also takes one, so the client acknowledges ${plusText('y', y, 1)}.`);
  lines.push(`  The ACK carries seq ${plusText('x', x, 1)} and takes none: the client's first data byte will be seq ${seqAdd(x, 1)},`);
  lines.push(`  and the server's first data byte will be seq ${seqAdd(y, 1)}.`);
  lines.push('');

  lines.push('States:');
  lines.push('  client  CLOSED → SYN-SENT (sent its SYN) → ESTABLISHED (got the SYN-ACK, sent the ACK)');
  lines.push('  server  LISTEN → SYN-RECEIVED (got the SYN, sent the SYN-ACK) → ESTABLISHED (got the ACK)');
  lines.push('');

  const n = check.negotiated;
  lines.push('What the SYNs negotiated:');
  if (syn.options.length === 0 && synAck.options.length === 0) {
    lines.push('  no options: MSS defaults to 536 bytes (IPv4) or 1220 (IPv6) (RFC 9293 §3.7.1), no window scaling, no SACK, no timestamps.');
  } else {
    const mss = (v: number | undefined): string => (v === undefined ? 'none (default 536/1220)' : String(v));
    lines.push(`  MSS: client ${mss(n.mss.client)}, server ${mss(n.mss.server)} (each the largest segment it wants to receive)`);
    if (n.windowScale !== null) {
      const cs = effectiveWindowShift(n.windowScale.client);
      lines.push(
        `  window scale: in effect (both SYNs carry it): the client's later window fields count units of 2^${cs} = ${2 ** cs} bytes, the server's 2^${effectiveWindowShift(n.windowScale.server)}`,
      );
      lines.push(`    so the ACK's window field ${ack.window} means ${ack.window} × ${2 ** cs} = ${ack.window * 2 ** cs} bytes; the SYNs' own windows are never scaled`);
    } else {
      lines.push('  window scale: not in effect (it needs both SYNs to carry it)');
    }
    lines.push(`  SACK: ${n.sackPermitted ? 'permitted (both SYNs carry SACK-permitted)' : 'not in effect'}`);
    lines.push(
      `  timestamps: ${n.timestamps ? 'in use: each side echoes the other\'s latest TSval in TSecr, and every later segment carries them' : 'not in use'}`,
    );
  }
  if (syn.flags.ece || synAck.flags.ece) lines.push(`  ECN: ${n.ecn ? 'set up (SYN with ECE+CWR, SYN-ACK with ECE, RFC 3168 §6.1.1)' : 'not set up'}`);
  lines.push('');

  lines.push(`Checker: ${check.ok ? 'a correct handshake' : 'NOT a correct handshake'}`);
  for (const f of check.findings) lines.push(`  ${f.severity} ${f.code} (segment ${f.index + 1}): ${f.message}`);
  lines.push('');

  const names = ['SYN', 'SYN-ACK', 'ACK'];
  segs.forEach((s, i) => {
    const seg = s.segment;
    const good = verifyTcpChecksum(s.bytes, s.src, s.dst);
    const opts = seg.options.map(optionShort).join(' ');
    lines.push(
      `Segment ${i + 1}, ${names[i]}: ${endpoint(s.src, seg.srcPort)} → ${endpoint(s.dst, seg.dstPort)}, ${s.bytes.length} bytes` +
        ` (header ${seg.dataOffset * 4}), checksum ${hex16(seg.checksum)} ${good ? 'good' : 'BAD'}`,
    );
    lines.push(`  [${formatFlags(seg.flags)}] seq=${seg.seq} ack=${seg.ack} win=${seg.window}${opts ? ` ${opts}` : ''}`);
    if (options.dump !== undefined) for (const l of options.dump(s, i)) lines.push(l);
    lines.push('');
  });
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
