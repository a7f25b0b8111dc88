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
import { ipv6TextAt } from '../ip/address-text.js';
import { MAX_SACK_BLOCKS, MAX_WINDOW_SHIFT, OPTION_KIND, OPTION_LEN, SACK_BLOCK_LEN } from '../layout.js';
import type { TcpView } from '../view.js';
import type { LineSink } from './line-sink.js';

const enc = new TextEncoder();

/**
 * A constant piece of a line, as 8-byte words (the last one padded with spaces), copied
 * with one DataView store per eight bytes; the padding lands past the piece's end, where the
 * next write goes, or past the line's end inside the room reserved. The words are held as
 * float64s: every byte is printable ASCII (0x20..0x7e), so the top byte of a word is never
 * 0x7f or 0xff and no word is a NaN (whose bits V8 may change) or a subnormal: each one is
 * a plain finite number whose bits a store writes back unchanged.
 */
class Piece {
  readonly words: Float64Array;
  constructor(readonly n: number, bytes: Uint8Array) {
    const padded = new Uint8Array((n + 7) & ~7).fill(0x20);
    padded.set(bytes);
    for (const c of padded) if (c < 0x20 || c > 0x7e) throw new Error('a line piece must be printable ASCII');
    const dv = new DataView(padded.buffer);
    this.words = new Float64Array(padded.length >> 3);
    for (let i = 0; i < this.words.length; i++) this.words[i] = dv.getFloat64(i * 8, true);
  }
}

const lit = (s: string): Piece => {
  const bytes = enc.encode(s);
  return new Piece(bytes.length, bytes);
};

/** The pieces between the values, as bytes (adjacent constants merged). */
const K = {
  start: lit('{"kind":"segment","frame":'),
  ts: lit(',"timestampNs":"'),
  seconds: lit('","seconds":'),
  nanos: lit(',"nanos":'),
  secondsZero: lit('","seconds":0,"nanos":'),
  originalLength: lit(',"originalLength":'),
  ip4: lit(',"ip":{"version":4,"src":"'),
  ip6: lit(',"ip":{"version":6,"src":"'),
  dst: lit('","dst":"'),
  ecn: lit(',"ecn":'),
  id: lit(',"id":'),
  dfTrue: lit(',"df":true,"mf":'),
  dfFalse: lit(',"df":false,"mf":'),
  mfTrue: lit('true,"fragmentOffset":'),
  mfFalse: lit('false,"fragmentOffset":'),
  ttl: lit(',"ttl":'),
  protocol: lit(',"protocol":'),
  checksum: lit(',"checksum":'),
  okTrue: lit(',"checksumOk":true,"options":"'),
  okFalse: lit(',"checksumOk":false,"options":"'),
  ipEnd4: lit('"},"tcp":{"srcPort":'),
  trafficClass: lit('","trafficClass":'),
  flowLabel: lit(',"flowLabel":'),
  payloadLength: lit(',"payloadLength":'),
  hopLimit: lit(',"hopLimit":'),
  finalDst: lit(',"finalDst":"'),
  ext: lit('","extensions":[],"protocol":'),
  ipEnd6: lit('},"tcp":{"srcPort":'),
  dstPort: lit(',"dstPort":'),
  seq: lit(',"seq":'),
  ack: lit(',"ack":'),
  urgentPointer: lit(',"urgentPointer":'),
  options: lit(',"options":['),
  nop: lit('{"type":"nop"}'),
  eol: lit('{"type":"eol"}'),
  mss: lit('{"type":"mss","value":'),
  ws: lit('{"type":"windowScale","shift":'),
  sackPerm: lit('{"type":"sackPermitted"}'),
  tsval: lit('{"type":"timestamps","tsval":'),
  nopNopTsval: lit('{"type":"nop"},{"type":"nop"},{"type":"timestamps","tsval":'),
  tsecr: lit(',"tsecr":'),
  sack: lit('{"type":"sack","blocks":['),
  sackEnd: lit(']}'),
  padding: lit('],"padding":"'),
  payload: lit('","payload":"'),
  packet: lit(',"packet":'),
  ip: lit(',"ip":'),
  tcpAt: lit(',"tcp":'),
  payloadAt: lit(',"payload":'),
  relativeSeq: lit('},"relativeSeq":'),
  relativeAck: lit(',"relativeAck":'),
  stream: lit(',"stream":'),
} as const;

