/**
 * Reading TCP segments out of pcap and pcapng captures, in two forms:
 *
 * - {@link readCapture}: an iterator of plain items, one per packet record: a decoded
 *   segment (`kind: 'segment'`), a record without a TCP header (`kind: 'skipped'`: not IP,
 *   not TCP, a non-first fragment, a link type tcpwire does not decode), or a record whose
 *   link, IP or TCP header is malformed (`kind: 'error'`). Frame numbers count every record,
 *   as tshark's do.
 * - {@link forEachSegment}: the hot path. One reused {@link TcpView} and one reused
 *   {@link SegmentMeta} per capture, a callback per TCP segment, nothing allocated per packet.
 *
 * Damage to the file itself (a cut record, a length past the end or beyond any capture, a
 * garbage magic) ends reading: every intact record before it comes out first, then a
 * {@link TcpWireError} with the file offset of the damaged record.
 */

import { TcpWireError } from '../errors.js';
import { decodeIpv4, type Ipv4Header } from '../ip/ipv4.js';
import { decodeIpv6, type Ipv6Header } from '../ip/ipv6.js';
import { LOCATE, TcpLocation, locateTcpIn } from '../ip/locate.js';
import { FIELD, HEADER_LEN } from '../layout.js';
import { type TcpSegment, decodeSegment } from '../segment.js';
import { TcpView } from '../view.js';
import { LINK, LinkLocation, findIp, linkTypeName } from './link.js';
import { CaptureParser, type CaptureFormat } from './parser.js';
import type { RawRecord } from './record.js';
import { type ChecksumVerdict, segmentVerdict } from './verdict.js';

/** Where an item's parts sit in the capture file (byte offsets from the file's start; -1 when absent). */
export interface CaptureOffsets {
  /** The record header (pcap) or block (pcapng). */
  record: number;
  /** The first captured byte of the packet: its link-layer header. */
  packet: number;
  /** The IP header, or -1. */
  ip: number;
  /** The TCP header, or -1. */
  tcp: number;
  /** The TCP payload, or -1. */
  payload: number;
}

/** What every item says about its record. */
export interface CaptureRecordInfo {
  /** Record number, from 1, counting every packet record of the file (tshark's frame.number). */
  frame: number;
  /** Capture time in nanoseconds since 1970-01-01 UTC, every digit kept. */
  timestampNs: bigint;
  /** Whole seconds of the capture time. */
  seconds: number;
  /** Nanoseconds within the second, 0..999 999 999. */
  nanos: number;
  /** Link-layer header type (LINKTYPE_*); -1 if a pcapng packet names an undescribed interface. */
  linkType: number;
  /** pcapng interface id; 0 for pcap. */
  interfaceId: number;
  /** Bytes captured. */
  capturedLength: number;
  /** Bytes on the wire. */
  originalLength: number;
  /** The captured bytes of the packet (a view into the capture, no copy). */
  packet: Uint8Array;
  offsets: CaptureOffsets;
}

/** A TCP segment found in a record. */
export interface CaptureSegment extends CaptureRecordInfo {
  kind: 'segment';
  /** The IP header around the segment; `ip.version` tells which. */
  ip: Ipv4Header | Ipv6Header;
  /** The segment as captured (its payload may be short when {@link truncated}). */
  tcp: TcpSegment;
  /** `unverified` when the segment was not captured whole; see {@link ChecksumVerdict}. */
  checksum: ChecksumVerdict;
  /** TCP length (header + payload) by the IP header's lengths. */
  tcpLength: number;
  /** True if fewer than {@link tcpLength} bytes of the segment are in the record. */
  truncated: boolean;
  /** True if the IP packet is the first fragment of a fragmented datagram. */
  fragment: boolean;
  /** True if the IP length field was 0 (segmentation offload) and the captured length was used. */
  lengthFromCapture: boolean;
}

/** Why a record holds no TCP header. */
export type SkipReason = 'link-type' | 'not-ip' | 'not-tcp' | 'non-first-fragment';

