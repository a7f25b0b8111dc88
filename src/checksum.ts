/**
 * The Internet checksum (RFC 1071) and its incremental update (RFC 1624).
 *
 * The ones'-complement sum does not depend on byte order (RFC 1071 §2(B)): we
 * add 16-bit lanes in little-endian order, which the machine reads fastest (eight
 * at a time in a WebAssembly SIMD kernel, checksum-wasm.ts, or 32-bit words through
 * a DataView where WebAssembly is missing), into a Number (exact up to 2^53, far
 * beyond 64 KiB of words), fold the carries once at the end and swap the two bytes
 * of the result. A few bytes are added as big-endian pairs directly.
 */

import { wasmLaneSum } from './checksum-wasm.js';
import { TcpWireError } from './errors.js';
import { checkU16 } from './range.js';

/** Folds a non-negative integer (up to 2^53) into a 16-bit ones'-complement sum. */
export function foldSum(sum: number): number {
  // `>>> 16` would first truncate to 32 bits, so fold with division while the
  // value is above 2^32 - 1 (one division fold of a sum near 2^48 still is), then with bit operations.
  let s = sum;
  while (s > 0xffff_ffff) s = (s % 0x10000) + Math.floor(s / 0x10000);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

/**
 * Below this many bytes, adding byte pairs in JavaScript is quicker than copying
 * into the SIMD kernel (measured when choosing: about 30 ns a call either way at
 * 40 bytes; `npm run bench` shows the kernel at 64 B).
 */
const SMALL_SUM = 40;

/**
 * The 16-bit ones'-complement sum of `bytes[start..end)` taken as big-endian
 * 16-bit words (an odd last byte is the high byte of a word padded with zero),
 * plus `initial` (a sum from an earlier part, such as a pseudo-header).
 * Any `byteOffset` and any length work. The result is folded: 0..0xffff.
 * @throws {TcpWireError} `OUT_OF_RANGE` if `start..end` runs outside `bytes`.
 */
export function onesComplementSum(bytes: Uint8Array, start = 0, end = bytes.length, initial = 0): number {
  if (start < 0 || end > bytes.length) {
    throw new TcpWireError('OUT_OF_RANGE', `bytes ${start} to ${end} are outside the ${bytes.length}-byte buffer`);
  }
  if (end - start < SMALL_SUM) {
    // A few words: big-endian byte pairs, no allocation and no byte swap.
    let sum = initial;
    let i = start;
    for (; i + 1 < end; i += 2) sum += ((bytes[i] as number) << 8) | (bytes[i + 1] as number);
    if (i < end) sum += (bytes[i] as number) << 8;
    return foldSum(sum);
  }
  // Little-endian lanes, swapped once at the end (RFC 1071 §2(B)).
  let sum = wasmLaneSum(bytes, start, end);
  if (sum < 0) sum = dataViewLaneSum(bytes, start, end);
  const le = foldSum(sum);
  const be = ((le & 0xff) << 8) | (le >>> 8);
  return foldSum(be + initial);
}

/** The JavaScript lane sum, where WebAssembly SIMD is not available: 32-bit little-endian words. */
function dataViewLaneSum(bytes: Uint8Array, start: number, end: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let sum = 0;
  let i = start;
  const end4 = end - ((end - start) & 3);
  // Eight bytes a turn: fewer loop tests, same additions.
  const end8 = end4 - ((end4 - start) & 7);
  for (; i < end8; i += 8) {
    sum += view.getUint32(i, true) + view.getUint32(i + 4, true);
  }
  for (; i < end4; i += 4) {
    sum += view.getUint32(i, true);
  }
  if (end - i >= 2) {
    sum += view.getUint16(i, true);
    i += 2;
  }
  if (i < end) {
    // The odd last byte is the high byte of its big-endian word: the low byte in little-endian lanes.
    sum += bytes[i] as number;
  }
  return sum;
}

/** The Internet checksum of `bytes` (RFC 1071): the ones' complement of their ones'-complement sum. */
export function internetChecksum(bytes: Uint8Array): number {
  return ~onesComplementSum(bytes) & 0xffff;
}

/**
 * Incremental update of a checksum when one 16-bit word changes, RFC 1624 eqn. 3:
 * HC' = ~(~HC + ~m + m').
 */
export function updateChecksum(oldChecksum: number, oldWord: number, newWord: number): number {
  checkU16(oldChecksum, 'oldChecksum');
  checkU16(oldWord, 'oldWord');
  checkU16(newWord, 'newWord');
  const sum = (~oldChecksum & 0xffff) + (~oldWord & 0xffff) + newWord;
  return ~foldSum(sum) & 0xffff;
}
