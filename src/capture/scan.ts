/**
 * The hot path through a capture: {@link forEachSegment} calls back once per TCP segment with
 * one reused {@link TcpView} and one reused {@link SegmentMeta}; nothing is allocated per packet.
 *
 * Two loops share the work. A fast loop, written out for pcap records and pcapng Enhanced
 * Packet Blocks, takes the common case in place: Ethernet or raw IP, an unfragmented IPv4
 * packet or an IPv6 packet whose next header is TCP, a whole TCP header. Every other record
 * (other link types, VLAN tags, IPv6 extension headers, fragments, anything malformed, any
 * other block) goes through the general path, the same dissection the item reader uses, so
 * both paths give the same answers; the tests hold them to it on every fixture.
 */

import { TcpWireError } from '../errors.js';
import { IPPROTO_TCP, MIN_DATA_OFFSET } from '../layout.js';
import { TcpView } from '../view.js';
import { Dissector, SEGMENT, rebased } from './dissect.js';
import { ETHERTYPE, LINKTYPE } from './link-type.js';
import { LINKTYPE_RAW_OPENBSD } from './link.js';
import { CaptureParser, type CaptureFormat } from './parser.js';
import { pcapMaxCaplen } from './pcap.js';
import { PCAPNG_BLOCK } from './pcapng.js';
import { MAX_RECORD_LEN } from './record.js';
import { type ChecksumVerdict, segmentVerdict } from './verdict.js';

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

/**
 * Per-segment facts for {@link forEachSegment}'s callback. One object is reused for every
 * segment: read what you need during the callback, copy what you keep. Offsets index
 * `view.bytes` (the buffer holding the segment); add {@link base} for file offsets.
 */
export class SegmentMeta {
  /** Frame number from 1, counting every packet record (tshark's frame.number). */
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
  /** File offset of `view.bytes[0]` (0 for an in-memory capture). */
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
  /** TCP length by the IP header (more than view.length when truncated). */
  tcpLength = 0;
  /** Offset of the destination address the pseudo-header uses (the final one with a Routing header). */
  dstOffset = 0;
  /** True if the segment was not captured whole. */
  truncated = false;
  /** True if the IP packet is a first fragment. */
  fragment = false;
  /** True if the IP length field was 0 (segmentation offload) and the captured length was used. */
  lengthFromCapture = false;
  private bytes: Uint8Array = new Uint8Array(0);
  private dv: DataView = new DataView(new ArrayBuffer(0));

  /** @internal Points the meta at the parser's current buffer. */
  attach(bytes: Uint8Array, view: DataView, base: number): void {
    this.bytes = bytes;
    this.dv = view;
    this.base = base;
  }

  /** Offset of the IP source address (4 bytes for IPv4, 16 for IPv6). */
  get srcOffset(): number {
    return this.ipOffset + (this.ipVersion === 4 ? 12 : 8);
  }

  /** The checksum verdict of the current segment. It sums the segment: call it only when you want it. */
  checksum(): ChecksumVerdict {
    if (this.truncated || this.fragment) return 'unverified';
    return segmentVerdict(this.dv, this.bytes, this.tcpOffset, this.tcpLength, this.srcOffset, this.dstOffset, this.ipVersion === 4 ? 4 : 16);
  }
}

/** Options for {@link forEachSegment}. */
export interface ForEachSegmentOptions {
  /**
   * Called for each malformed record with the error (file offsets), its frame number, and the
   * meta with the record's facts filled in (frame, time, link type, lengths, record and packet
   * offsets; the IP and TCP fields are not).
   */
  onError?: (error: TcpWireError, frame: number, meta: SegmentMeta) => void;
}

/**
 * The callback of {@link forEachSegment}: the segment as a {@link TcpView} and its
 * {@link SegmentMeta}, both reused for the next segment. Return `false` to stop reading.
 */
export type SegmentCallback = (view: TcpView, meta: SegmentMeta) => void | boolean;

/** A placeholder segment the view points at before the first real one. */
const EMPTY_SEGMENT = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, MIN_DATA_OFFSET << 4, 0, 0, 0, 0, 0, 0, 0]);
const IPV4_MIN = 20;
const IPV6_LEN = 40;
const ETH_LEN = 14;

