/**
 * The capture formats against the specifications (draft-ietf-opsawg-pcap, draft-ietf-opsawg-pcapng,
 * tcpdump.org's link-layer header types), on small files built here byte by byte. Written for
 * mutants that survived in src/capture/{pcap,pcapng,link,parser,record}.ts. Timestamps are checked
 * against BigInt arithmetic; everything else against the layout the drafts give.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaptureParser } from '../../src/capture/parser.js';
import { TimeResolution } from '../../src/capture/record.js';
import {
  type CaptureItem,
  TcpWireError,
  buildIpPacket,
  encodeSegment,
  isPcapMagic,
  isPcapngMagic,
  readCapture,
  readPcapFileHeader,
} from '../../src/index.js';

// --- builders ------------------------------------------------------------------------------------

const u32s = (le: boolean, ...w: number[]): number[] => {
  const b = new Uint8Array(4 * w.length);
  const dv = new DataView(b.buffer);
  w.forEach((x, i) => dv.setUint32(4 * i, x >>> 0, le));
  return Array.from(b);
};
const u16s = (le: boolean, ...w: number[]): number[] => {
  const b = new Uint8Array(2 * w.length);
  const dv = new DataView(b.buffer);
  w.forEach((x, i) => dv.setUint16(2 * i, x, le));
  return Array.from(b);
};
const pad4 = (a: number[]): number[] => [...a, ...new Array((4 - (a.length % 4)) % 4).fill(0)];

const IP = Array.from(buildIpPacket(encodeSegment({ srcPort: 1, dstPort: 2, flags: 'S' }), '192.0.2.1', '192.0.2.2'));
const ETH = (type: number, body: number[]): number[] => [...new Array(12).fill(0xaa), type >> 8, type & 255, ...body];

function pcap(records: Array<{ sec?: number; frac?: number; data: number[]; caplen?: number; orig?: number }>, o: { le?: boolean; nano?: boolean; link?: number; snaplen?: number } = {}): Uint8Array {
  const le = o.le ?? true;
  const head = [...u32s(le, o.nano ? 0xa1b23c4d : 0xa1b2c3d4), ...u16s(le, 2, 4), ...u32s(le, 0, 0, o.snaplen ?? 65535, o.link ?? 101)];
  const body = records.flatMap((r) => [...u32s(le, r.sec ?? 0, r.frac ?? 0, r.caplen ?? r.data.length, r.orig ?? r.data.length), ...r.data]);
  return Uint8Array.from([...head, ...body]);
}

const ngBlock = (le: boolean, type: number, body: number[]): number[] => {
  const b = pad4(body);
  return [...u32s(le, type, b.length + 12), ...b, ...u32s(le, b.length + 12)];
};
const shb = (le = true): number[] => ngBlock(le, 0x0a0d0d0a, [...u32s(le, 0x1a2b3c4d), ...u16s(le, 1, 0), ...u32s(le, 0xffffffff, 0xffffffff)]);
const opt = (le: boolean, code: number, value: number[]): number[] => [...u16s(le, code, value.length), ...pad4(value)];
const idb = (le: boolean, link: number, snaplen: number, options: number[][] = []): number[] =>
  ngBlock(le, 1, [...u16s(le, link, 0), ...u32s(le, snaplen), ...options.flat(), ...(options.length ? u16s(le, 0, 0) : [])]);
const epb = (le: boolean, id: number, high: number, low: number, data: number[], caplen = data.length, orig = data.length): number[] =>
  ngBlock(le, 6, [...u32s(le, id, high, low, caplen, orig), ...data]);
const spb = (le: boolean, orig: number, data: number[]): number[] => ngBlock(le, 3, [...u32s(le, orig), ...data]);
const pb = (le: boolean, id: number, data: number[]): number[] => ngBlock(le, 2, [...u16s(le, id, 0), ...u32s(le, 0, 0, data.length, data.length), ...data]);

function read(bytes: Uint8Array | number[]): { items: CaptureItem[]; error?: TcpWireError } {
  const items: CaptureItem[] = [];
  try {
    for (const i of readCapture(bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes))) items.push(i);
    return { items };
  } catch (e) {
    if (!(e instanceof TcpWireError)) throw e;
    return { items, error: e };
  }
}
const kinds = (r: { items: CaptureItem[] }): string[] => r.items.map((i) => (i.kind === 'error' ? `error ${i.error.code}@${i.error.offset}` : i.kind === 'skipped' ? `skipped ${i.reason}: ${i.message}` : 'segment'));

// --- pcap ----------------------------------------------------------------------------------------

describe('pcap (draft-ietf-opsawg-pcap)', () => {
  it('the file header in both byte orders, with the FCS length of the link-type field (bits 26, 28-31)', () => {
    for (const le of [true, false]) {
      const b = pcap([], { le, nano: true, link: (1 << 26) | (3 << 28) | 1, snaplen: 1234 });
      expect(readPcapFileHeader(b)).toEqual({ littleEndian: le, nanosecond: true, versionMajor: 2, versionMinor: 4, snaplen: 1234, linkType: 1, fcsLength: 6 });
      expect(readPcapFileHeader(pcap([], { le, link: (3 << 28) | 1 })).fcsLength).toBe(0); // bit 26 clear: no FCS length
      const shifted = Uint8Array.from([9, 9, 9, ...b]);
      expect(readPcapFileHeader(shifted, 3).snaplen).toBe(1234);
      expect(isPcapMagic(shifted, 3)).toBe(true);
      expect(isPcapMagic(shifted, 0)).toBe(false);
    }
    expect(isPcapMagic(Uint8Array.of(0xd4, 0xc3, 0xb2))).toBe(false);
    expect(isPcapMagic(Uint8Array.of(0x4d, 0x3c, 0xb2, 0xa1))).toBe(true);
    expect(isPcapMagic(Uint8Array.of(0xa1, 0xb2, 0x3c, 0x4d))).toBe(true);
    const at = (f: () => unknown): string => {
      try {
        f();
        return 'returned';
      } catch (e) {
        return `${(e as TcpWireError).code}@${(e as TcpWireError).offset}: ${(e as Error).message}`;
      }
    };
    expect(at(() => readPcapFileHeader(Uint8Array.of(0xd4, 0xc3, 0xb2)))).toBe('TRUNCATED@0: a pcap file starts with a 24-byte header, but only 3 bytes are there');
    expect(at(() => readPcapFileHeader(Uint8Array.of(1, 2, 3, 0xd4, 0xc3), 3))).toBe('TRUNCATED@3: a pcap file starts with a 24-byte header, but only 2 bytes are there');
    expect(at(() => readPcapFileHeader(pcap([]).subarray(0, 23)))).toBe('TRUNCATED@0: a pcap file starts with a 24-byte header, but only 23 bytes are there');
    expect(at(() => readPcapFileHeader(Uint8Array.of(0xa1, 0xb2, 0xcd, 0x34, ...new Array(20).fill(0))))).toMatch(/^UNSUPPORTED@0/);
    expect(at(() => readPcapFileHeader(Uint8Array.of(9, 9, 0xa1, 0xb2, 0xcd, 0x34, ...new Array(20).fill(0)), 2))).toMatch(/^UNSUPPORTED@2/);
  });

  it('timestamps: microseconds and nanoseconds, a fraction of a second or more carried into the seconds', () => {
    const cases: Array<[boolean, number, number, number, number]> = [
      [false, 10, 0, 10, 0],
      [false, 10, 999_999, 10, 999_999_000],
      [false, 10, 1_000_000, 11, 0],
      [false, 10, 2_500_001, 12, 500_001_000],
      [false, 10, 0xffff_ffff, 10 + 4294, 967_295_000],
      [true, 10, 999_999_999, 10, 999_999_999],
      [true, 10, 1_000_000_000, 11, 0],
      [true, 0xffff_ffff, 0xffff_ffff, 0xffff_ffff + 4, 294_967_295],
    ];
    for (const [nano, sec, frac, wantSec, wantNanos] of cases) {
      const [item] = read(pcap([{ sec, frac, data: IP }], { nano })).items;
      expect([item?.seconds, item?.nanos, item?.timestampNs], `${nano ? 'ns' : 'µs'} ${sec} ${frac}`).toEqual([wantSec, wantNanos, BigInt(wantSec) * 1_000_000_000n + BigInt(wantNanos)]);
    }
  });

  it('captured above original length: that record is malformed, at its length field; the next is read', () => {
    const r = read(pcap([{ data: IP, orig: IP.length - 1 }, { data: IP }]));
    expect(kinds(r)).toEqual(['error BAD_RECORD@32', 'segment']);
    expect(r.items.map((i) => [i.capturedLength, i.originalLength, i.offsets.record])).toEqual([[IP.length, IP.length - 1, 24], [IP.length, IP.length, 24 + 16 + IP.length]]);
  });
});

// --- pcapng --------------------------------------------------------------------------------------

describe('pcapng (draft-ietf-opsawg-pcapng)', () => {
  it('interface options: if_tsresol (10^-n and 2^-n), if_fcslen, if_tsoffset, padded values, a cut list', () => {
    for (const le of [true, false]) {
      const r = read([
        ...shb(le),
        ...idb(le, 101, 0, [opt(le, 9, [3]), opt(le, 13, [4]), opt(le, 14, Array.from(new Uint8Array(new BigInt64Array([-5n]).buffer)).reverse().map((x, i, a) => (le ? a[a.length - 1 - i] : x) as number))]),
        ...idb(le, 101, 0, [opt(le, 2, [1, 2, 3]), opt(le, 9, [0x80 | 10])]),
        ...idb(le, 101, 0, [opt(le, 9, [9]), opt(le, 9, [20])]),
        ...epb(le, 0, 0, 12_345, IP),
        ...epb(le, 1, 0, 3 * 1024 + 512, IP),
        ...epb(le, 2, 0, 1_000_000_001, IP),
      ]);
      expect(kinds(r), `le ${le}`).toEqual(['segment', 'segment', 'error BAD_RECORD@' + String((r.items[2]?.offsets.record ?? 0) + 8)]);
      expect([r.items[0]?.seconds, r.items[0]?.nanos]).toEqual([12 - 5, 345_000_000]);
      expect([r.items[1]?.seconds, r.items[1]?.nanos]).toEqual([3, 500_000_000]);
    }
  });

  it('an option list cut by the block, or with a value past it, keeps the options before', () => {
    const le = true;
    const cut = ngBlock(le, 1, [...u16s(le, 101, 0), ...u32s(le, 0), ...opt(le, 9, [9]), ...u16s(le, 13, 200), 1, 2, 3, 4]);
    const r = read([...shb(le), ...cut, ...epb(le, 0, 0, 1_500_000_000, IP)]);
    expect([r.items[0]?.seconds, r.items[0]?.nanos, r.items[0]?.kind]).toEqual([1, 500_000_000, 'segment']);
  });

  it('simple packet blocks: the captured length is the original length cut by the block and the snaplen', () => {
    const le = true;
    const data = [...IP, 0, 0, 0, 0];
    const r = read([...shb(le), ...idb(le, 101, 0), ...spb(le, IP.length, data), ...spb(le, 9999, data)]);
    expect(r.items.map((i) => [i.capturedLength, i.originalLength, i.kind])).toEqual([[IP.length, IP.length, 'segment'], [data.length, 9999, 'segment']]);
    const s = read([...shb(le), ...idb(le, 101, 30), ...spb(le, IP.length, IP)]);
    expect(s.items.map((i) => i.capturedLength)).toEqual([30]);
    const none = read([...shb(le), ...spb(le, IP.length, IP)]);
    expect(kinds(none)).toEqual([`error BAD_RECORD@28`]);
  });

  it('the obsolete packet block (16-bit interface id), blocks Wireshark numbers, and a second section with its own interfaces', () => {
    for (const le of [true, false]) {
      const r = read([
        ...shb(le),
        ...idb(le, 101, 0),
        ...pb(le, 0, IP),
        ...ngBlock(le, 0x00000bad, [1, 2, 3, 4]),
        ...ngBlock(le, 5, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
        ...epb(le, 0, 0, 0, IP),
        ...shb(!le),
        ...epb(!le, 0, 0, 0, IP),
        ...idb(!le, 1, 0),
        ...epb(!le, 0, 0, 0, ETH(0x0800, IP)),
      ]);
      expect(r.error).toBeUndefined();
      expect(r.items.map((i) => i.frame)).toEqual([1, 3, 4, 5]);
      expect(kinds(r)[2]).toMatch(/^error BAD_RECORD/); // the second section describes no interface 0 yet
      expect(r.items.map((i) => i.linkType)).toEqual([101, 101, -1, 1]);
    }
  });

  it('blocks too short for their type, and a section of another major version: the error and its offset', () => {
    const le = true;
    const short = (type: number, body: number[]) => [...shb(le), ...idb(le, 101, 0), ...ngBlock(le, type, body)];
    expect(read(short(6, new Array(16).fill(0))).error?.offset).toBe(48 + 4);
    expect(read(short(2, new Array(16).fill(0))).error?.offset).toBe(48 + 4);
    expect(read(short(3, [])).error?.offset).toBe(48 + 4);
    expect(read(short(1, [1, 0, 0, 0])).error?.offset).toBe(48 + 4);
    expect(read([...ngBlock(le, 0x0a0d0d0a, [...u32s(le, 0x1a2b3c4d), ...u16s(le, 1, 0)])]).error?.offset).toBe(4);
    const v2 = shb(le);
    v2[12] = 2;
    expect(read(v2).error?.code).toBe('UNSUPPORTED');
    expect(read(v2).error?.offset).toBe(12);
    for (const [b, want] of [[[0x0a, 0x0d, 0x0d, 0x0a], true], [[0x0a, 0x0d, 0x0d], false], [[0x0a, 0x0d, 0x0d, 0x0b], false], [[0x0b, 0x0d, 0x0d, 0x0a], false], [[0x0a, 0x0c, 0x0d, 0x0a], false], [[0x0a, 0x0d, 0x0c, 0x0a], false]] as const) {
      expect(isPcapngMagic(Uint8Array.from(b)), String(b)).toBe(want);
    }
    expect(isPcapngMagic(Uint8Array.of(1, 0x0a, 0x0d, 0x0d, 0x0a), 1)).toBe(true);
    expect(isPcapngMagic(Uint8Array.of(1, 0x0a, 0x0d, 0x0d), 1)).toBe(false);
  });
});

describe('TimeResolution: 64-bit tick counts to seconds and nanoseconds, as BigInt divides (truncating below a nanosecond)', () => {
  const bytes = [...Array.from({ length: 20 }, (_, e) => e), ...Array.from({ length: 64 }, (_, e) => 0x80 | e)];
  it('every if_tsresol a 64-bit count can hold, and none finer', () => {
    for (const b of bytes) expect(TimeResolution.fromByte(b), `tsresol 0x${b.toString(16)}`).toBeDefined();
    for (const b of [20, 21, 0x7f, 0x80 | 64, 0xff]) expect(TimeResolution.fromByte(b)).toBeUndefined();
  });
  it('seconds, nanoseconds and the digits worth printing', () => {
    fc.assert(
      fc.property(fc.constantFrom(...bytes), fc.oneof(fc.nat({ max: 0x1fffff }), fc.integer({ min: 0x200000, max: 0xffff_ffff }), fc.constant(0)), fc.nat({ max: 0xffff_ffff }), (byte, high, low) => {
        const r = TimeResolution.fromByte(byte) as TimeResolution;
        const binary = byte >= 0x80;
        const e = byte & 0x7f;
        const tps = binary ? 1n << BigInt(e) : 10n ** BigInt(e);
        const t = (BigInt(high) << 32n) | BigInt(low);
        const rec = { seconds: 0, nanos: 0 };
        r.apply(high, low, rec);
        const secs = t / tps;
        if (secs < 2n ** 53n) expect(BigInt(rec.seconds), `0x${byte.toString(16)} ${high} ${low}`).toBe(secs);
        else expect(Math.abs(rec.seconds - Number(secs)) / Number(secs)).toBeLessThan(1e-12);
        expect(rec.nanos, `0x${byte.toString(16)} ${high} ${low}`).toBe(Number(((t % tps) * 1_000_000_000n) / tps));
        let d = 0;
        while (10n ** BigInt(d) < tps) d++;
        expect(r.digits).toBe(d <= 6 ? 6 : 9);
        expect(r.ticksPerSecond).toBe(Number(tps));
      }),
      { numRuns: 6000 },
    );
  });
  it('a count past 2^53 at a resolution finer than 2^-32 s is divided exactly (the split 16-bit division would round 2^64-1 up to 2^64)', () => {
    const cases: Array<[number, number, number, number, number]> = [
      // [tsresol, high, low, seconds, nanos] from BigInt: (2^64-1) / 2^63 = 1 rest 2^63-1, 10^9·(2^63-1) / 2^63 truncated
      [0x80 | 63, 0xffff_ffff, 0xffff_ffff, 1, 999_999_999],
      // (2^64-1) / 2^40 = 2^24-1 rest 2^40-1
      [0x80 | 40, 0xffff_ffff, 0xffff_ffff, 0xff_ffff, 999_999_999],
      // (2^64-1) / 10^19 = 1 rest 8446744073709551615
      [19, 0xffff_ffff, 0xffff_ffff, 1, 844_674_407],
    ];
    for (const [byte, high, low, seconds, nanos] of cases) {
      const t = (BigInt(high) << 32n) | BigInt(low);
      const tps = byte >= 0x80 ? 1n << BigInt(byte & 0x7f) : 10n ** BigInt(byte);
      expect([BigInt(seconds), BigInt(nanos)]).toEqual([t / tps, ((t % tps) * 1_000_000_000n) / tps]);
      const rec = { seconds: -1, nanos: -1 };
      (TimeResolution.fromByte(byte) as TimeResolution).apply(high, low, rec);
      expect(rec, `tsresol 0x${byte.toString(16)}`).toEqual({ seconds, nanos });
    }
  });
});

// --- link layers ---------------------------------------------------------------------------------

describe('link layers (tcpdump.org LINKTYPE_*)', () => {
  const one = (link: number, frame: number[]): string => kinds(read(pcap([{ data: frame }], { link })))[0] as string;
  it('each decoded type finds the IP packet; a header cut short is TRUNCATED at the frame', () => {
    const cases: Array<[number, number[], number]> = [
      [1, ETH(0x0800, IP), 14],
      [1, ETH(0x8100, [0, 1, 0x08, 0x00, ...IP]), 18],
      [1, ETH(0x88a8, [0, 1, 0x81, 0x00, 0, 2, 0x08, 0x00, ...IP]), 22],
      [1, ETH(0x9100, [0, 1, 0x08, 0x00, ...IP]), 18],
      [113, [0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 0x08, 0x00, ...IP], 16],
      [276, [0x08, 0x00, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, ...IP], 20],
      [0, [2, 0, 0, 0, ...IP], 4],
      [0, [0, 0, 0, 2, ...IP], 4],
      [108, [0, 0, 0, 2, ...IP], 4],
      [101, IP, 0],
      [12, IP, 0],
      [14, IP, 0],
      [228, IP, 0],
    ];
    for (const [link, frame, ipAt] of cases) {
      const [item] = read(pcap([{ data: frame }], { link })).items;
      expect(item?.kind, `link ${link}`).toBe('segment');
      expect((item?.offsets.ip ?? 0) - (item?.offsets.packet ?? 0), `link ${link}`).toBe(ipAt);
      // cut inside the link header: TRUNCATED, at an offset inside the frame
      for (let cut = 0; cut < ipAt; cut++) {
        const r = one(link, frame.slice(0, cut));
        expect(r, `link ${link} cut ${cut}`).toMatch(/^error TRUNCATED@\d+$/);
        expect(Number(r.split('@')[1]), `link ${link} cut ${cut}`).toBeGreaterThanOrEqual(40);
        expect(Number(r.split('@')[1]), `link ${link} cut ${cut}`).toBeLessThanOrEqual(40 + cut);
      }
    }
  });
  it('short link headers: TRUNCATED with the offset of the part that is missing', () => {
    expect(one(1, new Array(13).fill(0))).toBe('error TRUNCATED@40');
    expect(one(1, ETH(0x8100, [0, 1]))).toBe('error TRUNCATED@54');
    expect(one(113, new Array(15).fill(0))).toBe('error TRUNCATED@40');
    expect(one(276, new Array(19).fill(0))).toBe('error TRUNCATED@40');
    expect(one(0, [2, 0, 0])).toBe('error TRUNCATED@40');
    expect(one(108, [0, 0, 2])).toBe('error TRUNCATED@40');
    expect(one(101, [])).toBe('error TRUNCATED@40');
  });
  it('what is not IP, and link types not decoded, are skipped, saying why', () => {
    expect(one(1, ETH(0x0806, new Array(28).fill(0)))).toBe('skipped not-ip: EtherType 0x0806 is not IP');
    expect(one(113, [0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 0x86, 0xdc])).toBe('skipped not-ip: EtherType 0x86dc is not IP');
    expect(one(0, [7, 0, 0, 0, ...IP])).toBe('skipped not-ip: address family 7 is not IP');
    expect(one(0, [0, 0, 0, 7, ...IP])).toBe('skipped not-ip: address family 7 is not IP');
    expect(one(108, [0, 0, 0, 24, ...IP])).toMatch(/^(segment|error)/); // AF_INET6 on OpenBSD: read as IP
    expect(one(101, [0x50, ...IP.slice(1)])).toBe('skipped not-ip: not an IP packet');
    expect(one(147, IP)).toBe('skipped link-type: link type 147 frames are not decoded');
    expect(one(105, IP)).toBe('skipped link-type: link type 105 frames are not decoded');
    for (const fam of [24, 28, 30]) expect(one(0, [fam, 0, 0, 0, ...IP]), `family ${fam}`).not.toMatch(/not-ip/);
  });
});

describe('the parser fed in pieces', () => {
  it('knows the format, the pcap header, and how far it has read, whatever the chunks', () => {
    const file = pcap([{ data: IP }, { data: IP }], { snaplen: 4321 });
    for (const size of [1, 3, 4, 5, 23, 24, 25, 40, 1000]) {
      const p = new CaptureParser();
      let frames = 0;
      for (let i = 0; i < file.length; i += size) {
        p.push(file.slice(i, i + size));
        while (p.next()) frames++;
      }
      p.finish();
      expect([frames, p.captureFormat, p.pcapHeader?.snaplen, p.consumed], `size ${size}`).toEqual([2, 'pcap', 4321, file.length]);
    }
    const ng = new CaptureParser();
    ng.push(Uint8Array.from(shb()));
    expect([ng.next(), ng.captureFormat, ng.pcapHeader]).toEqual([false, 'pcapng', undefined]);
  });
  it('ends: cleanly at a boundary, TRUNCATED inside a record or the header, BAD_MAGIC for garbage of 4 bytes or more', () => {
    const end = (chunks: number[][]): string => {
      const p = new CaptureParser();
      try {
        for (const c of chunks) {
          p.push(Uint8Array.from(c));
          while (p.next());
        }
        p.finish();
        return 'clean';
      } catch (e) {
        return `${(e as TcpWireError).code}@${(e as TcpWireError).offset}: ${(e as Error).message}`;
      }
    };
    const file = Array.from(pcap([{ data: IP }]));
    expect(end([file])).toBe('clean');
    expect(end([file.slice(0, 10), file.slice(10, 30)])).toBe('TRUNCATED@24: the capture ends inside the record that starts at byte 24 (6 of its bytes are there)');
    expect(end([file.slice(0, 3)])).toBe('TRUNCATED@0: the capture ends after 3 bytes, inside its file header');
    expect(end([file.slice(0, 2), file.slice(2, 20)])).toBe('TRUNCATED@0: the capture ends after 20 bytes, inside its file header');
    expect(end([[1, 2, 3, 4]])).toMatch(/^BAD_MAGIC@0: magic 0x01020304/);
    expect(end([[]])).toBe('TRUNCATED@0: the capture is empty: no pcap or pcapng header');
    expect(end([shb(), [1, 0, 0]])).toBe('TRUNCATED@28: the capture ends inside the block that starts at byte 28 (3 of its bytes are there)');
  });
});

describe('edges found by mutation testing', () => {
  const msg = (r: { items: CaptureItem[]; error?: TcpWireError }): string[] => [
    ...r.items.map((i) => (i.kind === 'error' ? `${i.error.code}@${i.error.offset}: ${i.error.message}` : i.kind)),
    ...(r.error ? [`${r.error.code}@${r.error.offset}: ${r.error.message}`] : []),
  ];
  /** The problems of a read (error items, then the error that stopped it): each with the code and offset expected, naming these pieces. */
  const problems = (r: { items: CaptureItem[]; error?: TcpWireError }, want: Array<[code: string, offset: number, pieces: string[]]>, what: string) => {
    const got = [...r.items.flatMap((i) => (i.kind === 'error' ? [i.error] : [])), ...(r.error ? [r.error] : [])];
    expect(got.map((e) => [e.code, e.offset]), what).toEqual(want.map(([code, offset]) => [code, offset]));
    got.forEach((e, k) => {
      for (const piece of (want[k] as [string, number, string[]])[2]) expect(e.message, `${what}: names ${piece}`).toContain(piece);
    });
  };
  it('link headers of exactly their length: the IP packet is missing, not the link header', () => {
    const one = (link: number, frame: number[]) => msg(read(pcap([{ data: frame }], { link })));
    expect(one(1, ETH(0x0800, []))).toEqual(['TRUNCATED@54: no bytes where an IP header should be']);
    expect(one(1, ETH(0x8100, [0, 1, 0x08, 0x00]))).toEqual(['TRUNCATED@58: no bytes where an IP header should be']);
    expect(one(113, [0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 0x08, 0x00])).toEqual(['TRUNCATED@56: no bytes where an IP header should be']);
    expect(one(276, [0x08, 0x00, ...new Array(18).fill(0)])).toEqual(['TRUNCATED@60: no bytes where an IP header should be']);
    expect(one(0, [2, 0, 0, 0])).toEqual(['TRUNCATED@44: no bytes where an IP header should be']);
    expect(one(108, [0, 0, 0, 2])).toEqual(['TRUNCATED@44: no bytes where an IP header should be']);
    // One byte where a link header should be (0 for raw IP): the header is cut short, at the packet's start (byte 24 + 16),
    // or for a VLAN tag after Ethernet's 14 bytes; each sentence names the header, its length and the bytes there.
    const cut = (link: number, frame: number[], offset: number, pieces: string[]) => problems(read(pcap([{ data: frame }], { link })), [['TRUNCATED', offset, pieces]], `link ${link}`);
    cut(1, [1], 40, ['Ethernet', '14 bytes', 'only 1']);
    cut(1, ETH(0x8100, [0]), 54, ['VLAN', '4 bytes', 'only 1']);
    cut(113, [1], 40, ['SLL', '16 bytes', 'only 1']);
    cut(276, [1], 40, ['SLL2', '20 bytes', 'only 1']);
    cut(0, [1], 40, ['BSD null', '4 bytes', 'only 1']);
    cut(108, [1], 40, ['OpenBSD loop', '4 bytes', 'only 1']);
    cut(101, [], 40, ['raw IP', '1 bytes', 'only 0']);
  });
  it('the parser: no format before a magic; finish() alone judges what was pushed; a header-only pcap is a clean, empty capture', () => {
    expect(new CaptureParser().captureFormat).toBeUndefined();
    for (const bytes of [[1, 2, 3, 4], [1, 2, 3, 4, 5]]) {
      const p = new CaptureParser();
      p.push(Uint8Array.from(bytes));
      expect(() => p.finish()).toThrow(/magic 0x01020304/);
    }
    expect(read(pcap([]))).toEqual({ items: [] });
    expect(isPcapMagic(Uint8Array.of(0xd4, 0xc3, 0xb2, 0xa1, 0), 3)).toBe(false);
    expect(isPcapMagic(Uint8Array.of(0, 0xd4, 0xc3, 0xb2, 0xa1), 1)).toBe(true);
  });
  it('pcapng interface options: END ends the list, a value past the block is ignored, a value ending at the block is read, other codes are not taken for tsresol or tsoffset', () => {
    const le = true;
    const ts = (idbBytes: number[]) => {
      const [i] = read([...shb(le), ...idbBytes, ...epb(le, 0, 0, 1_500_000_000, IP)]).items;
      return [i?.seconds, i?.nanos];
    };
    const idbRaw = (opts: number[]) => ngBlock(le, 1, [...u16s(le, 101, 0), ...u32s(le, 0), ...opts]);
    expect(ts(idbRaw([...u16s(le, 0, 0), ...opt(le, 9, [9])]))).toEqual([1500, 0]); // after END: not read (µs)
    expect(ts(idbRaw([...u16s(le, 9, 200), 9, 0, 0, 0]))).toEqual([1500, 0]); // value past the block: ignored
    expect(ts(idbRaw([...u16s(le, 9, 4), 9, 0, 0, 0]))).toEqual([1, 500_000_000]); // ends exactly at the block: read (ns)
    expect(ts(idbRaw([...opt(le, 9, [6]), ...opt(le, 2, [9])]))).toEqual([1500, 0]); // if_name is not tsresol
    expect(ts(idbRaw([...opt(le, 2, [1, 2, 3, 4, 5, 6, 7, 8])]))).toEqual([1500, 0]); // 8 bytes of if_name are not an offset
    expect(ts(idbRaw([...opt(le, 14, [100, 0, 0, 0])]))).toEqual([1500, 0]); // a 4-byte if_tsoffset is not read
    expect(ts(idbRaw([...opt(le, 14, [100, 0, 0, 0, 0, 0, 0, 0])]))).toEqual([1600, 0]);
  });
  it('pcapng blocks: damage in a block of 8 or 12 bytes, a second section with a bad byte-order magic, an empty packet, drop counts of old packet blocks', () => {
    const le = true;
    // the section header is 28 bytes: the next block starts at byte 28
    problems(read([...shb(le), ...u32s(le, 1, 8)]), [['BAD_RECORD', 28, ['block at byte 28', 'length 8', 'multiple of 4', '12']]], 'a block of 8 bytes');
    // a 12-byte section header whose trailing length (bytes 8-11) is the byte-order magic's word
    problems(read(u32s(le, 0x0a0d0d0a, 12, 0x1a2b3c4d)), [['BAD_RECORD', 0, ['byte 0', 'length 12', String(0x1a2b3c4d), 'byte 8']]], 'a section header of 12 bytes');
    const bad = shb(le);
    bad.splice(8, 4, ...u32s(le, 0x11223344));
    // a second section (at byte 28) with a bad byte-order magic (at its byte 8) is damage, not another format: BAD_RECORD;
    // the magic is shown as its bytes in the file
    problems(read([...shb(le), ...bad]), [['BAD_RECORD', 36, ['section header at byte 28', 'byte-order magic', `0x${Buffer.from(u32s(le, 0x11223344)).toString('hex')}`, '1a2b3c4d']]], 'a second section');
    expect(msg(read([...shb(le), ...idb(le, 101, 0), ...epb(le, 0, 0, 0, [])]))).toEqual(['TRUNCATED@76: a raw IP packet needs 1 bytes, but only 0 were captured']);
    const pbDrops = ngBlock(le, 2, [...u16s(le, 0, 5), ...u32s(le, 0, 0, IP.length, IP.length), ...IP]);
    expect(msg(read([...shb(le), ...idb(le, 101, 0), ...pbDrops]))).toEqual(['segment']);
    // after the 28-byte section header and the 20-byte interface, a block at byte 48 (its length field at 52) below its minimum:
    // an enhanced packet block of 12 + 16 = 28 bytes (minimum 32), a simple packet block of 12 (minimum 16)
    problems(read([...shb(le), ...idb(le, 101, 0), ...ngBlock(le, 6, new Array(16).fill(0))]), [['BAD_RECORD', 52, ['packet block at byte 48', 'length 28', '32']]], 'a packet block of 28 bytes');
    problems(read([...shb(le), ...idb(le, 101, 0), ...ngBlock(le, 3, [])]), [['BAD_RECORD', 52, ['simple packet block at byte 48', 'length 12', '16']]], 'a simple packet block of 12 bytes');
    // a section header of 12 + 8 = 20 bytes (minimum 28), its length field at byte 4
    problems(read([...ngBlock(le, 0x0a0d0d0a, [...u32s(le, 0x1a2b3c4d), ...u16s(le, 1, 0)])]), [['BAD_RECORD', 4, ['section header block at byte 0', 'length 20', '28']]], 'a section header of 20 bytes');
  });
  it('a packet whose record is wrong and whose interface is too: the record\'s problem is the one told; no interface: link type -1', () => {
    const le = true;
    const r = read([...shb(le), ...idb(le, 101, 0, [opt(le, 9, [30])]), ...epb(le, 0, 0, 0, IP, IP.length, IP.length - 1), ...epb(le, 0, 0, 0, IP)]);
    // section header 28 bytes, interface 32 (with if_tsresol 30 = 0x1e): the first packet at byte 60 (its captured
    // length at +20), the second after its 32 + IP.length bytes (its interface id at +8)
    const second = 60 + 32 + IP.length;
    problems(
      r,
      [
        ['BAD_RECORD', 60 + 20, ['packet block at byte 60', `${IP.length} bytes`, `${IP.length - 1}-byte packet`]],
        ['BAD_RECORD', second + 8, ['if_tsresol', `0x${(30).toString(16)}`]],
      ],
      'a packet too long for its packet, then an interface with a bad resolution',
    );
    const none = read([...shb(le), ...spb(le, IP.length, IP)]);
    expect(none.items[0]?.linkType).toBe(-1);
  });
});

