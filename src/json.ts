/**
 * The JSON form of a segment: the {@link TcpSegment} with every byte string
 * (payload, padding, option data) as lowercase hex. `tcpwire decode --json`
 * prints it and `tcpwire encode` reads it, so the two are inverses.
 */

import { TcpWireError } from './errors.js';
import { fromHex, toHex } from './hex.js';
import type { TcpOption } from './options.js';
import type { TcpSegment, TcpSegmentInit } from './segment.js';

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const BYTE_FIELDS = ['cookie', 'digest', 'mac', 'data'] as const;

/** An option with its byte fields as hex. */
export function optionToJson(option: TcpOption): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(option)) {
    if (v instanceof Uint8Array) out[k] = toHex(v);
    else if (k === 'blocks') out[k] = (v as [number, number][]).map(([l, r]) => [l, r]);
    else out[k] = v as Json;
  }
  return out;
}

/** The JSON form of a decoded segment. */
export function segmentToJson(segment: TcpSegment): { [key: string]: Json } {
  return {
    srcPort: segment.srcPort,
    dstPort: segment.dstPort,
    seq: segment.seq,
    ack: segment.ack,
    dataOffset: segment.dataOffset,
    reserved: segment.reserved,
    flags: { ...segment.flags },
    window: segment.window,
    checksum: segment.checksum,
    urgentPointer: segment.urgentPointer,
    options: segment.options.map(optionToJson),
    padding: toHex(segment.padding),
    payload: toHex(segment.payload),
    warnings: segment.warnings.map((w) => ({ code: w.code, offset: w.offset, message: w.message })),
  };
}

function hexField(value: unknown, name: string): Uint8Array {
  if (typeof value !== 'string') throw new TcpWireError('BAD_INPUT', `${name} must be a hex string`);
  return fromHex(value);
}

/** An option from its JSON form (hex strings back to bytes). */
export function optionFromJson(value: unknown): TcpOption {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TcpWireError('BAD_INPUT', 'each option must be an object with a "type"');
  }
  const o: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const k of BYTE_FIELDS) if (k in o) o[k] = hexField(o[k], `option ${k}`);
  return o as unknown as TcpOption;
}

/** A {@link TcpSegmentInit} from the JSON form (as `segmentToJson` writes it, or any subset). */
export function segmentFromJson(value: unknown): TcpSegmentInit {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TcpWireError('BAD_INPUT', 'a segment in JSON must be an object');
  }
  const v = value as Record<string, unknown>;
  const init: Record<string, unknown> = { ...v };
  if (v.options !== undefined) {
    if (!Array.isArray(v.options)) throw new TcpWireError('BAD_INPUT', '"options" must be an array');
    init.options = v.options.map(optionFromJson);
  }
  if (v.padding !== undefined) init.padding = hexField(v.padding, 'padding');
  if (v.payload !== undefined) init.payload = hexField(v.payload, 'payload');
  delete init.warnings;
  return init as TcpSegmentInit;
}
