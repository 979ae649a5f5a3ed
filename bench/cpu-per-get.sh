#!/usr/bin/env bash
# Server CPU per answered GET of one API path on an API-only server (no workers, development mode: no key), for
# comparing builds on a noisy machine: utime+stime of the server process over a wrk run, divided by the requests it
# answered. Builds are interleaved round by round. Used for the typed handlers of ADR 28 (/v1/usage, /v1/overview).
#
#   bench/cpu-per-get.sh ROUNDS PATH name=path/to/longhaul [name=path/to/longhaul ...]
#
# Environment: CPU_PORT [5812], CPU_SECONDS [8] (measured), CPU_WARMUP [2]. Needs wrk (Debian: apt-get install wrk).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/cpu-lib.sh
source "$ROOT/bench/cpu-lib.sh"
rounds=$1; path=$2; shift 2
cpu_load() { wrk -t2 -c32 -d"$1s" "http://127.0.0.1:$2$path"; }
cpu_fields() { awk -v path="$path" '/requests in/ {print "path=" path " requests=" $1}'; }
cpu_rounds "$rounds" "${CPU_PORT:-5812}" "${CPU_SECONDS:-8}" "${CPU_WARMUP:-2}" "$@"
