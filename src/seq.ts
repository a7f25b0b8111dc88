/**
 * 32-bit sequence-number arithmetic, all modulo 2^32 (RFC 9293 §3.4, RFC 1982).
 *
 * Sequence numbers are stored as unsigned integers 0..2^32-1. They are never
 * compared with `<` directly: the order is the sign of the wrapping difference,
 * as Linux's `before()`/`after()` do with `(s32)(a - b)`.
 *
 * Exactly 2^31 apart, RFC 1982 leaves the order undefined. These functions then
 * say that each number is before the other (`seqLt(a, b)` and `seqLt(b, a)` are
 * both true, and `seqDiff` returns -2^31 both ways), as Linux's `before()` and
 * smoltcp's `<` do. `seqGt(a, b)` is defined as `seqLt(b, a)` (Linux's `after()`),
 * so there each number is also after the other; `seqLe`/`seqGe` are true both
 * ways, and `seqCompare` follows the sign of `seqDiff`: -1 both ways.
 */

import { TcpWireError } from './errors.js';
import { checkInt } from './range.js';

/** 2^32, the sequence space's modulus. */
export const SEQ_MODULUS = 0x1_0000_0000;

/** `a + n` modulo 2^32; `n` may be negative or any safe integer. */
export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}

/** `a - n` modulo 2^32. */
export function seqSub(a: number, n: number): number {
  return (a - n) >>> 0;
}

/** The signed distance `a - b`, in [-2^31, 2^31): Linux's `(s32)(a - b)`. */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** `a` comes before `b` in sequence space. */
export function seqLt(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

/** `a` comes before `b`, or equals it. */
export function seqLe(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}

/** `a` comes after `b` in sequence space. */
export function seqGt(a: number, b: number): boolean {
  return ((b - a) | 0) < 0;
}

/** `a` comes after `b`, or equals it. */
export function seqGe(a: number, b: number): boolean {
  return ((b - a) | 0) <= 0;
}

/** Three-way comparison: -1 if `a` is before `b`, 0 if equal, 1 if after. */
export function seqCompare(a: number, b: number): -1 | 0 | 1 {
  const d = (a - b) | 0;
  return d < 0 ? -1 : d > 0 ? 1 : 0;
}

/**
 * `start <= x < start + size` in sequence space (RFC 9293 §3.4's window test, the one
 * §3.10.7.4's acceptability test applies with RCV.NXT and RCV.WND).
 * A window of size 0 contains nothing (§3.10.7.4's special case, an empty segment at
 * RCV.NXT when RCV.WND is 0, is the caller's). `size` is a 32-bit window: 0 to 2^32 - 1
 * (RCV.WND reaches at most 65535 × 2^14 < 2^30 on the wire, RFC 7323 §2.3); 2^32 would
 * hold every number, and wraps to nothing in 32 bits, so it is refused, never masked.
 * @throws {TcpWireError} `OUT_OF_RANGE` if `size` is not an integer from 0 to 2^32 - 1.
 */
export function seqInWindow(x: number, start: number, size: number): boolean {
  checkInt(size, 0, SEQ_MODULUS - 1, 'window size');
  return ((x - start) >>> 0) < size;
}

/** True if `n` is an integer in 0..2^32-1. */
export function isSeq(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n < SEQ_MODULUS;
}

/**
 * Parses a sequence number given as text (decimal, or hex with 0x), checking its range.
 * @throws {TcpWireError} `OUT_OF_RANGE` if it is not an integer in 0..2^32-1.
 */
export function parseSeq(text: string): number {
  const t = text.trim();
  const n = /^0x[0-9a-f]+$/i.test(t) ? Number.parseInt(t.slice(2), 16) : /^\d+$/.test(t) ? Number(t) : Number.NaN;
  if (!isSeq(n)) {
    throw new TcpWireError('OUT_OF_RANGE', `"${text}" is not a sequence number: expected an integer from 0 to 4294967295`);
  }
  return n;
}

/**
 * The sequence space a segment occupies (RFC 9293 §3.4, SEG.LEN): payload
 * bytes, plus one for SYN, plus one for FIN.
 */
export function segmentLength(segment: {
  payload: { length: number };
  flags: { syn: boolean; fin: boolean };
}): number {
  return segment.payload.length + (segment.flags.syn ? 1 : 0) + (segment.flags.fin ? 1 : 0);
}
