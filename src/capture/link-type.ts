/** Link-layer header types (tcpdump.org "LINKTYPE_" values) that tcpwire reads or writes. */
export const LINKTYPE = {
  /** BSD loopback: a 4-byte address family in host byte order. */
  NULL: 0,
  ETHERNET: 1,
  /** Raw IP, as on some systems' DLT_RAW. */
  RAW_OLD: 12,
  /** OpenBSD loopback: a 4-byte address family in network byte order. */
  LOOP: 108,
  /** Raw IPv4 or IPv6, version told by the first nibble. */
  RAW: 101,
  /** Linux cooked capture v1 (16-byte header). */
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  /** Linux cooked capture v2 (20-byte header). */
  LINUX_SLL2: 276,
} as const;

/** EtherType values met on the way to IP. */
export const ETHERTYPE = {
  IPV4: 0x0800,
  IPV6: 0x86dd,
  VLAN: 0x8100,
  QINQ: 0x88a8,
  /** Old QinQ outer tag. */
  QINQ_OLD: 0x9100,
} as const;
