/**
 * Fuzzing what people type and paste: fromHex on arbitrary text, segmentFromJson + encodeSegment
 * on hostile JSON (every field replaced by wrong types, fractions, negatives, 2^32, NaN, huge
 * strings), and checkHandshake on arbitrary lists of segments. The encoder's rule is checked
 * exactly: what it accepts it writes unchanged (decoding the bytes gives every given field back),
 * never masked or truncated; everything else is a TcpWireError.
 */

import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type CheckInput,
  type TcpSegment,
  checkHandshake,
  decodeSegment,
  encodeSegment,
  fromHex,
  optionsLength,
  segmentFromJson,
  segmentToJson,
  toHex,
} from '../../src/index.js';
import { addressPairArb, fuzzBytesArb, rawOption, segmentArb } from '../core/arbitraries.js';
import { FuzzStats, InvariantError, checkNumbers } from './invariants.js';
import { CALL_BUDGET_MS, reportStats } from './report.js';
import { runs } from './scale.js';

const stats = { fromHex: new FuzzStats(), segmentFromJson: new FuzzStats(), encodeSegment: new FuzzStats(), checkHandshake: new FuzzStats() };
let generated = 0;

function fail(message: string): never {
  throw new InvariantError(message);
}

const HEXISH = '0123456789abcdefABCDEF :-\t\nxXg';

describe('fromHex on arbitrary text', () => {
  it('gives the digits back as bytes, or BAD_HEX at a position inside the text', () => {
    const textArb = fc.oneof(
      fc.string({ unit: fc.constantFrom(...HEXISH), maxLength: 80 }),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.uint8Array({ maxLength: 40 }).map((b) => `0x${toHex(b)}`),
      fc.uint8Array({ maxLength: 40 }).map((b) => toHex(b).replace(/(..)/g, '$1 ')),
    );
    fc.assert(
      fc.property(textArb, (text) => {
        generated++;
        const out = stats.fromHex.run('fromHex', () => fromHex(text), () => {});
        const digits = text.replace(/^\s*0x/i, '').replace(/[\s:-]/g, '').toLowerCase();
        if (out !== undefined) {
          if (toHex(out) !== digits) fail(`fromHex(${JSON.stringify(text)}) gave ${toHex(out)}`);
        } else if (/^[0-9a-f]*$/.test(digits) && digits.length % 2 === 0 && !/\s/.test(text.replace(/[ \t\n\r]/g, ''))) {
          fail(`fromHex refused ${JSON.stringify(text)}`);
        }
      }),
      { numRuns: runs(40_000) },
    );
  });
});

/** Values that must never be written as if they were a field's value. */
const HOSTILE = [-1, 1.5, 0.1, -0, 2 ** 32, 2 ** 16, 256, 8, 16, Number.NaN, Number.POSITIVE_INFINITY, '12', '', null, true, [], {}, [1, 2, 3], 2 ** 53, -(2 ** 31)];
const hostileArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 2, arbitrary: fc.integer({ min: -2, max: 2 ** 32 + 2 }) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);

type JsonObject = Record<string, unknown>;

/** Replaces one value, somewhere in the JSON form (a field, a flag, an option's field, a SACK edge). */
function corrupt(json: JsonObject, pick: number, value: unknown, keyPick: number): JsonObject {
  const copy = JSON.parse(JSON.stringify(json)) as JsonObject;
  const options = copy.options as JsonObject[];
  const where = pick % 4;
  if (where === 0 || options.length === 0) {
    const keys = Object.keys(copy).filter((k) => k !== 'warnings');
    copy[keys[keyPick % keys.length] as string] = value;
  } else if (where === 1) {
    const flags = copy.flags as JsonObject;
    const keys = [...Object.keys(flags), 'bogus'];
    flags[keys[keyPick % keys.length] as string] = value;
  } else {
    const o = options[keyPick % options.length] as JsonObject;
    const keys = Object.keys(o);
    const k = keys[(keyPick >> 3) % keys.length] as string;
    if (k === 'blocks' && Array.isArray(o.blocks) && o.blocks.length > 0 && where === 3) {
      (o.blocks as unknown[][])[0]![keyPick & 1] = value;
    } else o[k] = value;
  }
  return copy;
}

const NUMERIC = ['srcPort', 'dstPort', 'seq', 'ack', 'dataOffset', 'reserved', 'window', 'checksum', 'urgentPointer'] as const;

