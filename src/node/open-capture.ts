/**
 * Streaming capture reading for Node: a file path or a readable stream in, items (or
 * segment callbacks) out, with memory bounded by the chunk size and the largest record,
 * whatever the file's size. A record cut by a chunk boundary is carried into the next chunk.
 */

import { open } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { TcpWireError } from '../errors.js';
import { CaptureParser } from '../capture/parser.js';
import { type CaptureItem, ItemBuilder, type ReadCaptureOptions } from '../capture/reader.js';
import { type CaptureStats, type ForEachSegmentOptions, type SegmentCallback, SegmentScanner } from '../capture/scan.js';

/** Where a capture comes from: a file path (or `file:` URL), or a stream / async iterable of byte chunks (e.g. `process.stdin`). */
export type CaptureSource = string | URL | AsyncIterable<Uint8Array | string>;

/** Options for the streaming readers. */
export interface OpenCaptureOptions extends ReadCaptureOptions {
  /** Bytes read from a file at a time (default 64 KiB for items, 1 MiB for `forEachSegmentIn`). */
  chunkSize?: number;
  /** Called after each chunk with the number of bytes read so far (for progress bars). */
  onProgress?: (bytesRead: number) => void;
}

/** Bytes read from a file at a time by the segment scanner (into one reused buffer). */
export const DEFAULT_CHUNK = 1024 * 1024;
/** Bytes read at a time for items (a fresh buffer each, as items point into them). */
export const ITEM_CHUNK = 64 * 1024;

function fileError(path: string, e: unknown): TcpWireError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new TcpWireError('BAD_INPUT', `cannot read ${path}: no such file`);
  if (code === 'EISDIR') return new TcpWireError('BAD_INPUT', `cannot read ${path}: it is a directory, not a file`);
  if (code === 'EACCES') return new TcpWireError('BAD_INPUT', `cannot read ${path}: permission denied`);
  return new TcpWireError('BAD_INPUT', `cannot read ${path}: ${(e as Error | undefined)?.message ?? String(e)}`);
}

/** @internal The chunks of a source, each a fresh buffer (never reused, so views into it stay valid). */
export async function* chunksOf(source: CaptureSource, chunkSize: number): AsyncGenerator<Uint8Array, void, undefined> {
  if (typeof source === 'string' || source instanceof URL) {
    const path = typeof source === 'string' ? source : fileURLToPath(source);
    let fh: Awaited<ReturnType<typeof open>>;
    try {
      fh = await open(path, 'r');
    } catch (e) {
      throw fileError(path, e);
    }
    try {
      for (;;) {
        const buf = new Uint8Array(chunkSize);
        let n: number;
        try {
          ({ bytesRead: n } = await fh.read(buf, 0, chunkSize, null));
        } catch (e) {
          throw fileError(path, e);
        }
        if (n === 0) return;
        yield n === chunkSize ? buf : buf.subarray(0, n);
      }
    } finally {
      await fh.close();
    }
  }
  for await (const chunk of source) {
    if (typeof chunk === 'string') throw new TcpWireError('BAD_INPUT', 'a capture stream must give bytes, not text (do not set an encoding on it)');
    yield chunk;
  }
}

/**
 * @internal Feeds a source to the parser, one chunk at a time, yielding the bytes read so far
 * after each. With `reuse`, a file is read into one buffer that is refilled in place (the bytes
 * not yet parsed moved to its front): for consumers that keep nothing pointing into it, such as
 * the segment scanner's callbacks. Without it (and for streams), every chunk is a fresh buffer.
 */
export async function* feed(parser: CaptureParser, source: CaptureSource, chunkSize: number, reuse: boolean): AsyncGenerator<number, void, undefined> {
  let read = 0;
  if (!reuse || !(typeof source === 'string' || source instanceof URL)) {
    for await (const chunk of chunksOf(source, chunkSize)) {
      parser.push(chunk);
      read += chunk.length;
      yield read;
    }
    return;
  }
  const path = typeof source === 'string' ? source : fileURLToPath(source);
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw fileError(path, e);
  }
  try {
    let buf = new Uint8Array(2 * chunkSize);
    for (;;) {
      const from = parser.position;
      const keep = parser.limit - from;
      const old = parser.buffer;
      if (keep + chunkSize > buf.length) {
        // a record larger than the room left: a bigger buffer (bounded by the largest record)
        const bigger = new Uint8Array(keep + chunkSize);
        bigger.set(old.subarray(from, from + keep), 0);
        buf = bigger;
      } else if (keep > 0) {
        if (old.buffer === buf.buffer) buf.copyWithin(0, old.byteOffset - buf.byteOffset + from, old.byteOffset - buf.byteOffset + from + keep);
        else buf.set(old.subarray(from, from + keep), 0);
      }
      let n: number;
      try {
        ({ bytesRead: n } = await fh.read(buf, keep, chunkSize, null));
      } catch (e) {
        throw fileError(path, e);
      }
      if (n === 0) return;
      parser.resume(buf.subarray(0, keep + n));
      read += n;
      yield read;
    }
  } finally {
    await fh.close();
  }
}

/**
 * Reads a pcap or pcapng capture from a file or a stream, chunk by chunk, and yields the
 * same items as `readCapture` (file offsets included), in constant memory.
 *
 * ```ts
 * for await (const item of openCapture('trace.pcapng')) {
 *   if (item.kind === 'segment') console.log(item.frame, item.tcp.seq);
 * }
 * ```
 * @throws {TcpWireError} `BAD_INPUT` for a file that cannot be read; otherwise as `readCapture`, after every intact
 * record before the damage has been yielded.
 */
export async function* openCapture(source: CaptureSource, options: OpenCaptureOptions = {}): AsyncGenerator<CaptureItem, void, undefined> {
  const parser = new CaptureParser();
  const builder = new ItemBuilder(options);
  // Items point into the chunks, so each chunk is a fresh buffer; small ones let the
  // collector free them promptly.
  for await (const read of feed(parser, source, options.chunkSize ?? ITEM_CHUNK, false)) {
    while (parser.next()) {
      const item = builder.build(parser);
      if (item !== undefined) yield item;
    }
    options.onProgress?.(read);
  }
  parser.finish();
}

/**
 * The streaming form of `forEachSegment`: calls `fn` for every TCP segment of a file or stream
 * with one reused `TcpView` and `SegmentMeta`. Memory stays bounded by the chunk size.
 * Offsets in the meta index `view.bytes` (the current chunk); add `meta.base` for file offsets.
 * @returns the counts once the input is read (or `fn` returned false).
 * @throws {TcpWireError} as `openCapture`, after `fn` has seen every intact record before the damage.
 */
export async function forEachSegmentIn(
  source: CaptureSource,
  fn: SegmentCallback,
  options: ForEachSegmentOptions & Pick<OpenCaptureOptions, 'chunkSize' | 'onProgress'> = {},
): Promise<CaptureStats> {
  const parser = new CaptureParser();
  const scanner = new SegmentScanner(fn, options);
  let going = true;
  // The view and meta are only valid during a callback, so a file is read into one reused buffer.
  for await (const read of feed(parser, source, options.chunkSize ?? DEFAULT_CHUNK, true)) {
    going = scanner.scan(parser);
    options.onProgress?.(read);
    if (!going) break;
  }
  if (going) parser.finish();
  scanner.stats.format = parser.captureFormat;
  return scanner.stats;
}
