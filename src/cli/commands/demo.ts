/** `tcpwire demo`: the tool doing real work on real bytes. */

import { decodeSegment } from '../../segment.js';
import { encodeSegment } from '../../encode.js';
import { fromHex, toHex } from '../../hex.js';
import { tcpChecksum, verifyTcpChecksum } from '../../pseudo-header.js';
import { segmentLength, seqAdd } from '../../seq.js';
import { effectiveWindowShift } from '../../options.js';
import { out } from '../io.js';
import { renderFields, renderHexDump } from '../render.js';

export const DEMO_HELP = `usage: tcpwire demo

Decodes a SYN that a Linux 6.x kernel sent (captured between two network
namespaces, fixtures/captures/handshakes-linux.pcap, frame 1), verifies its
checksum over the IPv4 pseudo-header, re-encodes it byte for byte, and works
out what the SYN-ACK must acknowledge.`;

/** The TCP bytes of frame 1 of fixtures/captures/handshakes-linux.pcap (a test checks they match). */
export const LINUX_SYN = {
  src: '10.99.0.1',
  dst: '10.99.0.2',
  hex: '9f941e61880eb25b00000000a002faf0b5070000020405b40402080aee189cc3000000000103030a',
};

export function demoCommand(): void {
  const bytes = fromHex(LINUX_SYN.hex);
  const seg = decodeSegment(bytes);
  const color = process.stdout.isTTY === true && process.env.NO_COLOR === undefined;
  out(`A SYN captured from Linux, ${LINUX_SYN.src} → ${LINUX_SYN.dst}:`);
  out(`  ${LINUX_SYN.hex}`);
  out('');
  const good = verifyTcpChecksum(bytes, LINUX_SYN.src, LINUX_SYN.dst);
  const note = `${good ? 'good' : 'BAD'}: computed 0x${tcpChecksum(bytes, LINUX_SYN.src, LINUX_SYN.dst).toString(16).padStart(4, '0')} over the IPv4 pseudo-header`;
  for (const l of renderFields(seg, bytes, { color, checksumNote: note })) out(l);
  out('');
  for (const l of renderHexDump(seg, bytes, { color })) out(l);
  out('');
  const again = encodeSegment(seg);
  out(`Re-encoded from the decoded fields: ${toHex(again) === LINUX_SYN.hex ? 'identical, byte for byte' : 'DIFFERENT'}`);
  const ws = seg.options.find((o) => o.type === 'windowScale');
  if (ws?.type === 'windowScale') {
    out(`Window scale shift ${ws.shift}: once both sides agree, window fields count units of ${2 ** effectiveWindowShift(ws.shift)} bytes.`);
  }
  out(
    `The SYN occupies ${segmentLength(seg)} sequence number (x = ${seg.seq}), so the SYN-ACK must acknowledge x+1 = ${seqAdd(seg.seq, 1)}.`,
  );
}
