#!/usr/bin/env bash
# bench/run.sh (`make bench`): builds the release binaries, runs every benchmark on loopback
# (s7log vs nodes7 vs Snap7 client and server vs bare TCP ping-pong, fake PLC memory, logger
# lateness/CPU/RSS, plan size, codec micro-benchmarks) and writes the results into
# docs/benchmarks.md between the results markers. Stops every process it starts.
# Environment: BENCH_BUILD (build dir, default build/release), BENCH_DURATION (seconds per
# workload, default 5), BENCH_LOGGER_SECONDS (default 60), BENCH_SKIP_BUILD=1.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${BENCH_BUILD:-$ROOT/build/release}"
DUR="${BENCH_DURATION:-5}"
LOG_SECONDS="${BENCH_LOGGER_SECONDS:-60}"
OUT="$BUILD/bench-results"
S7LOG="$BUILD/apps/s7log/s7log"
mkdir -p "$OUT"
rm -f "$OUT"/*.jsonl

PIDS=()
cleanup() {
  for pid in "${PIDS[@]:-}"; do
    [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]:-}"; do
    [[ -n "$pid" ]] && wait "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

log() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }

if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  log "build (release) in $BUILD"
  cmake --preset release -B "$BUILD" >/dev/null
  cmake --build "$BUILD" -j "$(nproc)" --target s7log s7log_codec_bench s7log_pingpong
fi

if [[ ! -d "$ROOT/bench/npm/node_modules/node-snap7" || ! -d "$ROOT/bench/npm/node_modules/nodes7" ]]; then
  log "npm ci (nodes7, node-snap7 with its bundled Snap7)"
  (cd "$ROOT/bench/npm" && npm_config_nodedir=/usr npm ci --no-audit --no-fund >/dev/null)
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
  for _ in $(seq 1 100); do
    python3 -c "import socket,sys; s=socket.socket(); s.settimeout(0.2); sys.exit(s.connect_ex(('127.0.0.1',$1)))" && return 0
    sleep 0.1
  done
  echo "nothing listens on port $1" >&2
  return 1
}
# record FILE LABEL CMD...: runs a benchmark command, tags its JSON line with "label", appends it.
record() {
  local file="$1" label="$2"
  shift 2
  local line
  if line="$("$@" 2>/dev/null | tail -n 1)" && [[ "$line" == \{* ]]; then
    python3 -c 'import json,sys; d=json.loads(sys.argv[1]); d["label"]=sys.argv[2]; print(json.dumps(d))' \
      "$line" "$label" | tee -a "$OUT/$file.jsonl" >&2
  else
    echo "{\"label\": \"$label\", \"failed\": true}" | tee -a "$OUT/$file.jsonl" >&2
  fi
}

FAKE_PORT="$(free_port)"
"$S7LOG" fakeplc --config "$ROOT/bench/fakeplc.toml" --port "$FAKE_PORT" >"$OUT/fakeplc.log" 2>&1 &
FAKE_PID=$!
PIDS+=("$FAKE_PID")
SNAP_PORT="$(free_port)"
node "$ROOT/bench/snap7_bench.js" --mode server --port "$SNAP_PORT" >"$OUT/snap7-server.log" 2>&1 &
PIDS+=("$!")
wait_port "$FAKE_PORT"
wait_port "$SNAP_PORT"

# python-snap7 (pure Python since 3.0) is not in Debian and PyPI is out of reach: it is measured
# only when BENCH_PYSNAP7 names a directory holding its `snap7` package (a checkout of its sources).
PYSNAP7="${BENCH_PYSNAP7:-}"
if [[ -n "$PYSNAP7" && ! -f "$PYSNAP7/snap7/__init__.py" ]]; then
  echo "BENCH_PYSNAP7=$PYSNAP7 holds no snap7/__init__.py: python-snap7 is not measured" >&2
  PYSNAP7=""
fi
WORKLOADS=("seq" "multi" "large 4096" "large 65535")  # Snap7 areas stop at 65,535 bytes
for server in fakeplc snap7; do
  port="$FAKE_PORT"
  [[ "$server" == snap7 ]] && port="$SNAP_PORT"
  for w in "${WORKLOADS[@]}"; do
    read -r test size <<<"$w"
    size="${size:-4096}"
    log "$test${size:+ $size} against $server"
    record clients "s7log/$server/$test/$size" \
      "$S7LOG" bench --port "$port" --test "$test" --size "$size" --duration "$DUR"
    record clients "nodes7/$server/$test/$size" \
      timeout $((DUR * 3 + 20)) node "$ROOT/bench/nodes7_bench.js" --port "$port" --test "$test" --size "$size" --duration "$DUR"
    record clients "snap7/$server/$test/$size" \
      timeout $((DUR * 3 + 20)) node "$ROOT/bench/snap7_bench.js" --mode client --port "$port" --test "$test" --size "$size" --duration "$DUR"
    if [[ -n "$PYSNAP7" ]]; then
      record clients "pysnap7/$server/$test/$size" env PYTHONPATH="$PYSNAP7" \
        timeout $((DUR * 3 + 20)) python3 "$ROOT/bench/pysnap7_bench.py" --port "$port" --test "$test" --size "$size" --duration "$DUR"
    fi
  done
done

log "bare TCP ping-pong (31-byte request, 37-byte answer)"
record clients "pingpong" "$BUILD/bench/s7log_pingpong" "$DUR" 31 37 process
record clients "pingpong-thread" "$BUILD/bench/s7log_pingpong" "$DUR" 31 37 thread

# The same comparison with fixed placement. On this kind of VM a wake-up on the other core costs
# about as much as the rest of a round trip, so unpinned results depend on where the scheduler
# happened to put each process. Here the server (fake PLC or the ping-pong's server) runs on CPU 0
# and the client on CPU 0 ("one core") or CPU 1 ("two cores"), the same for every program.
PIN_PORT="$(free_port)"
taskset -c 0 "$S7LOG" fakeplc --config "$ROOT/bench/fakeplc.toml" --port "$PIN_PORT" \
  >"$OUT/fakeplc-pinned.log" 2>&1 &
PIDS+=("$!")
PIN_SNAP_PORT="$(free_port)"
taskset -c 0 node "$ROOT/bench/snap7_bench.js" --mode server --port "$PIN_SNAP_PORT" \
  >"$OUT/snap7-server-pinned.log" 2>&1 &
PIDS+=("$!")
wait_port "$PIN_PORT"
wait_port "$PIN_SNAP_PORT"
PIN_DUR="${BENCH_PIN_DURATION:-2}"
PIN_ROUNDS="${BENCH_PIN_ROUNDS:-5}"
placements=("same 0")
[[ "$(nproc)" -ge 2 ]] && placements+=("split 1")
for pl in "${placements[@]}"; do
  read -r name cpu <<<"$pl"
  log "fixed placement: servers on CPU 0, clients on CPU $cpu"
  record pinned "pingpong/$name" "$BUILD/bench/s7log_pingpong" "$DUR" 31 37 process 0 "$cpu"
  for server in fakeplc snap7; do
    port="$PIN_PORT"
    [[ "$server" == snap7 ]] && port="$PIN_SNAP_PORT"
    # Interleaved rounds per pair (the report takes the median): on this kind of VM one run swings
    # by 15-40 % with the host (and a node client with JIT and GC), enough to move a ratio across
    # a goal. seq also runs `bench --raw` on one connection: pre-encoded frames, one blocking send
    # and recv per read, the bound any client can reach against that server.
    for test in seq multi; do
      for round in $(seq 1 "$PIN_ROUNDS"); do
        record pinned "s7log/$server/$test/$name/r$round" taskset -c "$cpu" "$S7LOG" bench \
          --port "$port" --test "$test" --duration "$PIN_DUR"
        [[ "$test" == seq ]] && record pinned "raw/$server/$test/$name/r$round" \
          taskset -c "$cpu" "$S7LOG" bench --raw --port "$port" --test "$test" --duration "$PIN_DUR"
        record pinned "nodes7/$server/$test/$name/r$round" taskset -c "$cpu" \
          timeout $((PIN_DUR * 3 + 20)) node "$ROOT/bench/nodes7_bench.js" --port "$port" \
          --test "$test" --duration "$PIN_DUR"
      done
    done
  done
done

for server in fakeplc snap7; do
  port="$FAKE_PORT"
  [[ "$server" == snap7 ]] && port="$SNAP_PORT"
  for n in 1 64; do
    log "server load: $n connections against $server"
    # --raw: one epoll thread sends pre-encoded frames on all connections, so the client's own
    # thread wake-ups do not dilute the comparison (the issue's "raw connections"); the threaded
    # client (one s7::Client per thread) is measured too.
    record servers "$server/$n" "$S7LOG" bench --port "$port" --test seq --connections "$n" --raw --duration "$DUR"
    record servers "$server/$n/threads" "$S7LOG" bench --port "$port" --test seq --connections "$n" --duration "$DUR"
  done
done

# Memory per idle connection: RSS of the fake PLC with 0 and N connections that completed
# CR/CC and setup (a fresh fake PLC, so earlier runs do not count).
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
IDLE_N="${BENCH_IDLE_CONNECTIONS:-1000}"
MEM_PORT="$(free_port)"
"$S7LOG" fakeplc --config "$ROOT/bench/fakeplc.toml" --port "$MEM_PORT" \
  --max-connections $((IDLE_N + 16)) >"$OUT/fakeplc-mem.log" 2>&1 &
MEM_PID=$!
PIDS+=("$MEM_PID")
wait_port "$MEM_PORT"
sleep 1
RSS0="$(rss_kib "$MEM_PID")"
log "memory: holding $IDLE_N idle connections"
"$S7LOG" bench --port "$MEM_PORT" --test idle --connections "$IDLE_N" --duration 4 >"$OUT/idle.json" 2>/dev/null &
IDLE_PID=$!
PIDS+=("$IDLE_PID")
sleep 3
RSS1="$(rss_kib "$MEM_PID")"
wait "$IDLE_PID" || true
python3 - "$OUT/idle.json" "$RSS0" "$RSS1" "$IDLE_N" >"$OUT/memory.jsonl" <<'EOF'
import json, sys
idle = json.load(open(sys.argv[1]))
r0, r1, n = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
est = idle.get("established", 0)
print(json.dumps({"rss0_kib": r0, "rss1_kib": r1, "connections": est,
                  "kib_per_connection": round((r1 - r0) / est, 2) if est else None}))
EOF
cat "$OUT/memory.jsonl" >&2
kill "$MEM_PID" 2>/dev/null || true

# Logger: 100 Hz and the course's tags at 1 s, side by side for LOG_SECONDS.
log "logger: 100 Hz and 1 s for ${LOG_SECONDS}s"
LOGDIR="$OUT/logger"
rm -rf "$LOGDIR" && mkdir -p "$LOGDIR"
"$S7LOG" run --port "$FAKE_PORT" --interval 10ms --out "$LOGDIR/fast.csv" \
  --count $((LOG_SECONDS * 100)) --stats-json "$LOGDIR/fast-stats.json" >"$LOGDIR/fast.log" 2>&1 &
FAST_PID=$!
PIDS+=("$FAST_PID")
"$S7LOG" run --port "$FAKE_PORT" --interval 1s --out "$LOGDIR/slow.csv" >"$LOGDIR/slow.log" 2>&1 &
SLOW_PID=$!
PIDS+=("$SLOW_PID")
sleep 2
# CPU time from the scheduler's own accounting (sum_exec_runtime in ns, all threads), not from
# utime+stime in /proc/<pid>/stat: those are 10 ms tick samples, and a process that wakes once a
# second right at a tick can be charged a whole tick for 0.3 ms of work.
cpu_ns() { cat /proc/"$1"/task/*/schedstat | awk '{s += $1} END {print s}'; }
T0="$(cpu_ns "$SLOW_PID")"
S0="$(date +%s.%N)"
sleep "$((LOG_SECONDS - 2))"
T1="$(cpu_ns "$SLOW_PID")"
S1="$(date +%s.%N)"
SLOW_RSS="$(rss_kib "$SLOW_PID")"
SLOW_HWM="$(awk '/^VmHWM/ {print $2}' "/proc/$SLOW_PID/status")"
SLOW_LIFE="$(awk -v hz="$(getconf CLK_TCK)" -v up="$(cut -d' ' -f1 /proc/uptime)" \
  '{print up - $22 / hz}' "/proc/$SLOW_PID/stat")"
