#!/usr/bin/env bash
# The cost of each extra network namespace: scrape time of the exporter reading 1, 10 and 50
# namespaces (the host plus N-1 empty ones made with ip netns add, lo up, no sockets), and what
# opening a reader inside a namespace costs. See docs/performance.md, "Network namespaces".
#
#   bench/netns.sh [--counts "1 10 50"] [--scrapes 30] [--open-rounds 200] [--port 18040]
#
# Needs root (ip netns add, setns) and the jar ss-cli/target/ss-exporter.jar. The namespaces are
# named ssx-bench-PID-I and deleted by an EXIT trap, as is the exporter.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

counts="1 10 50"
scrapes=30
open_rounds=200
port=18040
while (($#)); do
  case "$1" in
    --counts) counts="$2"; shift 2 ;;
    --scrapes) scrapes="$2"; shift 2 ;;
    --open-rounds) open_rounds="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    *) echo "bench/netns.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
log() { printf 'bench/netns.sh: %s\n' "$*" >&2; }
jar="ss-cli/target/ss-exporter.jar"
[[ -f "$jar" ]] || { log "missing $jar; build it with mvn -B -q -pl ss-cli -am package -DskipTests"; exit 1; }
java="$(bench/java.sh --print-path)"
work="$(mktemp -d)"
made=()
exporter=""
cleanup() {
  [[ -n "$exporter" ]] && kill "$exporter" 2>/dev/null && wait "$exporter" 2>/dev/null || true
  for n in "${made[@]}"; do ip netns del "$n" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

max=0
for c in $counts; do ((c > max)) && max=$c; done
for ((i = 1; i < max; i++)); do
  n="ssx-bench-$$-$i"
  ip netns add "$n"
  made+=("$n")
  ip netns exec "$n" ip link set lo up
done

median() { sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

printf '%-12s %-22s %-22s %-14s\n' namespaces "scrape, curl (ms)" "scrape_duration (ms)" "start (ms)"
for c in $counts; do
  cfg="$work/c$c.yml"
  if ((c == 1)); then
    echo "logic: {}" > "$cfg"
  else
    { echo "logic:"; echo "  namespaces:"; echo "    - host"
      for ((i = 1; i < c; i++)); do echo "    - /var/run/netns/ssx-bench-$$-$i"; done; } > "$cfg"
  fi
  t0=$(date +%s%N)
  "$java" --enable-native-access=ALL-UNNAMED -jar "$jar" --port "$port" --listen-address 127.0.0.1 \
      --config "$cfg" 2>"$work/c$c.log" &
  exporter=$!
  until curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1; do
    kill -0 "$exporter" 2>/dev/null || { cat "$work/c$c.log" >&2; exit 1; }
    sleep 0.005
  done
  start_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  for _ in 1 2 3 4 5; do curl -fs "http://127.0.0.1:$port/metrics" >/dev/null; done
  : > "$work/curl" ; : > "$work/self"
  for ((s = 0; s < scrapes; s++)); do
    curl -fs -o "$work/scrape" -w '%{time_total}\n' "http://127.0.0.1:$port/metrics" >> "$work/curl"
    grep '^ss_exporter_scrape_duration_seconds ' "$work/scrape" | awk '{print $2}' >> "$work/self"
  done
  got=$(grep -c '^ss_exporter_netns_scrape_success{.*} 1' "$work/scrape" || true)
  ((c == 1 || got == c)) || { log "expected $c namespaces read, the last scrape shows $got"; exit 1; }
  printf '%-12s %-22s %-22s %-14s\n' "$c" "$(median < "$work/curl" | awk '{printf "%.2f", $1*1000}')" \
      "$(median < "$work/self" | awk '{printf "%.2f", $1*1000}')" "$start_ms"
  kill "$exporter"; wait "$exporter" 2>/dev/null || true; exporter=""
done

echo
echo "Opening readers ($open_rounds rounds over ${made[0]:-no namespace}):"
"$java" --enable-native-access=ALL-UNNAMED -cp "$jar" bench/NetnsOpenCost.java "$open_rounds" \
    "/var/run/netns/${made[0]}"
