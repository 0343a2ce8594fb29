#!/usr/bin/env bash
# The "Scale" targets in one run per size: ss, the in-JVM dump (all extensions and INFO only),
# four exporters side by side (default config, pid_condensed, a ~1% port selection, the same with
# the host-wide socket counts switched on), the default one also scraped as Prometheus asks
# (OpenMetrics, gzip; protobuf when it scrapes native histograms), node_exporter tcpstat, time to ready, and peak RSS under 10 concurrent
# scrapes. The ~1% selection is a window of client ports cut from the ports in use once the load
# is up (one_percent_window). See docs/performance.md.
#
#   bench/scale.sh --size 20000 [--rounds 5] [--ss-p-rounds N] [--ready-samples 3]
#                  [--warmup 20] [--warmup-seconds 15] [--port 18030] [--out DIR]
#
# Every round runs each measurement once, in an order rotated by one per round, so all of them see
# the same machine in the same minutes. Each exporter is first scraped back to back at least
# --warmup times and for at least --warmup-seconds, alternately as curl and as Prometheus asks, so
# the rounds measure a running exporter whose hot code the JIT has compiled (a DaemonSet's exporter
# is scraped for days). A count alone is not enough: an exporter that selects few sockets runs its
# per-request code (HTTP, the small families) interpreted or half-compiled for its first couple of
# hundred scrapes. The first warm-up scrape, the cold one, and how many there were are recorded in
# DIR/rss.csv. Raw samples go to DIR/raw.csv in bench/run.sh's format
# (bench/report.py turns them into tables); time to ready, RSS and concurrency go to DIR/rss.csv.
# Needs ss-bench/target/benchmarks.jar (mvn -B -q -Pbench -pl ss-bench -am package
# -Dmaven.test.skip=true) and bin/ss-exporter's jar built. An EXIT trap stops what it started.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

size=20000
rounds=5
ss_p_rounds=""
ready_samples=3
warmup=20
warmup_seconds=15
port=18030
out="/tmp/ss-exporter-bench/scale-$(date +%Y%m%d-%H%M%S)"
while (($#)); do
  case "$1" in
    --size) size="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --ss-p-rounds) ss_p_rounds="$2"; shift 2 ;;
    --ready-samples) ready_samples="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --warmup-seconds) warmup_seconds="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "bench/scale.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ "$size" =~ ^[0-9]+$ ]] && ((size >= 2 && size <= 100000 && size % 2 == 0)) \
  || { echo "bench/scale.sh: --size is an even socket count 2..100000, got $size" >&2; exit 2; }
ss_p_rounds="${ss_p_rounds:-$rounds}"

log() { printf 'bench/scale.sh: %s\n' "$*" >&2; }
mkdir -p "$out"
raw="$out/raw.csv"
echo "size,round,measurement,wall_ms,cpu_ms,sockets,bytes" > "$raw"
: > "$out/rss.csv"
record() {
  [[ "$*" != *,* ]] || { log "record: a field holds a comma, which raw.csv cannot carry: $*"; exit 1; }
  echo "$1,$2,$3,$4,$5,$6,$7" >> "$raw"
}
ulimit -n "$(ulimit -Hn)"
clk_tck="$(getconf CLK_TCK)"
java="$(bench/java.sh --print-path)"
bench_jar="ss-bench/target/benchmarks.jar"
[[ -f "$bench_jar" ]] || { log "missing $bench_jar; build it with -Pbench"; exit 1; }
node_bin="$(command -v prometheus-node-exporter || true)"

# The exporter configurations. The two ~1% selections are written once the load is up (below).
cat > "$out/default.yml" <<'EOF'
logic: {}
EOF
cat > "$out/pid.yml" <<'EOF'
logic:
  compression:
    labelFolding: pid_condensed