/** @internal The loops, shared by the in-memory and streaming readers. */
export class SegmentScanner {
  readonly meta = new SegmentMeta();
  readonly stats: CaptureStats = { format: undefined, records: 0, segments: 0, skipped: 0, malformed: 0 };
  private readonly dissector = new Dissector();
  private readonly view = new TcpView(EMPTY_SEGMENT);
  private readonly fn: SegmentCallback;
  private readonly onError: ((error: TcpWireError, frame: number, meta: SegmentMeta) => void) | undefined;
  private stopped = false;

  constructor(fn: SegmentCallback, options: ForEachSegmentOptions = {}) {
    this.fn = fn;
    this.onError = options.onError;
  }

  /** Handles every record the parser can give now. Returns false once the callback asked to stop. */
  scan(parser: CaptureParser): boolean {
    if (this.stopped) return false;
    this.meta.attach(parser.buffer, parser.view, parser.base);
    for (;;) {
      const format = parser.captureFormat;
      if (format === 'pcap') {
        if (!this.fastPcap(parser)) return false;
      } else if (format === 'pcapng') {
        if (!this.fastPcapng(parser)) return false;
      }
      // The general path: whatever the fast loop left (a record it does not take, the header,
      // the need for more bytes, or damage, which parser.next() throws).
      if (!parser.next()) break;
      if (!this.general(parser)) return false;
    }
    this.stats.format = parser.captureFormat;
    return true;
  }

  /**
   * The common case in place: finds the TCP header of the packet at `data` (`caplen` bytes,
   * record ending at `end`), fills the meta's IP fields and returns the captured TCP length, or
   * -1 when the general path must decide (so the answer is the same either way).
   */
  private locate(bytes: Uint8Array, dv: DataView, data: number, caplen: number, linkType: number): number {
    let ip: number;
    if (linkType === LINKTYPE.ETHERNET) {
      if (caplen < ETH_LEN) return -1;
      const et = dv.getUint16(data + 12);
      if (et !== ETHERTYPE.IPV4 && et !== ETHERTYPE.IPV6) return -1;
      ip = data + ETH_LEN;
    } else if (
      linkType === LINKTYPE.RAW ||
      linkType === LINKTYPE.IPV4 ||
      linkType === LINKTYPE.IPV6 ||
      linkType === LINKTYPE.RAW_OLD ||
      linkType === LINKTYPE_RAW_OPENBSD
    ) {
      ip = data;
    } else {
      return -1;
    }
    const end = data + caplen;
    const avail = end - ip;
    if (avail < IPV4_MIN) return -1;
    const b0 = bytes[ip] as number;
    let tcp: number;
    let tcpLength: number;
    const meta = this.meta;
    if (b0 >>> 4 === 4) {
      const hl = (b0 & 15) << 2;
      if (hl < IPV4_MIN || hl > avail) return -1;
      const total = dv.getUint16(ip + 2);
      // not TCP, a fragment (MF or an offset), total length 0 or too small: the general path
      if (bytes[ip + 9] !== IPPROTO_TCP || (dv.getUint16(ip + 6) & 0x3fff) !== 0 || total < hl) return -1;
      tcp = ip + hl;
      tcpLength = total - hl;
      meta.ipVersion = 4;
      meta.dstOffset = ip + 16;
    } else if (b0 >>> 4 === 6) {
      if (avail < IPV6_LEN || bytes[ip + 6] !== IPPROTO_TCP) return -1;
      tcpLength = dv.getUint16(ip + 4);
      if (tcpLength === 0) return -1;
      tcp = ip + IPV6_LEN;
      meta.ipVersion = 6;
      meta.dstOffset = ip + 24;
    } else {
      return -1;
    }
    const have = end - tcp;
    const cap = have < tcpLength ? have : tcpLength;
    // a whole, valid TCP header, or the general path says what is wrong
    if (cap < IPV4_MIN) return -1;
    const words = (bytes[tcp + 12] as number) >>> 4;
    if (words < MIN_DATA_OFFSET || words << 2 > cap) return -1;
    meta.ipOffset = ip;
    meta.tcpOffset = tcp;
    meta.tcpLength = tcpLength;
    meta.truncated = cap < tcpLength;
    meta.fragment = false;
    meta.lengthFromCapture = false;
    return cap;
  }

