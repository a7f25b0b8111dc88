/**
 * The nine TCP flag bits: AE (RFC 9768), CWR and ECE (RFC 3168), URG, ACK, PSH,
 * RST, SYN, FIN (RFC 9293 §3.1).
 */

import { TcpWireError } from './errors.js';
import { FLAG } from './layout.js';

/** Every flag bit as a boolean. */
export interface TcpFlags {
  /** Accurate ECN (RFC 9768), formerly NS (RFC 3540). */
  ae: boolean;
  cwr: boolean;
  ece: boolean;
  urg: boolean;
  ack: boolean;
  psh: boolean;
  rst: boolean;
  syn: boolean;
  fin: boolean;
}

/** Flags as an object (missing ones are false), or as letters: F S R P A U E C, and N for AE (Scapy's letters). */
export type TcpFlagsInit = Partial<TcpFlags> | string;

/** Flag names, high bit first, with their bit and their letter. */
export const FLAG_NAMES: ReadonlyArray<{ key: keyof TcpFlags; bit: number; letter: string; label: string }> = [
  { key: 'ae', bit: FLAG.AE, letter: 'N', label: 'AE' },
  { key: 'cwr', bit: FLAG.CWR, letter: 'C', label: 'CWR' },
  { key: 'ece', bit: FLAG.ECE, letter: 'E', label: 'ECE' },
  { key: 'urg', bit: FLAG.URG, letter: 'U', label: 'URG' },
  { key: 'ack', bit: FLAG.ACK, letter: 'A', label: 'ACK' },
  { key: 'psh', bit: FLAG.PSH, letter: 'P', label: 'PSH' },
  { key: 'rst', bit: FLAG.RST, letter: 'R', label: 'RST' },
  { key: 'syn', bit: FLAG.SYN, letter: 'S', label: 'SYN' },
  { key: 'fin', bit: FLAG.FIN, letter: 'F', label: 'FIN' },
];

/** Flag bits by lower-case letter code (`code | 0x20` folds ASCII case); 0 where no letter is. */
const LETTER_BITS: readonly number[] = (() => {
  const table = new Array<number>(128).fill(0);
  for (const n of FLAG_NAMES) table[n.letter.toLowerCase().charCodeAt(0)] = n.bit;
  return table;
})();

/** The flags object for the nine low bits of `bits`. */
export function flagsFromBits(bits: number): TcpFlags {
  return {
    ae: (bits & FLAG.AE) !== 0,
    cwr: (bits & FLAG.CWR) !== 0,
    ece: (bits & FLAG.ECE) !== 0,
    urg: (bits & FLAG.URG) !== 0,
    ack: (bits & FLAG.ACK) !== 0,
    psh: (bits & FLAG.PSH) !== 0,
    rst: (bits & FLAG.RST) !== 0,
    syn: (bits & FLAG.SYN) !== 0,
    fin: (bits & FLAG.FIN) !== 0,
  };
}

/**
 * The 9-bit value of a flags object or letter string.
 * @throws {TcpWireError} `BAD_INPUT` for an unknown letter or a non-boolean flag.
 */
export function flagsToBits(flags: TcpFlagsInit | undefined): number {
  if (flags === undefined) return 0;
  let bits = 0;
  if (typeof flags === 'string') {
    // Letters by character code first (a lookup per letter costs more than encoding
    // the rest of a segment); anything else goes to the loop below, which knows
    // every spelling and throws the precise error.
    for (let i = 0; i < flags.length; i++) {
      const bit = LETTER_BITS[flags.charCodeAt(i) | 0x20] ?? 0;
      if (bit === 0) {
        bits = -1;
        break;
      }
      bits |= bit;
    }
    if (bits >= 0) return bits;
    bits = 0;
    for (const ch of flags) {
      const f = FLAG_NAMES.find((n) => n.letter === ch.toUpperCase());
      if (f === undefined) {
        throw new TcpWireError('BAD_INPUT', `flag letter "${ch}" is not one of F S R P A U E C N`);
      }
      bits |= f.bit;
    }
    return bits;
  }
  if (typeof flags !== 'object' || flags === null) {
    throw new TcpWireError('BAD_INPUT', 'flags must be an object of booleans or a string of letters');
  }
  for (const key of Object.keys(flags)) {
    const f = FLAG_NAMES.find((n) => n.key === key);
    const value = (flags as Record<string, unknown>)[key];
    if (f === undefined) throw new TcpWireError('BAD_INPUT', `"${key}" is not a TCP flag (ae cwr ece urg ack psh rst syn fin)`);
    if (value !== undefined && typeof value !== 'boolean') {
      throw new TcpWireError('BAD_INPUT', `flag ${key} must be true or false, not ${JSON.stringify(value)}`);
    }
    if (value === true) bits |= f.bit;
  }
  return bits;
}

/** Flags as Wireshark names them: "SYN, ACK". Empty string when none is set. */
export function formatFlags(flags: TcpFlags): string {
  return FLAG_NAMES.filter((n) => flags[n.key])
    .map((n) => n.label)
    .reverse()
    .join(', ');
}
