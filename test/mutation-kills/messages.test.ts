/**
 * Every error and warning tcpwire gives for a catalogue of bad inputs, code, offset and sentence,
 * held to a committed snapshot (__snapshots__/messages.test.ts.snap). The sentences are what a
 * person reads when something is wrong ("a sentence a person understands", CONVENTIONS.md), with
 * the real numbers in them; mutation testing found that no test read most of them, so a changed
 * or emptied message went unnoticed. A change to a message is a change to review: update the
 * snapshot with `npx vitest run test/mutation-kills/messages.test.ts -u` and read the diff.
 */

import { describe, expect, it } from 'vitest';
import {
  TcpLocation,
  TcpView,
  buildIpPacket,
  locateTcpIn,
  type TcpWireWarning,
  decodeIpv4,
  decodeIpv6,
  decodeSegment,
  encodeSegment,
  encodeIpv4Header,
  encodeIpv6Header,
  flagsToBits,
  formatAddress,
  fromHex,
  locateTcp,
  onesComplementSum,
  optionFromJson,
  parseAddress,
  parseSeq,
  pseudoHeaderSum,
  readCapture,
  segmentFromJson,
  tcpChecksum,
  updateChecksum,
} from '../../src/index.js';

/** What `f` throws, as one line: "CODE@offset: message" (or what it returns, for a mutant that stops throwing). */
function line(f: () => unknown): string {
  try {
    const r = f();
    return `returned ${JSON.stringify(r, (_, v) => (typeof v === 'bigint' ? String(v) : v instanceof Uint8Array ? Array.from(v) : v))?.slice(0, 200)}`;
  } catch (e) {
    const err = e as { code?: string; offset?: number; message?: string };
    return `${err.code ?? 'NOT A TcpWireError'}@${err.offset}: ${err.message}`;
  }
}

/** A 20-byte header with data offset `off` and these option bytes after it. */
function seg(off: number, options: number[] = [], payload: number[] = []): Uint8Array {
  const b = new Uint8Array(Math.max(20 + options.length, off * 4) + payload.length);
  b[12] = off << 4;
  b.set(options, 20);
  b.set(payload, off * 4);
  return b;
}

const warningsOf = (b: Uint8Array): string[] => decodeSegment(b).warnings.map((w: TcpWireWarning) => `${w.code}@${w.offset}: ${w.message}`);

