/**
 * Jazzer.js target: the options parser (decodeOptions, readOption) on the input as an options
 * area, walked from every start offset the first byte picks.
 */
import { decodeOptions, readOption } from '../../src/index.js';
import { InvariantError, checkNumbers, expectTcpWireError } from '../../test/fuzz/invariants.js';

export function fuzz(data: Buffer): void {
  if (data.length === 0) return;
  const b = new Uint8Array(data.buffer, data.byteOffset + 1, data.byteLength - 1);
  const start = (data[0] as number) % (b.length + 1);
  try {
    const d = decodeOptions(b, start, b.length, []);
    checkNumbers(d.options);
    let n = 0;
    for (const o of d.options) n += o.type === 'eol' || o.type === 'nop' ? 1 : 0;
    if (d.padding.length > b.length - start) throw new InvariantError('padding longer than the area');
    if (n > b.length - start) throw new InvariantError('more one-byte options than bytes');
  } catch (e) {
    const err = expectTcpWireError(e, 'decodeOptions');
    if (err.offset < start || err.offset >= b.length) throw new InvariantError(`error offset ${err.offset} outside [${start}, ${b.length})`);
  }
  if (start < b.length) {
    try {
      checkNumbers(readOption(b, start, b.length, []));
    } catch (e) {
      expectTcpWireError(e, 'readOption');
    }
  }
}
