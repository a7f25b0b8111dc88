/**
 * The encoder: a {@link TcpSegmentInit} to bytes. The length is known before the
 * buffer is allocated, so the segment is written once into a buffer of the right size
 * (as dns-packet's `encodingLength` does).
 */

import { TcpWireError } from './errors.js';
import { flagsToBits } from './flags.js';
import { DATA_OFFSET_SHIFT, FIELD, HEADER_LEN, MAX_DATA_OFFSET, MAX_OPTIONS_LEN, MAX_SEGMENT_LEN, MIN_DATA_OFFSET, RESERVED_SHIFT } from './layout.js';
import { type TcpOption, endsWithEol, optionsLength, writeOption } from './options.js';
import { type PseudoHeaderInput, tcpChecksum } from './pseudo-header.js';
import { checkInt, checkU16, checkU32 } from './range.js';
import type { TcpSegmentInit } from './segment.js';

const utf8 = new TextEncoder();

interface Plan {
  headerLength: number;
  optionsLength: number;
  options: readonly TcpOption[];
  padding: Uint8Array | undefined;
  payload: Uint8Array;
}

/** Given for a left-out payload or padding (never written to: it has no bytes). */
const EMPTY = new Uint8Array(0);

/**
 * A field's value, or `fallback` when it is left out. Only `undefined` is left out: a `null`
 * (JSON's way of writing "no value") reaches the range check and is refused there, never
 * quietly written as the default.
 */
function orDefault(value: unknown, fallback: number): unknown {
  return value === undefined ? fallback : value;
}

function plan(init: TcpSegmentInit): Plan {
  if (typeof init !== 'object' || init === null) {
    throw new TcpWireError('BAD_INPUT', 'a segment to encode must be an object');
  }
  // Each property of `init` is read once: callers pass objects of many shapes, and
  // every read of a missing property on those costs a slow lookup (measured by `npm run bench`).
  const givenOptions = init.options;
  const options = givenOptions === undefined ? [] : givenOptions;
  if (!Array.isArray(options)) throw new TcpWireError('BAD_INPUT', 'options must be an array');
  const padding = init.padding;
  if (padding !== undefined && !(padding instanceof Uint8Array)) throw new TcpWireError('BAD_INPUT', 'padding must be a Uint8Array');
  const used = optionsLength(options) + (padding === undefined ? 0 : padding.length);
  // Padding is what follows an EOL (RFC 9293 §3.2): without one, a decoder reads these bytes
  // as options (or as EOL and its padding), so the segment would not decode back to `init`.
  if (padding !== undefined && padding.length > 0 && !endsWithEol(options)) {
    throw new TcpWireError(
      'BAD_INPUT',
      `padding has ${padding.length} bytes but the options do not end with an EOL: expected option ${options.length} to be an EOL, ` +
        `since padding is only what follows one (add { type: "eol" } or leave the padding out)`,
    );
  }
  if (used > MAX_OPTIONS_LEN) {
    throw new TcpWireError('OUT_OF_RANGE', `options take ${used} bytes, but a TCP header holds at most ${MAX_OPTIONS_LEN}`);
  }
  let words = Math.ceil((HEADER_LEN + used) / 4);
  const dataOffset = init.dataOffset;
  if (dataOffset !== undefined) {
    checkInt(dataOffset, MIN_DATA_OFFSET, MAX_DATA_OFFSET, 'dataOffset');
    if (dataOffset < words) {
      throw new TcpWireError(
        'OUT_OF_RANGE',
        `dataOffset ${dataOffset} words (${dataOffset * 4} bytes) is too small for ${used} bytes of options: at least ${words} needed`,
      );
    }
    words = dataOffset;
  }
  const given = init.payload;
  let payload: Uint8Array;
  if (given === undefined) payload = EMPTY;
  else if (typeof given === 'string') payload = utf8.encode(given);
  else if (given instanceof Uint8Array) payload = given;
  else throw new TcpWireError('BAD_INPUT', 'payload must be a Uint8Array or a string');
  const total = words * 4 + payload.length;
  if (total > MAX_SEGMENT_LEN) {
    throw new TcpWireError('OUT_OF_RANGE', `the segment would be ${total} bytes; an IP packet carries at most ${MAX_SEGMENT_LEN}`);
  }
  return { headerLength: words * 4, optionsLength: used, options, padding, payload };
}

