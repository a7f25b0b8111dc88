/** `tcpwire decode --pcap FILE|- [--json] [--relative]`: every TCP segment of a capture, one line each. */

import { statSync } from 'node:fs';
import { TcpWireError } from '../../errors.js';
import { formatFlags } from '../../flags.js';
import { optionShort } from '../../field-map.js';
import { captureItemToJson } from '../../capture/item-json.js';
import { CaptureParser } from '../../capture/parser.js';
import { type CaptureSegment, ItemBuilder } from '../../capture/reader.js';
import { RelativeSequencer } from '../../capture/relative.js';
import { chunksOf, DEFAULT_CHUNK, type CaptureSource } from '../../node/open-capture.js';
import { type ParsedArgs, optString } from '../args.js';

export const DECODE_PCAP_HELP = `usage: tcpwire decode --pcap FILE|- [--json] [--relative]

Decodes every TCP segment of a pcap or pcapng capture (a file, or standard input with
"-"), one line per segment: frame number, time since the first packet, addresses and
ports, flags, seq/ack, window, payload length, options in short, and the checksum
verdict (good, BAD, partial = only the pseudo-header sum: offload, unverified = not
captured whole). Records without TCP are left out; malformed ones get a line saying why.

  --json       one JSON object per line (NDJSON), with the fields of the library's
               capture items: frame, timestampNs (a decimal string), seconds, nanos,
               linkType, interfaceId, ip, tcp, checksum, tcpLength, truncated, offsets
  --relative   Wireshark-style relative seq/ack per connection and direction (SYN = 0);
               with --json adds relativeSeq, relativeAck and stream

Reading stops at damage in the file (a cut or impossible record): every record before
it is printed, then the error (code and byte offset) goes to stderr, exit code 1.

Example:
  tcpwire decode --pcap trace.pcapng --relative | head`;

/** Lines are gathered and written in blocks of about this many characters. */
const FLUSH_AT = 1 << 20;
/** Show a progress bar for files at least this big (when stderr is a terminal). */
const PROGRESS_MIN_BYTES = 32 * 1024 * 1024;

/** Buffers output lines and writes them in large blocks, waiting when the pipe is full. */
class LineSink {
  private parts: string[] = [];
  private size = 0;

  push(line: string): void {
    this.parts.push(line);
    this.size += line.length + 1;
  }

  get full(): boolean {
    return this.size >= FLUSH_AT;
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const text = `${this.parts.join('\n')}\n`;
    this.parts = [];
    this.size = 0;
    if (!process.stdout.write(text)) {
      await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
    }
  }
}

/** A progress bar on stderr, redrawn at most five times a second. */
class Progress {
  private last = 0;
  private shown = false;

  constructor(private readonly total: number) {}

  update(read: number, segments: number): void {
    const now = Date.now();
    if (now - this.last < 200) return;
    this.last = now;
    const frac = this.total > 0 ? Math.min(1, read / this.total) : 0;
    const width = 30;
    const done = Math.round(frac * width);
    const mb = (n: number): string => (n / 1048576).toFixed(0);
    process.stderr.write(
      `\r[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${(frac * 100).toFixed(0).padStart(3)}%  ${mb(read)}/${mb(this.total)} MiB  ${segments} segments`,
    );
    this.shown = true;
  }

  clear(): void {
    if (this.shown) process.stderr.write('\r\x1b[K');
  }
}

/** Time since the first record, in seconds with `digits` decimals, computed on integers. */
function elapsed(sec: number, nanos: number, sec0: number, nanos0: number, digits: number): string {
  let s = sec - sec0;
  let n = nanos - nanos0;
  if (n < 0) {
    s -= 1;
    n += 1_000_000_000;
  }
  const neg = s < 0;
  if (neg) {
    // Out-of-order timestamps: show the negative difference.
    const total = -(s * 1_000_000_000 + n);
    s = Math.floor(total / 1_000_000_000);
    n = total % 1_000_000_000;
  }
  return `${neg ? '-' : ''}${s}.${String(n).padStart(9, '0').slice(0, digits)}`;
}

