/**
 * Malformed input: one test per error code, each with the exact code and byte
 * offset. Segments are written byte by byte here (RFC 9293 §3.1), not by tcpwire.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type TcpSegmentInit,
  TcpView,
  TcpWireError,
  decodeSegment,
  encodeSegment,
  encodingLength,
  fromHex,
  segmentFromJson,
  tcpChecksum,
} from '../../src/index.js';
import { buildSegmentBytes } from './arbitraries.js';

function thrown(f: () => unknown): TcpWireError {
  try {
    f();
  } catch (e) {
    if (e instanceof TcpWireError) return e;
    throw new Error(`expected a TcpWireError, got ${String(e)}`);
  }
  throw new Error('expected a TcpWireError, nothing was thrown');
}

/** A segment with a data offset written as given (even if wrong), these option bytes and this payload. */
function seg(dataOffset: number, optionBytes: number[] = [], payload: number[] = []): Uint8Array {
  const b = buildSegmentBytes({
    srcPort: 1234,
    dstPort: 80,
    seq: 1,
    ack: 0,
    dataOffset: Math.max(dataOffset, 5),
    reserved: 0,
    flags: 0x002,
    window: 512,
    checksum: 0,
    urgentPointer: 0,
    optionBytes,
    payload,
  });
  b[12] = (dataOffset << 4) | ((b[12] as number) & 0x0f);
  return b;
}

describe('TcpWireError', () => {
  it('is an Error with a name, a code, a byte offset and a sentence', () => {
    const e = thrown(() => decodeSegment(new Uint8Array(3)));
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('TcpWireError');
    expect(e.code).toBe('TRUNCATED');
    expect(e.offset).toBe(3);
    expect(e.message).toMatch(/20 bytes.*3/);
    expect(new TcpWireError('BAD_INPUT', 'x').offset).toBe(-1);
  });
});

describe('TRUNCATED: fewer than 20 bytes', () => {
  it('at the byte where the input ran out, for every length 0..19', () => {
    for (let n = 0; n < 20; n++) {
      const e = thrown(() => decodeSegment(new Uint8Array(n).fill(0x50)));
      expect(e.code).toBe('TRUNCATED');
      expect(e.offset).toBe(n);
      expect(thrown(() => new TcpView(new Uint8Array(n))).code).toBe('TRUNCATED');
    }
  });

  it('a view whose offset and length run past its buffer', () => {
    const b = seg(5);
    const e = thrown(() => new TcpView(b, 4, 20));
    expect(e.code).toBe('TRUNCATED');
    expect(e.offset).toBe(20);
  });
});

describe('BAD_DATA_OFFSET', () => {
  it('data offset below 5 words, at byte 12', () => {
    for (const words of [0, 1, 4]) {
      const e = thrown(() => decodeSegment(seg(words)));
      expect(e.code).toBe('BAD_DATA_OFFSET');
      expect(e.offset).toBe(12);
    }
    expect(thrown(() => decodeSegment(seg(4))).message).toContain('data offset 4 words is below the minimum 5');
  });

  it('data offset beyond the buffer, at byte 12', () => {
    const b = seg(6).subarray(0, 23); // says 24 bytes of header, has 23
    const e = thrown(() => decodeSegment(b));
    expect(e.code).toBe('BAD_DATA_OFFSET');
    expect(e.offset).toBe(12);
    expect(e.message).toMatch(/24 bytes.*23 bytes/);
    const f = thrown(() => decodeSegment(seg(15, [], []).subarray(0, 59)));
    expect([f.code, f.offset]).toEqual(['BAD_DATA_OFFSET', 12]);
    expect(thrown(() => new TcpView(seg(15).subarray(0, 40))).code).toBe('BAD_DATA_OFFSET');
  });

  it('a view at an offset inside a buffer reports the absolute byte', () => {
    const inner = seg(3);
    const big = new Uint8Array(inner.length + 10);
    big.set(inner, 10);
    const e = thrown(() => new TcpView(big, 10));
    expect([e.code, e.offset]).toEqual(['BAD_DATA_OFFSET', 22]);
  });
});

