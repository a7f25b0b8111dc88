/** Hexadecimal text ⇄ bytes, tolerant of the separators people paste. */

import { TcpWireError } from './errors.js';

const HEX = '0123456789abcdef';

/** Lowercase hex of `bytes`, no separators. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    s += (HEX[b >>> 4] as string) + (HEX[b & 15] as string);
  }
  return s;
}

/**
 * Parses hex text into bytes. Whitespace, colons, dashes and a leading `0x` are
 * ignored, so `45 00`, `45:00` and `0x4500` all work.
 * @throws {TcpWireError} `BAD_HEX` with the character offset of the first bad digit, or for an odd number of digits.
 */
export function fromHex(text: string): Uint8Array {
  const digits: number[] = [];
  let i = 0;
  if (/^\s*0x/i.test(text)) i = text.toLowerCase().indexOf('0x') + 2;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x3a || c === 0x2d) continue;
    const v = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
    if (v < 0) {
      throw new TcpWireError('BAD_HEX', `character ${JSON.stringify(text[i])} at position ${i} is not a hexadecimal digit`, i);
    }
    digits.push(v);
  }
  if (digits.length % 2 !== 0) {
    throw new TcpWireError('BAD_HEX', `hex text has ${digits.length} digits, an odd number: every byte takes two`, text.length);
  }
  const out = new Uint8Array(digits.length / 2);
  for (let k = 0; k < out.length; k++) out[k] = ((digits[2 * k] as number) << 4) | (digits[2 * k + 1] as number);
  return out;
}
