/**
 * Every error and warning tcpwire gives for a catalogue of bad inputs. Each case says, from how it
 * built its input, which code it expects, at which byte offset (where the test put the bad byte,
 * or where the bytes it gave end), and which pieces the sentence must name: the values the test
 * put in, the field's name, the range's bounds, the unit. The sentences are what a person reads
 * when something is wrong ("a sentence a person understands", CONVENTIONS.md); mutation testing
 * found that no test read most of them, so a changed or emptied message went unnoticed. No
 * expectation here is a copy of what the code produced: a reworded sentence that still names what
 * it must passes, a sentence that drops the value, the field or the bound fails.
 */

import { describe, expect, it } from 'vitest';
import {
  TcpLocation,
  TcpView,
  TcpWireError,
  type TcpWireErrorCode,
  type TcpWireWarning,
  buildIpPacket,
  decodeIpv4,
  decodeIpv6,
  decodeSegment,
  encodeIpv4Header,
  encodeIpv6Header,
  encodeSegment,
  flagsToBits,
  formatAddress,
  fromHex,
  locateTcp,
  locateTcpIn,
  onesComplementSum,
  optionFromJson,
  parseAddress,
  parseSeq,
  pseudoHeaderSum,
  readCapture,
  segmentFromJson,
  tcpChecksum,
  updateChecksum,
} from '../../src/index.js';
import { type Piece, expectPieces } from './pieces.js';

/** One refusal: what the test did, the code and offset it expects, and what the sentence must name. */
type Refusal = [what: string, run: () => unknown, code: TcpWireErrorCode, offset: number, pieces: Piece[]];

function expectRefusals(cases: readonly Refusal[]): void {
  for (const [what, run, code, offset, pieces] of cases) {
    let thrown: unknown;
    try {
      run();
    } catch (e) {
      thrown = e;
    }
    expect(thrown, `${what}: throws a TcpWireError`).toBeInstanceOf(TcpWireError);
    const e = thrown as TcpWireError;
    expect(e.code, what).toBe(code);
    expect(e.offset, what).toBe(offset);
    expectPieces(e.message, pieces, what);
  }
}

/** A 20-byte header with data offset `off` and these option bytes after it. */
function seg(off: number, options: number[] = [], payload: number[] = []): Uint8Array {
  const b = new Uint8Array(Math.max(20 + options.length, off * 4) + payload.length);
  b[12] = off << 4;
  b.set(options, 20);
  b.set(payload, off * 4);
  return b;
}

/** RFC 9293 §3.1: the TCP header is 20 bytes and more; its data offset sits in byte 12. */
const TCP_HEADER = 20;
const DATA_OFFSET_BYTE = 12;
const OPTIONS_AT = 20;

/** The option kinds, with the names a person knows them by (IANA's TCP option kind numbers). */
const KINDS: Array<[kind: number, name: string]> = [
  [2, 'MSS'],
  [3, 'window scale'],
  [4, 'SACK permitted'],
  [5, 'SACK'],
  [8, 'timestamps'],
  [19, 'MD5 signature'],
  [28, 'user timeout'],
  [29, 'TCP-AO'],
  [30, 'MPTCP'],
  [34, 'Fast Open'],
  [253, 'experimental'],
  [254, 'experimental'],
  [99, 'kind 99'],
];

