#!/usr/bin/env bash
# Benchmark runner: for each socket count, starts the loopback load (bench/loadgen.sh), then
# measures R rounds, alternating every measurement inside each round, and prints Markdown tables
# of medians and p90s with ratios to `ss -tinH`. See docs/performance.md.
#
#   bench/run.sh [--sizes "20000 100000"] [--rounds 10] [--warmup 20] [--no-build]
#                [--no-ss-p] [--install-node-exporter] [--port 18020] [--out DIR]
#
# Measurements, each switched on when what it needs exists (a skipped part says why):
#   ss            `ss -tinH > /dev/null`, `ss -tinHp > /dev/null` (always; -p unless --no-ss-p)
#   in-JVM dump   SockDiagReader dump + parse, in one warm JVM (dev.ssexporter.bench.DumpLoop
#                 from ss-bench/target/benchmarks.jar, built with -Pbench unless --no-build)
#   CLI dump      `bin/ss-exporter dump --json > /dev/null`, a whole JVM start each time
#   exporter      `bin/ss-exporter --port=P` (plus $EXPORTER_ARGS): /metrics scrape wall time with
#                 and without gzip, exporter CPU per scrape (/proc/PID/stat), peak RSS (VmHWM)
#   node_exporter `prometheus-node-exporter --collector.disable-defaults --collector.tcpstat`
#                 scrape (installed with apt-get when --install-node-exporter is given)
#
# Everything is bounded: the load generator exits by itself after --hold seconds, every wait has
# a timeout, and an EXIT trap stops whatever this script started.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$PWD"

sizes="20000 100000"
rounds=10
warmup=20
build=1
ss_p=1
install_node=0
port=18020
node_port=18021
hold=1800
out="/tmp/ss-exporter-bench/$(date +%Y%m%d-%H%M%S)"

while (($#)); do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --no-ss-p) ss_p=0; shift ;;
    --install-node-exporter) install_node=1; shift ;;
    --port) port="$2"; node_port=$((port + 1)); shift 2 ;;
    --hold) hold="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$rounds" =~ ^[0-9]+$ ]] && ((rounds >= 1 && rounds <= 1000)) \
  || { echo "bench/run.sh: --rounds must be 1..1000" >&2; exit 2; }
for s in $sizes; do
  [[ "$s" =~ ^[0-9]+$ ]] && ((s >= 2 && s <= 100000 && s % 2 == 0)) \
    || { echo "bench/run.sh: sizes are even socket counts 2..100000, got $s" >&2; exit 2; }
done

log() { printf 'bench/run.sh: %s\n' "$*" >&2; }
mkdir -p "$out"
raw="$out/raw.csv"
echo "size,round,measurement,wall_ms,cpu_ms,sockets,bytes" > "$raw"
record() { echo "$1,$2,$3,$4,$5,$6,$7" >> "$raw"; }
ulimit -n "$(ulimit -Hn)"
clk_tck="$(getconf CLK_TCK)"

