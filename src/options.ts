/**
 * TCP options: the typed form, their decoder and their encoder.
 *
 * The options area is exactly bytes [20, dataOffset × 4) of the header (RFC 9293 §3.1).
 * EOL (kind 0) ends the list; what follows it up to the data offset is padding,
 * kept byte for byte. NOP (kind 1) is one byte. Every other kind has a length
 * byte counting kind and length; a length below 2, a missing length byte, or a
 * length running past the area makes the list unreadable and is an error. A
 * known kind with the wrong length for its kind is kept as `unknown` with its
 * exact bytes, and reported as a warning.
 */

import { TcpWireError, type TcpWireWarning } from './errors.js';
import {
  FAST_OPEN_COOKIE_MAX,
  FAST_OPEN_COOKIE_MIN,
  MAX_OPTIONS_LEN,
  MAX_SACK_BLOCKS,
  MAX_WINDOW_SHIFT,
  OPTION_KIND,
  OPTION_LEN,
  SACK_BLOCK_LEN,
} from './layout.js';
import { checkInt, checkU16, checkU32, checkU8 } from './range.js';

/** A SACK block: left edge (first sequence number) and right edge (one past the last). */
export type SackBlock = [left: number, right: number];

/** One TCP option, told apart by `type`. */
export type TcpOption =
  | { type: 'eol' }
  | { type: 'nop' }
  | { type: 'mss'; value: number }
  /** `shift` is the raw byte; the effective shift is at most 14 ({@link effectiveWindowShift}). */
  | { type: 'windowScale'; shift: number }
  | { type: 'sackPermitted' }
  | { type: 'sack'; blocks: SackBlock[] }
  | { type: 'timestamps'; tsval: number; tsecr: number }
  /** An empty cookie is a cookie request (RFC 7413 §4.1.1). */
  | { type: 'fastOpen'; cookie: Uint8Array }
  /** TCP MD5 signature (RFC 2385): 16 bytes of digest. */
  | { type: 'md5'; digest: Uint8Array }
  /** User timeout (RFC 5482): granularity bit and 15-bit timeout. */
  | { type: 'userTimeout'; granularity: 'seconds' | 'minutes'; timeout: number }
  /** TCP-AO (RFC 5925): KeyID, RNextKeyID and the MAC. */
  | { type: 'tcpAo'; keyId: number; rNextKeyId: number; mac: Uint8Array }
  /** Multipath TCP (RFC 8684): `data` is every byte after the length byte; `subtype` is its high nibble. */
  | { type: 'mptcp'; subtype: number; data: Uint8Array }
  /** Experimental kinds 253/254 with a 16-bit ExID (RFC 6994); `data` follows the ExID. */
  | { type: 'experimental'; kind: number; exid: number; data: Uint8Array }
  /** Any other kind, or a known kind with the wrong length, kept byte for byte. */
  | { type: 'unknown'; kind: number; data: Uint8Array };

/** The `type` names of {@link TcpOption}. */
export type TcpOptionType = TcpOption['type'];

/** The effective window-scale shift: values above 14 count as 14 (RFC 7323 §2.3). */
export function effectiveWindowShift(shift: number): number {
  return shift > MAX_WINDOW_SHIFT ? MAX_WINDOW_SHIFT : shift;
}

function u16(b: Uint8Array, i: number): number {
  return ((b[i] as number) << 8) | (b[i + 1] as number);
}

function u32(b: Uint8Array, i: number): number {
  return (((b[i] as number) << 24) | ((b[i + 1] as number) << 16) | ((b[i + 2] as number) << 8) | (b[i + 3] as number)) >>> 0;
}

