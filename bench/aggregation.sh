#!/usr/bin/env bash
# Aggregation mode against per-flow on the same sockets: two exporters side by side, one with
# the defaults, one with the per-flow gauges and counters off and the service aggregates on,
# scraped alternately ROUNDS times. Prints per exporter the median scrape wall time (curl), the
# process CPU per scrape (/proc/PID/stat), and the series and bytes of the last scrape.
# See docs/performance.md, "Aggregation mode".
#
#   bench/loadgen.sh start 50000     # first: 100,000 sockets
#   bench/aggregation.sh [ROUNDS]    # default 10
#
# Needs ss-cli/target/ss-exporter.jar; an EXIT trap stops the two exporters.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rounds=${1:-10}
java="$(bench/java.sh --print-path)"
jar=ss-cli/target/ss-exporter.jar
[[ -f "$jar" ]] || { echo "missing $jar; build it with mvn -B -q package -DskipTests" >&2; exit 1; }
work="$(mktemp -d /tmp/ss-exporter-aggregation.XXXXXX)"
# bin/ss-exporter's JVM settings
opts=(-XX:+UseSerialGC -Xms8m -Xmx128m -XX:+UseCompactObjectHeaders -XX:CICompilerCount=2
      -XX:+ExitOnOutOfMemoryError)
names=(per-flow aggregation)
ports=(18101 18102)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT

echo "# the defaults" > "$work/per-flow.yml"
cat > "$work/aggregation.yml" <<'YAML'
logic:
  metrics: {gauges: {active: false}, counters: {active: false}}
  aggregation:
    services: {active: true, peerGroups: {loopback: ["127.0.0.0/8", "::1/128"]}}
YAML

for i in 0 1; do
  "$java" "${opts[@]}" -jar "$jar" --port="${ports[$i]}" --listen-address=127.0.0.1 \
    --config="$work/${names[$i]}.yml" > "$work/${names[$i]}.log" 2>&1 &
  pids+=($!)
done
for i in 0 1; do
  for _ in $(seq 150); do
    curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:${ports[$i]}/health" && continue 2
    sleep 0.2
  done
  echo "exporter ${names[$i]} did not start:" >&2; cat "$work/${names[$i]}.log" >&2; exit 1
done

echo "sockets: $(ss -tanH | wc -l) (ss -tanH), load average $(cut -d' ' -f1-3 /proc/loadavg)"
for i in 0 1; do  # warm-up
  for _ in 1 2 3; do
    curl -sf -o /dev/null --max-time 300 "http://127.0.0.1:${ports[$i]}/metrics" \
      || { echo "scrape of ${names[$i]} failed:" >&2; tail -n 20 "$work/${names[$i]}.log" >&2; exit 1; }
  done
done
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # utime + stime, clock ticks
for r in $(seq "$rounds"); do
  for i in 0 1; do
    c0=$(cpu "${pids[$i]}")
    t=$(curl -s -o "$work/out-$i" --max-time 300 -w '%{time_total}' "http://127.0.0.1:${ports[$i]}/metrics")
    c1=$(cpu "${pids[$i]}")
    echo "${names[$i]} $r $t $((c1 - c0))" >> "$work/rounds"
  done
done
hz=$(getconf CLK_TCK)
for i in 0 1; do
  median=$(awk -v n="${names[$i]}" '$1 == n {print $3}' "$work/rounds" | sort -n \
    | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)] * 1000}')
  cpums=$(awk -v n="${names[$i]}" -v hz="$hz" '$1 == n {c += $4; k++} END {printf "%.0f", c * 1000 / hz / k}' \
    "$work/rounds")
  printf '%-12s median wall %6.0f ms  CPU %6s ms/scrape  %7d series  %9d bytes\n' "${names[$i]}" "$median" \
    "$cpums" "$(grep -vc '^#' "$work/out-$i")" "$(wc -c < "$work/out-$i")"
done
echo "per round (name round wall_s cpu_ticks):"; cat "$work/rounds"
