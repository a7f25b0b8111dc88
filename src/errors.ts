/**
 * The one error class tcpwire throws. Every failure carries a machine-readable
 * `code`, the byte `offset` where the problem sits (or -1 when it is not about a
 * position in the input), and a sentence a person understands.
 */

/** Every error code tcpwire uses. */
export type TcpWireErrorCode =
  /** Fewer bytes than the structure needs. */
  | 'TRUNCATED'
  /** Data offset below 5 words, or pointing beyond the buffer. */
  | 'BAD_DATA_OFFSET'
  /** An option's length byte is below 2 (or otherwise impossible). */
  | 'BAD_OPTION_LENGTH'
  /** An option runs past the end of the options area, or its length byte is missing. */
  | 'OPTION_OVERRUN'
  /** An address that is not a valid IPv4 or IPv6 address, or of the wrong family. */
  | 'BAD_ADDRESS'
  /** A field value outside its range, or not an integer. */
  | 'OUT_OF_RANGE'
  /** Text that is not hexadecimal bytes. */
  | 'BAD_HEX'
  /** An input that is structurally wrong in some other way (bad JSON shape, unknown option type). */
  | 'BAD_INPUT'
  /** A capture file whose magic number is not pcap or pcapng. */
  | 'BAD_MAGIC'
  /** A capture record or block that is malformed. */
  | 'BAD_RECORD'
  /** A link type or network protocol tcpwire does not decode. */
  | 'UNSUPPORTED';

/** A problem with input bytes or values, with its code and byte offset. */
export class TcpWireError extends Error {
  /** Machine-readable reason. */
  readonly code: TcpWireErrorCode;
  /** Byte offset in the input where the problem was found; -1 if not positional. */
  readonly offset: number;

  constructor(code: TcpWireErrorCode, message: string, offset = -1) {
    super(message);
    this.name = 'TcpWireError';
    this.code = code;
    this.offset = offset;
  }
}

/** A non-fatal finding while decoding (the bytes were kept; the reader may want to know). */
export interface TcpWireWarning {
  code: TcpWireErrorCode;
  offset: number;
  message: string;
}
