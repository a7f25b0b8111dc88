// A second, independent TCP header decoder written declaratively with
// binary-parser: the layout of RFC 9293 §3.1 as a table, nothing shared with
// tcpwire's hand-written DataView path. Tests compare the two; the benchmark
// measures it as a peer.
//
// binary-parser loops forever on an option whose length byte is 0 and reads
// options past the header silently (PERFORMANCE-NOTES.md): the length function
// below refuses both, so it is safe on arbitrary input.
import { Parser } from 'binary-parser';

const optionBody = new Parser().uint8('len').buffer('data', {
  length: function (this: { len: number }) {
    if (this.len < 2) throw new Error(`option length ${this.len} < 2`);
    return this.len - 2;
  },
});

const option = new Parser().uint8('kind').choice('body', {
  tag: 'kind',
  choices: { 0: new Parser(), 1: new Parser() },
  defaultChoice: optionBody,
});

export const tcpHeaderParser = new Parser()
  .endianness('big')
  .uint16('srcPort')
  .uint16('dstPort')
  .uint32('seq')
  .uint32('ack')
  .bit4('dataOffset')
  .bit3('reserved')
  .bit9('flags')
  .uint16('window')
  .uint16('checksum')
  .uint16('urgentPointer')
  .array('options', {
    type: option,
    lengthInBytes: function (this: { dataOffset: number }) {
      if (this.dataOffset < 5) throw new Error(`data offset ${this.dataOffset} < 5`);
      return this.dataOffset * 4 - 20;
    },
  });

export interface BpOption {
  kind: number;
  body: { len?: number; data?: Uint8Array };
}

export interface BpTcpHeader {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  dataOffset: number;
  reserved: number;
  flags: number;
  window: number;
  checksum: number;
  urgentPointer: number;
  options: BpOption[];
}

/** Parses a TCP header with binary-parser. Throws on malformed option lists. */
export function parseWithBinaryParser(bytes: Uint8Array): BpTcpHeader {
  return tcpHeaderParser.parse(bytes) as BpTcpHeader;
}
