/**
 * Link layers: from the start of a captured frame to the IP packet inside it.
 *
 * Decoded: Ethernet (1) with any number of 802.1Q / 802.1ad (QinQ) tags, raw IP (12, 14, 101),
 * IPv4 (228), IPv6 (229), Linux cooked capture v1 (113) and v2 (276), BSD null (0) and
 * OpenBSD loop (108). Every other link type is reported as not decoded: tcpwire does not guess
 * (tcpdump.org "Link-layer header types" for every layout).
 */

import { TcpWireError } from '../errors.js';
import { ETHERTYPE, LINKTYPE } from './link-type.js';

/** What {@link findIp} found. */
export const LINK = {
  /** An IP packet starts at {@link LinkLocation.ipOffset}. */
  IP: 0,
  /** The frame carries something else (see {@link LinkLocation.etherType} / {@link LinkLocation.family}). */
  NOT_IP: 1,
  /** tcpwire does not decode this link type. */
  UNSUPPORTED: 2,
} as const;

/** LINKTYPE 14: raw IP as OpenBSD's DLT_RAW wrote it into pcap files. */
export const LINKTYPE_RAW_OPENBSD = 14;

/** Ethernet header: destination (6), source (6), EtherType (2). */
export const ETHERNET_HEADER_LEN = 14;
/** An 802.1Q / 802.1ad tag: TCI (2) then the inner EtherType (2). */
export const VLAN_TAG_LEN = 4;
/** Linux cooked capture v1: packet type, ARPHRD, address length, address (8), protocol at byte 14. */
export const SLL_HEADER_LEN = 16;
/** Offset of the protocol (an EtherType) in a Linux cooked v1 header. */
export const SLL_PROTOCOL = 14;
/** Linux cooked capture v2: protocol at byte 0, then reserved, ifindex, ARPHRD, packet type, address. */
export const SLL2_HEADER_LEN = 20;
/** Offset of the protocol in a Linux cooked v2 header. */
export const SLL2_PROTOCOL = 0;
/** BSD null / OpenBSD loop: a 4-byte address family. */
export const NULL_HEADER_LEN = 4;

/** Address-family values in BSD null/loop headers: AF_INET is 2 everywhere; AF_INET6 differs by system. */
export const NULL_FAMILY = {
  INET: 2,
  /** NetBSD, OpenBSD, BSD/OS. */
  INET6_BSD: 24,
  INET6_FREEBSD: 28,
  INET6_DARWIN: 30,
} as const;

/** Where the IP packet sits in a frame. Reused frame after frame; all fields rewritten by {@link findIp}. */
export class LinkLocation {
  /** One of {@link LINK}. */
  status = 0;
  /** Offset of the IP header in the buffer. */
  ipOffset = 0;
  /** The last EtherType (or SLL protocol) read; -1 where the link layer has none. */
  etherType = -1;
  /** The BSD null/loop address family; -1 for other link types. */
  family = -1;
}

/** True if an EtherType is a VLAN tag (802.1Q, 802.1ad, or the old 0x9100 QinQ). */
function isVlan(t: number): boolean {
  return t === ETHERTYPE.VLAN || t === ETHERTYPE.QINQ || t === ETHERTYPE.QINQ_OLD;
}

function truncated(what: string, need: number, have: number, offset: number): TcpWireError {
  return new TcpWireError('TRUNCATED', `a ${what} needs ${need} bytes, but only ${have} were captured`, offset);
}

/**
 * Follows an EtherType (and any VLAN tags after it) from `at` to the IP packet.
 * Returns the status, and sets `out.ipOffset` / `out.etherType`.
 */
function fromEtherType(view: DataView, type: number, at: number, end: number, out: LinkLocation): number {
  let t = type;
  let p = at;
  while (isVlan(t)) {
    if (p + VLAN_TAG_LEN > end) throw truncated('VLAN tag', VLAN_TAG_LEN, end - p, p);
    t = view.getUint16(p + 2);
    p += VLAN_TAG_LEN;
  }
  out.etherType = t;
  out.ipOffset = p;
  out.status = t === ETHERTYPE.IPV4 || t === ETHERTYPE.IPV6 ? LINK.IP : LINK.NOT_IP;
  return out.status;
}

