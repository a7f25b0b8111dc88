/**
 * Section 2: the handshake builder. A form makes a {@link HandshakeSpec}; tcpwire's
 * threeWayHandshake builds the three segments; the page draws them as a ladder
 * (RFC 9293 §3.5, Figure 6) with both sides' states, the seq/ack arithmetic in x/y
 * and in real numbers, and each segment's bytes, and writes them to a .pcap.
 */

import {
  type Handshake,
  type HandshakeProfile,
  type HandshakeSegment,
  type HandshakeSpec,
  type TcpState,
  fieldMap,
  formatFlags,
  optionShort,
  parseSeq,
  seqAdd,
  threeWayHandshake,
  writePcap,
} from '../src/index.js';
import { spanColours } from './colors.js';
import { type Child, h, linkHover, s } from './dom.js';
import { clearError, showError } from './errors.js';
import { hexDump } from './hexdump.js';

/** What the form holds. */
interface FormValues {
  clientAddress: string;
  clientPort: string;
  clientIsn: string;
  serverAddress: string;
  serverPort: string;
  serverIsn: string;
  profile: HandshakeProfile;
  ecn: boolean;
}

/** Called with a segment and its addresses when "open in the decoder" is pressed. */
export type OpenInDecoder = (bytes: Uint8Array, src: string, dst: string) => void;

const MOD = 2 ** 32;

function port(text: string): number {
  return /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
}

/** The spec the form describes; an empty ISN is left out, so the library draws a random one. */
export function specFromForm(v: FormValues): HandshakeSpec {
  const endpoint = (address: string, p: string, isn: string): HandshakeSpec['client'] => ({
    address: address.trim(),
    port: port(p),
    ...(isn.trim() === '' ? {} : { isn: parseSeq(isn) }),
  });
  return {
    client: endpoint(v.clientAddress, v.clientPort, v.clientIsn),
    server: endpoint(v.serverAddress, v.serverPort, v.serverIsn),
    profile: v.profile,
    ...(v.ecn ? { ecn: true } : {}),
    packets: true,
  };
}

function hostPort(address: string, p: number): string {
  return address.includes(':') ? `[${address}]:${p}` : `${address}:${p}`;
}

/** `x + 1 = 4294967295 + 1 = 0`, saying "mod 2^32" when it wraps. */
function plusOne(name: string, value: number, testid: string): HTMLElement {
  const wraps = value + 1 >= MOD;
  return h(
    'span',
    { class: 'calc' },
    h('span', { class: 'sym' }, `${name} + 1`),
    ' = ',
    `${value} + 1`,
    wraps ? h('span', { class: 'wrap', title: 'sequence numbers wrap around at 2³² (RFC 9293 §3.4)' }, ` = ${value + 1} mod 2³²`) : null,
    ' = ',
    h('span', { class: 'num', 'data-testid': testid }, seqAdd(value, 1)),
  );
}

function plain(name: string, value: number, testid: string): HTMLElement {
  return h('span', { class: 'calc' }, h('span', { class: 'sym' }, name), ' = ', h('span', { class: 'num', 'data-testid': testid }, value));
}

/** One line of arithmetic: `seq  x + 1 = ...`. */
function line(field: 'seq' | 'ack', calc: HTMLElement): HTMLElement {
  return h('span', { class: 'line' }, h('span', { class: 'k' }, `${field} `), calc);
}

function stateBadge(state: TcpState, changed: boolean, testid: string): HTMLElement {
  return h('span', { class: `state ${state.toLowerCase()}${changed ? ' changed' : ''}`, 'data-testid': testid }, state);
}