describe('OPTION_OVERRUN', () => {
  it('a kind >= 2 in the last slot has no length byte: at that kind byte (never read from the payload)', () => {
    for (const kind of [2, 3, 5, 8, 99, 255]) {
      const b = seg(6, [1, 1, 1, kind], [4, 5, 0xb4]);
      const e = thrown(() => decodeSegment(b));
      expect([e.code, e.offset]).toEqual(['OPTION_OVERRUN', 23]);
      expect(e.message).toMatch(new RegExp(`kind ${kind} .*at byte 23 has no length byte`));
      const v = new TcpView(b);
      expect(thrown(() => [...v.options()]).code).toBe('OPTION_OVERRUN');
    }
  });

  it('an option running past the data offset: at its kind byte, even when the payload would have held it', () => {
    const b = seg(6, [8, 10, 0, 0], [0, 1, 2, 3, 4, 5, 6, 7]);
    const e = thrown(() => decodeSegment(b));
    expect([e.code, e.offset]).toEqual(['OPTION_OVERRUN', 20]);
    expect(e.message).toMatch(/past the end of the options area at byte 24/);
    const c = seg(7, [1, 1, 1, 1, 0x63, 5, 0, 0], []);
    expect([thrown(() => decodeSegment(c)).code, thrown(() => decodeSegment(c)).offset]).toEqual(['OPTION_OVERRUN', 24]);
  });

  it('the TcpView getters report it too, instead of reading the payload (regression: view.mss read 1460 from the payload)', () => {
    const b = seg(6, [1, 1, 1, 2], [4, 5, 0xb4]);
    const e = thrown(() => new TcpView(b).mss);
    expect([e.code, e.offset]).toEqual(['OPTION_OVERRUN', 23]);
    const c = seg(6, [1, 1, 8, 10], [0, 0, 0, 1, 0, 0, 0, 2]);
    expect([thrown(() => new TcpView(c).tsval).code, thrown(() => new TcpView(c).tsval).offset]).toEqual(['OPTION_OVERRUN', 22]);
    const d = seg(6, [1, 1, 1, 3], [4, 7]);
    expect(thrown(() => new TcpView(d).windowShift).code).toBe('OPTION_OVERRUN');
  });
});

describe('BAD_OPTION_LENGTH', () => {
  it('length 0 and 1 (dpkt, libpnet, node_pcap looped forever): at the kind byte', () => {
    for (const len of [0, 1]) {
      const e = thrown(() => decodeSegment(seg(6, [1, 2, len, 0])));
      expect([e.code, e.offset]).toEqual(['BAD_OPTION_LENGTH', 21]);
      expect(e.message).toContain(`length ${len}`);
      for (const kind of [254, 255]) {
        const f = thrown(() => decodeSegment(seg(6, [kind, len, 0, 0])));
        expect([f.code, f.offset]).toEqual(['BAD_OPTION_LENGTH', 20]);
      }
    }
  });

  it('a known option with the wrong length is not an error: kept as unknown, reported as a warning', () => {
    const b = seg(8, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    b.set([8, 9, 1, 2, 3, 4, 5, 6, 7, 0, 0, 0], 20);
    const s = decodeSegment(b);
    expect(s.options[0]).toEqual({ type: 'unknown', kind: 8, data: Uint8Array.of(1, 2, 3, 4, 5, 6, 7) });
    expect(s.options[1]).toEqual({ type: 'eol' });
    expect(s.warnings).toEqual([{ code: 'BAD_OPTION_LENGTH', offset: 20, message: 'option kind 8 (timestamps) at byte 20 has length 9, expected 10: kept as raw bytes' }]);
    expect(encodeSegment(s)).toEqual(b);
  });
});

describe('options never reach into the payload', () => {
  it('the options decoded do not depend on the payload bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 40 }), fc.uint8Array({ minLength: 1, maxLength: 30 }), (area0, payload) => {
        const area = Array.from(area0.subarray(0, area0.length - (area0.length % 4)));
        const a = seg(5 + area.length / 4, area, []);
        const b = seg(5 + area.length / 4, area, Array.from(payload));
        let ra: unknown;
        let rb: unknown;
        try {
          ra = decodeSegment(a).options;
        } catch (e) {
          ra = (e as TcpWireError).code + (e as TcpWireError).offset;
        }
        try {
          rb = decodeSegment(b).options;
        } catch (e) {
          rb = (e as TcpWireError).code + (e as TcpWireError).offset;
        }
        expect(rb).toEqual(ra);
      }),
    );
  });

  it('a 20-byte header: the payload is never options (no fixed 20-byte split the other way either)', () => {
    const s = decodeSegment(seg(5, [], [2, 4, 5, 0xb4]));
    expect(s.options).toEqual([]);
    expect(Array.from(s.payload)).toEqual([2, 4, 5, 0xb4]);
    const t = decodeSegment(seg(6, [2, 4, 5, 0xb4], [1, 2]));
    expect(t.options).toEqual([{ type: 'mss', value: 1460 }]);
    expect(Array.from(t.payload)).toEqual([1, 2]);
  });
});

