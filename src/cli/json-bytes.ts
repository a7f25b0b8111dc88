/**
 * NDJSON lines for `decode --pcap --json` written as bytes straight into the output buffer:
 * no strings for the numbers (turning some forty numbers a line into strings is what costs),
 * constants copied from pre-encoded bytes. It takes the usual case (IPv4, or IPv6 without
 * extension headers, and the usual options well formed); {@link writeSegmentJson} returns
 * false for anything else, and the caller writes that line with the string builder of
 * pcap-json.ts. Either way the line is exactly `JSON.stringify(captureItemToJson(item))`: the
 * tests compare them on every fixture.
 */

import type { SegmentMeta } from '../capture/scan.js';
import { flagsFromBits } from '../flags.js';
import { ipv4TextAt, ipv6TextAt } from '../ip/address-text.js';
import { MAX_SACK_BLOCKS, MAX_WINDOW_SHIFT, OPTION_KIND, OPTION_LEN, SACK_BLOCK_LEN } from '../layout.js';
import type { TcpView } from '../view.js';
import type { LineSink } from './line-sink.js';

const enc = new TextEncoder();
const lit = (s: string): Uint8Array => enc.encode(s);

const K = {
  start: lit('{"kind":"segment","frame":'),
  ts: lit(',"timestampNs":"'),
  seconds: lit('","seconds":'),
  nanos: lit(',"nanos":'),
  linkType: lit(',"linkType":'),
  interfaceId: lit(',"interfaceId":'),
  capturedLength: lit(',"capturedLength":'),
  originalLength: lit(',"originalLength":'),
  ip4: lit(',"ip":{"version":4,"src":"'),
  ip6: lit(',"ip":{"version":6,"src":"'),
  dst: lit('","dst":"'),
  headerLength: lit('","headerLength":'),
  dscp: lit(',"dscp":'),
  ecn: lit(',"ecn":'),
  totalLength: lit(',"totalLength":'),
  id: lit(',"id":'),
  df: lit(',"df":'),
  mf: lit(',"mf":'),
  fragmentOffset: lit(',"fragmentOffset":'),
  ttl: lit(',"ttl":'),
  protocol: lit(',"protocol":'),
  checksum: lit(',"checksum":'),
  checksumOk: lit(',"checksumOk":'),
  ipOptions: lit(',"options":"'),
  ipEnd4: lit('"}'),
  trafficClass: lit('","trafficClass":'),
  flowLabel: lit(',"flowLabel":'),
  payloadLength: lit(',"payloadLength":'),
  hopLimit: lit(',"hopLimit":'),
  finalDst: lit(',"finalDst":"'),
  ext: lit('","extensions":[],"protocol":'),
  ipEnd6: lit('}'),
  tcp: lit(',"tcp":{"srcPort":'),
  dstPort: lit(',"dstPort":'),
  seq: lit(',"seq":'),
  ack: lit(',"ack":'),
  dataOffset: lit(',"dataOffset":'),
  reserved: lit(',"reserved":'),
  flags: lit(',"flags":'),
  window: lit(',"window":'),
  urgentPointer: lit(',"urgentPointer":'),
  options: lit(',"options":['),
  nop: lit('{"type":"nop"}'),
  eol: lit('{"type":"eol"}'),
  mss: lit('{"type":"mss","value":'),
  ws: lit('{"type":"windowScale","shift":'),
  sackPerm: lit('{"type":"sackPermitted"}'),
  tsval: lit('{"type":"timestamps","tsval":'),
  tsecr: lit(',"tsecr":'),
  sack: lit('{"type":"sack","blocks":['),
  sackEnd: lit(']}'),
  padding: lit('],"padding":"'),
  payload: lit('","payload":"'),
  tcpEnd: lit('","warnings":[]}'),
  verdict: lit(',"checksum":"'),
  tcpLength: lit('","tcpLength":'),
  truncated: lit(',"truncated":'),
  fragment: lit(',"fragment":'),
  lengthFromCapture: lit(',"lengthFromCapture":'),
  offsets: lit(',"offsets":{"record":'),
  packet: lit(',"packet":'),
  ip: lit(',"ip":'),
  tcpAt: lit(',"tcp":'),
  payloadAt: lit(',"payload":'),
  end: lit('}'),
  relativeSeq: lit(',"relativeSeq":'),
  relativeAck: lit(',"relativeAck":'),
  stream: lit(',"stream":'),
  true: lit('true'),
  false: lit('false'),
} as const;