/** The stack of state rows and arrows. */
function ladder(hs: Handshake, open: OpenInDecoder): HTMLElement {
  const x = hs.syn.segment.seq;
  const y = hs.synAck.segment.seq;
  const client = hostPort(hs.syn.src, hs.syn.segment.srcPort);
  const server = hostPort(hs.syn.dst, hs.syn.segment.dstPort);
  const lad = h('div', { class: 'ladder', 'data-testid': 'ladder' });
  lad.append(
    h('div', { class: 'lane-head client' }, h('strong', {}, 'Client'), h('code', {}, client), h('span', { class: 'isn' }, 'ISN x = ', h('code', { 'data-testid': 'isn-x' }, x))),
    h('div', { class: 'lane-head mid' }, ''),
    h('div', { class: 'lane-head server' }, h('strong', {}, 'Server'), h('code', {}, server), h('span', { class: 'isn' }, 'ISN y = ', h('code', { 'data-testid': 'isn-y' }, y))),
  );
  const states = (i: number): void => {
    const now = hs.states[i];
    const before = i > 0 ? hs.states[i - 1] : undefined;
    if (now === undefined) return;
    lad.append(
      h('div', { class: 'lane-state client' }, stateBadge(now.client, before !== undefined && before.client !== now.client, `state-client-${i}`)),
      h('div', { class: 'lane-state mid' }, i === 0 ? h('span', { class: 'caption' }, 'the server has done a passive open (listen); the client is about to connect') : null),
      h('div', { class: 'lane-state server' }, stateBadge(now.server, before !== undefined && before.server !== now.server, `state-server-${i}`)),
    );
  };
  const steps: { key: 'syn' | 'synAck' | 'ack'; name: string; toServer: boolean; seg: HandshakeSegment; numbers: Child[]; why: string }[] = [
    {
      key: 'syn',
      name: 'SYN',
      toServer: true,
      seg: hs.syn,
      numbers: [line('seq', plain('x', x, 'syn-seq'))],
      why: 'The client picks its initial sequence number x and asks to synchronize. The SYN itself takes up one sequence number.',
    },
    {
      key: 'synAck',
      name: 'SYN, ACK',
      toServer: false,
      seg: hs.synAck,
      numbers: [line('seq', plain('y', y, 'synAck-seq')), line('ack', plusOne('x', x, 'synAck-ack'))],
      why: 'The server picks its own ISN y, and acknowledges x + 1: “I have everything before x + 1; send that next”.',
    },
    {
      key: 'ack',
      name: 'ACK',
      toServer: true,
      seg: hs.ack,
      numbers: [line('seq', plusOne('x', x, 'ack-seq')), line('ack', plusOne('y', y, 'ack-ack'))],
      why: 'The client acknowledges y + 1. This segment takes no sequence number: the first data byte will also be x + 1.',
    },
  ];
  states(0);
  steps.forEach((st, i) => {
    const seg = st.seg.segment;
    const flags = formatFlags(seg.flags);
    const opts = seg.options.map(optionShort).join(' ');
    const spans = fieldMap(seg);
    const colours = spanColours(spans);
    const dump = h('div', { class: 'seg-bytes' }, hexDump(st.seg.bytes, spans, colours, { noAscii: true }));
    linkHover(dump);
    lad.append(
      h(
        'div',
        { class: `hs-step ${st.toServer ? 'right' : 'left'}`, 'data-testid': `step-${st.key}` },
        h('div', { class: 'arrow-label' }, h('strong', { 'data-testid': `${st.key}-flags` }, flags), h('span', { class: 'numbers' }, ...st.numbers)),
        h('div', { class: 'arrow' }, arrowSvg(st.toServer), h('span', { class: 'head' })),
        h('p', { class: 'why' }, st.why),
        h(
          'div',
          { class: 'seg-meta' },
          `${st.seg.bytes.length} bytes · ${hostPort(st.seg.src, seg.srcPort)} → ${hostPort(st.seg.dst, seg.dstPort)} · window ${windowText(hs, st.key)}`,
          opts !== '' ? h('span', { class: 'opts' }, ` · ${opts}`) : null,
          ' ',
          h('button', { type: 'button', class: 'link', 'data-testid': `open-${st.key}` }, 'open in the decoder ↑'),
        ),
        dump,
      ),
    );
    const button = lad.querySelector(`[data-testid="open-${st.key}"]`);
    button?.addEventListener('click', () => open(st.seg.bytes, st.seg.src, st.seg.dst));
    states(i + 1);
  });
  return lad;
}

