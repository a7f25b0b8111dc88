/**
 * Byte-exact against real Linux 6.x handshakes (fixtures/captures/, made by
 * make-captures.sh between two network namespaces with checksum offload off;
 * per-frame TCP bytes extracted by dpkt into NAME.segments.json).
 *
 * For every handshake in the captures, the parameters are read out of the
 * captured SYN, SYN-ACK and ACK with decodeSegment (addresses, ports, ISNs,
 * windows, MSS, shift, TSvals); the linux profile must then give back all three
 * captured segments byte for byte. The expected bytes are the kernel's, never
 * tcpwire's output.
 *
 * If the capture fixtures are absent, the tests are reported as skipped.
 */

import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type HandshakeEndpoint, type TcpSegment, checkHandshake, decodeSegment, fromHex, respondTo, threeWayHandshake, toHex } from '../../src/index.js';

interface RawSegment {
  frame: number;
  ipVersion: 4 | 6;
  src: string;
  dst: string;
  tcp: string;
}
interface Captured {
  frame: number;
  src: string;
  dst: string;
  hex: string;
  seg: TcpSegment;
}
interface CapturedHandshake {
  syn: Captured;
  synAck: Captured;
  ack: Captured;
}

const dir = new URL('../../fixtures/captures/', import.meta.url);

function load(name: string): Captured[] | undefined {
  const file = new URL(`${name}.segments.json`, dir);
  if (!existsSync(file)) return undefined;
  const raw = (JSON.parse(readFileSync(file, 'utf8')) as { segments: RawSegment[] }).segments;
  return raw.map((r) => ({ frame: r.frame, src: r.src, dst: r.dst, hex: r.tcp, seg: decodeSegment(fromHex(r.tcp)) }));
}

/** Every SYN, the SYN-ACK answering it, and the client's first ACK after that. */
function handshakes(segs: Captured[]): CapturedHandshake[] {
  const out: CapturedHandshake[] = [];
  segs.forEach((syn, i) => {
    const f = syn.seg.flags;
    if (!f.syn || f.ack) return;
    const back = (c: Captured) => c.src === syn.dst && c.dst === syn.src && c.seg.srcPort === syn.seg.dstPort && c.seg.dstPort === syn.seg.srcPort;
    const forth = (c: Captured) => c.src === syn.src && c.dst === syn.dst && c.seg.srcPort === syn.seg.srcPort && c.seg.dstPort === syn.seg.dstPort;
    const j = segs.findIndex((c, k) => k > i && back(c) && c.seg.flags.syn && c.seg.flags.ack);
    if (j < 0) return;
    const synAck = segs[j] as Captured;
    const ack = segs.find((c, k) => k > j && forth(c) && c.seg.flags.ack && !c.seg.flags.syn);
    if (ack !== undefined) out.push({ syn, synAck, ack });
  });
  return out;
}

function opt<T extends TcpSegment['options'][number]['type']>(seg: TcpSegment, type: T) {
  return seg.options.find((o) => o.type === type) as Extract<TcpSegment['options'][number], { type: T }> | undefined;
}

/** The parameters of one side, read from its captured SYN or SYN-ACK. */
function side(c: Captured): HandshakeEndpoint {
  const e: HandshakeEndpoint = { address: c.src, port: c.seg.srcPort, isn: c.seg.seq, window: c.seg.window };
  const mss = opt(c.seg, 'mss');
  const ws = opt(c.seg, 'windowScale');
  const ts = opt(c.seg, 'timestamps');
  if (mss) e.mss = mss.value;
  if (ws) e.windowScale = ws.shift;
  if (ts) e.tsval = ts.tsval;
  return e;
}

// Captures whose handshakes are a Linux kernel's own, unaltered (the crafted and
// hping ones are not; tfo's SYN carries a Fast Open cookie the profile does not add).
const LINUX = ['handshakes-linux.pcap', 'ecn.pcap', 'http-v4.pcap', 'http-v6.pcap', 'sack-loss.pcap', 'urg-oob.pcap'];
const present = LINUX.map((n) => [n, load(n)] as const);

