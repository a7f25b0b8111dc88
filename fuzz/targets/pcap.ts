/** Jazzer.js target: the capture reader on the input as a pcap file (seeds: pcap fixtures). */
import { fuzzCapture } from './capture-common.js';

export function fuzz(data: Buffer): void {
  fuzzCapture(data);
}
