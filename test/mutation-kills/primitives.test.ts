/**
 * Tests written for mutants that survived in the primitives (address, checksum, flags, hex,
 * pseudo-header, range, seq): each names the rule it pins. Expected values come from oracles
 * outside tcpwire (Node's inet_pton via net.isIPv4/isIPv6, the WHATWG URL parser's RFC 5952
 * serialisation of IPv6 hosts, the textbook checksum) or from the RFCs directly.
 */

import { isIPv4, isIPv6 } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  TcpWireError,
  flagsFromBits,
  flagsToBits,
  formatAddress,
  formatFlags,
  fromHex,
  parseAddress,
  parseSeq,
  pseudoHeaderSum,
  verifyTcpChecksum,
} from '../../src/index.js';
import { referenceSum } from '../core/arbitraries.js';

const codeOf = (f: () => unknown): string => {
  try {
    f();
    return 'returned';
  } catch (e) {
    return e instanceof TcpWireError ? e.code : `not a TcpWireError: ${String(e)}`;
  }
};

describe('parseAddress against Node (inet_pton) and the URL parser', () => {
  it('IPv4: accepted exactly when inet_pton accepts it, with its bytes', () => {
    const v4ish = fc.oneof(
      fc.string({ unit: fc.constantFrom(...'0123456789.'), maxLength: 16 }),
      fc.string({ unit: fc.constantFrom(...'0123456789.a/:x-+ '), maxLength: 16 }).filter((s) => !s.includes(':')),
      fc.tuple(fc.nat({ max: 300 }), fc.nat({ max: 300 }), fc.nat({ max: 300 }), fc.nat({ max: 1300 })).map((p) => p.join('.')),
      fc
        .tuple(fc.nat({ max: 255 }), fc.nat({ max: 255 }), fc.nat({ max: 255 }), fc.nat({ max: 255 }), fc.nat({ max: 15 }), fc.constantFrom('0', '.', 'a', '9', '/', '', '00'))
        .map(([a, b, c, d, at, ins]) => {
          const s = `${a}.${b}.${c}.${d}`;
          const k = at % (s.length + 1);
          return s.slice(0, k) + ins + s.slice(k);
        }),
    );
    fc.assert(
      fc.property(v4ish, (s) => {
        const want = isIPv4(s) && s.trim() === s;
        let got: Uint8Array | undefined;
        try {
          got = parseAddress(s);
        } catch (e) {
          expect(e, s).toBeInstanceOf(TcpWireError);
        }
        if (s.trim() !== s) return; // parseAddress trims; inet_pton does not
        expect(got !== undefined, JSON.stringify(s)).toBe(want);
        if (got !== undefined) expect(Array.from(got), s).toEqual(s.split('.').map(Number));
      }),
      { numRuns: 20_000 },
    );
  });

  it('IPv4 edge cases: every digit and every boundary', () => {
    for (const s of ['0.0.0.0', '255.255.255.255', '9.99.199.249', '10.20.30.40', '1.2.3.9', '1.2.3.0', '100.200.250.255']) {
      expect(Array.from(parseAddress(s)), s).toEqual(s.split('.').map(Number));
    }
    for (const s of ['1.2.3.', '/./././', '-.-.-.-', '!.!.!.!', ' . . . ', '1.2.3.a', 'a.2.3.4', '1.2.3.4a', '1.2.3.256', '256.1.1.1', '1.2.3.1234', '01.2.3.4', '1.2.3.00', '1..3.4', '.1.2.3', '1.2.3.4.', '1.2.3', '1.2.3.4.5', '1.2.3./', '1/2.3.4', '1.2.3.-4']) {
      expect(codeOf(() => parseAddress(s)), s).toBe('BAD_ADDRESS');
    }
  });

  const v6Text = fc
    .tuple(fc.array(fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff })), { minLength: 8, maxLength: 8 }), fc.nat({ max: 4 }), fc.boolean(), fc.boolean())
    .map(([words, style, upper, v4]) => {
      const hex = words.map((w) => w.toString(16));
      let s: string;
      if (style === 0) s = hex.join(':');
      else if (style === 1) s = words.map((w) => w.toString(16).padStart(4, '0')).join(':');
      else {
        // compress some run of zero groups (not necessarily the longest)
        const start = words.indexOf(0);
        if (start < 0) s = hex.join(':');
        else {
          let end = start;
          while (end < 8 && words[end] === 0) end++;
          s = `${hex.slice(0, start).join(':')}::${hex.slice(end).join(':')}`;
        }
      }
      if (v4 && !s.includes('::') && style !== 1) {
        const w6 = words[6] as number;
        const w7 = words[7] as number;
        s = `${hex.slice(0, 6).join(':')}:${w6 >> 8}.${w6 & 255}.${w7 >> 8}.${w7 & 255}`;
      }
      return upper ? s.toUpperCase() : s;
    });
  const v6ish = fc.oneof(
    v6Text,
    fc.tuple(v6Text, fc.nat({ max: 60 }), fc.constantFrom(':', '::', '0', 'g', '.', '1:', ':1', '', '12345', '[', ']')).map(([s, at, ins]) => {
      const k = at % (s.length + 1);
      return s.slice(0, k) + ins + s.slice(k);
    }),
    fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF:.'), maxLength: 20 }).filter((s) => s.includes(':')),
  );

  it('IPv6: accepted exactly when inet_pton accepts it; formatted as the URL parser serialises it (RFC 5952)', () => {
    fc.assert(
      fc.property(v6ish, (s) => {
        const want = isIPv6(s);
        let got: Uint8Array | undefined;
        try {
          got = parseAddress(s);
        } catch (e) {
          expect(e, s).toBeInstanceOf(TcpWireError);
        }
        if (s.startsWith('[') && s.endsWith(']')) {
          expect(got !== undefined, s).toBe(isIPv6(s.slice(1, -1)));
          return;
        }
        expect(got !== undefined, JSON.stringify(s)).toBe(want);
        if (got !== undefined) expect(formatAddress(got), s).toBe(new URL(`http://[${s}]/`).hostname.slice(1, -1));
      }),
      { numRuns: 20_000 },
    );
  });

  it('IPv6 in brackets, and brackets that do not pair', () => {
    expect(Array.from(parseAddress('[::1]'))).toEqual([...new Array(15).fill(0), 1]);
    for (const s of ['[::1', '::1]', '[[::1]]', ']::1[']) expect(codeOf(() => parseAddress(s)), s).toBe('BAD_ADDRESS');
  });
});

