#!/usr/bin/env node
/**
 * Writes the Jazzer.js seed corpora, fixtures/fuzz/<target>/, from the project's fixtures:
 * real Linux captures (fixtures/captures), Scapy's vectors (fixtures/scapy) and the synthetic
 * captures (fixtures/synthetic). Each seed is named by the SHA-1 of its bytes, as libFuzzer names
 * corpus files, so running this again gives the same files. `node fuzz/make-corpus.mjs`
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const fx = (...p) => join(root, 'fixtures', ...p);
const out = fx('fuzz');

/** Raw TCP segments: every one in the captures' segment lists, and a spread of Scapy's vectors. */
function segments() {
  const segs = [];
  for (const f of readdirSync(fx('captures')).filter((n) => n.endsWith('.segments.json')).sort()) {
    for (const s of JSON.parse(readFileSync(fx('captures', f), 'utf8')).segments) segs.push(Buffer.from(s.tcp, 'hex'));
  }
  const vectors = JSON.parse(readFileSync(fx('scapy', 'vectors.json'), 'utf8'));
  for (let i = 0; i < vectors.length; i += 15) segs.push(Buffer.from(vectors[i].tcp, 'hex'));
  // distinct option layouts matter more than distinct payloads: keep one segment per header
  const byHeader = new Map();
  for (const s of segs) {
    const hdr = ((s[12] ?? 0) >>> 4) * 4;
    const key = s.subarray(12, 14).toString('hex') + s.subarray(20, hdr).toString('hex');
    if (!byHeader.has(key)) byHeader.set(key, s.subarray(0, Math.min(s.length, hdr + 16)));
  }
  return [...byHeader.values()];
}

function write(target, seeds) {
  const dir = join(out, target);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const names = new Set();
  for (const s of seeds) {
    const name = createHash('sha1').update(s).digest('hex');
    names.add(name);
    writeFileSync(join(dir, name), s);
  }
  console.log(`${target}: ${names.size} seeds`);
}

const segs = segments();
write('decode-segment', segs);
// options: the first byte picks the start offset (0 here), then the options area
write(
  'options',
  segs.map((s) => Buffer.concat([Buffer.of(0), s.subarray(20, ((s[12] ?? 0) >>> 4) * 4)])).filter((b) => b.length > 1),
);
// decode-cli: a mode byte (json, addresses) then the hex text, spaced and plain
write(
  'decode-cli',
  segs.slice(0, 60).flatMap((s, i) => [Buffer.from(`${String.fromCharCode(i & 15)}${s.toString('hex')}`, 'latin1'), Buffer.from(`\x03${s.toString('hex').replace(/(..)/g, '$1 ')}`, 'latin1')]),
);
// the capture readers: the small capture files whole (libFuzzer's default max_len is 4096 for larger seeds)
const captures = [
  ...readdirSync(fx('captures')).map((n) => fx('captures', n)),
  ...readdirSync(fx('synthetic')).map((n) => fx('synthetic', n)),
].filter((p) => /\.pcap(ng)?$/.test(p) && statSync(p).size <= 16384);
write('pcap', captures.filter((p) => p.endsWith('.pcap')).map((p) => readFileSync(p)));
write('pcapng', captures.filter((p) => p.endsWith('.pcapng')).map((p) => readFileSync(p)));