  /**
   * {@link locate} for the commonest record, small enough for V8 to inline into the loops:
   * Ethernet, IPv4 without options, TCP, not a fragment, a whole TCP header. Returns -1
   * (having set nothing) for anything else, and the loop asks locate(), which gives the
   * same answer for what this takes.
   */
  private locateEthIpv4(bytes: Uint8Array, dv: DataView, data: number, caplen: number): number {
    if (caplen < ETH_LEN + IPV4_MIN + IPV4_MIN || dv.getUint16(data + 12) !== ETHERTYPE.IPV4 || bytes[data + ETH_LEN] !== 0x45) return -1;
    const ip = data + ETH_LEN;
    const total = dv.getUint16(ip + 2);
    if (bytes[ip + 9] !== IPPROTO_TCP || (dv.getUint16(ip + 6) & 0x3fff) !== 0 || total < IPV4_MIN) return -1;
    const tcp = ip + IPV4_MIN;
    const tcpLength = total - IPV4_MIN;
    const have = data + caplen - tcp;
    const cap = have < tcpLength ? have : tcpLength;
    const words = (bytes[tcp + 12] as number) >>> 4;
    if (cap < IPV4_MIN || words < MIN_DATA_OFFSET || words << 2 > cap) return -1;
    const meta = this.meta;
    meta.ipVersion = 4;
    meta.dstOffset = ip + 16;
    meta.ipOffset = ip;
    meta.tcpOffset = tcp;
    meta.tcpLength = tcpLength;
    meta.truncated = cap < tcpLength;
    meta.fragment = false;
    meta.lengthFromCapture = false;
    return cap;
  }

  /** The fast loop over pcap records. Returns false if the callback stopped it. */
  private fastPcap(parser: CaptureParser): boolean {
    const header = parser.pcapHeader;
    if (header === undefined) return true;
    const bytes = parser.buffer;
    const dv = parser.view;
    const le = header.littleEndian;
    const nano = header.nanosecond;
    const linkType = header.linkType;
    const eth = linkType === LINKTYPE.ETHERNET;
    const maxCaplen = pcapMaxCaplen(header);
    const fracLimit = nano ? 1_000_000_000 : 1_000_000;
    const nanosPerUnit = nano ? 1 : 1000;
    const end = parser.limit;
    const meta = this.meta;
    const view = this.view;
    const fn = this.fn;
    meta.linkType = linkType;
    meta.interfaceId = 0;
    let pos = parser.position;
    let frame = parser.frames;
    let segments = 0;
    let going = true;
    while (end - pos >= 16) {
      const caplen = dv.getUint32(pos + 8, le);
      const next = pos + 16 + caplen;
      if (caplen > maxCaplen || next > end) break;
      const origlen = dv.getUint32(pos + 12, le);
      const frac = dv.getUint32(pos + 4, le);
      if (caplen > origlen || frac >= fracLimit) break;
      const data = pos + 16;
      let cap = eth ? this.locateEthIpv4(bytes, dv, data, caplen) : -1;
      if (cap < 0) cap = this.locate(bytes, dv, data, caplen, linkType);
      if (cap < 0) break;
      frame++;
      segments++;
      view.reset(bytes, meta.tcpOffset, cap);
      meta.frame = frame;
      meta.seconds = dv.getUint32(pos, le);
      meta.nanos = frac * nanosPerUnit;
      meta.capturedLength = caplen;
      meta.originalLength = origlen;
      meta.recordOffset = pos;
      meta.packetOffset = data;
      pos = next;
      if (fn(view, meta) === false) {
        going = false;
        break;
      }
    }
    parser.seek(pos, frame);
    this.stats.records += segments;
    this.stats.segments += segments;
    if (!going) this.stopped = true;
    return going;
  }

