#!/usr/bin/env bash
# How many PostgreSQL connections a worker node really uses: a backlog of sleep(0) operations is created through an
# API-only node, then one worker-only node (128 slots by default) drains it while psql samples pg_stat_activity every
# 50 ms for that node's connections (told apart by Application Name). Once per Maximum Pool Size in PGCONN_POOLS.
# Prints, per pool size: the drain rate (server clocks, as in bench/run.sh) and the node's open / busy connections
# (peak and median). docs/configuration.md has the last result and the sizing rule drawn from it.
#
#   export LONGHAUL_TEST_POSTGRES="$(scripts/postgres-dev.sh)"
#   dotnet build Longhaul.sln            # or -c Release and CONFIGURATION=Release
#   bash bench/pg-connections.sh
#
# Settings (environment): PGCONN_COUNT [20000] operations per run; PGCONN_POOLS ["100 32 16"] Maximum Pool Size values;
# PGCONN_SLOTS [128] worker slots; CONFIGURATION [Debug].
set -euo pipefail
cd "$(dirname "$0")/.."

CONN=${LONGHAUL_TEST_POSTGRES:?export LONGHAUL_TEST_POSTGRES (scripts/postgres-dev.sh prints one)}
COUNT=${PGCONN_COUNT:-20000}
POOLS=${PGCONN_POOLS:-"100 32 16"}
SLOTS=${PGCONN_SLOTS:-128}
CONFIGURATION=${CONFIGURATION:-Debug}
LH=src/Longhaul.Server/bin/$CONFIGURATION/net10.0/longhaul
BENCH=bench/Longhaul.Bench/bin/$CONFIGURATION/net10.0/Longhaul.Bench
[ -x "$LH" ] && [ -x "$BENCH" ] || { echo "build first: $LH and $BENCH" >&2; exit 2; }

# psql takes libpq settings from the environment; the connection string is Npgsql's key=value form.
field() { tr ';' '\n' <<<"$CONN" | sed -nE "s/^ *$1 *= *//Ip" | head -1; }
export PGHOST=$(field host) PGPORT=$(field port) PGDATABASE=$(field database) PGUSER=$(field username) PGPASSWORD=$(field password)
: "${PGPORT:=5432}"

work=$(mktemp -d)
pids=()
schema=
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  [ -z "$schema" ] || PGOPTIONS="-c client_min_messages=warning" psql -X -qc "DROP SCHEMA IF EXISTS \"$schema\" CASCADE" >/dev/null 2>&1 || true
  [ -n "${PGCONN_KEEP:-}" ] && echo "kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start NAME APPNAME POOL ROLE SCHEMA -> URL in $url; waits for the "listening" line.
start_node() {
  local name=$1 app=$2 pool=$3 role=$4 schema=$5 port
  port=$(free_port)
  url=http://127.0.0.1:$port
  env Longhaul__Store=postgres Longhaul__Postgres__Schema="$schema" \
    Longhaul__Postgres__ConnectionString="$CONN;Application Name=$app;Maximum Pool Size=$pool" \
    Longhaul__WorkerSlots="$SLOTS" Logging__LogLevel__Default=Warning Logging__LogLevel__Longhaul.Server=Information \
    "$LH" serve --urls "$url" --role "$role" >"$work/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 300); do
    grep -q "Longhaul listening on" "$work/$name.log" && return 0
    sleep 0.1
  done
  echo "$name did not start:" >&2; cat "$work/$name.log" >&2; exit 1
}

percentile() { sort -n | awk -v p="$1" '{a[NR]=$1} END {i=int(p*NR+0.999999); if(i<1)i=1; print a[i]}'; }

printf '%-6s %-6s %12s %10s %10s %10s %10s\n' pool slots drain_ops/s open_max open_p50 busy_max busy_p50
for pool in $POOLS; do
  schema=lh_conn_$(date +%s)_$RANDOM
  start_node api lh-conn-api 20 api "$schema"; api=$url
  "$BENCH" drain --mode create --url "$api" --count "$COUNT" --concurrency 64 >"$work/create.log"

  # One sample a line: open connections of the worker node, and how many of them are busy (not idle).
  printf "SELECT count(*), count(*) FILTER (WHERE state <> 'idle') FROM pg_stat_activity WHERE application_name = 'lh-conn-worker'\n\\\\watch 0.05\n" \
    | psql -X -At -F ' ' >"$work/samples" 2>/dev/null &
  sampler=$!
  pids+=($sampler)
  start_node worker lh-conn-worker "$pool" worker "$schema"; worker_pid=${pids[-1]}
  if ! "$BENCH" drain --mode drain --url "$api" >"$work/drain.log"; then
    echo "pool $pool: the drain did not finish (Longhaul.Bench exit code $?):" >&2; tail -3 "$work/drain.log" >&2
  fi
  kill "$sampler" 2>/dev/null || true
  kill -9 "$worker_pid" "${pids[-3]}" 2>/dev/null || true   # the worker and the API node
  wait 2>/dev/null || true

  rate=$(sed -nE 's/.*drain_ops_per_s=([0-9.]+).*/\1/p' "$work/drain.log" | tail -1)
  grep -E '^[1-9][0-9]* [0-9]+$' "$work/samples" >"$work/s" || true  # while the node is up
  open_max=$(cut -d' ' -f1 "$work/s" | sort -n | tail -1)
  open_p50=$(cut -d' ' -f1 "$work/s" | percentile 0.5)
  busy_max=$(cut -d' ' -f2 "$work/s" | sort -n | tail -1)
  busy_p50=$(cut -d' ' -f2 "$work/s" | percentile 0.5)
  printf '%-6s %-6s %12s %10s %10s %10s %10s\n' "$pool" "$SLOTS" "${rate:-?}" "$open_max" "$open_p50" "$busy_max" "$busy_p50"
  grep -iE "fail|exception|53300" "$work/worker.log" | grep -v "budget exceeded" | head -3 >&2 || true
  PGOPTIONS="-c client_min_messages=warning" psql -X -qc "DROP SCHEMA \"$schema\" CASCADE" >/dev/null
  schema=
done
