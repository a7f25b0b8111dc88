// Timing: candidates of one row group run interleaved, round after round, in
// one process, so a ratio compares numbers taken under the same conditions
// (these 2-vCPU machines are noisy: PERFORMANCE-NOTES.md). Time is CPU time (see
// timeCalls); each rate is that of the best round (the median is kept beside it).

let sink = 0;
/** Keeps results alive so the JIT cannot drop the work. */
export function consume(x) {
  sink = (sink + (typeof x === 'number' ? x : 1)) | 0;
}
export function sinkValue() {
  return sink;
}

/**
 * Nanoseconds of CPU time (user + system, this process) the calls took. CPU time, not
 * wall time: other sessions share these 2 vCPUs, and time spent waiting for a CPU is
 * theirs. For single-threaded code on a quiet machine the two are the same; the V8
 * helper threads (concurrent GC, compilers) count against us.
 */
function timeCalls(fn, calls) {
  const c0 = process.cpuUsage();
  let acc = 0;
  for (let i = 0; i < calls; i++) acc += fn();
  const c = process.cpuUsage(c0);
  consume(acc);
  return (c.user + c.system) * 1000;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const settings = { passMs: 40, rounds: 7, warmupMs: 200 };

/**
 * Runs candidates `{ name, fn, units }` (fn does `units` units of work and returns a number)
 * interleaved; returns `{ name, rate }` (units per second) for each, in order.
 */
export function compare(candidates) {
  const cs = candidates.map((c) => ({ ...c, calls: 1, samples: [] }));
  for (const c of cs) {
    const end = performance.now() + settings.warmupMs;
    while (performance.now() < end) consume(c.fn());
    while (timeCalls(c.fn, c.calls) < settings.passMs * 1e6) c.calls *= 2;
  }
  for (let r = 0; r < settings.rounds; r++) {
    for (const c of cs) c.samples.push((c.units * c.calls) / (timeCalls(c.fn, c.calls) / 1e9));
  }
  // The best round: other processes on a shared 2-vCPU machine only ever slow a round down.
  return cs.map((c) => ({ name: c.name, rate: Math.max(...c.samples), median: median(c.samples) }));
}

/** 12345678 -> "12.3 M", 3456 -> "3.46 k". */
export function si(x) {
  const units = [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [v, u] of units) if (x >= v) return `${fmt(x / v)} ${u}`;
  return fmt(x);
}

function fmt(x) {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

export function ratio(a, b) {
  const r = a / b;
  return r >= 100 ? `${r.toFixed(0)}×` : r >= 10 ? `${r.toFixed(1)}×` : `${r.toFixed(2)}×`;
}

/** The table: rows of { section, what, rate, vs }, printed as it grows and returned as Markdown. */
export class Table {
  rows = [];
  notes = [];
  add(section, what, rate, vs = '') {
    const row = { section, what, rate, vs };
    this.rows.push(row);
    console.log(`  ${what.padEnd(58)} ${rate.padStart(16)}  ${vs}`);
    return row;
  }
  note(text) {
    this.notes.push(text);
    console.log(`  note: ${text}`);
  }
  markdown() {
    const out = [];
    let section = '';
    for (const r of this.rows) {
      if (r.section !== section) {
        section = r.section;
        out.push('', `### ${section}`, '', '| what | rate | against the peers, same run |', '| --- | ---: | --- |');
      }
      out.push(`| ${r.what} | ${r.rate} | ${r.vs} |`);
    }
    return out.join('\n');
  }
}
