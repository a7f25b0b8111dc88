/** `tcpwire decode --pcap FILE|- [--json] [--relative]`: every TCP segment of a capture, one line each. */

import { statSync } from 'node:fs';
import { captureItemToJson } from '../../capture/item-json.js';
import { CaptureParser } from '../../capture/parser.js';
import { ItemBuilder, segmentError } from '../../capture/reader.js';
import { type RelativeNumbers, RelativeSequencer } from '../../capture/relative.js';
import { type SegmentMeta, SegmentScanner } from '../../capture/scan.js';
import { TcpWireError } from '../../errors.js';
import { optionShort } from '../../field-map.js';
import { flagsFromBits, formatFlags } from '../../flags.js';
import { ipv4TextAt, ipv6TextAt } from '../../ip/address-text.js';
import { FLAG, OPTION_KIND, OPTION_LEN } from '../../layout.js';
import { type CaptureSource, DEFAULT_CHUNK, feed } from '../../node/open-capture.js';
import { readOption } from '../../options.js';
import { decodeSegment } from '../../segment.js';
import type { TcpView } from '../../view.js';
import { type ParsedArgs, optString } from '../args.js';
import { writeSegmentJson } from '../json-bytes.js';
import { LineSink } from '../line-sink.js';
import { segmentErrorJsonLine, segmentJsonLine } from '../pcap-json.js';
import type { Json } from '../../json.js';

