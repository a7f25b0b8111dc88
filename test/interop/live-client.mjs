// @ts-check
/**
 * The client side of the live handshake test, run inside the client network
 * namespace (`ip netns exec NS node live-client.mjs JOB`, as root): it speaks TCP
 * to a real Linux listener through a raw socket, with segments tcpwire builds.
 *
 * JOB (JSON): { family: 4|6, src, dst, dport, probes: [{ sport, isn, spec }],
 *               main: { sport, isn, payloadHex } }
 *
 * - Each probe sends one SYN built from `spec` and records the kernel's SYN-ACK
 *   (the probe's port is not protected from the local kernel, whose RST then
 *   cleans the half-open connection up on the server).
 * - The main connection: tcpwire's SYN, the kernel's SYN-ACK, tcpwire's ACK
 *   (respondTo), then the payload with PSH+ACK, and the kernel's ACK of it.
 *
 * Prints one JSON line with every segment as hex, and exits. Bounded: every wait
 * has a timeout and the whole run is cut off after 15 s.
 */

import { createRequire } from 'node:module';
import { encodeSegment, fromHex, locateTcp, decodeSegment, respondTo, threeWayHandshake, toHex } from '../../dist/index.js';

const require = createRequire(import.meta.url);
const raw = require('raw-socket');

const job = JSON.parse(process.argv[2] ?? '{}');
const WAIT_MS = 3000;
setTimeout(() => {
  process.stdout.write(`${JSON.stringify({ error: 'client timed out after 15 s' })}\n`);
  process.exit(3);
}, 15_000).unref();

const socket = raw.createSocket({
  protocol: raw.Protocol.TCP,
  addressFamily: job.family === 6 ? raw.AddressFamily.IPv6 : raw.AddressFamily.IPv4,
  bufferSize: 65536,
});

/** @type {{ tcp: Uint8Array, from: string }[]} */
const inbox = [];
/** @type {(() => void)[]} */
const waiters = [];
socket.on('message', (/** @type {Buffer} */ buffer, /** @type {string} */ from) => {
  const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length).slice();
  let tcp = bytes;
  if (job.family === 4) {
    // IPv4 raw sockets deliver the IP header too; IPv6 ones only the payload.
    const loc = locateTcp(bytes, 0, bytes.length);
    if (loc.tcpOffset < 0) return;
    tcp = bytes.subarray(loc.tcpOffset, loc.tcpOffset + loc.tcpLength);
  }
  if (process.env.TW_DEBUG) process.stderr.write(`${Date.now() % 100000} recv ${from} ${toHex(tcp)}\n`);
  inbox.push({ tcp, from });
  for (const w of waiters.splice(0)) w();
});
socket.on('error', (/** @type {Error} */ e) => {
  process.stdout.write(`${JSON.stringify({ error: `raw socket: ${e.message}` })}\n`);
  process.exit(4);
});

/** Sends TCP bytes to the server. */
function send(/** @type {Uint8Array} */ tcp) {
  return new Promise((resolve, reject) => {
    socket.send(Buffer.from(tcp), 0, tcp.length, job.dst, null, (/** @type {Error|null} */ err) => (err ? reject(err) : resolve(undefined)));
  });
}

/** Waits for a segment from the server's port to `sport` that `match` accepts. */
async function receive(/** @type {string} */ what, /** @type {number} */ sport, /** @type {(s: ReturnType<typeof decodeSegment>) => boolean} */ match) {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const i = inbox.findIndex((m) => {
      const s = decodeSegment(m.tcp);
      return s.srcPort === job.dport && s.dstPort === sport && match(s);
    });
    if (i >= 0) return /** @type {{ tcp: Uint8Array }} */ (inbox.splice(i, 1)[0]).tcp;
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`no ${what} from ${job.dst}:${job.dport} to port ${sport} within ${WAIT_MS} ms (got: ${inbox.map((m) => toHex(m.tcp.subarray(0, 20))).join(' ') || 'nothing'})`);
    await new Promise((resolve) => {
      const t = setTimeout(resolve, left);
      waiters.push(() => {
        clearTimeout(t);
        resolve(undefined);
      });
    });
  }
}

/**
 * tcpwire's SYN for a probe: `spec.profile`, `spec.ecn`, and `spec.options` replacing the profile's list.
 * @param {number} sport
 * @param {number} isn
 * @param {{ profile?: 'plain' | 'linux', ecn?: boolean, options?: import('../../dist/index.js').TcpOption[] }} spec
 */
function synFor(sport, isn, spec) {
  return threeWayHandshake({
    profile: spec.profile ?? 'linux',
    ecn: spec.ecn ?? false,
    client: { address: job.src, port: sport, isn, ...(spec.options !== undefined ? { options: spec.options } : {}) },
    server: { address: job.dst, port: job.dport, isn: 0 },
  }).syn;
}

const result = { probes: /** @type {object[]} */ ([]), main: /** @type {object} */ ({}) };
try {
  for (const p of job.probes) {
    const syn = synFor(p.sport, p.isn, p.spec);
    await send(syn.bytes);
    const synAck = await receive('SYN-ACK', p.sport, (s) => s.flags.syn && s.flags.ack);
    result.probes.push({ name: p.name, syn: toHex(syn.bytes), synAck: toHex(synAck) });
  }

  const m = job.main;
  const syn = synFor(m.sport, m.isn, {});
  await send(syn.bytes);
  const synAckBytes = await receive('SYN-ACK', m.sport, (s) => s.flags.syn && s.flags.ack);
  const synAck = decodeSegment(synAckBytes);
  // The ACK that completes the handshake, as the responder builds it.
  const ack = respondTo(synAck, { src: job.dst, dst: job.src, state: 'SYN-SENT', syn: syn.segment, profile: 'linux' });
  if (ack === null) throw new Error('respondTo gave no ACK for the SYN-ACK');
  await send(ack.bytes);
  // The payload: PSH+ACK at seq x+1, ack y+1, with the timestamps the ACK carries.
  const payload = fromHex(m.payloadHex);
  const data = encodeSegment(
    {
      srcPort: m.sport,
      dstPort: job.dport,
      seq: ack.segment.seq,
      ack: ack.segment.ack,
      flags: 'PA',
      window: ack.segment.window,
      options: ack.segment.options,
      payload,
    },
    { src: job.src, dst: job.dst },
  );
  await send(data);
  const wantAck = (ack.segment.seq + payload.length) >>> 0;
  const dataAck = await receive('ACK of the payload', m.sport, (s) => s.flags.ack && !s.flags.syn && s.ack === wantAck);
  result.main = { syn: toHex(syn.bytes), synAck: toHex(synAckBytes), ack: toHex(ack.bytes), data: toHex(data), dataAck: toHex(dataAck) };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  socket.close();
  process.exit(0);
} catch (e) {
  process.stdout.write(`${JSON.stringify({ ...result, error: e instanceof Error ? e.message : String(e) })}\n`);
  socket.close();
  process.exit(1);
}