const KIND_NAMES: Record<number, string> = {
  [OPTION_KIND.MSS]: 'MSS',
  [OPTION_KIND.WINDOW_SCALE]: 'window scale',
  [OPTION_KIND.SACK_PERMITTED]: 'SACK permitted',
  [OPTION_KIND.SACK]: 'SACK',
  [OPTION_KIND.TIMESTAMPS]: 'timestamps',
  [OPTION_KIND.MD5]: 'MD5 signature',
  [OPTION_KIND.USER_TIMEOUT]: 'user timeout',
  [OPTION_KIND.TCP_AO]: 'TCP-AO',
  [OPTION_KIND.MPTCP]: 'MPTCP',
  [OPTION_KIND.FAST_OPEN]: 'Fast Open',
  [OPTION_KIND.EXPERIMENTAL_1]: 'experimental',
  [OPTION_KIND.EXPERIMENTAL_2]: 'experimental',
};

/** A person's name for an option kind ("MSS", "SACK", "kind 99"). */
export function optionKindName(kind: number): string {
  return KIND_NAMES[kind] ?? `kind ${kind}`;
}

/**
 * Reads the one option whose kind byte is at `pos`, in an options area ending at `end`.
 * Its length in bytes is 1 for EOL and NOP, else the length byte at `pos + 1`
 * (which this call has checked).
 * @throws {TcpWireError} `OPTION_OVERRUN` or `BAD_OPTION_LENGTH` where the list cannot be walked on.
 */