/** A record without a TCP header. */
export interface CaptureSkipped extends CaptureRecordInfo {
  kind: 'skipped';
  reason: SkipReason;
  /** The same in words. */
  message: string;
  /** The IP header, when the record holds IP (`not-tcp`, `non-first-fragment`); else null. */
  ip: Ipv4Header | Ipv6Header | null;
}

/** A record whose contents are malformed (its link, IP or TCP header, or the record's own lengths). */
export interface CaptureError extends CaptureRecordInfo {
  kind: 'error';
  /** What is wrong, with the file offset of the bad bytes. */
  error: TcpWireError;
}

/** One item per packet record. */
export type CaptureItem = CaptureSegment | CaptureSkipped | CaptureError;

/** Options for {@link readCapture} and `openCapture`. */
export interface ReadCaptureOptions {
  /** Verify each TCP checksum (default true). When false every verdict is `unverified`. */
  verifyChecksums?: boolean;
  /** Yield `skipped` items (default true). When false, only segments and errors come out; frame numbers still count every record. */
  skipped?: boolean;
}

/** Counts of what a capture held. */
export interface CaptureStats {
  /** `pcap` or `pcapng` (undefined only if nothing was read). */
  format: CaptureFormat | undefined;
  /** Packet records read. */
  records: number;
  /** TCP segments handed to the callback. */
  segments: number;
  /** Records without a TCP header. */
  skipped: number;
  /** Records that were malformed. */
  malformed: number;
}

const SEGMENT = 0;
const SKIP_LINK = 1;
const SKIP_NOT_IP = 2;
const SKIP_NOT_TCP = 3;
const SKIP_FRAGMENT = 4;

/**
 * Link and IP dissection of one record into reused objects. Offsets index the parser's
 * buffer. Returns one of SEGMENT / SKIP_*; throws TcpWireError (buffer offsets) for malformed headers.
 */
class Dissector {
  readonly link = new LinkLocation();
  readonly loc = new TcpLocation();

  run(bytes: Uint8Array, view: DataView, rec: RawRecord): number {
    const ls = findIp(bytes, view, rec.dataOffset, rec.capturedLength, rec.linkType, this.link);
    if (ls !== LINK.IP) return ls === LINK.UNSUPPORTED ? SKIP_LINK : SKIP_NOT_IP;
    const ipOffset = this.link.ipOffset;
    const st = locateTcpIn(bytes, view, ipOffset, rec.dataOffset + rec.capturedLength - ipOffset, this.loc);
    if (st === LOCATE.TCP) return SEGMENT;
    return st === LOCATE.NOT_TCP ? SKIP_NOT_TCP : SKIP_FRAGMENT;
  }

  /** Bytes of the TCP segment present in the record. */
  captured(rec: RawRecord): number {
    const have = rec.dataOffset + rec.capturedLength - this.loc.tcpOffset;
    return have < this.loc.tcpLength ? have : this.loc.tcpLength;
  }
}

/** The same error with its offset moved by `base` (buffer offset to file offset). */
function rebased(e: unknown, base: number): TcpWireError {
  if (e instanceof TcpWireError) return base === 0 || e.offset < 0 ? e : new TcpWireError(e.code, e.message, e.offset + base);
  throw e;
}

/**
 * Per-segment facts for {@link forEachSegment}'s callback. One object is reused for every
 * segment: copy what you need to keep. Offsets index `view.bytes` (the buffer holding the
 * segment); add {@link base} for file offsets.
 */