/** `","warnings":[]},"checksum":"` + the verdict + `","tcpLength":`, one constant per verdict. */
const VERDICTS = {
  good: lit('","warnings":[]},"checksum":"good","tcpLength":'),
  bad: lit('","warnings":[]},"checksum":"bad","tcpLength":'),
  partial: lit('","warnings":[]},"checksum":"partial","tcpLength":'),
  unverified: lit('","warnings":[]},"checksum":"unverified","tcpLength":'),
} as const;

/** "00".."ff" as little-endian 16-bit words of ASCII. */
const HEX16 = Uint16Array.from({ length: 256 }, (_, i) => {
  const t = i.toString(16).padStart(2, '0');
  return t.charCodeAt(0) | (t.charCodeAt(1) << 8);
});

/*
 * Runs of keys and small values that repeat from line to line, each made into one piece the
 * first time it is met (at most a few thousand pieces, small ones): fewer, longer copies.
 */

/** `","headerLength":H,"dscp":D,"ecn":E,"totalLength":` by header length / 4 and TOS byte. */
const IP_HL_TOS: (Piece | undefined)[] = new Array<Piece | undefined>(16 * 256).fill(undefined);
/** `,"df":A,"mf":B,"fragmentOffset":0,"ttl":T,"protocol":6,"checksum":` by DF, MF and TTL. */
const IP_MID: (Piece | undefined)[] = new Array<Piece | undefined>(4 * 256).fill(undefined);
/** `,"dataOffset":O,"reserved":R,"flags":{...},"window":` by the TCP header's bytes 12 and 13. */
const TCP_MID: (Piece | undefined)[] = new Array<Piece | undefined>(65536).fill(undefined);

function ipHlTos(hl: number, tos: number): Piece {
  const key = ((hl >>> 2) << 8) | tos;
  let c = IP_HL_TOS[key];
  if (c === undefined) IP_HL_TOS[key] = c = lit(`","headerLength":${hl},"dscp":${tos >>> 2},"ecn":${tos & 3},"totalLength":`);
  return c;
}

function ipMid(dfmf: number, ttl: number): Piece {
  const key = (dfmf << 8) | ttl;
  let c = IP_MID[key];
  if (c === undefined) {
    IP_MID[key] = c = lit(`,"df":${(dfmf & 2) !== 0},"mf":${(dfmf & 1) !== 0},"fragmentOffset":0,"ttl":${ttl},"protocol":6,"checksum":`);
  }
  return c;
}

function tcpMid(w: number): Piece {
  let c = TCP_MID[w];
  if (c === undefined) {
    const b12 = w >>> 8;
    TCP_MID[w] = c = lit(`,"dataOffset":${b12 >>> 4},"reserved":${(b12 >>> 1) & 7},"flags":${JSON.stringify(flagsFromBits(w & 0x1ff))},"window":`);
  }
  return c;
}

/** `,"linkType":L,"interfaceId":I,"capturedLength":` for the last link type and interface seen. */
let linkKey = -1;
let linkIface = -1;
let linkLast: Piece = lit('');

function linkPiece(linkType: number, iface: number): Piece {
  if (linkType !== linkKey || iface !== linkIface) {
    linkLast = lit(`,"linkType":${linkType},"interfaceId":${iface},"capturedLength":`);
    linkKey = linkType;
    linkIface = iface;
  }
  return linkLast;
}

