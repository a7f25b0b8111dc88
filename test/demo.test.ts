// The demo's SYN must be what the committed capture says it is: frame 1 of
// fixtures/captures/handshakes-linux.pcap, as dpkt extracted it and as tshark read it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LINUX_SYN } from '../src/cli/commands/demo.js';
import { decodeSegment, fromHex, verifyTcpChecksum } from '../src/index.js';

const dir = join(import.meta.dirname, '../fixtures/captures');
const segments = JSON.parse(readFileSync(join(dir, 'handshakes-linux.pcap.segments.json'), 'utf8')) as {
  segments: { frame: number; src: string; dst: string; tcp: string }[];
};
const tshark = JSON.parse(readFileSync(join(dir, 'handshakes-linux.pcap.tshark.json'), 'utf8')) as {
  segments: { frame: number; srcPort: number; dstPort: number; seq: number; checksum: number; checksumStatus: string }[];
};

describe('demo SYN', () => {
  it('is frame 1 of the Linux handshake capture', () => {
    const f1 = segments.segments.find((s) => s.frame === 1);
    expect(f1).toBeDefined();
    expect(LINUX_SYN.hex).toBe(f1?.tcp);
    expect(LINUX_SYN.src).toBe(f1?.src);
    expect(LINUX_SYN.dst).toBe(f1?.dst);
  });
  it('decodes to what tshark saw', () => {
    const t = tshark.segments.find((s) => s.frame === 1);
    const seg = decodeSegment(fromHex(LINUX_SYN.hex));
    expect([seg.srcPort, seg.dstPort, seg.seq, seg.checksum]).toEqual([t?.srcPort, t?.dstPort, t?.seq, t?.checksum]);
    expect(t?.checksumStatus).toBe('good');
    expect(verifyTcpChecksum(fromHex(LINUX_SYN.hex), LINUX_SYN.src, LINUX_SYN.dst)).toBe(true);
  });
});
