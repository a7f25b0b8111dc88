/**
 * The JSON form of capture items, as `tcpwire decode --pcap FILE --json` prints them
 * (one object a line): the item's own field names, with `timestampNs` as a decimal
 * string (JSON numbers cannot hold it exactly), byte strings as hex, and the address
 * bytes as text. The captured packet bytes themselves are left out (their offsets are there).
 */

import { formatAddress } from '../address.js';
import { toHex } from '../hex.js';
import type { Ipv4Header } from '../ip/ipv4.js';
import type { Ipv6Header } from '../ip/ipv6.js';
import { type Json, segmentToJson } from '../json.js';
import type { CaptureItem } from './reader.js';

/** The JSON form of an IP header: address bytes as text, IPv4 options as hex. */
export function ipHeaderToJson(ip: Ipv4Header | Ipv6Header): { [key: string]: Json } {
  if (ip.version === 4) {
    return {
      version: 4,
      src: ip.src,
      dst: ip.dst,
      headerLength: ip.headerLength,
      dscp: ip.dscp,
      ecn: ip.ecn,
      totalLength: ip.totalLength,
      id: ip.id,
      df: ip.df,
      mf: ip.mf,
      fragmentOffset: ip.fragmentOffset,
      ttl: ip.ttl,
      protocol: ip.protocol,
      checksum: ip.checksum,
      checksumOk: ip.checksumOk,
      options: toHex(ip.options),
    };
  }
  const out: { [key: string]: Json } = {
    version: 6,
    src: ip.src,
    dst: ip.dst,
    trafficClass: ip.trafficClass,
    ecn: ip.ecn,
    flowLabel: ip.flowLabel,
    payloadLength: ip.payloadLength,
    hopLimit: ip.hopLimit,
    finalDst: formatAddress(ip.finalDstBytes),
    extensions: ip.extensions.map((e) => ({ type: e.type, offset: e.offset, length: e.length })),
    protocol: ip.protocol,
  };
  if (ip.fragment) out.fragment = { offset: ip.fragment.offset, more: ip.fragment.more, id: ip.fragment.id };
  return out;
}

/**
 * The JSON form of a capture item. `extra` fields (such as relative sequence numbers) are
 * added after the item's own.
 */
export function captureItemToJson(item: CaptureItem, extra?: { [key: string]: Json }): { [key: string]: Json } {
  const out: { [key: string]: Json } = {
    kind: item.kind,
    frame: item.frame,
    timestampNs: item.timestampNs.toString(),
    seconds: item.seconds,
    nanos: item.nanos,
    linkType: item.linkType,
    interfaceId: item.interfaceId,
    capturedLength: item.capturedLength,
    originalLength: item.originalLength,
  };
  if (item.kind === 'segment') {
    out.ip = ipHeaderToJson(item.ip);
    out.tcp = segmentToJson(item.tcp);
    out.checksum = item.checksum;
    out.tcpLength = item.tcpLength;
    out.truncated = item.truncated;
    out.fragment = item.fragment;
    out.lengthFromCapture = item.lengthFromCapture;
  } else if (item.kind === 'skipped') {
    out.reason = item.reason;
    out.message = item.message;
    out.ip = item.ip === null ? null : ipHeaderToJson(item.ip);
  } else {
    out.error = { code: item.error.code, offset: item.error.offset, message: item.error.message };
  }
  out.offsets = { ...item.offsets };
  if (extra !== undefined) Object.assign(out, extra);
  return out;
}
