/**
 * Reading pcapng files (draft-ietf-opsawg-pcapng): a sequence of blocks, each
 * `type (4) | total length (4) | body | total length (4)`, in sections that each begin with a
 * Section Header Block (SHB) whose byte-order magic sets the byte order of the section.
 *
 * Read: SHB (both byte orders; several sections), Interface Description Blocks (link type,
 * snaplen, `if_tsresol` in both the 10^-n and 2^-n forms, `if_tsoffset`), Enhanced Packet Blocks (EPB),
 * Simple Packet Blocks (SPB) and the obsolete Packet Block (PB). Every other block is skipped;
 * custom blocks and systemd journal blocks take a frame number though (Wireshark numbers
 * them as frames), so tcpwire's frame numbers stay tshark's.
 *
 * What counts as damage (reported at the offset of the block): a block length that is not a multiple of 4, below 12, above
 * {@link MAX_RECORD_LEN}, past the end of the file, or whose trailing copy differs breaks the
 * framing, so the reader stops with an error. A packet block that is wrong inside (an interface
 * that was never described, a captured length larger than the block) leaves the framing intact:
 * that packet alone is reported as malformed.
 */

import { TcpWireError } from '../errors.js';
import { MAX_RECORD_LEN, MICROSECONDS, type RawRecord, TimeResolution } from './record.js';

/** Block types (draft-ietf-opsawg-pcapng §10.1). */
export const PCAPNG_BLOCK = {
  /** Section Header Block; the value reads the same in both byte orders. */
  SHB: 0x0a0d0d0a,
  IDB: 0x00000001,
  /** Packet Block (obsolete, still written by old tools). */
  PB: 0x00000002,
  SPB: 0x00000003,
  NRB: 0x00000004,
  ISB: 0x00000005,
  EPB: 0x00000006,
  /** systemd Journal Export Block. */
  SJE: 0x00000009,
  DSB: 0x0000000a,
  /** Custom blocks, copyable and not. */
  CUSTOM: 0x00000bad,
  CUSTOM_NO_COPY: 0x40000bad,
} as const;

/** The byte-order magic in an SHB. */
export const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;

/** Option codes read from an Interface Description Block. */
export const IDB_OPTION = {
  END: 0,
  /** if_tsresol: one byte, 10^-n or (high bit set) 2^-n seconds. */
  TSRESOL: 9,
  /** if_fcslen: one byte, FCS length in bytes. */
  FCSLEN: 13,
  /** if_tsoffset: a signed 64-bit number of seconds to add to every timestamp. */
  TSOFFSET: 14,
} as const;

/** Smallest blocks: 12 bytes of framing, and the fixed bodies of each type. */
const MIN_BLOCK = 12;
const MIN_SHB = 28;
const MIN_IDB = 20;
const MIN_EPB = 32;
const MIN_SPB = 16;
const MIN_PB = 32;

/** One interface of the current section. */
export interface PcapngInterface {
  linkType: number;
  snaplen: number;
  resolution: TimeResolution;
  /** FCS length in bytes from `if_fcslen`, or -1 when not given. */
  fcsLength: number;
  /** Seconds added to every timestamp (`if_tsoffset`), 0 when not given. */
  tsOffset: number;
  /** Why packets on this interface cannot be read (an `if_tsresol` out of range), or ''. */
  problem: string;
}

/** What the pcapng reader carries from block to block: the section's byte order and interfaces. */
export class PcapngState {
  /** Byte order of the current section. */
  littleEndian = true;
  /** Interfaces described so far in the current section, by id. */
  interfaces: PcapngInterface[] = [];
  /** Number of sections met so far. */
  sections = 0;
  /** File offset of the current section's SHB. */
  sectionOffset = 0;
  /** Set by {@link readPcapngBlock}: true if the block just read was a packet (and `rec` holds it). */
  packet = false;
  /**
   * Set by {@link readPcapngBlock}: true if the block just read holds no packet but takes a frame
   * number all the same, as Wireshark numbers them (custom and systemd journal blocks).
   */
  numbered = false;
}

/** True if `bytes` at `offset` starts with a pcapng SHB type. */
export function isPcapngMagic(bytes: Uint8Array, offset = 0): boolean {
  return (
    bytes.length - offset >= 4 &&
    bytes[offset] === 0x0a &&
    bytes[offset + 1] === 0x0d &&
    bytes[offset + 2] === 0x0d &&
    bytes[offset + 3] === 0x0a
  );
}

