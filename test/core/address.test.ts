/**
 * Address parsing and RFC 5952 formatting. Oracles: the WHATWG URL parser in
 * Node (its IPv6 serializer compresses like RFC 5952 §4.2), `node:net`'s
 * isIP, and the addresses Python's ipaddress printed into the Scapy fixtures.
 */

import { isIP } from 'node:net';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TcpWireError, formatAddress, parseAddress, pseudoHeaderSum, tcpChecksum, verifyTcpChecksum } from '../../src/index.js';
import { ipv4BytesArb, ipv4Text, ipv6BytesArb, ipv6FullText } from './arbitraries.js';

/** The 16 bytes of an IPv6 address, as the WHATWG URL parser reads it. */
function urlBytes(text: string): Uint8Array {
  const host = new URL(`http://[${text}]/`).hostname.slice(1, -1);
  // Expand the URL's canonical text ourselves: "::" once, groups of 1..4 hex digits, no dotted tail.
  const [head = '', tail] = host.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? h : [...h, ...new Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const w = Number.parseInt(g, 16);
    out[2 * i] = w >>> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (!(e instanceof TcpWireError)) throw e;
    return e.code;
  }
  return undefined;
}

describe('IPv4', () => {
  it('parses dotted decimal into 4 bytes and formats it back', () => {
    expect(Array.from(parseAddress('192.0.2.1'))).toEqual([192, 0, 2, 1]);
    expect(Array.from(parseAddress(' 10.99.0.2 '))).toEqual([10, 99, 0, 2]);
    fc.assert(
      fc.property(ipv4BytesArb(), (b) => {
        const text = ipv4Text(b);
        expect(formatAddress(b)).toBe(text);
        expect(parseAddress(text)).toEqual(b);
      }),
    );
  });

  it('rejects what is not an IPv4 address with BAD_ADDRESS', () => {
    for (const bad of ['', '1.2.3', '1.2.3.4.5', '256.0.0.1', '1.2.3.-4', '01.2.3.4', '1.2.3.4 5', 'a.b.c.d', '1..2.3', '0x1.2.3.4']) {
      expect(isIP(bad), bad).toBe(0);
      expect(codeOf(() => parseAddress(bad)), bad).toBe('BAD_ADDRESS');
    }
  });
});

