// The generator against the RFC 9293 §3.5 rules written as properties, with the
// wraparound cases at 2^32-1; the oracle for numbers is BigInt arithmetic and
// for fields a DataView reader written from the RFC's header diagram.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TcpWireError, threeWayHandshake, toHex, verifyTcpChecksum } from '../../src/index.js';
import { F, mod32, rawFields, specArb, u32 } from './helpers.js';

const base = { client: { address: '192.0.2.1', port: 40000 }, server: { address: '198.51.100.2', port: 80 } };

describe('wraparound', () => {
  it('x = 2^32-1: the SYN-ACK acknowledges 0 and the ACK has seq 0', () => {
    const hs = threeWayHandshake({ client: { ...base.client, isn: 2 ** 32 - 1 }, server: { ...base.server, isn: 5 } });
    expect(rawFields(hs.syn.bytes).seq).toBe(4294967295);
    expect(rawFields(hs.synAck.bytes).ack).toBe(0);
    expect(rawFields(hs.ack.bytes).seq).toBe(0);
    expect(rawFields(hs.ack.bytes).ack).toBe(6);
  });

  it('y = 2^32-1: the ACK acknowledges 0', () => {
    const hs = threeWayHandshake({ client: { ...base.client, isn: 7 }, server: { ...base.server, isn: 2 ** 32 - 1 } });
    expect(rawFields(hs.synAck.bytes).seq).toBe(4294967295);
    expect(rawFields(hs.ack.bytes).ack).toBe(0);
    expect(rawFields(hs.ack.bytes).seq).toBe(8);
  });

  it('both at 2^32-1, and at the sign boundary 2^31-1 / 2^31', () => {
    const w = threeWayHandshake({ client: { ...base.client, isn: 2 ** 32 - 1 }, server: { ...base.server, isn: 2 ** 32 - 1 } });
    expect([rawFields(w.synAck.bytes).ack, rawFields(w.ack.bytes).seq, rawFields(w.ack.bytes).ack]).toEqual([0, 0, 0]);
    const s = threeWayHandshake({ client: { ...base.client, isn: 2 ** 31 - 1 }, server: { ...base.server, isn: 2 ** 31 } });
    expect([rawFields(s.synAck.bytes).ack, rawFields(s.ack.bytes).seq, rawFields(s.ack.bytes).ack]).toEqual([2 ** 31, 2 ** 31, 2 ** 31 + 1]);
  });
});

