#!/usr/bin/env bash
# Webhook delivery against completion on one `longhaul serve` (SQLite, fresh data dir): Longhaul.Bench `webhooks`
# hosts a fast local receiver, creates sleep(0) operations with it as callback_url open-loop at WEBHOOK_RATE for
# WEBHOOK_SECONDS, and reports completions/s, deliveries/s and their ratio (target: >= 0.9 at 500 completions/s).
# Method and results: docs/benchmarks.md, "Webhooks".
#
#   bench/webhooks.sh                                  # 500/s for 20 s
#   WEBHOOK_RATE=200 WEBHOOK_SECONDS=5 bench/webhooks.sh   # smoke run
#
# Environment (defaults in brackets): WEBHOOK_RATE [500] WEBHOOK_SECONDS [20] SERVER_LOG_LEVEL [Warning]
# BENCH_BASE_PORT [5800] BENCH_SKIP_BUILD [0] BENCH_KEEP [0] BENCH_OUT [] START_TIMEOUT_S [60]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export NUGET_CERT_REVOCATION_MODE=offline DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

WEBHOOK_RATE=${WEBHOOK_RATE:-500}
WEBHOOK_SECONDS=${WEBHOOK_SECONDS:-20}
SERVER_LOG_LEVEL=${SERVER_LOG_LEVEL:-Warning}
BENCH_BASE_PORT=${BENCH_BASE_PORT:-5800}
BENCH_SKIP_BUILD=${BENCH_SKIP_BUILD:-0}
BENCH_KEEP=${BENCH_KEEP:-0}
BENCH_OUT=${BENCH_OUT:-}
START_TIMEOUT_S=${START_TIMEOUT_S:-60}
BENCH_BIN=bench/Longhaul.Bench/bin/Release/net10.0/Longhaul.Bench
SERVER_BIN=src/Longhaul.Server/bin/Release/net10.0/longhaul

WORK=$(mktemp -d "${TMPDIR:-/tmp}/longhaul-bench-webhooks.XXXXXX")
STOP_GRACE_S=10
BENCH_LOG_TAG=webhooks
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

log "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), $(uname -sr); commit $(git rev-parse --short HEAD 2>/dev/null || echo none)$(git diff --quiet HEAD -- 2>/dev/null || echo ' (dirty)')"
if [[ $BENCH_SKIP_BUILD != 1 ]]; then
  log "building bench and server (Release)"
  dotnet build bench/Longhaul.Bench -c Release -nologo -v quiet
  dotnet build src/Longhaul.Server -c Release -nologo -v quiet
fi

free_port
URL=http://127.0.0.1:$PORT
mkdir -p "$WORK/data"
Logging__LogLevel__Default=$SERVER_LOG_LEVEL Longhaul__Egress__AllowedNetworks__0=127.0.0.0/8 \
  start server "$WORK/server.log" "$SERVER_BIN" serve --urls "$URL" --data-dir "$WORK/data"
wait_healthy "$URL" "$LAST_PID" "$WORK/server.log"

log "webhooks: ${WEBHOOK_RATE}/s for ${WEBHOOK_SECONDS}s"
"$BENCH_BIN" webhooks --url "$URL" --rate "$WEBHOOK_RATE" --seconds "$WEBHOOK_SECONDS" | tee "$WORK/webhooks.out"
LINE=$(grep '^webhooks: rate=' "$WORK/webhooks.out" | tail -n 1)
[[ -z $BENCH_OUT ]] || echo "$LINE" >>"$BENCH_OUT"
ratio=$(field "$LINE" ratio)
log "ratio deliveries/s : completions/s = $ratio (target >= 0.9)"
