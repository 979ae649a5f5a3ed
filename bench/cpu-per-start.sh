#!/usr/bin/env bash
# Server CPU per started operation on an API-only server (no workers), for comparing builds on a noisy machine:
# utime+stime of the server process over a wrk run, divided by the requests it answered. Builds are interleaved
# round by round so that drift of the machine hits them alike.
#
#   bench/cpu-per-start.sh ROUNDS name=path/to/longhaul [name=path/to/longhaul ...]
#
# Environment: CPU_PORT [5811], CPU_SECONDS [10] (measured), CPU_WARMUP [3]. Needs wrk (Debian: apt-get install wrk).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=$1; shift
port=${CPU_PORT:-5811}; seconds=${CPU_SECONDS:-10}; warmup=${CPU_WARMUP:-3}; hz=$(getconf CLK_TCK)
for r in $(seq 1 "$rounds"); do
  for nb in "$@"; do
    name=${nb%%=*}; bin=${nb#*=}
    dir=$(mktemp -d)
    Longhaul__RunWorkers=false Logging__LogLevel__Default=Warning "$bin" serve --urls "http://127.0.0.1:$port" --data-dir "$dir" >/dev/null 2>&1 &
    pid=$!
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
    wrk -t2 -c64 -d"${warmup}s" -s "$ROOT/bench/wrk/create.lua" "http://127.0.0.1:$port/v1/operations" >/dev/null 2>&1
    c0=$(awk '{print $14+$15}' "/proc/$pid/stat")
    out=$(wrk -t2 -c64 -d"${seconds}s" -s "$ROOT/bench/wrk/create.lua" "http://127.0.0.1:$port/v1/operations" 2>/dev/null | grep -o 'requests=[0-9]* duration_s=[0-9.]* rps=[0-9.]*')
    c1=$(awk '{print $14+$15}' "/proc/$pid/stat")
    requests=$(sed -E 's/requests=([0-9]+).*/\1/' <<<"$out")
    echo "round=$r build=$name $out cpu_us_per_request=$(echo "scale=1; ($c1-$c0)*1000000/$hz/$requests" | bc)"
    kill "$pid"; wait "$pid" 2>/dev/null || true; rm -rf "$dir"
  done
done