describe('properties over all x, y (RFC 9293 §3.5)', () => {
  it('SYN seq=x; SYN-ACK seq=y ack=x+1; ACK seq=x+1 ack=y+1, mod 2^32; flags, ports, checksums', () => {
    fc.assert(
      fc.property(specArb(), (spec) => {
        const hs = threeWayHandshake({ ...spec, packets: true });
        const x = spec.client.isn;
        const y = spec.server.isn;
        const [s, sa, a] = [rawFields(hs.syn.bytes), rawFields(hs.synAck.bytes), rawFields(hs.ack.bytes)];
        expect([s.seq, s.ack]).toEqual([x, 0]);
        expect([sa.seq, sa.ack]).toEqual([y, mod32(x, 1)]);
        expect([a.seq, a.ack]).toEqual([mod32(x, 1), mod32(y, 1)]);
        const ecn = spec.ecn ? F.ECE | F.CWR : 0;
        expect(s.flags).toBe(F.SYN | ecn);
        expect(sa.flags).toBe(F.SYN | F.ACK | (spec.ecn ? F.ECE : 0));
        expect(a.flags).toBe(F.ACK);
        expect([s.srcPort, s.dstPort, sa.srcPort, sa.dstPort, a.srcPort, a.dstPort]).toEqual([
          spec.client.port,
          spec.server.port,
          spec.server.port,
          spec.client.port,
          spec.client.port,
          spec.server.port,
        ]);
        expect([s.window, sa.window, a.window]).toEqual([spec.client.window, spec.server.window, spec.ack.window]);
        expect([s.headerLength, sa.headerLength, a.headerLength]).toEqual(spec.profile === 'plain' ? [20, 20, 20] : [40, 40, 32]);
        const [c, sv] = [spec.client.address, spec.server.address];
        expect(verifyTcpChecksum(hs.syn.bytes, c, sv)).toBe(true);
        expect(verifyTcpChecksum(hs.synAck.bytes, sv, c)).toBe(true);
        expect(verifyTcpChecksum(hs.ack.bytes, c, sv)).toBe(true);
        // The packet ends with the segment, after a 20- or 40-byte IP header.
        const ipLen = c.includes(':') ? 40 : 20;
        expect(toHex((hs.syn.packet as Uint8Array).subarray(ipLen))).toBe(toHex(hs.syn.bytes));
        // The decoded form agrees with the bytes.
        expect(hs.synAck.segment.ack).toBe(sa.ack);
        expect(hs.states.map((p) => `${p.client}/${p.server}`)).toEqual([
          'CLOSED/LISTEN',
          'SYN-SENT/SYN-RECEIVED',
          'ESTABLISHED/SYN-RECEIVED',
          'ESTABLISHED/ESTABLISHED',
        ]);
      }),
      { numRuns: 300 },
    );
  });

  it('the linux profile: TSecr echoes (SYN-ACK echoes the SYN TSval, ACK the SYN-ACK TSval)', () => {
    fc.assert(
      fc.property(u32(), u32(), u32(), (ctsv, stsv, atsv) => {
        const hs = threeWayHandshake({
          client: { ...base.client, isn: 1, tsval: ctsv },
          server: { ...base.server, isn: 2, tsval: stsv },
          ack: { tsval: atsv },
          profile: 'linux',
        });
        const ts = (b: Uint8Array, at: number) => {
          const dv = new DataView(b.buffer, b.byteOffset);
          expect([b[at], b[at + 1]]).toEqual([8, 10]);
          return [dv.getUint32(at + 2), dv.getUint32(at + 6)];
        };
        // SYN/SYN-ACK: MSS(4) SACK_PERM(2) TS at 26; ACK: NOP NOP TS at 22.
        expect(ts(hs.syn.bytes, 26)).toEqual([ctsv, 0]);
        expect(ts(hs.synAck.bytes, 26)).toEqual([stsv, ctsv]);
        expect(ts(hs.ack.bytes, 22)).toEqual([atsv, stsv]);
      }),
    );
  });

  it('is deterministic: the same spec gives the same bytes', () => {
    fc.assert(
      fc.property(specArb(), (spec) => {
        const a = threeWayHandshake(spec);
        const b = threeWayHandshake(structuredClone(spec));
        expect([toHex(a.syn.bytes), toHex(a.synAck.bytes), toHex(a.ack.bytes)]).toEqual([
          toHex(b.syn.bytes),
          toHex(b.synAck.bytes),
          toHex(b.ack.bytes),
        ]);
      }),
      { numRuns: 50 },
    );
  });
});

