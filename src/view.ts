/**
 * A zero-copy view over a TCP segment's bytes, for hot paths (after smoltcp's
 * `Packet<T>`): nothing is copied, and the header's fields are read when a getter asks.
 * {@link TcpView.reset} finds the MSS, window-scale, timestamps and SACK options as it
 * points the view at a segment, reading their values on the way (Linux's layouts are told
 * by whole words). One view can be pointed at segment after segment, so a loop allocates nothing.
 */

import { TcpWireError, type TcpWireWarning } from './errors.js';
import { type TcpFlags, flagsFromBits } from './flags.js';
import { Field, Flag, Kind, MIN_DATA_OFFSET, OptionLen, Word12 } from './layout.js';
import { type TcpOption, readOption } from './options.js';

/**
 * Checks that `bytes[offset .. offset+length)` can hold a TCP header: at least 20
 * bytes and a data offset from 5 words up to the length. Returns the header length in bytes.
 * @throws {TcpWireError} `TRUNCATED` or `BAD_DATA_OFFSET`.
 */
export function checkHeader(bytes: Uint8Array, offset: number, length: number): number {
  // Under 20 bytes no data offset passes the test below, so the byte needs no guard (past
  // the buffer it reads as undefined, and `>>> 4` makes that 0).
  const hdr = ((bytes[offset + Field.OFFSET_FLAGS] as number) >>> 4) * 4;
  // The errors are built in another function: a hot caller inlines this one, and
  // V8 counts every byte of a function, cold message templates included, against its inlining budget.
  if (hdr < Field.OPTIONS || hdr > length) headerError(bytes, offset, length);
  return hdr;
}

function headerError(bytes: Uint8Array, offset: number, length: number): never {
  if (length < Field.OPTIONS) {
    throw new TcpWireError(
      'TRUNCATED',
      `a TCP header needs ${Field.OPTIONS} bytes, but only ${length < 0 ? 0 : length} are there`,
      offset + (length < 0 ? 0 : length),
    );
  }
  const words = (bytes[offset + Field.OFFSET_FLAGS] as number) >>> 4;
  if (words < MIN_DATA_OFFSET) {
    throw new TcpWireError(
      'BAD_DATA_OFFSET',
      `data offset ${words} words is below the minimum ${MIN_DATA_OFFSET} (a 20-byte header)`,
      offset + Field.OFFSET_FLAGS,
    );
  }
  // checkHeader calls this only when the header is bad: what is left is a data offset past the length.
  throw new TcpWireError(
    'BAD_DATA_OFFSET',
    `data offset ${words} words (${words * 4} bytes) runs past the ${length} bytes of the segment`,
    offset + Field.OFFSET_FLAGS,
  );
}

/** What reset() throws: an offset or length that is not an integer, a segment running past the buffer, or no valid header. */
function resetError(bytes: Uint8Array, offset: number, length: number): never {
  if (!Number.isInteger(offset) || !Number.isInteger(length)) {
    throw new TcpWireError('OUT_OF_RANGE', `a segment's offset and length must be integers, not ${offset} and ${length}`, -1);
  }
  if (offset < 0 || length > bytes.length - offset) {
    throw new TcpWireError('TRUNCATED', `segment at byte ${offset} of ${length} bytes runs past the ${bytes.length}-byte buffer`, bytes.length);
  }
  return headerError(bytes, offset, length);
}

/** What reset() records of an option hot paths read where it has no value or offset (those are >= 0). */
const enum Found {
  /** Not there (nothing but other kinds, NOPs and maybe an EOL up to the data offset), or its first occurrence has a length other than its kind's. */
  ABSENT = -1,
  /** The walk stopped at a malformed option before finding it: asking for it throws that option's error. */
  PAST_MALFORMED = -2,
}

/**
 * Linux's option layouts, told by whole big-endian 32-bit words (RFC 9293 §3.2, RFC 7323, RFC 2018).
 * Linux pads with NOPs so that timestamps and SACK blocks sit 4-byte aligned.
 */
const enum Linux {
  /** NOP, NOP, timestamps (kind 8, length 10): on every segment of a connection with timestamps. */
  NOP_NOP_TS = 0x0101080a,
  /** NOP, NOP, SACK (kind 5) with length 0: add the length to get the word after NOP,NOP,TS when a loss is being reported. */
  NOP_NOP_SACK = 0x01010500,
  /** MSS (kind 2, length 4), in the high half of the SYN's first word. */
  MSS = 0x0204,
  /** SACK-permitted (kind 4, length 2), timestamps (kind 8, length 10): the SYN's second word. */
  SACKOK_TS = 0x0402080a,
  /** NOP, window scale (kind 3, length 3), in the high three bytes of the SYN's fifth word. */
  NOP_WS = 0x010303,
}

