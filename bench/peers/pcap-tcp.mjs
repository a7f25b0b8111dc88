// The JS peer: the npm `pcap` package's TCP decoder (decode/tcp.js), which needs
// no native build. It decodes fields, flags and options (MSS, window scale, SACK
// permitted, SACK blocks, timestamps) into a TCP object, and a payload slice.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The decoder's constructor, or null (with the reason) if the package is absent. */
export function loadPcapTcp() {
  try {
    return { TCP: require('pcap/decode/tcp.js'), version: require('pcap/package.json').version };
  } catch (e) {
    return { TCP: null, reason: `npm package pcap not found (${e.code ?? e.message})` };
  }
}
