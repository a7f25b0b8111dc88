/**
 * NDJSON lines for `decode --pcap --json`, written straight from the bytes of a segment (the
 * scanner's view and meta) instead of building a capture item and its JSON object first.
 * Each line is exactly `JSON.stringify(captureItemToJson(item, extra))` for the item
 * `readCapture` would give: the tests compare the two on every fixture. What this file does not
 * write by hand (unusual options, IPv6 extension headers) it hands to those same functions.
 */

import { Buffer } from 'node:buffer';
import { ipHeaderToJson } from '../capture/item-json.js';
import type { TcpWireError } from '../errors.js';
import type { SegmentMeta } from '../capture/scan.js';
import { flagsFromBits } from '../flags.js';
import { ipv4TextAt, ipv6TextAt } from '../ip/address-text.js';
import { decodeIpv6 } from '../ip/ipv6.js';
import { type Json, segmentToJson } from '../json.js';
import { MAX_SACK_BLOCKS, MAX_WINDOW_SHIFT, OPTION_KIND, OPTION_LEN, SACK_BLOCK_LEN } from '../layout.js';
import { decodeSegment } from '../segment.js';
import type { TcpView } from '../view.js';

/** The `flags` object of each of the 512 flag combinations, as JSON. */
const FLAGS_JSON: readonly string[] = Array.from({ length: 512 }, (_, bits) => JSON.stringify(flagsFromBits(bits)));

function hexOf(bytes: Uint8Array, start: number, end: number): string {
  return end > start ? Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('hex') : '';
}

function u16(b: Uint8Array, at: number): number {
  return ((b[at] as number) << 8) | (b[at + 1] as number);
}

function u32(b: Uint8Array, at: number): number {
  return (((b[at] as number) << 24) | ((b[at + 1] as number) << 16) | ((b[at + 2] as number) << 8) | (b[at + 3] as number)) >>> 0;
}

/** `"timestampNs":"…"` digits without BigInt: the seconds, then nine digits of nanoseconds. */
function nsText(seconds: number, nanos: number): string {
  return seconds === 0 ? String(nanos) : `${seconds}${String(nanos).padStart(9, '0')}`;
}

/**
 * The options array, padding and payload as JSON, and the (empty) warnings, for the usual
 * options; undefined for anything else (an unusual kind, a length that draws a warning or an
 * error), which the caller then leaves to `segmentToJson`.
 */
function optionsTail(view: TcpView): string | undefined {
  const b = view.bytes;
  const start = view.offset;
  const hdrEnd = start + view.headerLength;
  let p = start + 20;
  let opts = '';
  while (p < hdrEnd) {
    const k = b[p] as number;
    if (k === OPTION_KIND.EOL) {
      opts += `${opts === '' ? '' : ','}{"type":"eol"}`;
      p++;
      break;
    }
    if (k === OPTION_KIND.NOP) {
      opts += `${opts === '' ? '' : ','}{"type":"nop"}`;
      p++;
      continue;
    }
    if (p + 1 >= hdrEnd) return undefined;
    const n = b[p + 1] as number;
    if (n < 2 || p + n > hdrEnd) return undefined;
    let o: string;
    if (k === OPTION_KIND.TIMESTAMPS && n === OPTION_LEN.TIMESTAMPS) o = `{"type":"timestamps","tsval":${u32(b, p + 2)},"tsecr":${u32(b, p + 6)}}`;
    else if (k === OPTION_KIND.MSS && n === OPTION_LEN.MSS) o = `{"type":"mss","value":${u16(b, p + 2)}}`;
    else if (k === OPTION_KIND.WINDOW_SCALE && n === OPTION_LEN.WINDOW_SCALE && (b[p + 2] as number) <= MAX_WINDOW_SHIFT) o = `{"type":"windowScale","shift":${b[p + 2] as number}}`;
    else if (k === OPTION_KIND.SACK_PERMITTED && n === OPTION_LEN.SACK_PERMITTED) o = '{"type":"sackPermitted"}';
    else if (k === OPTION_KIND.SACK && (n - 2) % SACK_BLOCK_LEN === 0 && n > 2 && (n - 2) / SACK_BLOCK_LEN <= MAX_SACK_BLOCKS) {
      o = '{"type":"sack","blocks":[';
      for (let q = p + 2; q < p + n; q += SACK_BLOCK_LEN) o += `${q === p + 2 ? '' : ','}[${u32(b, q)},${u32(b, q + 4)}]`;
      o += ']}';
    } else return undefined;
    opts += opts === '' ? o : `,${o}`;
    p += n;
  }
  const end = start + view.length;
  return `"options":[${opts}],"padding":"${hexOf(b, p, hdrEnd)}","payload":"${hexOf(b, hdrEnd, end)}","warnings":[]`;
}

