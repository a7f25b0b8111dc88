/** The hex dump: 16 bytes a row, each byte in its field's colour, with an ASCII column. */

import type { FieldSpan } from '../src/index.js';
import { type FieldColour, colourStyle } from './colors.js';
import { h } from './dom.js';

const PER_ROW = 16;

/** Options for {@link hexDump}. */
export interface HexDumpOptions {
  /** A byte to mark as the place an error was found. */
  markOffset?: number;
  /** Leave out the ASCII column (for the narrow dumps under the handshake ladder). */
  noAscii?: boolean;
}

function hex2(b: number): string {
  return b.toString(16).padStart(2, '0');
}

function printable(b: number): string {
  return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '·';
}

/** A coloured hex dump of `bytes`; byte i takes the colour of the span that holds it. */
export function hexDump(
  bytes: Uint8Array,
  spans: readonly FieldSpan[],
  colours: readonly FieldColour[],
  options: HexDumpOptions = {},
): HTMLElement {
  const owner = new Int32Array(bytes.length).fill(-1);
  spans.forEach((f, i) => {
    for (let k = f.start; k < Math.min(f.end, bytes.length); k++) owner[k] = i;
  });
  const dump = h('div', { class: 'hexdump', 'data-testid': 'hexdump' });
  for (let row = 0; row < bytes.length; row += PER_ROW) {
    const hexCell = h('span', { class: 'hex' });
    const ascii = h('span', { class: 'ascii' });
    for (let k = row; k < Math.min(row + PER_ROW, bytes.length); k++) {
      const b = bytes[k] as number;
      const i = owner[k] as number;
      const f = spans[i];
      const attrs: Record<string, string | number | undefined> = {
        class: k === options.markOffset ? 'b mark' : 'b',
        'data-offset': k,
      };
      if (f !== undefined) {
        attrs['data-span'] = i;
        attrs.style = colourStyle(colours[i] as FieldColour);
        attrs.title = `${f.label}: ${f.value} (byte${f.end - f.start > 1 ? 's' : ''} ${f.start}${f.end - f.start > 1 ? `–${f.end - 1}` : ''})`;
      }
      if (k === options.markOffset) attrs.title = `byte ${k}: the error is here`;
      hexCell.append(h('span', attrs, hex2(b)));
      if (k % PER_ROW === 7 && k + 1 < Math.min(row + PER_ROW, bytes.length)) hexCell.append(h('span', { class: 'gap' }));
      if (!options.noAscii) {
        ascii.append(h('span', { class: 'a', ...(f !== undefined ? { 'data-span': i } : {}) }, printable(b)));
      }
    }
    dump.append(
      h('div', { class: 'row' }, h('span', { class: 'off' }, row.toString(16).padStart(4, '0')), hexCell, options.noAscii ? null : ascii),
    );
  }
  if (options.markOffset !== undefined && options.markOffset >= bytes.length) {
    dump.append(h('div', { class: 'row past-end' }, `the error is at byte ${options.markOffset}, past the last byte (${bytes.length - 1})`));
  }
  return dump;
}
