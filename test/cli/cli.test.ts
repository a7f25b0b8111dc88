/**
 * The command-line tool, run as a user runs it: `node bin/tcpwire.js ...` on
 * the built dist/ (`npm test` builds first; by hand, run `npx tsup`).
 * Expected values come from the hex itself read by hand, tshark's view of the
 * real capture, the Scapy vectors and BigInt arithmetic, never from the tool.
 */

import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/tcpwire.js', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function tcpwire(args: string[], input?: string): Run {
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    input: input ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A bad-input failure: exit 1, nothing on stdout, exactly one line on stderr naming the code, no stack trace. */
function expectOneLineError(r: Run, code: string): void {
  expect(r.code, r.stderr).toBe(1);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines, r.stderr).toHaveLength(1);
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(lines[0]).toMatch(new RegExp(`^tcpwire: ${code}\\b`));
  expect(r.stderr).not.toMatch(/\n\s+at |Error:|node:internal/);
}

/** The SYN the demo decodes: frame 1 of fixtures/captures/handshakes-linux.pcap, 10.99.0.1 -> 10.99.0.2. */
const DEMO_SYN = '9f941e61880eb25b00000000a002faf0b5070000020405b40402080aee189cc3000000000103030a';

beforeAll(() => {
  if (!existsSync(new URL('../../dist/cli.js', import.meta.url))) {
    throw new Error('dist/cli.js is missing: run `npx tsup` (npm test builds it first)');
  }
});

