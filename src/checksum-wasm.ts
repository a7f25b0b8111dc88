/**
 * The wide lane of the Internet checksum: a WebAssembly SIMD kernel that adds
 * 16-bit little-endian lanes eight at a time (`i32x4.extadd_pairwise_i16x8_u`).
 *
 * Why: a JavaScript loop over 32-bit words tops out near a tenth of the speed of
 * copying the same bytes; this kernel runs near the copy speed, so copying the
 * bytes into its memory and summing them there is still 3–6× faster from 40 bytes up.
 * The module is assembled here from named opcodes (no build step, no Node API) and
 * compiled on first use; where WebAssembly or its SIMD is missing (or a content
 * security policy forbids compiling), {@link wasmLaneSum} answers -1 and the caller
 * uses its JavaScript loop. Exactness is pinned by test/perf/checksum-fast.test.ts.
 *
 * The module, in text form:
 *
 *     (module
 *       (memory (export "mem") 2)
 *       (func (export "sum") (param $s i32) (param $e i32) (result i32)
 *         (local $a v128) (local $b v128)
 *         ;; zero 64 bytes after the data, so the last 64-byte step adds zeros
 *         (v128.store offset=0  (local.get $e) (v128.const i64x2 0 0))  ... offsets 16, 32, 48
 *         (block (loop
 *           (br_if 1 (i32.ge_u (local.get $s) (local.get $e)))
 *           (local.set $a (i32x4.add (local.get $a) (i32x4.extadd_pairwise_i16x8_u (v128.load offset=0  (local.get $s)))))
 *           (local.set $b (i32x4.add (local.get $b) (i32x4.extadd_pairwise_i16x8_u (v128.load offset=16 (local.get $s)))))
 *           (local.set $a ... offset=32) (local.set $b ... offset=48)
 *           (local.set $s (i32.add (local.get $s) (i32.const 64)))
 *           (br 0)))
 *         (local.set $a (i32x4.add (local.get $a) (local.get $b)))
 *         (local.set $s (i32.add (i32.add (i32x4.extract_lane 0 $a) (i32x4.extract_lane 1 $a))
 *                                (i32.add (i32x4.extract_lane 2 $a) (i32x4.extract_lane 3 $a))))
 *         (i32.add (i32.and (local.get $s) (i32.const 0xffff)) (i32.shr_u (local.get $s) (i32.const 16)))))
 *
 * Bounds: the data is at most {@link WASM_SUM_CAPACITY} bytes, so each i32 lane of $a or $b
 * adds at most 2 × 1025 pairs of 0xffff + 0xffff (< 2^29), the four lanes of their sum
 * stay below 2^32, and the result (below 2^17) is a non-negative i32.
 */

/** Most bytes one call of the kernel sums (one 64 KiB page; the memory has a second for the padding). */
export const WASM_SUM_CAPACITY = 0x10000;

// Opcodes (WebAssembly core spec §5.4 and the SIMD proposal's binary encoding).
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const I32_CONST = 0x41;
const I32_GE_U = 0x4f;
const I32_ADD = 0x6a;
const I32_AND = 0x71;
const I32_SHR_U = 0x76;
const BLOCK = 0x02;
const LOOP = 0x03;
const BR = 0x0c;
const BR_IF = 0x0d;
const END = 0x0b;
const VOID = 0x40;
const I32 = 0x7f;
const V128 = 0x7b;
const SIMD = 0xfd;
const V128_LOAD = [SIMD, 0x00];
const V128_STORE = [SIMD, 0x0b];
const V128_CONST = [SIMD, 0x0c];
const I32X4_EXTRACT_LANE = [SIMD, 0x1b];
const I32X4_EXTADD_PAIRWISE_I16X8_U = [SIMD, 0x7f];
const I32X4_ADD = [SIMD, 0xae, 0x01];

