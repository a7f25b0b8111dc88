/** Section 1: hex (or a captured packet) in, the segment drawn three ways out. */

import {
  TcpWireError,
  decodeSegment,
  fieldMap,
  foldSum,
  formatFlags,
  optionShort,
  pseudoHeaderSum,
  tcpChecksum,
  verifyTcpChecksum,
} from '../src/index.js';
import { spanColours } from './colors.js';
import { headerDiagram } from './diagram.js';
import { h, linkHover } from './dom.js';
import { clearError, showError } from './errors.js';
import { fieldTable } from './fields.js';
import { hexDump } from './hexdump.js';

/** Where section 1 draws. */
export interface DecodeTargets {
  out: HTMLElement;
  error: HTMLElement;
}

function hex4(n: number): string {
  return `0x${n.toString(16).padStart(4, '0')}`;
}

/** The checksum verdict for the given addresses, or a hint when they are missing. */
function checksumVerdict(bytes: Uint8Array, checksum: number, src: string, dst: string): HTMLElement {
  if (src === '' || dst === '') {
    return h('div', { class: 'verdict unknown', 'data-testid': 'checksum-verdict', 'data-verdict': 'unknown' },
      h('strong', {}, 'Checksum not checked'),
      ' — it covers a pseudo-header of the IP source and destination addresses (RFC 9293 §3.1): fill in both to check it.');
  }
  try {
    const want = tcpChecksum(bytes, src, dst);
    if (verifyTcpChecksum(bytes, src, dst)) {
      return h('div', { class: 'verdict good', 'data-testid': 'checksum-verdict', 'data-verdict': 'good' },
        h('strong', {}, `✓ Checksum ${hex4(checksum)} is correct`), ` for ${src} → ${dst}.`);
    }
    // Linux with checksum offload captures outgoing segments holding only the pseudo-header sum.
    if (checksum === foldSum(pseudoHeaderSum(src, dst, bytes.length))) {
      return h('div', { class: 'verdict partial', 'data-testid': 'checksum-verdict', 'data-verdict': 'partial' },
        h('strong', {}, `◐ Checksum ${hex4(checksum)} is partial`),
        ` — only the pseudo-header sum: the network card was to finish it (checksum offload). The full checksum is ${hex4(want)}.`);
    }
    return h('div', { class: 'verdict bad', 'data-testid': 'checksum-verdict', 'data-verdict': 'bad' },
      h('strong', {}, `✗ Checksum ${hex4(checksum)} is wrong`), ` for ${src} → ${dst}: it should be ${hex4(want)}.`);
  } catch (err) {
    const msg = err instanceof TcpWireError ? `${err.code}: ${err.message}` : String(err);
    return h('div', { class: 'verdict bad', 'data-testid': 'checksum-verdict', 'data-verdict': 'error' }, h('strong', {}, 'Cannot check the checksum'), ` — ${msg}`);
  }
}

/** What the marks in the diagram and the dump mean. */
function legend(): HTMLElement {
  return h('div', { class: 'legend', 'data-testid': 'legend' },
    h('h3', {}, 'Legend'),
    h('ul', {},
      h('li', {}, h('span', { class: 'lamp on' }, '1'), ' a flag that is set, ', h('span', { class: 'lamp off' }, '0'), ' one that is clear'),
      h('li', {}, 'One colour a field: its box in the diagram, its bytes here and its row in the table. Point at any of them.'),
      h('li', {}, 'A box with a dashed right edge goes on in the next 32-bit row.'),
      h('li', {}, 'Numbers are unsigned and sent big-endian (network byte order): the first byte is the most significant.'),
      h('li', {}, 'The right-hand column shows printable bytes as ASCII; · is any other byte.')));
}

/** Decodes `bytes` and draws the diagram, the verdict, the hex dump and the field table. */
export function renderSegment(bytes: Uint8Array, src: string, dst: string, t: DecodeTargets, caption?: string): boolean {
  t.out.replaceChildren();
  if (caption !== undefined) t.out.append(h('p', { class: 'from-capture', 'data-testid': 'from-capture' }, caption));
  let seg;
  try {
    seg = decodeSegment(bytes);
  } catch (err) {
    showError(t.error, err, 'byte');
    const at = err instanceof TcpWireError && err.offset >= 0 ? err.offset : undefined;
    if (bytes.length > 0) {
      t.out.append(
        h('h3', {}, 'The bytes as given'),
        hexDump(bytes, [], [], at !== undefined ? { markOffset: at } : {}),
      );
    }
    return false;
  }
  clearError(t.error);
  const spans = fieldMap(seg);
  const colours = spanColours(spans);
  const flags = formatFlags(seg.flags) || 'no flags';
  const opts = seg.options.map(optionShort).join(' ');
  const summary = h('p', { class: 'summary', 'data-testid': 'summary' },
    h('strong', {}, flags), ` · port ${seg.srcPort} → ${seg.dstPort} · ${seg.dataOffset * 4}-byte header, ${seg.payload.length} bytes of data`,
    opts !== '' ? h('span', { class: 'opts' }, ` · ${opts}`) : null);
  const warnings = seg.warnings.length === 0 ? null : h('ul', { class: 'warnings', 'data-testid': 'warnings' },
    ...seg.warnings.map((w) => h('li', {}, h('code', {}, w.code), ` at byte ${w.offset}: ${w.message}`)));
  const panel = h('div', { class: 'linked' },
    summary,
    checksumVerdict(bytes, seg.checksum, src, dst),
    warnings,
    h('h3', {}, 'Header, as drawn in RFC 9293 §3.1', h('span', { class: 'hint' }, ' — point at a field to find its bytes')),
    headerDiagram(seg, bytes, spans, colours),
    h('div', { class: 'two' },
      h('div', {}, h('h3', {}, 'Bytes'), hexDump(bytes, spans, colours), legend()),
      h('div', {}, h('h3', {}, 'Fields', h('span', { class: 'hint' }, ' — the colours of the diagram and the bytes')), fieldTable(spans, colours))));
  linkHover(panel);
  t.out.append(panel);
  return true;
}