/** `,"truncated":A,"fragment":B,"lengthFromCapture":C,"offsets":{"record":` by the three flags (A = 4). */
const BOOLS: readonly Piece[] = Array.from({ length: 8 }, (_, i) =>
  lit(`,"truncated":${(i & 4) !== 0},"fragment":${(i & 2) !== 0},"lengthFromCapture":${(i & 1) !== 0},"offsets":{"record":`),
);

/** The relative numbers to append, or undefined. */
export interface RelativeFields {
  seq: number;
  ack: number;
  stream: number;
}

/** Copies the constant `c` to `b[p..]`; returns the position after it. */
function put(d: DataView, p: number, c: Piece): number {
  const w = c.words;
  const n = w.length;
  for (let i = 0; i < n; i++) d.setFloat64(p + (i << 3), w[i] as number, true);
  return p + c.n;
}

/** "0000".."9999" as little-endian 32-bit words of ASCII digits. */
const DEC4 = Int32Array.from({ length: 10000 }, (_, i) => {
  const t = String(i).padStart(4, '0');
  return t.charCodeAt(0) | (t.charCodeAt(1) << 8) | (t.charCodeAt(2) << 16) | (t.charCodeAt(3) << 24);
});

/**
 * 0..9999 in decimal without leading zeros, left-aligned in a little-endian 32-bit word (the
 * bytes past the digits are spaces), and how many digits: one store writes any of them; the
 * spaces land where the next write goes, or inside the room reserved past the line.
 */
const DECW = new Int32Array(10000);
const DECL = new Uint8Array(10000);
/** 0..255 and a dot ("255."), as {@link DECW} and {@link DECL}: an IPv4 address byte and its dot in one store. */
const DOTW = new Int32Array(256);
const DOTL = new Uint8Array(256);
{
  const word = (t: string): number => {
    const u = t.padEnd(4, ' ');
    return u.charCodeAt(0) | (u.charCodeAt(1) << 8) | (u.charCodeAt(2) << 16) | (u.charCodeAt(3) << 24);
  };
  for (let i = 0; i < 10000; i++) {
    DECW[i] = word(String(i));
    DECL[i] = String(i).length;
  }
  for (let i = 0; i < 256; i++) {
    DOTW[i] = word(`${i}.`);
    DOTL[i] = `${i}.`.length;
  }
}

/** `n` below 10^4 in decimal (no leading zeros); returns the position after it. */
function upTo4(d: DataView, p: number, n: number): number {
  d.setInt32(p, DECW[n] as number, true);
  return p + (DECL[n] as number);
}

/** A non-negative integer below 2^53 in decimal at `p`; returns the position after it. */
function num(d: DataView, p: number, n: number): number {
  if (n < 10000) return upTo4(d, p, n);
  if (n < 100000000) {
    const hi = (n / 10000) | 0;
    p = upTo4(d, p, hi);
    d.setInt32(p, DEC4[n - hi * 10000] as number, true);
    return p + 4;
  }
  return bigNum(d, p, n);
}

/** {@link num} for 10^8 and up. */
function bigNum(d: DataView, p: number, n: number): number {
  // n / 1e8 is below 2^31 for any n below 2^53, so `| 0` truncates it; the quotient of the
  // division may round up by one near a multiple of 1e8, which the correction takes back.
  let hi = (n / 1e8) | 0;
  let m = n - hi * 1e8;
  if (m < 0) {
    hi--;
    m += 1e8;
  }
  p = hi < 10000 ? upTo4(d, p, hi) : num(d, p, hi);
  return eight(d, p, m);
}

/**
 * The big-endian uint32 at `b[at..]` in decimal. It reads the bytes itself: a uint32 of 2^30
 * or more passed to a function V8 does not inline is boxed as a heap number (an allocation),
 * and seq, ack and the timestamps are such numbers on most lines.
 */
