/**
 * The golden vectors: 3000 segments and 42 handshakes built by Scapy 2.5.0
 * (fixtures/scapy/, see its README). Every vector must agree: fields, options,
 * bytes, checksum verdict. Failures are collected per check so a mismatch
 * names the vectors, not just the first one.
 *
 * Scapy's quirk: dissecting, it stops at the first EOL and reports one `eol`,
 * dropping what follows. tcpwire also stops at the first EOL, and keeps what
 * follows in `segment.padding` (all zero bytes in these vectors).
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type TcpFlags,
  type TcpOption,
  type TcpSegment,
  decodeSegment,
  encodeSegment,
  tcpChecksum,
  verifyTcpChecksum,
} from '../../src/index.js';
import { TYPED_KINDS, rawOption } from './arbitraries.js';

type JsonOption = { type: string; [k: string]: unknown };
interface Vector {
  id: number;
  family: 4 | 6;
  src: string;
  dst: string;
  packet: string;
  tcp: string;
  checksumValid: boolean;
  optionsInput: JsonOption[];
  fields: {
    srcPort: number;
    dstPort: number;
    seq: number;
    ack: number;
    dataOffset: number;
    reserved: number;
    flags: TcpFlags;
    window: number;
    checksum: number;
    urgentPointer: number;
    options: JsonOption[];
    payload: string;
  };
}

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../fixtures/scapy/${name}`, import.meta.url), 'utf8'));
const vectors = fixture('vectors.json') as Vector[];
const bytesOf = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'));
const hexOf = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/**
 * A raw option of a kind the fixture has no typed form for (MD5, user timeout, TCP-AO, MPTCP,
 * experimental), in its typed form when its length is the one its RFC gives: the encoder takes
 * such an option only typed, since as raw bytes it would decode typed. Laid out by hand from
 * RFC 2385 §3.0, RFC 5482 §2, RFC 5925 §2.2, RFC 8684 §3 and RFC 6994 §3, not by tcpwire.
 */
function typedFromRaw(kind: number, data: Uint8Array): TcpOption {
  const len = data.length + 2;
  if (kind === 19 && len === 18) return { type: 'md5', digest: data };
  if (kind === 28 && len === 4) {
    const v = ((data[0] as number) << 8) | (data[1] as number);
    return { type: 'userTimeout', granularity: v & 0x8000 ? 'minutes' : 'seconds', timeout: v & 0x7fff };
  }
  if (kind === 29 && len >= 4) return { type: 'tcpAo', keyId: data[0] as number, rNextKeyId: data[1] as number, mac: data.subarray(2) };
  if (kind === 30 && len >= 3) return { type: 'mptcp', subtype: (data[0] as number) >>> 4, data };
  if ((kind === 253 || kind === 254) && len >= 4) return { type: 'experimental', kind, exid: ((data[0] as number) << 8) | (data[1] as number), data: data.subarray(2) };
  return { type: 'unknown', kind, data };
}

/** The fixture's JSON option form to a TcpOption (hex through Node's Buffer, not tcpwire). */
function optionFromScapy(o: JsonOption): TcpOption {
  switch (o.type) {
    case 'fastOpen':
      return { type: 'fastOpen', cookie: bytesOf(o.cookie as string) };
    case 'unknown':
      return typedFromRaw(o.kind as number, bytesOf(o.data as string));
    default:
      return o as unknown as TcpOption;
  }
}

/**
 * A decoded TcpOption in the fixture's JSON form. The fixture has no typed form
 * for MD5 (19), user timeout (28), TCP-AO (29), MPTCP (30) or experimental
 * options, which Scapy's generator wrote as `unknown`; their data bytes come
 * from the independent writer in ./arbitraries.ts.
 */
function optionToScapy(o: TcpOption): JsonOption {
  switch (o.type) {
    case 'fastOpen':
      return { type: 'fastOpen', cookie: hexOf(o.cookie) };
    case 'unknown':
      return { type: 'unknown', kind: o.kind, data: hexOf(o.data) };
    case 'md5':
    case 'userTimeout':
    case 'tcpAo':
    case 'mptcp':
    case 'experimental': {
      const raw = rawOption(o);
      return { type: 'unknown', kind: raw[0] as number, data: Buffer.from(raw.slice(2)).toString('hex') };
    }
    default:
      return { ...o } as JsonOption;
  }
}

function fieldsOf(s: TcpSegment) {
  return {
    srcPort: s.srcPort,
    dstPort: s.dstPort,
    seq: s.seq,
    ack: s.ack,
    dataOffset: s.dataOffset,
    reserved: s.reserved,
    flags: s.flags,
    window: s.window,
    checksum: s.checksum,
    urgentPointer: s.urgentPointer,
    options: s.options.map(optionToScapy),
    payload: hexOf(s.payload),
  };
}

