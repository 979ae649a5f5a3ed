#!/usr/bin/env bash
# Remote workers (issue 12): the drain of 5,000 zero-work operations by the Python reference worker (concurrency 16)
# as a ratio to the in-process drain of 5,000 `sleep(0)` operations, both in this run on fresh SQLite data
# directories, timed by the server's clock (first started_at to last finished_at); target ratio >= 0.25. Then the
# cancel latency to a remote worker (POST cancel -> the operation done, seen by a /wait long-poll): p50/p99 with the
# worker's cancel watch (POST /v1/leases/watch) and with heartbeats only.
#
#   bench/remote-workers.sh [path/to/longhaul]     (default: src/Longhaul.Server/bin/Release/net10.0/longhaul, built if missing)
#
# Environment: REMOTE_COUNT [5000], REMOTE_CONCURRENCY [16], CANCEL_SAMPLES [50], CANCEL_HEARTBEAT_SAMPLES [10],
# REMOTE_PORT [5821]. Development mode (no API keys) so that no key lookup is in either figure.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin=${1:-$ROOT/src/Longhaul.Server/bin/Release/net10.0/longhaul}
count=${REMOTE_COUNT:-5000}; concurrency=${REMOTE_CONCURRENCY:-16}; port=${REMOTE_PORT:-5821}
samples=${CANCEL_SAMPLES:-50}; hb_samples=${CANCEL_HEARTBEAT_SAMPLES:-10}
if [ ! -x "$bin" ]; then
  NUGET_CERT_REVOCATION_MODE=offline dotnet build -c Release "$ROOT/src/Longhaul.Server" >/dev/null
fi
url="http://127.0.0.1:$port"
py="python3 $ROOT/bench/remote_workers.py"
worker="$ROOT/samples/python-worker/longhaul_worker.py"
dir=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done; rm -rf "$dir"; }
trap cleanup EXIT
export Logging__LogLevel__Default=Warning Longhaul__RemoteKinds__noop__Description=noop Longhaul__RemoteKinds__wait_cancel__Description=wait

serve() { # data-dir, extra env...
  local data=$1; shift
  env "$@" "$bin" serve --urls "$url" --data-dir "$data" >>"$dir/server.log" 2>&1 &
  server=$!; pids+=("$server")
  for _ in $(seq 1 200); do curl -sf "$url/healthz" >/dev/null && return; sleep 0.05; done
  echo "server did not start" >&2; cat "$dir/server.log" >&2; exit 1
}
stop() { kill "$1"; wait "$1" 2>/dev/null || true; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# 1. In-process: create with workers off, restart with workers on, drain.
serve "$dir/a" Longhaul__RunWorkers=false
$py create "$url" sleep '{"seconds":0}' "$count"
stop "$server"
serve "$dir/a"
inproc=$($py drain "$url" sleep "$count")
stop "$server"
echo "inprocess_drain_ops_per_s=$inproc"

# 2. Remote: create (noop is remote: the server never runs it), then the Python worker drains.
serve "$dir/b"
$py create "$url" noop '{}' "$count"
(cd "$ROOT/samples/python-worker" && exec python3 "$worker" --url "$url" --module example_handlers --kinds noop --concurrency "$concurrency" --name bench >"$dir/worker.log" 2>&1) &
wpid=$!; pids+=("$wpid")
cpu0=$(cpu_ticks "$server")
remote=$($py drain "$url" noop "$count")
cpu1=$(cpu_ticks "$server")
kill "$wpid"; wait "$wpid" 2>/dev/null || true
echo "remote_drain_ops_per_s=$remote ratio=$(echo "scale=2; $remote / $inproc" | bc)"
# The server's CPU time during the remote drain (user + system, from /proc): less noisy than wall time on a busy machine.
echo "remote_drain_server_cpu_s=$(echo "scale=2; ($cpu1 - $cpu0) / $(getconf CLK_TCK)" | bc) server_cpu_ms_per_op=$(echo "scale=3; ($cpu1 - $cpu0) * 1000 / $(getconf CLK_TCK) / $count" | bc)"

# 3. Cancel latency: with the worker's cancel watch, then heartbeats only (every Longhaul:HeartbeatInterval, 10 s).
(cd "$ROOT/samples/python-worker" && exec python3 "$worker" --url "$url" --module example_handlers --kinds wait_cancel --concurrency 4 --name watch >"$dir/watch.log" 2>&1) &
wpid=$!; pids+=("$wpid")
echo "cancel_watch samples=$samples $($py cancel "$url" "$samples")"
kill "$wpid"; wait "$wpid" 2>/dev/null || true
(cd "$ROOT/samples/python-worker" && exec python3 "$worker" --url "$url" --module example_handlers --kinds wait_cancel --concurrency 4 --name heartbeat --no-watch >"$dir/hb.log" 2>&1) &
wpid=$!; pids+=("$wpid")
echo "cancel_heartbeat_only samples=$hb_samples $($py cancel "$url" "$hb_samples")"
