/**
 * Damaged capture files: cut at every byte offset, record and block lengths corrupted,
 * garbage magic, random corruption. The rule: every intact record before the damage comes
 * out, then a TcpWireError with the file offset of the damaged record; never another kind of
 * exception, never a hang, never an allocation of what a length field claims.
 *
 * Record boundaries come from a walker written here, independent of the reader.
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type CaptureItem, TcpWireError, forEachSegment, readCapture } from '../../src/index.js';
import { openCapture } from '../../src/node.js';
import { CAPTURES_DIR, hex } from './fixtures.js';

const SYNTHETIC = new URL('../../fixtures/synthetic/', import.meta.url);
const load = (u: URL): Uint8Array => new Uint8Array(readFileSync(u));

/** Where each record ends, and how many frame numbers it uses: walked by the file format's rules alone. */
interface Layout {
  /** Offsets at which a cut leaves the file whole (after the header / after each block or record). */
  boundaries: Set<number>;
  /** For each packet record: [start, end). */
  records: Array<[number, number]>;
}

function layout(b: Uint8Array): Layout {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const boundaries = new Set<number>();
  const records: Array<[number, number]> = [];
  if (dv.getUint32(0) === 0x0a0d0d0a) {
    let le = true;
    for (let p = 0; p < b.length; ) {
      if (dv.getUint32(p) === 0x0a0d0d0a) le = dv.getUint32(p + 8, true) === 0x1a2b3c4d;
      const type = dv.getUint32(p, le);
      const len = dv.getUint32(p + 4, le);
      if (type === 2 || type === 3 || type === 6) records.push([p, p + len]);
      p += len;
      boundaries.add(p);
    }
  } else {
    const le = dv.getUint32(0, true) === 0xa1b2c3d4 || dv.getUint32(0, true) === 0xa1b23c4d;
    boundaries.add(24);
    for (let p = 24; p < b.length; ) {
      const end = p + 16 + dv.getUint32(p + 8, le);
      records.push([p, end]);
      p = end;
      boundaries.add(p);
    }
  }
  return { boundaries, records };
}

/** A compact picture of an item, enough to tell two apart. */
function sig(i: CaptureItem): string {
  if (i.kind === 'segment') return `${i.frame} seg ${i.offsets.tcp} ${i.checksum} ${hex(i.packet)}`;
  if (i.kind === 'skipped') return `${i.frame} skip ${i.reason}`;
  return `${i.frame} err ${i.error.code} ${i.error.offset}`;
}

function readAll(b: Uint8Array): { items: CaptureItem[]; error: unknown } {
  const items: CaptureItem[] = [];
  try {
    for (const i of readCapture(b)) items.push(i);
    return { items, error: undefined };
  } catch (error) {
    return { items, error };
  }
}

async function streamAll(chunks: AsyncIterable<Uint8Array>): Promise<{ items: CaptureItem[]; error: unknown }> {
  const items: CaptureItem[] = [];
  try {
    for await (const i of openCapture(chunks)) items.push(i);
    return { items, error: undefined };
  } catch (error) {
    return { items, error };
  }
}

async function* chunked(b: Uint8Array, sizes: readonly number[]): AsyncGenerator<Uint8Array> {
  let k = 0;
  for (let p = 0; p < b.length; k++) {
    const n = sizes[k % sizes.length] as number;
    yield b.slice(p, p + n); // a copy, as a stream would give
    p += n;
  }
}

const CUT_FILES: Array<[string, URL]> = [
  ['rst-closed.pcap', new URL('rst-closed.pcap', CAPTURES_DIR)],
  ['http-v4-be.pcap', new URL('http-v4-be.pcap', CAPTURES_DIR)],
  ['http-v4.pcapng', new URL('http-v4.pcapng', CAPTURES_DIR)],
  ['features.pcapng (three sections, both byte orders)', new URL('features.pcapng', SYNTHETIC)],
  ['snaplen.pcap', new URL('snaplen.pcap', SYNTHETIC)],
];

