/** `tcpwire check FILE.pcap|- [--json]` */

import { TcpWireError } from '../../errors.js';
import { type FoundHandshake, HandshakeFinder } from '../../handshake/find.js';
import { respondTo } from '../../handshake/respond.js';
import { formatFlags } from '../../flags.js';
import { openCapture } from '../../node/open-capture.js';
import type { ParsedArgs } from '../args.js';
import { out } from '../io.js';

export const CHECK_HELP = `usage: tcpwire check FILE|- [--json] [--strict]

Finds every TCP three-way handshake in a pcap or pcapng capture (a file, or
standard input with "-") and checks each: SYN without ACK, SYN-ACK acknowledging
x+1, ACK with seq x+1 and ack y+1 (mod 2^32), ports and addresses mirrored,
timestamps echoed, window scale / SACK / ECN negotiated by the rules, no RST or
FIN. Prints, per connection, the verdict and the checker's findings in words.

  --json   one JSON object: every handshake with its frames, outcome, findings,
           states and what was negotiated
  --strict exit with code 3 when any handshake found breaks a rule (for CI)

A handshake is the SYN, the first answer to it (SYN-ACK, or RST: "refused"),
and the client's next segment. Exit code 0 once the capture was read, whatever
the verdicts (with --strict: 3 if any handshake is not ok); 1 for a file that is
not a capture.

Example:
  tcpwire check fixtures/captures/handshakes-linux.pcap`;

function endpoint(a: { address: string; port: number }): string {
  return a.address.includes(':') ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
}

const OUTCOME: Record<FoundHandshake['outcome'], string> = {
  complete: '',
  refused: 'refused: the server answered the SYN with RST',
  'no-ack': "incomplete: the client's ACK is not in the capture",
  unanswered: 'unanswered: nothing came back for the SYN',
};

function summary(h: FoundHandshake): string[] {
  const lines: string[] = [];
  const errors = h.check.findings.filter((f) => f.severity === 'error').length;
  const verdict =
    h.outcome === 'complete'
      ? h.check.ok
        ? 'correct handshake'
        : `NOT a correct handshake (${errors} error${errors === 1 ? '' : 's'})`
      : (OUTCOME[h.outcome] as string);
  lines.push(`${endpoint(h.client)} → ${endpoint(h.server)}  frames ${h.frames.join(', ')}: ${verdict}`);
  const n = h.check.negotiated;
  if (h.frames.length >= 2 && h.outcome !== 'refused') {
    const parts: string[] = [];
    if (n.mss.client !== undefined || n.mss.server !== undefined) parts.push(`MSS ${n.mss.client ?? '-'}/${n.mss.server ?? '-'}`);
    parts.push(n.windowScale !== null ? `window scale ${n.windowScale.client}/${n.windowScale.server}` : 'no window scaling');
    parts.push(n.sackPermitted ? 'SACK' : 'no SACK');
    parts.push(n.timestamps ? 'timestamps' : 'no timestamps');
    if (n.ecn) parts.push('ECN');
    lines.push(`    ${parts.join(', ')}`);
  }
  if (h.retransmittedSyns.length > 0) lines.push(`    the SYN was sent again in frame${h.retransmittedSyns.length === 1 ? '' : 's'} ${h.retransmittedSyns.join(', ')}`);
  if (h.outcome === 'refused') lines.push(`    ${refusal(h)}`);
  // An unfinished handshake is already said to be one; a refusal is judged by the RST rule above.
  const expected = new Set(['SEGMENT_COUNT', ...(h.outcome === 'refused' ? ['RST_IN_HANDSHAKE', 'SYN_ACK_FLAGS', 'WSCALE_ONE_SIDED', 'SACK_ONE_SIDED'] : [])]);
  const shown = h.outcome === 'complete' ? h.check.findings : h.check.findings.filter((f) => !expected.has(f.code));
  for (const f of shown) lines.push(`    ${f.severity} ${f.code} (frame ${h.frames[f.index] ?? '-'}): ${f.message}`);
  return lines;
}

