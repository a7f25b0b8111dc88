/**
 * The character-code IPv4 parser pinned to the split-and-regex parser it fronts:
 * same bytes for every address it accepts, the same error for everything else.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAddress } from '../../src/index.js';

/** The parser as it was: four parts, each /^\d{1,3}$/, no leading zero, up to 255. */
function reference(text: string): number[] | 'BAD_ADDRESS' {
  const parts = text.trim().split('.');
  if (parts.length !== 4) return 'BAD_ADDRESS';
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p[0] === '0') || Number(p) > 255) return 'BAD_ADDRESS';
    out.push(Number(p));
  }
  return out;
}

function parsed(text: string): number[] | string {
  try {
    return Array.from(parseAddress(text));
  } catch (e) {
    return (e as { code: string }).code;
  }
}

/** Text near dotted decimal: digits, dots, and now and then something else. */
const nearV4 = fc
  .array(fc.oneof(fc.constantFrom(...'0123456789.'.split('')), fc.constantFrom('..', '00', '255', '256', '1000', ' ', '-', '+', 'a', '٣', '1e2', '0x1')), { maxLength: 18 })
  .map((xs) => xs.join(''));

describe('parseAddress (IPv4 text) equals the split-and-regex parser', () => {
  it('on text near dotted decimal', () => {
    fc.assert(
      fc.property(nearV4, (t) => {
        expect(parsed(t)).toEqual(reference(t));
      }),
      { numRuns: 20000 },
    );
  });

  it('on every address written from four bytes, and its variants with a leading zero or a part above 255', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 300 }), { minLength: 4, maxLength: 4 }), fc.nat({ max: 3 }), fc.boolean(), (parts, i, pad) => {
        const text = parts.map((p, k) => (pad && k === i ? `0${p}` : String(p))).join('.');
        expect(parsed(text)).toEqual(reference(text));
      }),
      { numRuns: 5000 },
    );
  });
});