describe('a capture cut at every byte offset', () => {
  for (const [name, url] of CUT_FILES) {
    it(`${name}: every record before the cut, then TRUNCATED at the cut record's offset (or a clean end at a boundary)`, () => {
      const whole = load(url);
      const { boundaries, records } = layout(whole);
      const full = readAll(whole);
      expect(full.error).toBeUndefined();
      expect(full.items.length).toBe(records.length);
      const fullSigs = full.items.map(sig);
      for (let cut = 0; cut <= whole.length; cut++) {
        const { items, error } = readAll(whole.subarray(0, cut));
        const intact = records.filter(([, end]) => end <= cut).length;
        expect(items.map(sig), `cut at ${cut}`).toEqual(fullSigs.slice(0, intact));
        if (boundaries.has(cut)) {
          expect(error, `cut at ${cut} is a boundary`).toBeUndefined();
        } else {
          expect(error, `cut at ${cut}`).toBeInstanceOf(TcpWireError);
          const e = error as TcpWireError;
          expect(e.code, `cut at ${cut}: ${e.message}`).toBe('TRUNCATED');
          // the offset of the record (or block) the cut falls in; 0 inside the file header
          const starts = [0, ...boundaries].filter((s) => s <= cut && s < whole.length);
          expect(e.offset, `cut at ${cut}`).toBe(Math.max(...starts.filter((s) => s < cut || cut === 0)));
        }
      }
    });
  }

  it('streamed in chunks of every awkward size, the same items, the same offsets, the same error', async () => {
    for (const [name, url] of CUT_FILES) {
      const whole = load(url);
      const want = readAll(whole);
      const cuts = [whole.length, whole.length - 1, Math.floor(whole.length / 2), 30, 3];
      for (const cut of cuts) {
        const part = whole.subarray(0, cut);
        const ref = readAll(part);
        for (const sizes of [[1], [3, 7, 1], [16], [64, 5], [1 << 20]]) {
          const got = await streamAll(chunked(part, sizes));
          const where = `${name} cut ${cut} chunks ${sizes.join(',')}`;
          expect(got.items.map(sig), where).toEqual(ref.items.map(sig));
          expect(got.items.map((i) => JSON.stringify(i.offsets)), where).toEqual(ref.items.map((i) => JSON.stringify(i.offsets)));
          expect(String(got.error), where).toBe(String(ref.error));
          expect((got.error as TcpWireError | undefined)?.offset, where).toBe((ref.error as TcpWireError | undefined)?.offset);
        }
      }
      expect(want.error).toBeUndefined();
    }
  });
});

/** A copy of `b` with the u32 at `at` replaced (in the byte order `le`). */
function patched(b: Uint8Array, at: number, value: number, le: boolean): Uint8Array {
  const c = b.slice();
  new DataView(c.buffer).setUint32(at, value, le);
  return c;
}

describe('corrupted record lengths', () => {
  const pcap = load(new URL('http-v4.pcap', CAPTURES_DIR));
  const { records } = layout(pcap);
  const k = 5;
  const [start] = records[k] as [number, number];
  const reference = readAll(pcap).items.map(sig);

  it.each([
    ['0xFFFFFFFF', 0xffffffff, 'BAD_RECORD'],
    ['262145 (above any capture of this snaplen)', 262145, 'BAD_RECORD'],
    ['beyond the end of the file', pcap.length, 'TRUNCATED'],
  ])('pcap caplen %s: the records before it, then an error at its offset', (_, value, code) => {
    const { items, error } = readAll(patched(pcap, start + 8, value, true));
    expect(items.map(sig)).toEqual(reference.slice(0, k));
    expect(error).toBeInstanceOf(TcpWireError);
    expect((error as TcpWireError).code).toBe(code);
    expect((error as TcpWireError).offset).toBe(start);
  });

  it.each([0, 1])('pcap caplen %i: the records before it, the record itself reported malformed, then no crash', (value) => {
    const { items, error } = readAll(patched(pcap, start + 8, value, true));
    expect(items.slice(0, k).map(sig)).toEqual(reference.slice(0, k));
    const bad = items[k] as CaptureItem;
    expect(bad.kind).toBe('error');
    if (bad.kind === 'error') expect(bad.error.code).toBe('TRUNCATED');
    // What follows is the packet's bytes read as record headers: whatever comes, it is items or a TcpWireError.
    if (error !== undefined) expect(error).toBeInstanceOf(TcpWireError);
  });

  it('a stream whose record claims 4 GiB fails at once: it does not wait for (or allocate) the bytes', async () => {
    const bad = patched(pcap, start + 8, 0xffffffff, true).subarray(0, start + 16);
    async function* forever(): AsyncGenerator<Uint8Array> {
      yield bad;
      await new Promise(() => {}); // the rest never comes
    }
    const got = await Promise.race([streamAll(forever()), new Promise<string>((r) => setTimeout(() => r('waited'), 2000))]);
    expect(got).not.toBe('waited');
    const { items, error } = got as { items: CaptureItem[]; error: unknown };
    expect(items.map(sig)).toEqual(reference.slice(0, k));
    expect((error as TcpWireError).code).toBe('BAD_RECORD');
    expect((error as TcpWireError).offset).toBe(start);
  });

  const ng = load(new URL('http-v4.pcapng', CAPTURES_DIR));
  const ngLayout = layout(ng);
  const [ngStart, ngEnd] = ngLayout.records[k] as [number, number];
  const ngReference = readAll(ng).items.map(sig);
  it.each([
    ['0', ngStart + 4, 0, 'BAD_RECORD', ngStart],
    ['1', ngStart + 4, 1, 'BAD_RECORD', ngStart],
    ['13 (not a multiple of 4)', ngStart + 4, 13, 'BAD_RECORD', ngStart],
    ['0xFFFFFFFF', ngStart + 4, 0xffffffff, 'BAD_RECORD', ngStart],
    ['beyond the end of the file', ngStart + 4, ng.length, 'TRUNCATED', ngStart],
    ['a trailing copy that disagrees', ngEnd - 4, 28, 'BAD_RECORD', ngStart],
  ])('pcapng block length %s: the blocks before it, then an error at the block', (_, at, value, code, offset) => {
    const { items, error } = readAll(patched(ng, at, value, true));
    expect(items.map(sig)).toEqual(ngReference.slice(0, k));
    expect(error).toBeInstanceOf(TcpWireError);
    expect((error as TcpWireError).code).toBe(code);
    expect((error as TcpWireError).offset).toBe(offset);
  });

  it('pcapng EPB caplen beyond its block: that packet is malformed, the rest are read', () => {
    const { items, error } = readAll(patched(ng, ngStart + 20, 100000, true));
    expect(error).toBeUndefined();
    expect(items.map(sig).filter((_, i) => i !== k)).toEqual(ngReference.filter((_, i) => i !== k));
    const bad = items[k] as CaptureItem;
    expect(bad.kind === 'error' && bad.error.code).toBe('BAD_RECORD');
  });
});

