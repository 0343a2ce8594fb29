#!/usr/bin/env python3
"""Captures raw SOCK_DIAG_BY_FAMILY reply messages, as the kernel sends them, to a file.

    bench/capture_sockdiag.py OUTPUT [--per-family 16] [--states-mask 0x2]

Sends the same request as ss-exporter's reader (inet_diag_req_v2, IPPROTO_TCP, idiag_ext =
MEMINFO | INFO | CONG | SKMEMINFO) for AF_INET, then AF_INET6, and writes the first
--per-family SOCK_DIAG_BY_FAMILY messages of each reply, headers included, back to back (each
padded to NLMSG_ALIGN, so the file is itself a valid netlink message stream without NLMSG_DONE).
ss-bench's parse benchmark replicates them into dumps of any size. Run it while
bench/loadgen.sh holds some connections, with --v6 > 0 for IPv6 messages.
"""

import argparse
import socket
import struct
import sys

NETLINK_SOCK_DIAG = 4
SOCK_DIAG_BY_FAMILY = 20
NLMSG_ERROR = 2
NLMSG_DONE = 3
NLM_F_REQUEST = 0x1
NLM_F_DUMP = 0x300
IPPROTO_TCP = 6
# idiag_ext bit (1 << (attr - 1)) for INET_DIAG_MEMINFO=1, INFO=2, CONG=4, SKMEMINFO=7
EXT = (1 << 0) | (1 << 1) | (1 << 3) | (1 << 6)


def align(n):
    return (n + 3) & ~3


def dump(sock, family, states, seq, limit):
    # struct inet_diag_req_v2: family, protocol, ext, pad, states, then a zeroed inet_diag_sockid
    req = struct.pack("=BBBBI", family, IPPROTO_TCP, EXT, 0, states) + bytes(48)
    hdr = struct.pack("=IHHII", 16 + len(req), SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, seq, 0)
    sock.sendto(hdr + req, (0, 0))
    kept = []
    while True:
        data = sock.recv(65536)
        off = 0
        while off + 16 <= len(data):
            length, mtype, _flags, mseq, _pid = struct.unpack_from("=IHHII", data, off)
            if length < 16 or off + length > len(data):
                raise SystemExit(f"capture: malformed reply at offset {off}")
            if mseq == seq:
                if mtype == NLMSG_DONE:
                    return kept
                if mtype == NLMSG_ERROR:
                    (err,) = struct.unpack_from("=i", data, off + 16)
                    if err < 0:
                        raise SystemExit(f"capture: dump failed with errno {-err}")
                elif mtype == SOCK_DIAG_BY_FAMILY and len(kept) < limit:
                    msg = data[off:off + length]
                    kept.append(msg + bytes(align(length) - length))
            off += align(length)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("output")
    ap.add_argument("--per-family", type=int, default=16)
    ap.add_argument("--states-mask", type=lambda s: int(s, 0), default=1 << 1,
                    help="idiag_states (default 0x2: ESTABLISHED)")
    args = ap.parse_args()
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_SOCK_DIAG)
    s.bind((0, 0))
    out = []
    for seq, fam in ((1, socket.AF_INET), (2, socket.AF_INET6)):
        msgs = dump(s, fam, args.states_mask, seq, args.per_family)
        print(f"capture: {len(msgs)} {'AF_INET' if fam == socket.AF_INET else 'AF_INET6'} messages",
              file=sys.stderr)
        out.extend(msgs)
    s.close()
    with open(args.output, "wb") as f:
        f.write(b"".join(out))
    print(f"capture: wrote {sum(map(len, out))} bytes to {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
