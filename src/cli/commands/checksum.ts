/** `tcpwire checksum HEX --src ADDR --dst ADDR` */

import { TcpWireError } from '../../errors.js';
import { FIELD } from '../../layout.js';
import { tcpChecksum, verifyTcpChecksum } from '../../pseudo-header.js';
import type { ParsedArgs } from '../args.js';
import { out } from '../io.js';
import { addressPair, hexInput } from './decode.js';

export const CHECKSUM_HELP = `usage: tcpwire checksum HEX|- --src ADDR --dst ADDR [--json]

Computes the TCP checksum of a segment over the IPv4 or IPv6 pseudo-header
(RFC 9293 §3.1, RFC 8200 §8.1) and says whether the segment's own checksum
field is right.

Example:
  tcpwire checksum c350005000000001000000005002200000000000 --src 10.0.0.1 --dst 10.0.0.2`;

const hex4 = (n: number): string => `0x${n.toString(16).padStart(4, '0')}`;

export async function checksumCommand(args: ParsedArgs): Promise<void> {
  const bytes = await hexInput(args, 'checksum');
  const pair = addressPair(args);
  if (pair === undefined) throw new TcpWireError('BAD_INPUT', 'checksum needs --src and --dst: the pseudo-header is part of the sum');
  const computed = tcpChecksum(bytes, pair.src, pair.dst);
  const good = verifyTcpChecksum(bytes, pair.src, pair.dst);
  const field = ((bytes[FIELD.CHECKSUM] as number) << 8) | (bytes[FIELD.CHECKSUM + 1] as number);
  if (args.options.has('json')) {
    out(JSON.stringify({ checksum: computed, field, status: good ? 'good' : 'bad' }));
    return;
  }
  out(`computed ${hex4(computed)}, segment has ${hex4(field)}: ${good ? 'good' : 'BAD'}`);
}
