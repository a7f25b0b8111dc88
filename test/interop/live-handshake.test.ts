/**
 * Live: tcpwire's handshake against the real Linux TCP stack.
 *
 * Two network namespaces made for this test, joined by a veth pair (checksum
 * offload off at both ends). In the server namespace a Python listener accepts
 * one connection and prints what it received. In the client namespace a Node
 * process (live-client.mjs) sends tcpwire's SYN over a raw socket, reads the
 * kernel's SYN-ACK, answers with tcpwire's ACK (respondTo) and sends a few bytes
 * with PSH+ACK. The client namespace drops its own kernel's RSTs for that port
 * (the kernel knows no socket there and would reset the connection).
 *
 * Also: SYNs with other option sets (probes), whose kernel SYN-ACKs must equal
 * what respondTo's linux profile builds from the same SYN, byte for byte.
 *
 * Every address lives only inside the two namespaces. The namespaces are removed
 * in afterAll, and on process exit if afterAll never runs. Every step is time-bound.
 */

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TcpOption, type TcpSegment, checkHandshake, decodeSegment, fromHex, respondTo, toHex } from '../../src/index.js';
import { NetnsPair, liveSkipReason, nsx } from './netns.js';

const here = import.meta.dirname;
const pair = new NetnsPair('twh');
const CLI = pair.client;
const SRV = pair.server;
const NET = {
  4: { client: '10.201.0.1', server: '10.201.0.2', prefix: 24, port: 7100, sport: 41000, isn: 0xffff_ffff },
  6: { client: 'fd20:201::1', server: 'fd20:201::2', prefix: 64, port: 7106, sport: 41006, isn: 0x7fff_ffff },
} as const;
const PAYLOAD = new TextEncoder().encode('hello from tcpwire\n');

const why = liveSkipReason();
if (why !== undefined) console.warn(`skipping the live handshake test: ${why}`);

const servers: ChildProcess[] = [];
const SERVER_PY = `
import json, socket, sys
addr, port, want = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_INET6 if ':' in addr else socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((addr, port))
s.listen(8)
s.settimeout(25)
print('LISTENING', flush=True)
try:
    c, peer = s.accept()
except socket.timeout:
    print(json.dumps({'error': 'no connection accepted'}), flush=True)
    sys.exit(1)
c.settimeout(5)
data = b''
try:
    while len(data) < want:
        chunk = c.recv(65536)
        if not chunk:
            break
        data += chunk
    c.settimeout(0.5)
    data += c.recv(65536)
except socket.timeout:
    pass
print(json.dumps({'peer': [peer[0], peer[1]], 'data': data.hex()}), flush=True)
`;

interface ServerReport {
  peer?: [string, number];
  data?: string;
  error?: string;
}

/** Starts the listener in the server namespace; resolves once it listens, with a promise of its report. */
function startServer(addr: string, port: number): Promise<{ report: Promise<ServerReport> }> {
  const p = spawn('ip', ['netns', 'exec', SRV, '/usr/bin/python3', '-c', SERVER_PY, addr, String(port), String(PAYLOAD.length)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  servers.push(p);
  let out = '';
  let err = '';
  p.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const report = new Promise<ServerReport>((resolve) => {
    p.on('close', () => {
      const last = out.trim().split('\n').at(-1) ?? '';
      try {
        resolve(JSON.parse(last));
      } catch {
        resolve({ error: `listener said: ${out} ${err}` });
      }
    });
  });
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`listener did not start: ${err}`)), 10_000);
    p.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('LISTENING')) {
        clearTimeout(t);
        // Wrapped: resolving with the promise itself would wait for the listener to exit.
        resolve({ report });
      }
    });
    p.on('error', (e) => reject(e));
  });
}

interface ClientReport {
  probes: { name: string; syn: string; synAck: string }[];
  main: { syn: string; synAck: string; ack: string; data: string; dataAck: string };
  error?: string;
}

