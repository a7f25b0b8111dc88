// Byte-exact against Scapy 2.5.0: every handshake in fixtures/scapy/handshakes.json
// was built by Scapy from the spec stored beside it (fixtures/scapy/make-handshakes.py).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type HandshakeSpec, threeWayHandshake, toHex } from '../../src/index.js';

interface Built {
  tcp: string;
  packet: string;
}
interface Case {
  name: string;
  spec: HandshakeSpec & { profile: 'plain' | 'linux'; ecn: boolean };
  syn: Built;
  synAck: Built;
  ack: Built;
}

const cases = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/scapy/handshakes.json'), 'utf8')) as Case[];

describe('threeWayHandshake against Scapy', () => {
  it('has the 42 fixtures', () => {
    expect(cases.length).toBe(42);
    expect(new Set(cases.map((c) => c.spec.profile))).toEqual(new Set(['plain', 'linux']));
    expect(cases.some((c) => c.spec.ecn)).toBe(true);
    expect(cases.some((c) => c.spec.client.address.toString().includes(':'))).toBe(true);
  });

  for (const c of cases) {
    it(`${c.name}: TCP bytes and whole packets match`, () => {
      // The IP header Scapy built: IPv4 ttl=64 id=0 DF tos=0, IPv6 hlim=64 fl=0 tc=0
      // (fixtures/scapy/README.md) — which are also tcpwire's defaults.
      const hs = threeWayHandshake({ ...c.spec, packets: true });
      for (const k of ['syn', 'synAck', 'ack'] as const) {
        expect(toHex(hs[k].bytes), `${k} TCP`).toBe(c[k].tcp);
        expect(toHex(hs[k].packet as Uint8Array), `${k} packet`).toBe(c[k].packet);
      }
    });
  }
});
