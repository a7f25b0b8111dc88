/** The field table: one row a field, in wire order, with its colour. It is also the legend. */

import type { FieldSpan } from '../src/index.js';
import { type FieldColour, colourStyle } from './colors.js';
import { h } from './dom.js';

function range(f: FieldSpan): string {
  return f.end - f.start === 1 ? `${f.start}` : `${f.start}–${f.end - 1}`;
}

/** The table of `spans` with swatches in their colours. */
export function fieldTable(spans: readonly FieldSpan[], colours: readonly FieldColour[]): HTMLElement {
  const body = h('tbody');
  spans.forEach((f, i) => {
    body.append(
      h(
        'tr',
        { 'data-span': i, 'data-key': f.key, 'data-testid': 'field-row' },
        h('td', {}, h('span', { class: 'swatch', style: colourStyle(colours[i] as FieldColour) })),
        h('td', { class: 'label' }, f.label),
        h('td', { class: 'bytes' }, range(f)),
        h('td', { class: 'value' }, f.value),
      ),
    );
  });
  return h(
    'table',
    { class: 'fields', 'data-testid': 'field-table' },
    h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, 'Field'), h('th', {}, 'Bytes'), h('th', {}, 'Value'))),
    body,
  );
}