/** The shift each side announced in its SYN, when both did (RFC 7323 §2.2: otherwise no scaling at all). */
function windowShifts(hs: Handshake): { client: number; server: number } | null {
  const shift = (seg: HandshakeSegment): number | undefined => {
    for (const o of seg.segment.options) if (o.type === 'windowScale') return Math.min(o.shift, 14);
    return undefined;
  };
  const c = shift(hs.syn);
  const sv = shift(hs.synAck);
  return c === undefined || sv === undefined ? null : { client: c, server: sv };
}

/** The window field, and what it means once scaling is in effect (never in a SYN). */
function windowText(hs: Handshake, key: 'syn' | 'synAck' | 'ack'): string {
  const seg = hs[key].segment;
  const shifts = windowShifts(hs);
  if (key !== 'ack' || shifts === null) return String(seg.window);
  const scale = 2 ** shifts.client;
  return `${seg.window} (× ${scale} = ${seg.window * scale} bytes)`;
}

/** One line on what the two SYNs agreed. */
function negotiated(hs: Handshake): HTMLElement {
  const syn = hs.syn.segment.options;
  const synAck = hs.synAck.segment.options;
  if (syn.length === 0 && synAck.length === 0) {
    return h('p', { class: 'negotiated' }, h('strong', {}, 'No options: '), 'MSS defaults to 536 bytes (RFC 9293 §3.7.1); no window scaling, SACK or timestamps.');
  }
  const mss = (list: typeof syn): string => {
    for (const o of list) if (o.type === 'mss') return String(o.value);
    return 'default';
  };
  const both = (type: 'sackPermitted' | 'timestamps'): boolean => syn.some((o) => o.type === type) && synAck.some((o) => o.type === type);
  const shifts = windowShifts(hs);
  const parts = [
    `MSS ${mss(syn)} (client) / ${mss(synAck)} (server)`,
    shifts === null ? 'no window scaling' : `window scale ×${2 ** shifts.client} (client) / ×${2 ** shifts.server} (server), from the first non-SYN segment`,
    both('sackPermitted') ? 'SACK permitted' : 'no SACK',
    both('timestamps') ? 'timestamps on every segment' : 'no timestamps',
  ];
  return h('p', { class: 'negotiated', 'data-testid': 'negotiated' }, h('strong', {}, 'The SYNs agreed on: '), parts.join(' · '));
}

function arrowSvg(toRight: boolean): SVGSVGElement {
  // A gently falling line: time runs down the page. The head is drawn in CSS so it keeps its shape.
  return s(
    'svg',
    { viewBox: '0 0 100 20', preserveAspectRatio: 'none', 'aria-hidden': 'true' },
    s('line', { x1: toRight ? 0 : 100, y1: 2, x2: toRight ? 100 : 0, y2: 18, 'vector-effect': 'non-scaling-stroke' }),
  );
}

