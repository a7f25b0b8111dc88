// The realistic segment mix every codec row runs over, and the packets the
// capture rows write: what a busy Linux host's TCP traffic looks like (most
// segments are ACKs carrying timestamps; SYNs carry five options; loss brings SACK).
import { tcpwire } from './lib.mjs';

const { buildIpPacket, encodeSegment } = tcpwire;

/** A small deterministic PRNG (xorshift32), so every run measures the same bytes. */
export function prng(seed) {
  let x = seed | 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

/** Share of each kind in the mix (sums to 1). */
export const MIX = [
  { kind: 'plain ACK (20 B header)', share: 0.3 },
  { kind: 'NOP,NOP,TS ACK (32 B header)', share: 0.45 },
  { kind: 'SYN / SYN-ACK with MSS,SACKOK,TS,NOP,WS (40 B header)', share: 0.1 },
  { kind: 'NOP,NOP,TS,NOP,NOP,SACK 1-3 blocks (44-60 B header)', share: 0.15 },
];

const PAYLOAD = new Uint8Array(1448).map((_, i) => (i * 31 + 7) & 0xff);
const EMPTY = new Uint8Array(0);

/**
 * The next segment of the mix as an encodeSegment init (deterministic in `rand`).
 * Written as plain literals, one shape a kind, as a program would write them
 * (objects built by spreading get a hidden class each, which would measure V8's
 * megamorphic property lookups rather than the encoder).
 */
export function mixInit(rand) {
  const r = (rand() % 1000) / 1000;
  const srcPort = 1024 + (rand() % 60000);
  const dstPort = [80, 443, 22, 5201][rand() & 3];
  const seq = rand();
  const ack = rand();
  const window = 500 + (rand() % 3000);
  const tsval = rand();
  const tsecr = rand();
  // A third of the data-less kinds carry a small payload (requests, acks with data).
  const payload = rand() % 3 === 0 ? PAYLOAD.subarray(0, 1 + (rand() % 200)) : EMPTY;
  const flags = payload.length > 0 ? 'PA' : 'A';
  if (r < 0.3) return { srcPort, dstPort, seq, ack, flags, window, options: [], payload };
  if (r < 0.75) {
    return { srcPort, dstPort, seq, ack, flags, window, options: [{ type: 'nop' }, { type: 'nop' }, { type: 'timestamps', tsval, tsecr }], payload };
  }
  if (r < 0.85) {
    const synAck = (rand() & 1) === 1;
    return {
      srcPort,
      dstPort,
      seq,
      ack: synAck ? ack : 0,
      flags: synAck ? 'SA' : 'S',
      window: synAck ? 65160 : 64240,
      options: [
        { type: 'mss', value: 1460 },
        { type: 'sackPermitted' },
        { type: 'timestamps', tsval, tsecr: synAck ? tsecr : 0 },
        { type: 'nop' },
        { type: 'windowScale', shift: 7 },
      ],
      payload: EMPTY,
    };
  }
  const n = 1 + (rand() % 3);
  const blocks = [];
  let edge = (ack + 1000 + (rand() % 5000)) >>> 0;
  for (let i = 0; i < n; i++) {
    const right = (edge + 1448 * (1 + (rand() % 4))) >>> 0;
    blocks.push([edge, right]);
    edge = (right + 1448 * (1 + (rand() % 3))) >>> 0;
  }
  return {
    srcPort,
    dstPort,
    seq,
    ack,
    flags: 'A',
    window,
    options: [{ type: 'nop' }, { type: 'nop' }, { type: 'timestamps', tsval, tsecr }, { type: 'nop' }, { type: 'nop' }, { type: 'sack', blocks }],
    payload: EMPTY,
  };
}

export const PSEUDO = { src: '192.0.2.10', dst: '198.51.100.20' };

/**
 * `count` segments of the mix, packed back to back in one buffer at odd and even
 * offsets (as they sit in a capture), with their offsets and lengths, the
 * `subarray` of each (what decodeSegment takes), the same memory as a Node Buffer,
 * and their inits.
 */
export function buildMix(count, seed = 0x5eed) {
  const rand = prng(seed);
  const inits = [];
  const encoded = [];
  let total = 0;
  for (let i = 0; i < count; i++) {
    const init = mixInit(rand);
    const bytes = encodeSegment(init, PSEUDO);
    inits.push(init);
    encoded.push(bytes);
    // 54 bytes of Ethernet + IPv4 + record header would sit before each in a capture: keep the misalignment.
    total += bytes.length + 3;
  }
  const buffer = new Uint8Array(total);
  const offsets = new Int32Array(count);
  const lengths = new Int32Array(count);
  const views = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    at += 3;
    buffer.set(encoded[i], at);
    offsets[i] = at;
    lengths[i] = encoded[i].length;
    views.push(buffer.subarray(at, at + encoded[i].length));
    at += encoded[i].length;
  }
  // The same memory as a Node Buffer, for the pcap package (it calls readUInt16BE).
  const nodeBuffer = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.length);
  return { buffer, nodeBuffer, offsets, lengths, views, inits };
}

/** One IPv4 packet of the mix (checksums filled in), for the capture rows. */
export function mixPacket(rand) {
  const init = mixInit(rand);
  const src = `10.${rand() & 255}.${rand() & 255}.${1 + (rand() % 254)}`;
  const dst = `192.0.2.${1 + (rand() % 254)}`;
  const tcp = encodeSegment(init, { src, dst });
  return buildIpPacket(tcp, src, dst);
}
