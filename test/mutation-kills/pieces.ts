/**
 * What a sentence must name, for the kill tests: the values, fields, bounds and units a test put
 * into its input, each checked on its own, never the whole sentence the code produced.
 */

import { expect } from 'vitest';

/** A piece a sentence must hold: text as given, a number standing alone (not inside a longer number), or a pattern. */
export type Piece = string | number | RegExp;

export function expectPieces(message: string | undefined, pieces: readonly Piece[], what: string): void {
  expect(message, `${what}: a sentence`).toBeTypeOf('string');
  const m = message as string;
  expect(m.length, what).toBeGreaterThan(0);
  for (const p of pieces) {
    if (p instanceof RegExp) {
      expect(m, `${what}: matches ${p}`).toMatch(p);
    } else if (typeof p === 'number') {
      const n = String(p).replace('.', '\\.');
      expect(m, `${what}: names ${p}`).toMatch(new RegExp(`(^|[^0-9.])${n}([^0-9]|$)`));
    } else {
      expect(m, `${what}: names ${JSON.stringify(p)}`).toContain(p);
    }
  }
}

/** What `f` throws (the test fails if it returns). */
export function thrownBy(f: () => unknown, what: string): { code?: string; offset?: number; message: string } {
  try {
    f();
  } catch (e) {
    return e as { code?: string; offset?: number; message: string };
  }
  expect.fail(`${what}: expected an error, it returned`);
}
