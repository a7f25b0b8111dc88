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

function loop(reps, f) {
  let acc = 0;
  for (let i = 0; i < reps; i++) acc += f();
  return acc;
}

/** RFC 1071's loop: big-endian byte pairs. */
function bytePairSum(b) {
  let sum = 0;
  let i = 0;
  for (; i + 1 < b.length; i += 2) sum += (b[i] << 8) | b[i + 1];
  if (i < b.length) sum += b[i] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** tcpwire's loop before the kernel: 32-bit little-endian words through a DataView, swapped once. */
function dataViewSum(b) {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let sum = 0;
  let i = 0;
  const end4 = b.length & ~3;
  const end8 = b.length & ~7;
  for (; i < end8; i += 8) sum += v.getUint32(i, true) + v.getUint32(i + 4, true);
  for (; i < end4; i += 4) sum += v.getUint32(i, true);
  for (; i < b.length; i++) sum += i & 1 ? b[i] << 8 : b[i];
  while (sum > 0xffff) sum = (sum % 0x10000) + Math.floor(sum / 0x10000);
  return ((sum & 0xff) << 8) | (sum >>> 8);
}

/**
 * The copy into three destinations at different distances from the source: how fast
 * memmove runs depends on where the two sit (one placement measured 25× slower than
 * another here), and the ceiling is the best of them.
 */
function copyCandidates(view, reps) {
  return [0, 1024, 2112].map((at) => {
    const dst = destination.subarray(at, at + view.length);
    return {
      name: `copy@${at}`,
      units: view.length * reps,
      fn() {
        for (let i = 0; i < reps; i++) dst.set(view);
        return dst[0];
      },
    };
  });
}

const destination = new Uint8Array(65536 + 4096);

function best(results) {
  return results.reduce((a, b) => (b.rate > a.rate ? b : a));
}

export function checksumRows(table) {
  const section = 'Internet checksum (onesComplementSum) next to a copy of the same bytes (GB/s)';
  const big = new Uint8Array(65536 + 64);
  for (let i = 0; i < big.length; i++) big[i] = (i * 2654435761) >>> 24;
  const out = {};
  for (const n of CHECKSUM_SIZES) {
    for (const [label, off] of [
      ['aligned', 0],
      ['unaligned', 1],
    ]) {
      const view = big.subarray(off, off + n);
      // Enough calls per timed unit that call overhead is a small part even at 64 B.
      const reps = Math.max(1, Math.floor(262144 / n));
      const [sum, ...copies] = compare([
        {
          name: 'sum',
          units: n * reps,
          fn() {
            let acc = 0;
            for (let i = 0; i < reps; i++) acc += onesComplementSum(view);
            return acc;
          },
        },
        ...copyCandidates(view, reps),
      ]);
      const copy = best(copies);
      const share = sum.rate / copy.rate;
      table.add(section, `${n.toLocaleString('en-US')} B, ${label} (byteOffset ${off})`, gbps(sum.rate), `${(share * 100).toFixed(0)}% of copy (${gbps(copy.rate)})`);
      out[`${n}:${label}`] = { sum: sum.rate, copy: copy.rate, share };
    }
  }
  // For the record: the plain JavaScript loops the kernel replaced, on the same 1,500 unaligned bytes.
  {
    const view = big.subarray(1, 1501);
    const reps = 128;
    const [pairs, words, ...copies] = compare([
      { name: 'pairs', units: 1500 * reps, fn: () => loop(reps, () => bytePairSum(view)) },
      { name: 'words', units: 1500 * reps, fn: () => loop(reps, () => dataViewSum(view)) },
      ...copyCandidates(view, reps),
    ]);
    const copy2 = best(copies);
    table.add(section, 'for the record, plain JS: byte pairs, 1,500 B unaligned', gbps(pairs.rate), `${((pairs.rate / copy2.rate) * 100).toFixed(0)}% of copy`);
    table.add(section, 'for the record, plain JS: DataView 32-bit words, 1,500 B unaligned', gbps(words.rate), `${((words.rate / copy2.rate) * 100).toFixed(0)}% of copy`);
  }
  // A segment inside a capture chunk: the range is a small part of a large buffer,
  // so the kernel gets it through a subarray (one more object per call).
  const chunk = new Uint8Array(8 << 20);
  chunk.set(big.subarray(0, 1500), 4097);
  const dstView = chunk.subarray(4097, 4097 + 1500);
  const reps = 128;
  const [sum, ...copies] = compare([
    {
      name: 'sum',
      units: 1500 * reps,
      fn() {
        let acc = 0;
        for (let i = 0; i < reps; i++) acc += onesComplementSum(chunk, 4097, 4097 + 1500);
        return acc;
      },
    },
    ...copyCandidates(dstView, reps),
  ]);
  const copy = best(copies);
  table.add(section, '1,500 B at an odd offset inside an 8 MiB chunk (start, end given)', gbps(sum.rate), `${((sum.rate / copy.rate) * 100).toFixed(0)}% of copy (${gbps(copy.rate)})`);
  out['1500:chunk'] = { sum: sum.rate, copy: copy.rate, share: sum.rate / copy.rate };
  return out;
}

export { ratio };
