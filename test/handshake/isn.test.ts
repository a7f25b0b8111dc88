// ISNs: the random one, and RFC 6528's keyed one built on SipHash-2-4, whose
// oracle is the test vectors published with SipHash (Aumasson and Bernstein 2012,
// appendix A, and the reference implementation's vectors.h).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TcpWireError, keyedIsn, randomIsn, sipHash24 } from '../../src/index.js';

const key = Uint8Array.from({ length: 16 }, (_, i) => i);
const msg = (n: number) => Uint8Array.from({ length: n }, (_, i) => i);

describe('sipHash24', () => {
  it('matches the published vectors (key 00..0f, message 00..n-1)', () => {
    // vectors.h, vectors_sip64[0]: 31 0e 0e dd 47 db 6f 72, read little-endian.
    expect(sipHash24(key, msg(0))).toBe(0x726fdb47dd0e0e31n);
    // The paper's appendix A: 15-byte message 00..0e gives a129ca6149be45e5.
    expect(sipHash24(key, msg(15))).toBe(0xa129ca6149be45e5n);
  });

  it('rejects a key that is not 16 bytes', () => {
    expect(() => sipHash24(new Uint8Array(15), msg(1))).toThrow(TcpWireError);
  });
});

describe('keyedIsn (RFC 6528 §3: ISN = M + F(4-tuple, key))', () => {
  const tuple = { key, localAddress: '10.0.0.1', localPort: 40000, remoteAddress: '10.0.0.2', remotePort: 80 };

  it('advances with the 4 µs clock M for one connection, modulo 2^32', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 0, max: 2 ** 20 }), (t, dt) => {
        const a = keyedIsn({ ...tuple, timeMicros: t });
        const b = keyedIsn({ ...tuple, timeMicros: t + 4 * dt });
        expect(b).toBe(Number((BigInt(a) + BigInt(dt)) % 2n ** 32n));
      }),
    );
  });

  it('depends on the key and on each part of the 4-tuple', () => {
    const t = { ...tuple, timeMicros: 1e9 };
    const base = keyedIsn(t);
    const other = new Uint8Array(key);
    other[0] = 99;
    expect(keyedIsn({ ...t, key: other })).not.toBe(base);
    expect(keyedIsn({ ...t, localPort: 40001 })).not.toBe(base);
    expect(keyedIsn({ ...t, remotePort: 81 })).not.toBe(base);
    expect(keyedIsn({ ...t, localAddress: '10.0.0.3' })).not.toBe(base);
    expect(keyedIsn({ ...t, remoteAddress: '10.0.0.4' })).not.toBe(base);
    expect(keyedIsn({ ...t, localAddress: '2001:db8::1', remoteAddress: '2001:db8::2' })).not.toBe(base);
    expect(keyedIsn(t)).toBe(base);
  });

  it('rejects mixed families and bad ports', () => {
    expect(() => keyedIsn({ ...tuple, remoteAddress: '::1', timeMicros: 0 })).toThrow(TcpWireError);
    expect(() => keyedIsn({ ...tuple, localPort: 65536, timeMicros: 0 })).toThrow(TcpWireError);
  });
});

describe('randomIsn', () => {
  it('gives 32-bit unsigned integers that are not all alike', () => {
    const draws = Array.from({ length: 64 }, randomIsn);
    for (const d of draws) expect(Number.isInteger(d) && d >= 0 && d < 2 ** 32).toBe(true);
    expect(new Set(draws).size).toBeGreaterThan(60);
    // The high bit is set about half the time (no signed 32-bit result leaking out).
    expect(draws.some((d) => d >= 2 ** 31)).toBe(true);
  });
});