describe('hex', () => {
  it('every separator is skipped: space, tab, CR, LF, colon, dash', () => {
    expect(Array.from(fromHex('45 00\t01\r\n02:03-04'))).toEqual([0x45, 0, 1, 2, 3, 4]);
  });
  it('every character that is not a digit or a separator is refused, at its position', () => {
    for (let c = 0; c < 128; c++) {
      const ch = String.fromCharCode(c);
      const ok = /[0-9a-fA-F \t\r\n:-]/.test(ch);
      const text = `4${ch}`; // an even count of characters: the digit, not the count, must be refused
      if (ok) continue;
      expect(codeOf(() => fromHex(text)), `char ${c}`).toBe('BAD_HEX');
    }
    expect(Array.from(fromHex('09afAF'))).toEqual([0x09, 0xaf, 0xaf]);
  });
  it('"0x" only at the start (after blanks), not in the middle', () => {
    expect(Array.from(fromHex('  0x1234'))).toEqual([0x12, 0x34]);
    expect(codeOf(() => fromHex('ab0x12'))).toBe('BAD_HEX');
  });
});

describe('flags', () => {
  it('letters: any case, and every letter that is not a flag is refused, naming it', () => {
    expect(flagsToBits('')).toBe(0);
    expect(flagsToBits('sa')).toBe(flagsToBits('SA'));
    for (let c = 32; c < 127; c++) {
      const ch = String.fromCharCode(c);
      if ('FSRPAUECNfsrpauecn'.includes(ch)) continue;
      let message = '';
      try {
        flagsToBits(`S${ch}`);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message, `letter ${JSON.stringify(ch)}`).toContain(`"${ch}"`);
      expect(codeOf(() => flagsToBits(ch)), `letter ${JSON.stringify(ch)} alone`).toBe('BAD_INPUT');
    }
    expect(codeOf(() => flagsToBits('Sé'))).toBe('BAD_INPUT');
    expect(codeOf(() => flagsToBits('\u1053'))).toBe('BAD_INPUT');
  });
  it('objects: only booleans (undefined is left out), only flag names; not null, not numbers', () => {
    expect(flagsToBits({ syn: undefined, ack: true } as never)).toBe(0x010);
    expect(flagsToBits({ syn: false, fin: true })).toBe(0x001);
    expect(codeOf(() => flagsToBits(null as never))).toBe('BAD_INPUT');
    expect(codeOf(() => flagsToBits(5 as never))).toBe('BAD_INPUT');
    expect(codeOf(() => flagsToBits(true as never))).toBe('BAD_INPUT');
  });
  it('formatFlags names them as Wireshark does, low bit first', () => {
    expect(formatFlags(flagsFromBits(0x012))).toBe('SYN, ACK');
    expect(formatFlags(flagsFromBits(0x1ff))).toBe('FIN, SYN, RST, PSH, ACK, URG, ECE, CWR, AE');
    expect(formatFlags(flagsFromBits(0))).toBe('');
  });
});

describe('pseudo-header and checksum verification', () => {
  it('lengths 0 and 65535 fit the IPv4 pseudo-header; 2^32-1 fits IPv6 (the textbook sum of the pseudo-header bytes)', () => {
    const v4 = (len: number) => referenceSum([192, 0, 2, 1, 192, 0, 2, 2, 0, 6, len >>> 8, len & 0xff]);
    expect(pseudoHeaderSum('192.0.2.1', '192.0.2.2', 0)).toBe(v4(0));
    expect(pseudoHeaderSum('192.0.2.1', '192.0.2.2', 65535)).toBe(v4(65535));
    expect(pseudoHeaderSum('::', '::', 0xffff_ffff)).toBe(referenceSum([...new Array(32).fill(0), 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 6]));
  });
  it('a segment under 20 bytes never verifies, even when its bytes would sum to 0xffff', () => {
    const b = new Uint8Array(19);
    const p = pseudoHeaderSum('192.0.2.1', '192.0.2.2', 19);
    const fill = ~p & 0xffff;
    b[0] = fill >>> 8;
    b[1] = fill & 0xff;
    expect(verifyTcpChecksum(b, '192.0.2.1', '192.0.2.2')).toBe(false);
  });
});

describe('parseSeq', () => {
  it('decimal or 0x-hex, whole, after trimming blanks', () => {
    expect(parseSeq(' 5 ')).toBe(5);
    expect(parseSeq('0xffffffff')).toBe(0xffffffff);
    expect(parseSeq('0XFF')).toBe(255);
    for (const s of ['ab0x10', '0x10zz', '5x', '0x', '', '1e3', '+5', '4294967296', '0x100000000', '-0']) expect(codeOf(() => parseSeq(s)), s).toBe('OUT_OF_RANGE');
  });
});
