/**
 * Tests written for mutants that survived in the encoder and the JSON form (src/encode.ts,
 * src/json.ts): what is not an object is refused, and the JSON form is a copy, warnings included.
 */

import { describe, expect, it } from 'vitest';
import { TcpWireError, decodeSegment, encodeSegment, optionFromJson, segmentFromJson, segmentToJson } from '../../src/index.js';

const codeOf = (f: () => unknown): string => {
  try {
    f();
    return 'returned';
  } catch (e) {
    return e instanceof TcpWireError ? e.code : `not a TcpWireError: ${String(e)}`;
  }
};

describe('only objects are segments and options', () => {
  it.each([['a string', 'x'], ['a number', 5], ['true', true], ['null', null], ['a function', () => 1]])('encodeSegment(%s): BAD_INPUT', (_, v) => {
    expect(codeOf(() => encodeSegment(v as never))).toBe('BAD_INPUT');
  });
  it.each([['null', null], ['an array', [1]], ['a string', 'mss'], ['a number', 2]])('segmentFromJson and optionFromJson (%s): BAD_INPUT', (_, v) => {
    expect(codeOf(() => segmentFromJson(v))).toBe('BAD_INPUT');
    expect(codeOf(() => optionFromJson(v))).toBe('BAD_INPUT');
  });
});

describe('segmentToJson', () => {
  it('is a copy: changing the JSON does not change the segment (SACK blocks included)', () => {
    const s = decodeSegment(encodeSegment({ options: [{ type: 'sack', blocks: [[1, 2], [3, 4]] }, { type: 'nop' }, { type: 'nop' }] }));
    const j = segmentToJson(s);
    const blocks = (j.options as { blocks: number[][] }[])[0]?.blocks as number[][];
    expect(blocks).toEqual([[1, 2], [3, 4]]);
    (blocks[0] as number[])[0] = 99;
    blocks.push([5, 6]);
    expect(s.options[0]).toEqual({ type: 'sack', blocks: [[1, 2], [3, 4]] });
  });

  it('carries the warnings as plain {code, offset, message}', () => {
    const s = decodeSegment(encodeSegment({ options: [{ type: 'windowScale', shift: 15 }, { type: 'nop' }] }));
    expect(segmentToJson(s).warnings).toEqual([{ code: 'OUT_OF_RANGE', offset: 20, message: s.warnings[0]?.message }]);
    expect((segmentToJson(s).warnings as { message: string }[])[0]?.message).toMatch(/window scale shift 15/);
  });

  it('and segmentFromJson reads it back, leaving the warnings out', () => {
    const s = decodeSegment(encodeSegment({ payload: 'hi', options: [{ type: 'windowScale', shift: 15 }, { type: 'eol' }], padding: Uint8Array.of(0, 7) }));
    const init = segmentFromJson(segmentToJson(s));
    expect('warnings' in init).toBe(false);
    expect(Array.from(init.payload as Uint8Array)).toEqual([0x68, 0x69]);
    expect(Array.from(init.padding as Uint8Array)).toEqual([0, 7, 0, 0]); // to the end of the area
    expect(encodeSegment(init)).toEqual(encodeSegment(s));
  });
});
