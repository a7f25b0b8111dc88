/** Jazzer.js target: the capture reader on the input as a pcapng file (seeds: pcapng fixtures). */
import { fuzzCapture } from './capture-common.js';

export function fuzz(data: Buffer): void {
  fuzzCapture(data);
}