describe('the messages of the TCP codec', () => {
  it('decoding', () => {
    const lines = [
      line(() => decodeSegment(new Uint8Array(0))),
      line(() => decodeSegment(new Uint8Array(19))),
      line(() => decodeSegment(seg(4))),
      line(() => decodeSegment(seg(6).subarray(0, 20))),
      ...[2, 3, 4, 5, 8, 19, 28, 29, 30, 34, 253, 254, 99].flatMap((kind) => [
        line(() => decodeSegment(seg(6, [1, 1, 1, kind]))),
        line(() => decodeSegment(seg(6, [kind, 0, 1, 1]))),
        line(() => decodeSegment(seg(6, [kind, 1, 1, 1]))),
        line(() => decodeSegment(seg(6, [kind, 9, 1, 1]))),
      ]),
      line(() => new TcpView(new Uint8Array(40), 30, 20)),
      line(() => new TcpView(new Uint8Array(40), -1, 20)),
      line(() => new TcpView(new Uint8Array(40), 2, -5)),
      line(() => new TcpView(seg(6, [2, 0, 1, 1])).mss),
      line(() => new TcpView(seg(6, [1, 3, 9, 1])).findOption(99)),
      line(() => [...new TcpView(seg(6, [1, 5, 1, 1])).options()]),
    ];
    expect(lines).toMatchSnapshot();
  });

  it('warnings: known kinds of the wrong length, window scale above 14', () => {
    const wrong = [
      [2, 3, 0],
      [3, 4, 0, 0],
      [4, 3, 0],
      [5, 4, 0, 0],
      [8, 4, 0, 0],
      [19, 4, 0, 0],
      [28, 3, 0],
      [29, 3, 0],
      [30, 2],
      [34, 3, 0],
      [253, 3, 0],
      [254, 2],
    ];
    const lines = wrong.flatMap((o) => warningsOf(seg(10, [...o, 0])));
    lines.push(...warningsOf(seg(6, [3, 3, 15, 0])), ...warningsOf(seg(6, [3, 3, 255, 0])));
    expect(lines).toMatchSnapshot();
  });

  it('encoding', () => {
    const lines = [
      line(() => encodeSegment(null as never)),
      line(() => encodeSegment({ options: 5 as never })),
      line(() => encodeSegment({ padding: [1] as never })),
      line(() => encodeSegment({ payload: 5 as never })),
      line(() => encodeSegment({ options: [{ type: 'unknown', kind: 99, data: new Uint8Array(38) }, { type: 'nop' }] })),
      line(() => encodeSegment({ dataOffset: 6, options: [{ type: 'timestamps', tsval: 0, tsecr: 0 }] })),
      line(() => encodeSegment({ dataOffset: 16 })),
      line(() => encodeSegment({ payload: new Uint8Array(65516) })),
      line(() => encodeSegment({ srcPort: 65536 })),
      line(() => encodeSegment({ seq: 'x' as never })),
      line(() => encodeSegment({ seq: undefined, ack: null as never })),
      line(() => encodeSegment({ seq: Number.NaN })),
      line(() => encodeSegment({ window: Number.POSITIVE_INFINITY })),
      line(() => encodeSegment({ window: [1] as never })),
      line(() => encodeSegment({ window: undefined, urgentPointer: (() => 1) as never })),
      line(() => encodeSegment({ reserved: 8 })),
      line(() => encodeSegment({ flags: 'SX' })),
      line(() => encodeSegment({ flags: 7 as never })),
      line(() => encodeSegment({ flags: { syn: 1 } as never })),
      line(() => encodeSegment({ flags: { bogus: true } as never })),
      line(() => encodeSegment({ options: [{ type: 'mss', value: -1 }] })),
      line(() => encodeSegment({ options: [{ type: 'windowScale', shift: 256 }] })),
      line(() => encodeSegment({ options: [{ type: 'sack', blocks: [] }] })),
      line(() => encodeSegment({ options: [{ type: 'sack', blocks: 'x' as never }] })),
      line(() => encodeSegment({ options: [{ type: 'sack', blocks: [[1, 2, 3] as never] }] })),
      line(() => encodeSegment({ options: [{ type: 'sack', blocks: [[1, -2]] }] })),
      line(() => encodeSegment({ options: [{ type: 'timestamps', tsval: -1, tsecr: 0 }] })),
      line(() => encodeSegment({ options: [{ type: 'timestamps', tsval: 0, tsecr: -1 }] })),
      line(() => encodeSegment({ options: [{ type: 'sack', blocks: [[-1, 2]] }] })),
      line(() => encodeSegment({ options: [{ type: 'tcpAo', keyId: 1, rNextKeyId: 0, mac: new Uint8Array(37) }] })),
      line(() => encodeSegment({ options: [{ type: 'experimental', kind: 254, exid: 1, data: new Uint8Array(37) }] })),
      line(() => encodeSegment({ options: [{ type: 'mptcp', subtype: 0, data: new Uint8Array(39) }] })),
      line(() => encodeSegment({ options: [{ type: 'fastOpen', cookie: new Uint8Array(17) }] })),
      line(() => encodeSegment({ options: [{ type: 'fastOpen', cookie: new Uint8Array(2) }] })),
      line(() => encodeSegment({ options: [{ type: 'fastOpen', cookie: 'ab' as never }] })),
      line(() => encodeSegment({ options: [{ type: 'md5', digest: new Uint8Array(4) }] })),
      line(() => encodeSegment({ options: [{ type: 'userTimeout', granularity: 'hours' as never, timeout: 1 }] })),
      line(() => encodeSegment({ options: [{ type: 'userTimeout', granularity: 'seconds', timeout: 0x8000 }] })),
      line(() => encodeSegment({ options: [{ type: 'tcpAo', keyId: 256, rNextKeyId: 0, mac: new Uint8Array(0) }] })),
      line(() => encodeSegment({ options: [{ type: 'tcpAo', keyId: 1, rNextKeyId: -1, mac: new Uint8Array(0) }] })),
      line(() => encodeSegment({ options: [{ type: 'mptcp', subtype: 2, data: Uint8Array.of(0x10) }] })),
      line(() => encodeSegment({ options: [{ type: 'mptcp', subtype: 0, data: new Uint8Array(0) }] })),
      line(() => encodeSegment({ options: [{ type: 'experimental', kind: 200, exid: 0, data: new Uint8Array(0) }] })),
      line(() => encodeSegment({ options: [{ type: 'experimental', kind: 253, exid: -1, data: new Uint8Array(0) }] })),
      line(() => encodeSegment({ options: [{ type: 'unknown', kind: 1, data: new Uint8Array(0) }] })),
      line(() => encodeSegment({ options: [{ type: 'unknown', kind: 99, data: new Uint8Array(39) }] })),
      line(() => encodeSegment({ options: [{ type: 'bogus' } as never] })),
      line(() => encodeSegment({}, { src: '192.0.2.1', dst: '2001:db8::1' })),
      line(() => encodeSegment({}, { src: '2001:db8::1', dst: '192.0.2.1' })),
    ];
    expect(lines).toMatchSnapshot();
  });

  it('text, JSON, addresses, checksums, sequence numbers', () => {
    const lines = [
      line(() => fromHex('45 0g')),
      line(() => fromHex('450')),
      line(() => fromHex('0x4')),
      line(() => segmentFromJson([])),
      line(() => segmentFromJson({ options: 'x' })),
      line(() => segmentFromJson({ payload: 7 })),
      line(() => segmentFromJson({ padding: 'zz' })),
      line(() => segmentFromJson({ padding: 5 })),
      line(() => optionFromJson(null)),
      line(() => optionFromJson({ type: 'md5', digest: 5 })),
      ...['10.0.0', '10.0.0.1.2', '10.0.0.01', '10.0.0.256', 'fe80:::1', '1::2::3', 'fe80::1%eth0', '1:2:3:4:5:6:7:8:9', '1:2:3', '::1:2:3:4:5:6:7:8', 'g::1', '::ffff:1.2.3', '[::1', ''].map((a) =>
        line(() => parseAddress(a)),
      ),
      line(() => parseAddress('255.1.1.a')),
      line(() => parseAddress('1.255.1.300')),
      line(() => parseAddress([1, 2, 3])),
      line(() => parseAddress([1, 2, 3, 256])),
      line(() => formatAddress(new Uint8Array(5))),
      line(() => pseudoHeaderSum('192.0.2.1', '192.0.2.2', 65536)),
      line(() => pseudoHeaderSum('2001:db8::1', '2001:db8::2', -1)),
      line(() => tcpChecksum(new Uint8Array(19), '192.0.2.1', '192.0.2.2')),
      line(() => onesComplementSum(new Uint8Array(4), 0, 5)),
      line(() => onesComplementSum(new Uint8Array(4), -1, 4)),
      line(() => updateChecksum(0x10000, 0, 0)),
      line(() => updateChecksum(0, -1, 0)),
      line(() => updateChecksum(0, 0, 1.5)),
      line(() => parseSeq('4294967296')),
      line(() => parseSeq('-1')),
      line(() => parseSeq('0x')),
      line(() => flagsToBits('SAQ')),
    ];
    expect(lines).toMatchSnapshot();
  });
});

