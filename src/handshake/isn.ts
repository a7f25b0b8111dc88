/**
 * Initial sequence numbers: a random one, and an RFC 6528 keyed one.
 *
 * RFC 6528 §3: ISN = M + F(localip, localport, remoteip, remoteport, secretkey),
 * where M is a timer ticking every 4 microseconds and F a keyed pseudo-random
 * function, so that ISNs of one connection's incarnations increase while an
 * off-path attacker cannot guess them. Linux uses SipHash for F
 * (secure_tcp_seq in net/core/secure_seq.c); so does this module, written in
 * portable TypeScript (no Node crypto): the core runs in browsers too.
 */

import { type AddressInput, parseAddress } from '../address.js';
import { TcpWireError } from '../errors.js';
import { checkU16 } from '../range.js';

/**
 * A random 32-bit ISN from the platform's cryptographic generator
 * (`crypto.getRandomValues`, in Node, browsers, Deno and Bun alike).
 */
export function randomIsn(): number {
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint32Array) => Uint32Array } }).crypto;
  if (c?.getRandomValues === undefined) {
    throw new TcpWireError('UNSUPPORTED', 'no crypto.getRandomValues on this platform: give the ISN explicitly');
  }
  const a = new Uint32Array(1);
  c.getRandomValues(a);
  return (a[0] as number) >>> 0;
}

const M64 = (1n << 64n) - 1n;

function rotl(x: bigint, b: bigint): bigint {
  return ((x << b) | (x >> (64n - b))) & M64;
}

function le64(bytes: Uint8Array, at: number, n = 8): bigint {
  let v = 0n;
  for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[at + i] as number);
  return v;
}

/**
 * SipHash-2-4 (Aumasson and Bernstein, 2012) of `data` under a 16-byte `key`,
 * as an unsigned 64-bit bigint (the reference code's output read little-endian).
 * @throws {TcpWireError} `OUT_OF_RANGE` if the key is not 16 bytes.
 */
export function sipHash24(key: Uint8Array, data: Uint8Array): bigint {
  if (!(key instanceof Uint8Array) || key.length !== 16) {
    throw new TcpWireError('OUT_OF_RANGE', `a SipHash key has 16 bytes, not ${key instanceof Uint8Array ? key.length : 'a non-byte value'}`);
  }
  const k0 = le64(key, 0);
  const k1 = le64(key, 8);
  let v0 = k0 ^ 0x736f6d6570736575n;
  let v1 = k1 ^ 0x646f72616e646f6dn;
  let v2 = k0 ^ 0x6c7967656e657261n;
  let v3 = k1 ^ 0x7465646279746573n;
  const round = (): void => {
    v0 = (v0 + v1) & M64;
    v1 = rotl(v1, 13n) ^ v0;
    v0 = rotl(v0, 32n);
    v2 = (v2 + v3) & M64;
    v3 = rotl(v3, 16n) ^ v2;
    v0 = (v0 + v3) & M64;
    v3 = rotl(v3, 21n) ^ v0;
    v2 = (v2 + v1) & M64;
    v1 = rotl(v1, 17n) ^ v2;
    v2 = rotl(v2, 32n);
  };
  const whole = data.length - (data.length % 8);
  for (let i = 0; i < whole; i += 8) {
    const m = le64(data, i);
    v3 ^= m;
    round();
    round();
    v0 ^= m;
  }
  const last = (BigInt(data.length & 0xff) << 56n) | le64(data, whole, data.length - whole);
  v3 ^= last;
  round();
  round();
  v0 ^= last;
  v2 ^= 0xffn;
  round();
  round();
  round();
  round();
  return v0 ^ v1 ^ v2 ^ v3;
}

/** What the keyed ISN is computed from. */
export interface KeyedIsnInput {
  /** The secret: 16 bytes, chosen at random once (e.g. at boot) and kept. */
  key: Uint8Array;
  localAddress: AddressInput;
  localPort: number;
  remoteAddress: AddressInput;
  remotePort: number;
  /** The clock, in microseconds from any fixed origin; M = floor(time / 4). */
  timeMicros: number;
}

/**
 * An RFC 6528 ISN: M + F(localip, localport, remoteip, remoteport, secretkey)
 * mod 2^32, with M a 4 µs timer and F the low 32 bits of SipHash-2-4 over
 * local address, remote address, local port and remote port (big-endian).
 * @throws {TcpWireError} `BAD_ADDRESS`, `OUT_OF_RANGE` for a bad address, port, key or time.
 */
export function keyedIsn(input: KeyedIsnInput): number {
  const local = parseAddress(input.localAddress);
  const remote = parseAddress(input.remoteAddress);
  if (local.length !== remote.length) throw new TcpWireError('BAD_ADDRESS', 'local and remote addresses are of different IP families');
  const lp = checkU16(input.localPort, 'localPort');
  const rp = checkU16(input.remotePort, 'remotePort');
  if (typeof input.timeMicros !== 'number' || !Number.isFinite(input.timeMicros) || input.timeMicros < 0) {
    throw new TcpWireError('OUT_OF_RANGE', `timeMicros is ${String(input.timeMicros)}: expected a non-negative number`);
  }
  const data = new Uint8Array(local.length * 2 + 4);
  data.set(local, 0);
  data.set(remote, local.length);
  data[local.length * 2] = lp >>> 8;
  data[local.length * 2 + 1] = lp & 0xff;
  data[local.length * 2 + 2] = rp >>> 8;
  data[local.length * 2 + 3] = rp & 0xff;
  const f = Number(sipHash24(input.key, data) & 0xffff_ffffn);
  const m = Math.floor(input.timeMicros / 4) % 0x1_0000_0000;
  return (m + f) >>> 0;
}