describe('IPv6', () => {
  it('formats as RFC 5952 says (same as the WHATWG serializer) and parses that back', () => {
    fc.assert(
      fc.property(ipv6BytesArb(), (b) => {
        const text = formatAddress(b);
        expect(`[${text}]`).toBe(new URL(`http://[${ipv6FullText(b)}]/`).hostname);
        expect(parseAddress(text)).toEqual(b);
        expect(parseAddress(ipv6FullText(b))).toEqual(b);
      }),
    );
  });

  it('RFC 5952 §4: lowercase, no leading zeros, longest run compressed (first if tied), a lone zero group kept', () => {
    expect(formatAddress(parseAddress('2001:0DB8:0000:0000:0000:0000:0000:0001'))).toBe('2001:db8::1');
    expect(formatAddress(parseAddress('2001:db8:0:0:1:0:0:1'))).toBe('2001:db8::1:0:0:1');
    expect(formatAddress(parseAddress('2001:db8:0:1:1:1:1:1'))).toBe('2001:db8:0:1:1:1:1:1');
    expect(formatAddress(parseAddress('2001:0:0:1:0:0:0:1'))).toBe('2001:0:0:1::1');
    expect(formatAddress(new Uint8Array(16))).toBe('::');
    expect(formatAddress(parseAddress('::1'))).toBe('::1');
    expect(formatAddress(parseAddress('1::'))).toBe('1::');
  });

  it('accepts the text forms of RFC 4291 §2.2: any compression, any case, leading zeros, a dotted IPv4 tail, brackets', () => {
    const textArb = fc
      .tuple(ipv6BytesArb(), fc.boolean(), fc.boolean(), fc.boolean(), fc.nat(), fc.nat())
      .map(([b, upper, pad, dotted, s0, l0]) => {
        const words: string[] = [];
        for (let i = 0; i < 16; i += 2) {
          let g = (((b[i] as number) << 8) | (b[i + 1] as number)).toString(16);
          if (pad) g = g.padStart(4, '0');
          words.push(upper ? g.toUpperCase() : g);
        }
        let groups: string[] = words;
        let tailV4 = '';
        if (dotted) {
          groups = words.slice(0, 6);
          tailV4 = `${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
        }
        // Compress some run of zero groups (any, not only the longest).
        const zeroRuns: [number, number][] = [];
        for (let i = 0; i < groups.length; i++) {
          if (/^0+$/.test(groups[i] as string)) {
            let j = i;
            while (j < groups.length && /^0+$/.test(groups[j] as string)) j++;
            zeroRuns.push([i, j]);
            i = j;
          }
        }
        let text: string;
        if (zeroRuns.length > 0 && s0 % 3 !== 0) {
          const [i, j0] = zeroRuns[s0 % zeroRuns.length] as [number, number];
          const j = i + 1 + (l0 % (j0 - i));
          const head = groups.slice(0, i).join(':');
          const rest = groups.slice(j);
          const tail = [...rest, ...(tailV4 ? [tailV4] : [])].join(':');
          text = `${head}::${tail}`;
        } else {
          text = [...groups, ...(tailV4 ? [tailV4] : [])].join(':');
        }
        return { b, text };
      });
    fc.assert(
      fc.property(textArb, ({ b, text }) => {
        expect(isIP(text), text).toBe(6);
        expect(urlBytes(text)).toEqual(b);
        expect(parseAddress(text)).toEqual(b);
        expect(parseAddress(`[${text}]`)).toEqual(b);
      }),
    );
  });

  it('embedded IPv4: ::ffff:192.0.2.1', () => {
    expect(Array.from(parseAddress('::ffff:192.0.2.1'))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1]);
  });

  it('rejects what is not an IPv6 address with BAD_ADDRESS', () => {
    const bad = [
      '1::2::3',
      ':::',
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4:5:6:7',
      '1:2:3:4:5:6:7:8::',
      '::1:2:3:4:5:6:7:8',
      '12345::',
      '::g',
      ':1::',
      '1:',
      '::1.2.3',
      '::1.2.3.256',
      '::1.2.3.04',
      '1.2.3.4::',
      '1:2:3:4:5:6:7:1.2.3.4',
    ];
    for (const t of bad) {
      expect(isIP(t), t).toBe(0);
      expect(codeOf(() => parseAddress(t)), t).toBe('BAD_ADDRESS');
    }
    // Valid text for a socket, but a zone has no place in a pseudo-header.
    expect(codeOf(() => parseAddress('fe80::1%eth0'))).toBe('BAD_ADDRESS');
  });

  it('never accepts a string node:net calls invalid, and throws only TcpWireError', () => {
    const chars = fc.constantFrom(...'0123456789abcdefABCDEF:.%[] g-'.split(''));
    fc.assert(
      fc.property(fc.string({ unit: chars, maxLength: 45 }), (s) => {
        let out: Uint8Array | undefined;
        try {
          out = parseAddress(s);
        } catch (e) {
          expect(e).toBeInstanceOf(TcpWireError);
          expect((e as TcpWireError).code).toBe('BAD_ADDRESS');
          return;
        }
        const t = s.trim().replace(/^\[(.*)\]$/, '$1');
        expect(isIP(t), s).not.toBe(0);
        expect(out.length).toBe(isIP(t) === 4 ? 4 : 16);
        if (out.length === 16) expect(out).toEqual(urlBytes(t));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('addresses as bytes', () => {
  it('takes 4 or 16 integers 0..255, copied', () => {
    const src = Uint8Array.of(10, 0, 0, 1);
    const out = parseAddress(src);
    expect(out).toEqual(src);
    expect(out).not.toBe(src);
    expect(Array.from(parseAddress([1, 2, 3, 4]))).toEqual([1, 2, 3, 4]);
  });

  it('rejects other lengths and bad bytes with BAD_ADDRESS', () => {
    expect(codeOf(() => parseAddress(new Uint8Array(5)))).toBe('BAD_ADDRESS');
    expect(codeOf(() => parseAddress([]))).toBe('BAD_ADDRESS');
    expect(codeOf(() => parseAddress([1, 2, 3, 256]))).toBe('BAD_ADDRESS');
    expect(codeOf(() => parseAddress([1, 2, 3, 1.5]))).toBe('BAD_ADDRESS');
    expect(codeOf(() => parseAddress([1, 2, 3, -1]))).toBe('BAD_ADDRESS');
    expect(codeOf(() => formatAddress(new Uint8Array(6)))).toBe('BAD_ADDRESS');
  });
});

describe('the pseudo-header has one family', () => {
  const seg = new Uint8Array(20);
  seg[12] = 0x50;
  it('mixed IPv4 and IPv6 addresses: BAD_ADDRESS, offset -1', () => {
    for (const f of [
      () => tcpChecksum(seg, '10.0.0.1', '::1'),
      () => verifyTcpChecksum(seg, '::1', '10.0.0.1'),
      () => pseudoHeaderSum(new Uint8Array(4), new Uint8Array(16), 20),
    ]) {
      let err: unknown;
      try {
        f();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(TcpWireError);
      expect((err as TcpWireError).code).toBe('BAD_ADDRESS');
      expect((err as TcpWireError).offset).toBe(-1);
      expect((err as TcpWireError).message).toMatch(/IPv[46] but destination is IPv[46]/);
    }
  });

  it('bad text in a checksum call: BAD_ADDRESS', () => {
    expect(codeOf(() => tcpChecksum(seg, '10.0.0.256', '10.0.0.1'))).toBe('BAD_ADDRESS');
    expect(codeOf(() => tcpChecksum(seg, '10.0.0.1', 'localhost'))).toBe('BAD_ADDRESS');
  });
});

describe('the addresses in the Scapy fixtures (Python ipaddress, RFC 5952)', () => {
  const vectors = JSON.parse(readFileSync(new URL('../../fixtures/scapy/vectors.json', import.meta.url), 'utf8')) as {
    src: string;
    dst: string;
  }[];
  // Python's ipaddress writes "::" for a single zero group ("::2:3:4:5:6:7:8"),
  // which RFC 5952 §4.2.2 forbids; tcpwire writes "0:2:3:4:5:6:7:8", as WHATWG does.
  it('parse to the bytes the URL parser reads, and format to the RFC 5952 text (Python differs only on a lone zero group)', () => {
    let n = 0;
    let loneZero = 0;
    for (const v of vectors) {
      for (const a of [v.src, v.dst]) {
        const b = parseAddress(a);
        const text = formatAddress(b);
        if (b.length === 4) expect(text).toBe(a);
        else {
          expect(b).toEqual(urlBytes(a));
          expect(`[${text}]`).toBe(new URL(`http://[${a}]/`).hostname);
          if (text !== a) {
            loneZero++;
            // exactly one zero group that Python compressed
            expect(a.replace('::', ':0:').replace(/^:/, '').replace(/:$/, '')).toBe(text);
          }
        }
        n++;
      }
    }
    expect(n).toBe(6000);
    expect(loneZero).toBeGreaterThan(0);
  });
});