EOF
# A window of client ports that holds 1% of the connections, cut from the ports in use: the kernel
# hands out each address pair's ports in runs from a hashed start, so a fixed window would catch
# anything from none to a few runs. Prints "LOWER UPPER CONNECTIONS".
one_percent_window() {
  ss -tnH state established src 127.78.0.0/16 | awk '{ n = split($3, a, ":"); print a[n] }' | sort -n \
    | awk -v want="$(( size / 200 ))" '{ p[NR] = $1 }
        END { lo = p[int(NR / 2) + 1]; hi = p[int(NR / 2) + want]; n = 0
              for (j = 1; j <= NR; j++) if (p[j] >= lo && p[j] <= hi) n++
              print lo, hi, n }'
}
write_port_configs() {
  local range="{ lower: $1, upper: $2 }"
  printf 'logic:\n  selection:\n    portRanges:\n      - %s\n' "$range" > "$out/ports1pct.yml"
  # The same selection with the host-wide counts asked for: they need a second, unfiltered dump.
  printf 'logic:\n  selection:\n    portRanges:\n      - %s\n  aggregation:\n    socketStates: { active: true }\n    listeners: { active: true }\n' \
    "$range" > "$out/ports1pct_counts.yml"
}
configs=(default pid ports1pct ports1pct_counts)
# What Prometheus 3 sends with its default scrape protocols: it gets OpenMetrics.
PROMETHEUS_ACCEPT='application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2'
# ... and when it scrapes native histograms: protobuf first.
PROMETHEUS_NATIVE_ACCEPT="application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,$PROMETHEUS_ACCEPT"

declare -A exp_pid=() exp_port=()
node_pid=""
loop_pid=""
cleanup() {
  set +e
  [[ -n "$loop_pid" ]] && { kill "$loop_pid" 2>/dev/null; wait "$loop_pid" 2>/dev/null; }
  for c in "${!exp_pid[@]}"; do kill "${exp_pid[$c]}" 2>/dev/null; done
  [[ -n "$node_pid" ]] && { kill "$node_pid" 2>/dev/null; wait "$node_pid" 2>/dev/null; }
  bench/loadgen.sh stop >/dev/null 2>&1
  for dir in "${cg_of[@]}"; do
    for ((k = 0; k < 50; k++)); do rmdir "$dir" 2>/dev/null && break; read -r -t 0.1 -u "$nap_fd" || true; done
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
proc_cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

# CPU per scrape. /proc/PID/stat counts in clock ticks (10 ms), as coarse as a small scrape, so
# each measured process gets a cgroup of its own (v1 cpuacct) whose cpuacct.usage counts every
# thread's CPU in nanoseconds, including threads that ended, such as the one each collection runs
# on. Without a writable cpuacct hierarchy it falls back to the ticks.
cg_root=/sys/fs/cgroup/cpuacct
declare -A cg_of=()
cpu_cgroup() {  # pid name: moves the process into a new cgroup, if it can
  local dir="$cg_root/ss-exporter-bench-$$-$2"
  [[ -w "$cg_root" ]] || return 0
  mkdir -p "$dir" 2>/dev/null && echo "$1" > "$dir/cgroup.procs" 2>/dev/null && cg_of[$1]="$dir" || true
}
proc_cpu_ms() {  # pid: CPU used so far, in ms
  local dir="${cg_of[$1]:-}" ns
  if [[ -n "$dir" ]] && read -r ns < "$dir/cpuacct.usage"; then
    echo "$ns" | awk '{printf "%.3f", $1 / 1e6}'
  else
    awk -v t="$(proc_cpu_ticks "$1")" -v h="$clk_tck" 'BEGIN{printf "%.3f", t * 1000 / h}'
  fi
}
hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo "?"; }

# A pipe nobody writes to: reading it with a timeout waits without starting a process.
exec {nap_fd}<> <(:)

