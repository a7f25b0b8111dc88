/**
 * The header drawn as in RFC 9293 §3.1: 32-bit rows, each field a box as wide as
 * its bits, with its name and value; the nine flag bits as lamps; the options laid
 * out in the words they occupy, each split into its kind, length and data bytes.
 */

import { FIELD, FLAG_NAMES, HEADER_LEN, type FieldSpan, type TcpOption, type TcpSegment } from '../src/index.js';
import { type FieldColour, colourStyle } from './colors.js';
import { h } from './dom.js';

const BITS = 32;
/** Grid rows 1 and 2 hold the bit ruler; the header's 32-bit words start at row 3. */
const FIRST_WORD_ROW = 3;

/** One piece of a box, before it is split at row boundaries. */
interface Part {
  /** Bit offset from the start of the segment. */
  bitStart: number;
  bits: number;
  name: string;
  value: string;
  /** A second, smaller line (hex of a number, a unit). */
  sub?: string;
  span: number;
  testid?: string;
  extraClass?: string;
}

function hex(n: number, digits: number): string {
  return `0x${n.toString(16).padStart(digits, '0')}`;
}

function u32(b: Uint8Array, i: number): number {
  return (((b[i] as number) << 24) | ((b[i + 1] as number) << 16) | ((b[i + 2] as number) << 8) | (b[i + 3] as number)) >>> 0;
}

/**
 * The kind / length / data parts of option number `k` (wire order), which starts at
 * byte `f.start`. Each part's test id is `option-<k>-<part>`: kind, length, mss,
 * shift, left1/right1.., tsval, tsecr or data.
 */
function optionParts(o: TcpOption, f: FieldSpan, k: number, span: number, bytes: Uint8Array): Part[] {
  const at = f.start;
  const name = f.label.replace(/^Option: /, '');
  const id = (part: string): string => `option-${k}-${part}`;
  if (o.type === 'nop' || o.type === 'eol') {
    return [{ bitStart: at * 8, bits: 8, name, value: `kind ${bytes[at] ?? 0}`, span, testid: id('kind') }];
  }
  const parts: Part[] = [
    { bitStart: at * 8, bits: 8, name: `${name}: kind`, value: String(bytes[at] ?? 0), span, testid: id('kind') },
    { bitStart: (at + 1) * 8, bits: 8, name: 'length', value: String(bytes[at + 1] ?? 0), span, testid: id('length') },
  ];
  const data = (from: number, len: number, part: string, label: string, value: string, sub?: string): void => {
    if (len <= 0) return;
    parts.push({ bitStart: (at + from) * 8, bits: len * 8, name: label, value, span, testid: id(part), ...(sub !== undefined ? { sub } : {}) });
  };
  switch (o.type) {
    case 'mss':
      data(2, 2, 'mss', 'maximum segment size', String(o.value), 'bytes');
      break;
    case 'windowScale':
      data(2, 1, 'shift', 'shift', String(o.shift), `window × ${2 ** Math.min(o.shift, 14)}`);
      break;
    case 'sackPermitted':
      break;
    case 'sack':
      o.blocks.forEach(([l, r], b) => {
        data(2 + 8 * b, 4, `left${b + 1}`, `left edge ${b + 1}`, String(l));
        data(6 + 8 * b, 4, `right${b + 1}`, `right edge ${b + 1}`, String(r));
      });
      break;
    case 'timestamps':
      data(2, 4, 'tsval', 'TSval', String(o.tsval), hex(u32(bytes, at + 2), 8));
      data(6, 4, 'tsecr', 'TSecr', String(o.tsecr), hex(u32(bytes, at + 6), 8));
      break;
    default:
      data(2, f.end - f.start - 2, 'data', 'data', f.value);
  }
  return parts;
}

/** Splits parts at 32-bit row boundaries and places them on the grid. */
function place(parts: Part[], colours: readonly FieldColour[], grid: HTMLElement): void {
  for (const p of parts) {
    let bit = p.bitStart;
    const end = p.bitStart + p.bits;
    let first = true;
    while (bit < end) {
      const row = Math.floor(bit / BITS);
      const stop = Math.min(end, (row + 1) * BITS);
      const width = stop - bit;
      const cls = ['box', width <= 1 ? 'bit' : '', first ? '' : 'cont', stop < end ? 'open-end' : '', p.extraClass ?? ''].filter(Boolean).join(' ');
      grid.append(
        h(
          'div',
          {
            class: cls,
            'data-span': p.span,
            ...(first && p.testid !== undefined ? { 'data-testid': p.testid } : {}),
            style: `grid-row:${row + FIRST_WORD_ROW};grid-column:${(bit % BITS) + 2} / span ${width};${colourStyle(colours[p.span] as FieldColour)}`,
            title: `${p.name}: ${p.value}`,
          },
          h('span', { class: 'name' }, first ? p.name : `${p.name} (cont.)`),
          first ? h('span', { class: 'val' }, p.value) : null,
          first && p.sub !== undefined && width >= 8 ? h('span', { class: 'sub' }, p.sub) : null,
        ),
      );
      first = false;
      bit = stop;
    }
  }
}

