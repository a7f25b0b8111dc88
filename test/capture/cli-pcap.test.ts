/**
 * `tcpwire decode --pcap FILE|-`, run as a user runs it (node bin/tcpwire.js on the built
 * dist/: `npm test` builds first; by hand, `npx tsup`). Expected values: the tshark oracle
 * next to each capture, and tshark itself for relative numbers.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { RelativeSequencer, buildIpPacket, captureItemToJson, encodeSegment, readCapture, writePcap } from '../../src/index.js';
import { CAPTURES_DIR, type TsharkSegment, captureNames, tsharkOf } from './fixtures.js';
import { hasTshark, tsharkFields } from './tshark.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/tcpwire.js', import.meta.url));
const fixture = (n: string): string => fileURLToPath(new URL(n, CAPTURES_DIR));
const synthetic = (n: string): string => fileURLToPath(new URL(`../../fixtures/synthetic/${n}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tcpwire-cli-pcap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tcpwire(args: string[], input?: Uint8Array): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, input, encoding: 'utf8', timeout: 60_000, maxBuffer: 1 << 28 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const lines = (s: string): string[] => s.split('\n').filter((l) => l !== '');

describe.skipIf(!captureNames.includes('http-v4.pcap'))('tcpwire decode --pcap', () => {
  it.each(captureNames)('%s: one line per TCP segment, with tshark’s ports, raw seq/ack, flags, window, length and verdict', (name) => {
    const r = tcpwire(['decode', '--pcap', fixture(name)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const shark = tsharkOf(name);
    const got = lines(r.stdout);
    expect(got.length).toBe(shark.length);
    got.forEach((line, i) => {
      const t = shark[i] as TsharkSegment;
      const ep = (a: string, p: number): string => (a.includes(':') ? `[${a}]:${p}` : `${a}:${p}`);
      expect(line.startsWith(`${String(t.frame).padStart(6)} `), line).toBe(true);
      expect(line, `frame ${t.frame}`).toContain(` ${ep(t.src, t.srcPort)} > ${ep(t.dst, t.dstPort)} `);
      expect(line).toContain(` Seq=${t.seq} `);
      if (t.flags & 0x10) expect(line).toContain(` Ack=${t.ack} `);
      else expect(line).not.toContain(' Ack=');
      expect(line).toContain(` Win=${t.window} Len=${t.len}`);
      if (t.mss !== null) expect(line).toContain(` MSS=${t.mss}`);
      expect(line.endsWith(` cksum=${t.checksumStatus === 'bad' ? 'BAD' : t.checksumStatus}`), line).toBe(true);
    });
  });

  it('--json: one object per segment, fields named as in the library, values as tshark’s', () => {
    for (const name of ['http-v4.pcapng', 'http-v6.pcap', 'sack-loss.pcap', 'edge-crafted.pcap']) {
      const r = tcpwire(['decode', '--pcap', fixture(name), '--json']);
      expect(r.code).toBe(0);
      const objs = lines(r.stdout).map((l) => JSON.parse(l) as Record<string, unknown>);
      const shark = tsharkOf(name);
      expect(objs.map((o) => o.frame)).toEqual(shark.map((t) => t.frame));
      objs.forEach((o, i) => {
        const t = shark[i] as TsharkSegment;
        const ip = o.ip as Record<string, unknown>;
        const tcp = o.tcp as Record<string, unknown>;
        expect(o.kind).toBe('segment');
        expect([ip.version, ip.src, ip.dst]).toEqual([t.ipVersion, t.src, t.dst]);
        expect([tcp.srcPort, tcp.dstPort, tcp.seq, tcp.ack, tcp.window, tcp.checksum]).toEqual([t.srcPort, t.dstPort, t.seq, t.ack, t.window, t.checksum]);
        expect(o.checksum).toBe(t.checksumStatus);
        expect(o.timestampNs).toBe(t.time.replace('.', '').replace(/^0+/, ''));
        expect(o.linkType).toBe(t.linkType);
        expect(Object.keys(o)).toEqual(expect.arrayContaining(['frame', 'timestampNs', 'seconds', 'nanos', 'ip', 'tcp', 'checksum', 'offsets']));
      });
    }
  });

  it('--json: every line is exactly the JSON of the item readCapture gives (segments and errors), on every capture', () => {
    // The variants of http-v4 say nothing new here; every other capture does.
    const real = captureNames.filter((n) => !/^http-v4-(be|ns|sll)/.test(n)).map(fixture);
    const all = [...real, ...['ip.pcap', 'links.pcapng', 'snaplen.pcap', 'features.pcapng', 'odd-blocks.pcapng', 'be-ns.pcap'].map(synthetic)];
    for (const path of all) {
      for (const relative of /edge-hping|handshakes|features|ip\.pcap/.test(path) ? [false, true] : [false]) {
        const r = tcpwire(['decode', '--pcap', path, '--json', ...(relative ? ['--relative'] : [])]);
        expect(r.code, `${path}: ${r.stderr}`).toBe(0);
        const seqs = new RelativeSequencer();
        const want = [...readCapture(new Uint8Array(readFileSync(path)))]
          .filter((i) => i.kind !== 'skipped')
          .map((i) => {
            const rel = relative && i.kind === 'segment' ? seqs.forSegment(i) : undefined;
            return JSON.stringify(captureItemToJson(i, rel && { relativeSeq: rel.seq, relativeAck: rel.ack, stream: rel.stream }));
          });
        expect(lines(r.stdout), path).toEqual(want);
      }
    }
  });

  it.skipIf(!hasTshark)('--relative: Seq/Ack as Wireshark shows them, in lines and in --json', () => {
    for (const name of ['http-v4.pcap', 'tfo.pcap', 'edge-hping.pcap', 'handshakes-linux.pcap']) {
      const { rows } = tsharkFields(fixture(name), ['frame.number', 'tcp.seq', 'tcp.ack', 'tcp.stream', 'tcp.flags.ack']);
      const text = lines(tcpwire(['decode', '--pcap', fixture(name), '--relative']).stdout);
      const json = lines(tcpwire(['decode', '--pcap', fixture(name), '--relative', '--json']).stdout).map((l) => JSON.parse(l) as Record<string, number>);
      expect(json.map((o) => [o.frame, o.relativeSeq, o.relativeAck, o.stream])).toEqual(rows.map((r) => r.slice(0, 4).map(Number)));
      text.forEach((line, i) => {
        const r = rows[i] as string[];
        expect(line).toContain(` Seq=${r[1]} `);
        if (r[4] === '1' || r[4] === 'True') expect(line).toContain(` Ack=${r[2]} `);
      });
    }
  });

  it('reads standard input with -', () => {
    const file = tcpwire(['decode', '--pcap', fixture('http-v4-sll2.pcap')]);
    const piped = tcpwire(['decode', '--pcap', '-'], readFileSync(fixture('http-v4-sll2.pcap')));
    expect(piped.code).toBe(0);
    expect(piped.stdout).toBe(file.stdout);
  });

  it('prints malformed records with their code and offset, and leaves out records without TCP', () => {
    const r = tcpwire(['decode', '--pcap', synthetic('ip.pcap')]);
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    expect(out.find((l) => l.startsWith('    15 '))).toMatch(/malformed: BAD_DATA_OFFSET at byte \d+/);
    expect(out.find((l) => l.startsWith('    13 '))).toMatch(/cksum=partial$/);
    expect(out.some((l) => l.startsWith('     4 '))).toBe(false); // a non-first fragment
    expect(out.find((l) => l.startsWith('     3 '))).toContain('[IP fragment]');
  });

  it('a capture cut short: the lines of every intact record, then one error line with the offset, exit 1', () => {
    const whole = readFileSync(fixture('http-v4.pcap'));
    const cut = join(dir, 'cut.pcap');
    writeFileSync(cut, whole.subarray(0, whole.length - 10));
    const r = tcpwire(['decode', '--pcap', cut]);
    expect(r.code).toBe(1);
    expect(lines(r.stdout).length).toBe(tsharkOf('http-v4.pcap').length - 1);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/^tcpwire: TRUNCATED at byte \d+: /);
  });

  it.each([
    [['decode', '--pcap', '/nonexistent/x.pcap'], 'BAD_INPUT', /no such file/],
    [['decode', '--pcap', '/tmp'], 'BAD_INPUT', /directory/],
    [['decode', '--relative', 'c3500050000000010000000050022000b83e0000'], 'BAD_INPUT', /--pcap/],
    [['decode', '--pcap', fixture('http-v4.pcap'), 'c350'], 'BAD_INPUT', /not hex/],
    [['decode', '--pcap', fixture('make-captures.sh')], 'BAD_MAGIC', /magic/],
  ])('%j: one line on stderr, exit 1', (args, code, message) => {
    const r = tcpwire(args);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`^tcpwire: ${code}\\b`));
    expect(r.stderr).toMatch(message);
  });

  it('a large capture piped into head: the first lines, exit 0, nothing on stderr', () => {
    const tcp = encodeSegment({ srcPort: 1, dstPort: 2, flags: 'A', payload: 'x' }, { src: '192.0.2.1', dst: '192.0.2.2' });
    const ip = buildIpPacket(tcp, '192.0.2.1', '192.0.2.2');
    const big = join(dir, 'big.pcap');
    writeFileSync(big, writePcap(Array.from({ length: 200_000 }, () => ({ data: ip }))));
    const r = spawnSync('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${bin}" decode --pcap "${big}" | head -3`], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(lines(r.stdout)).toHaveLength(3);
  });
});
