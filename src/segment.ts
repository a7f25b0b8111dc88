/**
 * The plain-object form of a TCP segment, for crafting and inspecting (after
 * smoltcp's `TcpRepr`), and its decoder. The encoder is in `encode.ts`.
 */

import type { TcpWireWarning } from './errors.js';
import { type TcpFlags, type TcpFlagsInit, flagsFromBits } from './flags.js';
import { DATA_OFFSET_SHIFT, FIELD, FLAGS_MASK, HEADER_LEN, MAX_WINDOW_SHIFT, OPTION_KIND, OPTION_LEN, RESERVED_MASK, RESERVED_SHIFT } from './layout.js';
import { type SackBlock, type TcpOption, readOptionsInto } from './options.js';
import { checkHeader } from './view.js';

/** A decoded TCP segment. Every number is an unsigned integer in its field's range. */
export interface TcpSegment {
  srcPort: number;
  dstPort: number;
  /** Sequence number, 0..2^32-1. */
  seq: number;
  /** Acknowledgment number, 0..2^32-1. */
  ack: number;
  /** Header length in 32-bit words (5..15). */
  dataOffset: number;
  /** The three reserved bits (0..7), kept as they were. */
  reserved: number;
  flags: TcpFlags;
  window: number;
  checksum: number;
  urgentPointer: number;
  /** Options in wire order; an EOL, if present, is the last. */
  options: TcpOption[];
  /** The bytes after EOL up to the data offset (zeros, normally). Kept so re-encoding is exact. */
  padding: Uint8Array;
  /**
   * The payload: a view into the decoded bytes, not a copy. A segment without payload
   * (most are pure ACKs) gets one shared, frozen empty array instead of a view of zero bytes.
   */
  payload: Uint8Array;
  /** Non-fatal findings: a known option with the wrong length (kept raw), a window shift above 14. */
  warnings: TcpWireWarning[];
}

/**
 * What {@link encodeSegment} takes. Every field may be left out:
 * ports, seq, ack, reserved, checksum and urgent pointer default to 0, flags to none,
 * window to 65535, options to none, padding to zeros up to the next 4-byte boundary,
 * payload to empty, and dataOffset to the smallest that holds the options.
 */
export interface TcpSegmentInit {
  srcPort?: number;
  dstPort?: number;
  seq?: number;
  ack?: number;
  dataOffset?: number;
  reserved?: number;
  /** Flag booleans, or letters as Scapy writes them ("SA" = SYN+ACK; N is AE). */
  flags?: TcpFlagsInit;
  window?: number;
  /** Written as given when no pseudo-header is passed to the encoder; ignored otherwise. */
  checksum?: number;
  urgentPointer?: number;
  options?: readonly TcpOption[];
  /** Bytes written right after the options; the rest of the options area is zero-filled. */
  padding?: Uint8Array;
  /** Payload bytes, or a string (encoded as UTF-8). */
  payload?: Uint8Array | string;
  /** Ignored by the encoder (present on decoded segments). */
  warnings?: readonly TcpWireWarning[];
}

/**
 * The padding of every segment without bytes after an EOL (nearly all), and the payload
 * of every segment without payload (most): one shared, frozen empty array, since a
 * `subarray` per segment costs about a third of decoding it (`npm run bench`). An empty
 * view locates nothing a caller could read; where the payload starts is
 * `dataOffset * 4` (or {@link TcpView.headerLength}).
 */
const EMPTY: Uint8Array = Object.freeze(new Uint8Array(0));

/**
 * Decodes a TCP segment (header, options, payload) from `bytes`, which must hold
 * exactly the segment: everything after the header is payload.
 * @throws {TcpWireError} `TRUNCATED`, `BAD_DATA_OFFSET`, `BAD_OPTION_LENGTH` or `OPTION_OVERRUN`, with the byte offset.
 */
