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
  const words = length >= HEADER_LEN ? (bytes[offset + FIELD.OFFSET_FLAGS] as number) >>> 4 : 0;
  // The errors are built in another function: a hot caller inlines this one, and
  // V8 counts every byte of a function, cold message templates included, against its inlining budget.
  if (words < MIN_DATA_OFFSET || words * 4 > length) headerError(bytes, offset, length);
  return words * 4;
}

function headerError(bytes: Uint8Array, offset: number, length: number): never {
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
  // checkHeader calls this only when the header is bad: what is left is a data offset past the length.
  throw new TcpWireError(
    'BAD_DATA_OFFSET',
    `data offset ${words} words (${words * 4} bytes) runs past the ${length} bytes of the segment`,
    offset + FIELD.OFFSET_FLAGS,
  );
}

function rangeError(bytes: Uint8Array, offset: number, length: number): never {
  throw new TcpWireError('TRUNCATED', `segment at byte ${offset} of ${length} bytes runs past the ${bytes.length}-byte buffer`, bytes.length);
}

/** A TCP segment read in place. Every 32-bit field comes out unsigned. */
export class TcpView {
  private buf: Uint8Array;
  private dv: DataView;
  private start: number;
  private len: number;
  private hdr: number;
  // Where reset()'s walk of the options first found the kinds hot paths read (MSS,
  // window scale, SACK, timestamps; -1: not found), so reading all four walks the
  // list once, not four times.
  private mssAt: number;
  private wsAt: number;
  private sackAt: number;
  private tsAt: number;
  /** Offset of the malformed option where the walk stopped, or -1. */
  private badAt: number;

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
    this.mssAt = -1;
    this.wsAt = -1;
    this.sackAt = -1;
    this.tsAt = -1;
    this.badAt = -1;
    this.reset(bytes, offset, length);
  }

  /**
   * Points this view at another segment (reusing its DataView when the buffer is the same).
   * Checks the header, and walks the options once (without judging them: a malformed
   * option throws only when a getter asks past it), so the option getters read saved offsets.
   */
  reset(bytes: Uint8Array, offset = 0, length = bytes.length - offset): this {
    if (offset < 0 || length > bytes.length - offset) rangeError(bytes, offset, length);
    const hdr = checkHeader(bytes, offset, length);
    if (bytes !== this.buf) this.rebind(bytes);
    this.hdr = hdr;
    this.start = offset;
    this.len = length;
    // The walk is written out here rather than in a method: a hot loop then calls
    // reset() and keeps V8's inlining budget for the getters, whose uint32 results
    // would be boxed as heap numbers if they were called instead.
    const end = offset + hdr;
    let mss = -1;
    let ws = -1;
    let sack = -1;
    let ts = -1;
    let bad = -1;
    let p = offset + HEADER_LEN;
    if (p + 12 <= end) {
      // Linux's two layouts, each told by one or two 32-bit reads: NOP,NOP,TS on every
      // segment of a connection with timestamps, MSS,SACKOK,TS on its SYNs.
      const w = this.dv.getUint32(p);
      if (w === 0x0101080a) {
        ts = p + 2;
        p += 12;
      } else if (w >>> 16 === 0x0204 && p + 16 <= end && this.dv.getUint32(p + 4) === 0x0402080a) {
        mss = p;
        ts = p + 6;
        p += 16;
      }
    }
    while (p < end) {
      const k = bytes[p] as number;
      if (k <= OPTION_KIND.NOP) {
        if (k === OPTION_KIND.EOL) break;
        p++;
        continue;
      }
      const n = p + 1 < end ? (bytes[p + 1] as number) : 0;
      if (n < 2 || p + n > end) {
        bad = p;
        break;
      }
      if (k === OPTION_KIND.TIMESTAMPS) {
        if (ts < 0) ts = p;
      } else if (k === OPTION_KIND.SACK) {
        if (sack < 0) sack = p;
      } else if (k === OPTION_KIND.MSS) {
        if (mss < 0) mss = p;
      } else if (k === OPTION_KIND.WINDOW_SCALE) {
        if (ws < 0) ws = p;
      }
      p += n;
    }
    this.mssAt = mss;
    this.wsAt = ws;
    this.sackAt = sack;
    this.tsAt = ts;
    this.badAt = bad;
    return this;
  }

  private rebind(bytes: Uint8Array): void {
    this.buf = bytes;
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
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
    let p: number;
    switch (kind) {
      case OPTION_KIND.MSS:
        p = this.mssAt;
        break;
      case OPTION_KIND.WINDOW_SCALE:
        p = this.wsAt;
        break;
      case OPTION_KIND.SACK:
        p = this.sackAt;
        break;
      case OPTION_KIND.TIMESTAMPS:
        p = this.tsAt;
        break;
      default:
        return this.scanFor(kind);
    }
    return p >= 0 ? p : this.absent();
  }

  /**
   * What the walk answers for a kind it did not record: absent (-1), or, when it
   * stopped at a malformed option before finding the kind, the error the plain walk throws there.
   */
  private absent(): number {
    if (this.badAt >= 0) this.optionError();
    return -1;
  }

  private optionError(): never {
    readOption(this.buf, this.badAt, this.start + this.hdr);
    throw new TcpWireError('BAD_OPTION_LENGTH', `malformed option at byte ${this.badAt}`, this.badAt); // not reached: readOption throws
  }

  /** The walk {@link findOption} describes, for any kind. */
  private scanFor(kind: number): number {
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
    // The getters read the walk's fields directly and stay small: a hot loop inlines
    // them all only while the sum of their bytecode fits V8's inlining budget.
    const p = this.mssAt;
    if (p < 0) return this.absent();
    return this.buf[p + 1] === OPTION_LEN.MSS ? this.dv.getUint16(p + 2) : -1;
  }
  /** The window-scale option's raw shift, or -1 if absent. */
  get windowShift(): number {
    const p = this.wsAt;
    if (p < 0) return this.absent();
    return this.buf[p + 1] === OPTION_LEN.WINDOW_SCALE ? (this.buf[p + 2] as number) : -1;
  }
  /** True if the segment carries a well-formed timestamps option. */
  get hasTimestamps(): boolean {
    const p = this.tsAt;
    if (p < 0) return this.absent() >= 0;
    return this.buf[p + 1] === OPTION_LEN.TIMESTAMPS;
  }
  /** TSval, or -1 if there is no timestamps option. */
  get tsval(): number {
    const p = this.tsAt;
    if (p < 0) return this.absent();
    return this.buf[p + 1] === OPTION_LEN.TIMESTAMPS ? this.dv.getUint32(p + 2) : -1;
  }
  /** TSecr, or -1 if there is no timestamps option. */
  get tsecr(): number {
    const p = this.tsAt;
    if (p < 0) return this.absent();
    return this.buf[p + 1] === OPTION_LEN.TIMESTAMPS ? this.dv.getUint32(p + 6) : -1;
  }

  /**
   * The options, decoded one at a time as they are iterated (EOL is the last one given).
   * @throws {TcpWireError} on a malformed option, when the iteration reaches it.
   */
  *options(warnings?: TcpWireWarning[]): Generator<TcpOption, void, undefined> {
    const b = this.buf;
    const dv = this.dv;
    const end = this.start + this.hdr;
    let p = this.start + HEADER_LEN;
    while (p < end) {
      // NOP and timestamps, on nearly every segment, without a call (as decodeOptions reads them).
      const k = b[p] as number;
      if (k === OPTION_KIND.NOP) {
        yield { type: 'nop' };
        p++;
        continue;
      }
      if (k === OPTION_KIND.TIMESTAMPS && p + OPTION_LEN.TIMESTAMPS <= end && b[p + 1] === OPTION_LEN.TIMESTAMPS) {
        yield { type: 'timestamps', tsval: dv.getUint32(p + 2), tsecr: dv.getUint32(p + 6) };
        p += OPTION_LEN.TIMESTAMPS;
        continue;
      }
      const o = readOption(b, p, end, warnings);
      yield o;
      if (o.type === 'eol') return;
      p += o.type === 'nop' ? 1 : (b[p + 1] as number);
    }
  }
}
