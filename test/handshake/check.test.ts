// The checker: every rule with a case that breaks it and one that keeps it; every
// generated handshake passes; any single change of a seq/ack field is caught with
// the code that names it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CheckSegmentInput,
  type Handshake,
  type HandshakeFindingCode,
  type HandshakeSpec,
  type TcpSegmentInit,
  checkHandshake,
  decodeSegment,
  encodeSegment,
  threeWayHandshake,
} from '../../src/index.js';
import { mod32, specArb, u32 } from './helpers.js';

const spec: HandshakeSpec = {
  client: { address: '192.0.2.1', port: 40000, isn: 999, tsval: 111, windowScale: 7 },
  server: { address: '198.51.100.2', port: 80, isn: 5000, tsval: 222, windowScale: 9 },
  profile: 'linux',
};
const good = threeWayHandshake(spec);

type Seg = CheckSegmentInput & { src: string; dst: string };
const asList = (hs: Handshake): Seg[] => [hs.syn, hs.synAck, hs.ack].map((s) => ({ segment: s.segment, bytes: s.bytes, src: s.src, dst: s.dst }));

/** Re-encodes segment `i` with `patch` applied (checksum recomputed unless `keepChecksum`). */
function patched(hs: Handshake, i: number, patch: Partial<TcpSegmentInit>, addrs?: { src: string; dst: string }, keepChecksum = false): Seg[] {
  const list = asList(hs);
  const old = list[i] as Seg;
  const src = addrs?.src ?? old.src;
  const dst = addrs?.dst ?? old.dst;
  const { dataOffset, padding, ...rest } = old.segment;
  // New options get the data offset and padding that fit them.
  const init: TcpSegmentInit = patch.options !== undefined ? { ...rest, ...patch } : { ...rest, dataOffset, padding, ...patch };
  const bytes = keepChecksum ? encodeSegment(init) : encodeSegment(init, { src, dst });
  list[i] = { segment: decodeSegment(bytes), bytes, src, dst };
  return list;
}

const codes = (list: Parameters<typeof checkHandshake>[0]) => checkHandshake(list).findings.map((f) => `${f.code}@${f.index}`);
const errors = (list: Parameters<typeof checkHandshake>[0]) =>
  checkHandshake(list)
    .findings.filter((f) => f.severity === 'error')
    .map((f) => f.code);

describe('the correct handshake', () => {
  it('passes, with no findings, and both sides end ESTABLISHED', () => {
    const r = checkHandshake(good);
    expect(r.ok).toBe(true);
    expect(r.findings).toEqual([]);
    expect(r.states.at(-1)).toEqual({ client: 'ESTABLISHED', server: 'ESTABLISHED' });
    expect(r.negotiated).toEqual({ mss: { client: 1460, server: 1460 }, windowScale: { client: 7, server: 9 }, sackPermitted: true, timestamps: true, ecn: false });
    // Accepts plain decoded segments too (no addresses: the address rules are skipped).
    expect(checkHandshake([good.syn.segment, good.synAck.segment, good.ack.segment]).ok).toBe(true);
  });
});

