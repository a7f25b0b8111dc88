// `tcpwire check --strict`: exit code 3 when a handshake breaks a rule, 0 when all are right.
// The broken handshake breaks RFC 9293's rule that the SYN-ACK acknowledges x+1.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildIpPacket, encodeSegment, threeWayHandshake, writePcap } from '../../src/index.js';

const root = join(import.meta.dirname, '../..');
const cli = join(root, 'bin/tcpwire.js');
const dir = join(root, 'test-output');

function capture(name: string, breakAck: boolean): string {
  const hs = threeWayHandshake({
    client: { address: '192.0.2.1', port: 40000, isn: 999 },
    server: { address: '198.51.100.2', port: 80, isn: 5000 },
  });
  const packets = [hs.syn, hs.synAck, hs.ack].map((s, i) => {
    // x = 999, so a right SYN-ACK acknowledges 1000; the broken one acknowledges 1001.
    const tcp = i === 1 && breakAck ? encodeSegment({ ...s.segment, ack: 1001 }, { src: s.src, dst: s.dst }) : s.bytes;
    return { data: buildIpPacket(tcp, s.src, s.dst) };
  });
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, writePcap(packets));
  return file;
}

describe('check --strict', () => {
  it('exits 0 when every handshake is right', () => {
    const r = spawnSync(process.execPath, [cli, 'check', '--strict', capture('strict-good.pcap', false)], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
  it('exits 3 when a SYN-ACK acknowledges the wrong number, and says which rule', () => {
    const file = capture('strict-bad.pcap', true);
    const r = spawnSync(process.execPath, [cli, 'check', '--strict', file], { encoding: 'utf8' });
    expect(r.status).toBe(3);
    expect(r.stdout).toContain('1001');
    expect(r.stdout).toContain('1000');
    // Without --strict the same capture is read and judged, and the exit code stays 0.
    expect(spawnSync(process.execPath, [cli, 'check', file], { encoding: 'utf8' }).status).toBe(0);
  });
});
