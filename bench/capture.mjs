// Capture rows: a generated capture of small real-shaped segments (the codec
// mix, in Ethernet + IPv4, written with tcpwire's own PcapWriter) decoded by
// tcpwire's readers and CLI, by tshark -T fields and by dpkt; peak RSS of the
// streaming runs, and of streaming a capture of 1 GB or more.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ratio, si } from './harness.mjs';
import { tcpwire } from './lib.mjs';
import { mixPacket, prng } from './mix.mjs';

const { PcapWriter } = tcpwire;
const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..');

/** Writes `count` records of the mix (a pool of 65,536 distinct packets, cycled) as a pcap file. */
export function writeCapture(path, count) {
  const writer = new PcapWriter({ linkType: 1 });
  const rand = prng(0xcafe);
  const pool = [];
  for (let i = 0; i < 65536; i++) pool.push(mixPacket(rand));
  const fd = openSync(path, 'w');
  const buf = new Uint8Array(8 << 20);
  let at = 0;
  const put = (bytes) => {
    if (at + bytes.length > buf.length) {
      writeSync(fd, buf, 0, at);
      at = 0;
    }
    buf.set(bytes, at);
    at += bytes.length;
  };
  put(writer.header());
  for (let i = 0; i < count; i++) put(writer.record({ data: pool[i % pool.length] }));
  writeSync(fd, buf, 0, at);
  closeSync(fd);
  return statSync(path).size;
}

/** Appends the records of `src` to itself until the file holds at least `bytes`. */
function growCapture(src, dst, bytes) {
  const whole = readFileSync(src);
  const records = whole.subarray(24);
  const fd = openSync(dst, 'w');
  writeSync(fd, whole, 0, 24);
  let size = 24;
  let copies = 0;
  while (size < bytes) {
    writeSync(fd, records);
    size += records.length;
    copies++;
  }
  closeSync(fd);
  return { size, copies };
}