export class SegmentMeta {
  /** Record number from 1, counting every packet record. */
  frame = 0;
  /** Whole seconds of the capture time. */
  seconds = 0;
  /** Nanoseconds within the second. */
  nanos = 0;
  /** Link-layer header type. */
  linkType = 0;
  /** pcapng interface id; 0 for pcap. */
  interfaceId = 0;
  /** Bytes captured in the record. */
  capturedLength = 0;
  /** Bytes on the wire. */
  originalLength = 0;
  /** File offset of `bytes[0]` (0 for an in-memory capture). */
  base = 0;
  /** Offset of the record header or block. */
  recordOffset = 0;
  /** Offset of the captured packet (its link-layer header). */
  packetOffset = 0;
  /** 4 or 6. */
  ipVersion = 0;
  /** Offset of the IP header. */
  ipOffset = 0;
  /** Offset of the TCP header (= view.offset). */
  tcpOffset = 0;
  /** TCP length by the IP header (may exceed view.length when truncated). */
  tcpLength = 0;
  /** Offset of the IP source address (4 or 16 bytes). */
  srcOffset = 0;
  /** Offset of the destination address used in the pseudo-header. */
  dstOffset = 0;
  /** True if the segment was not captured whole. */
  truncated = false;
  /** True if the IP packet is a first fragment. */
  fragment = false;
  private bytes: Uint8Array = new Uint8Array(0);
  private dv: DataView = new DataView(new ArrayBuffer(0));

  /** @internal Points the meta at the parser's current buffer. */
  attach(bytes: Uint8Array, view: DataView, base: number): void {
    this.bytes = bytes;
    this.dv = view;
    this.base = base;
  }

  /** The checksum verdict of the current segment (sums the segment: call it only when you want it). */
  checksum(): ChecksumVerdict {
    if (this.truncated || this.fragment) return 'unverified';
    return segmentVerdict(this.dv, this.bytes, this.tcpOffset, this.tcpLength, this.srcOffset, this.dstOffset, this.ipVersion === 4 ? 4 : 16);
  }
}

/** Options for {@link forEachSegment}. */
export interface ForEachSegmentOptions {
  /** Called for each malformed record (its frame number and the error, with file offsets). */
  onError?: (error: TcpWireError, frame: number) => void;
}

/**
 * The callback of {@link forEachSegment}: the segment as a {@link TcpView} and its
 * {@link SegmentMeta}, both reused for the next segment. Return `false` to stop reading.
 */
export type SegmentCallback = (view: TcpView, meta: SegmentMeta) => void | boolean;

/** @internal The fast loop, shared by the in-memory and streaming readers. */
export class SegmentScanner {
  readonly meta = new SegmentMeta();
  readonly stats: CaptureStats = { format: undefined, records: 0, segments: 0, skipped: 0, malformed: 0 };
  private readonly dissector = new Dissector();
  private view: TcpView | undefined;
  private readonly fn: SegmentCallback;
  private readonly onError: ((error: TcpWireError, frame: number) => void) | undefined;
  private stopped = false;

  constructor(fn: SegmentCallback, options: ForEachSegmentOptions = {}) {
    this.fn = fn;
    this.onError = options.onError;
  }

  /** Handles every record the parser can give now. Returns false once the callback asked to stop. */
  scan(parser: CaptureParser): boolean {
    if (this.stopped) return false;
    const rec = parser.record;
    const d = this.dissector;
    const loc = d.loc;
    const meta = this.meta;
    const stats = this.stats;
    let attached: Uint8Array | undefined;
    while (parser.next()) {
      const bytes = parser.buffer;
      const dv = parser.view;
      if (bytes !== attached) {
        meta.attach(bytes, dv, parser.base);
        attached = bytes;
      }
      stats.records++;
      let st: number;
      let tcpLen = 0;
      try {
        if (rec.problem !== '') throw new TcpWireError('BAD_RECORD', rec.problem, rec.problemOffset - parser.base);
        st = d.run(bytes, dv, rec);
        if (st === SEGMENT) {
          tcpLen = d.captured(rec);
          if (this.view === undefined) this.view = new TcpView(bytes, loc.tcpOffset, tcpLen);
          else this.view.reset(bytes, loc.tcpOffset, tcpLen);
        }
      } catch (e) {
        stats.malformed++;
        if (this.onError !== undefined) this.onError(rebased(e, parser.base), parser.frames);
        continue;
      }
      if (st !== SEGMENT) {
        stats.skipped++;
        continue;
      }
      stats.segments++;
      meta.frame = parser.frames;
      meta.seconds = rec.seconds;
      meta.nanos = rec.nanos;
      meta.linkType = rec.linkType;
      meta.interfaceId = rec.interfaceId;
      meta.capturedLength = rec.capturedLength;
      meta.originalLength = rec.originalLength;
      meta.recordOffset = rec.offset;
      meta.packetOffset = rec.dataOffset;
      meta.ipVersion = loc.ipVersion;
      meta.ipOffset = loc.ipOffset;
      meta.tcpOffset = loc.tcpOffset;
      meta.tcpLength = loc.tcpLength;
      meta.srcOffset = loc.srcOffset;
      meta.dstOffset = loc.pseudoDstOffset;
      meta.truncated = tcpLen < loc.tcpLength;
      meta.fragment = loc.fragment;
      if (this.fn(this.view as TcpView, meta) === false) {
        this.stopped = true;
        return false;
      }
    }
    stats.format = parser.captureFormat;
    return true;
  }
}