function damaged(message: string, offset: number): TcpWireError {
  return new TcpWireError('BAD_RECORD', message, offset);
}

/** Sets the section's byte order from the SHB at `pos` (its first 12 bytes are there). */
function sectionByteOrder(view: DataView, pos: number, state: PcapngState, base: number): void {
  const bom = view.getUint32(pos + 8, true);
  if (bom === PCAPNG_BYTE_ORDER_MAGIC) state.littleEndian = true;
  else if (view.getUint32(pos + 8, false) === PCAPNG_BYTE_ORDER_MAGIC) state.littleEndian = false;
  else {
    throw new TcpWireError(
      state.sections === 0 ? 'BAD_MAGIC' : 'BAD_RECORD',
      `section header at byte ${base + pos} has byte-order magic 0x${view.getUint32(pos + 8, false).toString(16).padStart(8, '0')}, not 1a2b3c4d`,
      base + pos + 8,
    );
  }
}

/** Reads the options of an IDB (body from `start` to `end`) into `iface`. */
function readIdbOptions(view: DataView, start: number, end: number, le: boolean, iface: PcapngInterface): void {
  let p = start;
  while (p + 4 <= end) {
    const code = view.getUint16(p, le);
    const len = view.getUint16(p + 2, le);
    if (code === IDB_OPTION.END) return;
    const value = p + 4;
    if (value + len > end) return; // a cut option list: keep what was read (Wireshark does the same)
    if (code === IDB_OPTION.TSRESOL && len >= 1) {
      const byte = view.getUint8(value);
      const r = TimeResolution.fromByte(byte);
      if (r === undefined) iface.problem = `interface has if_tsresol 0x${byte.toString(16)}: a resolution finer than 64-bit tick counts can hold`;
      else iface.resolution = r;
    } else if (code === IDB_OPTION.FCSLEN && len >= 1) {
      iface.fcsLength = view.getUint8(value);
    } else if (code === IDB_OPTION.TSOFFSET && len >= 8) {
      iface.tsOffset = Number(view.getBigInt64(value, le));
    }
    p = value + ((len + 3) & ~3);
  }
}

/**
 * Reads the block at `pos` (bytes up to `end` are available; `view` covers the whole buffer).
 * Returns where the next block starts, or -1 if the block is not all there yet. If the block
 * was a packet, `state.packet` is true and `rec` holds it. `base` is the file offset of the
 * buffer's first byte: errors, messages and `rec.problemOffset` give file offsets.
 * @throws {TcpWireError} `BAD_MAGIC` if the first block is not an SHB, `BAD_RECORD` for a block length that breaks
 * the framing, `UNSUPPORTED` for a section of a major version other than 1.
 */
