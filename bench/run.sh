#!/usr/bin/env bash
# Longhaul benchmarks in one run (method: docs/benchmarks.md).
#
#   bench/run.sh                                   # full run (~2-3 minutes)
#   BENCH_SECONDS=3 DRAIN_COUNT=2000 DISPATCH_SECONDS=3 bench/run.sh    # smoke run
#   BENCH_SKIP_SERVER=1 bench/run.sh               # baseline only (no server build or run)
#
# Steps: build bench + server (Release) -> baseline endpoint + wrk -> `longhaul serve` (fresh data dir)
# + the same wrk -> drain on a fresh data dir -> dispatch on a fresh data dir -> summary with the
# server/baseline create-throughput ratio and the targets. Every process started here is stopped on exit.
#
# Environment (defaults in brackets):
#   BENCH_SECONDS [15]        measured seconds of each create-throughput run
#   BENCH_WARMUP [3]          un-measured warm-up seconds before each create-throughput run (0 = none)
#   WRK_CONNECTIONS [64]      WRK_THREADS [2]
#   BENCH_CREATE_TOOL [auto]  wrk | dotnet (Longhaul.Bench create) | auto (wrk if installed)
#   DRAIN_COUNT [20000]       DRAIN_CONCURRENCY [64]
#   DRAIN_SERVE_ARGS []       extra `longhaul serve` args for the drain server
#   DRAIN_WORKER_SLOTS []     Longhaul__WorkerSlots of the draining server (empty: the server default, 128)
#   DISPATCH_RATE [100]       DISPATCH_SECONDS [20]  DISPATCH_WARMUP [2]
#   BENCH_API_KEY []          sent as Bearer token by every client (the server must be configured for it)
#   BENCH_SERVE_ARGS []       extra args for every `longhaul serve`
#   SERVER_LOG_LEVEL [Warning] Logging__LogLevel__Default for the server (the baseline also logs at Warning)
#   BENCH_BASE_PORT [5700]    first port tried; each process gets the next free port on 127.0.0.1
#   BENCH_SKIP_BUILD [0]      BENCH_SKIP_SERVER [0]   BENCH_KEEP [0] (keep temp data dirs and logs)
#   BENCH_OUT []              also append the machine-readable summary lines to this file
#   BENCH_SERVER_BIN [src/Longhaul.Server/bin/Release/net10.0/longhaul]  server executable to benchmark
#   BENCH_TELEMETRY [1]       also run create and drain with OTLP export on (to bench/otlp-sink-nginx.sh, or bench/otlp-sink.py without nginx) and report on/off ratios
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

export NUGET_CERT_REVOCATION_MODE=offline
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

BENCH_SECONDS=${BENCH_SECONDS:-15}
BENCH_WARMUP=${BENCH_WARMUP:-3}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-64}
WRK_THREADS=${WRK_THREADS:-2}
BENCH_CREATE_TOOL=${BENCH_CREATE_TOOL:-auto}
DRAIN_COUNT=${DRAIN_COUNT:-20000}
DRAIN_CONCURRENCY=${DRAIN_CONCURRENCY:-64}
DRAIN_SERVE_ARGS=${DRAIN_SERVE_ARGS:-}
DRAIN_WORKER_SLOTS=${DRAIN_WORKER_SLOTS:-}
DISPATCH_RATE=${DISPATCH_RATE:-100}
DISPATCH_SECONDS=${DISPATCH_SECONDS:-20}
DISPATCH_WARMUP=${DISPATCH_WARMUP:-2}
BENCH_API_KEY=${BENCH_API_KEY:-}
BENCH_SERVE_ARGS=${BENCH_SERVE_ARGS:-}
SERVER_LOG_LEVEL=${SERVER_LOG_LEVEL:-Warning}
BENCH_BASE_PORT=${BENCH_BASE_PORT:-5700}
BENCH_SKIP_BUILD=${BENCH_SKIP_BUILD:-0}
BENCH_SKIP_SERVER=${BENCH_SKIP_SERVER:-0}
BENCH_KEEP=${BENCH_KEEP:-0}
BENCH_OUT=${BENCH_OUT:-}
START_TIMEOUT_S=${START_TIMEOUT_S:-60}
BENCH_TELEMETRY=${BENCH_TELEMETRY:-1}