/**
 * Calls `fn` for every TCP segment in an in-memory pcap or pcapng capture, with one reused
 * {@link TcpView} and one reused {@link SegmentMeta}: the fastest way through a capture.
 * Records without TCP are counted as skipped, malformed ones as malformed (and given to
 * `options.onError`). Checksums are not verified unless you call `meta.checksum()`.
 * The view has checked the fixed header and the data offset; options are read only when a
 * getter asks, and a malformed option list throws `TcpWireError` then (where
 * {@link readCapture} would have reported the record as an error).
 *
 * ```ts
 * let bytes = 0;
 * const stats = forEachSegment(capture, (tcp) => { bytes += tcp.payloadLength; });
 * ```
 * @returns the counts, once the whole capture was read (or `fn` returned false).
 * @throws {TcpWireError} for a damaged file, after `fn` has seen every intact record before the damage.
 */
export function forEachSegment(bytes: Uint8Array, fn: SegmentCallback, options: ForEachSegmentOptions = {}): CaptureStats {
  const parser = new CaptureParser();
  const scanner = new SegmentScanner(fn, options);
  parser.push(bytes);
  if (scanner.scan(parser)) parser.finish();
  scanner.stats.format = parser.captureFormat;
  return scanner.stats;
}

/** @internal Builds items from the parser's current record; shared with `openCapture`. */
export class ItemBuilder {
  private readonly dissector = new Dissector();
  private readonly verify: boolean;
  readonly skipped: boolean;

  constructor(options: ReadCaptureOptions = {}) {
    this.verify = options.verifyChecksums ?? true;
    this.skipped = options.skipped ?? true;
  }

