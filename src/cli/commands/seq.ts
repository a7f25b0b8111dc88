/** `tcpwire seq add|diff|cmp A B` */

import { TcpWireError } from '../../errors.js';
import { parseSeq, seqAdd, seqCompare, seqDiff } from '../../seq.js';
import type { ParsedArgs } from '../args.js';
import { out } from '../io.js';

export const SEQ_HELP = `usage: tcpwire seq add|diff|cmp A B

Sequence-number arithmetic modulo 2^32 (RFC 9293 §3.4, RFC 1982).
  add A N    A + N mod 2^32 (N may be negative)
  diff A B   the signed distance A - B, in [-2^31, 2^31)
  cmp A B    whether A is before, equal to, or after B in sequence space
             (exactly 2^31 apart each is "before" the other, as in Linux)
Numbers are decimal, or hex with 0x.

Example:
  tcpwire seq add 4294967295 1      # 0
  tcpwire seq cmp 4294967295 0      # 4294967295 < 0 (before, by 1)`;

export function seqCommand(args: ParsedArgs): void {
  const [op, a, b] = args.positional;
  if (op === undefined || a === undefined || b === undefined || args.positional.length !== 3) {
    throw new TcpWireError('BAD_INPUT', 'seq needs an operation and two numbers: seq add|diff|cmp A B');
  }
  const x = parseSeq(a);
  if (op === 'add') {
    const n = b.trim();
    if (!/^-?\d+$/.test(n) || !Number.isSafeInteger(Number(n))) {
      throw new TcpWireError('OUT_OF_RANGE', `"${b}" is not an integer to add`);
    }
    out(String(seqAdd(x, Number(n))));
    return;
  }
  const y = parseSeq(b);
  if (op === 'diff') {
    out(String(seqDiff(x, y)));
    return;
  }
  if (op === 'cmp') {
    const c = seqCompare(x, y);
    const d = seqDiff(x, y);
    const word = c < 0 ? 'before' : c > 0 ? 'after' : 'equal to';
    out(`${x} ${c < 0 ? '<' : c > 0 ? '>' : '=='} ${y} (${word}${c === 0 ? '' : `, by ${Math.abs(d)}`})`);
    return;
  }
  throw new TcpWireError('BAD_INPUT', `unknown seq operation "${op}": expected add, diff or cmp`);
}
