/**
 * A dropped (or chosen) .pcap / .pcapng: tcpwire's readCapture lists every record,
 * and picking a TCP segment sends its bytes and its pseudo-header addresses to the decoder.
 */

import { type CaptureItem, type CaptureSegment, TcpWireError, formatAddress, formatFlags, readCapture } from '../src/index.js';
import { h } from './dom.js';
import { showError } from './errors.js';

/** Rows drawn at most; a capture can hold millions of records. */
const MAX_ROWS = 2000;

/** Called with a segment's captured bytes and the addresses its checksum covers. */
export type PickSegment = (bytes: Uint8Array, src: string, dst: string, caption: string) => void;

/** The TCP bytes of a segment item as captured (shorter than tcpLength when truncated). */
function segmentBytes(file: Uint8Array, item: CaptureSegment): Uint8Array {
  const end = Math.min(item.offsets.tcp + item.tcpLength, item.offsets.packet + item.capturedLength);
  return file.subarray(item.offsets.tcp, end);
}

/** The addresses in the pseudo-header: IPv6 uses the final destination of a Routing header (RFC 8200 §8.1). */
function pseudoAddresses(item: CaptureSegment): { src: string; dst: string } {
  if (item.ip.version === 4) return { src: item.ip.src, dst: item.ip.dst };
  return { src: item.ip.src, dst: formatAddress(item.ip.finalDstBytes) };
}

function seconds(ns: bigint, first: bigint): string {
  return (Number(ns - first) / 1e9).toFixed(6);
}

function hostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/** Reads `file` and fills `box` with its records; returns the first segment's row, if any. */
export function showCapture(name: string, file: Uint8Array, box: HTMLElement, pick: PickSegment): HTMLElement | undefined {
  box.replaceChildren();
  box.hidden = false;
  const error = h('div', { class: 'error', role: 'alert', 'data-testid': 'capture-error', hidden: true });
  const items: CaptureItem[] = [];
  let damage: unknown;
  let total = 0;
  try {
    for (const item of readCapture(file)) {
      total++;
      if (items.length < MAX_ROWS) items.push(item);
    }
  } catch (err) {
    // Every intact record before the damage has been read: show them, and the damage.
    damage = err;
  }
  const segments = items.filter((i) => i.kind === 'segment').length;
  const first = items[0]?.timestampNs ?? 0n;
  const body = h('tbody');
  let firstRow: HTMLElement | undefined;
  for (const item of items) {
    const cells: (HTMLElement | string)[] = [h('td', { class: 'num' }, item.frame), h('td', { class: 'num' }, seconds(item.timestampNs, first))];
    let row: HTMLElement;
    if (item.kind === 'segment') {
      const t = item.tcp;
      row = h(
        'tr',
        { class: 'seg', 'data-frame': item.frame, 'data-testid': 'capture-row', tabindex: 0 },
        ...cells,
        h('td', {}, hostPort(item.ip.src, t.srcPort)),
        h('td', {}, hostPort(item.ip.dst, t.dstPort)),
        h('td', { class: 'flags', 'data-testid': 'capture-flags' }, formatFlags(t.flags) || '—'),
        h('td', { class: 'num', 'data-testid': 'capture-seq' }, t.seq),
        h('td', { class: 'num', 'data-testid': 'capture-ack' }, t.ack),
        h('td', { class: 'num' }, item.tcpLength - t.dataOffset * 4),
        h('td', { class: `verdict-cell ${item.checksum}`, 'data-testid': 'capture-checksum' }, item.checksum),
      );
      const bytes = segmentBytes(file, item);
      const { src, dst } = pseudoAddresses(item);
      const caption = `Frame ${item.frame} of ${name}${item.truncated ? ` — only ${bytes.length} of its ${item.tcpLength} bytes were captured` : ''}`;
      const choose = (): void => {
        for (const r of Array.from(body.querySelectorAll('tr.selected'))) r.classList.remove('selected');
        row.classList.add('selected');
        pick(bytes, src, dst, caption);
      };
      row.addEventListener('click', choose);
      row.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') choose();
      });
      firstRow ??= row;
    } else if (item.kind === 'skipped') {
      row = h('tr', { class: 'other', 'data-frame': item.frame }, ...cells, h('td', { colspan: 7 }, `no TCP: ${item.message}`));
    } else {
      row = h('tr', { class: 'other bad', 'data-frame': item.frame }, ...cells,
        h('td', { colspan: 7 }, h('code', {}, item.error.code), ` at byte ${item.error.offset} of the file: ${item.error.message}`));
    }
    body.append(row);
  }
  box.append(
    h('div', { class: 'capture-head' },
      h('strong', {}, name),
      ` · ${total} record${total === 1 ? '' : 's'}, ${segments} TCP segment${segments === 1 ? '' : 's'}${total > items.length ? ` (the first ${items.length} shown)` : ''} · pick one to decode it`),
    h('div', { class: 'capture-scroll' },
      h('table', { class: 'capture-table', 'data-testid': 'capture-table' },
        h('thead', {}, h('tr', {}, ...['No.', 'Time (s)', 'Source', 'Destination', 'Flags', 'Seq', 'Ack', 'Len', 'Checksum'].map((t) => h('th', {}, t)))),
        body)),
    error);
  if (damage !== undefined) {
    showError(error, damage);
  } else if (total === 0) {
    showError(error, new TcpWireError('BAD_RECORD', `${name} holds no packet records`));
  }
  return firstRow;
}
