// The responder against RFC 9293 §3.10.7 (SEGMENT ARRIVES), written as properties
// over any sequence numbers: CLOSED (§3.10.7.1), LISTEN (§3.10.7.2), SYN-SENT (§3.10.7.3).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSegment, encodeSegment, respondTo, threeWayHandshake, toHex, verifyTcpChecksum } from '../../src/index.js';
import { F, mod32, rawFields, u16, u32 } from './helpers.js';

const PEER = '10.1.0.1';
const ME = '10.1.0.2';
const at = { src: PEER, dst: ME };

/** A segment from PEER:5555 to ME:80. */
function arriving(init: Parameters<typeof encodeSegment>[0]) {
  return decodeSegment(encodeSegment({ srcPort: 5555, dstPort: 80, ...init }, { src: PEER, dst: ME }));
}

describe('CLOSED: a segment to a closed port gets the RST of §3.10.7.1', () => {
  it('ACK off: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>, SEG.LEN counting SYN, FIN and payload', () => {
    fc.assert(
      fc.property(u32(), fc.boolean(), fc.boolean(), fc.uint8Array({ maxLength: 20 }), (seq, syn, fin, payload) => {
        const seg = arriving({ seq, flags: { syn, fin }, payload });
        const r = respondTo(seg, { ...at, state: 'CLOSED', packets: true });
        expect(r).not.toBeNull();
        const f = rawFields(r!.bytes);
        expect(f.flags).toBe(F.RST | F.ACK);
        expect(f.seq).toBe(0);
        expect(f.ack).toBe(mod32(seq, payload.length + (syn ? 1 : 0) + (fin ? 1 : 0)));
        expect([f.srcPort, f.dstPort]).toEqual([80, 5555]);
        expect(verifyTcpChecksum(r!.bytes, ME, PEER)).toBe(true);
        expect([r!.src, r!.dst]).toEqual([ME, PEER]);
        expect(r!.packet).toBeDefined();
      }),
    );
  });

  it('ACK on: <SEQ=SEG.ACK><CTL=RST>', () => {
    fc.assert(
      fc.property(u32(), u32(), fc.boolean(), (seq, ack, syn) => {
        const r = respondTo(arriving({ seq, ack, flags: { ack: true, syn } }), { ...at, state: 'CLOSED' });
        const f = rawFields(r!.bytes);
        expect(f.flags).toBe(F.RST);
        expect(f.seq).toBe(ack);
        expect(f.ack).toBe(0);
      }),
    );
  });

  it('an arriving RST is dropped (null)', () => {
    expect(respondTo(arriving({ flags: { rst: true } }), { ...at, state: 'CLOSED' })).toBeNull();
    expect(respondTo(arriving({ flags: { rst: true, ack: true }, ack: 9 }), { ...at, state: 'CLOSED' })).toBeNull();
  });

  it('a plain ACK with no state given is answered as a closed port', () => {
    const r = respondTo(arriving({ seq: 1, ack: 4242, flags: 'A' }), at);
    expect(rawFields(r!.bytes)).toMatchObject({ flags: F.RST, seq: 4242 });
    expect(r!.state).toBe('CLOSED');
  });
});

describe('LISTEN (§3.10.7.2)', () => {
  it('a SYN gets <SEQ=ISS><ACK=SEG.SEQ+1><CTL=SYN,ACK>, and the listener is in SYN-RECEIVED', () => {
    fc.assert(
      fc.property(u32(), u32(), u16(), (x, iss, window) => {
        const r = respondTo(arriving({ seq: x, flags: 'S' }), { ...at, isn: iss, window });
        const f = rawFields(r!.bytes);
        expect(f.flags).toBe(F.SYN | F.ACK);
        expect([f.seq, f.ack, f.window]).toEqual([iss, mod32(x, 1), window]);
        expect(r!.state).toBe('SYN-RECEIVED');
        expect(verifyTcpChecksum(r!.bytes, ME, PEER)).toBe(true);
      }),
    );
  });

  it('an ACK gets <SEQ=SEG.ACK><CTL=RST>; a RST or a bare segment is dropped', () => {
    const r = respondTo(arriving({ seq: 5, ack: 77, flags: 'A' }), { ...at, state: 'LISTEN' });
    expect(rawFields(r!.bytes)).toMatchObject({ flags: F.RST, seq: 77 });
    expect(respondTo(arriving({ flags: 'R' }), { ...at, state: 'LISTEN' })).toBeNull();
    expect(respondTo(arriving({ flags: 'P', payload: 'hi' }), { ...at, state: 'LISTEN' })).toBeNull();
  });

  it('ECN: the SYN-ACK sets ECE only for an ECN-setup SYN (ECE+CWR), when accepting ECN', () => {
    const ecnSyn = arriving({ seq: 1, flags: 'SEC' });
    expect(rawFields(respondTo(ecnSyn, { ...at, isn: 1, ecn: true })!.bytes).flags).toBe(F.SYN | F.ACK | F.ECE);
    expect(rawFields(respondTo(ecnSyn, { ...at, isn: 1, ecn: false })!.bytes).flags).toBe(F.SYN | F.ACK);
    expect(rawFields(respondTo(arriving({ seq: 1, flags: 'SE' }), { ...at, isn: 1, ecn: true })!.bytes).flags).toBe(F.SYN | F.ACK);
    // Linux accepts ECN when asked by default (tcp_ecn=2); plain does not.
    expect(rawFields(respondTo(ecnSyn, { ...at, isn: 1, profile: 'linux' })!.bytes).flags).toBe(F.SYN | F.ACK | F.ECE);
    expect(rawFields(respondTo(ecnSyn, { ...at, isn: 1 })!.bytes).flags).toBe(F.SYN | F.ACK);
  });

  it('takes the arriving segment as bytes too', () => {
    const bytes = encodeSegment({ srcPort: 1, dstPort: 2, seq: 10, flags: 'S' }, { src: PEER, dst: ME });
    const r = respondTo(bytes, { ...at, isn: 3 });
    expect(rawFields(r!.bytes)).toMatchObject({ srcPort: 2, dstPort: 1, seq: 3, ack: 11 });
  });
});

