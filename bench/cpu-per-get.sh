#!/usr/bin/env bash
# Server CPU per answered GET of one API path on an API-only server (no workers, development mode: no key), for
# comparing builds on a noisy machine: utime+stime of the server process over a wrk run, divided by the requests it
# answered. Builds are interleaved round by round. Used for the typed handlers of ADR 28 (/v1/usage, /v1/overview).
#
#   bench/cpu-per-get.sh ROUNDS PATH name=path/to/longhaul [name=path/to/longhaul ...]
#
# Environment: CPU_PORT [5812], CPU_SECONDS [8] (measured), CPU_WARMUP [2]. Needs wrk (Debian: apt-get install wrk).
set -euo pipefail
rounds=$1; path=$2; shift 2
port=${CPU_PORT:-5812}; seconds=${CPU_SECONDS:-8}; warmup=${CPU_WARMUP:-2}; hz=$(getconf CLK_TCK)
for r in $(seq 1 "$rounds"); do
  for nb in "$@"; do
    name=${nb%%=*}; bin=${nb#*=}
    dir=$(mktemp -d)
    Longhaul__RunWorkers=false Logging__LogLevel__Default=Warning "$bin" serve --urls "http://127.0.0.1:$port" --data-dir "$dir" >/dev/null 2>&1 &
    pid=$!
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
    wrk -t2 -c32 -d"${warmup}s" "http://127.0.0.1:$port$path" >/dev/null 2>&1
    c0=$(awk '{print $14+$15}' "/proc/$pid/stat")
    requests=$(wrk -t2 -c32 -d"${seconds}s" "http://127.0.0.1:$port$path" 2>/dev/null | awk '/requests in/ {print $1}')
    c1=$(awk '{print $14+$15}' "/proc/$pid/stat")
    echo "round=$r build=$name path=$path requests=$requests cpu_us_per_request=$(echo "scale=1; ($c1-$c0)*1000000/$hz/$requests" | bc)"
    kill "$pid"; wait "$pid" 2>/dev/null || true; rm -rf "$dir"
  done
done
