/**
 * The public layout objects (built from src/layout.ts's const enums) against the numbers of
 * the standards, typed in here from the documents, not from the code: RFC 9293 §3.1 (Figure 1,
 * the header), RFC 3168 §6.1 and RFC 9768 (the ECN bits and AE), the IANA "TCP Option Kind
 * Numbers" registry, and each option's RFC for its length.
 */
import { describe, expect, it } from 'vitest';
import {
  DATA_OFFSET_SHIFT,
  FIELD,
  FLAG,
  FLAGS_MASK,
  HEADER_LEN,
  OPTION_KIND,
  OPTION_LEN,
  RESERVED_MASK,
  RESERVED_SHIFT,
} from '../src/index.js';

describe('layout numbers as the standards give them', () => {
  it('header field offsets (RFC 9293 Figure 1: 32-bit rows, ports, seq, ack, offset/flags, window, checksum, urgent)', () => {
    expect({ ...FIELD }).toEqual({ SRC_PORT: 0, DST_PORT: 2, SEQ: 4, ACK: 8, OFFSET_FLAGS: 12, FLAGS: 13, WINDOW: 14, CHECKSUM: 16, URGENT: 18, OPTIONS: 20 });
    expect(HEADER_LEN).toBe(20);
  });
  it('flag bits in the low 9 bits of the 16-bit word at offset 12, reserved bits above them, the data offset on top', () => {
    expect({ ...FLAG }).toEqual({ FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32, ECE: 64, CWR: 128, AE: 256 });
    expect(FLAGS_MASK).toBe(0b0000_0001_1111_1111);
    expect(RESERVED_MASK).toBe(0b0000_1110_0000_0000);
    expect(RESERVED_SHIFT).toBe(9);
    expect(DATA_OFFSET_SHIFT).toBe(12);
    // The four parts of the word tile it without overlap.
    expect(FLAGS_MASK | RESERVED_MASK | (0xf << DATA_OFFSET_SHIFT)).toBe(0xffff);
    expect(FLAGS_MASK & RESERVED_MASK).toBe(0);
  });
  it('option kinds (IANA registry) and fixed lengths (RFC 9293, 7323, 2018, 2385, 5482)', () => {
    expect({ ...OPTION_KIND }).toEqual({
      EOL: 0, NOP: 1, MSS: 2, WINDOW_SCALE: 3, SACK_PERMITTED: 4, SACK: 5, TIMESTAMPS: 8, MD5: 19,
      USER_TIMEOUT: 28, TCP_AO: 29, MPTCP: 30, FAST_OPEN: 34, EXPERIMENTAL_1: 253, EXPERIMENTAL_2: 254,
    });
    expect({ ...OPTION_LEN }).toEqual({ MSS: 4, WINDOW_SCALE: 3, SACK_PERMITTED: 2, TIMESTAMPS: 10, MD5: 18, USER_TIMEOUT: 4 });
  });
  it('the public objects cannot be changed by a user', () => {
    for (const o of [FIELD, FLAG, OPTION_KIND, OPTION_LEN]) expect(Object.isFrozen(o)).toBe(true);
  });
});