function u32At(d: DataView, p: number, b: Uint8Array, at: number): number {
  const n = u32(b, at);
  if (n < 100000000) return num(d, p, n);
  // below 2^32, n / 1e8 is below 43 and never rounds up to the next integer
  const hi = (n / 1e8) | 0;
  return eight(d, upTo4(d, p, hi), n - hi * 1e8);
}

/** `n` (below 10^8) as exactly eight digits. */
function eight(d: DataView, p: number, n: number): number {
  const q = (n / 10000) | 0;
  d.setInt32(p, DEC4[q] as number, true);
  d.setInt32(p + 4, DEC4[n - q * 10000] as number, true);
  return p + 8;
}

/** `n` (below 10^9) as exactly nine digits. */
function nine(d: DataView, p: number, n: number): number {
  const q = (n / 100000000) | 0;
  d.setUint8(p, 48 + q);
  return eight(d, p + 1, n - q * 100000000);
}

function ascii(b: Uint8Array, p: number, t: string): number {
  for (let i = 0; i < t.length; i++) b[p++] = t.charCodeAt(i);
  return p;
}

/** The dotted-quad text of the IPv4 address at `from[at..]` (what ipv4TextAt gives). */
function ipv4(d: DataView, p: number, from: Uint8Array, at: number): number {
  let x = from[at] as number;
  d.setInt32(p, DOTW[x] as number, true);
  p += DOTL[x] as number;
  x = from[at + 1] as number;
  d.setInt32(p, DOTW[x] as number, true);
  p += DOTL[x] as number;
  x = from[at + 2] as number;
  d.setInt32(p, DOTW[x] as number, true);
  p += DOTL[x] as number;
  return upTo4(d, p, from[at + 3] as number);
}

function hex(d: DataView, p: number, from: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    d.setUint16(p, HEX16[from[i] as number] as number, true);
    p += 2;
  }
  return p;
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

/** The IPv4 header object, from `"ip":{` to the start of the TCP object's first value. */
function ipv4Json(d: DataView, o: Uint8Array, p: number, b: Uint8Array, ip: number, hl: number): number {
  const tos = b[ip + 1] as number;
  const ff = u16(b, ip + 6);
  let sum = 0;
  for (let i = ip; i < ip + hl; i += 2) sum += u16(b, i);
  sum = (sum & 0xffff) + (sum >>> 16);
  sum = (sum & 0xffff) + (sum >>> 16);
  p = put(d, p, K.ip4);
  p = ipv4(d, p, b, ip + 12);
  p = put(d, p, K.dst);
  p = ipv4(d, p, b, ip + 16);
  p = put(d, p, ipHlTos(hl, tos));
  p = num(d, p, u16(b, ip + 2));
  p = put(d, p, K.id);
  p = num(d, p, u16(b, ip + 4));
  const proto = b[ip + 9] as number;
  if ((ff & 0x1fff) === 0 && proto === 6) {
    p = put(d, p, ipMid((ff >>> 13) & 3, b[ip + 8] as number));
  } else {
    p = put(d, p, (ff & 0x4000) !== 0 ? K.dfTrue : K.dfFalse);
    p = put(d, p, (ff & 0x2000) !== 0 ? K.mfTrue : K.mfFalse);
    p = num(d, p, (ff & 0x1fff) * 8);
    p = put(d, p, K.ttl);
    p = num(d, p, b[ip + 8] as number);
    p = put(d, p, K.protocol);
    p = num(d, p, b[ip + 9] as number);
    p = put(d, p, K.checksum);
  }
  p = num(d, p, u16(b, ip + 10));
  p = put(d, p, sum === 0xffff ? K.okTrue : K.okFalse);
  p = hex(d, p, b, ip + 20, ip + hl);
  return put(d, p, K.ipEnd4);
}