function download(hs: Handshake): void {
  const packets = [hs.syn, hs.synAck, hs.ack].map((seg) => ({ data: seg.packet ?? new Uint8Array(0) }));
  const file = writePcap(packets);
  const url = URL.createObjectURL(new Blob([new Uint8Array(file)], { type: 'application/vnd.tcpdump.pcap' }));
  const a = h('a', { href: url, download: 'tcpwire-handshake.pcap' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function field(label: string, name: keyof FormValues, value: string, attrs: Record<string, string> = {}): HTMLElement {
  return h('label', {}, h('span', {}, label), h('input', { name, value, spellcheck: 'false', autocomplete: 'off', 'data-testid': `hs-${name}`, ...attrs }));
}

function readForm(form: HTMLFormElement): FormValues {
  const d = new FormData(form);
  const text = (k: keyof FormValues): string => {
    const v = d.get(k);
    return typeof v === 'string' ? v : '';
  };
  return {
    clientAddress: text('clientAddress'),
    clientPort: text('clientPort'),
    clientIsn: text('clientIsn'),
    serverAddress: text('serverAddress'),
    serverPort: text('serverPort'),
    serverIsn: text('serverIsn'),
    profile: text('profile') === 'plain' ? 'plain' : 'linux',
    ecn: d.get('ecn') !== null,
  };
}

function specCode(spec: HandshakeSpec, hs: Handshake): string {
  const ep = (e: HandshakeSpec['client'], isn: number): string =>
    `{ address: '${String(e.address)}', port: ${e.port}, isn: ${e.isn ?? isn}${e.isn === undefined ? ' /* drawn at random */' : ''} }`;
  return [
    "import { threeWayHandshake, writePcap } from 'tcpwire';",
    '',
    'const hs = threeWayHandshake({',
    `  client: ${ep(spec.client, hs.syn.segment.seq)},`,
    `  server: ${ep(spec.server, hs.synAck.segment.seq)},`,
    `  profile: '${spec.profile ?? 'plain'}',${spec.ecn === true ? '\n  ecn: true,' : ''}`,
    '  packets: true,',
    '});',
    'const pcap = writePcap([hs.syn, hs.synAck, hs.ack].map((s) => ({ data: s.packet })));',
  ].join('\n');
}

/** Builds section 2 inside `root`. */
export function mountHandshake(root: HTMLElement, open: OpenInDecoder): void {
  const form = h(
    'form',
    { class: 'hs-form', 'data-testid': 'hs-form' },
    h('fieldset', {}, h('legend', {}, 'Client (sends the SYN)'),
      field('Address', 'clientAddress', '10.0.0.1'), field('Port', 'clientPort', '50000', { inputmode: 'numeric' }),
      field('ISN x', 'clientIsn', '', { placeholder: 'random' })),
    h('fieldset', {}, h('legend', {}, 'Server (listening)'),
      field('Address', 'serverAddress', '10.0.0.2'), field('Port', 'serverPort', '80', { inputmode: 'numeric' }),
      field('ISN y', 'serverIsn', '', { placeholder: 'random' })),
    h('fieldset', { class: 'how' }, h('legend', {}, 'Options'),
      h('label', {}, h('span', {}, 'Profile'),
        h('select', { name: 'profile', 'data-testid': 'hs-profile' },
          h('option', { value: 'linux', selected: true }, 'linux: MSS, SACK, TS, WS'),
          h('option', { value: 'plain' }, 'plain: 20-byte headers'))),
      h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'ecn', 'data-testid': 'hs-ecn' }), h('span', {}, 'ECN set-up (RFC 3168)')),
      h('div', { class: 'buttons' },
        h('button', { type: 'submit', class: 'primary', 'data-testid': 'hs-build' }, 'Build handshake'),
        h('button', { type: 'button', 'data-testid': 'hs-isn-max' }, 'ISN x = 2³² − 1'))),
  );
  const error = h('div', { class: 'error', role: 'alert', 'data-testid': 'hs-error', hidden: true });
  const out = h('div', { class: 'hs-out' });
  root.append(form, error, out);

  const buildNow = (): void => {
    out.replaceChildren();
    let spec: HandshakeSpec;
    let hs: Handshake;
    try {
      spec = specFromForm(readForm(form));
      hs = threeWayHandshake(spec);
    } catch (err) {
      showError(error, err);
      return;
    }
    clearError(error);
    const dl = h('button', { type: 'button', class: 'primary', 'data-testid': 'hs-download' }, '⬇ Download the three packets (.pcap)');
    dl.addEventListener('click', () => download(hs));
    out.append(
      ladder(hs, open),
      negotiated(hs),
      h('div', { class: 'hs-foot' },
        dl,
        h('span', { class: 'hint' }, ' raw IP packets (link type 101); open them in Wireshark or `tshark -r`'),
      ),
      h('details', { class: 'code' }, h('summary', {}, 'The same, in your own code'), h('pre', {}, h('code', {}, specCode(spec, hs)))),
    );
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    buildNow();
  });
  form.querySelector('[data-testid="hs-isn-max"]')?.addEventListener('click', () => {
    const isn = form.elements.namedItem('clientIsn');
    if (isn instanceof HTMLInputElement) isn.value = String(MOD - 1);
    buildNow();
  });
  buildNow();
}
