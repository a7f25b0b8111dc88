// Codec rows: decodeSegment and the TcpView hot path against the pcap package's
// decoder and a binary-parser parser; encodeSegment; handshakes.
import { tcpwire } from './lib.mjs';
import { compare, ratio, si } from './harness.mjs';
import { MIX, PSEUDO, buildMix } from './mix.mjs';
import { loadBinaryParser } from './peers/binary-parser.mjs';
import { loadPcapTcp } from './peers/pcap-tcp.mjs';

const { TcpView, decodeSegment, encodeSegment, threeWayHandshake } = tcpwire;

const OPT_MSS = 2;
const OPT_WS = 3;
const OPT_SACK = 5;
const OPT_TS = 8;

export async function codecRows(table, { segments = 16384 } = {}) {
  const section = `Decode a realistic mix of ${segments} segments (segments/s)`;
  const mix = buildMix(segments);
  const { buffer, nodeBuffer, offsets, lengths, views } = mix;
  const n = views.length;
  table.note('pcap peer driven as its IPv4 decoder drives it: `new TCP(null).decode(buffer, offset, length)` (a Node Buffer over the same memory; no emitter) per segment');
  table.note(`mix: ${MIX.map((m) => `${Math.round(m.share * 100)}% ${m.kind}`).join('; ')}; a third of the ACKs carry 1-200 payload bytes; segments packed at odd offsets in one buffer`);

  const view = new TcpView(views[0]);
  const candidates = [
    {
      name: 'decodeSegment (plain object, all options parsed)',
      units: n,
      fn() {
        let acc = 0;
        for (let i = 0; i < n; i++) {
          const s = decodeSegment(views[i]);
          acc += s.window + s.options.length + s.payload.length;
        }
        return acc;
      },
    },
    {
      name: 'TcpView: fields + options() iteration',
      units: n,
      fn() {
        let acc = 0;
        for (let i = 0; i < n; i++) {
          const v = view.reset(buffer, offsets[i], lengths[i]);
          acc += v.srcPort + v.dstPort + ((v.seq ^ v.ack) & 0xff) + v.flagBits + v.window + v.payloadLength;
          for (const o of v.options()) acc += o.type.length;
        }
        return acc;
      },
    },
    {
      name: 'TcpView: fields + every option walked in place (nextOption)',
      units: n,
      fn() {
        let acc = 0;
        for (let i = 0; i < n; i++) {
          const v = view.reset(buffer, offsets[i], lengths[i]);
          acc += v.srcPort + v.dstPort + ((v.seq ^ v.ack) & 0xff) + v.flagBits + v.window + v.payloadLength;
          for (let at = v.nextOption(-1); at >= 0; at = v.nextOption(at)) acc += buffer[at];
        }
        return acc;
      },
    },
    {
      name: 'TcpView: fields + MSS, WS, TS, SACK option reads',
      units: n,
      fn() {
        let acc = 0;
        for (let i = 0; i < n; i++) {
          const v = view.reset(buffer, offsets[i], lengths[i]);
          acc += v.srcPort + v.dstPort + ((v.seq ^ v.ack) & 0xff) + v.flagBits + v.window + v.payloadLength;
          acc += v.mss + v.windowShift + (v.tsval & 0xff) + (v.tsecr & 0xff);
          const sack = v.findOption(OPT_SACK);
          if (sack >= 0) acc += buffer[sack + 1];
        }
        return acc;
      },
    },
  ];
  const pcap = loadPcapTcp();
  if (pcap.TCP) {
    const TCP = pcap.TCP;
    candidates.push({
      name: `pcap ${pcap.version} decode/tcp.js (peer)`,
      peer: 'pcap',
      units: n,
      fn() {
        let acc = 0;
        for (let i = 0; i < n; i++) {
          // As the package's IPv4 decoder does: a new TCP object per segment.
          const t = new TCP(null).decode(nodeBuffer, offsets[i], lengths[i]);
          acc += t.windowSize + (t.options.mss ?? 0) + t.dataLength;
        }
        return acc;
      },
    });
  } else table.note(`pcap peer skipped: ${pcap.reason}`);
  const bp = await loadBinaryParser();
  if (bp.parse) {
    const parse = bp.parse;
    candidates.push({
      name: `binary-parser ${bp.version} (peer)`,
      peer: 'binary-parser',
      units: n,
      fn() {
        let acc = 0;
        for (let i = 0; i < n; i++) {
          const h = parse(views[i]);
          acc += h.window + h.options.length;
        }
        return acc;
      },
    });
  } else table.note(`binary-parser peer skipped: ${bp.reason}`);

  const results = compare(candidates);
  const peers = results.filter((r, i) => candidates[i].peer);
  const out = {};
  results.forEach((r, i) => {
    const vs = candidates[i].peer ? '' : peers.map((p) => `${ratio(r.rate, p.rate)} ${candidates[results.indexOf(p)].peer}`).join(', ');
    table.add(section, r.name, `${si(r.rate)}/s`, vs);
    out[r.name] = r.rate;
  });
  return { results, candidates };
}

export function encodeRows(table, { segments = 4096 } = {}) {
  const section = 'Encode (segments/s) and generate handshakes (handshakes/s)';
  const { inits } = buildMix(segments, 0xbeef);
  const n = inits.length;
  const spec = {
    client: { address: '192.0.2.1', port: 50000, isn: 0x01020304 },
    server: { address: '198.51.100.2', port: 443, isn: 0xa0b0c0d0 },
    profile: 'linux',
  };
  const candidates = [
    {
      name: 'encodeSegment, checksum field as given',
      units: n,
      fn() {
        let acc = 0;
        for (let i = 0; i < n; i++) acc += encodeSegment(inits[i]).length;
        return acc;
      },
    },
    {
      name: 'encodeSegment with the IPv4 pseudo-header checksum',
      units: n,
      fn() {
        let acc = 0;
        for (let i = 0; i < n; i++) acc += encodeSegment(inits[i], PSEUDO)[17];
        return acc;
      },
    },
  ];
  if (typeof threeWayHandshake === 'function') {
    candidates.push({
      name: "threeWayHandshake (profile 'linux', checksummed)",
      units: 256,
      unit: 'handshakes',
      fn() {
        let acc = 0;
        for (let i = 0; i < 256; i++) {
          spec.client.port = 40000 + i;
          acc += threeWayHandshake(spec).ack.bytes.length;
        }
        return acc;
      },
    });
  } else table.note('threeWayHandshake is not in this build: handshake row skipped');
  const results = compare(candidates);
  results.forEach((r, i) => table.add(section, r.name, `${si(r.rate)}/s`, candidates[i].unit === 'handshakes' ? `${si(r.rate * 3)} segments/s` : 'no peer encodes'));
  return results;
}