describe('OUT_OF_RANGE from the encoder: never masked', () => {
  const cases: [string, TcpSegmentInit][] = [
    ['port 70000', { srcPort: 70000 }],
    ['dstPort -1', { dstPort: -1 }],
    ['seq -1', { seq: -1 }],
    ['seq 2^32', { seq: 2 ** 32 }],
    ['ack 2^32 + 44', { ack: 2 ** 32 + 44 }],
    ['window 1.5', { window: 1.5 }],
    ['window 65536', { window: 65536 }],
    ['seq NaN', { seq: Number.NaN }],
    ['srcPort NaN', { srcPort: Number.NaN }],
    ['ack Infinity', { ack: Number.POSITIVE_INFINITY }],
    ['seq as a string', { seq: '5' as unknown as number }],
    ['checksum 0x10000', { checksum: 0x10000 }],
    ['urgentPointer -1', { urgentPointer: -1 }],
    ['reserved 8', { reserved: 8 }],
    ['options over 40 bytes', { options: [{ type: 'unknown', kind: 99, data: new Uint8Array(30) }, { type: 'timestamps', tsval: 0, tsecr: 0 }] }],
    ['options of 41 bytes', { options: [{ type: 'nop' }, ...new Array(10).fill({ type: 'mss', value: 1 })] }],
    ['options + padding over 40 bytes', { options: [{ type: 'eol' }], padding: new Uint8Array(40) }],
    ['5 SACK blocks', { options: [{ type: 'sack', blocks: [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]] }] }],
    ['dataOffset too small for the options', { dataOffset: 6, options: [{ type: 'timestamps', tsval: 1, tsecr: 2 }] }],
    ['dataOffset 4', { dataOffset: 4 }],
    ['dataOffset 16', { dataOffset: 16 }],
    ['dataOffset 5.5', { dataOffset: 5.5 }],
    ['a segment over 65,535 bytes', { payload: new Uint8Array(65516) }],
  ];
  for (const [name, init] of cases) {
    it(name, () => {
      const e = thrown(() => encodeSegment(init));
      expect(e.code).toBe('OUT_OF_RANGE');
      expect(e.offset).toBe(-1);
      expect(e.message.length).toBeGreaterThan(10);
    });
  }

  it('says which field and what range', () => {
    expect(thrown(() => encodeSegment({ srcPort: 70000 })).message).toBe('srcPort is 70000: expected an integer from 0 to 65535');
    expect(thrown(() => encodeSegment({ seq: 2 ** 32 })).message).toBe('seq is 4294967296: expected an integer from 0 to 4294967295');
    expect(thrown(() => encodingLength({ options: [{ type: 'unknown', kind: 99, data: new Uint8Array(38) }, { type: 'nop' }] })).message).toMatch(
      /41 bytes.*at most 40/,
    );
  });

  it('the boundaries themselves are accepted', () => {
    const b = encodeSegment({ srcPort: 65535, dstPort: 0, seq: 2 ** 32 - 1, ack: 0, window: 0, reserved: 7, urgentPointer: 65535, checksum: 65535 });
    expect(Array.from(b.subarray(0, 20))).toEqual([0xff, 0xff, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0x5e, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
    expect(encodeSegment({ options: new Array(10).fill({ type: 'mss', value: 1 }) }).length).toBe(60);
    expect(encodeSegment({ payload: new Uint8Array(65515) }).length).toBe(65535);
  });
});

describe('BAD_ADDRESS', () => {
  it('mixed families in the pseudo-header', () => {
    const e = thrown(() => encodeSegment({}, { src: '10.0.0.1', dst: '2001:db8::1' }));
    expect([e.code, e.offset]).toEqual(['BAD_ADDRESS', -1]);
  });
  it('bad text', () => {
    for (const bad of ['10.0.0', '10.0.0.1.2', 'fe80:::1', 'example.com', '']) {
      const e = thrown(() => tcpChecksum(seg(5), bad, '10.0.0.1'));
      expect(e.code, bad).toBe('BAD_ADDRESS');
      expect(e.message).toContain(`"${bad}" is not an IP address`);
    }
  });
});

describe('BAD_HEX', () => {
  it('an odd number of digits, at the end of the text', () => {
    const e = thrown(() => fromHex('450'));
    expect([e.code, e.offset]).toEqual(['BAD_HEX', 3]);
    expect(e.message).toMatch(/3 digits, an odd number/);
  });
  it('a bad character, at its position', () => {
    const e = thrown(() => fromHex('45 0g'));
    expect([e.code, e.offset]).toEqual(['BAD_HEX', 4]);
    expect(e.message).toContain('"g" at position 4');
    expect(thrown(() => fromHex('0x45zz')).offset).toBe(4);
    expect(thrown(() => fromHex('45\u00e9')).offset).toBe(2);
  });
  it('separators and a leading 0x are fine', () => {
    expect(Array.from(fromHex(' 0x45:00-ff\tAB\n'))).toEqual([0x45, 0x00, 0xff, 0xab]);
    expect(Array.from(fromHex(''))).toEqual([]);
  });
});

describe('BAD_INPUT', () => {
  it('flags, payload, options and JSON of the wrong shape', () => {
    expect(thrown(() => encodeSegment({ flags: 'SZ' })).code).toBe('BAD_INPUT');
    expect(thrown(() => encodeSegment({ flags: { syn: true, foo: true } as never })).code).toBe('BAD_INPUT');
    expect(thrown(() => encodeSegment({ flags: { syn: 1 } as never })).code).toBe('BAD_INPUT');
    expect(thrown(() => encodeSegment({ payload: 5 as never })).code).toBe('BAD_INPUT');
    expect(thrown(() => encodeSegment({ options: {} as never })).code).toBe('BAD_INPUT');
    expect(thrown(() => encodeSegment({ padding: [0] as never })).code).toBe('BAD_INPUT');
    expect(thrown(() => encodeSegment(null as never)).code).toBe('BAD_INPUT');
    expect(thrown(() => segmentFromJson([])).code).toBe('BAD_INPUT');
    expect(thrown(() => segmentFromJson({ options: 'x' })).code).toBe('BAD_INPUT');
    expect(thrown(() => segmentFromJson({ payload: 7 })).code).toBe('BAD_INPUT');
    expect(thrown(() => segmentFromJson({ payload: 'abc' })).code).toBe('BAD_HEX');
  });
});