  /** The fast loop over pcapng Enhanced Packet Blocks. Returns false if the callback stopped it. */
  private fastPcapng(parser: CaptureParser): boolean {
    const state = parser.pcapngState;
    if (state.sections === 0) return true;
    const bytes = parser.buffer;
    const dv = parser.view;
    const le = state.littleEndian;
    const interfaces = state.interfaces;
    const end = parser.limit;
    const meta = this.meta;
    const view = this.view;
    const fn = this.fn;
    let pos = parser.position;
    let frame = parser.frames;
    let segments = 0;
    let going = true;
    while (end - pos >= 12) {
      const total = dv.getUint32(pos + 4, le);
      const next = pos + total;
      if (dv.getUint32(pos, le) !== PCAPNG_BLOCK.EPB || total < 32 || (total & 3) !== 0 || total > MAX_RECORD_LEN || next > end) break;
      if (dv.getUint32(next - 4, le) !== total) break;
      const id = dv.getUint32(pos + 8, le);
      const iface = interfaces[id];
      if (iface === undefined || iface.problem !== '') break;
      const caplen = dv.getUint32(pos + 20, le);
      const origlen = dv.getUint32(pos + 24, le);
      if (caplen > total - 32 || caplen > origlen) break;
      const data = pos + 28;
      const linkType = iface.linkType;
      let cap = linkType === LINKTYPE.ETHERNET ? this.locateEthIpv4(bytes, dv, data, caplen) : -1;
      if (cap < 0) cap = this.locate(bytes, dv, data, caplen, linkType);
      if (cap < 0) break;
      frame++;
      segments++;
      view.reset(bytes, meta.tcpOffset, cap);
      iface.resolution.apply(dv.getUint32(pos + 12, le), dv.getUint32(pos + 16, le), meta);
      meta.seconds += iface.tsOffset;
      meta.frame = frame;
      meta.linkType = iface.linkType;
      meta.interfaceId = id;
      meta.capturedLength = caplen;
      meta.originalLength = origlen;
      meta.recordOffset = pos;
      meta.packetOffset = data;
      pos = next;
      if (fn(view, meta) === false) {
        going = false;
        break;
      }
    }
    parser.seek(pos, frame);
    this.stats.records += segments;
    this.stats.segments += segments;
    if (!going) this.stopped = true;
    return going;
  }

  /** Copies the record's own facts (not its IP and TCP fields) into the meta. */
  private recordFacts(parser: CaptureParser): void {
    const rec = parser.record;
    const meta = this.meta;
    meta.frame = parser.frames;
    meta.seconds = rec.seconds;
    meta.nanos = rec.nanos;
    meta.linkType = rec.linkType;
    meta.interfaceId = rec.interfaceId;
    meta.capturedLength = rec.capturedLength;
    meta.originalLength = rec.originalLength;
    meta.recordOffset = rec.offset;
    meta.packetOffset = rec.dataOffset;
  }

  /** The general path for the record the parser just produced. Returns false if the callback stopped. */
  private general(parser: CaptureParser): boolean {
    const rec = parser.record;
    const bytes = parser.buffer;
    const dv = parser.view;
    const d = this.dissector;
    const loc = d.loc;
    const meta = this.meta;
    const stats = this.stats;
    stats.records++;
    let st: number;
    let cap = 0;
    try {
      if (rec.problem !== '') throw new TcpWireError('BAD_RECORD', rec.problem, rec.problemOffset - parser.base);
      st = d.run(bytes, dv, rec);
      if (st === SEGMENT) {
        cap = d.captured(rec);
        this.view.reset(bytes, loc.tcpOffset, cap);
      }
    } catch (e) {
      stats.malformed++;
      if (this.onError !== undefined) {
        const error = rebased(e, parser.base);
        this.recordFacts(parser);
        this.onError(error, parser.frames, meta);
      }
      return true;
    }
    if (st !== SEGMENT) {
      stats.skipped++;
      return true;
    }
    stats.segments++;
    this.recordFacts(parser);
    meta.ipVersion = loc.ipVersion;
    meta.ipOffset = loc.ipOffset;
    meta.tcpOffset = loc.tcpOffset;
    meta.tcpLength = loc.tcpLength;
    meta.dstOffset = loc.pseudoDstOffset;
    meta.truncated = cap < loc.tcpLength;
    meta.fragment = loc.fragment;
    meta.lengthFromCapture = loc.lengthFromCapture;
    if (this.fn(this.view, meta) === false) {
      this.stopped = true;
      return false;
    }
    return true;
  }
}

/**
 * Calls `fn` for every TCP segment in an in-memory pcap or pcapng capture, with one reused
 * {@link TcpView} and one reused {@link SegmentMeta}: the fastest way through a capture.
 * Records without TCP are counted as skipped, malformed ones as malformed (and given to
 * `options.onError`). Checksums are not verified unless you call `meta.checksum()`.
 * The view has checked the fixed header and the data offset; options are judged only when a
 * getter reads them, and a malformed option list throws `TcpWireError` then (where
 * `readCapture` reports the record as an error).
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