describe('the messages of the TCP codec', () => {
  it('decoding', () => {
    // An options area of 4 bytes (data offset 6): bytes 20 to 24.
    const areaEnd = 24;
    const cases: Refusal[] = [
      ['no bytes', () => decodeSegment(new Uint8Array(0)), 'TRUNCATED', 0, ['TCP header', TCP_HEADER, 0]],
      ['19 bytes', () => decodeSegment(new Uint8Array(19)), 'TRUNCATED', 19, ['TCP header', TCP_HEADER, 19]],
      ['data offset 4', () => decodeSegment(seg(4)), 'BAD_DATA_OFFSET', DATA_OFFSET_BYTE, ['data offset', 4, 5]],
      ['data offset 6 in 20 bytes', () => decodeSegment(seg(6).subarray(0, 20)), 'BAD_DATA_OFFSET', DATA_OFFSET_BYTE, ['data offset', 6, 24, 20]],
      ...KINDS.flatMap(([kind, name]): Refusal[] => [
        [`kind ${kind} in the area's last byte`, () => decodeSegment(seg(6, [1, 1, 1, kind])), 'OPTION_OVERRUN', areaEnd - 1, [`kind ${kind}`, `(${name})`, 'length byte', areaEnd - 1, areaEnd]],
        [`kind ${kind} of length 0`, () => decodeSegment(seg(6, [kind, 0, 1, 1])), 'BAD_OPTION_LENGTH', OPTIONS_AT, [`kind ${kind}`, `(${name})`, 'length 0', OPTIONS_AT, 'at least 2']],
        [`kind ${kind} of length 1`, () => decodeSegment(seg(6, [kind, 1, 1, 1])), 'BAD_OPTION_LENGTH', OPTIONS_AT, [`kind ${kind}`, `(${name})`, 'length 1', OPTIONS_AT, 'at least 2']],
        [`kind ${kind} of length 9 in 4 bytes`, () => decodeSegment(seg(6, [kind, 9, 1, 1])), 'OPTION_OVERRUN', OPTIONS_AT, [`kind ${kind}`, `(${name})`, 'length 9', OPTIONS_AT, OPTIONS_AT + 9, areaEnd]],
      ]),
      ['a view starting past the buffer', () => new TcpView(new Uint8Array(40), 30, 20), 'TRUNCATED', 40, [30, 20, 40]],
      ['a view starting before the buffer', () => new TcpView(new Uint8Array(40), -1, 20), 'TRUNCATED', 40, [-1, 20, 40]],
      ['a view of negative length', () => new TcpView(new Uint8Array(40), 2, -5), 'TRUNCATED', 2, ['TCP header', TCP_HEADER]],
      ['the view reads an MSS of length 0', () => new TcpView(seg(6, [2, 0, 1, 1])).mss, 'BAD_OPTION_LENGTH', OPTIONS_AT, ['kind 2', 'MSS', 'length 0']],
      ['the view looks past a window scale of length 9', () => new TcpView(seg(6, [1, 3, 9, 1])).findOption(99), 'OPTION_OVERRUN', OPTIONS_AT + 1, ['kind 3', 'length 9', OPTIONS_AT + 1 + 9, areaEnd]],
      ['the view walks into a SACK of length 1', () => [...new TcpView(seg(6, [1, 5, 1, 1])).options()], 'BAD_OPTION_LENGTH', OPTIONS_AT + 1, ['kind 5', 'SACK', 'length 1']],
    ];
    expectRefusals(cases);
  });

  it('warnings: known kinds of the wrong length, window scale above 14', () => {
    // [option bytes, the lengths its RFC allows, and a word the sentence must use for them]
    const wrong: Array<[bytes: number[], name: string, expected: Piece[]]> = [
      [[2, 3, 0], 'MSS', ['expected 4']],
      [[3, 4, 0, 0], 'window scale', ['expected 3']],
      [[4, 3, 0], 'SACK permitted', ['expected 2']],
      [[5, 4, 0, 0], 'SACK', [10, 18, 26, 34]],
      [[8, 4, 0, 0], 'timestamps', ['expected 10']],
      [[19, 4, 0, 0], 'MD5 signature', ['expected 18']],
      [[28, 3, 0], 'user timeout', ['expected 4']],
      [[29, 3, 0], 'TCP-AO', ['at least 4']],
      [[30, 2], 'MPTCP', ['at least 3']],
      [[34, 3, 0], 'Fast Open', [2, 'cookie request', 6, 18]],
      [[253, 3, 0], 'experimental', ['at least 4', 'ExID']],
      [[254, 2], 'experimental', ['at least 4', 'ExID']],
    ];
    for (const [bytes, name, expected] of wrong) {
      const [kind, len] = bytes as [number, number];
      const ws: TcpWireWarning[] = decodeSegment(seg(10, [...bytes, 0])).warnings;
      const what = `kind ${kind} of length ${len}`;
      expect(ws.length, what).toBe(1);
      const w = ws[0] as TcpWireWarning;
      expect(w.code, what).toBe('BAD_OPTION_LENGTH');
      expect(w.offset, what).toBe(OPTIONS_AT);
      expectPieces(w.message, [`kind ${kind}`, `(${name})`, `length ${len}`, OPTIONS_AT, ...expected, 'raw bytes'], what);
    }
    for (const shift of [15, 255]) {
      const ws = decodeSegment(seg(6, [3, 3, shift, 0])).warnings;
      expect(ws.map((w) => [w.code, w.offset])).toEqual([['OUT_OF_RANGE', OPTIONS_AT]]);
      // RFC 7323 §2.3: a shift above 14 counts as 14
      expectPieces((ws[0] as TcpWireWarning).message, ['window scale shift', shift, 14, 'RFC 7323'], `shift ${shift}`);
    }
  });

  it('encoding', () => {
    const U32 = 4294967295;
    const cases: Refusal[] = [
      ['null', () => encodeSegment(null as never), 'BAD_INPUT', -1, ['segment', 'object']],
      ['options 5', () => encodeSegment({ options: 5 as never }), 'BAD_INPUT', -1, ['options', 'array']],
      ['padding [1]', () => encodeSegment({ padding: [1] as never }), 'BAD_INPUT', -1, ['padding', 'Uint8Array']],
      ['payload 5', () => encodeSegment({ payload: 5 as never }), 'BAD_INPUT', -1, ['payload', 'Uint8Array', 'string']],
      // 2 + 38 bytes of an unknown option and a NOP: 41 of the 40 a header holds
      ['41 option bytes', () => encodeSegment({ options: [{ type: 'unknown', kind: 99, data: new Uint8Array(38) }, { type: 'nop' }] }), 'OUT_OF_RANGE', -1, [41, 40]],
      // timestamps take 10 bytes: (20 + 10) / 4 rounded up is 8 words
      ['dataOffset 6 for timestamps', () => encodeSegment({ dataOffset: 6, options: [{ type: 'timestamps', tsval: 0, tsecr: 0 }] }), 'OUT_OF_RANGE', -1, ['dataOffset 6', 24, 10, 8]],
      ['dataOffset 16', () => encodeSegment({ dataOffset: 16 }), 'OUT_OF_RANGE', -1, ['dataOffset', 16, 5, 15]],
      ['a 65516-byte payload', () => encodeSegment({ payload: new Uint8Array(65516) }), 'OUT_OF_RANGE', -1, [20 + 65516, 65535]],
      ['srcPort 65536', () => encodeSegment({ srcPort: 65536 }), 'OUT_OF_RANGE', -1, ['srcPort', 65536, 0, 65535]],
      ['seq "x"', () => encodeSegment({ seq: 'x' as never }), 'OUT_OF_RANGE', -1, ['seq', '"x"', 0, U32]],
      ['ack null', () => encodeSegment({ seq: undefined, ack: null as never }), 'OUT_OF_RANGE', -1, ['ack', 'null', U32]],
      ['seq NaN', () => encodeSegment({ seq: Number.NaN }), 'OUT_OF_RANGE', -1, ['seq', 'NaN', U32]],
      ['window Infinity', () => encodeSegment({ window: Number.POSITIVE_INFINITY }), 'OUT_OF_RANGE', -1, ['window', 'Infinity', 65535]],
      ['window [1]', () => encodeSegment({ window: [1] as never }), 'OUT_OF_RANGE', -1, ['window', '[1]', 65535]],
      ['urgentPointer a function', () => encodeSegment({ window: undefined, urgentPointer: (() => 1) as never }), 'OUT_OF_RANGE', -1, ['urgentPointer', '() => 1', 65535]],
      ['reserved 8', () => encodeSegment({ reserved: 8 }), 'OUT_OF_RANGE', -1, ['reserved', 8, 0, 7]],
      ['flags "SX"', () => encodeSegment({ flags: 'SX' }), 'BAD_INPUT', -1, ['"X"', 'F S R P A U E C N']],
      ['flags 7', () => encodeSegment({ flags: 7 as never }), 'BAD_INPUT', -1, ['flags', 'object', 'string']],
      ['flag syn 1', () => encodeSegment({ flags: { syn: 1 } as never }), 'BAD_INPUT', -1, ['syn', 1, 'true or false']],
      ['flag bogus', () => encodeSegment({ flags: { bogus: true } as never }), 'BAD_INPUT', -1, ['"bogus"', 'ae cwr ece urg ack psh rst syn fin']],
      ['MSS -1', () => encodeSegment({ options: [{ type: 'mss', value: -1 }] }), 'OUT_OF_RANGE', -1, ['MSS', -1, 65535]],
      ['shift 256', () => encodeSegment({ options: [{ type: 'windowScale', shift: 256 }] }), 'OUT_OF_RANGE', -1, ['window scale shift', 256, 255]],
      ['SACK of no blocks', () => encodeSegment({ options: [{ type: 'sack', blocks: [] }] }), 'OUT_OF_RANGE', -1, ['SACK', 'blocks', 1, 4, 0]],
      ['SACK blocks "x"', () => encodeSegment({ options: [{ type: 'sack', blocks: 'x' as never }] }), 'OUT_OF_RANGE', -1, ['SACK', 'blocks', 'not no']],
      ['SACK block of 3', () => encodeSegment({ options: [{ type: 'sack', blocks: [[1, 2, 3] as never] }] }), 'BAD_INPUT', -1, ['SACK block 0', '[left, right]']],
      ['SACK right edge -2', () => encodeSegment({ options: [{ type: 'sack', blocks: [[1, -2]] }] }), 'OUT_OF_RANGE', -1, ['SACK block 0 right edge', -2, U32]],
      ['TSval -1', () => encodeSegment({ options: [{ type: 'timestamps', tsval: -1, tsecr: 0 }] }), 'OUT_OF_RANGE', -1, ['TSval', -1, U32]],
      ['TSecr -1', () => encodeSegment({ options: [{ type: 'timestamps', tsval: 0, tsecr: -1 }] }), 'OUT_OF_RANGE', -1, ['TSecr', -1, U32]],
      ['SACK left edge -1', () => encodeSegment({ options: [{ type: 'sack', blocks: [[-1, 2]] }] }), 'OUT_OF_RANGE', -1, ['SACK block 0 left edge', -1, U32]],
      // 40 option bytes less kind, length, KeyID and RNextKeyID: 36 for the MAC
      ['a MAC of 37', () => encodeSegment({ options: [{ type: 'tcpAo', keyId: 1, rNextKeyId: 0, mac: new Uint8Array(37) }] }), 'OUT_OF_RANGE', -1, ['TCP-AO MAC', 37, 36]],
      ['experimental data of 37', () => encodeSegment({ options: [{ type: 'experimental', kind: 254, exid: 1, data: new Uint8Array(37) }] }), 'OUT_OF_RANGE', -1, ['experimental option data', 37, 36]],
      ['MPTCP data of 39', () => encodeSegment({ options: [{ type: 'mptcp', subtype: 0, data: new Uint8Array(39) }] }), 'OUT_OF_RANGE', -1, ['MPTCP data', 39, 1, 38]],
      ['a cookie of 17', () => encodeSegment({ options: [{ type: 'fastOpen', cookie: new Uint8Array(17) }] }), 'OUT_OF_RANGE', -1, ['Fast Open cookie', 17, 16]],
      ['a cookie of 2', () => encodeSegment({ options: [{ type: 'fastOpen', cookie: new Uint8Array(2) }] }), 'OUT_OF_RANGE', -1, ['Fast Open cookie', 2, 'request', 4, 16]],
      ['a cookie "ab"', () => encodeSegment({ options: [{ type: 'fastOpen', cookie: 'ab' as never }] }), 'BAD_INPUT', -1, ['Fast Open cookie', 'Uint8Array']],
      ['an MD5 digest of 4', () => encodeSegment({ options: [{ type: 'md5', digest: new Uint8Array(4) }] }), 'OUT_OF_RANGE', -1, ['MD5 digest', 4, /expected 16(?! to)/]], // one length, not a range of one
      ['granularity "hours"', () => encodeSegment({ options: [{ type: 'userTimeout', granularity: 'hours' as never, timeout: 1 }] }), 'BAD_INPUT', -1, ['granularity', '"seconds"', '"minutes"']],
      ['user timeout 0x8000', () => encodeSegment({ options: [{ type: 'userTimeout', granularity: 'seconds', timeout: 0x8000 }] }), 'OUT_OF_RANGE', -1, ['user timeout', 0x8000, 0x7fff]],
      ['KeyID 256', () => encodeSegment({ options: [{ type: 'tcpAo', keyId: 256, rNextKeyId: 0, mac: new Uint8Array(0) }] }), 'OUT_OF_RANGE', -1, ['KeyID', 256, 255]],
      ['RNextKeyID -1', () => encodeSegment({ options: [{ type: 'tcpAo', keyId: 1, rNextKeyId: -1, mac: new Uint8Array(0) }] }), 'OUT_OF_RANGE', -1, ['RNextKeyID', -1, 255]],
      // the subtype is the first data byte's high nibble (RFC 8684 §3): 0x10 says 1
      ['MPTCP subtype 2 over 0x10', () => encodeSegment({ options: [{ type: 'mptcp', subtype: 2, data: Uint8Array.of(0x10) }] }), 'BAD_INPUT', -1, ['MPTCP subtype 2', 'says 1']],
      ['MPTCP data of 0', () => encodeSegment({ options: [{ type: 'mptcp', subtype: 0, data: new Uint8Array(0) }] }), 'OUT_OF_RANGE', -1, ['MPTCP data', 0, 1, 38]],
      ['experimental kind 200', () => encodeSegment({ options: [{ type: 'experimental', kind: 200, exid: 0, data: new Uint8Array(0) }] }), 'OUT_OF_RANGE', -1, ['experimental', 'kind', 200, 253, 254]],
      ['ExID -1', () => encodeSegment({ options: [{ type: 'experimental', kind: 253, exid: -1, data: new Uint8Array(0) }] }), 'OUT_OF_RANGE', -1, ['ExID', -1, 65535]],
      ['unknown kind 1', () => encodeSegment({ options: [{ type: 'unknown', kind: 1, data: new Uint8Array(0) }] }), 'OUT_OF_RANGE', -1, ['option kind', 1, 2, 255]],
      ['unknown data of 39', () => encodeSegment({ options: [{ type: 'unknown', kind: 99, data: new Uint8Array(39) }] }), 'OUT_OF_RANGE', -1, ['option kind 99 data', 39, 38]],
      ['type "bogus"', () => encodeSegment({ options: [{ type: 'bogus' } as never] }), 'BAD_INPUT', -1, ['option type', '"bogus"']],
      ['an MSS after the EOL', () => encodeSegment({ options: [{ type: 'nop' }, { type: 'eol' }, { type: 'mss', value: 1 }] }), 'BAD_INPUT', -1, ['option 2 (mss)', 'EOL at option 1', 'expected', 'padding']],
      ['padding without EOL', () => encodeSegment({ options: [{ type: 'nop' }], padding: Uint8Array.of(0, 0, 0) }), 'BAD_INPUT', -1, ['padding', '3 bytes', 'EOL', 'option 1', 'expected', '{ type: "eol" }']],
      // kind 8 with 8 data bytes is the 10-byte timestamps option (RFC 7323 §3.2)
      ['raw timestamps', () => encodeSegment({ options: [{ type: 'unknown', kind: 8, data: new Uint8Array(8) }] }), 'BAD_INPUT', -1, ['option 0', 'kind 8', '10 bytes', 'timestamps', 'expected { type: "timestamps" }', 'raw bytes']],
      ['IPv4 then IPv6', () => encodeSegment({}, { src: '192.0.2.1', dst: '2001:db8::1' }), 'BAD_ADDRESS', -1, ['source is IPv4', 'destination is IPv6', 'family']],
      ['IPv6 then IPv4', () => encodeSegment({}, { src: '2001:db8::1', dst: '192.0.2.1' }), 'BAD_ADDRESS', -1, ['source is IPv6', 'destination is IPv4', 'family']],
    ];
    expectRefusals(cases);
  });

  it('text, JSON, addresses, checksums, sequence numbers', () => {
    const notAnAddress = (text: string, why: Piece[]): Refusal => [`address ${JSON.stringify(text)}`, () => parseAddress(text), 'BAD_ADDRESS', -1, [`"${text}"`, ...why]];
    const cases: Refusal[] = [
      // '45 0g': the 'g' is character 4
      ['hex with a g', () => fromHex('45 0g'), 'BAD_HEX', 4, ['"g"', 'position 4', 'hexadecimal']],
      ['3 hex digits', () => fromHex('450'), 'BAD_HEX', 3, [3, 'odd']],
      ['0x and 1 digit', () => fromHex('0x4'), 'BAD_HEX', 3, [1, 'odd']],
      ['JSON []', () => segmentFromJson([]), 'BAD_INPUT', -1, ['object']],
      ['JSON options "x"', () => segmentFromJson({ options: 'x' }), 'BAD_INPUT', -1, ['"options"', 'array']],
      ['JSON payload 7', () => segmentFromJson({ payload: 7 }), 'BAD_INPUT', -1, ['payload', 'hex string']],
      ['JSON padding "zz"', () => segmentFromJson({ padding: 'zz' }), 'BAD_HEX', 0, ['"z"', 'position 0']],
      ['JSON padding 5', () => segmentFromJson({ padding: 5 }), 'BAD_INPUT', -1, ['padding', 'hex string']],
      ['JSON option null', () => optionFromJson(null), 'BAD_INPUT', -1, ['option', 'object', '"type"']],
      ['JSON digest 5', () => optionFromJson({ type: 'md5', digest: 5 }), 'BAD_INPUT', -1, ['digest', 'hex string']],
      notAnAddress('10.0.0', ['four']),
      notAnAddress('10.0.0.1.2', ['four']),
      notAnAddress('10.0.0.01', ['"01"', 0, 255, 'leading zeros']),
      notAnAddress('10.0.0.256', ['"256"', 0, 255]),
      notAnAddress('fe80:::1', ['group ""', 1, 4, 'hexadecimal']),
      notAnAddress('1::2::3', ['"::"', 'once']),
      notAnAddress('fe80::1%eth0', ['zone']),
      notAnAddress('1:2:3:4:5:6:7:8:9', ['8 groups', 9]),
      notAnAddress('1:2:3', ['8 groups', 3]),
      notAnAddress('::1:2:3:4:5:6:7:8', ['"::"', 'at least one']),
      notAnAddress('g::1', ['"g"', 'hexadecimal']),
      notAnAddress('::ffff:1.2.3', ['IPv4', 'four']),
      notAnAddress('[::1', ['"["']),
      notAnAddress('', ['four']),
      notAnAddress('255.1.1.a', ['"a"', 255]),
      notAnAddress('1.255.1.300', ['"300"', 255]),
      ['3 address bytes', () => parseAddress([1, 2, 3]), 'BAD_ADDRESS', -1, [4, 16, 3]],
      ['address byte 256', () => parseAddress([1, 2, 3, 256]), 'BAD_ADDRESS', -1, ['byte 256', 0, 255]],
      ['format 5 bytes', () => formatAddress(new Uint8Array(5)), 'BAD_ADDRESS', -1, [4, 16, 5]],
      ['IPv4 TCP length 65536', () => pseudoHeaderSum('192.0.2.1', '192.0.2.2', 65536), 'OUT_OF_RANGE', -1, ['TCP length 65536', 'IPv4', 65535]],
      ['IPv6 TCP length -1', () => pseudoHeaderSum('2001:db8::1', '2001:db8::2', -1), 'OUT_OF_RANGE', -1, ['TCP length -1', 'IPv6', 4294967295]],
      ['checksum of 19 bytes', () => tcpChecksum(new Uint8Array(19), '192.0.2.1', '192.0.2.2'), 'TRUNCATED', 19, [TCP_HEADER, 19]],
      ['sum of bytes 0 to 5 of 4', () => onesComplementSum(new Uint8Array(4), 0, 5), 'OUT_OF_RANGE', -1, ['bytes 0 to 5', '4-byte']],
      ['sum of bytes -1 to 4 of 4', () => onesComplementSum(new Uint8Array(4), -1, 4), 'OUT_OF_RANGE', -1, ['bytes -1 to 4', '4-byte']],
      ['old checksum 0x10000', () => updateChecksum(0x10000, 0, 0), 'OUT_OF_RANGE', -1, ['oldChecksum', 65536, 65535]],
      ['old word -1', () => updateChecksum(0, -1, 0), 'OUT_OF_RANGE', -1, ['oldWord', -1, 65535]],
      ['new word 1.5', () => updateChecksum(0, 0, 1.5), 'OUT_OF_RANGE', -1, ['newWord', 1.5, 65535]],
      ['seq "4294967296"', () => parseSeq('4294967296'), 'OUT_OF_RANGE', -1, ['"4294967296"', 'sequence number', 0, 4294967295]],
      ['seq "-1"', () => parseSeq('-1'), 'OUT_OF_RANGE', -1, ['"-1"', 'sequence number']],
      ['seq "0x"', () => parseSeq('0x'), 'OUT_OF_RANGE', -1, ['"0x"', 'sequence number']],
      ['flag letters "SAQ"', () => flagsToBits('SAQ'), 'BAD_INPUT', -1, ['"Q"', 'F S R P A U E C N']],
    ];
    expectRefusals(cases);
  });
});

