#!/usr/bin/env bash
# Loopback TCP load for benchmarks: holds N established connections (2N sockets) until a
# deadline or `stop`. See bench/loadgen/loadgen.py for the layout and docs/performance.md.
#
#   bench/loadgen.sh start N [--duration SECONDS] [--ports-from P] [--trickle F] [--v6 F]
#   bench/loadgen.sh status
#   bench/loadgen.sh stop
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Each worker raises its soft fd limit to the hard limit itself; raise ours too for `ss`.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec python3 "$here/loadgen/loadgen.py" "$@"
