/**
 * Jazzer.js target: the CLI's `decode` verb, called in process (decodeCommand, the function
 * behind `tcpwire decode HEX [--json] [--src A --dst B]`), with the input as the hex text. The
 * first byte picks the flags. Its output is swallowed. What the CLI turns into "exit 1, one line"
 * is a TcpWireError; anything else thrown would be exit 2, an internal error: a bug.
 */
import type { ParsedArgs } from '../../src/cli/args.js';
import { decodeCommand } from '../../src/cli/commands/decode.js';
import { expectTcpWireError } from '../../test/fuzz/invariants.js';

const ADDRESSES = [
  ['192.0.2.1', '198.51.100.7'],
  ['2001:db8::1', '2001:db8::2'],
  ['192.0.2.1', '2001:db8::2'],
  ['300.1.1.1', '::'],
] as const;

let swallowed = 0;
process.stdout.write = ((chunk: string | Uint8Array): boolean => {
  swallowed += chunk.length;
  return true;
}) as typeof process.stdout.write;

export async function fuzz(data: Buffer): Promise<void> {
  if (data.length === 0) return;
  const mode = data[0] as number;
  let text = data.subarray(1).toString('latin1');
  if (text.trim() === '-') text = '-x'; // "-" reads standard input
  const options = new Map<string, string | true>();
  if (mode & 1) options.set('json', true);
  if (mode & 2) {
    const [src, dst] = ADDRESSES[(mode >>> 2) & 3] as readonly [string, string];
    options.set('src', src);
    options.set('dst', dst);
  }
  const args: ParsedArgs = { positional: text.split(' ').filter((s) => s !== ''), options };
  if (args.positional.length === 0) args.positional.push(text);
  try {
    await decodeCommand(args);
  } catch (e) {
    expectTcpWireError(e, 'decode');
  }
}
