#!/usr/bin/env bash
# Start-up time of the `longhaul` client commands: wall time of each command, run RUNS times against a local
# `longhaul serve` (same binary, fresh data directory; its workers finish the operations read), median and worst reported. The target is < 0.3 s.
#
#   bench/cli-start.sh [path/to/longhaul]     (default artifacts/publish/linux-x64/longhaul: scripts/publish.sh)
#
# Environment: CLI_RUNS [11], CLI_PORT [5812].
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin=${1:-$ROOT/artifacts/publish/linux-x64/longhaul}
runs=${CLI_RUNS:-11}; port=${CLI_PORT:-5812}
[ -x "$bin" ] || { echo "no executable at $bin (run scripts/publish.sh)" >&2; exit 1; }
dir=$(mktemp -d)
Logging__LogLevel__Default=Warning "$bin" serve --urls "http://127.0.0.1:$port" --data-dir "$dir" >/dev/null 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
export LONGHAUL_URL="http://127.0.0.1:$port"
id=$("$bin" start sleep --input '{"seconds":0}' --wait --output json | sed -E 's/.*"id":"([^"]+)".*/\1/')

measure() {
  local name=$1; shift
  local times=()
  "$@" >/dev/null 2>&1 || true   # one unmeasured run: the file system cache, like any second invocation
  for _ in $(seq 1 "$runs"); do
    local t0 t1
    t0=$(date +%s%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000000 )))
  done
  local sorted
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  echo "command=\"$name\" runs=$runs median_ms=$(sed -n "$(( (runs + 1) / 2 ))p" <<<"$sorted") max_ms=$(tail -1 <<<"$sorted")"
}

measure "--help" "$bin" --help
measure "get ID" "$bin" get "$id"
measure "get ID --output json" "$bin" get "$id" --output json
measure "list" "$bin" list
measure "start sleep --input {}" "$bin" start sleep --input '{"seconds":0}'
measure "events ID --after 0" "$bin" events "$id" --after 0
