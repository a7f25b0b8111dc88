/**
 * The hot paths the design calls allocation-free allocate nothing per segment once V8 has
 * optimized them: a loop of TcpView.reset(), its getters, findOption and the nextOption walk,
 * and forEachSegment's callback over an in-memory capture (README: "nothing allocated per
 * packet"). A child process (the built library, an 8 MiB young generation) warms each loop
 * up, empties the young generation, then runs the loop over millions of segments and reports
 * the young-generation collections and the growth of the young space during the run. A
 * control loop that keeps `view.flags` (documented to allocate an object) must be seen to
 * allocate by the same measure, so the measure can fail; an array allocated in nextOption, or
 * in the scanner's record loop, was seen (58 and 14 collections). No time is measured.
 */

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

const script = `
import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';
const { TcpView, encodeSegment, buildIpPacket, PcapWriter, forEachSegment } = await import(${JSON.stringify(dist)});

// A mix of layouts: none, Linux's three (told by whole words), and others the general walk reads.
let x = 0x9e3779b9;
const rand = () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return x >>> 0; };
const layouts = [
  () => [],
  () => [{ type: 'nop' }, { type: 'nop' }, { type: 'timestamps', tsval: rand(), tsecr: rand() }],
  () => [{ type: 'mss', value: 1460 }, { type: 'sackPermitted' }, { type: 'timestamps', tsval: rand(), tsecr: rand() }, { type: 'nop' }, { type: 'windowScale', shift: 7 }],
  () => [{ type: 'nop' }, { type: 'nop' }, { type: 'timestamps', tsval: rand(), tsecr: rand() }, { type: 'nop' }, { type: 'nop' }, { type: 'sack', blocks: [[rand(), rand()], [rand(), rand()]] }],
  () => [{ type: 'mss', value: 536 }, { type: 'windowScale', shift: 14 }, { type: 'unknown', kind: 77, data: new Uint8Array([1, 2, 3]) }],
  () => [{ type: 'sack', blocks: [[rand(), rand()]] }, { type: 'fastOpen', cookie: new Uint8Array(8) }],
];
const segments = [];
for (let i = 0; i < 1024; i++) {
  const options = layouts[i % layouts.length]();
  segments.push(encodeSegment({ srcPort: rand() & 0xffff, dstPort: 443, seq: rand(), ack: rand(), flags: i % 7 === 0 ? 'SA' : 'A', window: rand() & 0xffff, options, payload: new Uint8Array(i % 5 === 0 ? 100 : 0) }));
}
const total = segments.reduce((n, s) => n + s.length + 3, 0);
const buffer = new Uint8Array(total);
const offsets = new Int32Array(segments.length);
const lengths = new Int32Array(segments.length);
let at = 0;
segments.forEach((s, i) => { at += 3; buffer.set(s, at); offsets[i] = at; lengths[i] = s.length; at += s.length; });
const view = new TcpView(buffer, offsets[0], lengths[0]);

const writer = new PcapWriter({ linkType: 1 });
// 64 times the segments, so that what a call of forEachSegment allocates once (its parser, view and meta) is spread thin.
const packets = segments.map((s) => buildIpPacket(s, '192.0.2.1', '198.51.100.2'));
const records = [writer.header()];
for (let copy = 0; copy < 64; copy++) for (const data of packets) records.push(writer.record({ data }));
const capture = new Uint8Array(records.reduce((n, r) => n + r.length, 0));
at = 0;
for (const r of records) { capture.set(r, at); at += r.length; }

// Sums and counts go to a Float64Array: a number stored in a module-level variable is boxed on
// every store. sink[1] counts the segments each loop really read (the callback's calls too).
const sink = new Float64Array(2);
const kept = new Array(8).fill(null);
const passes = { view: 2000, scan: 32, control: 2000 };
// One callback for every pass, as a program would pass one (a new closure each pass would be
// another call target each time for the inlined call in the scanner's loop).
const onSegment = (v, meta) => {
  sink[0] += v.srcPort + (v.seq & 1) + (v.tsval & 1) + v.window + meta.tcpLength + meta.frame + meta.nanos + (v.syn ? 1 : 0);
  sink[1]++;
};
const loops = {
  view() {
    let acc = 0;
    for (let i = 0; i < offsets.length; i++) {
      const v = view.reset(buffer, offsets[i], lengths[i]);
      acc += v.srcPort + v.dstPort + (v.seq & 1) + (v.ack & 1) + v.flagBits + v.window + v.payloadLength + v.checksum;
      acc += v.mss + v.windowShift + (v.tsval & 1) + (v.tsecr & 1) + (v.hasTimestamps ? 1 : 0) + v.findOption(5) + v.segmentLength + v.reserved;
      for (let p = v.nextOption(-1); p >= 0; p = v.nextOption(p)) acc += buffer[p];
    }
    sink[0] += acc;
    sink[1] += offsets.length;
  },
  scan() {
    forEachSegment(capture, onSegment);
  },
  control() {
    let acc = 0;
    for (let i = 0; i < offsets.length; i++) {
      const v = view.reset(buffer, offsets[i], lengths[i]);
      // Kept, so that V8 cannot take the object apart and leave it unallocated.
      kept[i & 7] = v.flags;
      acc += kept[i & 7].syn ? 1 : 0;
    }
    sink[0] += acc;
    sink[1] += offsets.length;
  },
};

const young = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_used_size;
const pause = () => new Promise((r) => setTimeout(r, 50));
const out = {};
for (const [name, loop] of Object.entries(loops)) {
  for (let i = 0; i < 3 * passes[name]; i++) loop();
  await pause();
  // An empty young space to start from; a full collection drops some of V8's caches too, so
  // the loop is warmed again (what that allocates stays well under the 8 MiB).
  globalThis.gc();
  for (let i = 0; i < passes[name]; i++) loop();
  await pause();
  let gcs = 0;
  const obs = new PerformanceObserver((list) => { gcs += list.getEntries().length; });
  obs.observe({ entryTypes: ['gc'] });
  const before = young();
  const counted = sink[1];
  const rounds = passes[name];
  for (let i = 0; i < rounds; i++) loop();
  const grown = young() - before;
  await pause();
  obs.disconnect();
  out[name] = { segments: sink[1] - counted, passes: rounds, gcs, grown };
}
console.log(JSON.stringify({ out, sink: sink[0] !== 0 }));
`;

