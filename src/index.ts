/**
 * tcpwire: build and parse real TCP segments, byte for byte.
 * The portable core: Uint8Array and DataView only, no Node built-ins.
 */

export { TcpWireError, type TcpWireErrorCode, type TcpWireWarning } from './errors.js';
// The layout's plain objects and constants; its const enums are for tcpwire's own code
// (a program compiled with isolatedModules could not read them from a .d.ts).
export {
  DATA_OFFSET_SHIFT,
  FAST_OPEN_COOKIE_MAX,
  FAST_OPEN_COOKIE_MIN,
  FIELD,
  FLAG,
  FLAGS_MASK,
  HEADER_LEN,
  IPPROTO_TCP,
  MAX_DATA_OFFSET,
  MAX_OPTIONS_LEN,
  MAX_SACK_BLOCKS,
  MAX_SEGMENT_LEN,
  MAX_WINDOW_SHIFT,
  MIN_DATA_OFFSET,
  OPTION_KIND,
  OPTION_LEN,
  RESERVED_MASK,
  RESERVED_SHIFT,
  SACK_BLOCK_LEN,
} from './layout.js';
export {
  SEQ_MODULUS,
  isSeq,
  parseSeq,
  segmentLength,
  seqAdd,
  seqCompare,
  seqDiff,
  seqGe,
  seqGt,
  seqInWindow,
  seqLe,
  seqLt,
  seqSub,
} from './seq.js';
export { foldSum, internetChecksum, onesComplementSum, updateChecksum } from './checksum.js';
export { type AddressInput, formatAddress, parseAddress } from './address.js';
export { type PseudoHeaderInput, pseudoHeaderSum, tcpChecksum, verifyTcpChecksum } from './pseudo-header.js';
export { FLAG_NAMES, type TcpFlags, type TcpFlagsInit, flagsFromBits, flagsToBits, formatFlags } from './flags.js';
export {
  type DecodedOptions,
  type SackBlock,
  type TcpOption,
  type TcpOptionType,
  decodeOptions,
  effectiveWindowShift,
  optionKindName,
  optionLength,
  optionsLength,
  readOption,
  writeOption,
} from './options.js';
export { TcpView, checkHeader } from './view.js';
export { type TcpSegment, type TcpSegmentInit, decodeSegment } from './segment.js';
export { encodeSegment, encodingLength } from './encode.js';
export { fromHex, toHex } from './hex.js';
export { type Json, optionFromJson, optionToJson, segmentFromJson, segmentToJson } from './json.js';
export { IPV4, IPV4_DF, IPV4_MF, IPV4_MIN_HEADER, type Ipv4Header, type Ipv4HeaderInit, decodeIpv4, encodeIpv4Header } from './ip/ipv4.js';
export {
  IPV6,
  IPV6_HEADER,
  NEXT_HEADER,
  type Ipv6Extension,
  type Ipv6Header,
  type Ipv6HeaderInit,
  decodeIpv6,
  encodeIpv6Header,
} from './ip/ipv6.js';
export { type IpOptions, type IpTcpLocation, buildIpPacket, locateTcp } from './ip/packet.js';
export { type FieldSpan, fieldMap, optionLabel, optionShort } from './field-map.js';
export { ETHERTYPE, LINKTYPE } from './capture/link-type.js';
export {
  PCAP_FILE_HEADER_LEN,
  PCAP_MAGIC_MICRO,
  PCAP_MAGIC_NANO,
  PCAP_RECORD_HEADER_LEN,
  type PcapPacket,
  PcapWriter,
  type PcapWriteOptions,
  writePcap,
} from './capture/pcap-writer.js';
export {
  type Handshake,
  type HandshakeAckSpec,
  type HandshakeEndpoint,
  type HandshakeProfile,
  type HandshakeSegment,
  type HandshakeSpec,
} from './handshake/spec.js';
export { threeWayHandshake } from './handshake/generate.js';
export { type RespondContext, type RespondResult, respondTo } from './handshake/respond.js';
export { type KeyedIsnInput, keyedIsn, randomIsn, sipHash24 } from './handshake/isn.js';
export { type LinuxOptionSet, linuxOptions } from './handshake/profiles.js';
export {
  type Endpoint,
  type Replay,
  type ReplayStep,
  type SegmentLike,
  type StatePair,
  type TcpState,
  afterReceive,
  afterSend,
  closedEndpoint,
  listeningEndpoint,
  replay,
} from './handshake/states.js';
export {
  type CheckInput,
  type CheckSegmentInput,
  type FindingSeverity,
  type HandshakeCheck,
  type HandshakeFinding,
  type HandshakeFindingCode,
  type Negotiated,
  checkHandshake,
} from './handshake/check.js';
export { type ExplainOptions, explainHandshake } from './handshake/explain.js';
export {
  type CaptureError,
  type CaptureItem,
  type CaptureOffsets,
  type CaptureRecordInfo,
  type CaptureSegment,
  type CaptureSkipped,
  type ReadCaptureOptions,
  type SkipReason,
  readCapture,
} from './capture/reader.js';
export { type CaptureStats, type ForEachSegmentOptions, type SegmentCallback, SegmentMeta, forEachSegment } from './capture/scan.js';
export { type CaptureFormat, CaptureParser } from './capture/parser.js';
export { type ChecksumVerdict } from './capture/verdict.js';
export { type RelativeNumbers, RelativeSequencer } from './capture/relative.js';
export { captureItemToJson, ipHeaderToJson } from './capture/item-json.js';
export { type PcapFileHeader, isPcapMagic, readPcapFileHeader } from './capture/pcap.js';
export { isPcapngMagic } from './capture/pcapng.js';
export { LINKTYPE_RAW_OPENBSD, linkTypeName } from './capture/link.js';
export { LOCATE, TcpLocation, locateTcpIn } from './ip/locate.js';
export { type FoundHandshake, type HandshakeOutcome, HandshakeFinder, type SeenSegment, findHandshakes } from './handshake/find.js';