export function readOption(bytes: Uint8Array, pos: number, end: number, warnings?: TcpWireWarning[]): TcpOption {
  const kind = bytes[pos] as number;
  if (kind === OPTION_KIND.EOL) {
    return { type: 'eol' };
  }
  if (kind === OPTION_KIND.NOP) {
    return { type: 'nop' };
  }
  if (pos + 1 >= end) {
    throw new TcpWireError(
      'OPTION_OVERRUN',
      `option kind ${kind} (${optionKindName(kind)}) at byte ${pos} has no length byte: the options area ends at byte ${end}`,
      pos,
    );
  }
  const len = bytes[pos + 1] as number;
  if (len < 2) {
    throw new TcpWireError(
      'BAD_OPTION_LENGTH',
      `option kind ${kind} (${optionKindName(kind)}) at byte ${pos} has length ${len}, expected at least 2 (kind and length bytes)`,
      pos,
    );
  }
  if (pos + len > end) {
    throw new TcpWireError(
      'OPTION_OVERRUN',
      `option kind ${kind} (${optionKindName(kind)}) at byte ${pos} has length ${len}, running to byte ${pos + len} past the end of the options area at byte ${end}`,
      pos,
    );
  }
  const d = pos + 2;
  let expected = '';
  switch (kind) {
    case OPTION_KIND.MSS:
      if (len === OPTION_LEN.MSS) return { type: 'mss', value: u16(bytes, d) };
      expected = String(OPTION_LEN.MSS);
      break;
    case OPTION_KIND.WINDOW_SCALE:
      if (len === OPTION_LEN.WINDOW_SCALE) {
        const shift = bytes[d] as number;
        if (shift > MAX_WINDOW_SHIFT && warnings !== undefined) {
          warnings.push({
            code: 'OUT_OF_RANGE',
            offset: pos,
            message: `window scale shift ${shift} at byte ${pos} is above ${MAX_WINDOW_SHIFT}: it counts as ${MAX_WINDOW_SHIFT} (RFC 7323 §2.3)`,
          });
        }
        return { type: 'windowScale', shift };
      }
      expected = String(OPTION_LEN.WINDOW_SCALE);
      break;
    case OPTION_KIND.SACK_PERMITTED:
      if (len === OPTION_LEN.SACK_PERMITTED) return { type: 'sackPermitted' };
      expected = String(OPTION_LEN.SACK_PERMITTED);
      break;
    case OPTION_KIND.SACK: {
      const n = (len - 2) / SACK_BLOCK_LEN;
      if (Number.isInteger(n) && n >= 1 && n <= MAX_SACK_BLOCKS) {
        const blocks: SackBlock[] = [];
        for (let i = 0; i < n; i++) blocks.push([u32(bytes, d + 8 * i), u32(bytes, d + 8 * i + 4)]);
        return { type: 'sack', blocks };
      }
      expected = '10, 18, 26 or 34';
      break;
    }
    case OPTION_KIND.TIMESTAMPS:
      if (len === OPTION_LEN.TIMESTAMPS) return { type: 'timestamps', tsval: u32(bytes, d), tsecr: u32(bytes, d + 4) };
      expected = String(OPTION_LEN.TIMESTAMPS);
      break;
    case OPTION_KIND.FAST_OPEN: {
      const n = len - 2;
      if (n === 0 || (n >= FAST_OPEN_COOKIE_MIN && n <= FAST_OPEN_COOKIE_MAX)) {
        return { type: 'fastOpen', cookie: bytes.subarray(d, pos + len) };
      }
      expected = '2 (a cookie request) or 6 to 18';
      break;
    }
    case OPTION_KIND.MD5:
      if (len === OPTION_LEN.MD5) return { type: 'md5', digest: bytes.subarray(d, pos + len) };
      expected = String(OPTION_LEN.MD5);
      break;
    case OPTION_KIND.USER_TIMEOUT:
      if (len === OPTION_LEN.USER_TIMEOUT) {
        const v = u16(bytes, d);
        return { type: 'userTimeout', granularity: v & 0x8000 ? 'minutes' : 'seconds', timeout: v & 0x7fff };
      }
      expected = String(OPTION_LEN.USER_TIMEOUT);
      break;
    case OPTION_KIND.TCP_AO:
      if (len >= 4) {
        return { type: 'tcpAo', keyId: bytes[d] as number, rNextKeyId: bytes[d + 1] as number, mac: bytes.subarray(d + 2, pos + len) };
      }
      expected = 'at least 4';
      break;
    case OPTION_KIND.MPTCP:
      if (len >= 3) return { type: 'mptcp', subtype: (bytes[d] as number) >>> 4, data: bytes.subarray(d, pos + len) };
      expected = 'at least 3';
      break;
    case OPTION_KIND.EXPERIMENTAL_1:
    case OPTION_KIND.EXPERIMENTAL_2:
      if (len >= 4) return { type: 'experimental', kind, exid: u16(bytes, d), data: bytes.subarray(d + 2, pos + len) };
      expected = 'at least 4 (kind, length and a 16-bit ExID)';
      break;
    default:
      return { type: 'unknown', kind, data: bytes.subarray(d, pos + len) };
  }
  if (warnings !== undefined) {
    warnings.push({
      code: 'BAD_OPTION_LENGTH',
      offset: pos,
      message: `option kind ${kind} (${optionKindName(kind)}) at byte ${pos} has length ${len}, expected ${expected}: kept as raw bytes`,
    });
  }
  return { type: 'unknown', kind, data: bytes.subarray(d, pos + len) };
}

/** The decoded options area: the options in order, and the bytes after an EOL. */
export interface DecodedOptions {
  options: TcpOption[];
  /** Bytes after the EOL option up to the data offset (normally zeros); empty if there is no EOL. */
  padding: Uint8Array;
}

/**
 * Decodes the options area `bytes[start..end)`. Offsets in errors and warnings
 * are indices into `bytes`. Payload and options never mix: the area is exactly the range given.
 */
export function decodeOptions(bytes: Uint8Array, start: number, end: number, warnings?: TcpWireWarning[]): DecodedOptions {
  const options: TcpOption[] = [];
  const pos = readOptionsInto(bytes, start, end, options, warnings);
  return { options, padding: bytes.subarray(pos, end) };
}

/**
 * Reads the options of `bytes[start..end)` into `options` and returns where the
 * padding starts (after an EOL; `end` if there is none). The loop of
 * {@link decodeOptions}, for decoders that build their own result.
 * @internal
 */
