/**
 * LineSink hands its buffer to the stream when it fills, and fills the same buffer again only
 * when the stream is done with it: a stream that still holds a chunk must not see it overwritten.
 */

import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FLUSH_AT, LineSink } from '../../src/cli/line-sink.js';

/** Lines of 999 digits and a newline, each distinct, enough for three and a half buffers. */
const LINES = Array.from({ length: Math.ceil((3.5 * FLUSH_AT) / 1000) }, (_, i) => String(i).padStart(999, String(i % 10)));
const EXPECTED = `${LINES.join('\n')}\n`;

describe('LineSink', () => {
  it('gives a stream that calls back later its own buffers: no chunk it holds is overwritten', async () => {
    const held: Buffer[] = [];
    const out = new Writable({
      write(chunk: Buffer, _enc, done) {
        held.push(chunk); // no copy: the chunk must stay as written
        setImmediate(done);
      },
    });
    const sink = new LineSink(out);
    for (const line of LINES) sink.push(line);
    await sink.flush();
    expect(held.length).toBeGreaterThanOrEqual(4);
    expect(Buffer.concat(held).toString('latin1')).toBe(EXPECTED);
  });

  it('fills the same buffer again for a stream that is done with each chunk when write returns', async () => {
    const copies: Buffer[] = [];
    const out = new Writable({
      write(chunk: Buffer, _enc, done) {
        copies.push(Buffer.from(chunk));
        done();
      },
    });
    const sink = new LineSink(out);
    const buffers = new Set<Uint8Array>();
    for (const line of LINES) {
      sink.push(line);
      buffers.add(sink.buf);
    }
    await sink.flush();
    expect(Buffer.concat(copies).toString('latin1')).toBe(EXPECTED);
    expect(copies.length).toBeGreaterThanOrEqual(4);
    expect(buffers.size).toBe(1);
  });
});
