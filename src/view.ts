/**
 * A zero-copy view over a TCP segment's bytes, for hot paths (after smoltcp's
 * `Packet<T>`): nothing is copied or decoded until a getter asks. One view can be
 * pointed at segment after segment with {@link TcpView.reset}, so a loop allocates nothing.
 */

import { TcpWireError, type TcpWireWarning } from './errors.js';
import { type TcpFlags, flagsFromBits } from './flags.js';
import {
  FIELD,
  FLAG,
  FLAGS_MASK,
  HEADER_LEN,
  MIN_DATA_OFFSET,
  OPTION_KIND,
  OPTION_LEN,
  RESERVED_MASK,
  RESERVED_SHIFT,
} from './layout.js';
import { type TcpOption, readOption } from './options.js';

/**
 * Checks that `bytes[offset .. offset+length)` can hold a TCP header: at least 20
 * bytes and a data offset from 5 words up to the length. Returns the header length in bytes.
 * @throws {TcpWireError} `TRUNCATED` or `BAD_DATA_OFFSET`.
 */
export function checkHeader(bytes: Uint8Array, offset: number, length: number): number {
  if (length < HEADER_LEN) {
    throw new TcpWireError(
      'TRUNCATED',
      `a TCP header needs ${HEADER_LEN} bytes, but only ${length < 0 ? 0 : length} are there`,
      offset + (length < 0 ? 0 : length),
    );
  }
  const words = (bytes[offset + FIELD.OFFSET_FLAGS] as number) >>> 4;
  if (words < MIN_DATA_OFFSET) {
    throw new TcpWireError(
      'BAD_DATA_OFFSET',
      `data offset ${words} words is below the minimum ${MIN_DATA_OFFSET} (a 20-byte header)`,
      offset + FIELD.OFFSET_FLAGS,
    );
  }
  if (words * 4 > length) {
    throw new TcpWireError(
      'BAD_DATA_OFFSET',
      `data offset ${words} words (${words * 4} bytes) runs past the ${length} bytes of the segment`,
      offset + FIELD.OFFSET_FLAGS,
    );
  }
  return words * 4;
}

/** A TCP segment read in place. Every 32-bit field comes out unsigned. */
export class TcpView {
  private buf: Uint8Array;
  private dv: DataView;
  private start: number;
  private len: number;
  private hdr: number;

  /**
   * @param bytes  the buffer holding the segment
   * @param offset where the TCP header starts in `bytes`
   * @param length the segment's length (header + payload); defaults to the rest of `bytes`
   * @throws {TcpWireError} `TRUNCATED` or `BAD_DATA_OFFSET` if no valid header is there.
   */
  constructor(bytes: Uint8Array, offset = 0, length = bytes.length - offset) {
    this.buf = bytes;
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.start = 0;
    this.len = 0;
    this.hdr = 0;
    this.reset(bytes, offset, length);
  }

