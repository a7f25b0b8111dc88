/**
 * Reading TCP segments out of pcap and pcapng captures, in two forms:
 *
 * - {@link readCapture}: an iterator of plain items, one per packet record: a decoded
 *   segment (`kind: 'segment'`), a record without a TCP header (`kind: 'skipped'`: not IP,
 *   not TCP, a non-first fragment, a link type tcpwire does not decode), or a record whose
 *   link, IP or TCP header is malformed (`kind: 'error'`). Frame numbers count every record,
 *   as tshark's do.
 * - `forEachSegment` (scan.ts): the hot path. One reused `TcpView` and one reused
 *   `SegmentMeta` per capture, a callback per TCP segment, nothing allocated per packet.
 *
 * Damage to the file itself (a cut record, a length past the end or beyond any capture, a
 * garbage magic) ends reading: every intact record before it comes out first, then a
 * {@link TcpWireError} with the file offset of the damaged record.
 */

import { TcpWireError } from '../errors.js';
import { decodeIpv4, type Ipv4Header } from '../ip/ipv4.js';
import { decodeIpv6, type Ipv6Header } from '../ip/ipv6.js';
import { FIELD, HEADER_LEN } from '../layout.js';
import { type TcpSegment, decodeSegment } from '../segment.js';
import { SEGMENT, SKIP_LINK, SKIP_NOT_IP, SKIP_NOT_TCP, Dissector, rebased } from './dissect.js';
import { linkTypeName } from './link.js';
import { CaptureParser } from './parser.js';
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

/**
 * @internal An error of `decodeSegment` (offsets from the segment's start) restated for the
 * capture: file offsets, and where the segment is. Rethrows anything that is not a TcpWireError.
 */
export function segmentError(e: unknown, fileTcpOffset: number): TcpWireError {
  if (!(e instanceof TcpWireError)) throw e;
  return new TcpWireError(
    e.code,
    `TCP segment at byte ${fileTcpOffset}: ${e.message} (counted from the segment's start)`,
    fileTcpOffset + Math.max(0, e.offset),
  );
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
    const d = this.dissector;
    const loc = d.loc;
    let st: number;
    try {
      if (rec.problem !== '') throw new TcpWireError('BAD_RECORD', rec.problem, rec.problemOffset - base);
      st = d.run(bytes, view, rec);
    } catch (e) {
      return { kind: 'error', ...this.info(parser, -1, -1, -1), error: rebased(e, base) };
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
      return { kind: 'skipped', ...this.info(parser, -1, -1, -1), reason: st === SKIP_LINK ? 'link-type' : 'not-ip', message: what, ip: null };
    }
    const ipOffset = loc.ipOffset;
    const ipLength = rec.dataOffset + rec.capturedLength - ipOffset;
    let ip: Ipv4Header | Ipv6Header;
    try {
      ip = loc.ipVersion === 4 ? decodeIpv4(bytes, ipOffset, ipLength) : decodeIpv6(bytes, ipOffset, ipLength);
    } catch (e) {
      return { kind: 'error', ...this.info(parser, base + ipOffset, -1, -1), error: rebased(e, base) };
    }
    if (st !== SEGMENT) {
      if (!this.skipped) return undefined;
      const message =
        st === SKIP_NOT_TCP
          ? `IP protocol ${loc.protocol} is not TCP`
          : `a non-first IPv${loc.ipVersion} fragment (offset ${loc.fragmentOffset}) holds no TCP header`;
      return { kind: 'skipped', ...this.info(parser, base + ipOffset, -1, -1), reason: st === SKIP_NOT_TCP ? 'not-tcp' : 'non-first-fragment', message, ip };
    }
    const tcpOffset = loc.tcpOffset;
    const have = d.captured(rec);
    if (have < loc.tcpLength) {
      // Cut by the snaplen (or a first fragment): say so rather than blame the data offset.
      const need = have >= HEADER_LEN ? ((bytes[tcpOffset + FIELD.OFFSET_FLAGS] as number) >>> 4) * 4 : HEADER_LEN;
      if (have < need) {
        const error = new TcpWireError('TRUNCATED', `only ${have} bytes of the TCP header were captured (it has ${need})`, base + tcpOffset + have);
        return { kind: 'error', ...this.info(parser, base + ipOffset, base + tcpOffset, -1), error };
      }
    }
    let tcp: TcpSegment;
    try {
      tcp = decodeSegment(bytes.subarray(tcpOffset, tcpOffset + have));
    } catch (e) {
      const error = segmentError(e, base + tcpOffset);
      return { kind: 'error', ...this.info(parser, base + ipOffset, base + tcpOffset, -1), error };
    }
    const truncated = have < loc.tcpLength;
    let checksum: ChecksumVerdict = 'unverified';
    if (this.verify && !truncated && !loc.fragment) {
      checksum = segmentVerdict(view, bytes, tcpOffset, have, loc.srcOffset, loc.pseudoDstOffset, loc.ipVersion === 4 ? 4 : 16);
    }
    // One literal, fields in one order: every segment item has the same shape.
    return {
      kind: 'segment',
      frame: parser.frames,
      timestampNs: this.timestamp(rec.seconds, rec.nanos),
      seconds: rec.seconds,
      nanos: rec.nanos,
      linkType: rec.linkType,
      interfaceId: rec.interfaceId,
      capturedLength: rec.capturedLength,
      originalLength: rec.originalLength,
      packet: bytes.subarray(rec.dataOffset, rec.dataOffset + rec.capturedLength),
      offsets: {
        record: base + rec.offset,
        packet: base + rec.dataOffset,
        ip: base + ipOffset,
        tcp: base + tcpOffset,
        payload: base + tcpOffset + tcp.dataOffset * 4,
      },
      ip,
      tcp,
      checksum,
      tcpLength: loc.tcpLength,
      truncated,
      fragment: loc.fragment,
      lengthFromCapture: loc.lengthFromCapture,
    };
  }

  /** The record facts every item carries (for the rarer kinds: errors and skipped records). */
  private info(parser: CaptureParser, ip: number, tcp: number, payload: number): CaptureRecordInfo {
    const rec = parser.record;
    const base = parser.base;
    return {
      frame: parser.frames,
      timestampNs: this.timestamp(rec.seconds, rec.nanos),
      seconds: rec.seconds,
      nanos: rec.nanos,
      linkType: rec.linkType,
      interfaceId: rec.interfaceId,
      capturedLength: rec.capturedLength,
      originalLength: rec.originalLength,
      packet: parser.buffer.subarray(rec.dataOffset, rec.dataOffset + rec.capturedLength),
      offsets: { record: base + rec.offset, packet: base + rec.dataOffset, ip, tcp, payload },
    };
  }

  private lastSeconds = -1;
  private lastSecondsNs = 0n;

  /** Nanoseconds since the epoch as a bigint; packets share seconds, so the seconds' part is kept. */
  private timestamp(seconds: number, nanos: number): bigint {
    if (seconds !== this.lastSeconds) {
      this.lastSeconds = seconds;
      this.lastSecondsNs = BigInt(seconds) * 1_000_000_000n;
    }
    return this.lastSecondsNs + BigInt(nanos);
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