export function readOptionsInto(bytes: Uint8Array, start: number, end: number, options: TcpOption[], warnings?: TcpWireWarning[]): number {
  let pos = start;
  while (pos < end) {
    const kind = bytes[pos] as number;
    // The two options on nearly every segment are read here without a call; the rest by readOption.
    if (kind === OPTION_KIND.NOP) {
      options.push({ type: 'nop' });
      pos++;
      continue;
    }
    if (kind === OPTION_KIND.TIMESTAMPS && pos + OPTION_LEN.TIMESTAMPS <= end && bytes[pos + 1] === OPTION_LEN.TIMESTAMPS) {
      options.push({ type: 'timestamps', tsval: u32(bytes, pos + 2), tsecr: u32(bytes, pos + 6) });
      pos += OPTION_LEN.TIMESTAMPS;
      continue;
    }
    const option = readOption(bytes, pos, end, warnings);
    options.push(option);
    if (option.type === 'eol') return pos + 1;
    pos += option.type === 'nop' ? 1 : (bytes[pos + 1] as number);
  }
  return pos;
}

function checkBytes(value: unknown, name: string, min: number, max: number): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new TcpWireError('BAD_INPUT', `${name} must be a Uint8Array`);
  }
  if (value.length < min || value.length > max) {
    throw new TcpWireError('OUT_OF_RANGE', `${name} has ${value.length} bytes: expected ${min === max ? min : `${min} to ${max}`}`);
  }
  return value;
}

const MAX_DATA = MAX_OPTIONS_LEN - 2;

/**
 * The typed option that `kind` bytes of `length` bytes in total decode as, or undefined
 * when they decode as raw bytes: whether readOption types an option depends only on its
 * kind and length, so a zero-filled option of that size answers for every data.
 */
function typedAs(kind: number, length: number): TcpOptionType | undefined {
  const probe = new Uint8Array(length);
  probe[0] = kind;
  probe[1] = length;
  const type = readOption(probe, 0, length).type;
  return type === 'unknown' ? undefined : type;
}

/**
 * The encoded length of one option, after checking every value in it. `index`, the
 * option's place in its list, is named in the error for a raw option that would not
 * decode as raw bytes.
 * @throws {TcpWireError} `OUT_OF_RANGE` or `BAD_INPUT` for a value the option cannot carry;
 *   `BAD_INPUT` for an `unknown` option whose kind and length are those of a typed option
 *   (it would decode as that option, not as itself).
 */