export function decodeSegment(bytes: Uint8Array): TcpSegment {
  const hdr = checkHeader(bytes, 0, bytes.length);
  // Fields are read with shifts, not through a DataView: making a DataView costs
  // more than decoding the whole header (PERFORMANCE-NOTES.md; measured by `npm run bench`).
  const word = ((bytes[FIELD.OFFSET_FLAGS] as number) << 8) | (bytes[FIELD.FLAGS] as number);
  const warnings: TcpWireWarning[] = [];
  // Linux's three layouts are told by 32-bit reads and built as one array literal each
  // (an array grown by push allocates room for 16 options): NOP, NOP, timestamps on
  // every segment of a connection with timestamps, the same followed by NOP, NOP, SACK
  // after a loss, and MSS, SACK-permitted, timestamps, NOP, window scale on its SYNs.
  let options: TcpOption[];
  let paddingStart = hdr;
  if (hdr === HEADER_LEN + 12 && u32(bytes, HEADER_LEN) === NOP_NOP_TS) {
    options = [{ type: 'nop' }, { type: 'nop' }, { type: 'timestamps', tsval: u32(bytes, HEADER_LEN + 4), tsecr: u32(bytes, HEADER_LEN + 8) }];
  } else if (hdr > HEADER_LEN + 20 && isLinuxSack(bytes, hdr)) {
    options = linuxSackOptions(bytes, hdr);
  } else if (hdr === HEADER_LEN + 20 && isLinuxSyn(bytes)) {
    options = linuxSynOptions(bytes);
  } else {
    options = [];
    if (hdr > HEADER_LEN) paddingStart = readOptionsInto(bytes, HEADER_LEN, hdr, options, warnings);
  }
  return {
    srcPort: u16(bytes, FIELD.SRC_PORT),
    dstPort: u16(bytes, FIELD.DST_PORT),
    seq: u32(bytes, FIELD.SEQ),
    ack: u32(bytes, FIELD.ACK),
    dataOffset: word >>> DATA_OFFSET_SHIFT,
    reserved: (word & RESERVED_MASK) >>> RESERVED_SHIFT,
    flags: flagsFromBits(word & FLAGS_MASK),
    window: u16(bytes, FIELD.WINDOW),
    checksum: u16(bytes, FIELD.CHECKSUM),
    urgentPointer: u16(bytes, FIELD.URGENT),
    options,
    padding: paddingStart === hdr ? EMPTY : bytes.subarray(paddingStart, hdr),
    payload: hdr === bytes.length ? EMPTY : bytes.subarray(hdr),
    warnings,
  };
}

/** NOP, NOP, the timestamps kind and its length, as one big-endian 32-bit word. */
const NOP_NOP_TS = 0x0101080a;
/** SACK-permitted (kind, length) followed by the timestamps kind and length. */
const SACKOK_TS = 0x0402080a;

/**
 * MSS, SACK-permitted, timestamps, NOP, window scale in a 40-byte header, as Linux's SYNs
 * and SYN-ACKs carry them (a shift above 14, which needs a warning, takes the general walk).
 */
function isLinuxSyn(b: Uint8Array): boolean {
  return (
    u32(b, HEADER_LEN) >>> 16 === ((OPTION_KIND.MSS << 8) | OPTION_LEN.MSS) &&
    u32(b, HEADER_LEN + 4) === SACKOK_TS &&
    u32(b, HEADER_LEN + 16) >>> 8 === ((OPTION_KIND.NOP << 16) | (OPTION_KIND.WINDOW_SCALE << 8) | OPTION_LEN.WINDOW_SCALE) &&
    (b[HEADER_LEN + 19] as number) <= MAX_WINDOW_SHIFT
  );
}

/**
 * NOP, NOP, timestamps, NOP, NOP, SACK with 1 to 3 blocks filling the header (44, 52 or 60
 * bytes): Linux's SACKs. Any other length takes the general walk.
 */
function isLinuxSack(b: Uint8Array, hdr: number): boolean {
  return (
    (hdr & 7) === 4 &&
    u32(b, HEADER_LEN) === NOP_NOP_TS &&
    u32(b, HEADER_LEN + 12) >>> 8 === ((OPTION_KIND.NOP << 16) | (OPTION_KIND.NOP << 8) | OPTION_KIND.SACK) &&
    b[HEADER_LEN + 15] === hdr - HEADER_LEN - 14
  );
}

function linuxSackOptions(b: Uint8Array, hdr: number): TcpOption[] {
  const blocks: SackBlock[] = [];
  for (let p = HEADER_LEN + 16; p < hdr; p += 8) blocks.push([u32(b, p), u32(b, p + 4)]);
  return [
    { type: 'nop' },
    { type: 'nop' },
    { type: 'timestamps', tsval: u32(b, HEADER_LEN + 4), tsecr: u32(b, HEADER_LEN + 8) },
    { type: 'nop' },
    { type: 'nop' },
    { type: 'sack', blocks },
  ];
}

function linuxSynOptions(b: Uint8Array): TcpOption[] {
  return [
    { type: 'mss', value: u16(b, HEADER_LEN + 2) },
    { type: 'sackPermitted' },
    { type: 'timestamps', tsval: u32(b, HEADER_LEN + 8), tsecr: u32(b, HEADER_LEN + 12) },
    { type: 'nop' },
    { type: 'windowScale', shift: b[HEADER_LEN + 19] as number },
  ];
}

function u16(b: Uint8Array, i: number): number {
  return ((b[i] as number) << 8) | (b[i + 1] as number);
}

function u32(b: Uint8Array, i: number): number {
  return (((b[i] as number) << 24) | ((b[i + 1] as number) << 16) | ((b[i + 2] as number) << 8) | (b[i + 3] as number)) >>> 0;
}
