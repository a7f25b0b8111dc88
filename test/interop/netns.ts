/**
 * Two network namespaces joined by a veth pair, for the live tests: the set-up both
 * test/interop suites share. Every name carries the test process's id, so runs never collide,
 * and namespaces left by a run whose process is gone are removed first. Every command is
 * time-bound; the namespaces are removed by `destroy()`, and on process exit if it never runs.
 */

import { spawnSync } from 'node:child_process';

/** Runs a command; its stdout, or an error naming the command and its stderr. */
export function sh(cmd: string[], timeout = 10_000): string {
  const r = spawnSync(cmd[0] as string, cmd.slice(1), { encoding: 'utf8', timeout });
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr || r.error?.message || ''}`);
  return r.stdout;
}

/** Runs a command inside a namespace. */
export const nsx = (ns: string, ...cmd: string[]): string => sh(['ip', 'netns', 'exec', ns, ...cmd]);

/**
 * Why the live test cannot run here, or undefined: it needs Linux, root (for namespaces and
 * raw sockets), working `ip netns`, and these tools on the PATH.
 */
export function liveSkipReason(tools: readonly string[] = [], python = false): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root (network namespaces and raw sockets need root)';
  for (const tool of tools) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`], { timeout: 5000 }).status !== 0) return `${tool} is not installed`;
  }
  if (python && spawnSync('/usr/bin/python3', ['-c', 'pass'], { timeout: 5000 }).status !== 0) return '/usr/bin/python3 is missing';
  if (spawnSync('ip', ['netns', 'list'], { timeout: 5000 }).status !== 0) return '"ip netns" does not work here (iproute2 missing?)';
  return undefined;
}

/** The addresses of each end, per IP version. */
export interface NetnsAddresses {
  4: { client: string; server: string; prefix: number };
  6: { client: string; server: string; prefix: number };
}

/** A client and a server namespace, `PREFIXc<pid>` and `PREFIXs<pid>`, with a veth device of the same name in each. */
export class NetnsPair {
  readonly client: string;
  readonly server: string;
  /** The veth devices (interface names hold at most 15 characters). */
  readonly clientDev: string;
  readonly serverDev: string;
  private readonly stale: RegExp;
  private readonly onExit = (): void => this.remove();

  /** `prefix`: three letters naming the test, e.g. `twh`. */
  constructor(prefix: string) {
    this.client = `${prefix}c${process.pid}`;
    this.server = `${prefix}s${process.pid}`;
    this.clientDev = this.client.slice(0, 15);
    this.serverDev = this.server.slice(0, 15);
    this.stale = new RegExp(`^(${prefix}[cs](\\d+))\\b`);
  }

  /**
   * Makes both namespaces and the veth pair between them: loopback up, `ethtool -K DEV` with
   * `ethtool` (e.g. checksum offload off, so the segments on the wire carry real checksums),
   * the IPv4 and IPv6 addresses (no duplicate address detection), the device up.
   */
  create(net: NetnsAddresses, ethtool: readonly string[]): void {
    process.once('exit', this.onExit);
    this.removeStale();
    this.remove();
    sh(['ip', 'netns', 'add', this.client]);
    sh(['ip', 'netns', 'add', this.server]);
    sh(['ip', 'link', 'add', this.clientDev, 'netns', this.client, 'type', 'veth', 'peer', 'name', this.serverDev, 'netns', this.server]);
    for (const [ns, dev, side] of [
      [this.client, this.clientDev, 'client'],
      [this.server, this.serverDev, 'server'],
    ] as const) {
      nsx(ns, 'ip', 'link', 'set', 'lo', 'up');
      nsx(ns, 'ethtool', '-K', dev, ...ethtool);
      nsx(ns, 'ip', 'addr', 'add', `${net[4][side]}/${net[4].prefix}`, 'dev', dev);
      nsx(ns, 'ip', 'addr', 'add', `${net[6][side]}/${net[6].prefix}`, 'dev', dev, 'nodad');
      nsx(ns, 'ip', 'link', 'set', 'dev', dev, 'up');
    }
  }

  /** Removes both namespaces (and with them the veth pair). */
  destroy(): void {
    this.remove();
    process.removeListener('exit', this.onExit);
  }

  private remove(): void {
    for (const ns of [this.client, this.server]) spawnSync('ip', ['netns', 'del', ns], { timeout: 10_000 });
  }

  /** Namespaces of earlier runs of this test whose process is gone (a crash before cleanup). */
  private removeStale(): void {
    const list = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8', timeout: 10_000 }).stdout ?? '';
    for (const line of list.split('\n')) {
      const m = this.stale.exec(line);
      if (m === null || Number(m[2]) === process.pid) continue;
      let alive = true;
      try {
        process.kill(Number(m[2]), 0);
      } catch {
        alive = false;
      }
      if (!alive) spawnSync('ip', ['netns', 'del', m[1] as string], { timeout: 10_000 });
    }
  }
}