/** A TCP segment read in place. Every 32-bit field comes out unsigned. */
export class TcpView {
  private buf: Uint8Array;
  private dv: DataView;
  private start: number;
  private len: number;
  private hdr: number;
  // What reset() found of the options hot paths read, so that reading all of them looks at
  // the option list once: the MSS, the window-scale shift, TSval and TSecr of the first
  // such options, and the offset of the first SACK option's kind byte; or a Found code.
  private mssValue: number;
  private shift: number;
  private tsValue: number;
  private tsEcho: number;
  private sackAt: number;

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
    this.mssValue = Found.ABSENT;
    this.shift = Found.ABSENT;
    this.tsValue = Found.ABSENT;
    this.tsEcho = Found.ABSENT;
    this.sackAt = Found.ABSENT;
    this.reset(bytes, offset, length);
  }

  /**
   * Points this view at another segment (reusing its DataView when the buffer is the same).
   * Checks the header, and finds the MSS, window-scale, timestamps and SACK options
   * without judging the rest: a malformed option throws only when a getter asks past it.
   * @throws {TcpWireError} `TRUNCATED` if the segment runs past `bytes`, or `TRUNCATED` or
   *   `BAD_DATA_OFFSET` if no valid header is there.
   */
  reset(bytes: Uint8Array, offset = 0, length = bytes.length - offset): this {
    // This method, the ones it calls and the getters are written for V8 to inline all of
    // them into a caller's loop, where a segment then costs a few nanoseconds and no uint32
    // is boxed. V8 inlines at most 460 bytes of bytecode of one function and about 920 into
    // one caller, and always inlines a function of 27 bytes or less: so each is short, the
    // getters shortest, and what is rare is a call.
    // A length under 20 needs no test of its own: no header fits it, so the next line refuses
    // it. An offset that is not an integer reads no byte (undefined), so no header either.
    const hdr = offset >= 0 && length <= bytes.length - offset && length === length >>> 0 ? ((bytes[offset + Field.OFFSET_FLAGS] as number) >>> 4) * 4 : 0;
    if (hdr < Field.OPTIONS || hdr > length) resetError(bytes, offset, length);
    if (bytes !== this.buf) this.rebind(bytes);
    this.start = offset;
    this.len = length;
    this.hdr = hdr;
    return this.findOptions(bytes, offset + Field.OPTIONS, hdr);
  }

  /**
   * Finds the options hot paths read, in the option area from `p` of a `hdr`-byte header.
   * Linux's three layouts, each told by whole words, answer here exactly what the walk
   * would: NOP,NOP,TS; NOP,NOP,TS then NOP,NOP,SACK; and MSS,SACKOK,TS,NOP,WS.
   */
  private findOptions(bytes: Uint8Array, p: number, hdr: number): this {
    let mss = Found.ABSENT as number;
    let shift = Found.ABSENT as number;
    let tsval = Found.ABSENT as number;
    let tsecr = Found.ABSENT as number;
    let sack = Found.ABSENT as number;
    if (hdr !== Field.OPTIONS) {
      const dv = this.dv;
      const w = hdr >= 32 ? dv.getUint32(p) : 0;
      let ts = p + 4; // where TSval is
      if (w === Linux.NOP_NOP_TS && (hdr === 32 || dv.getUint32(p + 12) === Linux.NOP_NOP_SACK + hdr - 34)) {
        if (hdr !== 32) sack = p + 14;
      } else if (hdr === 40 && w >>> 16 === Linux.MSS && dv.getUint32(ts) === Linux.SACKOK_TS && dv.getUint32(p + 16) >>> 8 === Linux.NOP_WS) {
        mss = w & 0xffff;
        shift = bytes[p + 19] as number;
        ts = p + 8;
      } else return this.walk(p, p - Field.OPTIONS + hdr);
      tsval = dv.getUint32(ts);
      tsecr = dv.getUint32(ts + 4);
    }
    this.mssValue = mss;
    this.shift = shift;
    this.tsValue = tsval;
    this.tsEcho = tsecr;
    this.sackAt = sack;
    return this;
  }

  /** The walk for any other layout: the first of each kind, up to EOL or a malformed option. */
  private walk(start: number, end: number): this {
    const b = this.buf;
    const dv = this.dv;
    let mss = Found.ABSENT as number;
    let shift = Found.ABSENT as number;
    let tsval = Found.ABSENT as number;
    let tsecr = Found.ABSENT as number;
    let sack = Found.ABSENT as number;
    let mssSeen = false;
    let shiftSeen = false;
    let tsSeen = false;
    let p = start;
    while (p < end) {
      const k = b[p] as number;
      if (k <= Kind.NOP) {
        if (k === Kind.EOL) break;
        p++;
        continue;
      }
      const n = p + 1 < end ? (b[p + 1] as number) : 0;
      if (n < 2 || p + n > end) {
        // What is not found before a malformed option is unknown: asking for it throws.
        if (!mssSeen) mss = Found.PAST_MALFORMED;
        if (!shiftSeen) shift = Found.PAST_MALFORMED;
        if (!tsSeen) tsval = tsecr = Found.PAST_MALFORMED;
        if (sack === Found.ABSENT) sack = Found.PAST_MALFORMED;
        break;
      }
      // The first option of a kind counts; with a length other than its kind's, its value is -1.
      if (k === Kind.TIMESTAMPS) {
        if (!tsSeen && n === OptionLen.TIMESTAMPS) {
          tsval = dv.getUint32(p + 2);
          tsecr = dv.getUint32(p + 6);
        }
        tsSeen = true;
      } else if (k === Kind.SACK) {
        if (sack === Found.ABSENT) sack = p;
      } else if (k === Kind.MSS) {
        if (!mssSeen && n === OptionLen.MSS) mss = dv.getUint16(p + 2);
        mssSeen = true;
      } else if (k === Kind.WINDOW_SCALE) {
        if (!shiftSeen && n === OptionLen.WINDOW_SCALE) shift = b[p + 2] as number;
        shiftSeen = true;
      }
      p += n;
    }
    this.mssValue = mss;
    this.shift = shift;
    this.tsValue = tsval;
    this.tsEcho = tsecr;
    this.sackAt = sack;
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
    return this.dv.getUint16(this.start + Field.SRC_PORT);
  }
  get dstPort(): number {
    return this.dv.getUint16(this.start + Field.DST_PORT);
  }
  get seq(): number {
    return this.dv.getUint32(this.start + Field.SEQ);
  }
  get ack(): number {
    return this.dv.getUint32(this.start + Field.ACK);
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
    return (this.dv.getUint16(this.start + Field.OFFSET_FLAGS) & Word12.RESERVED_MASK) >>> Word12.RESERVED_SHIFT;
  }
  /** The nine flag bits as a number (AE = 0x100 ... FIN = 0x001). */
  get flagBits(): number {
    return this.dv.getUint16(this.start + Field.OFFSET_FLAGS) & Word12.FLAGS_MASK;
  }
  /** The flags as an object (allocates; prefer the single-flag getters in loops). */
  get flags(): TcpFlags {
    return flagsFromBits(this.flagBits);
  }
  get ae(): boolean {
    return (this.flagBits & Flag.AE) !== 0;
  }
  get cwr(): boolean {
    return (this.flagBits & Flag.CWR) !== 0;
  }
  get ece(): boolean {
    return (this.flagBits & Flag.ECE) !== 0;
  }
  get urg(): boolean {
    return (this.flagBits & Flag.URG) !== 0;
  }
  get isAck(): boolean {
    return (this.flagBits & Flag.ACK) !== 0;
  }
  get psh(): boolean {
    return (this.flagBits & Flag.PSH) !== 0;
  }
  get rst(): boolean {
    return (this.flagBits & Flag.RST) !== 0;
  }
  get syn(): boolean {
    return (this.flagBits & Flag.SYN) !== 0;
  }
  get fin(): boolean {
    return (this.flagBits & Flag.FIN) !== 0;
  }
  get window(): number {
    return this.dv.getUint16(this.start + Field.WINDOW);
  }
  get checksum(): number {
    return this.dv.getUint16(this.start + Field.CHECKSUM);
  }
  get urgentPointer(): number {
    return this.dv.getUint16(this.start + Field.URGENT);
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
    return this.len - this.hdr + (f & Flag.SYN ? 1 : 0) + (f & Flag.FIN ? 1 : 0);
  }

  /**
   * Absolute offset in {@link bytes} of the first option with this kind, or -1.
   * Walks the options without allocating; stops at EOL. For SACK it answers from what
   * {@link reset} found (MSS, window scale and timestamps have getters of their values).
   * @throws {TcpWireError} if the option list is malformed before the kind is found, or the
   *   option found has a length byte that is missing, below 2 or past the data offset.
   */
  findOption(kind: number): number {
    const at = this.sackAt;
    return kind === Kind.SACK && at >= Found.ABSENT ? at : this.scanFor(kind);
  }

  /** What a value getter answers for an option the walk found past a malformed one: that option's error (the plain walk throws it). */
  private malformed(): number {
    return this.scanFor(-1);
  }

  /** The walk {@link findOption} describes, for any kind (-1: none, to reach a malformed option). */
  private scanFor(kind: number): number {
    const b = this.buf;
    const end = this.start + this.hdr;
    let p = this.start + Field.OPTIONS;
    while (p < end) {
      const k = b[p] as number;
      if (k === Kind.EOL || k === Kind.NOP) {
        if (k === kind) return p;
        if (k === Kind.EOL) return -1;
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

  // The value getters are this small (27 bytes of bytecode or less) so that V8 inlines
  // them into any loop, whatever else it inlines there, and their uint32 results stay unboxed.
  /** The MSS option's value, or -1 if absent (or of the wrong length). */
  get mss(): number {
    const v = this.mssValue;
    return v !== Found.PAST_MALFORMED ? v : this.malformed();
  }
  /** The window-scale option's raw shift, or -1 if absent (or of the wrong length). */
  get windowShift(): number {
    const v = this.shift;
    return v !== Found.PAST_MALFORMED ? v : this.malformed();
  }
  /** True if the segment carries a well-formed timestamps option. */
  get hasTimestamps(): boolean {
    return this.tsval >= 0;
  }
  /** TSval, or -1 if there is no timestamps option (or it has the wrong length). */
  get tsval(): number {
    const v = this.tsValue;
    return v !== Found.PAST_MALFORMED ? v : this.malformed();
  }
  /** TSecr, or -1 if there is no timestamps option (or it has the wrong length). */
  get tsecr(): number {
    const v = this.tsEcho;
    return v !== Found.PAST_MALFORMED ? v : this.malformed();
  }

  /**
   * Walks the options in place, without allocating: the offset in {@link bytes} of the option
   * after the one at `at`, or of the first one for `at` = -1; -1 past the last one. EOL is the
   * last one given, as by {@link options}. The kind is `bytes[at]`; an option other than EOL
   * and NOP has its length at `bytes[at + 1]`, checked to be at least 2 and to end within the
   * header before its offset is given.
   *
   *     for (let at = view.nextOption(-1); at >= 0; at = view.nextOption(at)) kinds.push(view.bytes[at]);
   *
   * @throws {TcpWireError} on a malformed option, when the walk reaches it.
   */
  nextOption(at: number): number {
    const end = this.start + this.hdr;
    let p = this.start + Field.OPTIONS;
    if (at !== -1) {
      if (!Number.isInteger(at) || at < p || at >= end) {
        throw new TcpWireError('OUT_OF_RANGE', `option offset ${at} is not in this segment's options (bytes ${p} to ${end - 1}), nor -1 for the first`, -1);
      }
      const k = this.buf[at] as number;
      if (k === Kind.EOL) return -1;
      // An offset not given by this method may sit on any byte: its length is checked again,
      // so that every step moves on by at least one byte.
      p = at + (k === Kind.NOP ? 1 : this.optionLength(at, end));
    }
    if (p >= end) return -1;
    if ((this.buf[p] as number) > Kind.NOP) this.optionLength(p, end);
    return p;
  }

  /** The length of the option at `p` (not EOL or NOP), from 2 up to the end of the header. */
  private optionLength(p: number, end: number): number {
    const b = this.buf;
    const n = p + 1 < end ? (b[p + 1] as number) : 0;
    if (n < 2 || p + n > end) readOption(b, p, end); // throws the precise error
    return n;
  }

  /**
   * The options, decoded one at a time as they are iterated (EOL is the last one given).
   * @throws {TcpWireError} on a malformed option, when the iteration reaches it.
   */
  *options(warnings?: TcpWireWarning[]): Generator<TcpOption, void, undefined> {
    const b = this.buf;
    const dv = this.dv;
    const end = this.start + this.hdr;
    let p = this.start + Field.OPTIONS;
    while (p < end) {
      // NOP and timestamps, on nearly every segment, without a call (as decodeOptions reads them).
      const k = b[p] as number;
      if (k === Kind.NOP) {
        yield { type: 'nop' };
        p++;
        continue;
      }
      if (k === Kind.TIMESTAMPS && p + OptionLen.TIMESTAMPS <= end && b[p + 1] === OptionLen.TIMESTAMPS) {
        yield { type: 'timestamps', tsval: dv.getUint32(p + 2), tsecr: dv.getUint32(p + 6) };
        p += OptionLen.TIMESTAMPS;
        continue;
      }
      const o = readOption(b, p, end, warnings);
      yield o;
      if (o.type === 'eol') return;
      p += o.type === 'nop' ? 1 : (b[p + 1] as number);
    }
  }
}