export const DECODE_PCAP_HELP = `usage: tcpwire decode --pcap FILE|- [--json] [--relative]

Decodes every TCP segment of a pcap or pcapng capture (a file, or standard input with
"-"), one line per segment: frame number, time since the first packet, addresses and
ports (source > destination), flags, seq/ack, window, payload length, options in short
(MSS=, WS=, SACK_PERM, TS=val,ecr, SACK=l-r), urgent pointer if any, and the checksum
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

/** Show a progress bar for files at least this big (when stderr is a terminal). */
const PROGRESS_MIN_BYTES = 32 * 1024 * 1024;


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
      `\r\x1b[K[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${(frac * 100).toFixed(0).padStart(3)}%  ${mb(read)}/${mb(this.total)} MiB  ${segments} segments`,
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

/** "[SYN, ACK]" for each of the 512 flag combinations, made once. */
const FLAG_TEXT: readonly string[] = Array.from({ length: 512 }, (_, bits) => `[${formatFlags(flagsFromBits(bits)) || '<None>'}]`);

/**
 * The options in short (" MSS=1460 SACK_PERM TS=1,0 WS=7", as `optionShort` writes them, NOPs
 * and EOL left out), read in place; undefined if the option list is malformed.
 */
function optionsText(view: TcpView): string | undefined {
  const b = view.bytes;
  const end = view.offset + view.headerLength;
  let p = view.offset + 20;
  let out = '';
  while (p < end) {
    const k = b[p] as number;
    if (k === OPTION_KIND.EOL) break;
    if (k === OPTION_KIND.NOP) {
      p++;
      continue;
    }
    if (p + 1 >= end) return undefined;
    const n = b[p + 1] as number;
    if (n < 2 || p + n > end) return undefined;
    if (k === OPTION_KIND.TIMESTAMPS && n === OPTION_LEN.TIMESTAMPS) {
      const tsval = (((b[p + 2] as number) << 24) | ((b[p + 3] as number) << 16) | ((b[p + 4] as number) << 8) | (b[p + 5] as number)) >>> 0;
      const tsecr = (((b[p + 6] as number) << 24) | ((b[p + 7] as number) << 16) | ((b[p + 8] as number) << 8) | (b[p + 9] as number)) >>> 0;
      out += ` TS=${tsval},${tsecr}`;
    } else if (k === OPTION_KIND.MSS && n === OPTION_LEN.MSS) {
      out += ` MSS=${((b[p + 2] as number) << 8) | (b[p + 3] as number)}`;
    } else if (k === OPTION_KIND.WINDOW_SCALE && n === OPTION_LEN.WINDOW_SCALE) {
      out += ` WS=${b[p + 2] as number}`;
    } else if (k === OPTION_KIND.SACK_PERMITTED && n === OPTION_LEN.SACK_PERMITTED) {
      out += ' SACK_PERM';
    } else {
      out += ` ${optionShort(readOption(b, p, end))}`;
    }
    p += n;
  }
  return out;
}

const VERDICT_TEXT = { good: 'good', bad: 'BAD', partial: 'partial', unverified: 'unverified' } as const;

/** Writes the lines of the text mode: the fast path, reading each segment in place. */
class TextLines {
  private sec0 = -1;
  private nanos0 = 0;
  private digits = 6;
  private readonly seqs: RelativeSequencer | undefined;

  constructor(
    private readonly sink: LineSink,
    relative: boolean,
    private readonly parser: CaptureParser,
  ) {
    this.seqs = relative ? new RelativeSequencer() : undefined;
  }

  /** The time column: seconds since the first record, whatever that record held. */
  private time(meta: SegmentMeta): string {
    if (this.sec0 < 0) {
      this.sec0 = meta.seconds;
      this.nanos0 = meta.nanos;
      this.digits = this.parser.record.timeDigits;
    }
    return elapsed(meta.seconds, meta.nanos, this.sec0, this.nanos0, this.digits);
  }

  /** Notes the first record's time even when it is not a segment (call for every record seen). */
  firstRecord(seconds: number, nanos: number, digits: number): void {
    if (this.sec0 < 0) {
      this.sec0 = seconds;
      this.nanos0 = nanos;
      this.digits = digits;
    }
  }

  segment(view: TcpView, meta: SegmentMeta): void {
    const opts = optionsText(view);
    if (opts === undefined) {
      // A malformed option list: the same report the item reader gives.
      let error: TcpWireError | undefined;
      try {
        decodeSegment(view.segment);
      } catch (e) {
        error = segmentError(e, meta.base + meta.tcpOffset);
      }
      if (error !== undefined) {
        this.error(error, meta);
        return;
      }
    }
    const b = view.bytes;
    const v6 = meta.ipVersion === 6;
    const src = v6 ? ipv6TextAt(b, meta.srcOffset) : ipv4TextAt(b, meta.srcOffset);
    const dst = v6 ? ipv6TextAt(b, meta.ipOffset + 24) : ipv4TextAt(b, meta.ipOffset + 16);
    const bits = view.flagBits;
    const sp = view.srcPort;
    const dp = view.dstPort;
    let seq = view.seq;
    let ack = view.ack;
    if (this.seqs !== undefined) {
      const r = this.seqs.next(src, sp, dst, dp, seq, ack, bits);
      seq = r.seq;
      ack = r.ack;
    }
    const urg = view.urgentPointer;
    const line =
      `${String(meta.frame).padStart(6)} ${this.time(meta)} ` +
      (v6 ? `[${src}]:${sp} > [${dst}]:${dp} ` : `${src}:${sp} > ${dst}:${dp} `) +
      `${FLAG_TEXT[bits] as string} Seq=${seq}${bits & FLAG.ACK ? ` Ack=${ack}` : ''} Win=${view.window} Len=${meta.tcpLength - view.headerLength}` +
      `${opts ?? ''}${urg !== 0 || bits & FLAG.URG ? ` Urg=${urg}` : ''}${meta.truncated ? ' [truncated]' : ''}${meta.fragment ? ' [IP fragment]' : ''}` +
      ` cksum=${VERDICT_TEXT[meta.checksum()]}`;
    this.sink.push(line);
  }

  error(e: TcpWireError, meta: SegmentMeta): void {
    this.sink.push(`${String(meta.frame).padStart(6)} ${this.time(meta)} malformed: ${e.code}${e.offset >= 0 ? ` at byte ${e.offset}` : ''}: ${e.message}`);
  }
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
  try {
    if (json) await jsonLines(source, parser, sink, relative, progress);
    else await textLines(source, parser, sink, relative, progress);
    parser.finish();
  } finally {
    progress?.clear();
    await sink.flush();
  }
}

/** The text mode: the segment scanner, one reused view, lines built from the bytes in place. */
async function textLines(source: CaptureSource, parser: CaptureParser, sink: LineSink, relative: boolean, progress: Progress | undefined): Promise<void> {
  const lines = new TextLines(sink, relative, parser);
  const scanner = new SegmentScanner((view, meta) => lines.segment(view, meta), {
    onError: (e, _frame, meta) => lines.error(e, meta),
  });
  for await (const read of feed(parser, source, DEFAULT_CHUNK, true)) {
    if (parser.frames === 0 && parser.next()) {
      // The first record sets the time origin, and still goes through the scanner's general path.
      lines.firstRecord(parser.record.seconds, parser.record.nanos, parser.record.timeDigits);
      parser.seek(parser.record.offset, parser.frames - 1);
    }
    scanner.scan(parser);
    if (sink.full) await sink.flush();
    progress?.update(read, scanner.stats.segments);
  }
}

/**
 * The JSON mode: one capture item a line, with the library's field names, written from the
 * bytes in place (see pcap-json.ts); malformed records are written from their items.
 */
async function jsonLines(source: CaptureSource, parser: CaptureParser, sink: LineSink, relative: boolean, progress: Progress | undefined): Promise<void> {
  const builder = new ItemBuilder({ skipped: false });
  const seqs = relative ? new RelativeSequencer() : undefined;
  const scanner = new SegmentScanner(
    (view, meta) => {
      let rel: RelativeNumbers | undefined;
      if (seqs !== undefined) {
        const b = view.bytes;
        const v6 = meta.ipVersion === 6;
        const src = v6 ? ipv6TextAt(b, meta.srcOffset) : ipv4TextAt(b, meta.srcOffset);
        const dst = v6 ? ipv6TextAt(b, meta.ipOffset + 24) : ipv4TextAt(b, meta.ipOffset + 16);
        rel = seqs.next(src, view.srcPort, dst, view.dstPort, view.seq, view.ack, view.flagBits);
      }
      // The usual case as bytes; the rest through the string builder.
      if (writeSegmentJson(sink, view, meta, rel)) return;
      const extra: { [key: string]: Json } | undefined = rel && { relativeSeq: rel.seq, relativeAck: rel.ack, stream: rel.stream };
      let line: string;
      try {
        line = segmentJsonLine(view, meta, extra);
      } catch (e) {
        // an option list the view left unread turned out malformed
        line = segmentErrorJsonLine(meta, segmentError(e, meta.base + meta.tcpOffset));
      }
      sink.push(line);
    },
    {
      // The general path calls this right after parsing the record: the parser still holds it.
      onError: () => {
        const item = builder.build(parser);
        if (item !== undefined) sink.push(JSON.stringify(captureItemToJson(item)));
      },
    },
  );
  for await (const read of feed(parser, source, DEFAULT_CHUNK, true)) {
    scanner.scan(parser);
    if (sink.full) await sink.flush();
    progress?.update(read, scanner.stats.segments);
  }
}