describe('every rule: a failing case and a passing case', () => {
  const x = 999;
  const y = 5000;
  const cases: { code: HandshakeFindingCode; index: number; bad: () => Seg[]; fine: () => Seg[]; says?: string }[] = [
    {
      code: 'SEGMENT_COUNT',
      index: 2,
      bad: () => asList(good).slice(0, 2),
      fine: () => asList(good),
    },
    { code: 'SYN_FLAGS', index: 0, bad: () => patched(good, 0, { flags: { syn: true, ack: true } }), fine: () => patched(good, 0, { flags: { syn: true } }) },
    {
      code: 'SYN_ACK_NUMBER',
      index: 0,
      bad: () => patched(good, 0, { ack: 77 }),
      fine: () => patched(good, 0, { ack: 0 }),
      says: 'its acknowledgment number is 77',
    },
    { code: 'SYN_ACK_FLAGS', index: 1, bad: () => patched(good, 1, { flags: { syn: true } }), fine: () => patched(good, 1, { flags: { syn: true, ack: true } }) },
    {
      code: 'SYN_ACK_ACK',
      index: 1,
      bad: () => patched(good, 1, { ack: 1001 }),
      fine: () => patched(good, 1, { ack: 1000 }),
      says: 'SYN-ACK acknowledges 1001, but the SYN had seq x = 999, so it must acknowledge x+1 = 1000',
    },
    { code: 'ACK_FLAGS', index: 2, bad: () => patched(good, 2, { flags: { syn: true, ack: true } }), fine: () => patched(good, 2, { flags: { ack: true } }) },
    {
      code: 'ACK_SEQ',
      index: 2,
      bad: () => patched(good, 2, { seq: x }),
      fine: () => patched(good, 2, { seq: x + 1 }),
      says: 'ACK has seq 999, but the SYN had seq x = 999',
    },
    {
      code: 'ACK_ACK',
      index: 2,
      bad: () => patched(good, 2, { ack: y }),
      fine: () => patched(good, 2, { ack: y + 1 }),
      says: 'ACK acknowledges 5000, but the SYN-ACK had seq y = 5000, so it must acknowledge y+1 = 5001',
    },
    {
      code: 'PORTS_MIRROR',
      index: 1,
      bad: () => patched(good, 1, { srcPort: 8080 }),
      fine: () => patched(good, 1, { srcPort: 80 }),
      says: 'the SYN-ACK goes from port 8080 to 40000, but the SYN went 40000 → 80, so it must go 80 → 40000',
    },
    { code: 'PORTS_MIRROR', index: 2, bad: () => patched(good, 2, { dstPort: 81 }), fine: () => patched(good, 2, { dstPort: 80 }) },
    {
      code: 'ADDRESSES_MIRROR',
      index: 1,
      bad: () => patched(good, 1, {}, { src: '198.51.100.3', dst: '192.0.2.1' }),
      fine: () => patched(good, 1, {}, { src: '198.51.100.2', dst: '192.0.2.1' }),
      says: 'from 198.51.100.3 to 192.0.2.1',
    },
    { code: 'ADDRESSES_MIRROR', index: 2, bad: () => patched(good, 2, {}, { src: '192.0.2.1', dst: '192.0.2.1' }), fine: () => asList(good) },
    { code: 'BAD_CHECKSUM', index: 1, bad: () => patched(good, 1, { checksum: good.synAck.segment.checksum ^ 0x0101 }, undefined, true), fine: () => asList(good) },
    { code: 'RST_IN_HANDSHAKE', index: 2, bad: () => patched(good, 2, { flags: { ack: true, rst: true } }), fine: () => asList(good) },
    { code: 'FIN_IN_HANDSHAKE', index: 0, bad: () => patched(good, 0, { flags: { syn: true, fin: true } }), fine: () => asList(good) },
    {
      code: 'TSECR_ECHO',
      index: 1,
      bad: () => patched(good, 1, { options: [{ type: 'mss', value: 1460 }, { type: 'sackPermitted' }, { type: 'timestamps', tsval: 222, tsecr: 112 }, { type: 'nop' }, { type: 'windowScale', shift: 9 }] }),
      fine: () => patched(good, 1, { options: [{ type: 'mss', value: 1460 }, { type: 'sackPermitted' }, { type: 'timestamps', tsval: 222, tsecr: 111 }, { type: 'nop' }, { type: 'windowScale', shift: 9 }] }),
      says: 'SYN-ACK echoes TSecr = 112, but the SYN had TSval = 111, so it must echo 111',
    },
    {
      code: 'TSECR_ECHO',
      index: 2,
      bad: () => patched(good, 2, { options: [{ type: 'nop' }, { type: 'nop' }, { type: 'timestamps', tsval: 111, tsecr: 111 }] }),
      fine: () => patched(good, 2, { options: [{ type: 'nop' }, { type: 'nop' }, { type: 'timestamps', tsval: 111, tsecr: 222 }] }),
    },
    {
      code: 'TIMESTAMPS_NOT_NEGOTIATED',
      index: 1,
      // The SYN offers no timestamps, yet the SYN-ACK carries them.
      bad: () => patched(good, 0, { options: [{ type: 'mss', value: 1460 }] }),
      fine: () => asList(good),
    },
    {
      code: 'TIMESTAMPS_MISSING',
      index: 2,
      bad: () => patched(good, 2, { options: [] }),
      fine: () => asList(good),
    },
    {
      code: 'WSCALE_NOT_OFFERED',
      index: 1,
      bad: () => patched(good, 0, { options: [{ type: 'mss', value: 1460 }, { type: 'sackPermitted' }, { type: 'timestamps', tsval: 111, tsecr: 0 }] }),
      fine: () => asList(good),
    },
    {
      code: 'WSCALE_ONE_SIDED',
      index: 1,
      bad: () => patched(good, 1, { options: [{ type: 'mss', value: 1460 }, { type: 'sackPermitted' }, { type: 'timestamps', tsval: 222, tsecr: 111 }] }),
      fine: () => asList(good),
      says: 'scaling is in effect only when both SYNs carry it',
    },
    {
      code: 'WSCALE_OUTSIDE_SYN',
      index: 2,
      bad: () => patched(good, 2, { options: [{ type: 'nop' }, { type: 'nop' }, { type: 'timestamps', tsval: 111, tsecr: 222 }, { type: 'nop' }, { type: 'windowScale', shift: 7 }] }),
      fine: () => asList(good),
    },
    {
      code: 'SACK_ONE_SIDED',
      index: 1,
      bad: () => patched(good, 1, { options: [{ type: 'mss', value: 1460 }, { type: 'nop' }, { type: 'nop' }, { type: 'timestamps', tsval: 222, tsecr: 111 }, { type: 'nop' }, { type: 'windowScale', shift: 9 }] }),
      fine: () => asList(good),
    },
    {
      code: 'SACK_PERMITTED_OUTSIDE_SYN',
      index: 2,
      bad: () => patched(good, 2, { options: [{ type: 'sackPermitted' }, { type: 'timestamps', tsval: 111, tsecr: 222 }] }),
      fine: () => asList(good),
    },
    {
      code: 'MSS_OUTSIDE_SYN',
      index: 2,
      bad: () => patched(good, 2, { options: [{ type: 'mss', value: 1460 }, { type: 'nop' }, { type: 'nop' }, { type: 'timestamps', tsval: 111, tsecr: 222 }] }),
      fine: () => asList(good),
    },
    {
      code: 'ECN_NOT_OFFERED',
      index: 1,
      bad: () => patched(good, 1, { flags: { syn: true, ack: true, ece: true } }),
      fine: () => asList(threeWayHandshake({ ...spec, ecn: true })),
    },
    {
      code: 'ECN_SYN_ACK_CWR',
      index: 1,
      bad: () => patched(threeWayHandshake({ ...spec, ecn: true }), 1, { flags: { syn: true, ack: true, ece: true, cwr: true } }),
      fine: () => asList(threeWayHandshake({ ...spec, ecn: true })),
    },
  ];

  for (const c of cases) {
    it(`${c.code} at segment ${c.index}`, () => {
      const bad = checkHandshake(c.bad());
      const hit = bad.findings.find((f) => f.code === c.code && f.index === c.index);
      expect(hit, JSON.stringify(bad.findings)).toBeDefined();
      if (hit?.severity === 'error') expect(bad.ok).toBe(false);
      if (c.says !== undefined) expect(hit?.message).toContain(c.says);
      expect(codes(c.fine())).not.toContain(`${c.code}@${c.index}`);
    });
  }

  it('says "mod 2^32" when x+1 wraps', () => {
    const w = threeWayHandshake({ ...spec, client: { ...spec.client, isn: 2 ** 32 - 1 } });
    const f = checkHandshake(patched(w, 1, { ack: 1 })).findings.find((g) => g.code === 'SYN_ACK_ACK');
    expect(f?.message).toBe('SYN-ACK acknowledges 1, but the SYN had seq x = 4294967295, so it must acknowledge x+1 = 0 (mod 2^32)');
  });

  it('a wrong SYN-ACK ack leaves the client in SYN-SENT (it would answer with RST)', () => {
    const r = checkHandshake(patched(good, 1, { ack: 1001 }));
    expect(r.states[2]).toEqual({ client: 'SYN-SENT', server: 'SYN-RECEIVED' });
  });
});

