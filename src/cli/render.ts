/** Text renderings of a segment for people: the field table and an annotated hex dump. */

import { FLAG_NAMES } from '../flags.js';
import { type FieldSpan, fieldMap } from '../field-map.js';
import type { TcpSegment } from '../segment.js';

/** Two-letter codes written under each byte in the annotated dump. */
const CODES: Record<string, string> = {
  srcPort: 'sp',
  dstPort: 'dp',
  seq: 'sq',
  ack: 'ak',
  dataOffset: 'do',
  flags: 'fl',
  window: 'wn',
  checksum: 'ck',
  urgentPointer: 'up',
  padding: '..',
  payload: 'pl',
};

const COLORS = [31, 32, 33, 34, 35, 36, 91, 92, 93, 94, 95, 96];

function hexBytes(b: Uint8Array, start: number, end: number): string {
  const parts: string[] = [];
  for (let i = start; i < end && i < start + 8; i++) parts.push((b[i] as number).toString(16).padStart(2, '0'));
  if (end - start > 8) parts.push('…');
  return parts.join(' ');
}

function codeFor(span: FieldSpan, optionIndex: number): string {
  if (span.key === 'option') return `o${optionIndex % 10}`;
  return CODES[span.key] ?? '??';
}

/** Options for the renderers. */
export interface RenderOptions {
  /** Colour with ANSI escapes. */
  color?: boolean;
  /** Checksum verdict line to show, if addresses were given. */
  checksumNote?: string;
}

/** The field table: one line a field with its value, byte range and bytes. */
export function renderFields(seg: TcpSegment, bytes: Uint8Array, opts: RenderOptions = {}): string[] {
  const lines: string[] = [];
  const hdr = seg.dataOffset * 4;
  lines.push(`TCP segment, ${bytes.length} bytes: header ${hdr}, payload ${seg.payload.length}`);
  const spans = fieldMap(seg);
  let optIndex = 0;
  spans.forEach((s, i) => {
    const code = codeFor(s, s.key === 'option' ? optIndex++ : 0);
    const range = s.end - s.start === 1 ? `[${s.start}]` : `[${s.start}-${s.end - 1}]`;
    const label = `${code}  ${s.label}`.padEnd(34);
    const value = s.value.padEnd(30);
    let line = `  ${label} ${value} ${range.padEnd(8)} ${hexBytes(bytes, s.start, s.end)}`;
    if (opts.color) line = `\x1b[${COLORS[i % COLORS.length]}m${line}\x1b[0m`;
    lines.push(line);
    if (s.key === 'flags') {
      lines.push(`  ${''.padEnd(34)} ${FLAG_NAMES.map((f) => `${f.label}=${seg.flags[f.key] ? 1 : 0}`).join(' ')}`);
    }
    if (s.key === 'checksum' && opts.checksumNote) lines.push(`  ${''.padEnd(34)} ${opts.checksumNote}`);
  });
  for (const w of seg.warnings) lines.push(`  warning: ${w.message}`);
  return lines;
}

/** An annotated hex dump: 16 bytes a row, and under each byte the code of its field. */
export function renderHexDump(seg: TcpSegment, bytes: Uint8Array, opts: RenderOptions = {}): string[] {
  const spans = fieldMap(seg);
  const codeAt: string[] = new Array<string>(bytes.length).fill('  ');
  const colorAt: number[] = new Array<number>(bytes.length).fill(0);
  let optIndex = 0;
  spans.forEach((s, i) => {
    const code = codeFor(s, s.key === 'option' ? optIndex++ : 0);
    for (let k = s.start; k < s.end && k < bytes.length; k++) {
      codeAt[k] = code;
      colorAt[k] = COLORS[i % COLORS.length] as number;
    }
  });
  const lines: string[] = [];
  for (let row = 0; row < bytes.length; row += 16) {
    const idx: number[] = [];
    for (let k = row; k < Math.min(row + 16, bytes.length); k++) idx.push(k);
    const paint = (k: number, t: string): string => (opts.color ? `\x1b[${colorAt[k]}m${t}\x1b[0m` : t);
    const hex = idx.map((k) => paint(k, (bytes[k] as number).toString(16).padStart(2, '0'))).join(' ');
    const ascii = idx
      .map((k) => {
        const b = bytes[k] as number;
        return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
      })
      .join('');
    const pad = ' '.repeat((16 - idx.length) * 3);
    lines.push(`${row.toString(16).padStart(4, '0')}  ${hex}${pad}  ${ascii}`);
    lines.push(`      ${idx.map((k) => paint(k, codeAt[k] as string)).join(' ')}`);
  }
  return lines;
}
