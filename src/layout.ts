/**
 * The TCP header layout, written down once (RFC 9293 §3.1, RFC 9768 for AE).
 * Every accessor in tcpwire reads through these names.
 *
 *     0                   1                   2                   3
 *     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |          Source Port          |       Destination Port        |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |                        Sequence Number                        |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |                    Acknowledgment Number                      |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |  Data |     |A|C|E|U|A|P|R|S|F|                               |
 *    | Offset| Rsrv|E|W|C|R|C|S|S|Y|I|            Window             |
 *    |       |     | |R|E|G|K|H|T|N|N|                               |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |           Checksum            |         Urgent Pointer        |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |                    Options                    |    Padding    |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

// Each group of numbers below is written once, as a `const enum`, and offered as a frozen
// object or constant too (FIELD, FLAG, OPTION_KIND, OPTION_LEN, the masks; a constant's type
// names its number, so that the published .d.ts needs no enum to state it). tcpwire's own code reads the enums: the
// bundler writes their members into the code as numbers, where an object's property is a
// load. That keeps the hot paths' getters within the bytecode sizes V8 inlines at every call
// (see TcpView), and is why they are enums at all.

/** Byte offsets of the fixed header fields (the same as {@link FIELD}). */
export const enum Field {
  SRC_PORT = 0,
  DST_PORT = 2,
  SEQ = 4,
  ACK = 8,
  /** Data offset (high nibble), reserved (3 bits), AE (lowest bit). */
  OFFSET_FLAGS = 12,
  /** CWR ECE URG ACK PSH RST SYN FIN. */
  FLAGS = 13,
  WINDOW = 14,
  CHECKSUM = 16,
  URGENT = 18,
  /** Where the options start: the end of the 20-byte fixed header. */
  OPTIONS = 20,
}

/** Byte offsets of the fixed header fields. */
export const FIELD = Object.freeze({
  SRC_PORT: Field.SRC_PORT,
  DST_PORT: Field.DST_PORT,
  SEQ: Field.SEQ,
  ACK: Field.ACK,
  /** Data offset (high nibble), reserved (3 bits), AE (lowest bit). */
  OFFSET_FLAGS: Field.OFFSET_FLAGS,
  /** CWR ECE URG ACK PSH RST SYN FIN. */
  FLAGS: Field.FLAGS,
  WINDOW: Field.WINDOW,
  CHECKSUM: Field.CHECKSUM,
  URGENT: Field.URGENT,
  OPTIONS: Field.OPTIONS,
} as const);

/** Length of the fixed header in bytes. */
export const HEADER_LEN: 20 = Field.OPTIONS;
/** Smallest legal data offset, in 32-bit words. */
export const MIN_DATA_OFFSET = 5;
/** Largest data offset the 4-bit field holds, in 32-bit words. */
export const MAX_DATA_OFFSET = 15;
/** Most option bytes a header can carry: (15 - 5) × 4. */
export const MAX_OPTIONS_LEN = 40;
/** Largest TCP segment an IP datagram can carry (16-bit lengths). */
export const MAX_SEGMENT_LEN = 65535;

/**
 * Flag bits as a 12-bit value read big-endian from bytes 12–13, masked with 0x01ff.
 * The data offset sits above them (0xf000) and the reserved bits at 0x0e00. The same as {@link FLAG}.
 */
export const enum Flag {
  FIN = 0x001,
  SYN = 0x002,
  RST = 0x004,
  PSH = 0x008,
  ACK = 0x010,
  URG = 0x020,
  ECE = 0x040,
  CWR = 0x080,
  /** Accurate ECN (RFC 9768), formerly NS (RFC 3540). */
  AE = 0x100,
}

/** Flag bits as a 12-bit value read big-endian from bytes 12–13, masked with 0x01ff (as {@link Flag}). */
export const FLAG = Object.freeze({
  FIN: Flag.FIN,
  SYN: Flag.SYN,
  RST: Flag.RST,
  PSH: Flag.PSH,
  ACK: Flag.ACK,
  URG: Flag.URG,
  ECE: Flag.ECE,
  CWR: Flag.CWR,
  AE: Flag.AE,
} as const);

/** The fields of the 16-bit word at byte 12 (the same as the four constants after it). */
export const enum Word12 {
  /** Mask of all nine flag bits. */
  FLAGS_MASK = 0x01ff,
  /** Mask of the three reserved bits. */
  RESERVED_MASK = 0x0e00,
  /** Shift of the reserved bits. */
  RESERVED_SHIFT = 9,
  /** Shift of the data offset. */
  DATA_OFFSET_SHIFT = 12,
}