describe('the messages of the IP layer and the capture readers', () => {
  it('IP headers', () => {
    const v4 = encodeIpv4Header({ src: Uint8Array.of(192, 0, 2, 1), dst: Uint8Array.of(192, 0, 2, 2), payloadLength: 20 });
    const v6 = encodeIpv6Header({ src: new Uint8Array(16), dst: new Uint8Array(16), payloadLength: 8, nextHeader: 0 });
    const dv = (n: number) => new DataView(new ArrayBuffer(n));
    const h4 = { src: new Uint8Array(4), dst: new Uint8Array(4) };
    const h6 = { src: new Uint8Array(16), dst: new Uint8Array(16) };
    // RFC 791: 20 to 60 bytes, length in byte 0's low nibble, total length in bytes 2-3. RFC 8200: 40 bytes.
    const cases: Refusal[] = [
      ['IPv4 of 19 bytes', () => decodeIpv4(new Uint8Array(19)), 'TRUNCATED', 0, ['IPv4', 20, 19]],
      ['IPv4 with version 6', () => decodeIpv4(Uint8Array.of(0x65, ...new Array(19).fill(0))), 'BAD_RECORD', 0, ['version 6', 4]],
      ['IPv4 header length 4 words', () => decodeIpv4(Uint8Array.of(0x44, ...new Array(19).fill(0))), 'BAD_RECORD', 0, ['header length 4', 5]],
      ['IPv4 header of 15 words in 20 bytes', () => decodeIpv4(Uint8Array.of(0x4f, ...new Array(19).fill(0))), 'TRUNCATED', 0, [60, 20]],
      ['IPv6 of 39 bytes', () => decodeIpv6(new Uint8Array(39)), 'TRUNCATED', 0, ['IPv6', 40, 39]],
      ['IPv6 with version 0', () => decodeIpv6(new Uint8Array(40)), 'BAD_RECORD', 0, ['version 0', 6]],
      ['hop-by-hop header missing', () => decodeIpv6(v6), 'TRUNCATED', 40, ['extension header 0', 'byte 40']],
      // Hdr Ext Len 1: (1 + 1) × 8 = 16 bytes, 8 there
      ['hop-by-hop header of 16 bytes in 8', () => decodeIpv6(Uint8Array.from([...v6, 6, 1, 0, 0, 0, 0, 0, 0])), 'TRUNCATED', 40, ['extension header 0', 'byte 40', 16]],
      ['no bytes to locate', () => locateTcp(new Uint8Array(0), 0, 0), 'TRUNCATED', 0, ['IP header']],
      ['locate in 5 bytes', () => locateTcpIn(new Uint8Array(5).fill(0x45), dv(5), 0, 5, new TcpLocation()), 'TRUNCATED', 0, ['IPv4', 20, 5]],
      ['locate, header length 4 words', () => locateTcpIn(Uint8Array.of(0x44, ...new Array(19).fill(0)), dv(20), 0, 20, new TcpLocation()), 'BAD_RECORD', 0, ['header length 4', 5]],
      ['locate, header of 24 bytes in 20', () => locateTcpIn(Uint8Array.of(0x46, ...new Array(19).fill(0)), dv(20), 0, 20, new TcpLocation()), 'TRUNCATED', 0, [24, 20]],
      ['locate IPv6 in 30 bytes', () => locateTcpIn(new Uint8Array(30).fill(0x60), dv(30), 0, 30, new TcpLocation()), 'TRUNCATED', 0, ['IPv6', 40, 30]],
      ['a packet of two families', () => buildIpPacket(new Uint8Array(20), '192.0.2.1', '::1'), 'BAD_ADDRESS', -1, ['famil']],
      ['IP version 5', () => locateTcp(Uint8Array.of(0x50), 0, 1), 'BAD_RECORD', 0, ['version 5', 4, 6]],
      ['total length 10', () => locateTcp(Uint8Array.from([...v4.subarray(0, 2), 0, 10, ...v4.subarray(4)]), 0, 20), 'BAD_RECORD', 2, ['total length 10', 20]],
      ['IPv4 payload of 65516', () => encodeIpv4Header({ ...h4, payloadLength: 65516 }), 'OUT_OF_RANGE', -1, ['total length', 65516 + 20, 20, 65535]],
      ['DSCP 64', () => encodeIpv4Header({ ...h4, payloadLength: 0, dscp: 64 }), 'OUT_OF_RANGE', -1, ['DSCP', 64, 63]],
      ['ECN 4', () => encodeIpv4Header({ ...h4, payloadLength: 0, ecn: 4 }), 'OUT_OF_RANGE', -1, ['ECN', 4, 3]],
      ['TTL 256', () => encodeIpv4Header({ ...h4, payloadLength: 0, ttl: 256 }), 'OUT_OF_RANGE', -1, ['TTL', 256, 255]],
      ['id 65536', () => encodeIpv4Header({ ...h4, payloadLength: 0, id: 65536 }), 'OUT_OF_RANGE', -1, ['id', 65536, 65535]],
      ['protocol 256', () => encodeIpv4Header({ ...h4, payloadLength: 0, protocol: 256 }), 'OUT_OF_RANGE', -1, ['protocol', 256, 255]],
      ['IPv6 payload 65536', () => encodeIpv6Header({ ...h6, payloadLength: 65536 }), 'OUT_OF_RANGE', -1, ['payload length', 65536, 65535]],
      ['flow label 2^20', () => encodeIpv6Header({ ...h6, payloadLength: 0, flowLabel: 0x100000 }), 'OUT_OF_RANGE', -1, ['flow label', 0x100000, 0xfffff]],
      ['traffic class 256', () => encodeIpv6Header({ ...h6, payloadLength: 0, trafficClass: 256 }), 'OUT_OF_RANGE', -1, ['traffic class', 256, 255]],
      ['hop limit -1', () => encodeIpv6Header({ ...h6, payloadLength: 0, hopLimit: -1 }), 'OUT_OF_RANGE', -1, ['hop limit', -1, 255]],
      ['next header 300', () => encodeIpv6Header({ ...h6, payloadLength: 0, nextHeader: 300 }), 'OUT_OF_RANGE', -1, ['next header', 300, 255]],
    ];
    expectRefusals(cases);
  });

  it('captures: file-level damage and record-level errors', () => {
    const le = (...w: number[]) => {
      const b = new Uint8Array(w.length * 4);
      const dv = new DataView(b.buffer);
      w.forEach((x, i) => dv.setUint32(4 * i, x >>> 0, true));
      return Array.from(b);
    };
    const pcapHeader = le(0xa1b2c3d4, 0x00040002, 0, 0, 65535, 1); // 24 bytes, Ethernet, snaplen 65535
    const shb = le(0x0a0d0d0a, 28, 0x1a2b3c4d, 0x00000001, 0xffffffff, 0xffffffff, 28); // 28 bytes
    const idb = le(1, 20, 1, 65535, 20); // 20 bytes, Ethernet
    const eth = (type: number, body: number[]) => [...new Array(12).fill(0), type >> 8, type & 0xff, ...body];
    const rec = (data: number[], caplen = data.length, orig = data.length) => [...le(1, 0, caplen, orig), ...data];
    const epb = (id: number, data: number[], caplen = data.length, orig = data.length) => {
      const pad = (4 - (data.length % 4)) % 4;
      const total = 32 + data.length + pad;
      return [...le(6, total, id, 0, 0, caplen, orig), ...data, ...new Array(pad).fill(0), ...le(total)];
    };
    const read = (bytes: number[]) => {
      const items = [];
      try {
        for (const i of readCapture(Uint8Array.from(bytes))) items.push(i);
      } catch (e) {
        return { items, error: e };
      }
      return { items, error: undefined };
    };
    /** The file is damaged: reading stops with this error, after these items. */
    const damaged = (what: string, bytes: number[], code: TcpWireErrorCode, offset: number, pieces: Piece[]) => {
      const r = read(bytes);
      expect(r.items, what).toEqual([]);
      expect(r.error, what).toBeInstanceOf(TcpWireError);
      const e = r.error as TcpWireError;
      expect([e.code, e.offset], what).toEqual([code, offset]);
      expectPieces(e.message, pieces, what);
    };
    /** One record, and it is an error item with this code, offset and sentence; reading goes on to the end. */
    const badRecord = (what: string, bytes: number[], code: TcpWireErrorCode, offset: number, pieces: Piece[]) => {
      const r = read(bytes);
      expect(r.error, what).toBeUndefined();
      expect(r.items.map((i) => [i.frame, i.kind]), what).toEqual([[1, 'error']]);
      const i = r.items[0];
      if (i?.kind !== 'error') throw new Error(what);
      expect([i.error.code, i.error.offset], what).toEqual([code, offset]);
      expectPieces(i.error.message, pieces, what);
    };
    const skipped = (what: string, bytes: number[], pieces: Piece[]) => {
      const r = read(bytes);
      expect(r.error, what).toBeUndefined();
      expect(r.items.map((i) => [i.frame, i.kind]), what).toEqual([[1, 'skipped']]);
      const i = r.items[0];
      if (i?.kind !== 'skipped') throw new Error(what);
      expectPieces(i.message, pieces, what);
    };

    // pcap: a 24-byte file header, 16-byte record headers (caplen at +8), Ethernet's 14 bytes, then IPv4's 20, then TCP
    const REC = 24;
    const DATA = REC + 16;
    const IP4 = DATA + 14;
    const TCP = IP4 + 20;
    damaged('empty', [], 'TRUNCATED', 0, ['empty']);
    damaged('2 bytes', [1, 2], 'TRUNCATED', 0, ['2 bytes', 'file header']);
    const get = Array.from(new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n'));
    damaged('HTTP', get, 'BAD_MAGIC', 0, [`0x${Buffer.from(get.slice(0, 4)).toString('hex')}`, 'pcap', 'pcapng']);
    damaged('the modified pcap magic', le(0xa1b2cd34, 0, 0, 0, 0, 0), 'UNSUPPORTED', 0, ['modified', '24-byte']);
    damaged('10 bytes of header', pcapHeader.slice(0, 10), 'TRUNCATED', 0, ['10 bytes', 'file header']);
    damaged('a record of 2^32 - 1 bytes', [...pcapHeader, ...le(1, 0, 0xffffffff, 0)], 'BAD_RECORD', REC, [`byte ${REC}`, 0xffffffff, 'snaplen 65535', 'damaged']);
    damaged('a record of 100 bytes with 2 there', [...pcapHeader, ...le(1, 0, 100, 100), 1, 2], 'TRUNCATED', REC, [`byte ${REC}`, 16 + 2]);
    badRecord('3 captured of 2', [...pcapHeader, ...rec([1, 2, 3], 3, 2)], 'BAD_RECORD', REC + 8, [`byte ${REC}`, '3 bytes', '2-byte']);
    badRecord('3 bytes of Ethernet', [...pcapHeader, ...rec([1, 2, 3])], 'TRUNCATED', DATA, ['Ethernet', '14 bytes', 3]);
    skipped('ARP', [...pcapHeader, ...rec(eth(0x0806, new Array(28).fill(0)))], ['0x0806', 'IP']);
    badRecord('half a VLAN tag', [...pcapHeader, ...rec(eth(0x8100, [0, 1]))], 'TRUNCATED', IP4, ['VLAN', '4 bytes', 2]);
    skipped('UDP', [...pcapHeader, ...rec(eth(0x0800, [0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]))], ['protocol 17', 'TCP']);
    // fragment offset field 8, in units of 8 bytes: 64
    skipped('a later fragment', [...pcapHeader, ...rec(eth(0x0800, [0x45, 0, 0, 40, 0, 0, 0, 8, 64, 6, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]))], ['fragment', 'offset 64']);
    badRecord('2 bytes of TCP', [...pcapHeader, ...rec(eth(0x0800, [0x45, 0, 0, 40, 0, 0, 0, 0, 64, 6, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 1]))], 'TRUNCATED', TCP + 2, ['2 bytes', 'TCP header', 20]);
    badRecord(
      'TCP data offset 4',
      [...pcapHeader, ...rec(eth(0x0800, [0x45, 0, 0, 40, 0, 0, 0, 0, 64, 6, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, ...new Array(12).fill(0), 0x40, 0, ...new Array(6).fill(0)]))],
      'BAD_DATA_OFFSET',
      TCP + DATA_OFFSET_BYTE,
      [`byte ${TCP}`, 'data offset 4', 5],
    );

    // pcapng: a 28-byte section header (byte-order magic at +8, version at +12), then a 20-byte interface, then packets at 48
    const SECOND = 28;
    const PACKET = SECOND + 20;
    damaged('a byte-order magic 0x12345678', [...shb.slice(0, 8), ...le(0x12345678), ...shb.slice(12)], 'BAD_MAGIC', 8, ['byte-order magic', '1a2b3c4d', 'byte 0']);
    damaged('a block before any section', le(1, 12, 12), 'BAD_MAGIC', 0, ['0x01000000']);
    damaged('a block of 13 bytes', [...shb, ...le(1, 13, 0)], 'BAD_RECORD', SECOND, [`byte ${SECOND}`, 'length 13', 'multiple of 4', 12, 'damaged']);
    damaged('a block of 2^32 - 4 bytes', [...shb, ...le(1, 0xfffffffc, 0)], 'BAD_RECORD', SECOND, [`byte ${SECOND}`, 0xfffffffc, 'multiple of 4']);
    damaged('lengths 16 and 20', [...shb, ...le(1, 16, 0, 20)], 'BAD_RECORD', SECOND, [`byte ${SECOND}`, 16, 20, `byte ${SECOND + 12}`, 'damaged']);
    damaged('an interface block of 16 bytes', [...shb, ...le(1, 16, 0, 16)], 'BAD_RECORD', SECOND + 4, ['interface description block', `byte ${SECOND}`, 16, 20]);
    badRecord('a packet of interface 0 before any interface', [...shb, ...epb(0, [1, 2, 3])], 'BAD_RECORD', SECOND + 8, [`byte ${SECOND}`, 'interface 0', 0]);
    // 3 bytes padded to 4: room for 4
    badRecord('99 captured in room for 4', [...shb, ...idb, ...epb(0, [1, 2, 3], 99)], 'BAD_RECORD', PACKET + 20, [`byte ${PACKET}`, '99 bytes', 4]);
    badRecord('3 captured of 2 (pcapng)', [...shb, ...idb, ...epb(0, [1, 2, 3], 3, 2)], 'BAD_RECORD', PACKET + 20, [`byte ${PACKET}`, '3 bytes', '2-byte']);
    badRecord('interface 7 of 1', [...shb, ...idb, ...epb(7, [1, 2, 3])], 'BAD_RECORD', PACKET + 8, [`byte ${PACKET}`, 'interface 7', 1]);
    // a simple packet block of 16 bytes holds no packet bytes: Ethernet's 14 are missing
    badRecord('an empty simple packet', [...shb, ...idb, ...le(3, 16, 3, 16)], 'TRUNCATED', PACKET + 12, ['Ethernet', '14 bytes', 0]);
    badRecord('a simple packet with no interface', [...shb, ...le(3, 16, 3, 16)], 'BAD_RECORD', SECOND, ['simple packet block', `byte ${SECOND}`, 'interface 0']);
    damaged('pcapng version 2.0', [...shb.slice(0, 12), 2, 0, 0, 0, ...shb.slice(16)], 'UNSUPPORTED', 12, ['version 2.0', 'version 1']);
    // an interface of 28 bytes whose if_tsresol (code 9) is 0xff; its packet starts at byte 56
    badRecord('if_tsresol 0xff', [...shb, ...le(1, 28, 1, 0, 0x00010009, 0xff, 28), ...epb(0, [0x45])], 'BAD_RECORD', SECOND + 28 + 8, ['if_tsresol', '0xff']);
    damaged('8 bytes of a block', [...shb, ...le(1, 12, 12).slice(0, 8)], 'TRUNCATED', SECOND, [`byte ${SECOND}`, '8 of its bytes']);
  });
});