const FLAGS: readonly Uint8Array[] = Array.from({ length: 512 }, (_, bits) => lit(JSON.stringify(flagsFromBits(bits))));
const VERDICTS = { good: lit('good'), bad: lit('bad'), partial: lit('partial'), unverified: lit('unverified') } as const;
/** "00".."ff" as ASCII, two bytes an entry. */
const HEX = lit(Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0')).join(''));

/** The relative numbers to append, or undefined. */
export interface RelativeFields {
  seq: number;
  ack: number;
  stream: number;
}

function put(s: LineSink, c: Uint8Array): void {
  const n = c.length;
  if (n > 16) {
    // memcpy beats a loop once the constant is long enough to pay for the call
    s.buf.set(c, s.pos);
    s.pos += n;
    return;
  }
  const b = s.buf;
  let p = s.pos;
  for (let i = 0; i < n; i++) b[p++] = c[i] as number;
  s.pos = p;
}

/** A non-negative integer below 2^53 in decimal. */
function num(s: LineSink, n: number): void {
  const b = s.buf;
  let p = s.pos;
  if (n < 10) {
    b[p] = 48 + n;
    s.pos = p + 1;
    return;
  }
  let len = 1;
  if (n <= 0x7fffffff) {
    for (let x = n; x >= 10; x = (x / 10) | 0) len++;
    p += len;
    s.pos = p;
    let x = n;
    while (x >= 10) {
      const q = (x / 10) | 0;
      b[--p] = 48 + x - q * 10;
      x = q;
    }
    b[--p] = 48 + x;
    return;
  }
  for (let x = n; x >= 10; x = Math.floor(x / 10)) len++;
  p += len;
  s.pos = p;
  let x = n;
  while (x >= 10) {
    const q = Math.floor(x / 10);
    b[--p] = 48 + x - q * 10;
    x = q;
  }
  b[--p] = 48 + x;
}

/** `n` (below 10^9) as exactly nine digits. */
function nine(s: LineSink, n: number): void {
  const b = s.buf;
  let p = s.pos + 9;
  s.pos = p;
  let x = n;
  for (let i = 0; i < 9; i++) {
    const q = (x / 10) | 0;
    b[--p] = 48 + x - q * 10;
    x = q;
  }
}

function ascii(s: LineSink, t: string): void {
  const b = s.buf;
  let p = s.pos;
  for (let i = 0; i < t.length; i++) b[p++] = t.charCodeAt(i);
  s.pos = p;
}

function bool(s: LineSink, v: boolean): void {
  put(s, v ? K.true : K.false);
}

function hex(s: LineSink, from: Uint8Array, start: number, end: number): void {
  const b = s.buf;
  let p = s.pos;
  for (let i = start; i < end; i++) {
    const v = (from[i] as number) << 1;
    b[p++] = HEX[v] as number;
    b[p++] = HEX[v + 1] as number;
  }
  s.pos = p;
}

function u16(b: Uint8Array, at: number): number {
  return ((b[at] as number) << 8) | (b[at + 1] as number);
}

function u32(b: Uint8Array, at: number): number {
  return (((b[at] as number) << 24) | ((b[at + 1] as number) << 16) | ((b[at + 2] as number) << 8) | (b[at + 3] as number)) >>> 0;
}

/** True if every option is one this writer spells (and well formed, drawing no warning). */
function usualOptions(b: Uint8Array, start: number, end: number): boolean {
  let p = start;
  while (p < end) {
    const k = b[p] as number;
    if (k === OPTION_KIND.EOL) return true;
    if (k === OPTION_KIND.NOP) {
      p++;
      continue;
    }
    if (p + 1 >= end) return false;
    const n = b[p + 1] as number;
    if (n < 2 || p + n > end) return false;
    const ok =
      (k === OPTION_KIND.TIMESTAMPS && n === OPTION_LEN.TIMESTAMPS) ||
      (k === OPTION_KIND.MSS && n === OPTION_LEN.MSS) ||
      (k === OPTION_KIND.WINDOW_SCALE && n === OPTION_LEN.WINDOW_SCALE && (b[p + 2] as number) <= MAX_WINDOW_SHIFT) ||
      (k === OPTION_KIND.SACK_PERMITTED && n === OPTION_LEN.SACK_PERMITTED) ||
      (k === OPTION_KIND.SACK && n > 2 && (n - 2) % SACK_BLOCK_LEN === 0 && (n - 2) / SACK_BLOCK_LEN <= MAX_SACK_BLOCKS);
    if (!ok) return false;
    p += n;
  }
  return true;
}

/**
 * Writes the NDJSON line of the segment (with its newline) into the sink and returns true,
 * or returns false (having written nothing) when the segment is not the usual case.
 */
export function writeSegmentJson(s: LineSink, view: TcpView, meta: SegmentMeta, rel?: RelativeFields): boolean {
  const b = view.bytes;
  const ip = meta.ipOffset;
  const tcp = view.offset;
  const hdrEnd = tcp + view.headerLength;
  const v4 = meta.ipVersion === 4;
  if (!v4 && !(tcp === ip + 40 && meta.dstOffset === ip + 24)) return false;
  if (!usualOptions(b, tcp + 20, hdrEnd)) return false;
  const hl = v4 ? ((b[ip] as number) & 15) * 4 : 40;
  // Room for everything but the hex: 4 KiB is far more than the fixed parts and numbers take.
  s.ensure(4096 + 2 * (view.length + hl));
  const base = meta.base;
  put(s, K.start);
  num(s, meta.frame);
  put(s, K.ts);
  if (meta.seconds === 0) num(s, meta.nanos);
  else {
    num(s, meta.seconds);
    nine(s, meta.nanos);
  }
  put(s, K.seconds);
  num(s, meta.seconds);
  put(s, K.nanos);
  num(s, meta.nanos);
  put(s, K.linkType);
  num(s, meta.linkType);
  put(s, K.interfaceId);
  num(s, meta.interfaceId);
  put(s, K.capturedLength);
  num(s, meta.capturedLength);
  put(s, K.originalLength);
  num(s, meta.originalLength);
  if (v4) {
    const tos = b[ip + 1] as number;
    const ff = u16(b, ip + 6);
    let sum = 0;
    for (let i = ip; i < ip + hl; i += 2) sum += u16(b, i);
    sum = (sum & 0xffff) + (sum >>> 16);
    sum = (sum & 0xffff) + (sum >>> 16);
    put(s, K.ip4);
    ascii(s, ipv4TextAt(b, ip + 12));
    put(s, K.dst);
    ascii(s, ipv4TextAt(b, ip + 16));
    put(s, K.headerLength);
    num(s, hl);
    put(s, K.dscp);
    num(s, tos >>> 2);
    put(s, K.ecn);
    num(s, tos & 3);
    put(s, K.totalLength);
    num(s, u16(b, ip + 2));
    put(s, K.id);
    num(s, u16(b, ip + 4));
    put(s, K.df);
    bool(s, (ff & 0x4000) !== 0);
    put(s, K.mf);
    bool(s, (ff & 0x2000) !== 0);
    put(s, K.fragmentOffset);
    num(s, (ff & 0x1fff) * 8);
    put(s, K.ttl);
    num(s, b[ip + 8] as number);
    put(s, K.protocol);
    num(s, b[ip + 9] as number);
    put(s, K.checksum);
    num(s, u16(b, ip + 10));
    put(s, K.checksumOk);
    bool(s, sum === 0xffff);
    put(s, K.ipOptions);
    hex(s, b, ip + 20, ip + hl);
    put(s, K.ipEnd4);
  } else {
    const w0 = u32(b, ip);
    const dst = ipv6TextAt(b, ip + 24);
    put(s, K.ip6);
    ascii(s, ipv6TextAt(b, ip + 8));
    put(s, K.dst);
    ascii(s, dst);
    put(s, K.trafficClass);
    num(s, (w0 >>> 20) & 0xff);
    put(s, K.ecn);
    num(s, (w0 >>> 20) & 3);
    put(s, K.flowLabel);
    num(s, w0 & 0xfffff);
    put(s, K.payloadLength);
    num(s, u16(b, ip + 4));
    put(s, K.hopLimit);
    num(s, b[ip + 7] as number);
    put(s, K.finalDst);
    ascii(s, dst);
    put(s, K.ext);
    num(s, b[ip + 6] as number);
    put(s, K.ipEnd6);
  }
  put(s, K.tcp);
  num(s, view.srcPort);
  put(s, K.dstPort);
  num(s, view.dstPort);
  put(s, K.seq);
  num(s, view.seq);
  put(s, K.ack);
  num(s, view.ack);
  put(s, K.dataOffset);
  num(s, view.dataOffset);
  put(s, K.reserved);
  num(s, view.reserved);
  put(s, K.flags);
  put(s, FLAGS[view.flagBits] as Uint8Array);
  put(s, K.window);
  num(s, view.window);
  put(s, K.checksum);
  num(s, view.checksum);
  put(s, K.urgentPointer);
  num(s, u16(b, tcp + 18));
  put(s, K.options);
  let p = tcp + 20;
  let first = true;
  while (p < hdrEnd) {
    const k = b[p] as number;
    if (!first) s.buf[s.pos++] = 0x2c; // ,
    first = false;
    if (k === OPTION_KIND.EOL) {
      put(s, K.eol);
      p++;
      break;
    }
    if (k === OPTION_KIND.NOP) {
      put(s, K.nop);
      p++;
      continue;
    }
    const n = b[p + 1] as number;
    if (k === OPTION_KIND.TIMESTAMPS) {
      put(s, K.tsval);
      num(s, u32(b, p + 2));
      put(s, K.tsecr);
      num(s, u32(b, p + 6));
      put(s, K.end);
    } else if (k === OPTION_KIND.MSS) {
      put(s, K.mss);
      num(s, u16(b, p + 2));
      put(s, K.end);
    } else if (k === OPTION_KIND.WINDOW_SCALE) {
      put(s, K.ws);
      num(s, b[p + 2] as number);
      put(s, K.end);
    } else if (k === OPTION_KIND.SACK_PERMITTED) {
      put(s, K.sackPerm);
    } else {
      put(s, K.sack);
      for (let q = p + 2; q < p + n; q += SACK_BLOCK_LEN) {
        if (q !== p + 2) s.buf[s.pos++] = 0x2c;
        s.buf[s.pos++] = 0x5b; // [
        num(s, u32(b, q));
        s.buf[s.pos++] = 0x2c;
        num(s, u32(b, q + 4));
        s.buf[s.pos++] = 0x5d; // ]
      }
      put(s, K.sackEnd);
    }
    p += n;
  }
  put(s, K.padding);
  hex(s, b, p, hdrEnd);
  put(s, K.payload);
  hex(s, b, hdrEnd, tcp + view.length);
  put(s, K.tcpEnd);
  put(s, K.verdict);
  put(s, VERDICTS[meta.checksum()]);
  put(s, K.tcpLength);
  num(s, meta.tcpLength);
  put(s, K.truncated);
  bool(s, meta.truncated);
  put(s, K.fragment);
  bool(s, meta.fragment);
  put(s, K.lengthFromCapture);
  bool(s, meta.lengthFromCapture);
  put(s, K.offsets);
  num(s, base + meta.recordOffset);
  put(s, K.packet);
  num(s, base + meta.packetOffset);
  put(s, K.ip);
  num(s, base + ip);
  put(s, K.tcpAt);
  num(s, base + tcp);
  put(s, K.payloadAt);
  num(s, base + hdrEnd);
  put(s, K.end);
  if (rel !== undefined) {
    put(s, K.relativeSeq);
    num(s, rel.seq);
    put(s, K.relativeAck);
    num(s, rel.ack);
    put(s, K.stream);
    num(s, rel.stream);
  }
  put(s, K.end);
  s.buf[s.pos++] = 0x0a;
  return true;
}