describe('the messages of the IP layer and the capture readers', () => {
  it('IP headers', () => {
    const v4 = encodeIpv4Header({ src: Uint8Array.of(192, 0, 2, 1), dst: Uint8Array.of(192, 0, 2, 2), payloadLength: 20 });
    const v6 = encodeIpv6Header({ src: new Uint8Array(16), dst: new Uint8Array(16), payloadLength: 8, nextHeader: 0 });
    const lines = [
      line(() => decodeIpv4(new Uint8Array(19))),
      line(() => decodeIpv4(Uint8Array.of(0x65, ...new Array(19).fill(0)))),
      line(() => decodeIpv4(Uint8Array.of(0x44, ...new Array(19).fill(0)))),
      line(() => decodeIpv4(Uint8Array.of(0x4f, ...new Array(19).fill(0)))),
      line(() => decodeIpv6(new Uint8Array(39))),
      line(() => decodeIpv6(new Uint8Array(40))),
      line(() => decodeIpv6(v6)),
      line(() => decodeIpv6(Uint8Array.from([...v6, 6, 1, 0, 0, 0, 0, 0, 0]))),
      line(() => locateTcp(new Uint8Array(0), 0, 0)),
      line(() => locateTcpIn(new Uint8Array(5).fill(0x45), new DataView(new ArrayBuffer(5)), 0, 5, new TcpLocation())),
      line(() => locateTcpIn(Uint8Array.of(0x44, ...new Array(19).fill(0)), new DataView(new ArrayBuffer(20)), 0, 20, new TcpLocation())),
      line(() => locateTcpIn(Uint8Array.of(0x46, ...new Array(19).fill(0)), new DataView(new ArrayBuffer(20)), 0, 20, new TcpLocation())),
      line(() => locateTcpIn(new Uint8Array(30).fill(0x60), new DataView(new ArrayBuffer(30)), 0, 30, new TcpLocation())),
      line(() => buildIpPacket(new Uint8Array(20), '192.0.2.1', '::1')),
      line(() => locateTcp(Uint8Array.of(0x50), 0, 1)),
      line(() => locateTcp(Uint8Array.from([...v4.subarray(0, 2), 0, 10, ...v4.subarray(4)]), 0, 20)),
      line(() => encodeIpv4Header({ src: new Uint8Array(4), dst: new Uint8Array(4), payloadLength: 65516 })),
      line(() => encodeIpv4Header({ src: new Uint8Array(4), dst: new Uint8Array(4), payloadLength: 0, dscp: 64 })),
      line(() => encodeIpv4Header({ src: new Uint8Array(4), dst: new Uint8Array(4), payloadLength: 0, ecn: 4 })),
      line(() => encodeIpv4Header({ src: new Uint8Array(4), dst: new Uint8Array(4), payloadLength: 0, ttl: 256 })),
      line(() => encodeIpv4Header({ src: new Uint8Array(4), dst: new Uint8Array(4), payloadLength: 0, id: 65536 })),
      line(() => encodeIpv4Header({ src: new Uint8Array(4), dst: new Uint8Array(4), payloadLength: 0, protocol: 256 })),
      line(() => encodeIpv6Header({ src: new Uint8Array(16), dst: new Uint8Array(16), payloadLength: 65536 })),
      line(() => encodeIpv6Header({ src: new Uint8Array(16), dst: new Uint8Array(16), payloadLength: 0, flowLabel: 0x100000 })),
      line(() => encodeIpv6Header({ src: new Uint8Array(16), dst: new Uint8Array(16), payloadLength: 0, trafficClass: 256 })),
      line(() => encodeIpv6Header({ src: new Uint8Array(16), dst: new Uint8Array(16), payloadLength: 0, hopLimit: -1 })),
      line(() => encodeIpv6Header({ src: new Uint8Array(16), dst: new Uint8Array(16), payloadLength: 0, nextHeader: 300 })),
    ];
    expect(lines).toMatchSnapshot();
  });

  it('captures: file-level damage and record-level errors', () => {
    const le = (...w: number[]) => {
      const b = new Uint8Array(w.length * 4);
      const dv = new DataView(b.buffer);
      w.forEach((x, i) => dv.setUint32(4 * i, x >>> 0, true));
      return Array.from(b);
    };
    const pcapHeader = le(0xa1b2c3d4, 0x00040002, 0, 0, 65535, 1);
    const shb = le(0x0a0d0d0a, 28, 0x1a2b3c4d, 0x00000001, 0xffffffff, 0xffffffff, 28);
    const idb = le(1, 20, 1, 65535, 20);
    const read = (bytes: number[]): string[] => {
      const out: string[] = [];
      try {
        for (const i of readCapture(Uint8Array.from(bytes))) {
          out.push(i.kind === 'error' ? `item ${i.frame} ${i.error.code}@${i.error.offset}: ${i.error.message}` : `item ${i.frame} ${i.kind}${i.kind === 'skipped' ? `: ${i.message}` : ''}`);
        }
      } catch (e) {
        const err = e as { code: string; offset: number; message: string };
        out.push(`${err.code}@${err.offset}: ${err.message}`);
      }
      return out;
    };
    const eth = (type: number, body: number[]) => [...new Array(12).fill(0), type >> 8, type & 0xff, ...body];
    const rec = (data: number[], caplen = data.length, orig = data.length) => [...le(1, 0, caplen, orig), ...data];
    const epb = (id: number, data: number[], caplen = data.length, orig = data.length) => {
      const pad = (4 - (data.length % 4)) % 4;
      const total = 32 + data.length + pad;
      return [...le(6, total, id, 0, 0, caplen, orig), ...data, ...new Array(pad).fill(0), ...le(total)];
    };
    const lines = [
      ...read([]),
      ...read([1, 2]),
      ...read(Array.from(new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n'))),
      ...read(le(0xa1b2cd34, 0, 0, 0, 0, 0)),
      ...read(pcapHeader.slice(0, 10)),
      ...read([...pcapHeader, ...le(1, 0, 0xffffffff, 0)]),
      ...read([...pcapHeader, ...le(1, 0, 100, 100), 1, 2]),
      ...read([...pcapHeader, ...rec([1, 2, 3], 3, 2)]),
      ...read([...pcapHeader, ...rec([1, 2, 3])]),
      ...read([...pcapHeader, ...rec(eth(0x0806, new Array(28).fill(0)))]),
      ...read([...pcapHeader, ...rec(eth(0x8100, [0, 1]))]),
      ...read([...pcapHeader, ...rec(eth(0x0800, [0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]))]),
      ...read([...pcapHeader, ...rec(eth(0x0800, [0x45, 0, 0, 40, 0, 0, 0, 8, 64, 6, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]))]),
      ...read([...pcapHeader, ...rec(eth(0x0800, [0x45, 0, 0, 40, 0, 0, 0, 0, 64, 6, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 1]))]),
      ...read([...pcapHeader, ...rec(eth(0x0800, [0x45, 0, 0, 40, 0, 0, 0, 0, 64, 6, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, ...new Array(12).fill(0), 0x40, 0, ...new Array(6).fill(0)]))]),
      ...read([...shb.slice(0, 8), ...le(0x12345678), ...shb.slice(12)]),
      ...read(le(1, 12, 12)),
      ...read([...shb, ...le(1, 13, 0)]),
      ...read([...shb, ...le(1, 0xfffffffc, 0)]),
      ...read([...shb, ...le(1, 16, 0, 20)]),
      ...read([...shb, ...le(1, 16, 0, 16)]),
      ...read([...shb, ...epb(0, [1, 2, 3])]),
      ...read([...shb, ...idb, ...epb(0, [1, 2, 3], 99)]),
      ...read([...shb, ...idb, ...epb(0, [1, 2, 3], 3, 2)]),
      ...read([...shb, ...idb, ...epb(7, [1, 2, 3])]),
      ...read([...shb, ...idb, ...le(3, 16, 3, 16)]),
      ...read([...shb, ...le(3, 16, 3, 16)]),
      ...read([...shb.slice(0, 12), 2, 0, 0, 0, ...shb.slice(16)]),
      ...read([...shb, ...le(1, 28, 1, 0, 0x00010009, 0xff, 28), ...epb(0, [0x45])]),
      ...read([...shb, ...le(1, 12, 12).slice(0, 8)]),
    ];
    expect(lines).toMatchSnapshot();
  });
});
