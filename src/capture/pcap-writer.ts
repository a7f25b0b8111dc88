/**
 * Writing classic pcap files (the format in draft-ietf-opsawg-pcap): a 24-byte
 * file header, then a 16-byte header before each packet. Written little-endian
 * with the microsecond magic, which every reader (tshark, tcpdump, Wireshark) opens.
 * Portable: it produces bytes; the caller writes them where it likes.
 */

import { TcpWireError } from '../errors.js';
import { checkInt } from '../range.js';
import { ETHERTYPE, LINKTYPE } from './link-type.js';

/** The microsecond pcap magic number. */
export const PCAP_MAGIC_MICRO = 0xa1b2c3d4;
/** The nanosecond pcap magic number. */
export const PCAP_MAGIC_NANO = 0xa1b23c4d;
/** pcap file header length. */
export const PCAP_FILE_HEADER_LEN = 24;
/** pcap record header length. */
export const PCAP_RECORD_HEADER_LEN = 16;

/** One packet to write. */
export interface PcapPacket {
  /** The packet: an IP packet for raw IP, or a whole frame when `linkType` is Ethernet and `frame` is true. */
  data: Uint8Array;
  /** Capture time in nanoseconds since the epoch (a bigint keeps every digit); defaults to 0 + index µs. */
  timestampNs?: bigint;
  /** Original length on the wire; defaults to the data length. */
  originalLength?: number;
}

/** Options for the pcap writer. */
export interface PcapWriteOptions {
  /**
   * LINKTYPE_RAW (101, the default): packets are IP packets.
   * LINKTYPE_ETHERNET (1): IP packets get a 14-byte Ethernet header (locally administered MACs),
   * unless `frames` says they already are frames.
   */
  linkType?: 1 | 101;
  /** With Ethernet: the data already holds whole frames. */
  frames?: boolean;
  /** Snapshot length written in the header; default 262144. */
  snaplen?: number;
  /** Nanosecond timestamps (magic a1b23c4d); default microseconds. */
  nanosecond?: boolean;
  /** Source and destination MACs for the Ethernet header (6 bytes each). */
  srcMac?: Uint8Array;
  dstMac?: Uint8Array;
}

const DEFAULT_SRC_MAC = new Uint8Array([0x02, 0x00, 0x00, 0x00, 0x00, 0x01]);
const DEFAULT_DST_MAC = new Uint8Array([0x02, 0x00, 0x00, 0x00, 0x00, 0x02]);

/** A streaming pcap writer: `header()` once, then `record()` for each packet. */
export class PcapWriter {
  private readonly opts: Required<Pick<PcapWriteOptions, 'linkType' | 'snaplen' | 'nanosecond' | 'frames'>> & PcapWriteOptions;
  private index = 0;

  constructor(options: PcapWriteOptions = {}) {
    const linkType = options.linkType ?? LINKTYPE.RAW;
    if (linkType !== LINKTYPE.RAW && linkType !== LINKTYPE.ETHERNET) {
      throw new TcpWireError('UNSUPPORTED', `the pcap writer writes link types 1 (Ethernet) and 101 (raw IP), not ${String(linkType)}`);
    }
    this.opts = {
      ...options,
      linkType,
      snaplen: checkInt(options.snaplen ?? 262144, 1, 0x7fffffff, 'snaplen'),
      nanosecond: options.nanosecond ?? false,
      frames: options.frames ?? false,
    };
  }

  /** The 24-byte file header. */
  header(): Uint8Array {
    const out = new Uint8Array(PCAP_FILE_HEADER_LEN);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, this.opts.nanosecond ? PCAP_MAGIC_NANO : PCAP_MAGIC_MICRO, true);
    dv.setUint16(4, 2, true);
    dv.setUint16(6, 4, true);
    dv.setUint32(16, this.opts.snaplen, true);
    dv.setUint32(20, this.opts.linkType, true);
    return out;
  }

  /** The length {@link record} will return for this packet. */
  recordLength(packet: PcapPacket): number {
    return PCAP_RECORD_HEADER_LEN + Math.min(this.frameLength(packet), this.opts.snaplen);
  }

  private frameLength(packet: PcapPacket): number {
    return packet.data.length + (this.opts.linkType === LINKTYPE.ETHERNET && !this.opts.frames ? 14 : 0);
  }

  /** One record: the 16-byte header and the (snaplen-cut) packet. */
  record(packet: PcapPacket): Uint8Array {
    const frameLen = this.frameLength(packet);
    const capLen = Math.min(frameLen, this.opts.snaplen);
    const out = new Uint8Array(PCAP_RECORD_HEADER_LEN + capLen);
    const dv = new DataView(out.buffer);
    const ns = packet.timestampNs ?? BigInt(this.index) * 1000n;
    if (ns < 0n) throw new TcpWireError('OUT_OF_RANGE', 'a packet timestamp cannot be negative');
    const sec = ns / 1_000_000_000n;
    if (sec > 0xffffffffn) throw new TcpWireError('OUT_OF_RANGE', 'a pcap timestamp holds seconds up to 2^32-1 (year 2106)');
    const frac = this.opts.nanosecond ? ns % 1_000_000_000n : (ns % 1_000_000_000n) / 1000n;
    dv.setUint32(0, Number(sec), true);
    dv.setUint32(4, Number(frac), true);
    dv.setUint32(8, capLen, true);
    dv.setUint32(12, checkInt(packet.originalLength ?? frameLen, frameLen, 0xffffffff, 'original length'), true);
    let at = PCAP_RECORD_HEADER_LEN;
    if (this.opts.linkType === LINKTYPE.ETHERNET && !this.opts.frames) {
      const eth = new Uint8Array(14);
      eth.set(this.opts.dstMac ?? DEFAULT_DST_MAC, 0);
      eth.set(this.opts.srcMac ?? DEFAULT_SRC_MAC, 6);
      const v = (packet.data[0] ?? 0) >>> 4;
      const type = v === 6 ? ETHERTYPE.IPV6 : ETHERTYPE.IPV4;
      eth[12] = type >>> 8;
      eth[13] = type & 0xff;
      const n = Math.min(14, capLen);
      out.set(eth.subarray(0, n), at);
      at += n;
    }
    out.set(packet.data.subarray(0, PCAP_RECORD_HEADER_LEN + capLen - at), at);
    this.index++;
    return out;
  }
}

/** A whole pcap file holding `packets`. */
export function writePcap(packets: Iterable<PcapPacket>, options: PcapWriteOptions = {}): Uint8Array {
  const w = new PcapWriter(options);
  const parts: Uint8Array[] = [w.header()];
  let total = PCAP_FILE_HEADER_LEN;
  for (const p of packets) {
    const r = w.record(p);
    parts.push(r);
    total += r.length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
