/**
 * IPv4 and IPv6 addresses as bytes: parsing (RFC 4291 §2.2 text forms) and
 * formatting (RFC 5952 canonical form for IPv6).
 */

import { TcpWireError } from './errors.js';

/** An address as text ("192.0.2.1", "2001:db8::1") or as 4 or 16 bytes. */
export type AddressInput = string | Uint8Array | readonly number[];

function badAddress(text: string, why: string): TcpWireError {
  return new TcpWireError('BAD_ADDRESS', `"${text}" is not an IP address: ${why}`);
}

function parseIPv4Into(text: string, out: Uint8Array, at: number, whole: string): void {
  // Dotted decimal read by character codes: splitting and a regular expression per
  // part cost ~300 ns an address, more than checksumming the segment it goes with.
  // Anything else (a wrong count of parts, a leading zero, a part above 255, another
  // character) goes to parseIPv4Checked, which throws the precise error.
  let part = 0;
  let value = 0;
  let digits = 0;
  let i = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e /* . */) {
      if (digits === 0 || value > 255 || part === 3) break;
      out[at + part] = value;
      part++;
      value = 0;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39 && digits < 3 && !(digits === 1 && value === 0)) {
      value = value * 10 + (c - 0x30);
      digits++;
    } else break;
  }
  if (i === text.length && part === 3 && digits > 0 && value <= 255) {
    out[at + 3] = value;
    return;
  }
  parseIPv4Checked(text, out, at, whole);
}

/** The reference parser: four parts, each 1 to 3 decimal digits without a leading zero, up to 255. */
function parseIPv4Checked(text: string, out: Uint8Array, at: number, whole: string): void {
  const parts = text.split('.');
  if (parts.length !== 4) throw badAddress(whole, 'an IPv4 address has four decimal parts separated by dots');
  for (let i = 0; i < 4; i++) {
    const p = parts[i] as string;
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p[0] === '0') || Number(p) > 255) {
      throw badAddress(whole, `part "${p}" must be a decimal number from 0 to 255 without leading zeros`);
    }
    out[at + i] = Number(p);
  }
}

function parseIPv6(text: string): Uint8Array {
  const out = new Uint8Array(16);
  let body = text;
  if (body.startsWith('[') && body.endsWith(']')) body = body.slice(1, -1);
  if (body.includes('%')) throw badAddress(text, 'zone identifiers (%...) have no place in a pseudo-header');
  const halves = body.split('::');
  if (halves.length > 2) throw badAddress(text, '"::" may appear only once');
  const groupsOf = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const head = groupsOf(halves[0] as string);
  const tail = halves.length === 2 ? groupsOf(halves[1] as string) : [];
  // An embedded IPv4 address may end the text (::ffff:192.0.2.1).
  const words: number[] = [];
  const all = [...head, ...(halves.length === 2 ? ['::'] : []), ...tail];
  let v4: string | undefined;
  if (all.length > 0 && (all[all.length - 1] as string).includes('.')) v4 = all.pop();
  for (const g of all) {
    if (g === '::') {
      words.push(-1);
      continue;
    }
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) throw badAddress(text, `group "${g}" must be 1 to 4 hexadecimal digits`);
    words.push(Number.parseInt(g, 16));
  }
  const wanted = v4 === undefined ? 8 : 6;
  const gap = words.indexOf(-1);
  const explicit = words.length - (gap >= 0 ? 1 : 0);
  if (gap < 0 && explicit !== wanted) throw badAddress(text, `expected ${wanted} groups, found ${explicit}`);
  if (gap >= 0 && explicit >= wanted) throw badAddress(text, '"::" must stand for at least one zero group');
  const full: number[] = [];
  for (const w of words) {
    if (w === -1) for (let k = 0; k < wanted - explicit; k++) full.push(0);
    else full.push(w);
  }
  for (let i = 0; i < full.length; i++) {
    out[2 * i] = (full[i] as number) >>> 8;
    out[2 * i + 1] = (full[i] as number) & 0xff;
  }
  if (v4 !== undefined) parseIPv4Into(v4, out, 12, text);
  return out;
}

/**
 * Parses an IPv4 or IPv6 address into 4 or 16 bytes. Bytes given as an array
 * of length 4 or 16 are checked and copied.
 * @throws {TcpWireError} `BAD_ADDRESS` with the reason.
 */
export function parseAddress(input: AddressInput): Uint8Array {
  if (typeof input !== 'string') {
    if (input.length !== 4 && input.length !== 16) {
      throw new TcpWireError('BAD_ADDRESS', `an address given as bytes must have 4 (IPv4) or 16 (IPv6) of them, not ${input.length}`);
    }
    for (const b of input) {
      if (!Number.isInteger(b) || b < 0 || b > 255) {
        throw new TcpWireError('BAD_ADDRESS', `address byte ${String(b)} is not an integer from 0 to 255`);
      }
    }
    return Uint8Array.from(input);
  }
  const text = input.trim();
  if (text.includes(':')) return parseIPv6(text);
  const out = new Uint8Array(4);
  parseIPv4Into(text, out, 0, input);
  return out;
}

/** Formats 4 bytes as dotted decimal, 16 bytes as RFC 5952 canonical IPv6 text. */
export function formatAddress(bytes: Uint8Array): string {
  if (bytes.length === 4) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
  if (bytes.length !== 16) {
    throw new TcpWireError('BAD_ADDRESS', `an address has 4 or 16 bytes, not ${bytes.length}`);
  }
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push(((bytes[i] as number) << 8) | (bytes[i + 1] as number));
  // RFC 5952 §4.2: compress the longest run of two or more zero groups, the first if tied.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (ws: number[]): string => ws.map((w) => w.toString(16)).join(':');
  if (bestStart < 0) return hex(words);
  return `${hex(words.slice(0, bestStart))}::${hex(words.slice(bestStart + bestLen))}`;
}
