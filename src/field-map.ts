/**
 * Where each field of a segment sits in its bytes, for annotated hex dumps and
 * for going from a field back to its bytes.
 */

import { formatFlags } from './flags.js';
import { FIELD, HEADER_LEN } from './layout.js';
import { type TcpOption, optionKindName } from './options.js';
import type { TcpSegment } from './segment.js';

/** One field: its name, byte range [start, end) in the segment, and its value as text. */
export interface FieldSpan {
  /** Stable key: "srcPort", "seq", "flags", "option", "payload", ... */
  key: string;
  /** A person's label: "Source port", "Option: MSS". */
  label: string;
  start: number;
  end: number;
  value: string;
}

function describeOption(o: TcpOption): string {
  switch (o.type) {
    case 'eol':
      return 'end of option list';
    case 'nop':
      return 'no operation';
    case 'mss':
      return `${o.value}`;
    case 'windowScale':
      return `shift ${o.shift} (×${2 ** Math.min(o.shift, 14)})`;
    case 'sackPermitted':
      return 'yes';
    case 'sack':
      return o.blocks.map(([l, r]) => `${l}-${r}`).join(' ');
    case 'timestamps':
      return `TSval ${o.tsval}, TSecr ${o.tsecr}`;
    case 'fastOpen':
      return o.cookie.length === 0 ? 'cookie request' : `cookie of ${o.cookie.length} bytes`;
    case 'md5':
      return 'digest';
    case 'userTimeout':
      return `${o.timeout} ${o.granularity}`;
    case 'tcpAo':
      return `KeyID ${o.keyId}, RNextKeyID ${o.rNextKeyId}`;
    case 'mptcp':
      return `subtype ${o.subtype}`;
    case 'experimental':
      return `ExID 0x${o.exid.toString(16).padStart(4, '0')}`;
    case 'unknown':
      return `${o.data.length} data bytes`;
  }
}

const OPTION_LABEL: Record<TcpOption['type'], string> = {
  eol: 'EOL',
  nop: 'NOP',
  mss: 'MSS',
  windowScale: 'Window scale',
  sackPermitted: 'SACK permitted',
  sack: 'SACK',
  timestamps: 'Timestamps',
  fastOpen: 'Fast Open',
  md5: 'MD5 signature',
  userTimeout: 'User timeout',
  tcpAo: 'TCP-AO',
  mptcp: 'MPTCP',
  experimental: 'Experimental',
  unknown: 'Unknown',
};

/** The label of an option: "MSS", "Unknown (kind 99)". */
export function optionLabel(o: TcpOption): string {
  if (o.type === 'unknown') return `${optionKindName(o.kind) === `kind ${o.kind}` ? 'Unknown' : optionKindName(o.kind)} (kind ${o.kind})`;
  if (o.type === 'experimental') return `Experimental (kind ${o.kind})`;
  return OPTION_LABEL[o.type];
}

/** A short text of an option: "MSS=1460", "WS=7", "TS=1,0", "SACK=1-2". */
export function optionShort(o: TcpOption): string {
  switch (o.type) {
    case 'eol':
      return 'EOL';
    case 'nop':
      return 'NOP';
    case 'mss':
      return `MSS=${o.value}`;
    case 'windowScale':
      return `WS=${o.shift}`;
    case 'sackPermitted':
      return 'SACK_PERM';
    case 'sack':
      return `SACK=${o.blocks.map(([l, r]) => `${l}-${r}`).join(',')}`;
    case 'timestamps':
      return `TS=${o.tsval},${o.tsecr}`;
    case 'fastOpen':
      return o.cookie.length === 0 ? 'TFO=req' : `TFO=${o.cookie.length}B`;
    case 'md5':
      return 'MD5';
    case 'userTimeout':
      return `UTO=${o.timeout}${o.granularity === 'minutes' ? 'm' : 's'}`;
    case 'tcpAo':
      return `AO=${o.keyId}`;
    case 'mptcp':
      return `MPTCP=${o.subtype}`;
    case 'experimental':
      return `EXP=${o.kind}:0x${o.exid.toString(16)}`;
    case 'unknown':
      return `opt${o.kind}`;
  }
}

/** Every field of a decoded segment with its byte range, in wire order. */
export function fieldMap(s: TcpSegment): FieldSpan[] {
  const f: FieldSpan[] = [
    { key: 'srcPort', label: 'Source port', start: FIELD.SRC_PORT, end: FIELD.SRC_PORT + 2, value: String(s.srcPort) },
    { key: 'dstPort', label: 'Destination port', start: FIELD.DST_PORT, end: FIELD.DST_PORT + 2, value: String(s.dstPort) },
    { key: 'seq', label: 'Sequence number', start: FIELD.SEQ, end: FIELD.SEQ + 4, value: String(s.seq) },
    { key: 'ack', label: 'Acknowledgment number', start: FIELD.ACK, end: FIELD.ACK + 4, value: String(s.ack) },
    {
      key: 'dataOffset',
      label: 'Data offset / reserved / AE',
      start: FIELD.OFFSET_FLAGS,
      end: FIELD.OFFSET_FLAGS + 1,
      value: `${s.dataOffset} words (${s.dataOffset * 4} bytes), reserved ${s.reserved}${s.flags.ae ? ', AE' : ''}`,
    },
    { key: 'flags', label: 'Flags', start: FIELD.FLAGS, end: FIELD.FLAGS + 1, value: formatFlags(s.flags) || 'none' },
    { key: 'window', label: 'Window', start: FIELD.WINDOW, end: FIELD.WINDOW + 2, value: String(s.window) },
    {
      key: 'checksum',
      label: 'Checksum',
      start: FIELD.CHECKSUM,
      end: FIELD.CHECKSUM + 2,
      value: `0x${s.checksum.toString(16).padStart(4, '0')}`,
    },
    { key: 'urgentPointer', label: 'Urgent pointer', start: FIELD.URGENT, end: FIELD.URGENT + 2, value: String(s.urgentPointer) },
  ];
  let at = HEADER_LEN;
  for (const o of s.options) {
    const len = o.type === 'eol' || o.type === 'nop' ? 1 : optionSize(o);
    f.push({ key: 'option', label: `Option: ${optionLabel(o)}`, start: at, end: at + len, value: describeOption(o) });
    at += len;
  }
  if (s.padding.length > 0) {
    f.push({ key: 'padding', label: 'Padding', start: at, end: at + s.padding.length, value: `${s.padding.length} bytes` });
  }
  const hdr = s.dataOffset * 4;
  if (s.payload.length > 0) {
    f.push({ key: 'payload', label: 'Payload', start: hdr, end: hdr + s.payload.length, value: `${s.payload.length} bytes` });
  }
  return f;
}

function optionSize(o: TcpOption): number {
  switch (o.type) {
    case 'eol':
    case 'nop':
      return 1;
    case 'mss':
      return 4;
    case 'windowScale':
      return 3;
    case 'sackPermitted':
      return 2;
    case 'sack':
      return 2 + 8 * o.blocks.length;
    case 'timestamps':
      return 10;
    case 'fastOpen':
      return 2 + o.cookie.length;
    case 'md5':
      return 18;
    case 'userTimeout':
      return 4;
    case 'tcpAo':
      return 4 + o.mac.length;
    case 'mptcp':
      return 2 + o.data.length;
    case 'experimental':
      return 4 + o.data.length;
    case 'unknown':
      return 2 + o.data.length;
  }
}