wait "$FAST_PID" || true
kill "$SLOW_PID" 2>/dev/null || true
python3 "$ROOT/bench/lateness.py" "$LOGDIR/fast.csv" 10 \
  --cpu-ns "$((T1 - T0))" --seconds "$(python3 -c "print($S1 - $S0)")" \
  --cpu-ns-total "$T1" --life-seconds "$SLOW_LIFE" \
  --rss-kib "$SLOW_RSS" --hwm-kib "$SLOW_HWM" --stats-json "$LOGDIR/fast-stats.json" \
  >"$OUT/logger.jsonl"
cat "$OUT/logger.jsonl" >&2

log "plan: 500 tags over 10 DBs"
python3 "$ROOT/bench/plan_tags.py" "$OUT/plan500.toml" >"$OUT/plan_bound.json"
"$S7LOG" plan --config "$OUT/plan500.toml" >"$OUT/plan500.txt"
grep -E 'PDU (240|480|960)' "$OUT/plan500.txt" >&2 || true

log "codec micro-benchmarks"
"$BUILD/bench/s7log_codec_bench" --benchmark_min_time=0.2 --benchmark_format=json \
  >"$OUT/codec.json" 2>/dev/null

cleanup
PIDS=()
python3 "$ROOT/bench/report.py" "$OUT" "$ROOT/docs/benchmarks.md"
log "results written to docs/benchmarks.md"