/** Mask of all nine flag bits in the 16-bit word at byte 12. */
export const FLAGS_MASK: 0x01ff = Word12.FLAGS_MASK;
/** Mask of the three reserved bits in the 16-bit word at byte 12. */
export const RESERVED_MASK: 0x0e00 = Word12.RESERVED_MASK;
/** Shift of the reserved bits in the 16-bit word at byte 12. */
export const RESERVED_SHIFT: 9 = Word12.RESERVED_SHIFT;
/** Shift of the data offset in the 16-bit word at byte 12. */
export const DATA_OFFSET_SHIFT: 12 = Word12.DATA_OFFSET_SHIFT;

/** Option kinds (IANA "TCP Option Kind Numbers"; the same as {@link OPTION_KIND}). */
export const enum Kind {
  /** End of option list, RFC 9293 §3.2. */
  EOL = 0,
  /** No operation, RFC 9293 §3.2. */
  NOP = 1,
  /** Maximum segment size, RFC 9293 §3.7.1. */
  MSS = 2,
  /** Window scale, RFC 7323 §2. */
  WINDOW_SCALE = 3,
  /** SACK permitted, RFC 2018 §2. */
  SACK_PERMITTED = 4,
  /** SACK blocks, RFC 2018 §3. */
  SACK = 5,
  /** Timestamps, RFC 7323 §3. */
  TIMESTAMPS = 8,
  /** TCP MD5 signature, RFC 2385. */
  MD5 = 19,
  /** User timeout, RFC 5482. */
  USER_TIMEOUT = 28,
  /** TCP Authentication Option, RFC 5925. */
  TCP_AO = 29,
  /** Multipath TCP, RFC 8684. */
  MPTCP = 30,
  /** TCP Fast Open cookie, RFC 7413. */
  FAST_OPEN = 34,
  /** Experimental, RFC 4727 / RFC 6994 (with an ExID). */
  EXPERIMENTAL_1 = 253,
  /** Experimental, RFC 4727 / RFC 6994 (with an ExID). */
  EXPERIMENTAL_2 = 254,
}

/** Option kinds (IANA "TCP Option Kind Numbers"). */
export const OPTION_KIND = Object.freeze({
  EOL: Kind.EOL,
  NOP: Kind.NOP,
  MSS: Kind.MSS,
  WINDOW_SCALE: Kind.WINDOW_SCALE,
  SACK_PERMITTED: Kind.SACK_PERMITTED,
  SACK: Kind.SACK,
  TIMESTAMPS: Kind.TIMESTAMPS,
  MD5: Kind.MD5,
  USER_TIMEOUT: Kind.USER_TIMEOUT,
  TCP_AO: Kind.TCP_AO,
  MPTCP: Kind.MPTCP,
  FAST_OPEN: Kind.FAST_OPEN,
  EXPERIMENTAL_1: Kind.EXPERIMENTAL_1,
  EXPERIMENTAL_2: Kind.EXPERIMENTAL_2,
} as const);

/** Exact option lengths (kind + length + data) for the fixed-size options (the same as {@link OPTION_LEN}). */
export const enum OptionLen {
  MSS = 4,
  WINDOW_SCALE = 3,
  SACK_PERMITTED = 2,
  TIMESTAMPS = 10,
  MD5 = 18,
  USER_TIMEOUT = 4,
}

/** Exact option lengths (kind + length + data) for the fixed-size options. */
export const OPTION_LEN = Object.freeze({
  MSS: OptionLen.MSS,
  WINDOW_SCALE: OptionLen.WINDOW_SCALE,
  SACK_PERMITTED: OptionLen.SACK_PERMITTED,
  TIMESTAMPS: OptionLen.TIMESTAMPS,
  MD5: OptionLen.MD5,
  USER_TIMEOUT: OptionLen.USER_TIMEOUT,
} as const);

/** SACK: 2 bytes of kind and length, then 8 bytes a block (RFC 2018 §3). */
export const SACK_BLOCK_LEN = 8;
/** At most four SACK blocks fit in 40 option bytes (RFC 2018 §3). */
export const MAX_SACK_BLOCKS = 4;
/** A Fast Open cookie is 4 to 16 bytes; an empty one is a cookie request (RFC 7413 §4.1.1). */
export const FAST_OPEN_COOKIE_MIN = 4;
export const FAST_OPEN_COOKIE_MAX = 16;
/** Largest effective window-scale shift (RFC 7323 §2.3); larger values are clamped to it. */
export const MAX_WINDOW_SHIFT = 14;
/** IP protocol number of TCP, used in the pseudo-header. */
export const IPPROTO_TCP = 6;
