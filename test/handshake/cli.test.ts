// `tcpwire handshake`: the built CLI run as a user runs it (node bin/tcpwire.js),
// its output checked against the RFC rules, and its --pcap file opened by tshark.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromHex, verifyTcpChecksum } from '../../src/index.js';
import { F, rawFields } from './helpers.js';

const root = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'tcpwire-hs-'));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'bin/tcpwire.js'), 'handshake', ...args], { encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// The CLI is the built one (npm test builds first; by hand: npx tsup). Building here
// would race with other test files that run the CLI while tsup cleans dist/.
beforeAll(() => {
  if (!existsSync(join(root, 'dist/cli.js'))) throw new Error('dist/cli.js is missing: build first (npx tsup)');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tcpwire handshake', () => {
  it('prints the three segments as hex, one summary line each, with x+1 and y+1 wrapped', () => {
    const r = run('--client', '10.0.0.1:40000', '--server', '10.0.0.2:80', '--isn-client', '4294967295', '--isn-server', '0x10');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatch(/^SYN +10\.0\.0\.1:40000 → 10\.0\.0\.2:80 \[SYN\] seq=4294967295 ack=0/);
    expect(lines[2]).toMatch(/^SYN-ACK +10\.0\.0\.2:80 → 10\.0\.0\.1:40000 \[SYN, ACK\] seq=16 ack=0/);
    expect(lines[4]).toMatch(/^ACK +10\.0\.0\.1:40000 → 10\.0\.0\.2:80 \[ACK\] seq=0 ack=17/);
    const hex = [lines[1], lines[3], lines[5]].map((l) => fromHex((l as string).trim()));
    expect(hex.map((b) => rawFields(b))).toMatchObject([
      { seq: 4294967295, ack: 0, flags: F.SYN, srcPort: 40000, dstPort: 80 },
      { seq: 16, ack: 0, flags: F.SYN | F.ACK, srcPort: 80, dstPort: 40000 },
      { seq: 0, ack: 17, flags: F.ACK },
    ]);
    expect(verifyTcpChecksum(hex[0] as Uint8Array, '10.0.0.1', '10.0.0.2')).toBe(true);
    expect(verifyTcpChecksum(hex[1] as Uint8Array, '10.0.0.2', '10.0.0.1')).toBe(true);
  });

  it('--json: decoded segments, hex, packets, states and a passing check; IPv6 as [ADDR]:PORT', () => {
    const r = run('--client', '[2001:db8::1]:1234', '--server', '[2001:db8::2]:443', '--isn-client', '7', '--isn-server', '9', '--profile', 'linux', '--mss', '1400', '--window', '1000', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect([j.x, j.y]).toEqual([7, 9]);
    expect(j.syn.src).toBe('2001:db8::1');
    expect(j.synAck.segment.ack).toBe(8);
    expect(j.ack.segment).toMatchObject({ seq: 8, ack: 10 });
    expect(j.syn.segment.window).toBe(1000);
    expect(j.syn.segment.options[0]).toEqual({ type: 'mss', value: 1400 });
    expect(j.check.ok).toBe(true);
    expect(j.states.at(-1)).toEqual({ client: 'ESTABLISHED', server: 'ESTABLISHED' });
    expect(j.syn.packet.startsWith('6')).toBe(true);
    expect(j.syn.packet.endsWith(j.syn.hex)).toBe(true);
  });

  it('--explain: the ladder with both sides states, x/y arithmetic with real numbers, hex dumps', () => {
    const r = run('--client', '10.0.0.1:40000', '--server', '10.0.0.2:80', '--isn-client', '4294967295', '--isn-server', '5000', '--explain');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/CLOSED +LISTEN/);
    expect(r.out).toMatch(/SYN-SENT +── SYN ─+▶ +SYN-RECEIVED/);
    expect(r.out).toMatch(/ESTABLISHED +◀─+ SYN-ACK ── +SYN-RECEIVED/);
    expect(r.out).toMatch(/ESTABLISHED +── ACK ─+▶ +ESTABLISHED/);
    expect(r.out).toContain('seq = y = 5000, ack = x+1 = 0 (mod 2^32)');
    expect(r.out).toContain('x+1 = 4294967296 mod 2^32 = 0');
    expect(r.out).toContain('Checker: a correct handshake');
    // An annotated hex dump row of the SYN: bytes, then the field codes under them.
    expect(r.out).toContain('9c 40 00 50 ff ff ff ff 00 00 00 00 50 02 ff ff');
    expect(r.out).toContain('sp sp dp dp sq sq sq sq ak ak ak ak do fl wn wn');
  });

  it('bad input: one line on stderr and exit code 1', () => {
    for (const args of [
      ['--client', '10.0.0.1', '--server', '10.0.0.2:80'],
      ['--client', '10.0.0.1:70000', '--server', '10.0.0.2:80'],
      ['--client', '2001:db8::1:80', '--server', '10.0.0.2:80'],
      ['--client', '10.0.0.1:1', '--server', '[2001:db8::2]:80'],
      ['--client', '10.0.0.1:1', '--server', '10.0.0.2:80', '--isn-client', '4294967296'],
      ['--client', '10.0.0.1:1', '--server', '10.0.0.2:80', '--profile', 'bsd'],
      ['--client', '10.0.0.1:1', '--server', '10.0.0.2:80', '--mss', '1400'],
      ['--server', '10.0.0.2:80'],
    ]) {
      const r = run(...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.err).toMatch(/^tcpwire: [A-Z_]+/);
    }
  });

  it('--pcap: tshark opens the file and shows [SYN], [SYN, ACK], [ACK] with good checksums', (ctx) => {
    const which = spawnSync('sh', ['-c', 'command -v tshark'], { encoding: 'utf8' });
    if (which.status !== 0) {
      console.warn('skipping the tshark check: tshark is not installed (apt-get install tshark)');
      ctx.skip();
    }
    for (const [client, server] of [
      ['10.0.0.1:40000', '10.0.0.2:80'],
      ['[2001:db8::1]:40000', '[2001:db8::2]:443'],
    ] as const) {
      const file = join(dir, `hs-${client.length}.pcap`);
      const r = run('--client', client, '--server', server, '--profile', 'linux', '--pcap', file);
      expect(r.code).toBe(0);
      expect(readFileSync(file).length).toBeGreaterThan(24);
      const t = spawnSync(
        'tshark',
        ['-o', 'tcp.check_checksum:TRUE', '-o', 'tcp.relative_sequence_numbers:TRUE', '-r', file, '-T', 'fields', '-e', '_ws.col.Info', '-e', 'tcp.checksum.status', '-e', 'tcp.analysis.flags'],
        { encoding: 'utf8', timeout: 30_000 },
      );
      expect(t.status, t.stderr).toBe(0);
      const rows = t.stdout.trim().split('\n').map((l) => l.split('\t'));
      expect(rows).toHaveLength(3);
      expect(rows[0]?.[0]).toContain('[SYN]');
      expect(rows[1]?.[0]).toContain('[SYN, ACK]');
      expect(rows[1]?.[0]).toContain('Ack=1');
      expect(rows[2]?.[0]).toContain('[ACK]');
      expect(rows[2]?.[0]).toMatch(/Seq=1 Ack=1/);
      // tcp.checksum.status 1 = good; no analysis flags (no "bad checksum", no anomalies).
      expect(rows.map((c) => c[1])).toEqual(['1', '1', '1']);
      expect(rows.map((c) => c[2] ?? '')).toEqual(['', '', '']);
    }
  });
});