/** The `tcp` object. */
function tcpJson(view: TcpView): string {
  const tail = optionsTail(view);
  if (tail === undefined) return JSON.stringify(segmentToJson(decodeSegment(view.segment)));
  const b = view.bytes;
  const at = view.offset;
  return (
    `{"srcPort":${view.srcPort},"dstPort":${view.dstPort},"seq":${view.seq},"ack":${view.ack},"dataOffset":${view.dataOffset},` +
    `"reserved":${view.reserved},"flags":${FLAGS_JSON[view.flagBits] as string},"window":${view.window},"checksum":${view.checksum},` +
    `"urgentPointer":${u16(b, at + 18)},${tail}}`
  );
}

/** The `ip` object. */
function ipJson(b: Uint8Array, meta: SegmentMeta): string {
  const ip = meta.ipOffset;
  const packetEnd = meta.packetOffset + meta.capturedLength;
  if (meta.ipVersion === 4) {
    const hl = ((b[ip] as number) & 15) * 4;
    const tos = b[ip + 1] as number;
    const ff = u16(b, ip + 6);
    let sum = 0;
    for (let i = ip; i < ip + hl; i += 2) sum += u16(b, i);
    sum = (sum & 0xffff) + (sum >>> 16);
    sum = (sum & 0xffff) + (sum >>> 16);
    return (
      `{"version":4,"src":"${ipv4TextAt(b, ip + 12)}","dst":"${ipv4TextAt(b, ip + 16)}","headerLength":${hl},"dscp":${tos >>> 2},"ecn":${tos & 3},` +
      `"totalLength":${u16(b, ip + 2)},"id":${u16(b, ip + 4)},"df":${(ff & 0x4000) !== 0},"mf":${(ff & 0x2000) !== 0},"fragmentOffset":${(ff & 0x1fff) * 8},` +
      `"ttl":${b[ip + 8] as number},"protocol":${b[ip + 9] as number},"checksum":${u16(b, ip + 10)},"checksumOk":${sum === 0xffff},"options":"${hexOf(b, ip + 20, ip + hl)}"}`
    );
  }
  if (meta.tcpOffset === ip + 40 && meta.dstOffset === ip + 24) {
    // No extension headers.
    const w0 = u32(b, ip);
    const dst = ipv6TextAt(b, ip + 24);
    return (
      `{"version":6,"src":"${ipv6TextAt(b, ip + 8)}","dst":"${dst}","trafficClass":${(w0 >>> 20) & 0xff},"ecn":${(w0 >>> 20) & 3},` +
      `"flowLabel":${w0 & 0xfffff},"payloadLength":${u16(b, ip + 4)},"hopLimit":${b[ip + 7] as number},"finalDst":"${dst}","extensions":[],"protocol":${b[ip + 6] as number}}`
    );
  }
  const h = decodeIpv6(b, ip, packetEnd - ip);
  return JSON.stringify(ipHeaderToJson(h));
}

/** One NDJSON line for the segment the view and meta describe; `extra` is appended as JSON fields. */
export function segmentJsonLine(view: TcpView, meta: SegmentMeta, extra?: { [key: string]: Json }): string {
  const b = view.bytes;
  const base = meta.base;
  const tcpAt = base + meta.tcpOffset;
  let line =
    `{"kind":"segment","frame":${meta.frame},"timestampNs":"${nsText(meta.seconds, meta.nanos)}","seconds":${meta.seconds},"nanos":${meta.nanos},` +
    `"linkType":${meta.linkType},"interfaceId":${meta.interfaceId},"capturedLength":${meta.capturedLength},"originalLength":${meta.originalLength},` +
    `"ip":${ipJson(b, meta)},"tcp":${tcpJson(view)},"checksum":"${meta.checksum()}","tcpLength":${meta.tcpLength},"truncated":${meta.truncated},` +
    `"fragment":${meta.fragment},"lengthFromCapture":${meta.lengthFromCapture},` +
    `"offsets":{"record":${base + meta.recordOffset},"packet":${base + meta.packetOffset},"ip":${base + meta.ipOffset},"tcp":${tcpAt},"payload":${tcpAt + view.headerLength}}`;
  if (extra !== undefined) {
    for (const k of Object.keys(extra)) line += `,${JSON.stringify(k)}:${JSON.stringify(extra[k])}`;
  }
  return `${line}}`;
}

/**
 * The NDJSON line of a segment whose option list turned out malformed: the error item
 * `readCapture` gives for it (offsets of its IP and TCP headers, none of its payload).
 */
export function segmentErrorJsonLine(meta: SegmentMeta, error: TcpWireError): string {
  const base = meta.base;
  return JSON.stringify({
    kind: 'error',
    frame: meta.frame,
    timestampNs: nsText(meta.seconds, meta.nanos),
    seconds: meta.seconds,
    nanos: meta.nanos,
    linkType: meta.linkType,
    interfaceId: meta.interfaceId,
    capturedLength: meta.capturedLength,
    originalLength: meta.originalLength,
    error: { code: error.code, offset: error.offset, message: error.message },
    offsets: { record: base + meta.recordOffset, packet: base + meta.packetOffset, ip: base + meta.ipOffset, tcp: base + meta.tcpOffset, payload: -1 },
  });
}