# Whether GET /health on 127.0.0.1:$1 answers 200, asked from the shell itself (bash's /dev/tcp):
# polling every 5 ms with a curl process each time would take a good part of a CPU from the JVM
# being timed on a 2-CPU machine, as a kubelet's in-process probe does not.
health_ok() {  # port
  local status=""
  { exec 7<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&7
  read -r -t 1 _ status _ <&7 || true
  exec 7<&-
  [[ "$status" == 200 ]]
}

# Starts bin/ss-exporter (it execs java, so $! is the JVM) and waits for /health 200.
# Prints "<pid> <ms from start to ready>".
start_exporter() {  # config port
  local t0 i pid
  t0="$(date +%s%N)"
  bin/ss-exporter --port="$2" --listen-address=127.0.0.1 --config="$out/$1.yml" \
    > "$out/exporter-$1-$2.log" 2>&1 &
  pid=$!
  for ((i = 0; i < 6000; i++)); do
    if health_ok "$2"; then
      echo "$pid $(ms_since "$t0")"
      return 0
    fi
    read -r -t 0.005 -u "$nap_fd" || true  # a 5 ms wait without a sleep process
  done
  log "exporter $1 did not become ready (see $out/exporter-$1-$2.log)"
  kill "$pid" 2>/dev/null || true
  return 1
}

time_cmd() {  # round name cmd...
  local round="$1" name="$2" t r u s
  shift 2
  t="$( { TIMEFORMAT='%3R %3U %3S'; time "$@" > /dev/null 2>&1; } 2>&1 )"
  read -r r u s <<< "$t"
  record "$size" "$round" "$name" "$(awk -v x="$r" 'BEGIN{printf "%.3f", x*1000}')" \
    "$(awk -v x="$u" -v y="$s" 'BEGIN{printf "%.3f", (x+y)*1000}')" "" ""
}

scrape() {  # round name url pid curl-args...: wall (curl), process CPU delta, bytes, series
  local round="$1" name="$2" url="$3" pid="$4" c0 c1 res t bytes code
  shift 4
  c0="$(proc_cpu_ms "$pid")"
  res="$(curl -s -o "$out/last-scrape" --max-time 300 -w '%{time_total} %{size_download} %{http_code}' "$@" "$url")" || true
  c1="$(proc_cpu_ms "$pid")"
  read -r t bytes code <<< "$res"
  [[ "$code" == 200 ]] || { log "round $round: $name failed (HTTP ${code:-none})"; return 0; }
  record "$size" "$round" "$name" "$(awk -v x="$t" 'BEGIN{printf "%.3f", x*1000}')" \
    "$(awk -v a="$c0" -v b="$c1" 'BEGIN{printf "%.1f", b - a}')" "" "$bytes"
}

{
  echo "# bench/scale.sh --size $size --rounds $rounds --ss-p-rounds $ss_p_rounds --warmup $warmup --warmup-seconds $warmup_seconds, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpus=$(nproc) kernel=$(uname -r) ss=\"$(ss -V)\""
  echo "java=$java ($("$java" -version 2>&1 | head -n1))"
  echo "commit=$(git rev-parse --short HEAD)$(git diff --quiet || echo ' (working tree has changes)')"
  echo "loadavg at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/machine.txt" >&2

# Before the load and the timings: rebuild the jar if stale and record the launcher's AOT cache
# (docs/cli.md), so that neither lands in a "time to ready" sample.
bin/ss-exporter --version > /dev/null
if [[ -s ss-cli/target/ss-exporter.aot ]]; then
  log "AOT cache: ss-cli/target/ss-exporter.aot ($(stat -c %s ss-cli/target/ss-exporter.aot) bytes)"
else
  log "AOT cache: none (see ss-cli/target/ss-exporter.aot.log); the exporters start with -Xshare:auto"
fi

bench/loadgen.sh start "$((size / 2))" --duration 1800 | tee "$out/loadgen.log" >&2
log "ss sees $(ss -tnH | wc -l) TCP sockets (non-listening)"
read -r pct_lo pct_hi pct_conns <<< "$(one_percent_window)"
[[ "$pct_lo" =~ ^[0-9]+$ && "$pct_hi" =~ ^[0-9]+$ ]] && ((pct_lo <= pct_hi && 2 * pct_conns <= size / 50)) \
  || { log "no ~1% port window among the client ports in use (got '$pct_lo-$pct_hi', $pct_conns connections;"\
    " --size must be at least 200, and no other load on 127.78.0.0/16)"; exit 1; }
write_port_configs "$pct_lo" "$pct_hi"
log "~1% selection: client ports $pct_lo-$pct_hi, $pct_conns connections ($(( 2 * pct_conns )) of $size sockets)"
echo "$size,one_percent_window,$pct_lo-$pct_hi $pct_conns connections" >> "$out/rss.csv"

# Time to ready: start -> /health 200, a fresh launcher and JVM each time, with the load present.
for ((k = 1; k <= ready_samples; k++)); do
  read -r p ready_ms <<< "$(start_exporter default "$((port + 9))")"
  echo "$size,ready_ms,$ready_ms" >> "$out/rss.csv"
  kill "$p"; while kill -0 "$p" 2>/dev/null; do sleep 0.1; done
done

for i in "${!configs[@]}"; do
  c="${configs[$i]}"
  exp_port[$c]=$((port + i))
  read -r p ready_ms <<< "$(start_exporter "$c" "${exp_port[$c]}")"
  exp_pid[$c]="$p"
  cpu_cgroup "$p" "$c"
  echo "$size,ready_ms $c,$ready_ms" >> "$out/rss.csv"
  w=0
  t_end=$(( $(date +%s) + warmup_seconds ))
  while ((w < warmup || $(date +%s) < t_end)); do
    w=$((w + 1))
    accept=(); ((w % 2 == 0)) && accept=(-H "Accept: $PROMETHEUS_ACCEPT")
    t="$(curl -s -o /dev/null --max-time 300 "${accept[@]}" -w '%{time_total}' "http://127.0.0.1:${exp_port[$c]}/metrics")"
    ((w == 1)) && echo "$size,warm-up scrape 1 $c,$(awk -v x="$t" 'BEGIN{printf "%.0f", x*1000}') ms" >> "$out/rss.csv"
  done
  echo "$size,warm-up scrape $w (last) $c,$(awk -v x="$t" 'BEGIN{printf "%.0f", x*1000}') ms" >> "$out/rss.csv"
done
if [[ -n "$node_bin" ]]; then
  "$node_bin" --collector.disable-defaults --collector.tcpstat \
    --web.listen-address="127.0.0.1:$((port + 8))" > "$out/node-exporter.log" 2>&1 &
  node_pid=$!
  cpu_cgroup "$node_pid" node
  sleep 1
fi
if ((${#cg_of[@]} > 0)); then
  log "CPU per scrape: cpuacct.usage of a cgroup per exporter (nanoseconds)"
else
  log "CPU per scrape: /proc/PID/stat (clock ticks of $((1000 / clk_tck)) ms); no writable $cg_root"
fi
coproc DUMPLOOP { "$java" --enable-native-access=ALL-UNNAMED -cp "$bench_jar" \
                    dev.ssexporter.bench.DumpLoop --serve 2> "$out/dumploop.log"; }
loop_pid=$DUMPLOOP_PID
echo "warmup 20" >&"${DUMPLOOP[1]}"
read -r -t 600 ack <&"${DUMPLOOP[0]}"
[[ "$ack" == ok* ]] || { log "DumpLoop warmup: $ack"; exit 1; }

steps=(ss ss_p jvm jvm_info default default_gzip default_prom default_native pid ports ports_counts)
[[ -n "$node_pid" ]] && steps+=(node)
for ((r = 1; r <= rounds; r++)); do
  n=${#steps[@]}
  for ((k = 0; k < n; k++)); do
    step="${steps[$(((k + r) % n))]}"
    case "$step" in
      ss) time_cmd "$r" "ss -tinH" ss -tinH ;;
      ss_p) ((r <= ss_p_rounds)) && time_cmd "$r" "ss -tinHp" ss -tinHp ;;
      jvm | jvm_info)
        cmd=dump name="in-JVM dump+parse (all extensions)"
        [[ "$step" == jvm_info ]] && cmd=dump-info name="in-JVM dump+parse (INFO only)"
        echo "$cmd" >&"${DUMPLOOP[1]}"
        read -r -t 300 wall_ns cpu_ns n_sock n_bytes <&"${DUMPLOOP[0]}"
        record "$size" "$r" "$name" "$(awk -v x="$wall_ns" 'BEGIN{printf "%.3f", x/1e6}')" \
          "$(awk -v x="$cpu_ns" 'BEGIN{printf "%.3f", x/1e6}')" "$n_sock" "$n_bytes" ;;
      default) scrape "$r" "exporter /metrics" "http://127.0.0.1:${exp_port[default]}/metrics" "${exp_pid[default]}" ;;
      default_gzip) scrape "$r" "exporter /metrics gzip" "http://127.0.0.1:${exp_port[default]}/metrics" \
                      "${exp_pid[default]}" -H 'Accept-Encoding: gzip' ;;
      default_prom) scrape "$r" "exporter /metrics as Prometheus asks (OpenMetrics + gzip)" \
                      "http://127.0.0.1:${exp_port[default]}/metrics" "${exp_pid[default]}" \
                      -H "Accept: $PROMETHEUS_ACCEPT" -H 'Accept-Encoding: gzip' ;;
      default_native) scrape "$r" "exporter /metrics as Prometheus asks for native histograms (protobuf + gzip)" \
                      "http://127.0.0.1:${exp_port[default]}/metrics" "${exp_pid[default]}" \
                      -H "Accept: $PROMETHEUS_NATIVE_ACCEPT" -H 'Accept-Encoding: gzip' ;;
      pid) scrape "$r" "exporter /metrics pid_condensed" "http://127.0.0.1:${exp_port[pid]}/metrics" "${exp_pid[pid]}" ;;
      ports) scrape "$r" "exporter /metrics ~1% portRanges" "http://127.0.0.1:${exp_port[ports1pct]}/metrics" \
               "${exp_pid[ports1pct]}" ;;
      ports_counts) scrape "$r" "exporter /metrics ~1% portRanges + counts" \
                      "http://127.0.0.1:${exp_port[ports1pct_counts]}/metrics" "${exp_pid[ports1pct_counts]}" ;;
      node) scrape "$r" "node_exporter tcpstat" "http://127.0.0.1:$((port + 8))/metrics" "$node_pid" ;;
    esac
  done
  log "round $r/$rounds done"