# --- cleanup ---------------------------------------------------------------------------------
exporter_pid=""
node_pid=""
loop_pid=""
cleanup() {
  set +e
  if [[ -n "$loop_pid" ]]; then kill "$loop_pid" 2>/dev/null; wait "$loop_pid" 2>/dev/null; fi
  stop_exporter
  if [[ -n "$node_pid" ]]; then kill "$node_pid" 2>/dev/null; wait "$node_pid" 2>/dev/null; fi
  bench/loadgen.sh stop >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- what can be measured --------------------------------------------------------------------
java="$(bench/java.sh --print-path)"
bench_jar="ss-bench/target/benchmarks.jar"
have_reader=0
[[ -f ss-netlink/src/main/java/dev/ssexporter/netlink/SockDiagReader.java ]] && have_reader=1
if ((have_reader && build)); then
  log "building ss-bench (mvn -B -q -Pbench -pl ss-bench -am package -Dmaven.test.skip=true)"
  if ! mvn -B -q -Pbench -pl ss-bench -am package -Dmaven.test.skip=true > "$out/build.log" 2>&1; then
    log "ss-bench build failed (see $out/build.log); in-JVM dump skipped"
    have_reader=0
  fi
fi
have_loop=0
if ((have_reader)) && [[ -f "$bench_jar" ]] \
   && unzip -l "$bench_jar" 'dev/ssexporter/bench/DumpLoop.class' > /dev/null 2>&1; then
  have_loop=1
else
  log "in-JVM dump: skipped (needs SockDiagReader and $bench_jar with DumpLoop)"
fi

have_cli=0
cli_jar="ss-cli/target/ss-exporter.jar"
if [[ -x bin/ss-exporter && -f "$cli_jar" ]] \
   && timeout 60 bin/ss-exporter dump --json > /dev/null 2>"$out/cli-probe.log"; then
  have_cli=1
else
  log "CLI dump and exporter: skipped (needs bin/ss-exporter, $cli_jar and a working 'dump --json')"
fi

have_node=0
node_bin="$(command -v prometheus-node-exporter || true)"
if [[ -z "$node_bin" && "$install_node" == 1 ]]; then
  log "installing prometheus-node-exporter with apt-get"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends prometheus-node-exporter > /dev/null
  # Debian starts the packaged service on :9100; we run our own instance on loopback only.
  systemctl disable --now prometheus-node-exporter > /dev/null 2>&1 || true
  node_bin="$(command -v prometheus-node-exporter || true)"
fi
[[ -n "$node_bin" ]] && have_node=1 \
  || log "node_exporter: skipped (not installed; pass --install-node-exporter)"

# --- helpers -----------------------------------------------------------------------------------
wait_http() {  # url timeout_s: until it answers 200
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    curl -fs -o /dev/null --max-time 2 "$1" && return 0
    sleep 0.1
  done
  return 1
}

proc_cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

java_pid_of() {  # bin/ss-exporter may exec java or run it as a child
  local p="$1" c
  if [[ "$(cat "/proc/$p/comm" 2>/dev/null)" == java ]]; then echo "$p"; return; fi
  for c in $(pgrep -P "$p"); do
    [[ "$(cat "/proc/$c/comm" 2>/dev/null)" == java ]] && { echo "$c"; return; }
  done
  echo "$p"
}

start_exporter() {
  # shellcheck disable=SC2086
  bin/ss-exporter --port="$port" ${EXPORTER_ARGS:-} > "$out/exporter-$1.log" 2>&1 &
  exporter_pid=$!
  if ! wait_http "http://127.0.0.1:$port/health" 60; then
    log "exporter did not answer /health within 60 s (see $out/exporter-$1.log); skipped"
    stop_exporter
    return 1
  fi
  exporter_jpid="$(java_pid_of "$exporter_pid")"
}

stop_exporter() {
  if [[ -n "$exporter_pid" ]]; then
    kill "$exporter_pid" 2>/dev/null || true
    if [[ -n "${exporter_jpid:-}" && "$exporter_jpid" != "$exporter_pid" ]]; then
      kill "$exporter_jpid" 2>/dev/null || true
    fi
    wait "$exporter_pid" 2>/dev/null || true  # a killed child's status is not a failure
    exporter_pid=""
    exporter_jpid=""
  fi
}

time_cmd() {  # size round name cmd...: wall and user+sys CPU of one command, in ms
  local size="$1" round="$2" name="$3" t r u s
  shift 3
  t="$( { TIMEFORMAT='%3R %3U %3S'; time "$@" > /dev/null 2>&1; } 2>&1 )"
  read -r r u s <<< "$t"
  record "$size" "$round" "$name" "$(awk -v x="$r" 'BEGIN{printf "%.3f", x*1000}')" \
    "$(awk -v x="$u" -v y="$s" 'BEGIN{printf "%.3f", (x+y)*1000}')" "" ""
}

scrape() {  # size round name url curl-args...: wall (curl time_total), exporter CPU delta
  local size="$1" round="$2" name="$3" url="$4" pid="$5" c0 c1 res
  shift 5
  c0="$(proc_cpu_ticks "$pid")"
  res="$(curl -s -o /dev/null --max-time 120 -w '%{time_total} %{size_download} %{http_code}' "$@" "$url")" || true
  c1="$(proc_cpu_ticks "$pid")"
  read -r t bytes code <<< "$res"
  if [[ "$code" != 200 ]]; then  # not recorded: a failed scrape has no latency to compare
    log "size $size round $round: $name failed (HTTP ${code:-none}); process $pid $(kill -0 "$pid" 2>/dev/null && echo alive || echo gone)"
    return 0
  fi
  record "$size" "$round" "$name" "$(awk -v x="$t" 'BEGIN{printf "%.3f", x*1000}')" \
    "$(awk -v a="$c0" -v b="$c1" -v h="$clk_tck" 'BEGIN{printf "%.1f", (b-a)*1000/h}')" "" "$bytes"
}

# --- node_exporter (one instance for the whole run) -------------------------------------------
if ((have_node)); then
  "$node_bin" --collector.disable-defaults --collector.tcpstat \
    --web.listen-address="127.0.0.1:$node_port" > "$out/node-exporter.log" 2>&1 &
  node_pid=$!
  if ! wait_http "http://127.0.0.1:$node_port/metrics" 30; then
    log "node_exporter did not start (see $out/node-exporter.log); skipped"
    kill "$node_pid" 2>/dev/null || true
    node_pid=""
    have_node=0
  fi
fi

# --- the run -----------------------------------------------------------------------------------
{
  echo "# ss-exporter benchmark run $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpus=$(nproc) kernel=$(uname -r) ss=\"$(ss -V)\""
  echo "java=$java ($("$java" -version 2>&1 | head -n1))"
  echo "commit=$(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet 2>/dev/null || echo ' (working tree has changes)')"
  echo "rounds=$rounds warmup=$warmup sizes=\"$sizes\""
  echo "loadavg at start: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews wall times)"
} | tee "$out/machine.txt" >&2

for size in $sizes; do
  conns=$((size / 2))
  log "size $size: starting $conns loopback connections"
  bench/loadgen.sh start "$conns" --duration "$hold" | tee -a "$out/loadgen.log" >&2
  sockets="$(ss -tnH | wc -l)"
  log "size $size: ss sees $sockets TCP sockets (non-listening)"

  if ((have_loop)); then
    coproc DUMPLOOP { "$java" --enable-native-access=ALL-UNNAMED -cp "$bench_jar" \
                        dev.ssexporter.bench.DumpLoop --serve 2> "$out/dumploop-$size.log"; }
    loop_pid=$DUMPLOOP_PID
    echo "warmup $warmup" >&"${DUMPLOOP[1]}"
    read -r -t 600 ack <&"${DUMPLOOP[0]}" || { log "DumpLoop did not answer warmup"; exit 1; }
    [[ "$ack" == ok* ]] || { log "DumpLoop warmup: $ack"; exit 1; }
  fi
  exporter_on=0
  if ((have_cli)) && start_exporter "$size"; then
    exporter_on=1
    for _ in 1 2 3; do curl -s -o /dev/null --max-time 120 "http://127.0.0.1:$port/metrics" || true; done
    if ! kill -0 "$exporter_jpid" 2>/dev/null; then
      log "size $size: the exporter exited during warm-up scrapes (see $out/exporter-$size.log); scrapes skipped"
      echo "$size,exporter,exited during warm-up: $(tail -n1 "$out/exporter-$size.log")" >> "$out/rss.csv"
      stop_exporter
      exporter_on=0
    fi
  fi

  steps=(ss)
  ((ss_p)) && steps+=(ss_p)
  ((have_loop)) && steps+=(jvm)
  ((have_cli)) && steps+=(cli)
  ((exporter_on)) && steps+=(scrape scrape_gzip)
  ((have_node)) && steps+=(node)

  for ((r = 1; r <= rounds; r++)); do
    # Rotate the order each round so no measurement always runs right after another.
    n=${#steps[@]}
    for ((k = 0; k < n; k++)); do
      step="${steps[$(((k + r) % n))]}"
      case "$step" in
        ss) time_cmd "$size" "$r" "ss -tinH" ss -tinH ;;
        ss_p) time_cmd "$size" "$r" "ss -tinHp" ss -tinHp ;;
        cli) time_cmd "$size" "$r" "ss-exporter dump --json (JVM start)" bin/ss-exporter dump --json ;;
        jvm)
          echo dump >&"${DUMPLOOP[1]}"
          read -r -t 120 wall_ns cpu_ns n_sock n_bytes <&"${DUMPLOOP[0]}" \
            || { log "DumpLoop did not answer"; exit 1; }
          record "$size" "$r" "in-JVM dump+parse" \
            "$(awk -v x="$wall_ns" 'BEGIN{printf "%.3f", x/1e6}')" \
            "$(awk -v x="$cpu_ns" 'BEGIN{printf "%.3f", x/1e6}')" "$n_sock" "$n_bytes" ;;
        scrape) scrape "$size" "$r" "exporter /metrics" "http://127.0.0.1:$port/metrics" "$exporter_jpid" ;;
        scrape_gzip) scrape "$size" "$r" "exporter /metrics gzip" "http://127.0.0.1:$port/metrics" \
                       "$exporter_jpid" -H 'Accept-Encoding: gzip' ;;
        node) scrape "$size" "$r" "node_exporter tcpstat" "http://127.0.0.1:$node_port/metrics" "$node_pid" ;;
      esac
    done
    log "size $size: round $r/$rounds done"
  done

  if ((exporter_on)); then
    hwm_kb="$(awk '/^VmHWM:/ {print $2}' "/proc/$exporter_jpid/status" 2>/dev/null || echo "?")"
    echo "$size,exporter VmHWM,${hwm_kb} kB" >> "$out/rss.csv"
    stop_exporter
  fi
  if ((have_loop)); then
    echo quit >&"${DUMPLOOP[1]}" || true
    wait "$loop_pid" 2>/dev/null || true
    loop_pid=""
  fi
  bench/loadgen.sh stop | tee -a "$out/loadgen.log" >&2
done

echo "loadavg at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"

# --- report ------------------------------------------------------------------------------------
python3 bench/report.py "$raw" "$out/rss.csv" > "$out/results.md"
cat "$out/machine.txt"
echo
cat "$out/results.md"
log "raw samples: $raw; tables: $out/results.md"
