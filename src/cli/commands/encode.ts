/** `tcpwire encode [--src ADDR --dst ADDR]`: JSON on standard input → hex. */

import { TcpWireError } from '../../errors.js';
import { encodeSegment } from '../../encode.js';
import { toHex } from '../../hex.js';
import { segmentFromJson } from '../../json.js';
import type { ParsedArgs } from '../args.js';
import { out, readStdinText } from '../io.js';
import { addressPair } from './decode.js';

export const ENCODE_HELP = `usage: tcpwire encode [--src ADDR --dst ADDR] < segment.json

Reads a segment as JSON on standard input (the form "tcpwire decode --json"
prints; any field may be left out) and prints its bytes as hex.
Byte strings (payload, padding, option data, cookies) are hex in the JSON.

  --src ADDR, --dst ADDR  compute the checksum over this pseudo-header
                          (otherwise the JSON's "checksum", or 0, is written)

Example:
  echo '{"srcPort":50000,"dstPort":80,"seq":1,"flags":"S","window":8192}' | tcpwire encode --src 10.0.0.1 --dst 10.0.0.2
  tcpwire decode HEX --json | tcpwire encode     # prints HEX again`;

export async function encodeCommand(args: ParsedArgs): Promise<void> {
  const text = await readStdinText();
  if (text.trim() === '') throw new TcpWireError('BAD_INPUT', 'encode reads a JSON segment on standard input, but it was empty');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new TcpWireError('BAD_INPUT', `standard input is not JSON: ${(e as Error).message}`);
  }
  const pair = addressPair(args);
  out(toHex(encodeSegment(segmentFromJson(value), pair)));
}
