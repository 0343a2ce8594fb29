#!/usr/bin/env bash
# Bounded soak test: the exporter under connection churn and fast scrapes, watching RSS and errors.
# See docs/performance.md, "Soak".
#
#   bench/soak.sh [--duration SECONDS] [--connections N] [--interval-ms MS] [--rss-every SECONDS]
#                 [--port PORT] [--out DIR]
#
# Starts bin/ss-exporter --port=PORT (plus $EXPORTER_ARGS) on 127.0.0.1, starts bench/soak/churn.py
# (about N loopback connections, a tenth of them closed and reopened 20 times a second), then for
# --duration seconds (default 600) scrapes /metrics every --interval-ms (default 100) and samples
# the exporter's VmRSS from /proc/PID/status every --rss-every seconds (default 5). It counts
# responses other than 200 (including timeouts and refused connections) and scrapes that report
# ss_exporter_scrape_success 0, and prints a summary: scrapes done, errors, and RSS min/median/max
# over the first minute and over the last minute. Samples go to DIR/rss.csv, failures to
# DIR/errors.log, the exporter's log to DIR/exporter.log.
#
# Exit status: 0 when every scrape answered 200 with ss_exporter_scrape_success 1, 1 otherwise,
# 2 for a bad argument. An EXIT trap stops the exporter and the churn; the churn also ends by
# itself after the duration.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

duration=600
connections=1000
interval_ms=100
rss_every=5
port=18030
out="/tmp/ss-exporter-soak/$(date +%Y%m%d-%H%M%S)"

while (($#)); do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --interval-ms) interval_ms="$2"; shift 2 ;;
    --rss-every) rss_every="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/soak.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
check_int() {  # name value min max
  [[ "$2" =~ ^[0-9]+$ ]] && (($2 >= $3 && $2 <= $4)) \
    || { echo "bench/soak.sh: $1 must be an integer in $3..$4, got '$2'" >&2; exit 2; }
}
check_int --duration "$duration" 10 86400
check_int --connections "$connections" 1 5000
check_int --interval-ms "$interval_ms" 10 60000
check_int --rss-every "$rss_every" 1 3600
check_int --port "$port" 1 65535
for tool in curl python3; do
  command -v "$tool" >/dev/null || { echo "bench/soak.sh: $tool is not installed" >&2; exit 2; }
done

log() { printf 'bench/soak.sh: %s\n' "$*" >&2; }
mkdir -p "$out"
body="$out/last-body.txt"
echo "seconds,rss_kib" > "$out/rss.csv"
: > "$out/errors.log"

exporter_pid=""
churn_pid=""
cleanup() {
  set +e
  if [[ -n "$churn_pid" ]]; then kill "$churn_pid" 2>/dev/null; wait "$churn_pid" 2>/dev/null; fi
  if [[ -n "$exporter_pid" ]]; then kill "$exporter_pid" 2>/dev/null; wait "$exporter_pid" 2>/dev/null; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# bin/ss-exporter builds the jar if it is stale, then execs java: its pid is the JVM's.
# shellcheck disable=SC2086
bin/ss-exporter --port="$port" --listen-address 127.0.0.1 ${EXPORTER_ARGS:-} > "$out/exporter.log" 2>&1 &
exporter_pid=$!
deadline=$(( $(now_ms) + 300000 ))  # a first build may take minutes
until curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$port/health"; do
  if ! kill -0 "$exporter_pid" 2>/dev/null || (( $(now_ms) > deadline )); then
    log "the exporter did not answer /health (see $out/exporter.log)"
    exit 1
  fi
  sleep 0.2
done
log "exporter pid $exporter_pid on port $port; log in $out/exporter.log"

python3 bench/soak/churn.py --connections "$connections" --duration $((duration + 30)) 2> "$out/churn.log" &
churn_pid=$!
sleep 2
kill -0 "$churn_pid" 2>/dev/null || { log "the churn did not start: $(cat "$out/churn.log")"; exit 1; }
log "churning about $connections loopback connections; soaking for $duration s"

start=$(now_ms)
end=$(( start + duration * 1000 ))
next_rss=$start
scrapes=0
non_200=0
failed=0
while :; do
  t0=$(now_ms)
  (( t0 < end )) || break
  if (( t0 >= next_rss )); then
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$exporter_pid/status" 2>/dev/null || true)
    if [[ -z "$rss" ]]; then
      log "the exporter (pid $exporter_pid) is gone; see $out/exporter.log"
      exit 1
    fi
    echo "$(( (t0 - start) / 1000 )),$rss" >> "$out/rss.csv"
    next_rss=$(( next_rss + rss_every * 1000 ))
  fi
  code=$(curl -s -o "$body" -w '%{http_code}' --max-time 10 "http://127.0.0.1:$port/metrics" || true)
  scrapes=$((scrapes + 1))
  if [[ "$code" != "200" ]]; then
    non_200=$((non_200 + 1))
    echo "$(( (t0 - start) / 1000 ))s: HTTP ${code:-none}" >> "$out/errors.log"
  elif grep -qE '^ss_exporter_scrape_success 0(\.0)?$' "$body"; then
    failed=$((failed + 1))
    echo "$(( (t0 - start) / 1000 ))s: ss_exporter_scrape_success 0" >> "$out/errors.log"
  fi
  left=$(( interval_ms - ($(now_ms) - t0) ))
  if (( left > 0 )); then sleep "$(awk -v m="$left" 'BEGIN{printf "%.3f", m/1000}')"; fi
done

last_seen=$(grep -E '^ss_exporter_sockets_seen ' "$body" | awk '{print $2}' || true)
stats() {  # from to: "min/median/max" RSS in MiB of the samples with from <= seconds < to
  awk -F, -v a="$1" -v b="$2" 'NR > 1 && $1 >= a && $1 < b {print $2}' "$out/rss.csv" | sort -n \
    | awk '{v[NR]=$1} END {if (NR == 0) {print "none"; exit}
           printf "%.1f/%.1f/%.1f MiB (%d samples)", v[1]/1024, v[int((NR+1)/2)]/1024, v[NR]/1024, NR}'
}
printf 'soak: %d s, about %d churned connections, scrape every %d ms\n' "$duration" "$connections" "$interval_ms"
printf 'scrapes: %d, non-200: %d, scrape_success 0: %d, sockets_seen at the end: %s\n' \
  "$scrapes" "$non_200" "$failed" "${last_seen:-?}"
printf 'RSS min/median/max, first minute: %s\n' "$(stats 0 60)"
printf 'RSS min/median/max, last minute:  %s\n' "$(stats $((duration - 60)) $((duration + 1)))"
printf 'raw data: %s\n' "$out"
(( non_200 == 0 && failed == 0 ))
