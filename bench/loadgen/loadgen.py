#!/usr/bin/env python3
"""Holds N established loopback TCP connections for benchmarks, then exits by itself.

Usage (normally through bench/loadgen.sh):

    loadgen.py start N [--duration SECONDS] [--ports-from P] [--per-process K]
                       [--trickle FRACTION] [--v6 FRACTION]
    loadgen.py stop
    loadgen.py status

Layout. One connection is two sockets (client and server side) and the hard fd limit here is
20,000 per process, so the N connections are spread over W worker processes, each holding both
ends of at most K connections (default 8,000, i.e. 16,000 fds plus a few listeners). Worker w
listens on 127.77.w.1 .. 127.77.w.L (one address per 2,000 connections, all on port P) and its
clients bind 127.78.w.l with IP_BIND_ADDRESS_NO_PORT, so the kernel picks the source port per
4-tuple and no address pair needs more than 2,000 ephemeral ports. With --v6, that fraction of
the connections goes to [::1] on ports P+1+10w+j instead (one port per 2,000 connections).

Every connection exchanges a request (64 bytes) and a reply (256 bytes), so tcp_info's
data_segs_in/out are non-zero on both sides. A --trickle fraction keeps sending 16 bytes per
second per connection, echoed back, so some sockets have moving counters and non-empty queues
now and then.

Every socket has SO_LINGER {on, 0}: closing (or a SIGKILL) resets the connection, so nothing
lingers in TIME_WAIT to disturb the next measurement.

`start` returns once every worker has reported all its connections established and `ss` has
confirmed the count; the workers keep running detached until --duration has passed or `stop`
sends them SIGTERM. State (pids, parameters, worker logs) lives in $LOADGEN_STATE_DIR (default
/tmp/ss-exporter-loadgen). Only loopback is ever touched. No sysctl is changed: the default
ephemeral range and somaxconn suffice because every connection is accepted right after its
connect and no address pair carries more than 2,000 connections.
"""

import argparse
import json
import math
import os
import resource
import selectors
import signal
import socket
import struct
import subprocess
import sys
import time

STATE_DIR = os.environ.get("LOADGEN_STATE_DIR", "/tmp/ss-exporter-loadgen")
STATE_FILE = os.path.join(STATE_DIR, "state.json")

MAX_CONNECTIONS = 50_000
MAX_DURATION = 4 * 3600
PER_ADDRESS = 2_000
FD_RESERVE = 64
REQUEST = b"Q" * 64
REPLY = b"R" * 256
TRICKLE = b"t" * 16
SERVER_NET = "127.77"
CLIENT_NET = "127.78"
IP_BIND_ADDRESS_NO_PORT = getattr(socket, "IP_BIND_ADDRESS_NO_PORT", 24)
LINGER_RESET = struct.pack("ii", 1, 0)


def log(msg):
    print(f"loadgen: {msg}", file=sys.stderr, flush=True)


def raise_fd_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def plan(n, per_process, ports_from, v6_fraction):
    """Splits n connections into workers; returns one dict of parameters per worker."""
    workers = max(1, math.ceil(n / per_process))
    base, extra = divmod(n, workers)
    specs = []
    for w in range(workers):
        count = base + (1 if w < extra else 0)
        v6 = round(count * v6_fraction)
        specs.append({"index": w, "count": count, "v6": v6, "port": ports_from})
    return specs


def v4_endpoints(w, count):
    """(server address, client address) per IPv4 connection of worker w, 2,000 per pair."""
    pairs = math.ceil(count / PER_ADDRESS)
    if pairs > 254:
        raise ValueError(f"worker {w}: {count} connections need more than 254 addresses")
    return [(f"{SERVER_NET}.{w}.{l + 1}", f"{CLIENT_NET}.{w}.{l + 1}") for l in range(pairs)]


def v6_ports(w, count, port):
    ports = math.ceil(count / PER_ADDRESS)
    if ports > 10:
        raise ValueError(f"worker {w}: {count} IPv6 connections need more than 10 ports")
    return [port + 1 + 10 * w + j for j in range(ports)]


# ---------------------------------------------------------------------------------------------
# Worker: holds both ends of its connections.