done

# What each configuration exports, from one more scrape each.
for c in "${configs[@]}"; do
  curl -s --max-time 300 "http://127.0.0.1:${exp_port[$c]}/metrics" > "$out/metrics-$c.txt"
  echo "$size,series $c,$(grep -vc '^#' "$out/metrics-$c.txt") samples" >> "$out/rss.csv"
  echo "$size,VmHWM $c after rounds,$(hwm_kb "${exp_pid[$c]}") kB" >> "$out/rss.csv"
done

# 10 concurrent scrapes of each exporter, then its peak RSS; the default one also as Prometheus asks.
concurrent() {  # config file-tag label-suffix curl-args...
  local c="$1" tag="$2" suffix="$3" t0
  shift 3
  t0="$(date +%s%N)"
  seq 10 | xargs -P10 -I{} curl -s -o /dev/null --max-time 300 "$@" -w '%{http_code}\n' \
    "http://127.0.0.1:${exp_port[$c]}/metrics" > "$out/concurrent-$tag.txt"
  echo "$size,10 concurrent $c$suffix,$(ms_since "$t0") ms for all; HTTP $(sort "$out/concurrent-$tag.txt" | uniq -c | tr -s ' \n' ' ')" >> "$out/rss.csv"
  echo "$size,VmHWM $c after 10 concurrent$suffix,$(hwm_kb "${exp_pid[$c]}") kB" >> "$out/rss.csv"
}
for c in "${configs[@]}"; do
  concurrent "$c" "$c" ""
done
concurrent default default_prom " as Prometheus asks" -H "Accept: $PROMETHEUS_ACCEPT" -H 'Accept-Encoding: gzip'

echo quit >&"${DUMPLOOP[1]}" || true
echo "loadavg at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"
python3 bench/report.py "$raw" "$out/rss.csv" > "$out/results.md"
cat "$out/machine.txt"
echo
cat "$out/results.md"
log "raw samples: $raw; tables: $out/results.md"
