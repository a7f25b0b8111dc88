// `tcpwire check`: every handshake in the real Linux captures is found (tshark's
// view of the same files says where the SYNs and SYN-ACKs are) and judged correct;
// the closed-port RSTs are judged by RFC 9293 §3.10.7.1; a capture with a broken
// handshake gets the textbook message.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIpPacket, encodeSegment, threeWayHandshake, writePcap } from '../../src/index.js';

const root = join(import.meta.dirname, '../..');
const captures = join(root, 'fixtures/captures');
const dir = mkdtempSync(join(tmpdir(), 'tcpwire-check-'));

function run(args: string[], input?: Uint8Array) {
  const r = spawnSync(process.execPath, [join(root, 'bin/tcpwire.js'), 'check', ...args], {
    encoding: 'utf8',
    timeout: 30_000,
    ...(input ? { input } : {}),
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface TsharkRow {
  frame: number;
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  flags: number;
}
interface Report {
  records: number;
  handshakes: { client: { address: string; port: number }; frames: number[]; outcome: string; ok: boolean; findings: { code: string }[] }[];
}

beforeAll(() => {
  if (!existsSync(join(root, 'dist/cli.js'))) throw new Error('dist/cli.js is missing: build first (npx tsup)');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LINUX = ['handshakes-linux.pcap', 'ecn.pcap', 'http-v4.pcap', 'http-v4.pcapng', 'http-v4-sll2.pcap', 'http-v6.pcap', 'sack-loss.pcap', 'urg-oob.pcap', 'tfo.pcap'];

describe.skipIf(!existsSync(join(captures, 'handshakes-linux.pcap.tshark.json')))('tcpwire check on the Linux captures', () => {
  for (const name of LINUX) {
    it(`${name}: every SYN tshark sees opens a correct handshake, with the SYN-ACK tshark sees`, () => {
      const rows = (JSON.parse(readFileSync(join(captures, `${name}.tshark.json`), 'utf8')) as { segments: TsharkRow[] }).segments;
      const syns = rows.filter((r) => (r.flags & 0x12) === 0x02);
      const r = run([join(captures, name), '--json']);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const report = JSON.parse(r.out) as Report;
      expect(report.handshakes.map((h) => h.frames[0])).toEqual(syns.map((s) => s.frame));
      for (const h of report.handshakes) {
        const syn = rows.find((s) => s.frame === h.frames[0]) as TsharkRow;
        const synAck = rows.find(
          (s) => s.frame > syn.frame && (s.flags & 0x12) === 0x12 && s.src === syn.dst && s.srcPort === syn.dstPort && s.dstPort === syn.srcPort,
        );
        expect(h.frames[1]).toBe(synAck?.frame);
        expect(h.outcome).toBe('complete');
        expect(h.ok).toBe(true);
        expect(h.findings).toEqual([]);
      }
    });
  }

  it('rst-closed.pcap: both SYNs refused with the RST RFC 9293 §3.10.7.1 prescribes', () => {
    const r = run([join(captures, 'rst-closed.pcap')]);
    expect(r.code).toBe(0);
    expect(r.out.match(/refused: the server answered the SYN with RST/g)).toHaveLength(2);
    expect(r.out.match(/is the one RFC 9293 §3\.10\.7\.1 prescribes for a closed port: <SEQ=0><ACK=SEG\.SEQ\+SEG\.LEN><CTL=RST,ACK>/g)).toHaveLength(2);
  });

  it('reads standard input with -', () => {
    const r = run(['-'], readFileSync(join(captures, 'handshakes-linux.pcap')));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/6 handshakes in \d+ records: 6 correct, 0 with errors/);
  });
});

describe('tcpwire check on a crafted capture', () => {
  it('reports a SYN-ACK that acknowledges x+2 in the textbook words, and a wrong ACK', () => {
    const c = '192.0.2.1';
    const s = '198.51.100.2';
    const hs = threeWayHandshake({ client: { address: c, port: 40000, isn: 999 }, server: { address: s, port: 80, isn: 5000 } });
    const synAck = encodeSegment({ srcPort: 80, dstPort: 40000, seq: 5000, ack: 1001, flags: 'SA', window: 65535 }, { src: s, dst: c });
    const ack = encodeSegment({ srcPort: 40000, dstPort: 80, seq: 1000, ack: 5000, flags: 'A', window: 65535 }, { src: c, dst: s });
    const file = join(dir, 'broken.pcap');
    writeFileSync(
      file,
      writePcap([{ data: buildIpPacket(hs.syn.bytes, c, s) }, { data: buildIpPacket(synAck, s, c) }, { data: buildIpPacket(ack, c, s) }], { linkType: 101 }),
    );
    const r = run([file]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('192.0.2.1:40000 → 198.51.100.2:80  frames 1, 2, 3: NOT a correct handshake (2 errors)');
    expect(r.out).toContain('error SYN_ACK_ACK (frame 2): SYN-ACK acknowledges 1001, but the SYN had seq x = 999, so it must acknowledge x+1 = 1000');
    expect(r.out).toContain('error ACK_ACK (frame 3): ACK acknowledges 5000, but the SYN-ACK had seq y = 5000, so it must acknowledge y+1 = 5001');
    expect(r.out).toContain('1 handshake in 3 records: 0 correct, 1 with errors');
  });

  it('a file that is not a capture: one line on stderr, exit code 1', () => {
    const r = run([join(root, 'package.json')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^tcpwire: BAD_MAGIC at byte 0: /);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });
});
