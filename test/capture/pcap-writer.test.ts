/**
 * What tcpwire writes, tshark opens: no warnings, every checksum good, every field as
 * written; and tcpwire reads it back byte for byte. (Skipped, visibly, without tshark.)
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type PcapPacket, buildIpPacket, encodeSegment, readCapture, writePcap } from '../../src/index.js';
import { hex, segmentsOf } from './fixtures.js';
import { hasTshark, tsharkFields } from './tshark.js';

const dir = mkdtempSync(join(tmpdir(), 'tcpwire-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Sent {
  src: string;
  dst: string;
  tcp: Uint8Array;
}

/** A small exchange in both families, with options, a payload and a seq across the wrap. */
function exchange(): Sent[] {
  const out: Sent[] = [];
  const add = (src: string, dst: string, init: Parameters<typeof encodeSegment>[0]): void => {
    out.push({ src, dst, tcp: encodeSegment(init, { src, dst }) });
  };
  for (const [c, s] of [
    ['192.0.2.10', '198.51.100.20'],
    ['2001:db8::10', '2001:db8:1::20'],
  ] as const) {
    add(c, s, { srcPort: 40000, dstPort: 443, seq: 0xfffffffe, flags: 'S', window: 64240, options: [{ type: 'mss', value: 1460 }, { type: 'sackPermitted' }, { type: 'timestamps', tsval: 1, tsecr: 0 }, { type: 'nop' }, { type: 'windowScale', shift: 7 }] });
    add(s, c, { srcPort: 443, dstPort: 40000, seq: 1000, ack: 0xffffffff, flags: 'SA', window: 65160, options: [{ type: 'mss', value: 1400 }] });
    add(c, s, { srcPort: 40000, dstPort: 443, seq: 0xffffffff, ack: 1001, flags: 'PA', payload: 'hello, odd length' });
  }
  return out;
}

describe.skipIf(!hasTshark)('writePcap output opens in tshark with good checksums', () => {
  const sent = exchange();
  const packets: PcapPacket[] = sent.map((s, i) => ({ data: buildIpPacket(s.tcp, s.src, s.dst), timestampNs: 1_700_000_000_123_456_789n + BigInt(i) * 1000n }));

  it.each([
    ['raw IP, microseconds', { linkType: 101 as const }],
    ['Ethernet, microseconds', { linkType: 1 as const }],
    ['raw IP, nanoseconds', { linkType: 101 as const, nanosecond: true }],
    ['Ethernet, nanoseconds', { linkType: 1 as const, nanosecond: true }],
  ])('%s', (_, options) => {
    const bytes = writePcap(packets, options);
    const path = join(dir, `out-${options.linkType}-${'nanosecond' in options ? 'ns' : 'us'}.pcap`);
    writeFileSync(path, bytes);
    const { rows, warnings } = tsharkFields(
      path,
      ['frame.number', 'frame.time_epoch', 'tcp.checksum.status', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.len', '_ws.expert.severity'],
      ['tcp.check_checksum:TRUE', 'ip.check_checksum:TRUE'],
    );
    expect(warnings).toEqual([]);
    expect(rows.length).toBe(sent.length);
    rows.forEach((r, i) => {
      const want = packets[i] as PcapPacket;
      const ns = 'nanosecond' in options ? want.timestampNs ?? 0n : ((want.timestampNs ?? 0n) / 1000n) * 1000n;
      expect(r[1]).toBe(`${ns / 1_000_000_000n}.${String(ns % 1_000_000_000n).padStart(9, '0')}`);
      expect(r[2], `frame ${i + 1} checksum status (1 = good)`).toBe('1');
      expect(Number(r[3])).toBe(new DataView((sent[i] as Sent).tcp.buffer).getUint32(4));
      // expert infos: chat (0x200000) and note (0x400000) only, no warning (0x600000) or error (0x800000)
      const severities = (r[6] ?? '').split(',').filter((x) => x !== '').map(Number);
      expect(severities.filter((v) => v >= 0x600000), `frame ${i + 1} expert severities`).toEqual([]);
    });
    // and back: the same segments, verdict good
    const back = segmentsOf(readCapture(bytes));
    expect(back.map((s) => hex(bytes.subarray(s.offsets.tcp, s.offsets.tcp + s.tcpLength)))).toEqual(sent.map((s) => hex(s.tcp)));
    expect(back.map((s) => s.checksum)).toEqual(sent.map(() => 'good'));
    expect(back.map((s) => s.timestampNs)).toEqual(rows.map((r) => BigInt((r[1] as string).replace('.', ''))));
  });
});
