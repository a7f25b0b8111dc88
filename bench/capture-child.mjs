// One capture-decoding run in a process of its own, so its peak RSS is its own:
//   node bench/capture-child.mjs MODE FILE [REPEATS]
// MODE: memory-items (readCapture), memory-fast (forEachSegment), stream-items
// (openCapture), stream-fast (forEachSegmentIn). Runs REPEATS times (default 1)
// and prints one JSON line: { segments, seconds (CPU time of the best run: user +
// system, as the other rows), wallSeconds, peakRssBytes } or { skipped: reason }.
import { readFileSync } from 'node:fs';
import { distUrl, tcpwire } from './lib.mjs';

const [mode, file, repeatsArg] = process.argv.slice(2);
const repeats = Number(repeatsArg ?? 1);

async function loadNode() {
  try {
    return await import(new URL('node.js', distUrl).href);
  } catch {
    return {};
  }
}

function peakRss() {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : process.resourceUsage().maxRSS * 1024;
}

// What each run reads of a segment: the fields and options a flow table needs.
let acc = 0;
function onView(v) {
  acc += v.srcPort + v.dstPort + ((v.seq ^ v.ack) & 0xff) + v.flagBits + v.window + v.payloadLength + (v.tsval & 0xff);
}

const cpuSince = (c0) => {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
};

// In-memory modes read the file once: every repeat decodes the same bytes, so no repeat's
// CPU time includes freeing the previous repeat's copy of the file (munmap, GC threads).
let inMemory;

async function run() {
  let segments = 0;
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  if (mode === 'memory-items' || mode === 'memory-fast') {
    const { readCapture, forEachSegment } = tcpwire;
    inMemory ??= readFileSync(file);
    const bytes = inMemory;
    const t1 = process.hrtime.bigint();
    const c1 = process.cpuUsage();
    if (mode === 'memory-items') {
      if (typeof readCapture !== 'function') return { skipped: 'readCapture is not in this build' };
      for (const item of readCapture(bytes, { skipped: false })) {
        if (item.kind === 'segment') {
          segments++;
          acc += item.tcp.window + item.tcp.options.length;
        }
      }
    } else {
      if (typeof forEachSegment !== 'function') return { skipped: 'forEachSegment is not in this build' };
      segments = forEachSegment(bytes, onView).segments;
    }
    // In-memory rows time the decoding, not the file read.
    return { segments, seconds: cpuSince(c1), wallSeconds: Number(process.hrtime.bigint() - t1) / 1e9 };
  }
  const node = await loadNode();
  if (mode === 'stream-items') {
    if (typeof node.openCapture !== 'function') return { skipped: 'openCapture (tcpwire/node) is not in this build' };
    for await (const item of node.openCapture(file, { skipped: false })) {
      if (item.kind === 'segment') {
        segments++;
        acc += item.tcp.window + item.tcp.options.length;
      }
    }
  } else if (mode === 'stream-fast') {
    if (typeof node.forEachSegmentIn !== 'function') return { skipped: 'forEachSegmentIn (tcpwire/node) is not in this build' };
    segments = (await node.forEachSegmentIn(file, onView)).segments;
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  return { segments, seconds: cpuSince(c0), wallSeconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

let result;
for (let r = 0; r < repeats; r++) {
  const one = await run();
  if (result === undefined || one.skipped || one.seconds < result.seconds) result = one;
}
console.log(JSON.stringify({ ...result, peakRssBytes: result.skipped ? undefined : peakRss(), sink: acc & 1 }));
