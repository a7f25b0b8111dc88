// Checksum rows: onesComplementSum over 64 B .. 64 KiB at an aligned and an odd
// byte offset, next to Uint8Array.prototype.set copying the same bytes (the
// memory-bandwidth ceiling), both in GB/s from the same interleaved rounds.
import { compare, ratio } from './harness.mjs';
import { tcpwire } from './lib.mjs';

const { onesComplementSum } = tcpwire;

export const CHECKSUM_SIZES = [64, 1500, 9000, 65536];

function gbps(rate) {
  return `${(rate / 1e9).toFixed(rate >= 1e10 ? 1 : 2)} GB/s`;
}

export function checksumRows(table) {
  const section = 'Internet checksum (onesComplementSum) next to a copy of the same bytes (GB/s)';
  const big = new Uint8Array(65536 + 64);
  for (let i = 0; i < big.length; i++) big[i] = (i * 2654435761) >>> 24;
  const dst = new Uint8Array(65536 + 64);
  const out = {};
  for (const n of CHECKSUM_SIZES) {
    for (const [label, off] of [
      ['aligned', 0],
      ['unaligned', 1],
    ]) {
      const view = big.subarray(off, off + n);
      // Enough calls per timed unit that call overhead is a small part even at 64 B.
      const reps = Math.max(1, Math.floor(262144 / n));
      const [sum, copy] = compare([
        {
          name: 'sum',
          units: n * reps,
          fn() {
            let acc = 0;
            for (let i = 0; i < reps; i++) acc += onesComplementSum(view);
            return acc;
          },
        },
        {
          name: 'copy',
          units: n * reps,
          fn() {
            for (let i = 0; i < reps; i++) dst.set(view);
            return dst[0];
          },
        },
      ]);
      const share = sum.rate / copy.rate;
      table.add(section, `${n.toLocaleString('en-US')} B, ${label} (byteOffset ${off})`, gbps(sum.rate), `${(share * 100).toFixed(0)}% of copy (${gbps(copy.rate)})`);
      out[`${n}:${label}`] = { sum: sum.rate, copy: copy.rate, share };
    }
  }
  // A segment inside a capture chunk: the range is a small part of a large buffer,
  // so the kernel gets it through a subarray (one more object per call).
  const chunk = new Uint8Array(8 << 20);
  chunk.set(big.subarray(0, 1500), 4097);
  const dstView = chunk.subarray(4097, 4097 + 1500);
  const reps = 128;
  const [sum, copy] = compare([
    {
      name: 'sum',
      units: 1500 * reps,
      fn() {
        let acc = 0;
        for (let i = 0; i < reps; i++) acc += onesComplementSum(chunk, 4097, 4097 + 1500);
        return acc;
      },
    },
    {
      name: 'copy',
      units: 1500 * reps,
      fn() {
        for (let i = 0; i < reps; i++) dst.set(dstView);
        return dst[0];
      },
    },
  ]);
  table.add(section, '1,500 B at an odd offset inside an 8 MiB chunk (start, end given)', gbps(sum.rate), `${((sum.rate / copy.rate) * 100).toFixed(0)}% of copy (${gbps(copy.rate)})`);
  out['1500:chunk'] = { sum: sum.rate, copy: copy.rate, share: sum.rate / copy.rate };
  return out;
}

export { ratio };