describe('the linux profile reproduces real Linux handshakes', () => {
  it('handshakes-linux.pcap holds IPv4 and IPv6 handshakes', () => {
    const hs = handshakes(load('handshakes-linux.pcap') ?? []);
    expect(hs.filter((h) => !h.syn.src.includes(':')).length).toBeGreaterThanOrEqual(1);
    expect(hs.filter((h) => h.syn.src.includes(':')).length).toBeGreaterThanOrEqual(1);
  });

  for (const [name, segs] of present) {
    if (segs === undefined) {
      // The fixtures are committed: one missing is a failure, not a test to skip.
      it(`${name}: fixture present`, () => expect.fail(`fixtures/captures/${name}.segments.json is missing (fixtures/captures/README.md says how to make it)`));
      continue;
    }
    const found = handshakes(segs);
    it(`${name}: has handshakes`, () => expect(found.length).toBeGreaterThan(0));
    for (const h of found) {
      it(`${name} frames ${h.syn.frame}/${h.synAck.frame}/${h.ack.frame} (IPv${h.syn.src.includes(':') ? 6 : 4}): SYN, SYN-ACK and ACK byte for byte`, () => {
        const ackTs = opt(h.ack.seg, 'timestamps');
        const hs = threeWayHandshake({
          client: side(h.syn),
          server: side(h.synAck),
          ack: { window: h.ack.seg.window, ...(ackTs ? { tsval: ackTs.tsval } : {}) },
          profile: 'linux',
          ecn: h.syn.seg.flags.ece && h.syn.seg.flags.cwr && h.synAck.seg.flags.ece,
        });
        expect(toHex(hs.syn.bytes), 'SYN').toBe(h.syn.hex);
        expect(toHex(hs.synAck.bytes), 'SYN-ACK').toBe(h.synAck.hex);
        expect(toHex(hs.ack.bytes), 'ACK').toBe(h.ack.hex);

        // The responder alone, fed the kernel's segments, answers as the kernel did.
        const s = side(h.synAck);
        const synAck = respondTo(h.syn.seg, {
          src: h.syn.src,
          dst: h.syn.dst,
          profile: 'linux',
          isn: s.isn as number,
          window: s.window as number,
          ...(s.mss !== undefined ? { mss: s.mss } : {}),
          ...(s.windowScale !== undefined ? { windowScale: s.windowScale } : {}),
          ...(s.tsval !== undefined ? { tsval: s.tsval } : {}),
        });
        expect(toHex(synAck?.bytes ?? new Uint8Array()), 'respondTo(SYN)').toBe(h.synAck.hex);
        const ack = respondTo(h.synAck.seg, {
          src: h.synAck.src,
          dst: h.synAck.dst,
          syn: h.syn.seg,
          profile: 'linux',
          window: h.ack.seg.window,
          ...(ackTs ? { tsval: ackTs.tsval } : {}),
        });
        expect(toHex(ack?.bytes ?? new Uint8Array()), 'respondTo(SYN-ACK)').toBe(h.ack.hex);

        // And the checker passes the kernel's handshake without a word, checksums included.
        const r = checkHandshake([h.syn, h.synAck, h.ack].map((c) => ({ segment: c.seg, bytes: fromHex(c.hex), src: c.src, dst: c.dst })));
        expect(r.findings).toEqual([]);
        expect(r.ok).toBe(true);
      });
    }
  }
});

const closed = load('rst-closed.pcap');
describe.skipIf(closed === undefined)('the responder reproduces Linux RSTs to a closed port (rst-closed.pcap)', () => {
  const segs = closed ?? [];
  const pairs = segs
    .map((syn, i) => ({ syn, rst: segs[i + 1] }))
    .filter((p): p is { syn: Captured; rst: Captured } => p.syn.seg.flags.syn && !p.syn.seg.flags.ack && p.rst !== undefined && p.rst.seg.flags.rst);
  it('holds an IPv4 and an IPv6 SYN answered by RST', () => {
    expect(pairs.map((p) => p.syn.src.includes(':'))).toEqual(expect.arrayContaining([true, false]));
  });
  for (const p of pairs) {
    it(`frame ${p.rst.frame}: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> byte for byte`, () => {
      const r = respondTo(p.syn.seg, { src: p.syn.src, dst: p.syn.dst, state: 'CLOSED' });
      expect(toHex(r?.bytes ?? new Uint8Array())).toBe(p.rst.hex);
    });
  }
});