export function optionLength(option: TcpOption, index?: number): number {
  switch (option.type) {
    case 'eol':
    case 'nop':
      return 1;
    case 'mss':
      checkU16(option.value, 'MSS value');
      return OPTION_LEN.MSS;
    case 'windowScale':
      checkU8(option.shift, 'window scale shift');
      return OPTION_LEN.WINDOW_SCALE;
    case 'sackPermitted':
      return OPTION_LEN.SACK_PERMITTED;
    case 'sack': {
      if (!Array.isArray(option.blocks) || option.blocks.length < 1 || option.blocks.length > MAX_SACK_BLOCKS) {
        const n = Array.isArray(option.blocks) ? option.blocks.length : 'no';
        throw new TcpWireError('OUT_OF_RANGE', `a SACK option carries 1 to ${MAX_SACK_BLOCKS} blocks, not ${n}`);
      }
      option.blocks.forEach((b, i) => {
        if (!Array.isArray(b) || b.length !== 2) throw new TcpWireError('BAD_INPUT', `SACK block ${i} must be [left, right]`);
        checkU32(b[0], `SACK block ${i} left edge`);
        checkU32(b[1], `SACK block ${i} right edge`);
      });
      return 2 + SACK_BLOCK_LEN * option.blocks.length;
    }
    case 'timestamps':
      checkU32(option.tsval, 'TSval');
      checkU32(option.tsecr, 'TSecr');
      return OPTION_LEN.TIMESTAMPS;
    case 'fastOpen': {
      const c = checkBytes(option.cookie, 'Fast Open cookie', 0, FAST_OPEN_COOKIE_MAX);
      if (c.length > 0 && c.length < FAST_OPEN_COOKIE_MIN) {
        throw new TcpWireError('OUT_OF_RANGE', `Fast Open cookie has ${c.length} bytes: expected 0 (a request) or 4 to 16`);
      }
      return 2 + c.length;
    }
    case 'md5':
      checkBytes(option.digest, 'MD5 digest', 16, 16);
      return OPTION_LEN.MD5;
    case 'userTimeout':
      if (option.granularity !== 'seconds' && option.granularity !== 'minutes') {
        throw new TcpWireError('BAD_INPUT', `user timeout granularity must be "seconds" or "minutes"`);
      }
      checkInt(option.timeout, 0, 0x7fff, 'user timeout');
      return OPTION_LEN.USER_TIMEOUT;
    case 'tcpAo':
      checkU8(option.keyId, 'TCP-AO KeyID');
      checkU8(option.rNextKeyId, 'TCP-AO RNextKeyID');
      return 4 + checkBytes(option.mac, 'TCP-AO MAC', 0, MAX_DATA - 2).length;
    case 'mptcp': {
      const data = checkBytes(option.data, 'MPTCP data', 1, MAX_DATA);
      if (option.subtype !== (data[0] as number) >>> 4) {
        throw new TcpWireError('BAD_INPUT', `MPTCP subtype ${option.subtype} does not match its data, whose first byte says ${(data[0] as number) >>> 4}`);
      }
      return 2 + data.length;
    }
    case 'experimental':
      if (option.kind !== OPTION_KIND.EXPERIMENTAL_1 && option.kind !== OPTION_KIND.EXPERIMENTAL_2) {
        throw new TcpWireError('OUT_OF_RANGE', `experimental option kind is ${option.kind}: expected 253 or 254`);
      }
      checkU16(option.exid, 'ExID');
      return 4 + checkBytes(option.data, 'experimental option data', 0, MAX_DATA - 2).length;
    case 'unknown': {
      checkInt(option.kind, 2, 255, 'option kind');
      const length = 2 + checkBytes(option.data, `option kind ${option.kind} data`, 0, MAX_DATA).length;
      // A decoder keeps a known kind as raw bytes only when its length is wrong for the kind;
      // with the right length the bytes come back typed, so this object would not round-trip.
      const typed = typedAs(option.kind, length);
      if (typed !== undefined) {
        throw new TcpWireError(
          'BAD_INPUT',
          `${index === undefined ? 'the option' : `option ${index}`} is unknown kind ${option.kind} with ${length} bytes, ` +
            `the kind and length of the ${optionKindName(option.kind)} option: it would decode as type "${typed}", not as raw bytes; ` +
            `expected { type: "${typed}" }, or a length that is wrong for kind ${option.kind}`,
        );
      }
      return length;
    }
    default: {
      const t = (option as { type?: unknown }).type;
      throw new TcpWireError('BAD_INPUT', `unknown option type ${JSON.stringify(t)}`);
    }
  }
}

/**
 * The encoded length of a list of options (no padding), checking every value, and that
 * nothing follows an EOL: EOL ends the list (RFC 9293 §3.2), and a decoder reads what
 * follows it as padding, not as options.
 * @throws {TcpWireError} as {@link optionLength}; `BAD_INPUT` for an option after an EOL.
 */
export function optionsLength(options: readonly TcpOption[]): number {
  let n = 0;
  let eol = -1;
  for (let i = 0; i < options.length; i++) {
    const o = options[i] as TcpOption;
    n += optionLength(o, i);
    if (eol >= 0) {
      throw new TcpWireError(
        'BAD_INPUT',
        `option ${i} (${o.type}) comes after the EOL at option ${eol}: expected EOL to be the last option, ` +
          `since EOL ends the list and the bytes after it are read as padding (give those as padding)`,
      );
    }
    if (o.type === 'eol') eol = i;
  }
  return n;
}