/** Encodes hostile JSON; what is accepted must decode to exactly what was given. */
function fuzzJson(value: unknown): void {
  generated++;
  const init = stats.segmentFromJson.run('segmentFromJson', () => segmentFromJson(value), () => {});
  if (init === undefined) return;
  const bytes = stats.encodeSegment.run('encodeSegment', () => encodeSegment(init), () => {});
  if (bytes === undefined) return;
  const given = value as JsonObject;
  let back: TcpSegment;
  try {
    back = decodeSegment(bytes);
  } catch (e) {
    // Padding is raw bytes written after the options as given; without an EOL before them they are
    // read back as options, and may not parse: a crafted malformed segment, written exactly as asked.
    const options = init.options ?? [];
    const padding = init.padding ?? new Uint8Array(0);
    if (padding.length > 0 && options[options.length - 1]?.type !== 'eol') {
      const at = 20 + optionsLength(options);
      if (toHex(bytes.subarray(at, at + padding.length)) !== toHex(padding)) fail('padding not written as given');
      return;
    }
    fail(`encodeSegment wrote bytes decodeSegment refuses: ${String(e)}`);
  }
  for (const k of NUMERIC) {
    if (given[k] !== undefined && back[k] !== given[k]) fail(`${k} ${JSON.stringify(given[k])} was written as ${back[k]}`);
  }
  if (typeof given.flags === 'object' && given.flags !== null) {
    for (const [k, v] of Object.entries(given.flags)) {
      if (v !== undefined && (back.flags as unknown as JsonObject)[k] !== v) fail(`flag ${k} ${JSON.stringify(v)} written as ${String((back.flags as unknown as JsonObject)[k])}`);
    }
  }
  if (Array.isArray(given.options)) {
    // Every option is written byte for byte as RFC 9293 §3.1 lays it out (an independent writer,
    // test/core/arbitraries.ts). Typed values may come back as another type: an `unknown` option of
    // a known kind and a fitting length is read back as that kind, from the same bytes.
    const want = (init.options ?? []).flatMap((o) => rawOption(o));
    const got = Array.from(bytes.subarray(20, 20 + want.length));
    if (JSON.stringify(got) !== JSON.stringify(want)) fail(`options written as ${JSON.stringify(got)}, not ${JSON.stringify(want)}`);
  }
}

describe('segmentFromJson + encodeSegment on hostile JSON', () => {
  it('one field (or flag, option field, SACK edge) replaced by a hostile value: a TcpWireError, or written exactly', () => {
    fc.assert(
      fc.property(segmentArb(16), fc.nat(), hostileArb, fc.nat(), ({ segment }, pick, value, keyPick) => {
        const json = segmentToJson(segment);
        fuzzJson(corrupt(json, pick, value, keyPick));
      }),
      { numRuns: runs(60_000) },
    );
  });

  it('arbitrary JSON values and objects with segment keys', () => {
    const keys = ['srcPort', 'dstPort', 'seq', 'ack', 'dataOffset', 'reserved', 'flags', 'window', 'checksum', 'urgentPointer', 'options', 'padding', 'payload'];
    const objArb = fc.dictionary(fc.constantFrom(...keys), fc.oneof(hostileArb, fc.jsonValue({ maxDepth: 3 })), { maxKeys: 6 });
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 4 }), objArb), (v) => fuzzJson(v)),
      { numRuns: runs(40_000) },
    );
  });

  it('valid JSON round-trips: encode(segmentFromJson(segmentToJson(s))) decodes to s', () => {
    fc.assert(
      fc.property(segmentArb(16), ({ segment }) => fuzzJson(segmentToJson(segment))),
      { numRuns: runs(10_000) },
    );
  });
});

describe('checkHandshake on arbitrary segment lists', () => {
  it('returns findings (never throws, numbers in range, ok exactly when no finding is an error)', () => {
    const decodedArb = fuzzBytesArb().map((b) => {
      try {
        return decodeSegment(b);
      } catch {
        return undefined;
      }
    });
    const segArb = fc.oneof(segmentArb(8).map((x) => x.segment), decodedArb.filter((s): s is TcpSegment => s !== undefined));
    const inputArb: fc.Arbitrary<CheckInput> = fc.oneof(
      segArb,
      fc.tuple(segArb, addressPairArb(), fc.boolean()).map(([segment, { src, dst }, withBytes]) => ({
        segment,
        src,
        dst,
        ...(withBytes ? { bytes: encodeSegment(segment) } : {}),
      })),
    );
    fc.assert(
      fc.property(fc.array(inputArb, { maxLength: 5 }), (list) => {
        generated++;
        const r = stats.checkHandshake.run('checkHandshake', () => checkHandshake(list));
        if (r === undefined) fail('checkHandshake threw on a list of segments');
        if (r.ok !== !r.findings.some((f) => f.severity === 'error')) fail('ok disagrees with the findings');
        if (list.length !== 3 && !r.findings.some((f) => f.code === 'SEGMENT_COUNT')) fail('no SEGMENT_COUNT for a list of the wrong length');
      }),
      { numRuns: runs(12_000) },
    );
  });
});

afterAll(() => {
  reportStats('text', generated, stats);
  for (const s of Object.values(stats)) expect(s.slowestMs).toBeLessThan(CALL_BUDGET_MS);
});
