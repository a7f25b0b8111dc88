/**
 * flagsToBits' letter table pinned to the lookup it fronts (every letter matched
 * through FLAG_NAMES after toUpperCase): same bits, same error, on any string.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FLAG_NAMES, flagsToBits } from '../../src/index.js';

function reference(flags: string): number | string {
  let bits = 0;
  for (const ch of flags) {
    const f = FLAG_NAMES.find((n) => n.letter === ch.toUpperCase());
    if (f === undefined) return `flag letter "${ch}" is not one of F S R P A U E C N`;
    bits |= f.bit;
  }
  return bits;
}

function actual(flags: string): number | string {
  try {
    return flagsToBits(flags);
  } catch (e) {
    return (e as Error).message;
  }
}

describe('flagsToBits on letters equals the FLAG_NAMES lookup', () => {
  it('on strings of flag letters in both cases, other characters, and ones toUpperCase maps onto a letter', () => {
    const ch = fc.constantFrom(...'FSRPAUECNfsrpauecnBbxZ3 @`[{sſ'.split(''), '\u017f', '\u0131', '😀', 'ﬀ');
    fc.assert(
      fc.property(fc.array(ch, { maxLength: 10 }), (xs) => {
        const s = xs.join('');
        expect(actual(s)).toEqual(reference(s));
      }),
      { numRuns: 20000 },
    );
  });
});
