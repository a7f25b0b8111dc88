/**
 * readCapture's items for every kind of record, on captures built byte by byte: where each part
 * sits (offsets, -1 where absent), what a skipped record says, a TCP header cut by the snaplen,
 * and timestamps. Written for mutants that survived in src/capture/reader.ts.
 */

import { describe, expect, it } from 'vitest';
import { type CaptureItem, buildIpPacket, encodeSegment, readCapture } from '../../src/index.js';

const u32le = (...w: number[]): number[] => w.flatMap((x) => [x & 255, (x >>> 8) & 255, (x >>> 16) & 255, (x >>> 24) & 255]);
function pcap(records: Array<{ data: number[]; sec?: number; frac?: number; caplen?: number }>, link = 101): Uint8Array {
  return Uint8Array.from([
    ...u32le(0xa1b2c3d4, 0x00040002, 0, 0, 65535, link),
    ...records.flatMap((r) => [...u32le(r.sec ?? 0, r.frac ?? 0, r.caplen ?? r.data.length, r.data.length), ...r.data.slice(0, r.caplen ?? r.data.length)]),
  ]);
}
const seg = (init: Parameters<typeof encodeSegment>[0] = {}): number[] =>
  Array.from(buildIpPacket(encodeSegment({ srcPort: 1, dstPort: 2, ...init }, { src: '192.0.2.1', dst: '192.0.2.2' }), '192.0.2.1', '192.0.2.2'));
const items = (b: Uint8Array, o?: Parameters<typeof readCapture>[1]): CaptureItem[] => [...readCapture(b, o)];
const R0 = 24; // first record
const P0 = 40; // its packet

describe('offsets of every kind of item (file offsets; -1 where the part is absent)', () => {
  it('a segment with options: record, packet, IP, TCP and payload', () => {
    const [i] = items(pcap([{ data: seg({ options: [{ type: 'mss', value: 1460 }], payload: 'hi' }) }]));
    expect(i?.kind).toBe('segment');
    expect(i?.offsets).toEqual({ record: R0, packet: P0, ip: P0, tcp: P0 + 20, payload: P0 + 20 + 24 });
  });
  it('skipped (not IP): no IP, TCP or payload; (not TCP): the IP header only', () => {
    const notIp = items(pcap([{ data: [0x50, ...seg().slice(1)] }]))[0];
    expect([notIp?.kind, notIp?.offsets]).toEqual(['skipped', { record: R0, packet: P0, ip: -1, tcp: -1, payload: -1 }]);
    const udp = seg();
    udp[9] = 17;
    const notTcp = items(pcap([{ data: udp }]))[0];
    expect([notTcp?.kind, notTcp?.kind === 'skipped' && notTcp.reason, notTcp?.kind === 'skipped' && notTcp.message, notTcp?.offsets]).toEqual([
      'skipped',
      'not-tcp',
      'IP protocol 17 is not TCP',
      { record: R0, packet: P0, ip: P0, tcp: -1, payload: -1 },
    ]);
    expect(notTcp?.kind === 'skipped' && notTcp.ip?.version).toBe(4);
  });
  it('a non-first fragment: skipped, saying so', () => {
    const frag = seg();
    frag[6] = 0x00;
    frag[7] = 0x10; // offset 16 words = 128 bytes
    const [i] = items(pcap([{ data: frag }]));
    expect([i?.kind, i?.kind === 'skipped' && i.reason, i?.kind === 'skipped' && i.message]).toEqual([
      'skipped',
      'non-first-fragment',
      'a non-first IPv4 fragment (offset 128) holds no TCP header',
    ]);
  });
  it('errors: what was found before the error is given, the rest is -1; the packet is the record\'s bytes', () => {
    const data = [0x45, 0, 0, 10, ...new Array(16).fill(0)];
    const [linkErr] = items(pcap([{ data }]));
    expect([linkErr?.kind, linkErr?.offsets]).toEqual(['error', { record: R0, packet: P0, ip: -1, tcp: -1, payload: -1 }]);
    expect(Array.from(linkErr?.packet ?? [])).toEqual(data);
    const badTcp = seg();
    badTcp[20 + 12] = 0x40; // data offset 4
    const [tcpErr] = items(pcap([{ data: badTcp }]));
    expect([tcpErr?.kind, tcpErr?.kind === 'error' && tcpErr.error.code, tcpErr?.kind === 'error' && tcpErr.error.offset, tcpErr?.offsets]).toEqual([
      'error',
      'BAD_DATA_OFFSET',
      P0 + 20 + 12,
      { record: R0, packet: P0, ip: P0, tcp: P0 + 20, payload: -1 },
    ]);
    expect(tcpErr?.kind === 'error' && tcpErr.error.message).toMatch(/^TCP segment at byte 60: data offset 4 words/);
  });
});

