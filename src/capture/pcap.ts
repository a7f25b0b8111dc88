/**
 * Reading classic pcap files (draft-ietf-opsawg-pcap, "the libpcap format").
 *
 * A 24-byte file header (magic, version, reserved, snaplen, link type), then records of a
 * 16-byte header (seconds, microseconds or nanoseconds, captured length, original length)
 * and the captured bytes. The magic's byte order is the file's byte order; its value tells
 * microsecond (a1b2c3d4) from nanosecond (a1b23c4d) timestamps.
 *
 * What counts as damage: a captured length above {@link MAX_STANDARD_CAPLEN} (and above the
 * snaplen), or one that runs past the end of the file, breaks the framing: nothing after it
 * can be trusted, so the reader stops with an error. A captured length above the original
 * length leaves the framing intact: that record alone is reported as malformed.
 */

import { TcpWireError } from '../errors.js';
import { PCAP_FILE_HEADER_LEN, PCAP_MAGIC_MICRO, PCAP_MAGIC_NANO, PCAP_RECORD_HEADER_LEN } from './pcap-writer.js';
import { MAX_RECORD_LEN, MAX_STANDARD_CAPLEN, type RawRecord } from './record.js';

/** Alexey Kuznetsov's patched-libpcap magic: 24-byte record headers, which tcpwire does not read. */
export const PCAP_MAGIC_KUZNETZOV = 0xa1b2cd34;

/** Byte offsets in the pcap file header. */
export const PCAP_HEADER = {
  MAGIC: 0,
  VERSION_MAJOR: 4,
  VERSION_MINOR: 6,
  THISZONE: 8,
  SIGFIGS: 12,
  SNAPLEN: 16,
  LINKTYPE: 20,
} as const;

/** Byte offsets in a pcap record header. */
export const PCAP_RECORD = {
  SECONDS: 0,
  FRACTION: 4,
  CAPTURED_LENGTH: 8,
  ORIGINAL_LENGTH: 12,
} as const;

/**
 * The link-type field's low 26 bits are the link type; the top bits may carry the
 * FCS length (draft-ietf-opsawg-pcap §4, "LinkType and additional information").
 */
const LINKTYPE_MASK = 0x03ff_ffff;

/** A pcap file header. */
export interface PcapFileHeader {
  /** True if the file is little-endian. */
  littleEndian: boolean;
  /** True for nanosecond timestamps, false for microseconds. */
  nanosecond: boolean;
  versionMajor: number;
  versionMinor: number;
  /** The snapshot length the capture was taken with. */
  snaplen: number;
  /** The link-layer header type of every record. */
  linkType: number;
  /** Length of the frame check sequence at the end of each frame, if the header says (else 0). */
  fcsLength: number;
}

/** True if the first four bytes at `offset` are one of the four pcap magics. */
export function isPcapMagic(bytes: Uint8Array, offset = 0): boolean {
  if (bytes.length - offset < 4) return false;
  const dv = new DataView(bytes.buffer, bytes.byteOffset + offset, 4);
  const le = dv.getUint32(0, true);
  const be = dv.getUint32(0, false);
  return le === PCAP_MAGIC_MICRO || le === PCAP_MAGIC_NANO || be === PCAP_MAGIC_MICRO || be === PCAP_MAGIC_NANO;
}

/**
 * Reads the 24-byte pcap file header at `offset`.
 * @throws {TcpWireError} `TRUNCATED` if fewer than 24 bytes are there, `BAD_MAGIC` for a magic that is not pcap's,
 * `UNSUPPORTED` for the Kuznetzov variant.
 */
