/** What the pcap and pcapng Jazzer targets check: readCapture and forEachSegment on the input as a file. */
import { type CaptureItem, TcpWireError, forEachSegment, readCapture } from '../../src/index.js';
import { InvariantError, checkNumbers, expectTcpWireError } from '../../test/fuzz/invariants.js';

export function fuzzCapture(data: Buffer): void {
  const b = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const items: CaptureItem[] = [];
  try {
    for (const item of readCapture(b)) {
      items.push(item);
      checkNumbers({ ...item, packet: undefined });
      if (item.offsets.packet + item.capturedLength > b.length) throw new InvariantError('an item reaches past the file');
    }
  } catch (e) {
    const err = expectTcpWireError(e, 'readCapture');
    const last = items[items.length - 1];
    if (err.offset > b.length || (last !== undefined && err.offset < last.offsets.record)) {
      throw new InvariantError(`damage reported at ${err.offset}, file of ${b.length} bytes, last record at ${last?.offsets.record}`);
    }
  }
  try {
    forEachSegment(b, (v, meta) => {
      try {
        void [v.seq, v.mss, v.windowShift, v.tsval, meta.checksum()];
        for (const o of v.options()) void o;
      } catch (e) {
        if (!(e instanceof TcpWireError)) throw e;
      }
    });
  } catch (e) {
    expectTcpWireError(e, 'forEachSegment');
  }
}