describe('tcpwire decode', () => {
  it('shows every field of a real Linux SYN, read by hand from its hex', () => {
    const r = tcpwire(['decode', DEMO_SYN, '--src', '10.99.0.1', '--dst', '10.99.0.2']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const line = (label: string): string => r.stdout.split('\n').find((l) => l.includes(label)) ?? '';
    // 9f94 1e61 | 880eb25b | 00000000 | a0 02 | faf0 | b507 | 0000
    expect(line('Source port')).toMatch(/\b40852\b.*9f 94/);
    expect(line('Destination port')).toMatch(/\b7777\b.*1e 61/);
    expect(line('Sequence number')).toMatch(/\b2282664539\b.*88 0e b2 5b/);
    expect(line('Acknowledgment number')).toMatch(/\b0\b/);
    expect(line('Data offset')).toMatch(/10 words \(40 bytes\)/);
    expect(line('Flags')).toMatch(/\bSYN\b/);
    expect(line('Flags')).not.toMatch(/ACK|FIN|RST/);
    expect(line('Window')).toMatch(/\b64240\b/);
    expect(line('Checksum')).toMatch(/0xb507/);
    expect(r.stdout).toMatch(/checksum good for 10\.99\.0\.1 → 10\.99\.0\.2/);
    expect(line('Option: MSS')).toMatch(/\b1460\b.*02 04 05 b4/);
    expect(line('Option: SACK permitted')).not.toBe('');
    expect(line('Option: Timestamps')).toMatch(/TSval 3994590403, TSecr 0/);
    expect(line('Option: Window scale')).toMatch(/shift 10\b/);
    // the annotated dump starts with the input's first 16 bytes
    expect(r.stdout).toContain('0000  9f 94 1e 61 88 0e b2 5b 00 00 00 00 a0 02 fa f0');
  });

  it('--json gives the TcpSegment, byte strings as hex', () => {
    const r = tcpwire(['decode', DEMO_SYN, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(j).toMatchObject({
      srcPort: 40852,
      dstPort: 7777,
      seq: 2282664539,
      ack: 0,
      dataOffset: 10,
      reserved: 0,
      window: 64240,
      checksum: 0xb507,
      urgentPointer: 0,
      payload: '',
      padding: '',
      flags: { ae: false, cwr: false, ece: false, urg: false, ack: false, psh: false, rst: false, syn: true, fin: false },
      options: [
        { type: 'mss', value: 1460 },
        { type: 'sackPermitted' },
        { type: 'timestamps', tsval: 3994590403, tsecr: 0 },
        { type: 'nop' },
        { type: 'windowScale', shift: 10 },
      ],
    });
  });

  it('reads hex from standard input with "-", separators and all', () => {
    const spaced = DEMO_SYN.replace(/(..)/g, '$1 ').trim();
    const r = tcpwire(['decode', '-', '--json'], `${spaced}\n`);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { seq: number }).seq).toBe(2282664539);
  });

  const capDir = new URL('../../fixtures/captures/', import.meta.url);
  const haveCapture = existsSync(new URL('handshakes-linux.pcap.tshark.json', capDir)) && existsSync(new URL('handshakes-linux.pcap.segments.json', capDir));
  it.skipIf(!haveCapture)('frame 1 of fixtures/captures/handshakes-linux.pcap decodes to what tshark shows', () => {
    const raw = (JSON.parse(readFileSync(new URL('handshakes-linux.pcap.segments.json', capDir), 'utf8')) as { segments: { frame: number; src: string; dst: string; tcp: string }[] }).segments[0]!;
    const t = (JSON.parse(readFileSync(new URL('handshakes-linux.pcap.tshark.json', capDir), 'utf8')) as { segments: Record<string, unknown>[] }).segments[0]!;
    expect(raw.frame).toBe(1);
    expect(t.frame).toBe(1);
    const r = tcpwire(['decode', raw.tcp, '--json', '--src', raw.src, '--dst', raw.dst]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as {
      srcPort: number;
      dstPort: number;
      seq: number;
      ack: number;
      dataOffset: number;
      window: number;
      checksum: number;
      urgentPointer: number;
      flags: { syn: boolean; ack: boolean };
      options: { type: string; value?: number; shift?: number; tsval?: number; tsecr?: number }[];
      checksumStatus: string;
    };
    expect([j.srcPort, j.dstPort, j.seq, j.ack, j.dataOffset * 4, j.window, j.checksum, j.urgentPointer]).toEqual([
      t.srcPort,
      t.dstPort,
      t.seq,
      t.ack,
      t.hdrLen,
      t.window,
      t.checksum,
      t.urgentPointer,
    ]);
    expect(t.flags).toBe(0x002);
    expect(j.flags.syn && !j.flags.ack).toBe(true);
    expect(j.checksumStatus).toBe(t.checksumStatus);
    expect(j.options.find((o) => o.type === 'mss')?.value).toBe(t.mss);
    expect(j.options.find((o) => o.type === 'windowScale')?.shift).toBe(t.wscaleShift);
    expect(j.options.find((o) => o.type === 'timestamps')?.tsval).toBe(t.tsval);
  });
});

interface Vector {
  id: number;
  src: string;
  dst: string;
  tcp: string;
  checksumValid: boolean;
  fields: { reserved: number; flags: { ae: boolean }; options: { type: string; kind?: number; shift?: number }[]; payload: string };
}

describe('tcpwire demo', () => {
  it('decodes the real SYN, verifies it, re-encodes it identically and works out x+1', () => {
    const r = tcpwire(['demo']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(DEMO_SYN);
    expect(r.stdout).toMatch(/\bgood\b/);
    expect(r.stdout).toContain('identical, byte for byte');
    expect(r.stdout).toContain(String(2282664539 + 1));
  });
});

describe('tcpwire decode --json | tcpwire encode', () => {
  const vectors = JSON.parse(readFileSync(new URL('../../fixtures/scapy/vectors.json', import.meta.url), 'utf8')) as Vector[];
  const pick = (why: string, p: (v: Vector) => boolean): [string, Vector] => {
    const v = vectors.find(p);
    if (v === undefined) throw new Error(`no Scapy vector ${why}`);
    return [why, v];
  };
  const chosen = [
    pick('over IPv6', (v) => v.dst.includes(':') && v.fields.options.length > 2),
    pick('with a wrong checksum', (v) => !v.checksumValid),
    pick('padded after an EOL', (v) => v.fields.options.at(-1)?.type === 'eol'),
    pick('with an unknown option kind', (v) => v.fields.options.some((o) => o.type === 'unknown')),
    pick('with a Fast Open option', (v) => v.fields.options.some((o) => o.type === 'fastOpen')),
    pick('with a window shift above 14', (v) => v.fields.options.some((o) => o.type === 'windowScale' && (o.shift ?? 0) > 14)),
    pick('with reserved bits and AE', (v) => v.fields.reserved !== 0 && v.fields.flags.ae),
    pick('with no options and no payload', (v) => v.fields.options.length === 0 && v.fields.payload === ''),
  ];

  for (const [why, v] of chosen) {
    it(`is the identity on Scapy vector #${v.id} (${why})`, () => {
      const d = tcpwire(['decode', v.tcp, '--json']);
      expect(d.code, d.stderr).toBe(0);
      const e = tcpwire(['encode'], d.stdout);
      expect(e.code, e.stderr).toBe(0);
      expect(e.stdout).toBe(`${v.tcp}\n`);
    });
  }

  it('encode --src --dst computes the checksum: a zeroed field comes back right', () => {
    const [, v] = chosen[0]!;
    const j = JSON.parse(tcpwire(['decode', v.tcp, '--json']).stdout) as { checksum: number };
    j.checksum = 0;
    const e = tcpwire(['encode', '--src', v.src, '--dst', v.dst], JSON.stringify(j));
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toBe(`${v.tcp}\n`);
  });
});

describe('tcpwire checksum', () => {
  const vectors = JSON.parse(readFileSync(new URL('../../fixtures/scapy/vectors.json', import.meta.url), 'utf8')) as (Vector & { fields: { checksum: number } })[];
  const good = vectors.find((v) => v.checksumValid && v.src.includes(':'))!;
  const bad = vectors.find((v) => !v.checksumValid && !v.src.includes(':'))!;
  const hex4 = (n: number): string => `0x${n.toString(16).padStart(4, '0')}`;

  it('says good for a right checksum (IPv6), with the value Scapy wrote', () => {
    const r = tcpwire(['checksum', good.tcp, '--src', good.src, '--dst', good.dst]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`computed ${hex4(good.fields.checksum)}, segment has ${hex4(good.fields.checksum)}: good\n`);
  });

  it('says BAD for a wrong one (IPv4), still exit 0; --json gives numbers', () => {
    const r = tcpwire(['checksum', bad.tcp, '--src', bad.src, '--dst', bad.dst]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^computed 0x[0-9a-f]{4}, segment has ${hex4(bad.fields.checksum)}: BAD\\n$`));
    const j = JSON.parse(tcpwire(['checksum', bad.tcp, '--src', bad.src, '--dst', bad.dst, '--json']).stdout) as Record<string, unknown>;
    expect(j.field).toBe(bad.fields.checksum);
    expect(j.status).toBe('bad');
    expect(j.checksum).not.toBe(bad.fields.checksum);
  });
});

describe('tcpwire seq', () => {
  const M = 1n << 32n;
  const s32 = (a: bigint, b: bigint): bigint => {
    const d = (((a - b) % M) + M) % M;
    return d >= 1n << 31n ? d - M : d;
  };
  const cases: [string, string, string][] = [
    ['add', '4294967295', '1'],
    ['add', '0', '-1'],
    ['add', '2147483647', '1'],
    ['add', '0xffffffff', '4294967297'],
    ['diff', '0', '4294967295'],
    ['diff', '4294967295', '0'],
    ['diff', '2147483648', '0'],
    ['diff', '2147483647', '0'],
  ];
  for (const [op, a, b] of cases) {
    it(`${op} ${a} ${b}`, () => {
      const r = tcpwire(['seq', op, a, b]);
      expect(r.code, r.stderr).toBe(0);
      const want = op === 'add' ? (((BigInt(a) + BigInt(b)) % M) + M) % M : s32(BigInt(a), BigInt(b));
      expect(r.stdout).toBe(`${want}\n`);
    });
  }

  it('cmp across the wrap, equal, and exactly 2^31 apart (before both ways)', () => {
    expect(tcpwire(['seq', 'cmp', '4294967295', '0']).stdout).toBe('4294967295 < 0 (before, by 1)\n');
    expect(tcpwire(['seq', 'cmp', '0', '4294967295']).stdout).toBe('0 > 4294967295 (after, by 1)\n');
    expect(tcpwire(['seq', 'cmp', '7', '7']).stdout).toBe('7 == 7 (equal to)\n');
    expect(tcpwire(['seq', 'cmp', '0', '2147483648']).stdout).toMatch(/^0 < 2147483648 \(before/);
    expect(tcpwire(['seq', 'cmp', '2147483648', '0']).stdout).toMatch(/^2147483648 < 0 \(before/);
  });

  it('rejects numbers out of range, one line on stderr', () => {
    expectOneLineError(tcpwire(['seq', 'add', '4294967296', '1']), 'OUT_OF_RANGE');
    expectOneLineError(tcpwire(['seq', 'diff', '1', '-1']), 'OUT_OF_RANGE');
    expectOneLineError(tcpwire(['seq', 'add', '1', '1.5']), 'OUT_OF_RANGE');
    expectOneLineError(tcpwire(['seq', 'mul', '1', '2']), 'BAD_INPUT');
    expectOneLineError(tcpwire(['seq', 'add', '1']), 'BAD_INPUT');
  });
});

describe('help', () => {
  const main = tcpwire(['--help']);
  const verbs = [...main.stdout.matchAll(/^ {2}([a-z][a-z-]*)\s/gm)].map((m) => m[1] as string);

  it('--help lists the verbs and exits 0', () => {
    expect(main.code).toBe(0);
    expect(verbs).toEqual(expect.arrayContaining(['decode', 'encode', 'checksum', 'seq', 'demo']));
  });

  it('every verb answers --help with its usage, exit 0', () => {
    for (const verb of verbs) {
      const r = tcpwire([verb, '--help']);
      expect(r.code, `${verb}: ${r.stderr}`).toBe(0);
      expect(r.stdout, verb).toMatch(/usage: tcpwire /);
      expect(r.stderr, verb).toBe('');
    }
  });

  it('the examples in the core verbs\' help run as written (and seq prints what its comments say)', () => {
    for (const verb of ['decode', 'encode', 'checksum', 'seq']) {
      const help = tcpwire([verb, '--help']).stdout;
      const lines = help.split('\n');
      const from = lines.findIndex((l) => /^Examples?:/.test(l));
      expect(from, `${verb} --help has an Example section`).toBeGreaterThan(0);
      const examples = lines
        .slice(from + 1)
        .map((l) => l.trim())
        // placeholders (HEX) and examples that read a file the reader supplies (trace.pcap) are left out
        .filter((l) => /(^|\| )tcpwire /.test(l) && !/\bHEX\b/.test(l) && !/\S+\.(pcap|pcapng|json)\b/.test(l));
      expect(examples.length, verb).toBeGreaterThan(0);
      for (const ex of examples) {
        const [cmd = '', comment] = ex.split(/\s+#\s+/);
        let input = '';
        let argv = cmd;
        const echo = /^echo '([^']*)' \| (.*)$/.exec(cmd);
        if (echo) {
          input = echo[1] as string;
          argv = echo[2] as string;
        }
        const args = argv.split(/\s+/).slice(1);
        const r = tcpwire(args, input);
        expect(r.code, `${ex}\n${r.stderr}`).toBe(0);
        if (verb === 'seq' && comment) expect(r.stdout.trim(), ex).toBe(comment);
      }
    }
  });
});

describe('bad input: exit 1, one line on stderr, no stack trace', () => {
  it('invalid hex, with the position', () => {
    const r = tcpwire(['decode', '45zz']);
    expectOneLineError(r, 'BAD_HEX');
    expect(r.stderr).toContain('at byte 2');
  });
  it('odd-length hex', () => expectOneLineError(tcpwire(['decode', '450']), 'BAD_HEX'));
  it('empty standard input', () => {
    expectOneLineError(tcpwire(['decode', '-'], ''), 'BAD_HEX');
    expectOneLineError(tcpwire(['encode'], ''), 'BAD_INPUT');
  });
  it('an unknown verb', () => expectOneLineError(tcpwire(['frobnicate']), 'BAD_INPUT'));
  it('an unknown option', () => expectOneLineError(tcpwire(['decode', DEMO_SYN, '--bogus']), 'BAD_INPUT'));
  it('--src without --dst', () => {
    expectOneLineError(tcpwire(['decode', DEMO_SYN, '--src', '10.0.0.1']), 'BAD_INPUT');
    expectOneLineError(tcpwire(['checksum', DEMO_SYN, '--src', '10.0.0.1']), 'BAD_INPUT');
    expectOneLineError(tcpwire(['checksum', DEMO_SYN]), 'BAD_INPUT');
  });
  it('--dst with no value', () => expectOneLineError(tcpwire(['checksum', DEMO_SYN, '--src', '10.0.0.1', '--dst']), 'BAD_INPUT'));
  it('a bad address', () => expectOneLineError(tcpwire(['checksum', DEMO_SYN, '--src', '10.0.0.1', '--dst', '10.0.0.300']), 'BAD_ADDRESS'));
  it('mixed address families', () => expectOneLineError(tcpwire(['decode', DEMO_SYN, '--src', '10.0.0.1', '--dst', '::1']), 'BAD_ADDRESS'));
  it('a truncated segment, with the offset', () => {
    const r = tcpwire(['decode', DEMO_SYN.slice(0, 38)]);
    expectOneLineError(r, 'TRUNCATED');
    expect(r.stderr).toContain('at byte 19');
  });
  it('a data offset below 5', () => {
    const r = tcpwire(['decode', `${DEMO_SYN.slice(0, 24)}40${DEMO_SYN.slice(26)}`]);
    expectOneLineError(r, 'BAD_DATA_OFFSET');
    expect(r.stderr).toContain('at byte 12');
  });
  it('JSON that is not JSON, or a field out of range', () => {
    expectOneLineError(tcpwire(['encode'], '{"srcPort": '), 'BAD_INPUT');
    expectOneLineError(tcpwire(['encode'], '{"srcPort": 70000}'), 'OUT_OF_RANGE');
    expectOneLineError(tcpwire(['encode'], '{"options": [{"type": "sack", "blocks": [[1,2],[3,4],[5,6],[7,8],[9,10]]}]}'), 'OUT_OF_RANGE');
  });
  it('no verb at all prints the help and exits 1', () => {
    const r = tcpwire([]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/usage: tcpwire/);
  });
});