/** Runs live-client.mjs in the client namespace. */
function runClient(job: object): ClientReport {
  const r = spawnSync('ip', ['netns', 'exec', CLI, process.execPath, join(here, 'live-client.mjs'), JSON.stringify(job)], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  const last = (r.stdout ?? '').trim().split('\n').at(-1) ?? '';
  let report: ClientReport;
  try {
    report = JSON.parse(last) as ClientReport;
  } catch {
    throw new Error(`client gave no report (status ${r.status ?? r.signal}): ${r.stdout} ${r.stderr}`);
  }
  if (report.error !== undefined) throw new Error(`client: ${report.error}\n${r.stderr}`);
  return report;
}

function opt<T extends TcpOption['type']>(seg: TcpSegment, type: T) {
  return seg.options.find((o) => o.type === type) as Extract<TcpOption, { type: T }> | undefined;
}

/** SYNs with different option sets, to see how the kernel negotiates each. */
const PROBES: { name: string; spec: { profile?: 'plain' | 'linux'; ecn?: boolean; options?: TcpOption[] } }[] = [
  { name: 'linux profile: MSS, SACK-permitted, timestamps, window scale', spec: { profile: 'linux' } },
  { name: 'plain: no options at all', spec: { profile: 'plain' } },
  { name: 'MSS only', spec: { options: [{ type: 'mss', value: 1400 }] } },
  { name: 'MSS and SACK-permitted', spec: { options: [{ type: 'mss', value: 1460 }, { type: 'nop' }, { type: 'nop' }, { type: 'sackPermitted' }] } },
  {
    name: 'timestamps and window scale, no SACK',
    spec: {
      options: [
        { type: 'mss', value: 1460 },
        { type: 'nop' },
        { type: 'nop' },
        { type: 'timestamps', tsval: 4294967295, tsecr: 0 },
        { type: 'nop' },
        { type: 'windowScale', shift: 14 },
      ],
    },
  },
  { name: 'ECN-setup SYN (ECE+CWR)', spec: { profile: 'linux', ecn: true } },
];

describe.skipIf(why !== undefined)('live three-way handshake with the Linux stack', () => {
  const reports: Record<4 | 6, { client: ClientReport; server: ServerReport } | undefined> = {
    4: undefined,
    6: undefined,
  };

  beforeAll(async () => {
    // Real checksums on the wire, so the kernel's segments can be compared byte for byte.
    pair.create(NET, ['tx', 'off', 'rx', 'off']);
    // The client kernel has no socket for tcpwire's connections and would RST them.
    nsx(CLI, 'iptables', '-A', 'OUTPUT', '-p', 'tcp', '--sport', String(NET[4].sport), '--tcp-flags', 'RST', 'RST', '-j', 'DROP');
    nsx(CLI, 'ip6tables', '-A', 'OUTPUT', '-p', 'tcp', '--sport', String(NET[6].sport), '--tcp-flags', 'RST', 'RST', '-j', 'DROP');

    for (const family of [4, 6] as const) {
      const n = NET[family];
      const { report } = await startServer(n.server, n.port);
      const client = runClient({
        family,
        src: n.client,
        dst: n.server,
        dport: n.port,
        probes: PROBES.map((p, i) => ({ name: p.name, sport: n.sport + 100 + i, isn: (0x1234_5678 * (i + 1)) >>> 0, spec: p.spec })),
        main: { sport: n.sport, isn: n.isn, payloadHex: toHex(PAYLOAD) },
      });
      reports[family] = { client, server: await report };
    }
  }, 90_000);

  afterAll(() => {
    for (const p of servers) if (p.exitCode === null && p.pid !== undefined) p.kill('SIGKILL');
    pair.destroy();
  });

  for (const family of [4, 6] as const) {
    const n = NET[family];
    describe(`IPv${family}`, () => {
      it("the listener accepted tcpwire's connection and received exactly the payload", () => {
        const r = reports[family];
        expect(r?.server.error).toBeUndefined();
        expect(r?.server.data).toBe(toHex(PAYLOAD));
        expect(r?.server.peer?.[1]).toBe(n.sport);
      });

      it(`the kernel's SYN-ACK acknowledges x+1 across the wrap (x = ${n.isn}), and its ACK of the data is x+1+len mod 2^32`, () => {
        const m = reports[family]?.client.main;
        const synAck = decodeSegment(fromHex(m?.synAck ?? ''));
        expect(synAck.ack).toBe(Number((BigInt(n.isn) + 1n) % 2n ** 32n));
        const dataAck = decodeSegment(fromHex(m?.dataAck ?? ''));
        expect(dataAck.ack).toBe(Number((BigInt(n.isn) + 1n + BigInt(PAYLOAD.length)) % 2n ** 32n));
      });

      it('the checker passes the live handshake (SYN, kernel SYN-ACK, ACK) with no findings, checksums included', () => {
        const m = reports[family]?.client.main;
        const segs = [
          { hex: m?.syn ?? '', src: n.client, dst: n.server },
          { hex: m?.synAck ?? '', src: n.server, dst: n.client },
          { hex: m?.ack ?? '', src: n.client, dst: n.server },
        ].map((s) => ({ segment: decodeSegment(fromHex(s.hex)), bytes: fromHex(s.hex), src: s.src, dst: s.dst }));
        const r = checkHandshake(segs);
        expect(r.findings).toEqual([]);
        expect(r.ok).toBe(true);
      });

      PROBES.forEach((p, i) => {
        it(`probe "${p.name}": the kernel's SYN-ACK equals respondTo's linux profile byte for byte`, () => {
          const probe = reports[family]?.client.probes[i];
          expect(probe?.name).toBe(p.name);
          const syn = decodeSegment(fromHex(probe?.syn ?? ''));
          const kernel = decodeSegment(fromHex(probe?.synAck ?? ''));
          // Only what the server chooses is read from the kernel's answer: its ISN, window, MSS, shift, TSval.
          const mss = opt(kernel, 'mss');
          const ws = opt(kernel, 'windowScale');
          const ts = opt(kernel, 'timestamps');
          const ours = respondTo(syn, {
            src: n.client,
            dst: n.server,
            state: 'LISTEN',
            profile: 'linux',
            isn: kernel.seq,
            window: kernel.window,
            ...(mss ? { mss: mss.value } : {}),
            ...(ws ? { windowScale: ws.shift } : {}),
            ...(ts ? { tsval: ts.tsval } : {}),
          });
          expect(toHex(ours?.bytes ?? new Uint8Array())).toBe(probe?.synAck);
        });
      });
    });
  }
});
