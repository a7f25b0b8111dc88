/**
 * Streaming capture reading for Node: a file path or a readable stream in, items (or
 * segment callbacks) out, with memory bounded by the chunk size and the largest record,
 * whatever the file's size. A record cut by a chunk boundary is carried into the next chunk.
 */

import { open } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { TcpWireError } from '../errors.js';
import { CaptureParser } from '../capture/parser.js';
import {
  type CaptureItem,
  type CaptureStats,
  type ForEachSegmentOptions,
  ItemBuilder,
  type ReadCaptureOptions,
  type SegmentCallback,
  SegmentScanner,
} from '../capture/reader.js';

/** Where a capture comes from: a file path (or `file:` URL), or a stream / async iterable of byte chunks (e.g. `process.stdin`). */
export type CaptureSource = string | URL | AsyncIterable<Uint8Array | string>;

/** Options for the streaming readers. */
export interface OpenCaptureOptions extends ReadCaptureOptions {
  /** Bytes read from a file at a time (default 4 MiB). */
  chunkSize?: number;
  /** Called after each chunk with the number of bytes read so far (for progress bars). */
  onProgress?: (bytesRead: number) => void;
}

/** Bytes read from a file at a time unless told otherwise. */
export const DEFAULT_CHUNK = 4 * 1024 * 1024;

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
  let read = 0;
  for await (const chunk of chunksOf(source, options.chunkSize ?? DEFAULT_CHUNK)) {
    parser.push(chunk);
    read += chunk.length;
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
  let read = 0;
  let going = true;
  const chunks = chunksOf(source, options.chunkSize ?? DEFAULT_CHUNK);
  for await (const chunk of chunks) {
    parser.push(chunk);
    read += chunk.length;
    going = scanner.scan(parser);
    options.onProgress?.(read);
    if (!going) break;
  }
  if (going) parser.finish();
  scanner.stats.format = parser.captureFormat;
  return scanner.stats;
}
