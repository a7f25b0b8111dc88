// The endpoint model against the state diagram of RFC 9293 §3.3.2 and the
// SEGMENT ARRIVES rules of §3.10.7.
import { describe, expect, it } from 'vitest';
import { afterReceive, afterSend, closedEndpoint, decodeSegment, encodeSegment, listeningEndpoint, replay } from '../../src/index.js';

const seg = (init: Parameters<typeof encodeSegment>[0]) => decodeSegment(encodeSegment(init));

describe('endpoint states', () => {
  it('the textbook handshake: CLOSED → SYN-SENT → ESTABLISHED and LISTEN → SYN-RECEIVED → ESTABLISHED', () => {
    const r = replay([
      { segment: seg({ seq: 100, flags: 'S' }), fromClient: true },
      { segment: seg({ seq: 300, ack: 101, flags: 'SA' }), fromClient: false },
      { segment: seg({ seq: 101, ack: 301, flags: 'A' }), fromClient: true },
    ]);
    expect(r.states).toEqual([
      { client: 'CLOSED', server: 'LISTEN' },
      { client: 'SYN-SENT', server: 'SYN-RECEIVED' },
      { client: 'ESTABLISHED', server: 'SYN-RECEIVED' },
      { client: 'ESTABLISHED', server: 'ESTABLISHED' },
    ]);
    expect(r.notes).toEqual([undefined, undefined, undefined]);
    expect([r.client.iss, r.client.irs, r.server.iss, r.server.irs]).toEqual([100, 300, 300, 100]);
  });

  it('LISTEN ignores a RST and answers an ACK with RST, staying in LISTEN', () => {
    const l = listeningEndpoint();
    expect(afterReceive(l, seg({ flags: 'R' }))).toMatchObject({ state: 'LISTEN', note: 'a RST in LISTEN is ignored' });
    expect(afterReceive(l, seg({ flags: 'A', ack: 5 })).state).toBe('LISTEN');
  });

  it('SYN-SENT: a RST with an acceptable ACK closes; an unacceptable ACK leaves the state and notes the RST to send', () => {
    const c = afterSend(closedEndpoint(), seg({ seq: 10, flags: 'S' }));
    expect(c.state).toBe('SYN-SENT');
    expect(afterReceive(c, seg({ ack: 11, flags: 'RA' })).state).toBe('CLOSED');
    const bad = afterReceive(c, seg({ seq: 9, ack: 12, flags: 'SA' }));
    expect(bad.state).toBe('SYN-SENT');
    expect(bad.note).toContain('RST');
    // The wrap: ISS = 2^32-1, SND.NXT = 0; an ACK of 0 is acceptable.
    const w = afterSend(closedEndpoint(), seg({ seq: 2 ** 32 - 1, flags: 'S' }));
    expect(afterReceive(w, seg({ seq: 5, ack: 0, flags: 'SA' })).state).toBe('ESTABLISHED');
  });

  it('simultaneous open: SYN-SENT + SYN → SYN-RECEIVED', () => {
    const c = afterSend(closedEndpoint(), seg({ seq: 10, flags: 'S' }));
    expect(afterReceive(c, seg({ seq: 50, flags: 'S' })).state).toBe('SYN-RECEIVED');
  });

  it('SYN-RECEIVED: a RST sends a server back to LISTEN; an ACK of the wrong number does not establish', () => {
    let s = afterReceive(listeningEndpoint(), seg({ seq: 10, flags: 'S' }));
    s = afterSend(s, seg({ seq: 70, ack: 11, flags: 'SA' }));
    expect(afterReceive(s, seg({ seq: 11, flags: 'R' })).state).toBe('LISTEN');
    expect(afterReceive(s, seg({ seq: 11, ack: 70, flags: 'A' })).state).toBe('SYN-RECEIVED');
    expect(afterReceive(s, seg({ seq: 11, ack: 71, flags: 'A' })).state).toBe('ESTABLISHED');
  });
});
