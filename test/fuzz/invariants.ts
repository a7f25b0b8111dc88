/**
 * What every fuzz target checks, shared by the fast-check properties (test/fuzz/*.test.ts)
 * and the Jazzer.js targets (fuzz/targets/*.ts):
 *
 * - a call on hostile input either returns or throws a TcpWireError (with a known code, an
 *   integer offset >= -1 and a message); anything else thrown is a bug and is rethrown;
 * - every number it returns is a safe integer, inside its field's range when the field is named
 *   in {@link RANGES}, and >= -1 otherwise (-1 is the library's "absent");
 * - it returns in bounded time: each call is timed with performance.now(), and the slowest is kept
 *   so a test can assert it stays below a generous bound (1 s) without flaky timing.
 */

import { TcpWireError } from '../../src/index.js';

const U8: [number, number] = [0, 0xff];
const U16: [number, number] = [0, 0xffff];
const U32: [number, number] = [0, 0xffff_ffff];
const OFFSET: [number, number] = [-1, Number.MAX_SAFE_INTEGER];

/** The range of every numeric field the library returns, by property name. */
export const RANGES: Readonly<Record<string, readonly [number, number]>> = {
  // TCP header and options
  srcPort: U16,
  dstPort: U16,
  seq: U32,
  ack: U32,
  dataOffset: [5, 15],
  reserved: [0, 7],
  window: U16,
  checksum: U16,
  urgentPointer: U16,
  value: U16,
  shift: U8,
  tsval: U32,
  tsecr: U32,
  timeout: [0, 0x7fff],
  keyId: U8,
  rNextKeyId: U8,
  subtype: [0, 15],
  kind: [2, 255],
  exid: U16,
  // IP headers
  version: [4, 6],
  headerLength: [20, 60],
  dscp: [0, 63],
  ecn: [0, 3],
  totalLength: U16,
  id: U32,
  fragmentOffset: [0, 0xffff],
  ttl: U8,
  protocol: U8,
  trafficClass: U8,
  flowLabel: [0, 0xfffff],
  payloadLength: U16,
  hopLimit: U8,
  type: U8,
  upperOffset: OFFSET,
  upperLength: [0, 0xffff],
  // captures
  frame: [1, Number.MAX_SAFE_INTEGER],
  // pcapng timestamps are 64-bit tick counts plus a signed 64-bit if_tsoffset: at coarse resolutions
  // (if_tsresol 10^0) or with a hostile offset the whole seconds can pass ±2^53, where a Number is no
  // longer exact, or fall before 1970 (see docs/RELIABILITY.md, "left alone").
  seconds: [-(2 ** 64), 2 ** 65],
  nanos: [0, 999_999_999],
  interfaceId: U32,
  capturedLength: U32,
  originalLength: U32,
  tcpLength: [0, 0xffff],
  record: [0, Number.MAX_SAFE_INTEGER],
  packet: [0, Number.MAX_SAFE_INTEGER],
  ip: OFFSET,
  tcp: OFFSET,
  payload: OFFSET,
  linkType: [-1, 0xffff_ffff],
  offset: OFFSET,
  index: [0, 3],
};

/** Error codes the library may throw. */
export const ERROR_CODES: ReadonlySet<string> = new Set([
  'TRUNCATED',
  'BAD_DATA_OFFSET',
  'BAD_OPTION_LENGTH',
  'OPTION_OVERRUN',
  'BAD_ADDRESS',
  'OUT_OF_RANGE',
  'BAD_HEX',
  'BAD_INPUT',
  'BAD_MAGIC',
  'BAD_RECORD',
  'UNSUPPORTED',
]);

/** A finding that is a bug in tcpwire: thrown so fast-check shrinks it and Jazzer saves the input. */
export class InvariantError extends Error {
  override name = 'InvariantError';
}

/** Checks a thrown value: a TcpWireError with a known code, an integer offset >= -1 and a message. Rethrows anything else. */
export function expectTcpWireError(e: unknown, where: string): TcpWireError {
  if (!(e instanceof TcpWireError)) {
    if (e instanceof InvariantError) throw e;
    const err = new InvariantError(`${where}: threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}, not a TcpWireError`);
    if (e instanceof Error && e.stack !== undefined) err.stack = `${err.message}\n${e.stack}`;
    throw err;
  }
  if (!ERROR_CODES.has(e.code)) throw new InvariantError(`${where}: unknown error code ${e.code}`);
  if (!Number.isSafeInteger(e.offset) || e.offset < -1) throw new InvariantError(`${where}: error offset ${e.offset}`);
  if (e.message.length < 10) throw new InvariantError(`${where}: error message "${e.message}"`);
  return e;
}

/**
 * Walks `value` and throws an InvariantError for any number that is not a safe integer, or is
 * outside its field's range ({@link RANGES}; >= -1 for fields not named there). Bytes are not walked.
 */
export function checkNumbers(value: unknown, path = '$', seen = new Set<object>()): void {
  if (typeof value === 'number') {
    const key = path.slice(path.lastIndexOf('.') + 1);
    const range = RANGES[key] ?? OFFSET;
    const integer = key === 'seconds' ? Number.isInteger(value) : Number.isSafeInteger(value);
    if (!integer || value < range[0] || value > range[1]) {
      throw new InvariantError(`${path} = ${value}: expected an integer from ${range[0]} to ${range[1]}`);
    }
    return;
  }
  // (the one bigint, timestampNs, may be negative: see `seconds` above)
  if (typeof value === 'bigint') return;
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array || value instanceof DataView) return;
  if (seen.has(value)) return;
  seen.add(value);
  if (value instanceof TcpWireError) {
    checkNumbers(value.offset, `${path}.offset`, seen);
    return;
  }
  if (Array.isArray(value)) {
    // SACK blocks are [left, right] pairs of 32-bit edges.
    const inBlocks = path.endsWith('.blocks');
    value.forEach((v, i) => checkNumbers(v, inBlocks ? `${path}[${i}].seq` : `${path}[${i}]`, seen));
    return;
  }
  for (const [k, v] of Object.entries(value)) checkNumbers(v, `${path}.${k}`, seen);
}

/** Per-target counters: inputs generated and the slowest call. */
export class FuzzStats {
  inputs = 0;
  returned = 0;
  threw = 0;
  slowestMs = 0;
  readonly codes = new Map<string, number>();

  /**
   * Runs `fn` on one input: times it, counts it, checks what it throws and (with `check`) the numbers it returns.
   * Returns the result, or undefined when it threw a TcpWireError.
   */
  run<T>(where: string, fn: () => T, check: (result: T) => void = checkNumbers): T | undefined {
    this.inputs++;
    const t0 = performance.now();
    let result: T;
    try {
      result = fn();
    } catch (e) {
      this.time(t0);
      const err = expectTcpWireError(e, where);
      this.threw++;
      this.codes.set(err.code, (this.codes.get(err.code) ?? 0) + 1);
      return undefined;
    }
    this.time(t0);
    this.returned++;
    check(result);
    return result;
  }

  private time(t0: number): void {
    const ms = performance.now() - t0;
    if (ms > this.slowestMs) this.slowestMs = ms;
  }
}