/** Runs `check` on every vector; returns the ids (and first messages) of those that disagree. */
function disagreements(check: (v: Vector) => void): string[] {
  const bad: string[] = [];
  for (const v of vectors) {
    try {
      check(v);
    } catch (e) {
      bad.push(`#${v.id}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  return bad.slice(0, 10).concat(bad.length > 10 ? [`… and ${bad.length - 10} more`] : []);
}

describe('Scapy golden vectors (fixtures/scapy/vectors.json)', () => {
  it('are all there: 3000, both families, 274 with a wrong checksum', () => {
    expect(vectors.length).toBe(3000);
    expect(vectors.filter((v) => !v.checksumValid).length).toBe(274);
    expect(new Set(vectors.map((v) => v.family))).toEqual(new Set([4, 6]));
    // the TCP bytes are the packet minus its 20- or 40-byte IP header
    expect(disagreements((v) => expect(v.packet.slice(v.family === 4 ? 40 : 80)).toBe(v.tcp))).toEqual([]);
  });

  it('decodeSegment(tcp) gives Scapy\'s fields, option for option', () => {
    expect(disagreements((v) => expect(fieldsOf(decodeSegment(bytesOf(v.tcp)))).toEqual(v.fields))).toEqual([]);
  });

  it('what follows the first EOL is kept in padding, and here it is all zero bytes', () => {
    expect(
      disagreements((v) => {
        const s = decodeSegment(bytesOf(v.tcp));
        const optionBytes = s.options.reduce((n, o) => n + rawOption(o).length, 0);
        expect(s.padding.length).toBe(v.fields.dataOffset * 4 - 20 - optionBytes);
        expect(s.padding.every((b) => b === 0)).toBe(true);
        if (s.padding.length > 0) expect(s.options.at(-1)).toEqual({ type: 'eol' });
      }),
    ).toEqual([]);
  });

  it('warnings only for window-scale shifts above 14 and typed kinds of the wrong length (Scapy\'s MD5/UTO bytes), at the option\'s byte', () => {
    expect(
      disagreements((v) => {
        const s = decodeSegment(bytesOf(v.tcp));
        let at = 20;
        const want: [string, number][] = [];
        for (const o of s.options) {
          if (o.type === 'windowScale' && o.shift > 14) want.push(['OUT_OF_RANGE', at]);
          if (o.type === 'unknown' && TYPED_KINDS.has(o.kind)) want.push(['BAD_OPTION_LENGTH', at]);
          at += rawOption(o).length;
        }
        expect(s.warnings.map((w) => [w.code, w.offset])).toEqual(want);
      }),
    ).toEqual([]);
  });

  it('encodeSegment(fields + optionsInput) gives the bytes, computing the checksum when it is valid', () => {
    expect(
      disagreements((v) => {
        const f = v.fields;
        const init = {
          srcPort: f.srcPort,
          dstPort: f.dstPort,
          seq: f.seq,
          ack: f.ack,
          reserved: f.reserved,
          flags: f.flags,
          window: f.window,
          urgentPointer: f.urgentPointer,
          options: v.optionsInput.map(optionFromScapy),
          payload: bytesOf(f.payload),
        };
        const want = v.tcp;
        if (v.checksumValid) {
          expect(hexOf(encodeSegment(init, { src: v.src, dst: v.dst }))).toBe(want);
          expect(hexOf(encodeSegment({ ...init, dataOffset: f.dataOffset }, { src: v.src, dst: v.dst }))).toBe(want);
        } else {
          expect(hexOf(encodeSegment({ ...init, checksum: f.checksum }))).toBe(want);
          expect(hexOf(encodeSegment({ ...init, dataOffset: f.dataOffset, checksum: f.checksum }))).toBe(want);
        }
      }),
    ).toEqual([]);
  });

  it('encodeSegment(decodeSegment(tcp)) is tcp, byte for byte', () => {
    expect(disagreements((v) => expect(hexOf(encodeSegment(decodeSegment(bytesOf(v.tcp))))).toBe(v.tcp))).toEqual([]);
  });

  it('verifyTcpChecksum agrees with checksumValid; tcpChecksum equals the field exactly when valid', () => {
    expect(
      disagreements((v) => {
        const b = bytesOf(v.tcp);
        expect(verifyTcpChecksum(b, v.src, v.dst)).toBe(v.checksumValid);
        const computed = tcpChecksum(b, v.src, v.dst);
        if (v.checksumValid) expect(computed).toBe(v.fields.checksum);
        else expect(computed).not.toBe(v.fields.checksum);
      }),
    ).toEqual([]);
  });

  it('a wrong checksum never stops decoding, and re-encoding with the addresses repairs it', () => {
    expect(
      disagreements((v) => {
        if (v.checksumValid) return;
        const s = decodeSegment(bytesOf(v.tcp));
        const fixed = encodeSegment(s, { src: v.src, dst: v.dst });
        expect(verifyTcpChecksum(fixed, v.src, v.dst)).toBe(true);
        expect(hexOf(fixed.subarray(18))).toBe(v.tcp.slice(36));
      }),
    ).toEqual([]);
  });
});

interface Endpoint {
  address: string;
  port: number;
  isn: number;
  window: number;
  mss: number;
  windowScale: number;
  tsval: number;
}
interface Handshake {
  name: string;
  spec: { client: Endpoint; server: Endpoint; ack: { window: number; tsval: number }; profile: 'plain' | 'linux'; ecn: boolean };
  syn: { tcp: string; packet: string };
  synAck: { tcp: string; packet: string };
  ack: { tcp: string; packet: string };
}

describe('Scapy handshakes (fixtures/scapy/handshakes.json)', () => {
  const handshakes = fixture('handshakes.json') as Handshake[];
  const plus1 = (n: number): number => Number((BigInt(n) + 1n) % (1n << 32n));
  const F = (letters: string): TcpFlags => ({
    ae: letters.includes('N'),
    cwr: letters.includes('C'),
    ece: letters.includes('E'),
    urg: letters.includes('U'),
    ack: letters.includes('A'),
    psh: letters.includes('P'),
    rst: letters.includes('R'),
    syn: letters.includes('S'),
    fin: letters.includes('F'),
  });

  it('are all there', () => {
    expect(handshakes.length).toBe(42);
  });

  for (const h of handshakes) {
    it(`${h.name}: seq/ack across the wrap, flags, options, checksums, identity`, () => {
      const { client: c, server: s, ack: a, profile, ecn } = h.spec;
      const syn = decodeSegment(bytesOf(h.syn.tcp));
      const synAck = decodeSegment(bytesOf(h.synAck.tcp));
      const ack = decodeSegment(bytesOf(h.ack.tcp));

      expect([syn.srcPort, syn.dstPort, syn.seq, syn.ack, syn.window]).toEqual([c.port, s.port, c.isn, 0, c.window]);
      expect([synAck.srcPort, synAck.dstPort, synAck.seq, synAck.ack, synAck.window]).toEqual([s.port, c.port, s.isn, plus1(c.isn), s.window]);
      expect([ack.srcPort, ack.dstPort, ack.seq, ack.ack, ack.window]).toEqual([c.port, s.port, plus1(c.isn), plus1(s.isn), a.window]);
      expect(syn.flags).toEqual(F(ecn ? 'SEC' : 'S'));
      expect(synAck.flags).toEqual(F(ecn ? 'SAE' : 'SA'));
      expect(ack.flags).toEqual(F('A'));
      for (const seg of [syn, synAck, ack]) expect([seg.reserved, seg.urgentPointer, seg.payload.length]).toEqual([0, 0, 0]);

      if (profile === 'linux') {
        expect(syn.options).toEqual([
          { type: 'mss', value: c.mss },
          { type: 'sackPermitted' },
          { type: 'timestamps', tsval: c.tsval, tsecr: 0 },
          { type: 'nop' },
          { type: 'windowScale', shift: c.windowScale },
        ]);
        expect(synAck.options).toEqual([
          { type: 'mss', value: s.mss },
          { type: 'sackPermitted' },
          { type: 'timestamps', tsval: s.tsval, tsecr: c.tsval },
          { type: 'nop' },
          { type: 'windowScale', shift: s.windowScale },
        ]);
        expect(ack.options).toEqual([{ type: 'nop' }, { type: 'nop' }, { type: 'timestamps', tsval: a.tsval, tsecr: s.tsval }]);
      } else {
        for (const seg of [syn, synAck, ack]) expect(seg.options).toEqual([]);
      }

      const pairs: [string, TcpSegment, string, string][] = [
        [h.syn.tcp, syn, c.address, s.address],
        [h.synAck.tcp, synAck, s.address, c.address],
        [h.ack.tcp, ack, c.address, s.address],
      ];
      for (const [hex, seg, src, dst] of pairs) {
        expect(verifyTcpChecksum(bytesOf(hex), src, dst)).toBe(true);
        expect(hexOf(encodeSegment(seg))).toBe(hex);
        expect(hexOf(encodeSegment({ ...seg, checksum: 0 }, { src, dst }))).toBe(hex);
      }
    });
  }
});