/** Whether the RST is the one RFC 9293 §3.10.7.1 prescribes for a SYN to a closed port. */
function refusal(h: FoundHandshake): string {
  const [syn, rst] = h.segments as [FoundHandshake['segments'][number], FoundHandshake['segments'][number]];
  const want = respondTo(syn, { src: h.client.address, dst: h.server.address, state: 'CLOSED' })?.segment;
  const got = `[${formatFlags(rst.flags)}] seq=${rst.seq} ack=${rst.ack}`;
  if (want === undefined) return `the RST ${got}`;
  const rule = syn.flags.ack ? '<SEQ=SEG.ACK><CTL=RST>' : '<SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>';
  const same = rst.seq === want.seq && rst.ack === want.ack && rst.flags.ack === want.flags.ack;
  return same
    ? `the RST ${got} is the one RFC 9293 §3.10.7.1 prescribes for a closed port: ${rule}`
    : `the RST ${got} is not the one RFC 9293 §3.10.7.1 prescribes for a closed port, ${rule} = [${formatFlags(want.flags)}] seq=${want.seq} ack=${want.ack}`;
}

/** Exit code of `check --strict` when a handshake breaks a rule. */
export const STRICT_FAILURE_EXIT = 3;

export async function checkCommand(args: ParsedArgs): Promise<number> {
  const [file, ...more] = args.positional;
  if (file === undefined) throw new TcpWireError('BAD_INPUT', 'check needs a capture file (pcap or pcapng), or - for standard input');
  if (more.length > 0) throw new TcpWireError('BAD_INPUT', `check takes one capture file, not ${args.positional.length}`);
  const finder = new HandshakeFinder();
  let records = 0;
  let errors = 0;
  for await (const item of openCapture(file === '-' ? process.stdin : file, { skipped: false })) {
    records = item.frame;
    if (item.kind === 'error') {
      errors++;
      continue;
    }
    if (item.kind !== 'segment' || item.truncated) continue;
    const ip = item.ip;
    // The checksum can be re-verified from the bytes when the segment is whole and its
    // pseudo-header destination is the header's own (no IPv6 routing header).
    const plain = ip.version === 4 || ip.finalDstBytes.every((b, i) => b === ip.dstBytes[i]);
    const verifiable = (item.checksum === 'good' || item.checksum === 'bad') && plain && !item.fragment;
    const start = item.offsets.tcp - item.offsets.packet;
    finder.push({
      frame: item.frame,
      src: ip.src,
      dst: ip.dst,
      segment: item.tcp,
      ...(verifiable ? { bytes: item.packet.subarray(start, start + item.tcpLength) } : {}),
    });
  }
  const found = finder.finish();
  const exit = args.options.has('strict') && found.some((h) => !h.check.ok) ? STRICT_FAILURE_EXIT : 0;
  if (args.options.has('json')) {
    out(
      JSON.stringify({
        file,
        records,
        malformedRecords: errors,
        handshakes: found.map((h) => ({
          client: h.client,
          server: h.server,
          frames: h.frames,
          outcome: h.outcome,
          ok: h.check.ok,
          retransmittedSyns: h.retransmittedSyns,
          findings: h.check.findings,
          states: h.check.states,
          negotiated: h.check.negotiated,
        })),
      }),
    );
    return exit;
  }
  if (found.length === 0) {
    out(`${file}: no handshake in ${records} records (no SYN opens a connection in it)`);
    return exit;
  }
  found.forEach((h, i) => {
    const [first, ...rest] = summary(h);
    out(`#${i + 1} ${first}`);
    for (const l of rest) out(l);
  });
  const complete = found.filter((h) => h.outcome === 'complete');
  const good = complete.filter((h) => h.check.ok).length;
  const other = found.length - complete.length;
  out('');
  out(
    `${found.length} handshake${found.length === 1 ? '' : 's'} in ${records} records: ${good} correct, ${complete.length - good} with errors` +
      (other > 0 ? `, ${other} not completed (refused, unanswered or cut off)` : '') +
      (errors > 0 ? `; ${errors} malformed record${errors === 1 ? '' : 's'} skipped` : ''),
  );
  return exit;
}
