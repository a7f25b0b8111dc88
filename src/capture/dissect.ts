/**
 * Link and IP dissection of one packet record into reused objects, shared by the item
 * reader and the general path of the segment scanner.
 */

import { TcpWireError } from '../errors.js';
import { LOCATE, TcpLocation, locateTcpIn } from '../ip/locate.js';
import { LINK, LinkLocation, findIp } from './link.js';
import type { RawRecord } from './record.js';

/** What {@link Dissector.run} found: a TCP segment, or why there is none. */
export const SEGMENT = 0;
export const SKIP_LINK = 1;
export const SKIP_NOT_IP = 2;
export const SKIP_NOT_TCP = 3;
export const SKIP_FRAGMENT = 4;

/**
 * Offsets index the parser's buffer. {@link run} returns SEGMENT or a SKIP_* code and throws
 * TcpWireError (buffer offsets) for a malformed link or IP header.
 */
export class Dissector {
  readonly link = new LinkLocation();
  readonly loc = new TcpLocation();

  run(bytes: Uint8Array, view: DataView, rec: RawRecord): number {
    const ls = findIp(bytes, view, rec.dataOffset, rec.capturedLength, rec.linkType, this.link);
    if (ls !== LINK.IP) return ls === LINK.UNSUPPORTED ? SKIP_LINK : SKIP_NOT_IP;
    const ipOffset = this.link.ipOffset;
    const st = locateTcpIn(bytes, view, ipOffset, rec.dataOffset + rec.capturedLength - ipOffset, this.loc);
    if (st === LOCATE.TCP) return SEGMENT;
    return st === LOCATE.NOT_TCP ? SKIP_NOT_TCP : SKIP_FRAGMENT;
  }

  /** Bytes of the TCP segment present in the record. */
  captured(rec: RawRecord): number {
    const have = rec.dataOffset + rec.capturedLength - this.loc.tcpOffset;
    return have < this.loc.tcpLength ? have : this.loc.tcpLength;
  }
}

/** The same error with its offset moved by `base` (buffer offset to file offset). Rethrows anything else. */
export function rebased(e: unknown, base: number): TcpWireError {
  if (e instanceof TcpWireError) return base === 0 || e.offset < 0 ? e : new TcpWireError(e.code, e.message, e.offset + base);
  throw e;
}