describe('what a skipped record says', () => {
  const null0 = (family: number) => [family, 0, 0, 0, ...seg()];
  const eth = (type: number) => [...new Array(12).fill(0), type >> 8, type & 255, ...seg()];
  it.each([
    ['BSD null, address family 0', 0, null0(0), 'address family 0 is not IP'],
    ['BSD null, address family 7', 0, null0(7), 'address family 7 is not IP'],
    ['Ethernet, EtherType 0', 1, eth(0), 'EtherType 0x0000 is not IP'],
    ['Ethernet, EtherType 0x0806', 1, eth(0x0806), 'EtherType 0x0806 is not IP'],
    ['raw IP of version 5', 101, [0x50, ...seg().slice(1)], 'not an IP packet'],
  ])('%s', (_, link, data, message) => {
    const [i] = items(pcap([{ data: data as number[] }], link as number));
    expect(i?.kind === 'skipped' && [i.reason, i.message]).toEqual(['not-ip', message]);
  });
});

describe('a TCP header the capture cut short', () => {
  const full = seg({ options: [{ type: 'timestamps', tsval: 1, tsecr: 2 }, { type: 'nop' }, { type: 'nop' }], payload: 'abcdef' });
  it.each([
    [30, 10, 20],
    [39, 19, 20],
    [40, 20, 32],
    [45, 25, 32],
    [51, 31, 32],
  ])('captured %i bytes: TRUNCATED, "only %i bytes of the TCP header were captured (it has %i)"', (caplen, have, need) => {
    const [i] = items(pcap([{ data: full, caplen }]));
    expect(i?.kind === 'error' && [i.error.code, i.error.offset, i.error.message]).toEqual([
      'TRUNCATED',
      P0 + 20 + have,
      `only ${have} bytes of the TCP header were captured (it has ${need})`,
    ]);
    expect(i?.offsets).toEqual({ record: R0, packet: P0, ip: P0, tcp: P0 + 20, payload: -1 });
  });
  it('the header captured to its last byte, no payload: a truncated segment, not an error', () => {
    const [i] = items(pcap([{ data: full, caplen: 52 }]));
    expect(i?.kind === 'segment' && [i.truncated, i.tcp.dataOffset, i.tcp.payload.length]).toEqual([true, 8, 0]);
  });
  it('the header whole, the payload cut: a truncated segment, checksum unverified', () => {
    const [i] = items(pcap([{ data: full, caplen: 54 }]));
    expect(i?.kind === 'segment' && [i.truncated, i.checksum, i.tcpLength, Array.from(i.tcp.payload)]).toEqual([true, 'unverified', 38, [0x61, 0x62]]);
  });
  it('a whole segment whose data offset is beyond it is BAD_DATA_OFFSET, not a cut header', () => {
    const bad = seg({ payload: 'x' });
    bad[20 + 12] = 0xf0; // 60-byte header in a 21-byte segment
    const [i] = items(pcap([{ data: bad }]));
    expect(i?.kind === 'error' && i.error.code).toBe('BAD_DATA_OFFSET');
  });
});

describe('options of readCapture', () => {
  it('skipped: false leaves out skipped records, frame numbers still count them; verifyChecksums: false gives unverified', () => {
    const udp = seg();
    udp[9] = 17;
    const b = pcap([{ data: udp }, { data: seg() }, { data: [0x50] }, { data: seg() }]);
    expect(items(b).map((i) => `${i.frame} ${i.kind}`)).toEqual(['1 skipped', '2 segment', '3 skipped', '4 segment']);
    expect(items(b, { skipped: false }).map((i) => `${i.frame} ${i.kind}`)).toEqual(['2 segment', '4 segment']);
    expect(items(b).filter((i) => i.kind === 'segment').map((i) => i.kind === 'segment' && i.checksum)).toEqual(['good', 'good']);
    expect(items(b, { verifyChecksums: false }).filter((i) => i.kind === 'segment').map((i) => i.kind === 'segment' && i.checksum)).toEqual(['unverified', 'unverified']);
  });
  it('timestamps of consecutive records, the first at second 1, then equal and different seconds', () => {
    const b = pcap([{ data: seg(), sec: 1, frac: 5 }, { data: seg(), sec: 1, frac: 7 }, { data: [0x50], sec: 0, frac: 1 }, { data: seg(), sec: 3, frac: 0 }]);
    expect(items(b).map((i) => i.timestampNs)).toEqual([1_000_005_000n, 1_000_007_000n, 1000n, 3_000_000_000n]);
  });
});
