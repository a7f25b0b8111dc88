/**
 * Address text for addresses read in place, with small direct-mapped caches: a capture holds
 * few addresses, so each is formatted once rather than once a packet. Same text as
 * `formatAddress` (dotted decimal; RFC 5952 for IPv6).
 */

import { formatAddress } from '../address.js';

const SLOTS = 256;
const v4Keys = new Uint32Array(SLOTS);
const v4Texts: string[] = new Array<string>(SLOTS).fill('0.0.0.0');
const v6Keys = new Uint32Array(SLOTS * 4);
const v6Texts: string[] = new Array<string>(SLOTS).fill('::');

function u32(bytes: Uint8Array, at: number): number {
  return (((bytes[at] as number) << 24) | ((bytes[at + 1] as number) << 16) | ((bytes[at + 2] as number) << 8) | (bytes[at + 3] as number)) >>> 0;
}

function slotOf(key: number): number {
  const h = Math.imul(key, 0x9e3779b1) >>> 0;
  return h >>> 24;
}

/** The dotted-decimal text of the IPv4 address in `bytes[at .. at+4)`. */
export function ipv4TextAt(bytes: Uint8Array, at: number): string {
  const key = u32(bytes, at);
  const slot = slotOf(key);
  if (v4Keys[slot] === key) return v4Texts[slot] as string;
  const text = `${bytes[at]}.${bytes[at + 1]}.${bytes[at + 2]}.${bytes[at + 3]}`;
  v4Keys[slot] = key;
  v4Texts[slot] = text;
  return text;
}

/** The RFC 5952 text of the IPv6 address in `bytes[at .. at+16)`. */
export function ipv6TextAt(bytes: Uint8Array, at: number): string {
  const a = u32(bytes, at);
  const b = u32(bytes, at + 4);
  const c = u32(bytes, at + 8);
  const d = u32(bytes, at + 12);
  const slot = slotOf((a ^ b ^ c ^ d) >>> 0);
  const k = slot * 4;
  if (v6Keys[k] === a && v6Keys[k + 1] === b && v6Keys[k + 2] === c && v6Keys[k + 3] === d) return v6Texts[slot] as string;
  const text = formatAddress(bytes.subarray(at, at + 16));
  v6Keys[k] = a;
  v6Keys[k + 1] = b;
  v6Keys[k + 2] = c;
  v6Keys[k + 3] = d;
  v6Texts[slot] = text;
  return text;
}