/** Maps a BSD null/loop address family to a status. */
function fromFamily(family: number, at: number, out: LinkLocation): number {
  out.family = family;
  out.ipOffset = at;
  const ip =
    family === NULL_FAMILY.INET ||
    family === NULL_FAMILY.INET6_BSD ||
    family === NULL_FAMILY.INET6_FREEBSD ||
    family === NULL_FAMILY.INET6_DARWIN;
  out.status = ip ? LINK.IP : LINK.NOT_IP;
  return out.status;
}

/**
 * Finds the IP packet in the frame at `offset` (`length` bytes captured) of link type `linkType`.
 * `view` is a DataView over the whole buffer. Returns {@link LinkLocation.status}.
 * @throws {TcpWireError} `TRUNCATED` when the link-layer header itself was not captured whole.
 */
export function findIp(bytes: Uint8Array, view: DataView, offset: number, length: number, linkType: number, out: LinkLocation): number {
  const end = offset + length;
  out.etherType = -1;
  out.family = -1;
  switch (linkType) {
    case LINKTYPE.ETHERNET:
      if (length < ETHERNET_HEADER_LEN) throw truncated('Ethernet header', ETHERNET_HEADER_LEN, length, offset);
      return fromEtherType(view, view.getUint16(offset + 12), offset + ETHERNET_HEADER_LEN, end, out);
    case LINKTYPE.RAW:
    case LINKTYPE.RAW_OLD:
    case LINKTYPE_RAW_OPENBSD: {
      // The version nibble tells IPv4 from IPv6.
      if (length < 1) throw truncated('raw IP packet', 1, 0, offset);
      out.ipOffset = offset;
      const v = (bytes[offset] as number) >>> 4;
      out.status = v === 4 || v === 6 ? LINK.IP : LINK.NOT_IP;
      return out.status;
    }
    case LINKTYPE.IPV4:
    case LINKTYPE.IPV6:
      out.ipOffset = offset;
      out.status = LINK.IP;
      return LINK.IP;
    case LINKTYPE.LINUX_SLL:
      if (length < SLL_HEADER_LEN) throw truncated('Linux cooked (SLL) header', SLL_HEADER_LEN, length, offset);
      return fromEtherType(view, view.getUint16(offset + SLL_PROTOCOL), offset + SLL_HEADER_LEN, end, out);
    case LINKTYPE.LINUX_SLL2:
      if (length < SLL2_HEADER_LEN) throw truncated('Linux cooked v2 (SLL2) header', SLL2_HEADER_LEN, length, offset);
      return fromEtherType(view, view.getUint16(offset + SLL2_PROTOCOL), offset + SLL2_HEADER_LEN, end, out);
    case LINKTYPE.NULL: {
      if (length < NULL_HEADER_LEN) throw truncated('BSD null header', NULL_HEADER_LEN, length, offset);
      // Host byte order of the machine that captured: a family is small, so a value with
      // high bits set was written in the other order (as Wireshark decides too).
      let family = view.getUint32(offset, true);
      if ((family & 0xffff0000) !== 0) family = view.getUint32(offset, false);
      return fromFamily(family, offset + NULL_HEADER_LEN, out);
    }
    case LINKTYPE.LOOP:
      if (length < NULL_HEADER_LEN) throw truncated('OpenBSD loop header', NULL_HEADER_LEN, length, offset);
      return fromFamily(view.getUint32(offset, false), offset + NULL_HEADER_LEN, out);
    default:
      out.ipOffset = offset;
      out.status = LINK.UNSUPPORTED;
      return LINK.UNSUPPORTED;
  }
}

/** A person's name for a link type ("Ethernet", "Linux cooked v2", "link type 147"). */
export function linkTypeName(linkType: number): string {
  switch (linkType) {
    case LINKTYPE.NULL:
      return 'BSD null';
    case LINKTYPE.ETHERNET:
      return 'Ethernet';
    case LINKTYPE.RAW:
    case LINKTYPE.RAW_OLD:
    case LINKTYPE_RAW_OPENBSD:
      return 'raw IP';
    case LINKTYPE.LOOP:
      return 'OpenBSD loop';
    case LINKTYPE.LINUX_SLL:
      return 'Linux cooked';
    case LINKTYPE.IPV4:
      return 'raw IPv4';
    case LINKTYPE.IPV6:
      return 'raw IPv6';
    case LINKTYPE.LINUX_SLL2:
      return 'Linux cooked v2';
    default:
      return `link type ${linkType}`;
  }
}
