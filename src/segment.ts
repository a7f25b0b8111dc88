/**
 * The plain-object form of a TCP segment, for crafting and inspecting (after
 * smoltcp's `TcpRepr`), and its decoder. The encoder is in `encode.ts`.
 */

import type { TcpWireWarning } from './errors.js';
import { type TcpFlags, type TcpFlagsInit, flagsFromBits } from './flags.js';
import { DATA_OFFSET_SHIFT, FIELD, FLAGS_MASK, HEADER_LEN, RESERVED_MASK, RESERVED_SHIFT } from './layout.js';
import { type TcpOption, readOptionsInto } from './options.js';
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
  /** The payload: a view into the decoded bytes, not a copy. */
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
 * The padding of every segment without bytes after an EOL (nearly all): one shared,
 * frozen empty array, since a view per segment costs more than decoding the header
 * (`npm run bench`). Padding is bytes to re-encode, not a window onto the input.
 */
const NO_PADDING: Uint8Array = Object.freeze(new Uint8Array(0));

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
  const options: TcpOption[] = [];
  const paddingStart = hdr > HEADER_LEN ? readOptionsInto(bytes, HEADER_LEN, hdr, options, warnings) : hdr;
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
    padding: paddingStart === hdr ? NO_PADDING : bytes.subarray(paddingStart, hdr),
    payload: bytes.subarray(hdr),
    warnings,
  };
}

function u16(b: Uint8Array, i: number): number {
  return ((b[i] as number) << 8) | (b[i + 1] as number);
}

function u32(b: Uint8Array, i: number): number {
  return (((b[i] as number) << 24) | ((b[i + 1] as number) << 16) | ((b[i + 2] as number) << 8) | (b[i + 3] as number)) >>> 0;
}
