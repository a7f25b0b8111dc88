/**
 * The encoder: a {@link TcpSegmentInit} to bytes. The length is known before the
 * buffer is allocated, so the segment is written once into a buffer of the right size
 * (as dns-packet's `encodingLength` does).
 */

import { TcpWireError } from './errors.js';
import { flagsToBits } from './flags.js';
import { DATA_OFFSET_SHIFT, FIELD, HEADER_LEN, MAX_DATA_OFFSET, MAX_OPTIONS_LEN, MAX_SEGMENT_LEN, MIN_DATA_OFFSET, RESERVED_SHIFT } from './layout.js';
import { optionsLength, writeOption } from './options.js';
import { type PseudoHeaderInput, tcpChecksum } from './pseudo-header.js';
import { checkInt, checkU16, checkU32 } from './range.js';
import type { TcpSegmentInit } from './segment.js';

const utf8 = new TextEncoder();

interface Plan {
  headerLength: number;
  optionsLength: number;
  payload: Uint8Array;
}

function plan(init: TcpSegmentInit): Plan {
  if (typeof init !== 'object' || init === null) {
    throw new TcpWireError('BAD_INPUT', 'a segment to encode must be an object');
  }
  const options = init.options ?? [];
  if (!Array.isArray(options)) throw new TcpWireError('BAD_INPUT', 'options must be an array');
  const padding = init.padding ?? new Uint8Array(0);
  if (!(padding instanceof Uint8Array)) throw new TcpWireError('BAD_INPUT', 'padding must be a Uint8Array');
  const used = optionsLength(options) + padding.length;
  if (used > MAX_OPTIONS_LEN) {
    throw new TcpWireError('OUT_OF_RANGE', `options take ${used} bytes, but a TCP header holds at most ${MAX_OPTIONS_LEN}`);
  }
  let words = Math.ceil((HEADER_LEN + used) / 4);
  if (init.dataOffset !== undefined) {
    checkInt(init.dataOffset, MIN_DATA_OFFSET, MAX_DATA_OFFSET, 'dataOffset');
    if (init.dataOffset < words) {
      throw new TcpWireError(
        'OUT_OF_RANGE',
        `dataOffset ${init.dataOffset} words (${init.dataOffset * 4} bytes) is too small for ${used} bytes of options: at least ${words} needed`,
      );
    }
    words = init.dataOffset;
  }
  let payload: Uint8Array;
  if (init.payload === undefined) payload = new Uint8Array(0);
  else if (typeof init.payload === 'string') payload = utf8.encode(init.payload);
  else if (init.payload instanceof Uint8Array) payload = init.payload;
  else throw new TcpWireError('BAD_INPUT', 'payload must be a Uint8Array or a string');
  const total = words * 4 + payload.length;
  if (total > MAX_SEGMENT_LEN) {
    throw new TcpWireError('OUT_OF_RANGE', `the segment would be ${total} bytes; an IP packet carries at most ${MAX_SEGMENT_LEN}`);
  }
  return { headerLength: words * 4, optionsLength: used, payload };
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
 *   `BAD_INPUT` for a malformed option or flags; `BAD_ADDRESS` for bad pseudo-header addresses.
 */
export function encodeSegment(init: TcpSegmentInit, pseudo?: PseudoHeaderInput): Uint8Array {
  const p = plan(init);
  const srcPort = checkU16(init.srcPort ?? 0, 'srcPort');
  const dstPort = checkU16(init.dstPort ?? 0, 'dstPort');
  const seq = checkU32(init.seq ?? 0, 'seq');
  const ack = checkU32(init.ack ?? 0, 'ack');
  const reserved = checkInt(init.reserved ?? 0, 0, 7, 'reserved');
  const window = checkU16(init.window ?? 0xffff, 'window');
  const checksum = checkU16(init.checksum ?? 0, 'checksum');
  const urgent = checkU16(init.urgentPointer ?? 0, 'urgentPointer');
  const flagBits = flagsToBits(init.flags);

  const out = new Uint8Array(p.headerLength + p.payload.length);
  const dv = new DataView(out.buffer);
  dv.setUint16(FIELD.SRC_PORT, srcPort);
  dv.setUint16(FIELD.DST_PORT, dstPort);
  dv.setUint32(FIELD.SEQ, seq);
  dv.setUint32(FIELD.ACK, ack);
  dv.setUint16(FIELD.OFFSET_FLAGS, ((p.headerLength >>> 2) << DATA_OFFSET_SHIFT) | (reserved << RESERVED_SHIFT) | flagBits);
  dv.setUint16(FIELD.WINDOW, window);
  dv.setUint16(FIELD.CHECKSUM, checksum);
  dv.setUint16(FIELD.URGENT, urgent);
  let at: number = FIELD.OPTIONS;
  for (const o of init.options ?? []) at = writeOption(o, out, at);
  if (init.padding !== undefined) out.set(init.padding, at);
  // The rest of the options area stays zero: EOL bytes, as Scapy pads.
  out.set(p.payload, p.headerLength);
  if (pseudo !== undefined) dv.setUint16(FIELD.CHECKSUM, tcpChecksum(out, pseudo.src, pseudo.dst));
  return out;
}