describe('defaults and options', () => {
  it('a left-out ISN is a random 32-bit number (two draws of 64 bits of ISN differ)', () => {
    const a = threeWayHandshake(base);
    const b = threeWayHandshake(base);
    for (const v of [a.syn.segment.seq, a.synAck.segment.seq]) expect(Number.isInteger(v) && v >= 0 && v < 2 ** 32).toBe(true);
    expect([a.syn.segment.seq, a.synAck.segment.seq]).not.toEqual([b.syn.segment.seq, b.synAck.segment.seq]);
  });

  it('plain: 20-byte headers, window 65535, no packet unless asked for', () => {
    const hs = threeWayHandshake({ ...base, client: { ...base.client, isn: 1 }, server: { ...base.server, isn: 2 } });
    for (const s of [hs.syn, hs.synAck, hs.ack]) {
      expect(s.bytes.length).toBe(20);
      expect(rawFields(s.bytes).window).toBe(65535);
      expect(s.packet).toBeUndefined();
    }
  });

  it("linux defaults: the windows Linux picks for MSS 1460 / 1440 (seen in fixtures/captures), shift 7, and the ACK's window scaled", () => {
    const v4 = threeWayHandshake({ ...base, profile: 'linux' });
    expect([v4.syn.segment.window, v4.synAck.segment.window]).toEqual([64240, 65160]);
    expect(v4.syn.segment.options).toContainEqual({ type: 'mss', value: 1460 });
    expect(v4.syn.segment.options).toContainEqual({ type: 'windowScale', shift: 7 });
    expect(v4.ack.segment.window).toBe(Math.floor(64240 / 128));
    const v6 = threeWayHandshake({ client: { address: 'fd99::1', port: 1 }, server: { address: 'fd99::2', port: 2 }, profile: 'linux' });
    expect([v6.syn.segment.window, v6.synAck.segment.window]).toEqual([64800, 64260]);
  });

  it('linux: an option the SYN leaves out is left out of the SYN-ACK, in the layouts of tcp_options_write', () => {
    // SYN with MSS only: the SYN-ACK has MSS only, the ACK no options (no timestamps negotiated).
    const bare = threeWayHandshake({ ...base, client: { ...base.client, options: [{ type: 'mss', value: 1400 }] }, profile: 'linux' });
    expect(toHex(bare.synAck.bytes.subarray(20))).toBe('020405b4');
    expect(bare.ack.bytes.length).toBe(20);
    // SACK-permitted without timestamps: Linux writes NOP NOP SACK_PERM.
    const sack = threeWayHandshake({
      ...base,
      client: { ...base.client, options: [{ type: 'mss', value: 1460 }, { type: 'nop' }, { type: 'nop' }, { type: 'sackPermitted' }] },
      server: { ...base.server, mss: 1460 },
      profile: 'linux',
    });
    expect(toHex(sack.synAck.bytes.subarray(20))).toBe('020405b401010402');
    // Timestamps and window scale without SACK: MSS, NOP NOP TS, NOP WS.
    const nosack = threeWayHandshake({
      ...base,
      client: {
        ...base.client,
        options: [{ type: 'mss', value: 1460 }, { type: 'nop' }, { type: 'nop' }, { type: 'timestamps', tsval: 9, tsecr: 0 }, { type: 'nop' }, { type: 'windowScale', shift: 2 }],
      },
      server: { ...base.server, mss: 1460, tsval: 7, windowScale: 3 },
      profile: 'linux',
    });
    expect(toHex(nosack.synAck.bytes.subarray(20))).toBe('020405b40101080a00000007000000090103030' + '3');
    expect(toHex(nosack.ack.bytes.subarray(20))).toBe('0101080a0000000900000007');
  });

  it('options given for a segment replace the profile list for that segment only', () => {
    const hs = threeWayHandshake({
      ...base,
      server: { ...base.server, options: [{ type: 'mss', value: 536 }] },
      ack: { options: [{ type: 'nop' }, { type: 'nop' }, { type: 'nop' }, { type: 'nop' }] },
      profile: 'linux',
    });
    expect(hs.syn.bytes.length).toBe(40);
    expect(toHex(hs.synAck.bytes.subarray(20))).toBe('02040218');
    expect(toHex(hs.ack.bytes.subarray(20))).toBe('01010101');
  });

  it('rejects bad specs with TcpWireError', () => {
    const bad: [unknown, string][] = [
      [{ ...base, client: { ...base.client, port: 70000 } }, 'OUT_OF_RANGE'],
      [{ ...base, client: { ...base.client, isn: 2 ** 32 } }, 'OUT_OF_RANGE'],
      [{ ...base, server: { ...base.server, isn: -1 } }, 'OUT_OF_RANGE'],
      [{ ...base, ack: { window: 65536 } }, 'OUT_OF_RANGE'],
      [{ ...base, server: { address: '2001:db8::1', port: 1 } }, 'BAD_ADDRESS'],
      [{ ...base, profile: 'bsd' }, 'BAD_INPUT'],
      [{ client: base.client }, 'BAD_INPUT'],
      [null, 'BAD_INPUT'],
    ];
    for (const [spec, code] of bad) {
      expect(() => threeWayHandshake(spec as never), JSON.stringify(spec)).toThrow(TcpWireError);
      try {
        threeWayHandshake(spec as never);
      } catch (e) {
        expect((e as TcpWireError).code).toBe(code);
      }
    }
  });
});