BENCH_PROJECT=bench/Longhaul.Bench
BENCH_BIN=$BENCH_PROJECT/bin/Release/net10.0/Longhaul.Bench
SERVER_PROJECT=src/Longhaul.Server
SERVER_BIN=${BENCH_SERVER_BIN:-$SERVER_PROJECT/bin/Release/net10.0/longhaul}
WRK_SCRIPT=bench/wrk/create.lua

WORK=$(mktemp -d "${TMPDIR:-/tmp}/longhaul-bench.XXXXXX")
STOP_GRACE_S=10
source "$ROOT/bench/lib.sh"

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  PIDS=()
  if [[ $BENCH_KEEP == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bench_args=()
[[ -z $BENCH_API_KEY ]] || bench_args=(--api-key "$BENCH_API_KEY")
export BENCH_API_KEY   # read by bench/wrk/create.lua (no LONGHAUL_* variables here: the server may read those)

if [[ $BENCH_CREATE_TOOL == auto ]]; then
  if command -v wrk >/dev/null; then BENCH_CREATE_TOOL=wrk; else BENCH_CREATE_TOOL=dotnet; fi
fi
if [[ $BENCH_CREATE_TOOL == wrk ]] && ! command -v wrk >/dev/null; then
  die "wrk is not installed (apt-get install -y wrk), or use BENCH_CREATE_TOOL=dotnet"
fi

# create_throughput LABEL BASE_URL : warm-up, then the measured run; sets CREATE_RPS.
create_throughput() {
  local label=$1 url=$2
  if [[ $BENCH_CREATE_TOOL == wrk ]]; then
    if [[ $BENCH_WARMUP != 0 ]]; then
      log "$label: wrk warm-up ${BENCH_WARMUP}s (not measured)"
      run_fg "$WORK/$label-warmup.out" wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"${BENCH_WARMUP}s" -s "$WRK_SCRIPT" "$url/v1/operations" >/dev/null
      ((RC == 0)) || die "$label: wrk warm-up failed with exit code $RC"
    fi
    log "$label: wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d${BENCH_SECONDS}s"
    run_tool "$label" wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"${BENCH_SECONDS}s" --latency -s "$WRK_SCRIPT" "$url/v1/operations"
    if [[ $(field "$LINE" non2xx) != 0 || $(field "$LINE" socket_errors) != 0 ]]; then
      log "WARNING: $label: wrk saw non-2xx answers or socket errors"
      FAILED+=("$label (wrk errors)")
    fi
  else
    log "$label: Longhaul.Bench create --connections $WRK_CONNECTIONS --seconds $BENCH_SECONDS"
    run_tool "$label" "$BENCH_BIN" create --url "$url" --connections "$WRK_CONNECTIONS" \
      --seconds "$BENCH_SECONDS" --warmup "$BENCH_WARMUP" "${bench_args[@]+"${bench_args[@]}"}"
  fi
  CREATE_RPS=$(field "$LINE" rps)
}

# start_server LABEL [EXTRA ARGS...] : `longhaul serve` on a fresh data dir and port; sets URL, LAST_PID.
start_server() {
  local label=$1; shift
  local dir=$WORK/data-$label
  mkdir -p "$dir"
  free_port
  URL=http://127.0.0.1:$PORT
  # shellcheck disable=SC2086 # BENCH_SERVE_ARGS is a word list on purpose
  Logging__LogLevel__Default=$SERVER_LOG_LEVEL start "server-$label" "$WORK/server-$label.log" \
    "$SERVER_BIN" serve --urls "$URL" --data-dir "$dir" $BENCH_SERVE_ARGS "$@"
  wait_healthy "$URL" "$LAST_PID" "$WORK/server-$label.log"
}

# ---------------------------------------------------------------------------------------------
log "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
WRK_VERSION=$( (wrk --version 2>&1 || true) | head -n 1 | cut -d' ' -f1-2)
[[ -n $WRK_VERSION ]] && command -v wrk >/dev/null || WRK_VERSION="wrk not installed"
log "dotnet $(dotnet --version), $WRK_VERSION, commit $(git rev-parse --short HEAD 2>/dev/null || echo none)$(git diff --quiet HEAD -- 2>/dev/null || echo ' (dirty)')"
log "settings: create=$BENCH_CREATE_TOOL ${BENCH_SECONDS}s (+${BENCH_WARMUP}s warm-up) c=$WRK_CONNECTIONS t=$WRK_THREADS; drain=$DRAIN_COUNT c=$DRAIN_CONCURRENCY; dispatch=${DISPATCH_RATE}/s x ${DISPATCH_SECONDS}s (+${DISPATCH_WARMUP}s warm-up)"

if [[ $BENCH_SKIP_BUILD != 1 ]]; then
  log "building $BENCH_PROJECT (Release)"
  dotnet build "$BENCH_PROJECT" -c Release -nologo -v quiet
  if [[ $BENCH_SKIP_SERVER != 1 && -z ${BENCH_SERVER_BIN:-} ]]; then
    log "building $SERVER_PROJECT (Release)"
    dotnet build "$SERVER_PROJECT" -c Release -nologo -v quiet
  fi
fi
[[ -x $BENCH_BIN ]] || die "$BENCH_BIN not found (build $BENCH_PROJECT first)"
[[ $BENCH_SKIP_SERVER == 1 || -x $SERVER_BIN ]] || die "$SERVER_BIN not found (build $SERVER_PROJECT first)"

# 1. Baseline: bare ASP.NET Core endpoint, same wire shape, stores nothing.
free_port
BASE_URL=http://127.0.0.1:$PORT
start baseline "$WORK/baseline.log" "$BENCH_BIN" baseline --urls "$BASE_URL"
BASELINE_PID=$LAST_PID
wait_healthy "$BASE_URL" "$BASELINE_PID" "$WORK/baseline.log"
create_throughput create-baseline "$BASE_URL"
BASELINE_RPS=$CREATE_RPS
stop "$BASELINE_PID"

if [[ $BENCH_SKIP_SERVER != 1 ]]; then
  # 2. Create throughput against the server (workers running and executing what is created, fresh data dir),
  #    then against an API-only server (Longhaul__RunWorkers=false): storing without executing.
  start_server create
  SERVER_PID=$LAST_PID
  create_throughput create-server "$URL"
  SERVER_RPS=$CREATE_RPS
  stop "$SERVER_PID"
  Longhaul__RunWorkers=false start_server create-api-only
  SERVER_PID=$LAST_PID
  create_throughput create-server-api-only "$URL"
  SERVER_API_RPS=$CREATE_RPS
  stop "$SERVER_PID"

  # 3. Drain: COUNT sleep(0) operations created first with workers off (Longhaul__RunWorkers=false), then the
  #    same data dir served with workers on; timed by the server's clock (first started_at -> last finished_at).
  # shellcheck disable=SC2086
  Longhaul__RunWorkers=false start_server drain $DRAIN_SERVE_ARGS
  SERVER_PID=$LAST_PID
  log "drain: creating $DRAIN_COUNT with workers off"
  run_tool drain-create "$BENCH_BIN" drain --mode create --url "$URL" --count "$DRAIN_COUNT" --concurrency "$DRAIN_CONCURRENCY" "${bench_args[@]+"${bench_args[@]}"}"
  stop "$SERVER_PID"
  # shellcheck disable=SC2086
  Longhaul__WorkerSlots=${DRAIN_WORKER_SLOTS:-128} start_server drain $DRAIN_SERVE_ARGS
  SERVER_PID=$LAST_PID
  log "drain: workers on, ${DRAIN_WORKER_SLOTS:-128} slots"
  run_tool drain "$BENCH_BIN" drain --mode drain --url "$URL" "${bench_args[@]+"${bench_args[@]}"}"
  DRAIN_LINE=$LINE
  stop "$SERVER_PID"

  # 3b. Telemetry on: the same create and drain with OTLP export (traces and metrics) to a local sink.
  if [[ $BENCH_TELEMETRY == 1 ]]; then
    free_port
    SINK_URL=http://127.0.0.1:$PORT
    if command -v nginx >/dev/null; then
      start otlp-sink "$WORK/otlp-sink.log" bench/otlp-sink-nginx.sh "$PORT" "$WORK/otlp-sink"
    else
      start otlp-sink "$WORK/otlp-sink.log" python3 bench/otlp-sink.py "$PORT"
    fi
    SINK_PID=$LAST_PID
    wait_healthy "$SINK_URL" "$SINK_PID" "$WORK/otlp-sink.log"
    export OTEL_EXPORTER_OTLP_ENDPOINT=$SINK_URL OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
    start_server create-otel
    SERVER_PID=$LAST_PID
    create_throughput create-server-otel "$URL"
    SERVER_OTEL_RPS=$CREATE_RPS
    stop "$SERVER_PID"
    # shellcheck disable=SC2086
    Longhaul__RunWorkers=false start_server drain-otel $DRAIN_SERVE_ARGS
    SERVER_PID=$LAST_PID
    run_tool drain-otel-create "$BENCH_BIN" drain --mode create --url "$URL" --count "$DRAIN_COUNT" --concurrency "$DRAIN_CONCURRENCY" "${bench_args[@]+"${bench_args[@]}"}"
    stop "$SERVER_PID"
    # shellcheck disable=SC2086
    Longhaul__WorkerSlots=${DRAIN_WORKER_SLOTS:-128} start_server drain-otel $DRAIN_SERVE_ARGS
    SERVER_PID=$LAST_PID
    log "drain with telemetry on: workers on, ${DRAIN_WORKER_SLOTS:-128} slots"
    run_tool drain-otel "$BENCH_BIN" drain --mode drain --url "$URL" "${bench_args[@]+"${bench_args[@]}"}"
    DRAIN_OTEL_LINE=$LINE
    stop "$SERVER_PID"
    unset OTEL_EXPORTER_OTLP_ENDPOINT OTEL_EXPORTER_OTLP_PROTOCOL
    if [[ -f $WORK/otlp-sink/access.log ]]; then
      log "otlp sink received: $(grep -c '^POST /v1/traces 200' "$WORK/otlp-sink/access.log" || true) trace exports, $(grep -c '^POST /v1/metrics 200' "$WORK/otlp-sink/access.log" || true) metric exports"
    else
      log "otlp sink received: $(curl -fsS "$SINK_URL/" || echo unknown)"
    fi
    stop "$SINK_PID"
  fi

  # 4. Dispatch latency at a steady rate, fresh data dir.
  start_server dispatch
  SERVER_PID=$LAST_PID
  log "dispatch: ${DISPATCH_RATE}/s for ${DISPATCH_SECONDS}s"
  run_tool dispatch "$BENCH_BIN" dispatch --url "$URL" --rate "$DISPATCH_RATE" --seconds "$DISPATCH_SECONDS" \
    --warmup "$DISPATCH_WARMUP" "${bench_args[@]+"${bench_args[@]}"}"
  DISPATCH_LINE=$LINE
  stop "$SERVER_PID"
fi

# ---------------------------------------------------------------------------------------------
check() { # check NAME VALUE OP TARGET
  local verdict=FAIL
  if [[ $2 =~ ^[0-9]+(\.[0-9]+)?$ ]] &&
    awk -v v="$2" -v t="$4" -v op="$3" 'BEGIN { exit !((op == ">=") ? (v + 0 >= t + 0) : (v + 0 <= t + 0)) }'; then
    verdict=PASS
  fi
  printf '  %-34s %12s  target %s %s  %s\n' "$1" "${2:-n/a}" "$3" "$4" "$verdict"
}

echo
echo "================================ Longhaul benchmark summary ================================"
printf '%s\n' "${SUMMARY[@]}"
echo "--------------------------------------------------------------------------------------------"
printf '  %-34s %12s\n' "create throughput, baseline (req/s)" "$BASELINE_RPS"
if [[ $BENCH_SKIP_SERVER != 1 ]]; then
  RATIO=$(awk -v s="$SERVER_RPS" -v b="$BASELINE_RPS" 'BEGIN { if (s + 0 > 0 && b + 0 > 0) printf "%.3f", s / b; else print "n/a" }')
  printf '  %-34s %12s\n' "create throughput, server (req/s)" "$SERVER_RPS"
  check "create ratio server/baseline" "$RATIO" ">=" 0.5
  RATIO_API=$(awk -v s="$SERVER_API_RPS" -v b="$BASELINE_RPS" 'BEGIN { if (s + 0 > 0 && b + 0 > 0) printf "%.3f", s / b; else print "n/a" }')
  printf '  %-34s %12s\n' "create, API-only server (req/s)" "$SERVER_API_RPS"
  check "create ratio API-only/baseline" "$RATIO_API" ">=" 0.5
  printf '  %-34s %12s\n' "drain: drain phase (s)" "$(field "$DRAIN_LINE" drain_s)"
  check "drain ops/s (${DRAIN_WORKER_SLOTS:-128} slots)" "$(field "$DRAIN_LINE" drain_ops_per_s)" ">=" 8000
  printf '  %-34s %12s\n' "dispatch p50 / p90 (ms)" "$(field "$DISPATCH_LINE" start_p50_ms) / $(field "$DISPATCH_LINE" start_p90_ms)"
  check "dispatch p99 (ms)" "$(field "$DISPATCH_LINE" start_p99_ms)" "<=" 10
  printf '  %-34s %12s\n' "dispatch max (ms)" "$(field "$DISPATCH_LINE" start_max_ms)"
  printf '  %-34s %12s\n' "dispatch create p50 / p99 (ms)" "$(field "$DISPATCH_LINE" create_p50_ms) / $(field "$DISPATCH_LINE" create_p99_ms)"
  if [[ $BENCH_TELEMETRY == 1 ]]; then
    OTEL_CREATE_RATIO=$(awk -v s="$SERVER_OTEL_RPS" -v b="$SERVER_RPS" 'BEGIN { if (s + 0 > 0 && b + 0 > 0) printf "%.3f", s / b; else print "n/a" }')
    OTEL_DRAIN_RATIO=$(awk -v s="$(field "$DRAIN_OTEL_LINE" drain_ops_per_s)" -v b="$(field "$DRAIN_LINE" drain_ops_per_s)" 'BEGIN { if (s + 0 > 0 && b + 0 > 0) printf "%.3f", s / b; else print "n/a" }')
    printf '  %-34s %12s\n' "create, telemetry on (req/s)" "$SERVER_OTEL_RPS"
    check "create ratio telemetry on/off" "$OTEL_CREATE_RATIO" ">=" 0.9
    printf '  %-34s %12s\n' "drain ops/s, telemetry on" "$(field "$DRAIN_OTEL_LINE" drain_ops_per_s)"
    check "drain ratio telemetry on/off" "$OTEL_DRAIN_RATIO" ">=" 0.9
    record "telemetry: create_otel_rps=$SERVER_OTEL_RPS create_rps=$SERVER_RPS create_ratio=$OTEL_CREATE_RATIO drain_otel_ops_per_s=$(field "$DRAIN_OTEL_LINE" drain_ops_per_s) drain_ops_per_s=$(field "$DRAIN_LINE" drain_ops_per_s) drain_ratio=$OTEL_DRAIN_RATIO"
  fi
  record "ratio: create_server_rps=$SERVER_RPS create_api_only_rps=$SERVER_API_RPS create_baseline_rps=$BASELINE_RPS ratio=$RATIO ratio_api_only=$RATIO_API"
  echo "ratio: create_server_rps=$SERVER_RPS create_api_only_rps=$SERVER_API_RPS create_baseline_rps=$BASELINE_RPS ratio=$RATIO ratio_api_only=$RATIO_API"
else
  echo "  (server part skipped: BENCH_SKIP_SERVER=1)"
fi
echo "============================================================================================"
if ((${#FAILED[@]} > 0)); then
  log "failed: ${FAILED[*]}"
  exit 1
fi
