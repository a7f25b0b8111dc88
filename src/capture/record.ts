/**
 * One packet record of a capture file, as the pcap and pcapng readers hand it on:
 * where its bytes are, how long it was, and when. One {@link RawRecord} is reused for
 * every record, so reading allocates nothing per packet.
 */

/** Largest captured length tcpwire accepts without question (Wireshark's standard maximum, 256 KiB). */
export const MAX_STANDARD_CAPLEN = 262_144;
/**
 * Largest record or block tcpwire will ever wait for (16 MiB). A length field above it is
 * damage, not data: the reader says so instead of trying to buffer it.
 */
export const MAX_RECORD_LEN = 16 * 1024 * 1024;

/**
 * A packet record. `offset`, `end` and `dataOffset` index the buffer being read;
 * `problemOffset` is a file offset. Every field is rewritten for each record.
 */
export class RawRecord {
  /** Where the record (pcap record header, or pcapng block) starts. */
  offset = 0;
  /** Where the record ends (the next record starts). */
  end = 0;
  /** Where the captured packet bytes start. */
  dataOffset = 0;
  /** Bytes captured (caplen / incl_len). */
  capturedLength = 0;
  /** Length on the wire (len / orig_len). */
  originalLength = 0;
  /** Whole seconds since 1970-01-01 UTC. */
  seconds = 0;
  /** Nanoseconds within the second, 0..999 999 999. */
  nanos = 0;
  /** Link-layer header type (LINKTYPE_*). */
  linkType = 0;
  /** pcapng interface id; 0 for pcap. */
  interfaceId = 0;
  /** Digits of the timestamp's resolution: 6 for microseconds, 9 for nanoseconds. */
  timeDigits = 6;
  /** A problem with this record's contents (its framing is fine): empty if none. */
  problem = '';
  /** File offset of the problem, when {@link problem} is set. */
  problemOffset = 0;
}

/** Where a timestamp is written: a {@link RawRecord}, or the fast path's segment meta. */
export interface TimeTarget {
  seconds: number;
  nanos: number;
}

/** 2^32, to join two 32-bit halves. */
const TWO_32 = 4294967296;

/**
 * Splits a 64-bit tick count (`high`·2^32 + `low`) into whole seconds and nanoseconds,
 * for `ticksPerSecond` ≤ 2^32, exactly, without BigInt. Long division in 16-bit steps keeps
 * every intermediate below 2^53. Sets `rec.seconds` and returns the remainder in ticks.
 */
export function divideTicks(high: number, low: number, ticksPerSecond: number, rec: TimeTarget): number {
  if (high < 0x200000) {
    // Below 2^53: one exact division.
    const t = high * TWO_32 + low;
    const s = Math.floor(t / ticksPerSecond);
    rec.seconds = s;
    return t - s * ticksPerSecond;
  }
  const qh = Math.floor(high / ticksPerSecond);
  const rh = high - qh * ticksPerSecond;
  let x = rh * 65536 + (low >>> 16);
  let q1 = Math.floor(x / ticksPerSecond);
  let r = x - q1 * ticksPerSecond;
  if (r < 0) {
    q1--;
    r += ticksPerSecond;
  } else if (r >= ticksPerSecond) {
    q1++;
    r -= ticksPerSecond;
  }
  x = r * 65536 + (low & 0xffff);
  let q2 = Math.floor(x / ticksPerSecond);
  r = x - q2 * ticksPerSecond;
  if (r < 0) {
    q2--;
    r += ticksPerSecond;
  } else if (r >= ticksPerSecond) {
    q2++;
    r -= ticksPerSecond;
  }
  rec.seconds = qh * TWO_32 + q1 * 65536 + q2;
  return r;
}

/**
 * A timestamp resolution (pcapng `if_tsresol`, RFC-draft pcapng §4.2): 10^-e or 2^-e seconds.
 * Converts tick counts to seconds and nanoseconds, truncating below a nanosecond as Wireshark does.
 */
export class TimeResolution {
  /** Ticks per second. */
  readonly ticksPerSecond: number;
  /** True for 2^-e, false for 10^-e. */
  readonly binary: boolean;
  /** The exponent e. */
  readonly exponent: number;
  /** Digits worth printing after the decimal point (6 for µs, 9 for ns and finer). */
  readonly digits: number;

  /**
   * @param tsresol the `if_tsresol` byte: high bit clear for 10^-value, set for 2^-(value & 0x7f).
   * Resolutions finer than 10^-19 or 2^-63 cannot be represented in 64-bit tick counts and are refused (returns undefined).
   */
  static fromByte(tsresol: number): TimeResolution | undefined {
    const binary = (tsresol & 0x80) !== 0;
    const e = tsresol & 0x7f;
    if (binary ? e > 63 : e > 19) return undefined;
    return new TimeResolution(binary, e);
  }

  /** Nanoseconds per tick for decimal resolutions up to 10^-9 (exact), else 0. */
  private readonly nanosPerTick: number;

  constructor(binary: boolean, exponent: number) {
    this.binary = binary;
    this.exponent = exponent;
    this.ticksPerSecond = binary ? 2 ** exponent : 10 ** exponent;
    this.nanosPerTick = !binary && exponent <= 9 ? 10 ** (9 - exponent) : 0;
    const decimalDigits = binary ? Math.ceil(exponent * Math.log10(2)) : exponent;
    this.digits = decimalDigits <= 6 ? 6 : 9;
  }

  /** Sets `rec.seconds` and `rec.nanos` from a 64-bit tick count. */
  apply(high: number, low: number, rec: TimeTarget): void {
    const tps = this.ticksPerSecond;
    if (high < 0x200000 && this.nanosPerTick !== 0) {
      // The common case (µs or ms ticks of this century): below 2^53, one exact division.
      const t = high * TWO_32 + low;
      const s = Math.floor(t / tps);
      rec.seconds = s;
      rec.nanos = (t - s * tps) * this.nanosPerTick;
      return;
    }
    if (tps <= TWO_32) {
      const r = divideTicks(high, low, tps, rec);
      if (!this.binary) {
        rec.nanos = this.exponent <= 9 ? r * 10 ** (9 - this.exponent) : Math.floor(r / 10 ** (this.exponent - 9));
      } else if (this.exponent >= 9) {
        // r·10^9 / 2^e = r·5^9 / 2^(e-9): r < 2^32 and 5^9 < 2^21, so the product is exact.
        rec.nanos = Math.floor((r * 1953125) / 2 ** (this.exponent - 9));
      } else {
        rec.nanos = Math.floor((r * 1e9) / tps);
      }
      return;
    }
    // Finer than 2^-32 s: rare enough for BigInt.
    const t = (BigInt(high) << 32n) | BigInt(low);
    const bt = this.binary ? 1n << BigInt(this.exponent) : 10n ** BigInt(this.exponent);
    rec.seconds = Number(t / bt);
    rec.nanos = Number(((t % bt) * 1_000_000_000n) / bt);
  }
}

/** The default pcapng resolution: microseconds. */
export const MICROSECONDS = new TimeResolution(false, 6);
