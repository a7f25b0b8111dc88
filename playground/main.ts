/**
 * The tcpwire playground. Every byte on the page is decoded, encoded, summed or
 * written by tcpwire itself, bundled from src/ for the browser; the server only
 * hands out static files.
 */

import { TcpWireError, fromHex, toHex } from '../src/index.js';
import { type DecodeTargets, renderSegment } from './decode.js';
import { byId } from './dom.js';
import { showError } from './errors.js';
import { mountHandshake } from './handshake.js';
import { showCapture } from './capture.js';

/** A SYN sent by Linux 6.x: frame 1 of fixtures/captures/handshakes-linux.pcap (as in the README and `tcpwire demo`). */
const LINUX_SYN = {
  hex: '9f941e61880eb25b00000000a002faf0b5070000020405b40402080aee189cc3000000000103030a',
  src: '10.99.0.1',
  dst: '10.99.0.2',
};

/** The same SYN with its window-scale option's length byte changed from 3 to 9: it runs past the header. */
const BROKEN = {
  hex: '9f941e61880eb25b00000000a002faf0b5070000020405b40402080aee189cc3000000000103090a',
  src: '10.99.0.1',
  dst: '10.99.0.2',
};

const hexInput = byId('hex', HTMLTextAreaElement);
const srcInput = byId('src', HTMLInputElement);
const dstInput = byId('dst', HTMLInputElement);
const targets: DecodeTargets = { out: byId('decoded', HTMLElement), error: byId('decode-error', HTMLElement) };

/** Where the bytes in the box came from, when a capture row put them there. */
let caption: string | undefined;

function decodeFromInputs(): void {
  const text = hexInput.value;
  const src = srcInput.value.trim();
  const dst = dstInput.value.trim();
  remember(text, src, dst);
  if (text.trim() === '') {
    targets.out.replaceChildren();
    targets.error.hidden = true;
    return;
  }
  let bytes: Uint8Array;
  try {
    bytes = fromHex(text);
  } catch (err) {
    targets.out.replaceChildren();
    showError(targets.error, err, 'character');
    // Put the caret on the bad character, so it can be fixed where it is.
    if (err instanceof TcpWireError && err.offset >= 0 && document.activeElement !== hexInput) {
      hexInput.setSelectionRange(err.offset, Math.min(err.offset + 1, text.length));
    }
    return;
  }
  renderSegment(bytes, src, dst, targets, caption);
}

/** Keeps the inputs in the address bar, so a segment can be shared as a link. */
function remember(hex: string, src: string, dst: string): void {
  const q = new URLSearchParams();
  const compact = hex.replace(/[\s:-]/g, '');
  if (compact !== '') q.set('hex', compact);
  if (src !== '') q.set('src', src);
  if (dst !== '') q.set('dst', dst);
  const hash = q.toString();
  history.replaceState(null, '', hash === '' ? location.pathname : `#${hash}`);
}

function load(example: { hex: string; src: string; dst: string }, from?: string): void {
  caption = from;
  hexInput.value = example.hex;
  srcInput.value = example.src;
  dstInput.value = example.dst;
  decodeFromInputs();
}

for (const el of [hexInput, srcInput, dstInput]) {
  el.addEventListener('input', () => {
    caption = undefined;
    decodeFromInputs();
  });
}
byId('example-syn', HTMLButtonElement).addEventListener('click', () => load(LINUX_SYN));
byId('example-broken', HTMLButtonElement).addEventListener('click', () => load(BROKEN));

// A capture file, chosen or dropped: its records are listed, the first segment decoded.
const captureBox = byId('capture', HTMLElement);
async function openCapture(file: File): Promise<void> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const first = showCapture(file.name, bytes, captureBox, (seg, src, dst, from) => load({ hex: toHex(seg), src, dst }, from));
  first?.click();
}
const fileInput = byId('file', HTMLInputElement);
fileInput.addEventListener('change', () => {
  const f = fileInput.files?.[0];
  if (f !== undefined) void openCapture(f);
  fileInput.value = '';
});
const dropZone = byId('decode-section', HTMLElement);
dropZone.addEventListener('dragover', (e) => {
  e.preventDefault();
  dropZone.classList.add('dragging');
});
dropZone.addEventListener('dragleave', (e) => {
  if (e.relatedTarget === null || !(e.relatedTarget instanceof Node) || !dropZone.contains(e.relatedTarget)) dropZone.classList.remove('dragging');
});
dropZone.addEventListener('drop', (e) => {
  e.preventDefault();
  dropZone.classList.remove('dragging');
  const f = e.dataTransfer?.files[0];
  if (f !== undefined) void openCapture(f);
});

const start = new URLSearchParams(location.hash.slice(1));
if (start.has('hex')) {
  load({ hex: start.get('hex') ?? '', src: start.get('src') ?? '', dst: start.get('dst') ?? '' });
} else {
  load(LINUX_SYN);
}

mountHandshake(byId('handshake-root', HTMLElement), (bytes, src, dst) => {
  load({ hex: toHex(bytes), src, dst });
  byId('decode-section', HTMLElement).scrollIntoView({ behavior: 'smooth' });
});
