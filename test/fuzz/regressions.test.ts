/**
 * Inputs the fuzzers found that broke a rule, kept as tests (issue 6: every crash becomes a
 * regression test). Each names the fuzzer and the rule.
 */

import { describe, expect, it } from 'vitest';
import { TcpWireError, encodeSegment, segmentFromJson } from '../../src/index.js';

const codeOf = (f: () => unknown): string => {
  try {
    f();
    return 'returned';
  } catch (e) {
    return e instanceof TcpWireError ? e.code : `not a TcpWireError: ${String(e)}`;
  }
};

describe('found by test/fuzz/text.fuzz.test.ts (hostile JSON)', () => {
  // {"srcPort": null} was written as port 0: `??` took JSON's null for "left out".
  it.each(['srcPort', 'dstPort', 'seq', 'ack', 'reserved', 'window', 'checksum', 'urgentPointer'])(
    '%s: null is refused with OUT_OF_RANGE, not written as the default',
    (field) => {
      expect(codeOf(() => encodeSegment(segmentFromJson({ [field]: null })))).toBe('OUT_OF_RANGE');
      expect(codeOf(() => encodeSegment({ [field]: null } as never))).toBe('OUT_OF_RANGE');
      // left out, it still takes the default
      expect(encodeSegment(segmentFromJson({})).length).toBe(20);
    },
  );

  it('options: null is refused (BAD_INPUT), not taken for no options', () => {
    expect(codeOf(() => encodeSegment({ options: null } as never))).toBe('BAD_INPUT');
  });
});
