/**
 * The plain-object form of a TCP segment, for crafting and inspecting (after
 * smoltcp's `TcpRepr`), and its decoder. The encoder is in `encode.ts`.
 */

import type { TcpWireWarning } from './errors.js';
import { type TcpFlags, type TcpFlagsInit, flagsFromBits } from './flags.js';
import { DATA_OFFSET_SHIFT, FIELD, FLAGS_MASK, HEADER_LEN, RESERVED_MASK, RESERVED_SHIFT } from './layout.js';
import { type TcpOption, decodeOptions } from './options.js';
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
 * Decodes a TCP segment (header, options, payload) from `bytes`, which must hold
 * exactly the segment: everything after the header is payload.
 * @throws {TcpWireError} `TRUNCATED`, `BAD_DATA_OFFSET`, `BAD_OPTION_LENGTH` or `OPTION_OVERRUN`, with the byte offset.
 */
export function decodeSegment(bytes: Uint8Array): TcpSegment {
  const hdr = checkHeader(bytes, 0, bytes.length);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const word = dv.getUint16(FIELD.OFFSET_FLAGS);
  const warnings: TcpWireWarning[] = [];
  const { options, padding } = decodeOptions(bytes, HEADER_LEN, hdr, warnings);
  return {
    srcPort: dv.getUint16(FIELD.SRC_PORT),
    dstPort: dv.getUint16(FIELD.DST_PORT),
    seq: dv.getUint32(FIELD.SEQ),
    ack: dv.getUint32(FIELD.ACK),
    dataOffset: word >>> DATA_OFFSET_SHIFT,
    reserved: (word & RESERVED_MASK) >>> RESERVED_SHIFT,
    flags: flagsFromBits(word & FLAGS_MASK),
    window: dv.getUint16(FIELD.WINDOW),
    checksum: dv.getUint16(FIELD.CHECKSUM),
    urgentPointer: dv.getUint16(FIELD.URGENT),
    options,
    padding,
    payload: bytes.subarray(hdr),
    warnings,
  };
}
