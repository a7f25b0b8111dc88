/** `tcpwire decode HEX|- [--src ADDR --dst ADDR] [--json]` */

import { TcpWireError } from '../../errors.js';
import { fromHex } from '../../hex.js';
import { segmentToJson } from '../../json.js';
import { tcpChecksum, verifyTcpChecksum } from '../../pseudo-header.js';
import { decodeSegment } from '../../segment.js';
import { type ParsedArgs, optString } from '../args.js';
import { out, readStdinText } from '../io.js';
import { renderFields, renderHexDump } from '../render.js';
import { DECODE_PCAP_HELP, decodePcapCommand } from './decode-pcap.js';

export const DECODE_HELP = `usage: tcpwire decode HEX|- [--src ADDR --dst ADDR] [--json]
       tcpwire decode --pcap FILE|- [--json] [--relative]

Decodes one TCP segment (header, options, payload) given as hex, or read as hex
from standard input with "-". Spaces, colons and a leading 0x are ignored.

  --src ADDR, --dst ADDR  the IP source and destination (IPv4 or IPv6): the
                          checksum is then verified over the pseudo-header
  --json                  print the segment as JSON (byte strings as hex);
                          "tcpwire encode" reads it back

Example:
  tcpwire decode c3500050000000010000000050022000b83e0000 --src 10.0.0.1 --dst 10.0.0.2
  tcpwire decode --pcap trace.pcap --relative

${DECODE_PCAP_HELP}`;

/** Reads the hex argument (or stdin for "-"). */
export async function hexInput(args: ParsedArgs, verb: string): Promise<Uint8Array> {
  const arg = args.positional[0];
  if (arg === undefined) throw new TcpWireError('BAD_INPUT', `${verb} needs a segment as hex, or - to read hex from standard input`);
  const text = arg === '-' ? await readStdinText() : args.positional.join('');
  if (text.trim() === '') throw new TcpWireError('BAD_HEX', 'no hex given: the input is empty', 0);
  return fromHex(text);
}

/** Both addresses or neither. */
export function addressPair(args: ParsedArgs): { src: string; dst: string } | undefined {
  const src = optString(args, 'src');
  const dst = optString(args, 'dst');
  if ((src === undefined) !== (dst === undefined)) {
    throw new TcpWireError('BAD_INPUT', 'give both --src and --dst, or neither');
  }
  return src !== undefined && dst !== undefined ? { src, dst } : undefined;
}

export async function decodeCommand(args: ParsedArgs): Promise<void> {
  if (args.options.has('pcap')) return decodePcapCommand(args);
  if (args.options.has('relative')) throw new TcpWireError('BAD_INPUT', '--relative goes with --pcap (a single segment has no connection to be relative to)');
  const bytes = await hexInput(args, 'decode');
  const seg = decodeSegment(bytes);
  const pair = addressPair(args);
  let verdict: string | undefined;
  let good: boolean | undefined;
  if (pair) {
    good = verifyTcpChecksum(bytes, pair.src, pair.dst);
    const want = tcpChecksum(bytes, pair.src, pair.dst);
    verdict = good
      ? `checksum good for ${pair.src} → ${pair.dst}`
      : `checksum BAD for ${pair.src} → ${pair.dst}: should be 0x${want.toString(16).padStart(4, '0')}`;
  }
  if (args.options.has('json')) {
    const json = segmentToJson(seg);
    if (good !== undefined) json.checksumStatus = good ? 'good' : 'bad';
    out(JSON.stringify(json));
    return;
  }
  const color = process.stdout.isTTY === true && process.env.NO_COLOR === undefined;
  const opts = verdict === undefined ? { color } : { color, checksumNote: verdict };
  for (const l of renderFields(seg, bytes, opts)) out(l);
  out('');
  for (const l of renderHexDump(seg, bytes, { color })) out(l);
}