/** The IPv6 header object (no extension headers), as {@link ipv4Json}. */
function ipv6Json(d: DataView, o: Uint8Array, p: number, b: Uint8Array, ip: number): number {
  const w0 = u32(b, ip);
  const dst = ipv6TextAt(b, ip + 24);
  p = put(d, p, K.ip6);
  p = ascii(o, p, ipv6TextAt(b, ip + 8));
  p = put(d, p, K.dst);
  p = ascii(o, p, dst);
  p = put(d, p, K.trafficClass);
  p = num(d, p, (w0 >>> 20) & 0xff);
  p = put(d, p, K.ecn);
  p = num(d, p, (w0 >>> 20) & 3);
  p = put(d, p, K.flowLabel);
  p = num(d, p, w0 & 0xfffff);
  p = put(d, p, K.payloadLength);
  p = num(d, p, u16(b, ip + 4));
  p = put(d, p, K.hopLimit);
  p = num(d, p, b[ip + 7] as number);
  p = put(d, p, K.finalDst);
  p = ascii(o, p, dst);
  p = put(d, p, K.ext);
  p = num(d, p, b[ip + 6] as number);
  return put(d, p, K.ipEnd6);
}

/** The options array's elements, from `tcp + 20` to the header's end; returns the position and (in `padAt`) where the padding starts. */
function optionsJson(d: DataView, o: Uint8Array, p: number, b: Uint8Array, start: number, hdrEnd: number): number {
  let q = start;
  let first = true;
  while (q < hdrEnd) {
    const k = b[q] as number;
    if (!first) o[p++] = 0x2c; // ,
    first = false;
    if (k === OPTION_KIND.EOL) {
      p = put(d, p, K.eol);
      q++;
      break;
    }
    if (k === OPTION_KIND.NOP) {
      if (b[q + 1] === OPTION_KIND.NOP && b[q + 2] === OPTION_KIND.TIMESTAMPS && q + 3 < hdrEnd) {
        // the usual NOP, NOP, timestamps (usualOptions saw the timestamps whole)
        p = put(d, p, K.nopNopTsval);
        p = u32At(d, p, b, q + 4);
        p = put(d, p, K.tsecr);
        p = u32At(d, p, b, q + 8);
        o[p++] = 0x7d; // }
        q += 12;
        continue;
      }
      p = put(d, p, K.nop);
      q++;
      continue;
    }
    const n = b[q + 1] as number;
    if (k === OPTION_KIND.TIMESTAMPS) {
      p = put(d, p, K.tsval);
      p = u32At(d, p, b, q + 2);
      p = put(d, p, K.tsecr);
      p = u32At(d, p, b, q + 6);
      o[p++] = 0x7d; // }
    } else if (k === OPTION_KIND.MSS) {
      p = put(d, p, K.mss);
      p = num(d, p, u16(b, q + 2));
      o[p++] = 0x7d;
    } else if (k === OPTION_KIND.WINDOW_SCALE) {
      p = put(d, p, K.ws);
      p = num(d, p, b[q + 2] as number);
      o[p++] = 0x7d;
    } else if (k === OPTION_KIND.SACK_PERMITTED) {
      p = put(d, p, K.sackPerm);
    } else {
      p = put(d, p, K.sack);
      for (let r = q + 2; r < q + n; r += SACK_BLOCK_LEN) {
        if (r !== q + 2) o[p++] = 0x2c;
        o[p++] = 0x5b; // [
        p = u32At(d, p, b, r);
        o[p++] = 0x2c;
        p = u32At(d, p, b, r + 4);
        o[p++] = 0x5d; // ]
      }
      p = put(d, p, K.sackEnd);
    }
    q += n;
  }
  padAt = q;
  return p;
}

/** Where {@link optionsJson} stopped (the padding's start): a second result without an object. */
let padAt = 0;

/*
 * The line is written in parts of a few dozen stores each: V8 inlines only so much into one
 * optimized function, and each part then has its copies and small numbers inlined.
 */

