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
# shellcheck source=bench/cpu-lib.sh
source "$ROOT/bench/cpu-lib.sh"
rounds=$1; shift
cpu_load() { wrk -t2 -c64 -d"$1s" -s "$ROOT/bench/wrk/create.lua" "http://127.0.0.1:$2/v1/operations"; }
cpu_fields() { grep -o 'requests=[0-9]* duration_s=[0-9.]* rps=[0-9.]*'; }
cpu_rounds "$rounds" "${CPU_PORT:-5811}" "${CPU_SECONDS:-10}" "${CPU_WARMUP:-3}" "$@"