describe('not a capture', () => {
  const pcap = load(new URL('http-v4.pcap', CAPTURES_DIR));
  it.each([
    ['empty', new Uint8Array(0), 'TRUNCATED', 0],
    ['text', new TextEncoder().encode('GET / HTTP/1.1\r\nHost: example\r\n\r\n'), 'BAD_MAGIC', 0],
    ['a pcap magic cut short', pcap.subarray(0, 3), 'TRUNCATED', 0],
    ['zeros', new Uint8Array(64), 'BAD_MAGIC', 0],
    ['the Kuznetzov pcap variant', patched(pcap, 0, 0xa1b2cd34, true), 'UNSUPPORTED', 0],
    ['pcapng with a bad byte-order magic', patched(load(new URL('http-v4.pcapng', CAPTURES_DIR)), 8, 0x12345678, true), 'BAD_MAGIC', 8],
    ['pcapng of version 2', (() => { const c = load(new URL('http-v4.pcapng', CAPTURES_DIR)); c[12] = 2; return c; })(), 'UNSUPPORTED', 12],
  ])('%s: an error at its start, nothing yielded', (_, bytes, code, offset) => {
    const { items, error } = readAll(bytes);
    expect(items).toEqual([]);
    expect(error).toBeInstanceOf(TcpWireError);
    expect((error as TcpWireError).code).toBe(code);
    expect((error as TcpWireError).offset).toBe(offset);
    expect(() => forEachSegment(bytes, () => {})).toThrow(TcpWireError);
  });
});

describe('random corruption', () => {
  // A small deterministic generator: the failures must be reproducible.
  let state = 0x2545f491;
  const rnd = (n: number): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
  for (const name of ['http-v4.pcap', 'http-v4.pcapng', 'http-v6.pcap', 'http-v4-sll2.pcap']) {
    it(`${name}: 1500 corrupted copies throw nothing but TcpWireError, in either reader`, () => {
      const whole = load(new URL(name, CAPTURES_DIR));
      for (let round = 0; round < 1500; round++) {
        const c = whole.slice();
        const flips = 1 + rnd(6);
        for (let f = 0; f < flips; f++) {
          const at = rnd(c.length);
          if (rnd(3) === 0 && at + 4 <= c.length) new DataView(c.buffer).setUint32(at, [0, 1, 0xffffffff, rnd(70000)][rnd(4)] as number, true);
          else c[at] = rnd(256);
        }
        const { items, error } = readAll(c);
        if (error !== undefined) expect(error, `round ${round}`).toBeInstanceOf(TcpWireError);
        for (const i of items) if (i.kind === 'error') expect(i.error).toBeInstanceOf(TcpWireError);
        try {
          forEachSegment(c, (v) => {
            try {
              void [v.mss, v.windowShift, v.tsval, [...v.options()].length];
            } catch (e) {
              expect(e).toBeInstanceOf(TcpWireError);
            }
          });
        } catch (e) {
          expect(e, `round ${round}`).toBeInstanceOf(TcpWireError);
        }
      }
    });
  }
});
