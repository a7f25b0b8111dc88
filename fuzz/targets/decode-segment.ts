/**
 * Jazzer.js target: decodeSegment and TcpView (every getter, the options iterator) on the input
 * as a TCP segment. A bug is anything but a TcpWireError thrown, a number out of its field's
 * range, or the two decoders disagreeing (test/fuzz/invariants.ts).
 */
import { TcpView, type TcpWireWarning, decodeSegment } from '../../src/index.js';
import { InvariantError, checkNumbers, expectTcpWireError } from '../../test/fuzz/invariants.js';

export function fuzz(data: Buffer): void {
  const b = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  let seg: ReturnType<typeof decodeSegment> | undefined;
  let segCode = '';
  try {
    seg = decodeSegment(b);
    checkNumbers(seg);
    if (seg.payload.length !== b.length - seg.dataOffset * 4) throw new InvariantError('payload length');
  } catch (e) {
    segCode = expectTcpWireError(e, 'decodeSegment').code;
  }
  const warnings: TcpWireWarning[] = [];
  try {
    const v = new TcpView(b);
    checkNumbers({ seq: v.seq, ack: v.ack, window: v.window, checksum: v.checksum, urgentPointer: v.urgentPointer, dataOffset: v.dataOffset });
    const options = [...v.options(warnings)];
    checkNumbers(options);
    void [v.mss, v.windowShift, v.tsval, v.tsecr, v.hasTimestamps, v.findOption(5), v.findOption(34)];
    if (seg === undefined) throw new InvariantError(`TcpView read all of a segment decodeSegment refused (${segCode})`);
    if (options.length !== seg.options.length) throw new InvariantError('TcpView and decodeSegment give different options');
  } catch (e) {
    const err = expectTcpWireError(e, 'TcpView');
    if (seg !== undefined) throw new InvariantError(`TcpView threw ${err.code} on a segment decodeSegment decoded`);
    if (err.code !== segCode) throw new InvariantError(`TcpView threw ${err.code}, decodeSegment ${segCode}`);
  }
}