type Run = { segments: number; passes: number; gcs: number; grown: number };

describe.runIf(existsSync(dist))('hot paths that allocate nothing per segment', () => {
  const r = spawnSync(process.execPath, ['--min-semi-space-size=8', '--max-semi-space-size=8', '--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 120_000 });
  const result = r.status === 0 ? (JSON.parse(r.stdout.trim().split('\n').pop() as string) as { out: Record<string, Run>; sink: boolean }) : undefined;

  it('the child ran every loop over millions of segments (counted as they were read)', () => {
    expect(r.stderr).toBe('');
    expect(result?.sink).toBe(true);
    // view and control: 2,000 passes over 1,024 segments; scan: 32 passes over 64 copies of them.
    expect([result?.out.view?.segments, result?.out.scan?.segments, result?.out.control?.segments]).toEqual([2000 * 1024, 32 * 64 * 1024, 2000 * 1024]);
  });

  it('the control loop, which allocates an object a segment, is seen to allocate (the measure can fail)', () => {
    const c = result?.out.control as Run;
    // 2 M objects of at least 16 bytes through an 8 MiB young space: several collections.
    expect(c.gcs).toBeGreaterThan(3);
  });

  // One object a segment would be 16 bytes or more: over 2 M segments, 32 MB and more, so
  // collections. Nothing is collected, and the young space grows by under an eighth of a
  // byte a segment in all: what a pass allocates once (forEachSegment's parser, view and
  // meta, ~2 KiB a call) and nothing a segment.
  it('TcpView: reset, every getter, findOption and the nextOption walk allocate nothing', () => {
    const v = result?.out.view as Run;
    expect(v.gcs).toBe(0);
    expect(v.grown).toBeGreaterThanOrEqual(0);
    expect(v.grown).toBeLessThan(v.segments / 8);
  });

  it('forEachSegment over a capture in memory allocates nothing per segment', () => {
    const s = result?.out.scan as Run;
    expect(s.gcs).toBe(0);
    expect(s.grown).toBeGreaterThanOrEqual(0);
    expect(s.grown).toBeLessThan(s.segments / 8);
  });
});