  /** The item for the parser's current record, or undefined for a skipped record when skipped items are off. */
  build(parser: CaptureParser): CaptureItem | undefined {
    const rec = parser.record;
    const bytes = parser.buffer;
    const view = parser.view;
    const base = parser.base;
    const info: CaptureRecordInfo = {
      frame: parser.frames,
      timestampNs: BigInt(rec.seconds) * 1_000_000_000n + BigInt(rec.nanos),
      seconds: rec.seconds,
      nanos: rec.nanos,
      linkType: rec.linkType,
      interfaceId: rec.interfaceId,
      capturedLength: rec.capturedLength,
      originalLength: rec.originalLength,
      packet: bytes.subarray(rec.dataOffset, rec.dataOffset + rec.capturedLength),
      offsets: { record: base + rec.offset, packet: base + rec.dataOffset, ip: -1, tcp: -1, payload: -1 },
    };
    const d = this.dissector;
    const loc = d.loc;
    let st: number;
    try {
      if (rec.problem !== '') throw new TcpWireError('BAD_RECORD', rec.problem, rec.problemOffset - base);
      st = d.run(bytes, view, rec);
    } catch (e) {
      return { kind: 'error', ...info, error: rebased(e, base) };
    }
    if (st === SKIP_LINK || st === SKIP_NOT_IP) {
      if (!this.skipped) return undefined;
      const link = d.link;
      const what =
        st === SKIP_LINK
          ? `${linkTypeName(rec.linkType)} frames are not decoded`
          : link.family >= 0
            ? `address family ${link.family} is not IP`
            : link.etherType >= 0
              ? `EtherType 0x${link.etherType.toString(16).padStart(4, '0')} is not IP`
              : 'not an IP packet';
      return { kind: 'skipped', ...info, reason: st === SKIP_LINK ? 'link-type' : 'not-ip', message: what, ip: null };
    }
    const ipLength = rec.dataOffset + rec.capturedLength - loc.ipOffset;
    info.offsets.ip = base + loc.ipOffset;
    let ip: Ipv4Header | Ipv6Header;
    try {
      ip = loc.ipVersion === 4 ? decodeIpv4(bytes, loc.ipOffset, ipLength) : decodeIpv6(bytes, loc.ipOffset, ipLength);
    } catch (e) {
      return { kind: 'error', ...info, error: rebased(e, base) };
    }
    if (st !== SEGMENT) {
      if (!this.skipped) return undefined;
      const message =
        st === SKIP_NOT_TCP
          ? `IP protocol ${loc.protocol} is not TCP`
          : `a non-first IPv${loc.ipVersion} fragment (offset ${loc.fragmentOffset}) holds no TCP header`;
      return { kind: 'skipped', ...info, reason: st === SKIP_NOT_TCP ? 'not-tcp' : 'non-first-fragment', message, ip };
    }
    const tcpOffset = loc.tcpOffset;
    const have = d.captured(rec);
    info.offsets.tcp = base + tcpOffset;
    if (have < loc.tcpLength) {
      // Cut by the snaplen (or a first fragment): say so rather than blame the data offset.
      const need = have >= HEADER_LEN ? ((bytes[tcpOffset + FIELD.OFFSET_FLAGS] as number) >>> 4) * 4 : HEADER_LEN;
      if (have < need) {
        const error = new TcpWireError('TRUNCATED', `only ${have} bytes of the TCP header were captured (it has ${need})`, base + tcpOffset + have);
        return { kind: 'error', ...info, error };
      }
    }
    let tcp: TcpSegment;
    try {
      tcp = decodeSegment(bytes.subarray(tcpOffset, tcpOffset + have));
    } catch (e) {
      if (!(e instanceof TcpWireError)) throw e;
      // decodeSegment counts offsets from the segment's start.
      const error = new TcpWireError(
        e.code,
        `TCP segment at byte ${base + tcpOffset}: ${e.message} (counted from the segment's start)`,
        base + tcpOffset + Math.max(0, e.offset),
      );
      return { kind: 'error', ...info, error };
    }
    const truncated = have < loc.tcpLength;
    let checksum: ChecksumVerdict = 'unverified';
    if (this.verify && !truncated && !loc.fragment) {
      checksum = segmentVerdict(view, bytes, tcpOffset, have, loc.srcOffset, loc.pseudoDstOffset, loc.ipVersion === 4 ? 4 : 16);
    }
    info.offsets.payload = base + tcpOffset + tcp.dataOffset * 4;
    return {
      kind: 'segment',
      ...info,
      ip,
      tcp,
      checksum,
      tcpLength: loc.tcpLength,
      truncated,
      fragment: loc.fragment,
      lengthFromCapture: loc.lengthFromCapture,
    };
  }
}

/**
 * Reads a pcap or pcapng capture held in memory (the format is told by its magic) and
 * yields one item per packet record: `segment`, `skipped` or `error` (see {@link CaptureItem}).
 * Items hold views into `bytes`, not copies.
 *
 * ```ts
 * for (const item of readCapture(bytes)) {
 *   if (item.kind === 'segment') console.log(item.frame, item.ip.src, item.tcp.srcPort, item.checksum);
 * }
 * ```
 * @throws {TcpWireError} `BAD_MAGIC`, `TRUNCATED`, `BAD_RECORD` or `UNSUPPORTED` for a damaged or foreign file,
 * with the file offset, after every intact record before the damage has been yielded.
 */
export function* readCapture(bytes: Uint8Array, options: ReadCaptureOptions = {}): Generator<CaptureItem, void, undefined> {
  const parser = new CaptureParser();
  const builder = new ItemBuilder(options);
  parser.push(bytes);
  while (parser.next()) {
    const item = builder.build(parser);
    if (item !== undefined) yield item;
  }
  parser.finish();
}
