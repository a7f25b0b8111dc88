/**
 * Output for commands that print many lines: lines are gathered as bytes in a large buffer
 * and written when it fills (one write a megabyte, not one a line, and no growing array of
 * strings for the collector to walk). Writers may also put bytes straight into {@link buf} at
 * {@link pos} after {@link ensure}, skipping strings altogether.
 */

import { Buffer } from 'node:buffer';
import type { Writable } from 'node:stream';

/** Bytes gathered before a write. */
export const FLUSH_AT = 1 << 20;

export class LineSink {
  /** The buffer being filled; valid up to {@link pos}. */
  buf: Buffer = Buffer.allocUnsafe(FLUSH_AT);
  /** A DataView over {@link buf} (made once a buffer), for writers that store several bytes at once. */
  dv: DataView = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
  /** Where the next byte goes. */
  pos = 0;
  private pending = false;

  /**
   * @param out where lines go. A stream that calls back from `write` must be done with the
   *   chunk by then (as files, pipes and sockets are): the sink may fill the same buffer again.
   */
  constructor(private readonly out: Writable = process.stdout) {}

  /** Makes room for `n` more bytes at {@link pos} (writing out what is gathered if need be). */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.writeOut();
    if (n > this.buf.length) this.setBuffer(Buffer.allocUnsafe(n));
  }

  /** Adds a line (a newline is added). */
  push(line: string): void {
    // Room for the worst case of UTF-8 (3 bytes a UTF-16 unit) and the newline.
    this.ensure(line.length * 3 + 1);
    this.pos += this.buf.write(line, this.pos, 'utf8');
    this.buf[this.pos++] = 0x0a;
  }

  /** True when the pipe asked us to wait: call {@link flush} before going on. */
  get full(): boolean {
    return this.pending;
  }

  private setBuffer(buf: Buffer): void {
    this.buf = buf;
    this.dv = new DataView(buf.buffer, buf.byteOffset, buf.length);
  }

  private writeOut(): void {
    if (this.pos === 0) return;
    if (!this.out.write(this.buf.subarray(0, this.pos))) this.pending = true;
    // A stream that wrote the bytes at once (stdout to a file or, on Linux, a pipe is written
    // synchronously) holds nothing: the buffer is filled again, which spares a fresh megabyte
    // (and its page faults) a write. A stream still holding bytes may hold these: start a fresh one.
    if (this.pending || this.out.writableLength !== 0) this.setBuffer(Buffer.allocUnsafe(FLUSH_AT));
    this.pos = 0;
  }

  /** Writes what is gathered and waits until the pipe has taken it. */
  async flush(): Promise<void> {
    this.writeOut();
    if (this.pending) {
      await new Promise<void>((resolve) => this.out.once('drain', () => resolve()));
      this.pending = false;
    }
  }
}