/**
 * The number of bytes {@link encodeSegment} will produce for `init`, after checking it.
 * @throws {TcpWireError} as {@link encodeSegment}.
 */
export function encodingLength(init: TcpSegmentInit): number {
  const p = plan(init);
  return p.headerLength + p.payload.length;
}

/**
 * Encodes a segment. With `pseudo` (the IP source and destination) the checksum
 * is computed; otherwise the given `checksum` (or 0) is written.
 * @throws {TcpWireError} `OUT_OF_RANGE` for any field outside its range or not an integer
 *   (never masked), options over 40 bytes or a data offset too small for them;
 *   `BAD_INPUT` for a malformed option or flags, and for what would not decode back as given: an
 *   option after an EOL, padding without an EOL before it, an `unknown` option with the kind and
 *   length of a typed one; `BAD_ADDRESS` for bad pseudo-header addresses.
 */
export function encodeSegment(init: TcpSegmentInit, pseudo?: PseudoHeaderInput): Uint8Array {
  const p = plan(init);
  const srcPort = checkU16(orDefault(init.srcPort, 0), 'srcPort');
  const dstPort = checkU16(orDefault(init.dstPort, 0), 'dstPort');
  const seq = checkU32(orDefault(init.seq, 0), 'seq');
  const ack = checkU32(orDefault(init.ack, 0), 'ack');
  const reserved = checkInt(orDefault(init.reserved, 0), 0, 7, 'reserved');
  const window = checkU16(orDefault(init.window, 0xffff), 'window');
  const checksum = checkU16(orDefault(init.checksum, 0), 'checksum');
  const urgent = checkU16(orDefault(init.urgentPointer, 0), 'urgentPointer');
  const flagBits = flagsToBits(init.flags);

  const out = new Uint8Array(p.headerLength + p.payload.length);
  // Byte stores, not a DataView: V8 keeps a typed array of 64 bytes or less on its
  // heap, and a DataView needs `out.buffer`, which moves it off the heap (~1 µs).
  put16(out, FIELD.SRC_PORT, srcPort);
  put16(out, FIELD.DST_PORT, dstPort);
  put32(out, FIELD.SEQ, seq);
  put32(out, FIELD.ACK, ack);
  put16(out, FIELD.OFFSET_FLAGS, ((p.headerLength >>> 2) << DATA_OFFSET_SHIFT) | (reserved << RESERVED_SHIFT) | flagBits);
  put16(out, FIELD.WINDOW, window);
  put16(out, FIELD.CHECKSUM, checksum);
  put16(out, FIELD.URGENT, urgent);
  let at: number = FIELD.OPTIONS;
  const options = p.options;
  for (let i = 0; i < options.length; i++) at = writeOption(options[i] as TcpOption, out, at);
  if (p.padding !== undefined) out.set(p.padding, at);
  // The rest of the options area stays zero: EOL bytes, as Scapy pads.
  if (p.payload.length > 0) out.set(p.payload, p.headerLength);
  if (pseudo !== undefined) put16(out, FIELD.CHECKSUM, tcpChecksum(out, pseudo.src, pseudo.dst));
  return out;
}

function put16(out: Uint8Array, at: number, v: number): void {
  out[at] = v >>> 8;
  out[at + 1] = v & 0xff;
}

function put32(out: Uint8Array, at: number, v: number): void {
  out[at] = v >>> 24;
  out[at + 1] = (v >>> 16) & 0xff;
  out[at + 2] = (v >>> 8) & 0xff;
  out[at + 3] = v & 0xff;
}