describe('properties', () => {
  it('every generated handshake passes without errors and ends ESTABLISHED', () => {
    fc.assert(
      fc.property(specArb(), (s) => {
        const r = checkHandshake(threeWayHandshake(s));
        expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
        expect(r.ok).toBe(true);
        expect(r.states.at(-1)).toEqual({ client: 'ESTABLISHED', server: 'ESTABLISHED' });
      }),
      { numRuns: 200 },
    );
  });

  // Which codes a change of each seq/ack field must raise, and no others.
  const expected: Record<string, HandshakeFindingCode[]> = {
    'syn.seq': ['SYN_ACK_ACK', 'ACK_SEQ'],
    'syn.ack': ['SYN_ACK_NUMBER'],
    'synAck.seq': ['ACK_ACK'],
    'synAck.ack': ['SYN_ACK_ACK'],
    'ack.seq': ['ACK_SEQ'],
    'ack.ack': ['ACK_ACK'],
  };

  it('any single change of one seq/ack field is caught with the right code', () => {
    fc.assert(
      fc.property(
        specArb(),
        fc.constantFrom(...Object.keys(expected)),
        u32().filter((d) => d !== 0),
        (s, field, delta) => {
          const hs = threeWayHandshake(s);
          const [name, key] = field.split('.') as ['syn' | 'synAck' | 'ack', 'seq' | 'ack'];
          const i = ['syn', 'synAck', 'ack'].indexOf(name);
          const mutated = patched(hs, i, { [key]: mod32(hs[name].segment[key], delta) });
          const found = checkHandshake(mutated).findings.map((f) => f.code);
          expect(new Set(found)).toEqual(new Set(expected[field]));
          if (field !== 'syn.ack') expect(errors(mutated).length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
