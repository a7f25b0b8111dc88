/**
 * Damaged and hostile input (issue 6), where test/capture/damaged.test.ts and
 * test/core/errors.test.ts do not already go:
 *
 * - memory stays bounded: a record or block claiming gigabytes fails at once, allocates nothing
 *   of what it claims, and is a TcpWireError, not a RangeError;
 * - captures cut at every byte offset through the fast path (forEachSegment) as well as
 *   readCapture: the segments of every intact record, then TRUNCATED at the cut record;
(The encoder's side is in ./hostile-encoder.test.ts.)
 */

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TcpWireError, buildIpPacket, encodeSegment, forEachSegment, readCapture } from '../../src/index.js';
import { openCapture } from '../../src/node.js';
import { FUZZ_SCALE } from './scale.js';

function readAll(b: Uint8Array): { frames: number[]; error: unknown } {
  const frames: number[] = [];
  try {
    for (const i of readCapture(b)) frames.push(i.frame);
    return { frames, error: undefined };
  } catch (error) {
    return { frames, error };
  }
}

/** Bytes of a little-endian u32 list. */
function le32(...words: number[]): Uint8Array {
  const b = new Uint8Array(words.length * 4);
  const dv = new DataView(b.buffer);
  words.forEach((w, i) => dv.setUint32(4 * i, w >>> 0, true));
  return b;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const PCAP_HEADER = le32(0xa1b2c3d4, 0x00040002, 0, 0, 65535, 101);
const SHB = le32(0x0a0d0d0a, 28, 0x1a2b3c4d, 0x00000001, 0xffffffff, 0xffffffff, 28);
const IDB = le32(1, 20, 101, 65535, 20);

/**
 * Runs `f`, which must throw a TcpWireError quickly, and checks that no buffer of anything like
 * the claimed size was allocated: process.memoryUsage().arrayBuffers grows by less than 1 MiB.
 */
function boundedFailure(f: () => void): TcpWireError {
  globalThis.gc?.();
  const before = process.memoryUsage().arrayBuffers;
  const t0 = performance.now();
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  const ms = performance.now() - t0;
  const grew = process.memoryUsage().arrayBuffers - before;
  expect(error, String(error)).toBeInstanceOf(TcpWireError);
  expect(error).not.toBeInstanceOf(RangeError);
  expect(ms).toBeLessThan(1000);
  expect(grew).toBeLessThan(1 << 20);
  return error as TcpWireError;
}

describe('lengths claiming gigabytes: a typed error at once, nothing allocated', () => {
  const pcapRecord = (caplen: number, origlen: number, data: Uint8Array) => concat(le32(1, 0, caplen, origlen), data);
  const packet = new Uint8Array(60).fill(0x45);

  it.each([
    ['a 100-byte pcap whose record claims 4 GB', 'BAD_RECORD', 24, concat(PCAP_HEADER, pcapRecord(0xffffffff, 0xffffffff, packet))],
    ['a pcap record claiming 16 MiB + 1 (beyond any capture)', 'BAD_RECORD', 24, concat(PCAP_HEADER, pcapRecord(16 * 1024 * 1024 + 1, 0xffffffff, packet))],
    ['a pcap record claiming 256 KiB in a 100-byte file (within the limit, past the end)', 'TRUNCATED', 24, concat(PCAP_HEADER, pcapRecord(262144, 262144, packet))],
    ['a pcapng block claiming 4 GB', 'BAD_RECORD', 48, concat(SHB, IDB, le32(6, 0xfffffffc, 0, 0, 0, 60, 60), packet)],
    ['a pcapng block claiming 16 MiB (within the limit, past the end)', 'TRUNCATED', 48, concat(SHB, IDB, le32(6, 16 * 1024 * 1024, 0, 0, 0, 60, 60), packet)],
  ])('%s: %s at byte %i', (_, code, offset, bytes) => {
    expect(bytes.length).toBeLessThan(200);
    const e = boundedFailure(() => {
      for (const item of readCapture(bytes)) void item;
    });
    expect([e.code, e.offset]).toEqual([code, offset]);
    const f = boundedFailure(() => forEachSegment(bytes, () => {}));
    expect([f.code, f.offset]).toEqual([code, offset]);
  });

  it('a pcapng packet block whose captured length claims 4 GB: that packet is malformed, nothing allocated, reading goes on', () => {
    const epb = (caplen: number) => concat(le32(6, 32 + 60, 0, 0, 0, caplen, 60), packet, le32(32 + 60));
    const bytes = concat(SHB, IDB, epb(0xffffffff), epb(60));
    const before = process.memoryUsage().arrayBuffers;
    const items = [...readCapture(bytes)];
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1 << 20);
    expect(items.map((i) => i.kind)).toEqual(['error', 'skipped']); // the second: IPv4 of protocol 0x45, not TCP
    const first = items[0];
    expect(first?.kind === 'error' && first.error.code).toBe('BAD_RECORD');
    expect(first?.capturedLength).toBe(60);
  });

  it('a simple packet block claiming an original length of 4 GB: captured length cut to the block', () => {
    const spb = concat(le32(3, 16 + 60, 0xffffffff), packet, le32(16 + 60));
    const items = [...readCapture(concat(SHB, IDB, spb))];
    expect(items).toHaveLength(1);
    expect(items[0]?.capturedLength).toBe(60);
    expect(items[0]?.originalLength).toBe(0xffffffff);
  });

  it('an interface option claiming 65535 bytes: the option list is cut there, the interface kept', () => {
    const idb = le32(1, 28, 101, 65535, 0xffff0009, 0, 28);
    const epb = concat(le32(6, 32 + 40, 0, 0, 0, 40, 40), buildIpPacket(encodeSegment({}), '192.0.2.1', '192.0.2.2'), le32(32 + 40));
    const items = [...readCapture(concat(SHB, idb, epb))];
    expect(items.map((i) => i.kind)).toEqual(['segment']);
  });

  it('streamed (openCapture): a pcapng block claiming 4 GB fails as soon as its length is read', async () => {
    const bytes = concat(SHB, IDB, le32(6, 0xfffffffc, 0, 0, 0, 60, 60));
    async function* forever(): AsyncGenerator<Uint8Array> {
      yield bytes;
      await new Promise(() => {}); // the rest never comes
    }
    const run = (async () => {
      try {
        for await (const i of openCapture(forever())) void i;
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    const got = await Promise.race([run, new Promise((r) => setTimeout(() => r('waited'), 2000))]);
    expect(got).toBeInstanceOf(TcpWireError);
    expect([(got as TcpWireError).code, (got as TcpWireError).offset]).toEqual(['BAD_RECORD', 48]);
  });
});

describe('every small capture cut at every byte offset, through forEachSegment too', () => {
  const dirs = ['captures', 'synthetic'].map((d) => new URL(`../../fixtures/${d}/`, import.meta.url));
  const files = dirs.flatMap((d) =>
    readdirSync(d)
      .filter((f) => /\.pcap(ng)?$/.test(f))
      .map((f) => new URL(f, d))
      // (scaled down, as the fuzz properties are, for Stryker's runs: the files under 1.5 KB)
      .filter((u) => statSync(u).size <= (FUZZ_SCALE < 1 ? 1500 : 6000)),
  );

  it.each(files.map((u) => [u.pathname.split('/').slice(-2).join('/'), u]))('%s', (_, url) => {
    const whole = new Uint8Array(readFileSync(url));
    const full = readAll(whole);
    expect(full.error).toBeUndefined();
    // Where each record ends, as the reader itself reports it: a cut at or after that end keeps it.
    const ends = [...readCapture(whole)].map((i) => ({ frame: i.frame, end: i.offsets.packet + i.capturedLength, kind: i.kind }));
    // (forEachSegment also hands out segments whose options are malformed, which readCapture reports as errors)
    const intactFrames = (cut: number) => ends.filter((e) => e.kind !== 'skipped' && e.end <= cut).map((e) => e.frame);
    for (let cut = 0; cut < whole.length; cut++) {
      const part = whole.subarray(0, cut);
      const r = readAll(part);
      const seen: number[] = [];
      let fastError: unknown;
      try {
        forEachSegment(part, (_v, meta) => {
          seen.push(meta.frame);
        });
      } catch (e) {
        fastError = e;
      }
      // readCapture's error and forEachSegment's are the same, and nothing else is ever thrown.
      if (r.error !== undefined) expect(r.error, `cut ${cut}`).toBeInstanceOf(TcpWireError);
      expect(String(fastError), `cut ${cut}`).toBe(String(r.error));
      expect((fastError as TcpWireError | undefined)?.offset).toBe((r.error as TcpWireError | undefined)?.offset);
      // the segments of every record that ends before the cut (pcapng blocks end 4 bytes after their data, at least)
      const intact = intactFrames(cut);
      expect(seen.every((f) => intact.includes(f)), `cut ${cut}: ${seen} of ${intact}`).toBe(true);
      expect(r.frames.length).toBeLessThanOrEqual(ends.filter((e) => e.end <= cut).length);
      if (r.error !== undefined) expect((r.error as TcpWireError).offset).toBeLessThanOrEqual(cut);
    }
  });
});