/**
 * Whether `options` (checked by {@link optionsLength}) ends with an EOL, the only place
 * padding bytes can follow and be read back as padding.
 * @internal
 */
export function endsWithEol(options: readonly TcpOption[]): boolean {
  return options.length > 0 && (options[options.length - 1] as TcpOption).type === 'eol';
}

function put32(out: Uint8Array, i: number, v: number): void {
  out[i] = v >>> 24;
  out[i + 1] = (v >>> 16) & 0xff;
  out[i + 2] = (v >>> 8) & 0xff;
  out[i + 3] = v & 0xff;
}

function putBytes(out: Uint8Array, at: number, kind: number, data: Uint8Array, prefix: number[] = []): number {
  out[at] = kind;
  out[at + 1] = 2 + prefix.length + data.length;
  out.set(prefix, at + 2);
  out.set(data, at + 2 + prefix.length);
  return at + 2 + prefix.length + data.length;
}

/**
 * Writes one option at `at` (values must already be checked by {@link optionLength}).
 * Returns the offset after it.
 */
export function writeOption(option: TcpOption, out: Uint8Array, at: number): number {
  switch (option.type) {
    case 'eol':
      out[at] = OPTION_KIND.EOL;
      return at + 1;
    case 'nop':
      out[at] = OPTION_KIND.NOP;
      return at + 1;
    case 'mss':
      out[at] = OPTION_KIND.MSS;
      out[at + 1] = OPTION_LEN.MSS;
      out[at + 2] = option.value >>> 8;
      out[at + 3] = option.value & 0xff;
      return at + OPTION_LEN.MSS;
    case 'windowScale':
      out[at] = OPTION_KIND.WINDOW_SCALE;
      out[at + 1] = OPTION_LEN.WINDOW_SCALE;
      out[at + 2] = option.shift;
      return at + OPTION_LEN.WINDOW_SCALE;
    case 'sackPermitted':
      out[at] = OPTION_KIND.SACK_PERMITTED;
      out[at + 1] = OPTION_LEN.SACK_PERMITTED;
      return at + OPTION_LEN.SACK_PERMITTED;
    case 'sack': {
      out[at] = OPTION_KIND.SACK;
      out[at + 1] = 2 + SACK_BLOCK_LEN * option.blocks.length;
      let p = at + 2;
      for (const [left, right] of option.blocks) {
        put32(out, p, left);
        put32(out, p + 4, right);
        p += SACK_BLOCK_LEN;
      }
      return p;
    }
    case 'timestamps':
      out[at] = OPTION_KIND.TIMESTAMPS;
      out[at + 1] = OPTION_LEN.TIMESTAMPS;
      put32(out, at + 2, option.tsval);
      put32(out, at + 6, option.tsecr);
      return at + OPTION_LEN.TIMESTAMPS;
    case 'fastOpen':
      return putBytes(out, at, OPTION_KIND.FAST_OPEN, option.cookie);
    case 'md5':
      return putBytes(out, at, OPTION_KIND.MD5, option.digest);
    case 'userTimeout': {
      const v = (option.granularity === 'minutes' ? 0x8000 : 0) | option.timeout;
      return putBytes(out, at, OPTION_KIND.USER_TIMEOUT, new Uint8Array([v >>> 8, v & 0xff]));
    }
    case 'tcpAo':
      return putBytes(out, at, OPTION_KIND.TCP_AO, option.mac, [option.keyId, option.rNextKeyId]);
    case 'mptcp':
      return putBytes(out, at, OPTION_KIND.MPTCP, option.data);
    case 'experimental':
      return putBytes(out, at, option.kind, option.data, [option.exid >>> 8, option.exid & 0xff]);
    case 'unknown':
      return putBytes(out, at, option.kind, option.data);
  }
}