export function readPcapngBlock(view: DataView, pos: number, end: number, state: PcapngState, rec: RawRecord, base = 0): number {
  const at = base + pos;
  state.packet = false;
  state.numbered = false;
  if (end - pos < 8) return -1;
  const typeLe = view.getUint32(pos, true);
  if (typeLe === PCAPNG_BLOCK.SHB) {
    if (end - pos < MIN_BLOCK) return -1;
    sectionByteOrder(view, pos, state, base);
  } else if (state.sections === 0) {
    throw new TcpWireError('BAD_MAGIC', 'a pcapng file must begin with a section header block', at);
  }
  const le = state.littleEndian;
  const type = view.getUint32(pos, le);
  const total = view.getUint32(pos + 4, le);
  if (total < MIN_BLOCK || total % 4 !== 0 || total > MAX_RECORD_LEN) {
    throw damaged(
      `block at byte ${at} (type 0x${type.toString(16)}) has length ${total}: a block length is a multiple of 4 from ${MIN_BLOCK} to ${MAX_RECORD_LEN}; the file is damaged here`,
      at,
    );
  }
  const next = pos + total;
  if (next > end) return -1;
  if (view.getUint32(next - 4, le) !== total) {
    throw damaged(
      `block at byte ${at} has length ${total} at its start but ${view.getUint32(next - 4, le)} at its end (byte ${base + next - 4}): the file is damaged here`,
      at,
    );
  }
  switch (type) {
    case PCAPNG_BLOCK.SHB: {
      if (total < MIN_SHB) throw damaged(`section header block at byte ${at} has length ${total}, below the minimum ${MIN_SHB}`, at + 4);
      const major = view.getUint16(pos + 12, le);
      if (major !== 1) {
        throw new TcpWireError('UNSUPPORTED', `section at byte ${at} is pcapng version ${major}.${view.getUint16(pos + 14, le)}; tcpwire reads version 1`, at + 12);
      }
      state.sections++;
      state.sectionOffset = at;
      state.interfaces = [];
      return next;
    }
    case PCAPNG_BLOCK.IDB: {
      if (total < MIN_IDB) throw damaged(`interface description block at byte ${at} has length ${total}, below the minimum ${MIN_IDB}`, at + 4);
      const iface: PcapngInterface = {
        linkType: view.getUint16(pos + 8, le),
        snaplen: view.getUint32(pos + 12, le),
        resolution: MICROSECONDS,
        fcsLength: -1,
        tsOffset: 0,
        problem: '',
      };
      readIdbOptions(view, pos + 16, next - 4, le, iface);
      state.interfaces.push(iface);
      return next;
    }
    case PCAPNG_BLOCK.EPB:
    case PCAPNG_BLOCK.PB: {
      if (total < (type === PCAPNG_BLOCK.EPB ? MIN_EPB : MIN_PB)) {
        throw damaged(`packet block at byte ${at} has length ${total}, below the minimum ${MIN_EPB}`, at + 4);
      }
      const id = type === PCAPNG_BLOCK.EPB ? view.getUint32(pos + 8, le) : view.getUint16(pos + 8, le);
      const caplen = view.getUint32(pos + 20, le);
      const origlen = view.getUint32(pos + 24, le);
      const room = total - MIN_EPB;
      rec.offset = pos;
      rec.end = next;
      rec.dataOffset = pos + 28;
      rec.originalLength = origlen;
      rec.interfaceId = id;
      rec.problem = '';
      rec.problemOffset = 0;
      const iface = state.interfaces[id];
      if (caplen > room) {
        rec.capturedLength = room;
        rec.problem = `packet block at byte ${at} says ${caplen} bytes were captured, but the block has room for ${room}`;
        rec.problemOffset = at + 20;
      } else {
        rec.capturedLength = caplen;
        if (caplen > origlen) {
          rec.problem = `packet block at byte ${at} says ${caplen} bytes were captured of a ${origlen}-byte packet: more than there was`;
          rec.problemOffset = at + 20;
        }
      }
      if (iface === undefined) {
        rec.linkType = -1;
        rec.seconds = 0;
        rec.nanos = 0;
        rec.timeDigits = 6;
        rec.problem = `packet block at byte ${at} names interface ${id}, but the section describes ${state.interfaces.length}`;
        rec.problemOffset = at + 8;
      } else {
        rec.linkType = iface.linkType;
        iface.resolution.apply(view.getUint32(pos + 12, le), view.getUint32(pos + 16, le), rec);
        rec.seconds += iface.tsOffset;
        rec.timeDigits = iface.resolution.digits;
        if (iface.problem !== '' && rec.problem === '') {
          rec.problem = iface.problem;
          rec.problemOffset = at + 8;
        }
      }
      state.packet = true;
      return next;
    }
    case PCAPNG_BLOCK.SPB: {
      if (total < MIN_SPB) throw damaged(`simple packet block at byte ${at} has length ${total}, below the minimum ${MIN_SPB}`, at + 4);
      const origlen = view.getUint32(pos + 8, le);
      const iface = state.interfaces[0];
      // The captured length is not stored: it is the original length, cut by the snaplen and the block.
      let caplen = Math.min(origlen, total - MIN_SPB);
      if (iface !== undefined && iface.snaplen > 0 && caplen > iface.snaplen) caplen = iface.snaplen;
      rec.offset = pos;
      rec.end = next;
      rec.dataOffset = pos + 12;
      rec.capturedLength = caplen;
      rec.originalLength = origlen;
      rec.interfaceId = 0;
      // A simple packet block has no timestamp.
      rec.seconds = 0;
      rec.nanos = 0;
      rec.timeDigits = 6;
      if (iface === undefined) {
        rec.linkType = -1;
        rec.problem = `simple packet block at byte ${at} needs interface 0, but the section describes none`;
        rec.problemOffset = at;
      } else {
        rec.linkType = iface.linkType;
        rec.problem = '';
        rec.problemOffset = 0;
      }
      state.packet = true;
      return next;
    }
    case PCAPNG_BLOCK.CUSTOM:
    case PCAPNG_BLOCK.CUSTOM_NO_COPY:
    case PCAPNG_BLOCK.SJE:
      state.numbered = true;
      return next;
    default:
      return next;
  }
}