/** The header diagram of `seg` (decoded from `bytes`, with `spans` = fieldMap(seg)). */
export function headerDiagram(
  seg: TcpSegment,
  bytes: Uint8Array,
  spans: readonly FieldSpan[],
  colours: readonly FieldColour[],
): HTMLElement {
  const idx = (key: string): number => spans.findIndex((f) => f.key === key);
  const parts: Part[] = [];
  const fixed = (key: string, byte: number, bits: number, name: string, value: string, sub?: string): void => {
    parts.push({ bitStart: byte * 8, bits, name, value, span: idx(key), testid: `field-${key}`, ...(sub !== undefined ? { sub } : {}) });
  };
  fixed('srcPort', FIELD.SRC_PORT, 16, 'Source Port', String(seg.srcPort));
  fixed('dstPort', FIELD.DST_PORT, 16, 'Destination Port', String(seg.dstPort));
  fixed('seq', FIELD.SEQ, 32, 'Sequence Number', String(seg.seq), hex(seg.seq, 8));
  fixed('ack', FIELD.ACK, 32, 'Acknowledgment Number', String(seg.ack), seg.flags.ack ? hex(seg.ack, 8) : 'ACK flag clear: not in use');
  const off = idx('dataOffset');
  parts.push({
    bitStart: FIELD.OFFSET_FLAGS * 8,
    bits: 4,
    name: 'Data Offset',
    value: String(seg.dataOffset),
    sub: `${seg.dataOffset * 4} bytes`,
    span: off,
    testid: 'field-dataOffset',
  });
  parts.push({
    bitStart: FIELD.OFFSET_FLAGS * 8 + 4,
    bits: 3,
    name: 'Rsrvd',
    value: seg.reserved.toString(2).padStart(3, '0'),
    span: off,
    testid: 'field-reserved',
  });
  // AE is the low bit of byte 12, the other eight flags are byte 13 (RFC 9768, RFC 9293 §3.1).
  FLAG_NAMES.forEach((n, k) => {
    const on = seg.flags[n.key];
    parts.push({
      bitStart: FIELD.OFFSET_FLAGS * 8 + 7 + k,
      bits: 1,
      name: n.label,
      value: on ? '1' : '0',
      span: n.key === 'ae' ? off : idx('flags'),
      testid: `flag-${n.key}`,
      extraClass: on ? 'on' : 'off',
    });
  });
  fixed('window', FIELD.WINDOW, 16, 'Window', String(seg.window));
  fixed('checksum', FIELD.CHECKSUM, 16, 'Checksum', hex(seg.checksum, 4));
  fixed('urgentPointer', FIELD.URGENT, 16, 'Urgent Pointer', String(seg.urgentPointer), seg.flags.urg ? undefined : 'URG clear: not in use');
  let opt = 0;
  spans.forEach((f, i) => {
    if (f.key === 'option') {
      const o = seg.options[opt];
      if (o !== undefined) parts.push(...optionParts(o, f, opt, i, bytes));
      opt++;
    } else if (f.key === 'padding') {
      parts.push({ bitStart: f.start * 8, bits: (f.end - f.start) * 8, name: 'Padding', value: f.value, span: i });
    }
  });

  const grid = h('div', { class: 'words' });
  grid.append(h('div', { class: 'corner', style: 'grid-row:1 / span 2;grid-column:1' }, 'byte'));
  for (let b = 0; b < BITS; b++) {
    grid.append(h('span', { class: 'tens', style: `grid-row:1;grid-column:${b + 2}` }, b % 10 === 0 ? b / 10 : ''));
    grid.append(h('span', { class: b % 8 === 0 ? 'tick major' : 'tick', style: `grid-row:2;grid-column:${b + 2}` }, b % 10));
  }
  grid.append(h('div', { class: 'frame', style: `grid-row:${FIRST_WORD_ROW} / span ${seg.dataOffset};grid-column:2 / span ${BITS}` }));
  for (let r = 0; r < seg.dataOffset; r++) {
    grid.append(h('span', { class: 'gutter', style: `grid-row:${r + FIRST_WORD_ROW};grid-column:1` }, r * 4));
  }
  place(parts, colours, grid);

  const payload = spans.findIndex((f) => f.key === 'payload');
  const payloadNote =
    payload >= 0
      ? h(
          'div',
          { class: 'payload-note', 'data-span': payload, style: colourStyle(colours[payload] as FieldColour) },
          `Data: ${seg.payload.length} bytes of payload after the ${seg.dataOffset * 4}-byte header (see the hex dump)`,
        )
      : h('div', { class: 'payload-note empty' }, `No payload: the segment ends with its ${seg.dataOffset * 4}-byte header`);

  return h(
    'figure',
    { class: 'diagram', 'data-testid': 'diagram' },
    grid,
    seg.dataOffset * 4 > HEADER_LEN ? null : h('div', { class: 'no-options' }, 'No options: data offset 5, the bare 20-byte header'),
    payloadNote,
  );
}
