/**
 * Loading the real-capture fixtures (fixtures/captures/) and their two oracles:
 * NAME.tshark.json (tshark's TCP fields) and NAME.segments.json (TCP bytes per
 * frame, extracted by dpkt). Neither oracle is tcpwire.
 */

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { type CaptureItem, type CaptureSegment, type TcpSegment, flagsToBits, readCapture } from '../../src/index.js';

export const CAPTURES_DIR = new URL('../../fixtures/captures/', import.meta.url);

/** tshark's view of one TCP segment (fixtures/captures/tshark-oracle.py). */
export interface TsharkSegment {
  frame: number;
  time: string;
  linkType: number;
  interfaceId: number | null;
  ipVersion: 4 | 6;
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  hdrLen: number;
  flags: number;
  window: number;
  checksum: number;
  checksumStatus: string | null;
  urgentPointer: number;
  len: number;
  optionKinds: number[];
  mss: number | null;
  wscaleShift: number | null;
  sackLeft: number[] | null;
  sackRight: number[] | null;
  tsval: number | null;
  tsecr: number | null;
  tfoCookie: string | null;
}

/** dpkt's bytes of one TCP segment (fixtures/captures/make-segments.py). */
export interface DpktSegment {
  frame: number;
  linkType: number;
  ipVersion: 4 | 6;
  src: string;
  dst: string;
  tcp: string;
}

/** Capture files that have a tshark oracle next to them, sorted. */
export const captureNames: string[] = existsSync(CAPTURES_DIR)
  ? readdirSync(CAPTURES_DIR)
      .filter((f) => /\.pcap(ng)?$/.test(f) && existsSync(new URL(`${f}.tshark.json`, CAPTURES_DIR)))
      .sort()
  : [];

export function captureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, CAPTURES_DIR)));
}

export function tsharkOf(name: string): TsharkSegment[] {
  return (JSON.parse(readFileSync(new URL(`${name}.tshark.json`, CAPTURES_DIR), 'utf8')) as { segments: TsharkSegment[] }).segments;
}

export function dpktOf(name: string): DpktSegment[] | undefined {
  const u = new URL(`${name}.segments.json`, CAPTURES_DIR);
  return existsSync(u) ? (JSON.parse(readFileSync(u, 'utf8')) as { segments: DpktSegment[] }).segments : undefined;
}

export function segmentsOf(items: Iterable<CaptureItem>): CaptureSegment[] {
  return [...items].filter((i): i is CaptureSegment => i.kind === 'segment');
}

export function readSegments(bytes: Uint8Array): CaptureSegment[] {
  return segmentsOf(readCapture(bytes));
}

export const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/** tshark's `tcp.flags`: the 12 bits after the data offset (reserved bits, then AE ... FIN). */
export function tsharkFlags(s: TcpSegment): number {
  return (s.reserved << 9) | flagsToBits(s.flags);
}

/**
 * The option kinds tshark lists: each option walked, then each byte after EOL up to the
 * data offset as one more EOL (tshark walks zero padding as EOL options).
 */
export function tsharkKinds(s: TcpSegment): number[] {
  const kinds = s.options.map((o) => {
    switch (o.type) {
      case 'eol':
        return 0;
      case 'nop':
        return 1;
      case 'mss':
        return 2;
      case 'windowScale':
        return 3;
      case 'sackPermitted':
        return 4;
      case 'sack':
        return 5;
      case 'timestamps':
        return 8;
      case 'md5':
        return 19;
      case 'userTimeout':
        return 28;
      case 'tcpAo':
        return 29;
      case 'mptcp':
        return 30;
      case 'fastOpen':
        return 34;
      case 'experimental':
      case 'unknown':
        return o.kind;
    }
  });
  return [...kinds, ...Array.from(s.padding)];
}

/** tshark's frame.time_epoch text: seconds, a dot, nine digits. */
export function epochText(seconds: number, nanos: number): string {
  return `${seconds}.${String(nanos).padStart(9, '0')}`;
}

/** Our item in tshark's terms (the names of tshark-oracle.py). */
export function asTshark(s: CaptureSegment): TsharkSegment {
  const t = s.tcp;
  const first = <K extends (typeof t.options)[number]['type']>(type: K) =>
    t.options.find((o) => o.type === type) as Extract<(typeof t.options)[number], { type: K }> | undefined;
  const blocks = t.options.flatMap((o) => (o.type === 'sack' ? o.blocks : []));
  const tfo = first('fastOpen');
  return {
    frame: s.frame,
    time: epochText(s.seconds, s.nanos),
    linkType: s.linkType,
    interfaceId: s.interfaceId,
    ipVersion: s.ip.version,
    src: s.ip.src,
    dst: s.ip.dst,
    srcPort: t.srcPort,
    dstPort: t.dstPort,
    seq: t.seq,
    ack: t.ack,
    hdrLen: t.dataOffset * 4,
    flags: tsharkFlags(t),
    window: t.window,
    checksum: t.checksum,
    // tshark has no "partial": an offload artefact is simply bad to it.
    checksumStatus: s.checksum === 'partial' ? 'bad' : s.checksum,
    urgentPointer: t.urgentPointer,
    len: s.tcpLength - t.dataOffset * 4,
    optionKinds: tsharkKinds(t),
    mss: first('mss')?.value ?? null,
    wscaleShift: first('windowScale')?.shift ?? null,
    sackLeft: blocks.length > 0 ? blocks.map((b) => b[0]) : null,
    sackRight: blocks.length > 0 ? blocks.map((b) => b[1]) : null,
    tsval: first('timestamps')?.tsval ?? null,
    tsecr: first('timestamps')?.tsecr ?? null,
    tfoCookie: tfo ? hex(tfo.cookie) : null,
  };
}

/** The oracle's record, normalised: a classic pcap has no interface ids (tshark: null), tcpwire says 0. */
export function expected(t: TsharkSegment): TsharkSegment {
  const { encapType: _, ...rest } = t as TsharkSegment & { encapType?: number };
  return { ...rest, interfaceId: t.interfaceId ?? 0 };
}
