#!/usr/bin/env node
// `npm run bench`: every row of issue 5 in one run, each with ratios against the
// peers measured in the same run, printed as it goes and written with the
// machine's details to bench/RESULTS.md (between the bench:begin/end markers;
// the analysis around them is kept).
//
//   node bench/run.mjs [--quick] [--no-capture] [--segments=N] [--peer-segments=N] [--big-mb=N]
//
// --quick: shorter rounds and a 200,000-segment capture, to try the bench; the
// committed RESULTS.md comes from a full run. TCPWIRE_BENCH_DIST=DIR measures
// another build than dist/ (bench/lib.mjs).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { captureRows } from './capture.mjs';
import { checksumRows } from './checksum.mjs';
import { codecRows, encodeRows } from './codec.mjs';
import { Table, settings, sinkValue } from './harness.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const num = (name, dflt) => {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.split('=')[1]) : dflt;
};
const quick = flag('quick');
if (quick) Object.assign(settings, { passMs: 15, rounds: 3, warmupMs: 100 });

function cpuModel() {
  try {
    const m = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    return m ? m[1].trim() : cpus()[0]?.model ?? 'unknown';
  } catch {
    return cpus()[0]?.model ?? 'unknown';
  }
}

function gitState() {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  if (head.status !== 0) return 'not a git checkout';
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no', 'src'], { encoding: 'utf8' }).stdout.trim();
  return `commit ${head.stdout.trim()}${dirty ? ' plus uncommitted changes in src/ (built as they were)' : ''}`;
}

const started = new Date();
const load0 = loadavg();
const machine = [
  `- CPU: ${cpuModel()}, ${cpus().length} logical CPUs; ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM`,
  `- Node ${process.version} (V8 ${process.versions.v8}), ${process.platform} ${process.arch}`,
  `- Date: ${started.toISOString()}`,
  `- Code: ${gitState()}`,
];
console.log(`tcpwire bench${quick ? ' (quick)' : ''}\n${machine.join('\n')}\n`);

const table = new Table();
const t0 = performance.now();

console.log('checksum');
const ck = checksumRows(table);
console.log('\ncodec');
const codec = await codecRows(table);
const enc = encodeRows(table);
let cap = null;
if (!flag('no-capture')) {
  console.log('\ncapture');
  cap = await captureRows(table, {
    segments: num('segments', quick ? 200_000 : 2_000_000),
    peerSegments: num('peer-segments', quick ? 50_000 : 400_000),
    bigBytes: num('big-mb', quick ? 0 : 1024) * 1048576,
  });
}
const seconds = (performance.now() - t0) / 1000;
const load1 = loadavg();

// The issue's targets, judged on this run's numbers.
const targets = [];
function target(what, value, goal, unit = '×', text) {
  if (value === undefined || Number.isNaN(value)) {
    targets.push(`| ${what} | not measured | ${goal}${unit} | — |`);
    return;
  }
  const met = value >= goal;
  const shown = unit === '%' ? `${value.toFixed(0)}%` : unit === '×' ? `${value.toFixed(value >= 100 ? 0 : 1)}×` : text;
  const by = met ? 'met' : `missed by ${((1 - value / goal) * 100).toFixed(0)}%`;
  targets.push(`| ${what} | ${shown} | ${unit === 'M/s' ? `${goal} M/s` : `${goal}${unit}`} | ${by} |`);
}
const rate = (name) => codec.results.find((r) => r.name.startsWith(name))?.rate;
const pcapRate = codec.results.find((r, i) => codec.candidates[i].peer === 'pcap')?.rate;
const viewRate = rate('TcpView: fields + MSS');
target('decodeSegment vs pcap decode/tcp.js', rate('decodeSegment') / pcapRate, 2);
target('TcpView hot path vs pcap decode/tcp.js', viewRate / pcapRate, 10);
target('TcpView hot path, M segments/s', viewRate / 1e6, 30, 'M/s', `${(viewRate / 1e6).toFixed(1)} M/s`);
for (const n of [1500, 9000, 65536]) {
  const share = ck[`${n}:unaligned`].share * 100;
  const pct = Math.round(share);
  const verdict = pct >= 50 ? 'met, and the 50% aim' : pct >= 20 ? `met (floor 20%); ${50 - pct} point${50 - pct === 1 ? '' : 's'} short of the 50% aim` : `missed by ${20 - pct} points`;
  targets.push(`| checksum ${n.toLocaleString('en-US')} B unaligned, share of the copy speed | ${pct}% | ≥ 20%, aim 50% | ${verdict} |`);
}
if (cap) {
  const lib = cap['memory-fast']?.rate;
  target('capture decode via the library (forEachSegment), M segments/s', lib / 1e6, 20, 'M/s', `${(lib / 1e6).toFixed(1)} M/s`);
  target('capture decode via the library vs dpkt', cap.dpkt && lib / cap.dpkt.rate, 100);
  target('capture decode via the library vs tshark', cap.tshark && lib / cap.tshark.rate, 300);
  target('CLI NDJSON, M segments/s', cap.cli && cap.cli.rate / 1e6, 1, 'M/s', cap.cli && `${(cap.cli.rate / 1e6).toFixed(2)} M/s`);
  target('CLI NDJSON vs tshark -T fields', cap.cli && cap.tshark && cap.cli.rate / cap.tshark.rate, 15);
  for (const mode of ['stream-fast', 'stream-items']) {
    const r = cap[`big-${mode}`];
    if (r) {
      const mib = r.rss / 1048576;
      targets.push(`| ${mode === 'stream-fast' ? 'forEachSegmentIn' : 'openCapture'}: ${(r.size / 2 ** 30).toFixed(2)} GiB streamed, peak RSS | ${mib.toFixed(0)} MiB | < 100 MB | ${r.rss < 100e6 ? 'met' : `missed by ${((r.rss / 100e6 - 1) * 100).toFixed(0)}%`} |`);
    }
  }
}

const block = [
  '<!-- bench:begin (written by `npm run bench`; edit outside these markers) -->',
  '',
  `Command: \`npm run bench\`${quick ? ' (with --quick: NOT the committed full run)' : ''}; ${seconds.toFixed(0)} s.`,
  '',
  ...machine,
  `- Load average (1 min) at the start and the end: ${load0[0].toFixed(2)}, ${load1[0].toFixed(2)} (other sessions share these 2 vCPUs: every rate is per CPU second of the process doing the work, user + system; in-process rows report the best of ${settings.rounds} interleaved rounds)`,
  '',
  '## Targets (issue 5)',
  '',
  '| target | this run | goal | verdict |',
  '| --- | ---: | ---: | --- |',
  ...targets,
  '',
  '## Every row',
  table.markdown(),
  '',
  '## Notes from the run',
  '',
  ...table.notes.map((n) => `- ${n}`),
  '',
  '<!-- bench:end -->',
].join('\n');

const path = fileURLToPath(new URL('RESULTS.md', import.meta.url));
const old = existsSync(path) ? readFileSync(path, 'utf8') : '# tcpwire benchmark results\n\n<!-- bench:begin -->\n<!-- bench:end -->\n';
const begin = old.indexOf('<!-- bench:begin');
const end = old.indexOf('<!-- bench:end -->');
const next = begin >= 0 && end > begin ? old.slice(0, begin) + block + old.slice(end + '<!-- bench:end -->'.length) : `${old.trimEnd()}\n\n${block}\n`;
writeFileSync(path, next);
console.log(`\ntargets:\n${targets.join('\n')}\n\nwrote ${path} (${seconds.toFixed(0)} s; sink ${sinkValue() & 1})`);