class Worker:
    def __init__(self, spec, deadline, trickle):
        self.spec = spec
        self.deadline = deadline
        self.trickle = trickle
        self.listeners = []
        self.clients = []
        self.servers = []
        self.stop = False

    def on_signal(self, signum, _frame):
        self.stop = True

    def listen(self, family, addr, port):
        s = socket.socket(family, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((addr, port))
        s.listen(4096)
        s.settimeout(10)
        self.listeners.append(s)
        return s

    def connect_one(self, family, listener, src, dst, port):
        c = socket.socket(family, socket.SOCK_STREAM)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LINGER_RESET)
        c.settimeout(10)
        if src is not None:
            c.setsockopt(socket.IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, 1)
            c.bind((src, 0))
        c.connect((dst, port))
        s, _ = listener.accept()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LINGER_RESET)
        s.settimeout(10)
        self.clients.append(c)
        self.servers.append(s)
        c.sendall(REQUEST)
        recv_exactly(s, len(REQUEST))
        s.sendall(REPLY)
        recv_exactly(c, len(REPLY))

    def establish(self):
        w, count, v6, port = (self.spec[k] for k in ("index", "count", "v6", "port"))
        v4 = count - v6
        if v4 > 0:
            pairs = v4_endpoints(w, v4)
            ls = [self.listen(socket.AF_INET, srv, port) for srv, _ in pairs]
            for i in range(v4):
                p = i % len(pairs)
                self.connect_one(socket.AF_INET, ls[p], pairs[p][1], pairs[p][0], port)
                if self.stop or time.monotonic() > self.deadline:
                    raise TimeoutError("stopped while establishing")
        if v6 > 0:
            ports = v6_ports(w, v6, port)
            ls = [self.listen(socket.AF_INET6, "::1", p) for p in ports]
            for i in range(v6):
                j = i % len(ports)
                self.connect_one(socket.AF_INET6, ls[j], None, "::1", ports[j])
                if self.stop or time.monotonic() > self.deadline:
                    raise TimeoutError("stopped while establishing")

    def hold(self):
        n = len(self.clients)
        k = int(round(n * self.trickle))
        step = max(1, n // k) if k else 0
        chosen = list(range(0, n, step))[:k] if k else []
        sel = selectors.DefaultSelector()
        for i in chosen:
            for s in (self.clients[i], self.servers[i]):
                s.setblocking(False)
            sel.register(self.servers[i], selectors.EVENT_READ, "server")
            sel.register(self.clients[i], selectors.EVENT_READ, "client")
        next_tick = time.monotonic()
        while not self.stop:
            now = time.monotonic()
            if now >= self.deadline:
                break
            if chosen and now >= next_tick:
                for i in chosen:
                    try:
                        self.clients[i].send(TRICKLE)
                    except (BlockingIOError, InterruptedError):
                        pass
                next_tick = now + 1.0
            timeout = min(1.0, max(0.0, self.deadline - now))
            if chosen:
                timeout = min(timeout, max(0.0, next_tick - now))
                for key, _ in sel.select(timeout):
                    try:
                        data = key.fileobj.recv(65536)
                        if data and key.data == "server":
                            key.fileobj.send(data)
                    except (BlockingIOError, InterruptedError):
                        pass
            else:
                time.sleep(timeout)
        sel.close()

    def close(self):
        for s in self.clients + self.servers + self.listeners:
            try:
                s.close()
            except OSError:
                pass


def recv_exactly(sock, n):
    got = 0
    while got < n:
        chunk = sock.recv(n - got)
        if not chunk:
            raise ConnectionError("peer closed during the handshake exchange")
        got += len(chunk)


def run_worker(args):
    spec = json.loads(args.spec)
    hard = raise_fd_limit()
    need = 2 * spec["count"] + FD_RESERVE
    if need > hard:
        print(f"FAIL worker {spec['index']}: needs {need} fds, hard limit is {hard}", flush=True)
        return 1
    worker = Worker(spec, args.deadline_monotonic, args.trickle)
    signal.signal(signal.SIGTERM, worker.on_signal)
    signal.signal(signal.SIGINT, worker.on_signal)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        t0 = time.monotonic()
        worker.establish()
        elapsed = time.monotonic() - t0
        print(f"READY {os.getpid()} {len(worker.clients)} {elapsed:.2f}", flush=True)
        sys.stdout.close()
        log(f"worker {spec['index']} pid {os.getpid()}: {len(worker.clients)} connections "
            f"in {elapsed:.2f}s, holding")
        worker.hold()
        log(f"worker {spec['index']}: {'stopped' if worker.stop else 'deadline reached'}, closing")
        return 0
    except Exception as e:  # report any failure to the parent, which is waiting for a line
        try:
            print(f"FAIL worker {spec['index']}: {type(e).__name__}: {e}", flush=True)
        except (ValueError, OSError):
            log(f"worker {spec['index']} failed: {type(e).__name__}: {e}")
        return 1
    finally:
        worker.close()


# ---------------------------------------------------------------------------------------------
# Control: start, stop, status.


def read_state():
    try:
        with open(STATE_FILE) as f:
            return json.load(f)
    except FileNotFoundError:
        return None


def is_our_worker(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            argv = f.read().split(b"\0")
    except OSError:
        return False
    return any(a.endswith(b"loadgen.py") for a in argv) and b"worker" in argv


def live_pids(state):
    return [p for p in (state or {}).get("pids", []) if is_our_worker(p)]


def count_established(state):
    """(ours, total): established sockets ss sees, ours by our addresses and IPv6 ports."""
    out = subprocess.run(["ss", "-tnH", "state", "established"], check=True,
                         capture_output=True, text=True).stdout
    v6ports = set()
    for spec in state["workers"]:
        if spec["v6"]:
            v6ports.update(str(p) for p in v6_ports(spec["index"], spec["v6"], spec["port"]))
    ours = total = 0
    for line in out.splitlines():
        cols = line.split()
        if len(cols) < 4:
            continue
        total += 1
        local, peer = cols[-2], cols[-1]
        lhost, _, lport = local.rpartition(":")
        phost, _, pport = peer.rpartition(":")
        if lhost.startswith((SERVER_NET + ".", CLIENT_NET + ".")):
            ours += 1
        elif lhost == "[::1]" and (lport in v6ports or pport in v6ports):
            ours += 1
    return ours, total


def cmd_start(args):
    if not 1 <= args.n <= MAX_CONNECTIONS:
        sys.exit(f"loadgen: N must be 1..{MAX_CONNECTIONS} connections, got {args.n}")
    if not 1 <= args.duration <= MAX_DURATION:
        sys.exit(f"loadgen: --duration must be 1..{MAX_DURATION} seconds, got {args.duration}")
    if not 0.0 <= args.trickle <= 1.0 or not 0.0 <= args.v6 <= 1.0:
        sys.exit("loadgen: --trickle and --v6 are fractions in 0..1")
    if not 1024 <= args.ports_from <= 65535 - 100:
        sys.exit(f"loadgen: --ports-from must be 1024..65435, got {args.ports_from}")
    old = read_state()
    if live_pids(old):
        sys.exit(f"loadgen: already running (pids {live_pids(old)}); run `loadgen.sh stop` first")
    hard = raise_fd_limit()
    per_process = min(args.per_process, (hard - FD_RESERVE) // 2)
    if per_process < 1:
        sys.exit(f"loadgen: fd hard limit {hard} is too low")
    check_sysctls(args.n)

    os.makedirs(STATE_DIR, exist_ok=True)
    specs = plan(args.n, per_process, args.ports_from, args.v6)
    deadline_wall = time.time() + args.duration
    deadline_mono = time.monotonic() + args.duration
    procs = []
    t0 = time.monotonic()
    for spec in specs:
        logf = open(os.path.join(STATE_DIR, f"worker-{spec['index']}.log"), "w")
        procs.append(subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "worker", "--spec", json.dumps(spec),
             "--deadline-monotonic", repr(deadline_mono), "--trickle", repr(args.trickle)],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=logf, text=True,
            start_new_session=True))
        logf.close()
    state = {"pids": [p.pid for p in procs], "n": args.n, "workers": specs,
             "deadline_epoch": deadline_wall, "started_epoch": time.time()}
    with open(STATE_FILE, "w") as f:
        json.dump(state, f)

    failures = []
    for p, spec in zip(procs, specs):
        line = p.stdout.readline().strip()  # the worker's own deadline bounds this wait
        if not line.startswith("READY"):
            failures.append(line or f"worker {spec['index']} exited with {p.poll()}")
    if failures:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            p.wait(timeout=30)
        os.unlink(STATE_FILE)
        sys.exit("loadgen: start failed: " + "; ".join(failures))
    elapsed = time.monotonic() - t0

    ours, total = count_established(state)
    expected = 2 * args.n
    status = "ready" if ours == expected else "MISMATCH"
    print(f"loadgen: {status}: {args.n} connections in {len(procs)} processes "
          f"({elapsed:.1f}s); ss counts {ours}/{expected} of our sockets established, "
          f"{total} established in total; exits by itself in {args.duration}s "
          f"(pids {' '.join(str(p.pid) for p in procs)})", flush=True)
    return 0 if ours == expected else 1


def check_sysctls(n):
    """Reports (never changes) kernel limits that would bite at this size."""
    def read(path):
        try:
            with open(path) as f:
                return f.read().split()
        except OSError:
            return None
    file_max = read("/proc/sys/fs/file-max")
    if file_max and int(file_max[0]) < 2 * n + 10_000:
        log(f"warning: fs.file-max {file_max[0]} is below the {2 * n} sockets asked for")
    conntrack = read("/proc/sys/net/netfilter/nf_conntrack_max")
    if conntrack and int(conntrack[0]) < n + 10_000:
        log(f"warning: net.netfilter.nf_conntrack_max {conntrack[0]} may drop new connections "
            f"if loopback traffic is tracked")


def cmd_stop(_args):
    state = read_state()
    pids = live_pids(state)
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(is_our_worker(p) for p in pids):
        time.sleep(0.1)
    killed = [p for p in pids if is_our_worker(p)]
    for pid in killed:
        os.kill(pid, signal.SIGKILL)
    if state is not None:
        os.unlink(STATE_FILE)
        # Connections are reset on close; give the kernel a moment, then check.
        time.sleep(0.2)
        ours, _ = count_established(state)
        print(f"loadgen: stopped {len(pids)} processes"
              + (f" ({len(killed)} needed SIGKILL)" if killed else "")
              + f"; {ours} of our sockets still established", flush=True)
    else:
        print("loadgen: not running", flush=True)
    return 0


def cmd_status(_args):
    state = read_state()
    pids = live_pids(state)
    if not pids:
        print("loadgen: not running")
        return 1
    ours, total = count_established(state)
    left = state["deadline_epoch"] - time.time()
    print(f"loadgen: running {len(pids)} processes, {state['n']} connections asked, "
          f"{ours} of our sockets established ({total} in total), {left:.0f}s left")
    return 0


def main():
    ap = argparse.ArgumentParser(prog="loadgen", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    st = sub.add_parser("start", help="establish N connections and return; workers stay")
    st.add_argument("n", type=int, help=f"connections (two sockets each), 1..{MAX_CONNECTIONS}")
    st.add_argument("--duration", type=int, default=900, help="seconds to hold (default 900)")
    st.add_argument("--ports-from", type=int, default=20000,
                    help="listen port; IPv6 listeners use the next ports (default 20000)")
    st.add_argument("--per-process", type=int, default=8000,
                    help="connections per worker process (default 8000 = 16000 fds)")
    st.add_argument("--trickle", type=float, default=0.01,
                    help="fraction of connections that keep sending 16 B/s (default 0.01)")
    st.add_argument("--v6", type=float, default=0.0,
                    help="fraction of connections over [::1] (default 0)")
    sub.add_parser("stop", help="SIGTERM the workers, SIGKILL after 15 s")
    sub.add_parser("status", help="show whether workers run and what ss sees")
    wk = sub.add_parser("worker", help=argparse.SUPPRESS)
    wk.add_argument("--spec", required=True)
    wk.add_argument("--deadline-monotonic", type=float, required=True)
    wk.add_argument("--trickle", type=float, default=0.0)
    args = ap.parse_args()
    return {"start": cmd_start, "stop": cmd_stop, "status": cmd_status,
            "worker": run_worker}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