export function readPcapFileHeader(bytes: Uint8Array, offset = 0): PcapFileHeader {
  const have = bytes.length - offset;
  if (have < 4) throw new TcpWireError('TRUNCATED', `a pcap file starts with a 24-byte header, but only ${Math.max(0, have)} bytes are there`, offset);
  const dv = new DataView(bytes.buffer, bytes.byteOffset + offset, Math.min(have, PCAP_FILE_HEADER_LEN));
  const m = dv.getUint32(PCAP_HEADER.MAGIC, true);
  let littleEndian: boolean;
  if (m === PCAP_MAGIC_MICRO || m === PCAP_MAGIC_NANO) littleEndian = true;
  else if (dv.getUint32(PCAP_HEADER.MAGIC, false) === PCAP_MAGIC_MICRO || dv.getUint32(PCAP_HEADER.MAGIC, false) === PCAP_MAGIC_NANO) {
    littleEndian = false;
  } else if (m === PCAP_MAGIC_KUZNETZOV || dv.getUint32(PCAP_HEADER.MAGIC, false) === PCAP_MAGIC_KUZNETZOV) {
    throw new TcpWireError('UNSUPPORTED', 'this is a "modified" (Kuznetzov) pcap file with 24-byte record headers, which tcpwire does not read', offset);
  } else {
    throw new TcpWireError('BAD_MAGIC', `magic 0x${dv.getUint32(0, false).toString(16).padStart(8, '0')} is not a pcap or pcapng magic`, offset);
  }
  if (have < PCAP_FILE_HEADER_LEN) {
    throw new TcpWireError('TRUNCATED', `a pcap file starts with a 24-byte header, but only ${have} bytes are there`, offset);
  }
  const magic = dv.getUint32(PCAP_HEADER.MAGIC, littleEndian);
  const lt = dv.getUint32(PCAP_HEADER.LINKTYPE, littleEndian);
  return {
    littleEndian,
    nanosecond: magic === PCAP_MAGIC_NANO,
    versionMajor: dv.getUint16(PCAP_HEADER.VERSION_MAJOR, littleEndian),
    versionMinor: dv.getUint16(PCAP_HEADER.VERSION_MINOR, littleEndian),
    snaplen: dv.getUint32(PCAP_HEADER.SNAPLEN, littleEndian),
    linkType: lt & LINKTYPE_MASK,
    // Bit 26 says an FCS length is present in bits 28-31, in 16-bit words.
    fcsLength: (lt & 0x0400_0000) !== 0 ? ((lt >>> 28) & 0xf) * 2 : 0,
  };
}

/** The most a pcap record may capture before the reader calls its length damage. */
export function pcapMaxCaplen(header: PcapFileHeader): number {
  return Math.min(MAX_RECORD_LEN, Math.max(MAX_STANDARD_CAPLEN, header.snaplen));
}

/**
 * Reads the record at `pos` of `bytes` (`view` is a DataView over all of `bytes`; bytes up to
 * `end` are available). Fills `rec` and returns where the next record starts, or -1 if the
 * record is not all there yet (the caller decides whether more bytes can come).
 * `maxCaplen` is {@link pcapMaxCaplen} of the header. `base` is the file offset of the buffer's
 * first byte: errors, messages and `rec.problemOffset` give file offsets.
 * @throws {TcpWireError} `BAD_RECORD` for a captured length no capture can have.
 */
export function readPcapRecord(
  view: DataView,
  pos: number,
  end: number,
  header: PcapFileHeader,
  maxCaplen: number,
  rec: RawRecord,
  base = 0,
): number {
  if (end - pos < PCAP_RECORD_HEADER_LEN) return -1;
  const le = header.littleEndian;
  const caplen = view.getUint32(pos + PCAP_RECORD.CAPTURED_LENGTH, le);
  if (caplen > maxCaplen) {
    throw new TcpWireError(
      'BAD_RECORD',
      `record at byte ${base + pos} claims ${caplen} captured bytes, more than any capture with snaplen ${header.snaplen} holds (${maxCaplen}): the file is damaged here`,
      base + pos,
    );
  }
  const next = pos + PCAP_RECORD_HEADER_LEN + caplen;
  if (next > end) return -1;
  const origlen = view.getUint32(pos + PCAP_RECORD.ORIGINAL_LENGTH, le);
  const sec = view.getUint32(pos + PCAP_RECORD.SECONDS, le);
  const frac = view.getUint32(pos + PCAP_RECORD.FRACTION, le);
  rec.offset = pos;
  rec.end = next;
  rec.dataOffset = pos + PCAP_RECORD_HEADER_LEN;
  rec.capturedLength = caplen;
  rec.originalLength = origlen;
  if (header.nanosecond) {
    if (frac < 1_000_000_000) {
      rec.seconds = sec;
      rec.nanos = frac;
    } else {
      rec.seconds = sec + Math.floor(frac / 1_000_000_000);
      rec.nanos = frac % 1_000_000_000;
    }
  } else if (frac < 1_000_000) {
    rec.seconds = sec;
    rec.nanos = frac * 1000;
  } else {
    rec.seconds = sec + Math.floor(frac / 1_000_000);
    rec.nanos = (frac % 1_000_000) * 1000;
  }
  rec.linkType = header.linkType;
  rec.interfaceId = 0;
  rec.timeDigits = header.nanosecond ? 9 : 6;
  if (caplen > origlen) {
    rec.problem = `record at byte ${base + pos} says ${caplen} bytes were captured of a ${origlen}-byte packet: more than there was`;
    rec.problemOffset = base + pos + PCAP_RECORD.CAPTURED_LENGTH;
  } else {
    rec.problem = '';
    rec.problemOffset = 0;
  }
  return next;
}

export { PCAP_FILE_HEADER_LEN, PCAP_RECORD_HEADER_LEN };