describe('SYN-SENT (§3.10.7.3)', () => {
  it('an acceptable SYN-ACK gets <SEQ=SND.NXT><ACK=RCV.NXT>: seq x+1, ack y+1', () => {
    fc.assert(
      fc.property(u32(), u32(), (x, y) => {
        const syn = arriving({ seq: x, flags: 'S' });
        const synAck = decodeSegment(encodeSegment({ srcPort: 80, dstPort: 5555, seq: y, ack: mod32(x, 1), flags: 'SA' }, { src: ME, dst: PEER }));
        const r = respondTo(synAck, { src: ME, dst: PEER, state: 'SYN-SENT', syn });
        const f = rawFields(r!.bytes);
        expect(f.flags).toBe(F.ACK);
        expect([f.seq, f.ack]).toEqual([mod32(x, 1), mod32(y, 1)]);
        expect([f.srcPort, f.dstPort]).toEqual([5555, 80]);
        expect(r!.state).toBe('ESTABLISHED');
      }),
    );
  });

  it('an unacceptable ACK (SEG.ACK =< ISS or > SND.NXT) gets <SEQ=SEG.ACK><CTL=RST>', () => {
    fc.assert(
      fc.property(u32(), u32(), u32().filter((d) => d !== 1), (x, y, d) => {
        const syn = arriving({ seq: x, flags: 'S' });
        const bad = mod32(x, d);
        const synAck = decodeSegment(encodeSegment({ srcPort: 80, dstPort: 5555, seq: y, ack: bad, flags: 'SA' }, { src: ME, dst: PEER }));
        const r = respondTo(synAck, { src: ME, dst: PEER, state: 'SYN-SENT', syn });
        expect(rawFields(r!.bytes)).toMatchObject({ flags: F.RST, seq: bad, ack: 0 });
        expect(r!.state).toBe('SYN-SENT');
      }),
    );
  });

  it('a RST with an acceptable ACK is taken (null: nothing to send); a segment with neither SYN nor RST is dropped', () => {
    const syn = arriving({ seq: 100, flags: 'S' });
    const from = { src: ME, dst: PEER, state: 'SYN-SENT' as const, syn };
    expect(respondTo(decodeSegment(encodeSegment({ seq: 0, ack: 101, flags: 'RA' })), from)).toBeNull();
    expect(respondTo(decodeSegment(encodeSegment({ seq: 0, ack: 101, flags: 'A' })), from)).toBeNull();
  });

  it('simultaneous open: a SYN without ACK gets a SYN-ACK with our ISN', () => {
    const r = respondTo(arriving({ seq: 42, flags: 'S' }), { ...at, state: 'SYN-SENT', isn: 7 });
    expect(rawFields(r!.bytes)).toMatchObject({ flags: F.SYN | F.ACK, seq: 7, ack: 43 });
    expect(r!.state).toBe('SYN-RECEIVED');
  });

  it('linux: the ACK echoes the SYN-ACK TSval, carries the SYN TSval, window scaled by our shift', () => {
    const hs = threeWayHandshake({
      client: { address: PEER, port: 5555, isn: 1, tsval: 1000, windowScale: 10, window: 64240 },
      server: { address: ME, port: 80, isn: 2, tsval: 2000 },
      profile: 'linux',
    });
    const r = respondTo(hs.synAck.segment, { src: ME, dst: PEER, syn: hs.syn.segment, profile: 'linux' });
    expect(toHex(r!.bytes.subarray(20))).toBe('0101080a000003e8000007d0');
    expect(rawFields(r!.bytes).window).toBe(Math.floor(64240 / 1024));
  });
});