describe('last capture edges', () => {
  it('a tick count of exactly 2^53 + 1 microseconds is split exactly', () => {
    const r = TimeResolution.fromByte(6) as TimeResolution;
    for (const low of [1, 3, 999_999, 0xffff_ffff]) {
      const rec = { seconds: 0, nanos: 0 };
      r.apply(0x200000, low, rec);
      const t = (0x200000n << 32n) | BigInt(low);
      expect([BigInt(rec.seconds), rec.nanos], `low ${low}`).toEqual([t / 1_000_000n, Number(t % 1_000_000n) * 1000]);
    }
  });
  it('an if_tsresol without a value is not read from the next option', () => {
    const le = true;
    const idbRaw = ngBlock(le, 1, [...u16s(le, 101, 0), ...u32s(le, 0), ...u16s(le, 9, 0), ...opt(le, 2, [7, 7, 7, 7])]);
    const [i] = read([...shb(le), ...idbRaw, ...epb(le, 0, 0, 1_500_000_000, IP)]).items;
    expect([i?.seconds, i?.nanos]).toEqual([1500, 0]);
  });
  it('a byte-order magic with leading zero digits is printed whole', () => {
    const le = true;
    const bad = shb(le);
    bad.splice(8, 4, ...u32s(le, 0x00000001));
    expect(read([...shb(le), ...bad]).error?.message).toBe('section header at byte 28 has byte-order magic 0x01000000, not 1a2b3c4d');
  });
});

describe('the largest pcap record the reader takes: the snaplen, at least 256 KiB, at most 16 MiB', () => {
  it('a record claiming 256 KiB + 1 under a snaplen of 65535 is damage at once (BAD_RECORD at the record), not a record to wait for', () => {
    const r = read(pcap([{ data: IP, caplen: 262_145, orig: 262_145 }], { snaplen: 65535 }));
    expect(r.items).toEqual([]);
    expect([r.error?.code, r.error?.offset]).toEqual(['BAD_RECORD', 24]);
  });

  it('under a snaplen of 2^31 the limit is 16 MiB: a record of 16 MiB + 1 is damage, one of 16 MiB is a cut file', () => {
    const over = read(pcap([{ data: IP, caplen: 16 * 1024 * 1024 + 1, orig: 16 * 1024 * 1024 + 1 }], { snaplen: 0x80000000 }));
    expect([over.error?.code, over.error?.offset]).toEqual(['BAD_RECORD', 24]);
    const at = read(pcap([{ data: IP, caplen: 16 * 1024 * 1024, orig: 16 * 1024 * 1024 }], { snaplen: 0x80000000 }));
    expect([at.error?.code, at.error?.offset]).toEqual(['TRUNCATED', 24]);
  });
});