  /** Points this view at another segment (reusing its DataView when the buffer is the same). */
  reset(bytes: Uint8Array, offset = 0, length = bytes.length - offset): this {
    if (offset < 0 || length > bytes.length - offset) {
      throw new TcpWireError('TRUNCATED', `segment at byte ${offset} of ${length} bytes runs past the ${bytes.length}-byte buffer`, bytes.length);
    }
    this.hdr = checkHeader(bytes, offset, length);
    if (bytes !== this.buf) {
      this.buf = bytes;
      this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    this.start = offset;
    this.len = length;
    return this;
  }

  /** The buffer this view reads. */
  get bytes(): Uint8Array {
    return this.buf;
  }
  /** Where the segment starts in {@link bytes}. */
  get offset(): number {
    return this.start;
  }
  /** The segment's length in bytes (header and payload). */
  get length(): number {
    return this.len;
  }
  get srcPort(): number {
    return this.dv.getUint16(this.start + FIELD.SRC_PORT);
  }
  get dstPort(): number {
    return this.dv.getUint16(this.start + FIELD.DST_PORT);
  }
  get seq(): number {
    return this.dv.getUint32(this.start + FIELD.SEQ);
  }
  get ack(): number {
    return this.dv.getUint32(this.start + FIELD.ACK);
  }
  /** Header length in 32-bit words. */
  get dataOffset(): number {
    return this.hdr >>> 2;
  }
  /** Header length in bytes (data offset × 4). */
  get headerLength(): number {
    return this.hdr;
  }
  /** The three reserved bits (0..7). */
  get reserved(): number {
    return (this.dv.getUint16(this.start + FIELD.OFFSET_FLAGS) & RESERVED_MASK) >>> RESERVED_SHIFT;
  }
  /** The nine flag bits as a number (AE = 0x100 ... FIN = 0x001). */
  get flagBits(): number {
    return this.dv.getUint16(this.start + FIELD.OFFSET_FLAGS) & FLAGS_MASK;
  }
  /** The flags as an object (allocates; prefer the single-flag getters in loops). */
  get flags(): TcpFlags {
    return flagsFromBits(this.flagBits);
  }
  get ae(): boolean {
    return (this.flagBits & FLAG.AE) !== 0;
  }
  get cwr(): boolean {
    return (this.flagBits & FLAG.CWR) !== 0;
  }
  get ece(): boolean {
    return (this.flagBits & FLAG.ECE) !== 0;
  }
  get urg(): boolean {
    return (this.flagBits & FLAG.URG) !== 0;
  }
  get isAck(): boolean {
    return (this.flagBits & FLAG.ACK) !== 0;
  }
  get psh(): boolean {
    return (this.flagBits & FLAG.PSH) !== 0;
  }
  get rst(): boolean {
    return (this.flagBits & FLAG.RST) !== 0;
  }
  get syn(): boolean {
    return (this.flagBits & FLAG.SYN) !== 0;
  }
  get fin(): boolean {
    return (this.flagBits & FLAG.FIN) !== 0;
  }
  get window(): number {
    return this.dv.getUint16(this.start + FIELD.WINDOW);
  }
  get checksum(): number {
    return this.dv.getUint16(this.start + FIELD.CHECKSUM);
  }
  get urgentPointer(): number {
    return this.dv.getUint16(this.start + FIELD.URGENT);
  }
  /** Payload length in bytes. */
  get payloadLength(): number {
    return this.len - this.hdr;
  }
  /** The payload, as a view (no copy). */
  get payload(): Uint8Array {
    return this.buf.subarray(this.start + this.hdr, this.start + this.len);
  }
  /** The segment's bytes, as a view (no copy). */
  get segment(): Uint8Array {
    return this.buf.subarray(this.start, this.start + this.len);
  }
  /** The sequence space the segment occupies: payload + SYN + FIN (RFC 9293 §3.4). */
  get segmentLength(): number {
    const f = this.flagBits;
    return this.len - this.hdr + (f & FLAG.SYN ? 1 : 0) + (f & FLAG.FIN ? 1 : 0);
  }

  /**
   * Absolute offset in {@link bytes} of the first option with this kind, or -1.
   * Walks the options without allocating; stops at EOL.
   * @throws {TcpWireError} if the option list is malformed before the kind is found, or the
   *   option found has a length byte that is missing, below 2 or past the data offset.
   */
  findOption(kind: number): number {
    const b = this.buf;
    const end = this.start + this.hdr;
    let p = this.start + HEADER_LEN;
    while (p < end) {
      const k = b[p] as number;
      if (k === OPTION_KIND.EOL || k === OPTION_KIND.NOP) {
        if (k === kind) return p;
        if (k === OPTION_KIND.EOL) return -1;
        p++;
        continue;
      }
      // Check the length before handing the option out: a kind byte in the last
      // slot, or a length running past the data offset, must not let a getter
      // read its value from the payload (RFC 9293 §3.1: options end at the data offset).
      const n = p + 1 < end ? (b[p + 1] as number) : 0;
      if (n < 2 || p + n > end) readOption(b, p, end); // throws the precise error
      if (k === kind) return p;
      p += n;
    }
    return -1;
  }

  /** The MSS option's value, or -1 if absent (or of the wrong length). */
  get mss(): number {
    const p = this.findOption(OPTION_KIND.MSS);
    return p >= 0 && this.buf[p + 1] === OPTION_LEN.MSS ? this.dv.getUint16(p + 2) : -1;
  }
  /** The window-scale option's raw shift, or -1 if absent. */
  get windowShift(): number {
    const p = this.findOption(OPTION_KIND.WINDOW_SCALE);
    return p >= 0 && this.buf[p + 1] === OPTION_LEN.WINDOW_SCALE ? (this.buf[p + 2] as number) : -1;
  }
  /** Offset of a well-formed timestamps option, or -1. */
  private tsAt(): number {
    const p = this.findOption(OPTION_KIND.TIMESTAMPS);
    return p >= 0 && this.buf[p + 1] === OPTION_LEN.TIMESTAMPS ? p : -1;
  }
  /** True if the segment carries a well-formed timestamps option. */
  get hasTimestamps(): boolean {
    return this.tsAt() >= 0;
  }
  /** TSval, or -1 if there is no timestamps option. */
  get tsval(): number {
    const p = this.tsAt();
    return p >= 0 ? this.dv.getUint32(p + 2) : -1;
  }
  /** TSecr, or -1 if there is no timestamps option. */
  get tsecr(): number {
    const p = this.tsAt();
    return p >= 0 ? this.dv.getUint32(p + 6) : -1;
  }

  /**
   * The options, decoded one at a time as they are iterated (EOL is the last one given).
   * @throws {TcpWireError} on a malformed option, when the iteration reaches it.
   */
  *options(warnings?: TcpWireWarning[]): Generator<TcpOption, void, undefined> {
    const b = this.buf;
    const end = this.start + this.hdr;
    let p = this.start + HEADER_LEN;
    while (p < end) {
      const o = readOption(b, p, end, warnings);
      yield o;
      if (o.type === 'eol') return;
      p += o.type === 'nop' ? 1 : (b[p + 1] as number);
    }
  }
}
