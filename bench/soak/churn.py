#!/usr/bin/env python3
"""Loopback connection churn for bench/soak.sh: keeps opening and closing TCP connections.

Usage: churn.py --connections N --duration SECONDS [--rate R]

Listens on 127.0.0.1 (an ephemeral port), then holds about N established connections: every
round it closes a random tenth of them and opens as many new ones, at R rounds per second
(default 20). Each new connection exchanges a few bytes so tcp_info has data segments. Closing
uses SO_LINGER {on, 0}, a reset, so no TIME_WAIT piles up and the socket count stays near 2N.
Exits by itself after --duration seconds, or on SIGTERM; prints one line of totals to stderr.
Only loopback is touched.
"""

import argparse
import random
import signal
import socket
import struct
import sys
import time

LINGER_RESET = struct.pack("ii", 1, 0)


def main():
    p = argparse.ArgumentParser(description="loopback TCP connection churn")
    p.add_argument("--connections", type=int, required=True)
    p.add_argument("--duration", type=float, required=True)
    p.add_argument("--rate", type=float, default=20.0)
    a = p.parse_args()
    if not 1 <= a.connections <= 5000:
        sys.exit("churn.py: --connections must be 1..5000")
    if not 0 < a.duration <= 24 * 3600:
        sys.exit("churn.py: --duration must be in (0, 86400] seconds")

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1024)
    addr = listener.getsockname()
    pairs = []
    opened = closed = 0

    def open_one():
        c = socket.create_connection(addr, timeout=5)
        s, _ = listener.accept()
        for x in (c, s):
            x.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LINGER_RESET)
        c.sendall(b"q" * 64)
        s.recv(64)
        s.sendall(b"r" * 256)
        c.recv(256)
        pairs.append((c, s))

    def close_one(i):
        c, s = pairs.pop(i)
        c.close()
        s.close()

    end = time.monotonic() + a.duration
    while len(pairs) < a.connections:
        open_one()
        opened += 1
    per_round = max(1, a.connections // 10)
    period = 1.0 / a.rate
    while not stop and time.monotonic() < end:
        t0 = time.monotonic()
        for _ in range(per_round):
            close_one(random.randrange(len(pairs)))
            closed += 1
        for _ in range(per_round):
            open_one()
            opened += 1
        time.sleep(max(0.0, period - (time.monotonic() - t0)))
    while pairs:
        close_one(len(pairs) - 1)
        closed += 1
    listener.close()
    print(f"churn.py: opened {opened}, closed {closed} connections", file=sys.stderr)


if __name__ == "__main__":
    main()