const S = 0; // param $s: first byte
const E = 1; // param $e: end of the data
const A = 2; // local $a: lanes of loads 0 and 32
const B = 3; // local $b: lanes of loads 16 and 48

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function name(s: string): number[] {
  return [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
}

/** One 16-byte load at `$s + offset`, widened pairwise and added to lane accumulator `acc`. */
function addLoad(acc: number, offset: number): number[] {
  // memarg: alignment 2^0 (any address), then the offset.
  return [LOCAL_GET, acc, LOCAL_GET, S, ...V128_LOAD, 0, ...uleb(offset), ...I32X4_EXTADD_PAIRWISE_I16X8_U, ...I32X4_ADD, LOCAL_SET, acc];
}

function zeroAt(offset: number): number[] {
  return [LOCAL_GET, E, ...V128_CONST, ...new Array<number>(16).fill(0), ...V128_STORE, 0, ...uleb(offset)];
}

function lane(i: number): number[] {
  return [LOCAL_GET, A, ...I32X4_EXTRACT_LANE, i];
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const body = [
    ...zeroAt(0),
    ...zeroAt(16),
    ...zeroAt(32),
    ...zeroAt(48),
    BLOCK, VOID, LOOP, VOID,
    LOCAL_GET, S, LOCAL_GET, E, I32_GE_U, BR_IF, 1,
    ...addLoad(A, 0),
    ...addLoad(B, 16),
    ...addLoad(A, 32),
    ...addLoad(B, 48),
    LOCAL_GET, S, I32_CONST, ...[0xc0, 0x00] /* 64, signed LEB128 */, I32_ADD, LOCAL_SET, S,
    BR, 0,
    END, END,
    LOCAL_GET, A, LOCAL_GET, B, ...I32X4_ADD, LOCAL_SET, A,
    ...lane(0), ...lane(1), I32_ADD, ...lane(2), I32_ADD, ...lane(3), I32_ADD, LOCAL_SET, S,
    LOCAL_GET, S, I32_CONST, ...[0xff, 0xff, 0x03] /* 0xffff, signed LEB128 */, I32_AND,
    LOCAL_GET, S, I32_CONST, 16, I32_SHR_U, I32_ADD,
    END,
  ];
  const func = [1, 2, V128, ...body]; // one local declaration: 2 × v128
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
    ...section(1, [1, 0x60, 2, I32, I32, 1, I32]), // type 0: (i32, i32) -> i32
    ...section(3, [1, 0]), // function 0 has type 0
    ...section(5, [1, 0x01, 2, 2]), // one memory, 2 pages min and max
    ...section(7, [2, ...name('sum'), 0x00, 0, ...name('mem'), 0x02, 0]), // exports
    ...section(10, [1, ...uleb(func.length), ...func]), // code
  ]);
}

let sumFn: ((start: number, end: number) => number) | undefined;
let memory: Uint8Array | undefined;
/** 0: not tried yet, 1: ready, -1: unavailable. */
let state = 0;

function init(): boolean {
  state = -1;
  try {
    if (typeof WebAssembly !== 'object') return false;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes()));
    const exports = instance.exports as { sum: (s: number, e: number) => number; mem: WebAssembly.Memory };
    sumFn = exports.sum;
    // The memory never grows, so this view stays valid.
    memory = new Uint8Array(exports.mem.buffer);
    state = 1;
    return true;
  } catch {
    // No WebAssembly, no SIMD, or compiling is not allowed here: the JavaScript loop does the work.
    return false;
  }
}

/**
 * The sum of `bytes[start..end)` as 16-bit little-endian lanes (lane pairs start at
 * `start`; an odd last byte is the low byte of a lane padded with zero), folded to
 * at most 17 bits; or -1 if WebAssembly SIMD is not available here.
 * `0 <= start <= end <= bytes.length` is the caller's to check.
 */
export function wasmLaneSum(bytes: Uint8Array, start: number, end: number): number {
  if (state !== 1 && (state === -1 || !init())) return -1;
  const sum = sumFn as (s: number, e: number) => number;
  const mem = memory as Uint8Array;
  const n = end - start;
  if (n <= WASM_SUM_CAPACITY && bytes.length <= WASM_SUM_CAPACITY && bytes.length - n <= 256) {
    // Copying the whole array costs less than making a subarray (a new object)
    // when it is barely larger than the range: the common case of one segment.
    mem.set(bytes);
    return sum(start, end);
  }
  let total = 0;
  for (let i = start; i < end; i += WASM_SUM_CAPACITY) {
    // Chunks of an even length keep every lane on the same byte pairs.
    const stop = end - i > WASM_SUM_CAPACITY ? i + WASM_SUM_CAPACITY : end;
    mem.set(bytes.subarray(i, stop));
    total += sum(0, stop - i);
  }
  return total;
}
