"""The Python peer: dpkt decodes the same capture (Ethernet, IPv4, TCP and its
options), reading the fields tcpwire's rows read. Prints one JSON line; `seconds`
is CPU time (user + system), as in the other rows.
Usage: python3 dpkt_decode.py FILE
"""
import json
import sys
import time

import dpkt


def main(path):
    segments = 0
    acc = 0
    t0 = time.process_time()
    w0 = time.perf_counter()
    with open(path, 'rb') as f:
        for _ts, buf in dpkt.pcap.Reader(f):
            eth = dpkt.ethernet.Ethernet(buf)
            ip = eth.data
            if not isinstance(ip, dpkt.ip.IP):
                continue
            tcp = ip.data
            if not isinstance(tcp, dpkt.tcp.TCP):
                continue
            opts = dpkt.tcp.parse_opts(tcp.opts)
            acc += tcp.sport + tcp.dport + ((tcp.seq ^ tcp.ack) & 0xff) + tcp.flags + tcp.win + len(tcp.data) + len(opts)
            segments += 1
    seconds = time.process_time() - t0
    wall = time.perf_counter() - w0
    print(json.dumps({'segments': segments, 'seconds': seconds, 'wallSeconds': wall, 'version': dpkt.__version__, 'sink': acc & 1}))


if __name__ == '__main__':
    main(sys.argv[1])
