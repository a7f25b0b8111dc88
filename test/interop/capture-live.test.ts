/**
 * Live: a fresh capture of real Linux TCP, read by tcpwire and by tshark, compared field by field.
 *
 * Two network namespaces made for this run, joined by a veth pair with checksum offload off
 * (`ethtool -K DEV tx off rx off`, and segmentation offloads off so no segment exceeds the MSS).
 * tcpdump captures everything on the server end (ARP and neighbour discovery included, which
 * tcpwire reports as skipped). A Python client sends a few kilobytes over IPv4 and over IPv6 to
 * a Python echo server and closes. tshark's view of the capture comes from the project's oracle
 * script (fixtures/captures/tshark-oracle.py); tcpwire's from readCapture and openCapture, on the
 * pcap and on a pcapng copy made by editcap.
 *
 * Every address lives only inside the two namespaces. Names are unique per run; the namespaces
 * are removed in afterAll, and on process exit if afterAll never runs. Every step is time-bound.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CaptureItem, encodeSegment, readCapture } from '../../src/index.js';
import { openCapture } from '../../src/node.js';
import { type TsharkSegment, asTshark, expected, hex, segmentsOf } from '../capture/fixtures.js';
import { NetnsPair, liveSkipReason, sh } from './netns.js';

const ORACLE = fileURLToPath(new URL('../../fixtures/captures/tshark-oracle.py', import.meta.url));
const pair = new NetnsPair('twc');
const CLI = pair.client;
const SRV = pair.server;
const NET = {
  4: { client: '10.202.0.1', server: '10.202.0.2', prefix: 24 },
  6: { client: 'fd20:202::1', server: 'fd20:202::2', prefix: 64 },
} as const;
const PORT = 7200;

const children: ChildProcess[] = [];
function teardown(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  pair.destroy();
}
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

const why = liveSkipReason(['ip', 'ethtool', 'tcpdump', 'tshark', 'editcap'], true);
if (why !== undefined) console.warn(`skipping the live capture test: ${why}`);

const SERVER_PY = `
import socket, sys, threading
def serve(fam, addr):
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if fam == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind((addr, ${PORT}))
    s.listen(4)
    s.settimeout(30)
    while True:
        try:
            c, _ = s.accept()
        except socket.timeout:
            return
        with c:
            c.settimeout(5)
            while True:
                d = c.recv(65536)
                if not d:
                    break
                c.sendall(d)
for fam, addr in ((socket.AF_INET, sys.argv[1]), (socket.AF_INET6, sys.argv[2])):
    threading.Thread(target=serve, args=(fam, addr), daemon=True).start()
print('LISTENING', flush=True)
threading.Event().wait(40)
`;

const CLIENT_PY = `
import socket, sys
host = sys.argv[1]
s = socket.socket(socket.AF_INET6 if ':' in host else socket.AF_INET, socket.SOCK_STREAM)
s.settimeout(10)
s.connect((host, ${PORT}))
msg = bytes((i * 7 + 3) & 0xff for i in range(5001))  # several segments, an odd total
s.sendall(msg)
got = b''
while len(got) < len(msg):
    d = s.recv(65536)
    if not d:
        break
    got += d
assert got == msg, (len(got), len(msg))
s.close()
print('OK', flush=True)
`;

/** Starts a long-running process and resolves when a line of its output matches. */
function startUntil(cmd: string[], ready: RegExp, timeout = 10_000): Promise<ChildProcess> {
  const p = spawn(cmd[0] as string, cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(p);
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${cmd.join(' ')} not ready after ${timeout} ms: ${seen}`)), timeout);
    const look = (d: Buffer): void => {
      seen += d.toString();
      if (ready.test(seen)) {
        clearTimeout(timer);
        resolve(p);
      }
    };
    p.stdout?.on('data', look);
    p.stderr?.on('data', look);
    p.on('close', (code) => {
      clearTimeout(timer);
      if (!ready.test(seen)) reject(new Error(`${cmd.join(' ')} exited (${code}) before it was ready: ${seen}`));
    });
  });
}

function stop(p: ChildProcess, signal: NodeJS.Signals = 'SIGINT', timeout = 10_000): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      resolve();
    }, timeout);
    p.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
    p.kill(signal);
  });
}

describe.skipIf(why !== undefined)('live capture: tcpwire and tshark read a fresh capture alike', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tcpwire-live-capture-'));
  const pcap = join(dir, 'live.pcap');
  const pcapng = join(dir, 'live.pcapng');

  beforeAll(async () => {
    // Checksum offload off, and segmentation offloads off so that no segment exceeds the MSS.
    pair.create(NET, ['tx', 'off', 'rx', 'off', 'tso', 'off', 'gso', 'off', 'gro', 'off']);
    const tcpdump = await startUntil(['ip', 'netns', 'exec', SRV, 'tcpdump', '-Z', 'root', '--immediate-mode', '-i', pair.serverDev, '-U', '-s', '0', '-n', '-w', pcap], /listening on/);
    const server = await startUntil(['ip', 'netns', 'exec', SRV, '/usr/bin/python3', '-c', SERVER_PY, NET[4].server, NET[6].server], /LISTENING/);
    for (const host of [NET[4].server, NET[6].server]) {
      expect(sh(['ip', 'netns', 'exec', CLI, '/usr/bin/python3', '-c', CLIENT_PY, host], 30_000)).toContain('OK');
    }
    await new Promise((r) => setTimeout(r, 500)); // the last ACKs and FINs
    await stop(tcpdump);
    await stop(server, 'SIGTERM');
    sh(['editcap', '-F', 'pcapng', pcap, pcapng]);
    sh(['/usr/bin/python3', ORACLE, pcap, pcapng], 60_000);
  }, 120_000);

  afterAll(() => {
    teardown();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const file of ['live.pcap', 'live.pcapng']) {
    it(`${file}: every TCP segment, every field, as tshark says; re-encodes byte for byte`, () => {
      const path = join(dir, file);
      const bytes = new Uint8Array(readFileSync(path));
      const shark = (JSON.parse(readFileSync(`${path}.tshark.json`, 'utf8')) as { segments: TsharkSegment[] }).segments;
      const items = [...readCapture(bytes)];
      const ours = segmentsOf(items);
      // two connections: three-way handshakes, 5001 bytes each way, FINs
      expect(shark.length).toBeGreaterThanOrEqual(2 * 10);
      expect(new Set(ours.map((s) => s.ip.version))).toEqual(new Set([4, 6]));
      expect(items.filter((i) => i.kind === 'error')).toEqual([]);
      expect(ours.map((s) => s.frame)).toEqual(shark.map((t) => t.frame));
      ours.forEach((s, k) => {
        expect(asTshark(s), `${file} frame ${s.frame}`).toEqual(expected(shark[k] as TsharkSegment));
        expect(hex(encodeSegment(s.tcp))).toBe(hex(bytes.subarray(s.offsets.tcp, s.offsets.tcp + s.tcpLength)));
      });
      expect(ours.every((s) => s.checksum === 'good')).toBe(true);
      // the records tshark does not show as TCP (ARP, neighbour discovery) are skipped, not lost
      expect(items.length).toBe(ours.length + items.filter((i) => i.kind === 'skipped').length);
    });

    it(`${file}: openCapture streams the same items in small chunks`, async () => {
      const path = join(dir, file);
      const sig = (i: CaptureItem): string => `${i.frame} ${i.kind} ${JSON.stringify(i.offsets)} ${i.timestampNs}`;
      const whole = [...readCapture(new Uint8Array(readFileSync(path)))].map(sig);
      const streamed: string[] = [];
      for await (const i of openCapture(path, { chunkSize: 333 })) streamed.push(sig(i));
      expect(streamed).toEqual(whole);
    });
  }
});