/** From the line's start to the IP object. */
function recordJson(d: DataView, o: Uint8Array, p: number, meta: SegmentMeta): number {
  const seconds = meta.seconds;
  const nanos = meta.nanos;
  p = put(d, p, K.start);
  p = num(d, p, meta.frame);
  p = put(d, p, K.ts);
  if (seconds === 0) {
    // timestampNs is the nanoseconds: written once, copied
    const at = p;
    p = num(d, p, nanos);
    const len = p - at;
    p = put(d, p, K.secondsZero);
    for (let i = 0; i < len; i++) o[p + i] = o[at + i] as number;
    p += len;
  } else {
    p = nine(d, num(d, p, seconds), nanos);
    p = put(d, p, K.seconds);
    p = num(d, p, seconds);
    p = put(d, p, K.nanos);
    p = num(d, p, nanos);
  }
  p = put(d, p, linkPiece(meta.linkType, meta.interfaceId));
  p = num(d, p, meta.capturedLength);
  p = put(d, p, K.originalLength);
  return num(d, p, meta.originalLength);
}

/** The TCP object's fixed fields, after `"srcPort":` up to the options array's first element. */
function tcpJson(d: DataView, o: Uint8Array, p: number, b: Uint8Array, tcp: number): number {
  const b12 = b[tcp + 12] as number;
  p = num(d, p, u16(b, tcp));
  p = put(d, p, K.dstPort);
  p = num(d, p, u16(b, tcp + 2));
  p = put(d, p, K.seq);
  p = u32At(d, p, b, tcp + 4);
  p = put(d, p, K.ack);
  p = u32At(d, p, b, tcp + 8);
  p = put(d, p, tcpMid((b12 << 8) | (b[tcp + 13] as number)));
  p = num(d, p, u16(b, tcp + 14));
  p = put(d, p, K.checksum);
  p = num(d, p, u16(b, tcp + 16));
  p = put(d, p, K.urgentPointer);
  p = num(d, p, u16(b, tcp + 18));
  return put(d, p, K.options);
}

/** From the checksum verdict to the end of the offsets object (its closing brace not written). */
function tailJson(d: DataView, o: Uint8Array, p: number, meta: SegmentMeta, hdrEnd: number): number {
  const base = meta.base;
  p = put(d, p, VERDICTS[meta.checksum()]);
  p = num(d, p, meta.tcpLength);
  p = put(d, p, BOOLS[(meta.truncated ? 4 : 0) | (meta.fragment ? 2 : 0) | (meta.lengthFromCapture ? 1 : 0)] as Piece);
  p = num(d, p, base + meta.recordOffset);
  p = put(d, p, K.packet);
  p = num(d, p, base + meta.packetOffset);
  p = put(d, p, K.ip);
  p = num(d, p, base + meta.ipOffset);
  p = put(d, p, K.tcpAt);
  p = num(d, p, base + meta.tcpOffset);
  p = put(d, p, K.payloadAt);
  return num(d, p, base + hdrEnd);
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
  const o = s.buf;
  const d = s.dv;
  let p = s.pos;
  p = recordJson(d, o, p, meta);
  p = v4 ? ipv4Json(d, o, p, b, ip, hl) : ipv6Json(d, o, p, b, ip);
  p = tcpJson(d, o, p, b, tcp);
  p = optionsJson(d, o, p, b, tcp + 20, hdrEnd);
  p = put(d, p, K.padding);
  p = hex(d, p, b, padAt, hdrEnd);
  p = put(d, p, K.payload);
  p = hex(d, p, b, hdrEnd, tcp + view.length);
  p = tailJson(d, o, p, meta, hdrEnd);
  if (rel !== undefined) {
    p = put(d, p, K.relativeSeq);
    p = num(d, p, rel.seq);
    p = put(d, p, K.relativeAck);
    p = num(d, p, rel.ack);
    p = put(d, p, K.stream);
    p = num(d, p, rel.stream);
    o[p++] = 0x7d; // }
  } else {
    o[p++] = 0x7d;
    o[p++] = 0x7d;
  }
  o[p++] = 0x0a; // the newline
  s.pos = p;
  return true;
}