function child(mode, file, repeats = 1) {
  const r = spawnSync(process.execPath, [join(here, 'capture-child.mjs'), mode, file, String(repeats)], {
    encoding: 'utf8',
    env: process.env,
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) return { skipped: `child failed: ${(r.stderr || '').trim().split('\n').slice(-3).join(' ')}` };
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

/** Runs a command with stdout to /dev/null under /usr/bin/time: CPU seconds (user + system), wall seconds and peak RSS. */
function timed(cmd, args) {
  const devnull = openSync('/dev/null', 'w');
  const useTime = existsSync('/usr/bin/time');
  const w0 = process.hrtime.bigint();
  const r = useTime
    ? spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S %M', cmd, ...args], { stdio: ['ignore', devnull, 'pipe'], encoding: 'utf8', maxBuffer: 64 << 20 })
    : spawnSync(cmd, args, { stdio: ['ignore', devnull, 'pipe'], encoding: 'utf8', maxBuffer: 64 << 20 });
  const wall = Number(process.hrtime.bigint() - w0) / 1e9;
  closeSync(devnull);
  if (r.error) return { error: r.error.message };
  if (r.status !== 0) return { error: `exit ${r.status}: ${(r.stderr || '').trim().split('\n').slice(-2).join(' ')}` };
  // Without GNU time (Debian package "time"): wall time, and no RSS.
  if (!useTime) return { seconds: wall, wallSeconds: wall, peakRssBytes: Number.NaN };
  const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr || '');
  return m ? { seconds: Number(m[2]) + Number(m[3]), wallSeconds: Number(m[1]), peakRssBytes: Number(m[4]) * 1024 } : { error: 'no timing (is /usr/bin/time there?)' };
}

/** The run of `n` with the least CPU time (or the first error). */
function bestOf(n, run) {
  let best;
  for (let i = 0; i < n; i++) {
    const r = run();
    if (r.error) return r;
    if (best === undefined || r.seconds < best.seconds) best = r;
  }
  return best;
}

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

const SAMPLE = 20_000;
const mb = (b) => `${(b / 1048576).toFixed(0)} MiB`;

export const TSHARK_FIELDS = ['tcp.srcport', 'tcp.dstport', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.flags', 'tcp.window_size_value', 'tcp.len'];

export async function captureRows(table, { segments = 2_000_000, peerSegments = 400_000, bigBytes = 1 << 30, keep = false } = {}) {
  const section = `Capture decode: ${segments.toLocaleString('en-US')} segments in a generated pcap (segments/s)`;
  const dir = mkdtempSync(join(tmpdir(), 'tcpwire-bench-capture-'));
  const main = join(dir, 'mix.pcap');
  const prefix = join(dir, 'mix-prefix.pcap');
  const tiny = join(dir, 'mix-1.pcap');
  const sampleFile = join(dir, 'mix-sample.pcap');
  const t0 = performance.now();
  const size = writeCapture(main, segments);
  writeCapture(prefix, peerSegments);
  writeCapture(tiny, 1);
  writeCapture(sampleFile, SAMPLE);
  table.note(
    `capture: ${segments.toLocaleString('en-US')} Ethernet/IPv4/TCP records of the codec mix (${mb(size)}, ${(size / segments).toFixed(0)} B a record) written by PcapWriter in ${((performance.now() - t0) / 1000).toFixed(1)} s to ${dir} (deleted after the run)`,
  );
  const out = {};
  const rows = [
    ['memory-fast', 'forEachSegment (file read into memory first; TcpView fields + TS)', 5],
    ['memory-items', 'readCapture iterator (file in memory; full items)', 1],
    ['stream-fast', 'forEachSegmentIn (streaming 4 MiB chunks; TcpView)', 3],
    ['stream-items', 'openCapture async iterator (streaming; full items)', 1],
  ];
  for (const [mode, what, repeats] of rows) {
    const r = child(mode, main, repeats);
    if (r.skipped) {
      table.add(section, what, 'skipped', r.skipped);
      continue;
    }
    if (r.segments !== segments) table.note(`${mode}: counted ${r.segments} segments, expected ${segments}`);
    out[mode] = { rate: r.segments / r.seconds, rss: r.peakRssBytes };
  }

  // The CLI, whole file, NDJSON to /dev/null, best of 5, less its start-up time (a 1-record
  // file, best of 5: a start-up is ~0.1 s, timed by /usr/bin/time to 0.01 s, and one slow
  // start-up taken as the best of two moved the row by 5%), as tshark's below; the size of its
  // lines from a run on the sample file.
  const cliArgs = (file) => [join(root, 'bin/tcpwire.js'), 'decode', '--pcap', file, '--json'];
  const cliStart = bestOf(5, () => timed(process.execPath, cliArgs(tiny)));
  const cli = bestOf(5, () => timed(process.execPath, cliArgs(main)));
  let cliNote = '';
  if (!cli.error && !cliStart.error) {
    const sample = spawnSync(process.execPath, cliArgs(sampleFile), { maxBuffer: 256 << 20 });
    const lineBytes = sample.status === 0 ? sample.stdout.length / SAMPLE : NaN;
    out.cli = { rate: segments / Math.max(0.001, cli.seconds - cliStart.seconds), rss: cli.peakRssBytes, lineBytes };
    cliNote = `CLI: best of 5 runs over the whole capture, ${cli.seconds.toFixed(2)} CPU s (${cli.wallSeconds.toFixed(2)} s wall) less ${cliStart.seconds.toFixed(2)} CPU s of start-up (a 1-record file, best of 5)`;
  } else cli.error ??= cliStart.error;

  // tshark on a prefix (it runs at tens of thousands a second), less its start-up time.
  const tshark = which('tshark');
  let tsharkNote = '';
  if (tshark) {
    const fields = TSHARK_FIELDS.flatMap((f) => ['-e', f]);
    const start = bestOf(2, () => timed(tshark, ['-n', '-r', tiny, '-T', 'fields', ...fields]));
    const run = bestOf(2, () => timed(tshark, ['-n', '-r', prefix, '-T', 'fields', ...fields]));
    if (run.error || start.error) tsharkNote = `tshark failed: ${run.error ?? start.error}`;
    else {
      out.tshark = { rate: peerSegments / Math.max(0.001, run.seconds - start.seconds), rss: run.peakRssBytes };
      const v = spawnSync(tshark, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
      tsharkNote = `${v.replace(/ \(.*/, '')}: ${peerSegments.toLocaleString('en-US')}-segment prefix of the same capture, ${run.seconds.toFixed(2)} CPU s (${run.wallSeconds.toFixed(2)} s wall) less ${start.seconds.toFixed(2)} CPU s of start-up (a 1-record file); each the best of 2 runs`;
    }
  } else tsharkNote = 'tshark not found: its row is skipped';

  // dpkt on the same prefix, timed inside Python (no interpreter start-up).
  let dpktNote = '';
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : which('python3');
  if (python) {
    const r = spawnSync(python, [join(here, 'peers/dpkt_decode.py'), prefix], { encoding: 'utf8' });
    if (r.status === 0) {
      const j = JSON.parse(r.stdout.trim().split('\n').pop());
      out.dpkt = { rate: j.segments / j.seconds };
      dpktNote = `dpkt ${j.version} (${python}): the same ${peerSegments.toLocaleString('en-US')}-segment prefix, ${j.seconds.toFixed(2)} CPU s (${j.wallSeconds.toFixed(2)} s wall), timed inside Python`;
    } else dpktNote = `dpkt not usable (${(r.stderr || '').trim().split('\n').pop()}): its row is skipped`;
  } else dpktNote = 'python3 not found: the dpkt row is skipped';

  const vsPeers = (rate) =>
    [out.dpkt ? `${ratio(rate, out.dpkt.rate)} dpkt` : null, out.tshark ? `${ratio(rate, out.tshark.rate)} tshark` : null].filter(Boolean).join(', ');
  for (const [mode, what] of rows) {
    const r = out[mode];
    if (!r) continue;
    table.add(section, what, `${si(r.rate)}/s`, `${vsPeers(r.rate)}; peak RSS ${mb(r.rss)}`);
  }
  if (out.cli) {
    table.add(
      section,
      '`tcpwire decode --pcap FILE --json > /dev/null`',
      `${si(out.cli.rate)}/s`,
      `${vsPeers(out.cli.rate)}; peak RSS ${mb(out.cli.rss)}; ${out.cli.lineBytes.toFixed(0)} B a line, ${((out.cli.rate * out.cli.lineBytes) / 1e6).toFixed(0)} MB/s of NDJSON`,
    );
  }
  else table.add(section, '`tcpwire decode --pcap FILE --json > /dev/null`', 'failed', cli.error);
  if (out.dpkt) table.add(section, 'dpkt (peer)', `${si(out.dpkt.rate)}/s`, '');
  if (out.tshark) table.add(section, `tshark -T fields, ${TSHARK_FIELDS.length} TCP fields (peer)`, `${si(out.tshark.rate)}/s`, `peak RSS ${mb(out.tshark.rss)}`);
  if (cliNote) table.note(cliNote);
  table.note(tsharkNote);
  table.note(dpktNote);
  table.note('in-memory rows time the decoding only (the file is read first, and counts in their RSS); streaming rows time everything from opening the file; every capture rate is per CPU second (user + system) of the process doing it; peak RSS is VmHWM of a process of its own, and moves with when V8 collects (more under load)');

  // Streaming a capture of 1 GiB or more: RSS must not grow with the file.
  if (bigBytes > 0) {
    const big = join(dir, 'big.pcap');
    const { size: bigSize, copies } = growCapture(main, big, bigBytes);
    const bigSegments = segments * copies;
    for (const [mode, what] of [
      ['stream-fast', 'forEachSegmentIn'],
      ['stream-items', 'openCapture'],
    ]) {
      const r = child(mode, big);
      if (r.skipped) {
        table.add(`Streaming a ${mb(bigSize)} capture`, what, 'skipped', r.skipped);
        continue;
      }
      table.add(
        `Streaming a ${mb(bigSize)} capture (${bigSegments.toLocaleString('en-US')} segments)`,
        `${what}: peak RSS`,
        mb(r.peakRssBytes),
        `${r.peakRssBytes < 100 * 1048576 ? 'under' : 'OVER'} the 100 MB target; ${si(r.segments / r.seconds)} segments/s`,
      );
      out[`big-${mode}`] = { rate: r.segments / r.seconds, rss: r.peakRssBytes, size: bigSize };
    }
    rmSync(big, { force: true });
  }
  if (!keep) rmSync(dir, { recursive: true, force: true });
  return out;
}
