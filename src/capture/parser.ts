/**
 * The capture-file parser both readers share: bytes in (all at once, or chunk by chunk),
 * packet records out, one at a time into a reused {@link RawRecord}. It detects pcap or
 * pcapng from the magic, carries a partial record across chunk boundaries, and knows each
 * record's offset in the whole file.
 */

import { TcpWireError } from '../errors.js';
import { type PcapFileHeader, isPcapMagic, pcapMaxCaplen, readPcapFileHeader, readPcapRecord } from './pcap.js';
import { PCAP_FILE_HEADER_LEN } from './pcap-writer.js';
import { PcapngState, isPcapngMagic, readPcapngBlock } from './pcapng.js';
import { RawRecord } from './record.js';

/** The capture formats tcpwire reads. */
export type CaptureFormat = 'pcap' | 'pcapng';

const UNKNOWN = 0;
const PCAP = 1;
const PCAPNG = 2;
const EMPTY = new Uint8Array(0);

/**
 * An incremental capture parser. Give it bytes with {@link push}, take records with
 * {@link next} until it returns false, push more, and call {@link finish} at the end.
 * Offsets in {@link record} index {@link buffer}; add {@link base} for file offsets.
 */
export class CaptureParser {
  /** The record {@link next} produced last. */
  readonly record = new RawRecord();
  /** The buffer the current record's offsets index. */
  buffer: Uint8Array = EMPTY;
  /** A DataView over all of {@link buffer}. */
  view: DataView = new DataView(new ArrayBuffer(0));
  /** File offset of `buffer[0]`. */
  base = 0;
  /** Frame numbers given so far (the last record's frame number): packet records, and the pcapng blocks Wireshark numbers too. */
  frames = 0;
  private pos = 0;
  private end = 0;
  private format: number = UNKNOWN;
  private pcap: PcapFileHeader | undefined;
  private maxCaplen = 0;
  private readonly ng = new PcapngState();

  /** The format, once the magic has been read. */
  get captureFormat(): CaptureFormat | undefined {
    return this.format === PCAP ? 'pcap' : this.format === PCAPNG ? 'pcapng' : undefined;
  }

  /** The pcap file header, for a pcap file whose header has been read. */
  get pcapHeader(): PcapFileHeader | undefined {
    return this.pcap;
  }

  /** @internal Where parsing stands in {@link buffer}. */
  get position(): number {
    return this.pos;
  }

  /** @internal Where the bytes pushed so far end in {@link buffer}. */
  get limit(): number {
    return this.end;
  }

  /** @internal The pcapng state (byte order and interfaces of the current section). */
  get pcapngState(): PcapngState {
    return this.ng;
  }

  /**
   * @internal Moves past records a caller has parsed itself (the fast loops): `pos` is where the
   * next record starts in {@link buffer}, `frames` the frame number given last.
   */
  seek(pos: number, frames: number): void {
    this.pos = pos;
    this.frames = frames;
  }

  /** File offset up to which everything has been parsed. */
  get consumed(): number {
    return this.base + this.pos;
  }

  /**
   * Adds bytes. Bytes not yet parsed (a record cut by the previous chunk's end) are joined
   * with the new chunk into a fresh buffer; buffers already handed out are never written to,
   * so views into them stay valid.
   */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    const left = this.end - this.pos;
    if (left === 0) {
      this.base += this.end;
      this.buffer = chunk;
    } else {
      const joined = new Uint8Array(left + chunk.length);
      joined.set(this.buffer.subarray(this.pos, this.end), 0);
      joined.set(chunk, left);
      this.base += this.pos;
      this.buffer = joined;
    }
    this.view = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.byteLength);
    this.pos = 0;
    this.end = this.buffer.length;
  }

  /**
   * @internal Continues in a buffer the caller refilled: `buffer` starts with the bytes not yet
   * parsed (they were at {@link position}..{@link limit} of the old buffer) followed by new bytes,
   * and `buffer[0]` is at file offset {@link consumed}. Lets a reader reuse one buffer when
   * nothing it handed out points into it (the segment scanner's callbacks).
   */
  resume(buffer: Uint8Array): void {
    this.base += this.pos;
    this.buffer = buffer;
    this.view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    this.pos = 0;
    this.end = buffer.length;
  }

  /**
   * Parses up to the next packet record. Returns true with {@link record} filled, or false
   * when the bytes pushed so far end before the next record does.
   * @throws {TcpWireError} when the file is damaged (offset in the whole file).
   */
  next(): boolean {
    if (this.format === PCAP) {
      const n = readPcapRecord(this.view, this.pos, this.end, this.pcap as PcapFileHeader, this.maxCaplen, this.record, this.base);
      if (n < 0) return false;
      this.pos = n;
      this.frames++;
      return true;
    }
    if (this.format === UNKNOWN) {
      if (!this.detect()) return false;
      if (this.captureFormat === 'pcap') return this.next();
    }
    for (;;) {
      const n = readPcapngBlock(this.view, this.pos, this.end, this.ng, this.record, this.base);
      if (n < 0) return false;
      this.pos = n;
      if (this.ng.packet) {
        this.frames++;
        return true;
      }
      if (this.ng.numbered) this.frames++;
    }
  }

  /**
   * Says whether the input ended cleanly (at a record boundary, after a header).
   * @throws {TcpWireError} `TRUNCATED` with the offset of the cut record, or of the header.
   */
  finish(): void {
    const left = this.end - this.pos;
    if (this.format === UNKNOWN) {
      if (this.base + this.end === 0) throw new TcpWireError('TRUNCATED', 'the capture is empty: no pcap or pcapng header', 0);
      if (left >= 4) this.detect(); // throws BAD_MAGIC for garbage
      throw new TcpWireError('TRUNCATED', `the capture ends after ${this.base + this.end} bytes, inside its file header`, this.base + this.pos);
    }
    if (left > 0) {
      const at = this.base + this.pos;
      throw new TcpWireError(
        'TRUNCATED',
        `the capture ends inside the ${this.format === PCAP ? 'record' : 'block'} that starts at byte ${at} (${left} of its bytes are there)`,
        at,
      );
    }
  }

  /** Reads the magic and the file header. Returns false if more bytes are needed. */
  private detect(): boolean {
    const b = this.buffer;
    const at = this.pos;
    if (this.end - at < 4) return false;
    if (isPcapngMagic(b, at)) {
      this.format = PCAPNG;
      return true;
    }
    if (isPcapMagic(b, at)) {
      if (this.end - at < PCAP_FILE_HEADER_LEN) return false;
      this.pcap = readPcapFileHeader(b, at);
      this.maxCaplen = pcapMaxCaplen(this.pcap);
      this.format = PCAP;
      this.pos = at + PCAP_FILE_HEADER_LEN;
      return true;
    }
    readPcapFileHeader(b, at); // throws BAD_MAGIC (or UNSUPPORTED) with the magic in the message
    return false;
  }

}
