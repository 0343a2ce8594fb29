#!/usr/bin/env python3
"""Markdown tables from bench/run.sh's raw samples: medians, p90s and ratios to `ss -tinH`.

    bench/report.py RAW_CSV [RSS_CSV]

RAW_CSV has the columns size,round,measurement,wall_ms,cpu_ms,sockets,bytes; RSS_CSV (optional)
has size,label,value lines. Percentiles are nearest-rank.
"""
import csv, math, os, sys
from collections import defaultdict

def q(values, p):  # nearest-rank percentile
    v = sorted(values)
    return v[max(0, math.ceil(p * len(v)) - 1)]

rows = list(csv.DictReader(open(sys.argv[1])))
by = defaultdict(lambda: defaultdict(list))
order = defaultdict(list)
for r in rows:
    size, name = int(r["size"]), r["measurement"]
    if name not in order[size]:
        order[size].append(name)
    by[size][name].append(r)
rss = {}
rss_path = sys.argv[2] if len(sys.argv) > 2 else ""
if rss_path and os.path.exists(rss_path):
    for line in open(rss_path):
        s, label, v = line.strip().split(",", 2)
        rss.setdefault(int(s), []).append(f"{label}: {v}")
for size in sorted(by):
    base = q([float(r["wall_ms"]) for r in by[size]["ss -tinH"]], 0.5)
    n = len(by[size]["ss -tinH"])
    print(f"### {size} sockets ({n} rounds)\n")
    base_cpu = q([float(r["cpu_ms"]) for r in by[size]["ss -tinH"]], 0.5)
    print("| measurement | median ms | p90 ms | µs/socket | wall vs `ss -tinH` "
          "| median CPU ms | CPU vs `ss -tinH` | notes |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    names = sorted(order[size], key=lambda n: (n != "ss -tinH", order[size].index(n)))
    for name in names:
        rs = by[size][name]
        wall = [float(r["wall_ms"]) for r in rs]
        cpu = [float(r["cpu_ms"]) for r in rs if r["cpu_ms"]]
        med = q(wall, 0.5)
        socks = [int(r["sockets"]) for r in rs if r["sockets"]]
        per = med * 1000 / (q(socks, 0.5) if socks else size)
        notes = []
        if socks:
            notes.append(f"{min(socks)}..{max(socks)} sockets dumped")
        byts = [int(r["bytes"]) for r in rs if r["bytes"]]
        if byts:
            notes.append(f"{q(byts, 0.5)} bytes")
        cpu_med = f"{q(cpu, 0.5):.2f}" if cpu else ""
        cpu_ratio = f"{q(cpu, 0.5) / base_cpu:.2f}" if cpu and base_cpu > 0 else ""
        print(f"| {name} | {med:.2f} | {q(wall, 0.9):.2f} | {per:.2f} | {med / base:.2f} "
              f"| {cpu_med} | {cpu_ratio} | {', '.join(notes)} |")
    if size in rss:
        for note in rss[size]:
            print(f"\n{note}")
    print()
