/** Range checks for values an encoder writes: never masked, never truncated. */

import { TcpWireError } from './errors.js';

/**
 * Checks that `value` is an integer in `min..max` and returns it.
 * @throws {TcpWireError} `OUT_OF_RANGE`, naming the field and the range.
 */
export function checkInt(value: unknown, min: number, max: number, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const shown = typeof value === 'number' ? String(value) : JSON.stringify(value) ?? String(value);
    throw new TcpWireError('OUT_OF_RANGE', `${name} is ${shown}: expected an integer from ${min} to ${max}`);
  }
  return value;
}

/** Checks a 16-bit unsigned field. */
export function checkU16(value: unknown, name: string): number {
  return checkInt(value, 0, 0xffff, name);
}

/** Checks a 32-bit unsigned field. */
export function checkU32(value: unknown, name: string): number {
  return checkInt(value, 0, 0xffff_ffff, name);
}

/** Checks an 8-bit unsigned field. */
export function checkU8(value: unknown, name: string): number {
  return checkInt(value, 0, 0xff, name);
}