function endpoint(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

const VERDICT_TEXT = { good: 'good', bad: 'BAD', partial: 'partial', unverified: 'unverified' } as const;

/** One summary line for a segment, in the spirit of tshark's. */
function segmentLine(item: CaptureSegment, time: string, seq: number, ack: number): string {
  const t = item.tcp;
  const parts = [
    String(item.frame).padStart(6),
    time,
    `${endpoint(item.ip.src, t.srcPort)} → ${endpoint(item.ip.dst, t.dstPort)}`,
    `[${formatFlags(t.flags) || '<None>'}]`,
    `Seq=${seq}`,
  ];
  if (t.flags.ack) parts.push(`Ack=${ack}`);
  parts.push(`Win=${t.window}`, `Len=${item.tcpLength - t.dataOffset * 4}`);
  for (const o of t.options) if (o.type !== 'nop' && o.type !== 'eol') parts.push(optionShort(o));
  if (t.urgentPointer !== 0 || t.flags.urg) parts.push(`Urg=${t.urgentPointer}`);
  if (item.truncated) parts.push('[truncated]');
  if (item.fragment) parts.push('[IP fragment]');
  parts.push(`cksum=${VERDICT_TEXT[item.checksum]}`);
  return parts.join(' ');
}

export async function decodePcapCommand(args: ParsedArgs): Promise<void> {
  const file = optString(args, 'pcap');
  if (file === undefined) throw new TcpWireError('BAD_INPUT', 'option --pcap needs a file name, or - for standard input');
  if (args.positional.length > 0) {
    throw new TcpWireError('BAD_INPUT', `decode --pcap reads a capture, not hex: unexpected argument "${args.positional[0]}"`);
  }
  if (args.options.has('src') || args.options.has('dst')) {
    throw new TcpWireError('BAD_INPUT', 'decode --pcap takes the addresses from the capture: leave out --src and --dst');
  }
  const json = args.options.has('json');
  const relative = args.options.has('relative');
  let source: CaptureSource;
  let size = 0;
  if (file === '-') {
    source = process.stdin as AsyncIterable<Uint8Array>;
  } else {
    try {
      const st = statSync(file);
      if (st.isDirectory()) throw new TcpWireError('BAD_INPUT', `cannot read ${file}: it is a directory, not a file`);
      size = st.size;
    } catch (e) {
      if (e instanceof TcpWireError) throw e;
      throw new TcpWireError('BAD_INPUT', `cannot read ${file}: no such file`);
    }
    source = file;
  }
  const progress = process.stderr.isTTY === true && size >= PROGRESS_MIN_BYTES ? new Progress(size) : undefined;
  const sink = new LineSink();
  const parser = new CaptureParser();
  const builder = new ItemBuilder({ skipped: false });
  const seqs = relative ? new RelativeSequencer() : undefined;
  // The time column counts from the first record, whatever it holds.
  let sec0 = -1;
  let nanos0 = 0;
  let digits = 6;
  let segments = 0;
  let read = 0;
  try {
    for await (const chunk of chunksOf(source, DEFAULT_CHUNK)) {
      parser.push(chunk);
      read += chunk.length;
      while (parser.next()) {
        if (sec0 < 0) {
          sec0 = parser.record.seconds;
          nanos0 = parser.record.nanos;
          digits = parser.record.timeDigits;
        }
        const item = builder.build(parser);
        if (item === undefined) continue;
        if (item.kind === 'segment') {
          segments++;
          const rel = seqs?.forSegment(item);
          if (json) {
            const extra = rel === undefined ? undefined : { relativeSeq: rel.seq, relativeAck: rel.ack, stream: rel.stream };
            sink.push(JSON.stringify(captureItemToJson(item, extra)));
          } else {
            const time = elapsed(item.seconds, item.nanos, sec0, nanos0, digits);
            sink.push(segmentLine(item, time, rel?.seq ?? item.tcp.seq, rel?.ack ?? item.tcp.ack));
          }
        } else if (item.kind === 'error') {
          if (json) sink.push(JSON.stringify(captureItemToJson(item)));
          else {
            const time = elapsed(item.seconds, item.nanos, sec0, nanos0, digits);
            const e = item.error;
            sink.push(`${String(item.frame).padStart(6)} ${time} malformed: ${e.code}${e.offset >= 0 ? ` at byte ${e.offset}` : ''}: ${e.message}`);
          }
        }
        if (sink.full) await sink.flush();
      }
      progress?.update(read, segments);
    }
    parser.finish();
  } finally {
    progress?.clear();
    await sink.flush();
  }
}
