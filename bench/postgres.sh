#!/usr/bin/env bash
# Longhaul on PostgreSQL against its peers, in one run on one PostgreSQL (method: docs/benchmarks.md, "PostgreSQL").
#
#   bench/postgres.sh                                   # full run (~5-8 minutes on 2 cores)
#   DRAIN_COUNT=2000 DISPATCH_SECONDS=3 BENCH_SECONDS=3 BENCH_WARMUP=1 bench/postgres.sh    # smoke run
#   BENCH_STEPS="drain" bench/postgres.sh                # only some comparisons (drain, dispatch, create)
#
# Comparisons, each Longhaul step followed at once by its peer step, every step on a freshly created database:
#   drain     20,000 sleep(0) operations created through an API-only node (`--role api`), which is then stopped;
#             two worker-only processes (`--role worker`, WORKER_SLOTS each) drain them; timed by the server's
#             own started_at/finished_at.  Peer: graphile-worker (bench/peers/graphile-worker/drain.mjs) draining
#             20,000 no-op jobs enqueued beforehand, with two worker processes of the same concurrency each.
#   dispatch  one API node + two worker nodes; sleep(0) created open-loop at DISPATCH_RATE/s; started_at - created_at.
#             Peer: graphile-worker, two worker processes, addJob open-loop at the same rate; locked_at - created_at.
#   create    two API-only nodes, each loaded by its own wrk with half of CREATE_CLIENTS connections.
#             Baseline: pgbench, CREATE_CLIENTS clients, one single-row INSERT per transaction (bench/pgbench/).
# Every process started here is stopped on exit (also on Ctrl-C or error); the benchmark databases are dropped.
#
# Environment (defaults in brackets):
#   PG_HOST [localhost]  PG_PORT [5432]  PG_USER [postgres]  PG_PASSWORD [$PGPASSWORD or longhaul]
#   PG_SSL [disable]          TLS to PostgreSQL for Longhaul (Npgsql `SSL Mode`) and psql/pgbench (PGSSLMODE). `disable`
#                             matches graphile-worker (node-postgres connects without TLS unless told to); Npgsql and
#                             libpq default to `prefer`, which on Debian's PostgreSQL (ssl=on) means TLS over loopback.
#   BENCH_DB [longhaul_bench]  PEER_DB [graphile_bench]   dropped and created again before each step (never
#                             the test database longhaul_test); both must be names this script may drop
#   PG_POOL_SIZE [32]         connections per process: Npgsql `Maximum Pool Size` of every Longhaul node and
#                             graphile-worker's `maxPoolSize` per worker process
#   WORKER_SLOTS [32]         Longhaul__WorkerSlots of each of the two worker processes; graphile-worker gets the
#                             same `concurrency` in each of its two processes (total 2 x WORKER_SLOTS on both sides)
#   DRAIN_COUNT [20000]       DRAIN_CONCURRENCY [64] (HTTP connections filling the backlog)
#   DISPATCH_RATE [100]       DISPATCH_SECONDS [20]  DISPATCH_WARMUP [2]
#   CREATE_CLIENTS [32]       total wrk connections (split over the two API nodes) = pgbench clients (-c)
#   BENCH_SECONDS [15]        measured seconds of each create run   BENCH_WARMUP [3] un-measured warm-up seconds
#   BENCH_STEPS [drain dispatch create]   BENCH_SKIP_PEERS [0] (1: Longhaul's side only, no graphile-worker/pgbench)
#   GW_LOCAL_QUEUE_SIZE, GW_COMPLETE_JOB_BATCH_DELAY   opt-in graphile-worker batching (off, as graphile ships)
#   BENCH_SERVE_ARGS []       extra args for every `longhaul serve`
#   LH_CONN_EXTRA []          appended to Longhaul's Npgsql connection string (e.g. "Max Auto Prepare=0")
#   SERVER_LOG_LEVEL [Warning] BENCH_BASE_PORT [5800]  BENCH_SKIP_BUILD [0]  BENCH_KEEP [0] (keep logs)
#   BENCH_OUT []              also append the machine-readable summary lines to this file
#   BENCH_SERVER_BIN [src/Longhaul.Server/bin/Release/net10.0/longhaul]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

export NUGET_CERT_REVOCATION_MODE=offline
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

PG_HOST=${PG_HOST:-localhost}
PG_PORT=${PG_PORT:-5432}
PG_USER=${PG_USER:-postgres}
PG_PASSWORD=${PG_PASSWORD:-${PGPASSWORD:-longhaul}}
BENCH_DB=${BENCH_DB:-longhaul_bench}
PEER_DB=${PEER_DB:-graphile_bench}
PG_POOL_SIZE=${PG_POOL_SIZE:-32}
WORKER_SLOTS=${WORKER_SLOTS:-32}
DRAIN_COUNT=${DRAIN_COUNT:-20000}
DRAIN_CONCURRENCY=${DRAIN_CONCURRENCY:-64}
DISPATCH_RATE=${DISPATCH_RATE:-100}
DISPATCH_SECONDS=${DISPATCH_SECONDS:-20}
DISPATCH_WARMUP=${DISPATCH_WARMUP:-2}
CREATE_CLIENTS=${CREATE_CLIENTS:-32}
BENCH_SECONDS=${BENCH_SECONDS:-15}
BENCH_WARMUP=${BENCH_WARMUP:-3}
BENCH_STEPS=${BENCH_STEPS:-drain dispatch create}
BENCH_SKIP_PEERS=${BENCH_SKIP_PEERS:-0}
BENCH_SERVE_ARGS=${BENCH_SERVE_ARGS:-}
SERVER_LOG_LEVEL=${SERVER_LOG_LEVEL:-Warning}
BENCH_BASE_PORT=${BENCH_BASE_PORT:-5800}
BENCH_SKIP_BUILD=${BENCH_SKIP_BUILD:-0}
BENCH_KEEP=${BENCH_KEEP:-0}
BENCH_OUT=${BENCH_OUT:-}
START_TIMEOUT_S=${START_TIMEOUT_S:-60}
DRAIN_TIMEOUT_S=${DRAIN_TIMEOUT_S:-600}

BENCH_PROJECT=bench/Longhaul.Bench
BENCH_BIN=$BENCH_PROJECT/bin/Release/net10.0/Longhaul.Bench
SERVER_PROJECT=src/Longhaul.Server
SERVER_BIN=${BENCH_SERVER_BIN:-$SERVER_PROJECT/bin/Release/net10.0/longhaul}
WRK_SCRIPT=bench/wrk/create.lua
PEER_DIR=bench/peers/graphile-worker

PG_SSL=${PG_SSL:-disable}
export PGHOST=$PG_HOST PGPORT=$PG_PORT PGUSER=$PG_USER PGPASSWORD=$PG_PASSWORD PGSSLMODE=$PG_SSL
# Longhaul's connection string (Npgsql) and graphile-worker's (node-postgres URL) for a database.
# lh_conn DB [APPLICATION_NAME]
lh_conn() { printf 'Host=%s;Port=%s;Database=%s;Username=%s;Password=%s;Maximum Pool Size=%s;SSL Mode=%s;Application Name=%s%s' "$PG_HOST" "$PG_PORT" "$1" "$PG_USER" "$PG_PASSWORD" "$PG_POOL_SIZE" "$PG_SSL" "${2:-longhaul}" "${LH_CONN_EXTRA:+;$LH_CONN_EXTRA}"; }
peer_url() { printf 'postgres://%s:%s@%s:%s/%s' "$PG_USER" "$PG_PASSWORD" "$PG_HOST" "$PG_PORT" "$1"; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/longhaul-pgbench.XXXXXX")
BENCH_LOG_TAG=pg-bench
LOG_REDACT="Password=$PG_PASSWORD"
source "$ROOT/bench/lib.sh"

for db in "$BENCH_DB" "$PEER_DB"; do
  [[ $db =~ ^[a-z_][a-z0-9_]*$ ]] || die "database name '$db' must be a plain lower-case identifier"
  [[ $db != longhaul_test && $db != postgres && $db != template0 && $db != template1 ]] || die "refusing to drop database '$db'"
done
[[ $BENCH_DB != "$PEER_DB" ]] || die "BENCH_DB and PEER_DB must differ"

# Debian's `psql` is a Perl wrapper (pg_wrapper) costing ~80 ms of CPU per call; the drain polls with psql while
# the workers run on the same cores, so call the client binary itself when it is there.
PSQL_BIN=$(ls -d /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -n 1 || true)
PSQL_BIN=${PSQL_BIN:-psql}
psql_q() { "$PSQL_BIN" -X -q -v ON_ERROR_STOP=1 -At "$@"; }

drop_databases() {
  local db
  for db in "$BENCH_DB" "$PEER_DB"; do
    psql_q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  done
}

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  PIDS=()
  if [[ $BENCH_KEEP == 1 ]]; then log "kept $WORK (databases kept too)"; else rm -rf "$WORK"; drop_databases; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# fresh_db NAME : drops and creates a database, then checkpoints so that no earlier step's dirty pages are
# flushed during the next one.
fresh_db() {
  psql_q -d postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1" -c "CHECKPOINT" >/dev/null
  log "fresh database $1"
}

migrate() { "$SERVER_BIN" migrate --store postgres --connection "$(lh_conn "$BENCH_DB")" >"$WORK/migrate.log" 2>&1 || { cat "$WORK/migrate.log" >&2; die "longhaul migrate failed"; }; }

# launch_node LABEL ROLE [ENV=VALUE...] : `longhaul serve --store postgres --role ROLE` on the next free port,
# not waiting for it; sets URL and LAST_PID. Schema migrations are applied beforehand (migrate), hence --no-migrate.
launch_node() {
  local label=$1 role=$2; shift 2
  free_port
  URL=http://127.0.0.1:$PORT
  # shellcheck disable=SC2086 # BENCH_SERVE_ARGS is a word list on purpose
  start "$label" "$WORK/$label.log" env Logging__LogLevel__Default="$SERVER_LOG_LEVEL" "$@" \
    "$SERVER_BIN" serve --store postgres --connection "$(lh_conn "$BENCH_DB" "longhaul-$role")" --role "$role" --no-migrate --urls "$URL" $BENCH_SERVE_ARGS
}

# proc_cpu_ms PID... : CPU time (user + system, ms) the processes have used so far, from /proc.
proc_cpu_ms() {
  local pid total=0 stat rest
  local -a f
  for pid in "$@"; do
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
    rest=${stat##*) }
    read -r -a f <<<"$rest"
    total=$((total + f[11] + f[12]))
  done
  echo $((total * 1000 / $(getconf CLK_TCK)))
}

# db_cpu_ms DB APPLICATION_NAME : CPU time (ms) used so far by that database's sessions of that application.
db_cpu_ms() {
  # shellcheck disable=SC2046 # one pid per word
  proc_cpu_ms $(psql_q -d "$1" -c "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = '$2'")
}

# db_xacts DB : transactions committed or rolled back in that database so far (sessions report them when they end
# or go idle, so read it after the sessions of interest have ended).
db_xacts() { psql_q -d postgres -c "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '$1'"; }

# Rows of the benchmark schema not yet finished (pending or running).
# Whether any operation is still pending or running (1/0): each poll is a new psql process and session, so it must be
# cheap (it runs while the workers drain, on the same cores; the drain is timed by the server's timestamps, not by it).
unfinished() { psql_q -d "$BENCH_DB" -c "SELECT (EXISTS (SELECT 1 FROM longhaul.operations WHERE status = 0) OR EXISTS (SELECT 1 FROM longhaul.operations WHERE status = 1))::int"; }
unfinished_count() { psql_q -d "$BENCH_DB" -c "SELECT count(*) FROM longhaul.operations WHERE status IN (0, 1)"; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "n/a" }'; }
verdict() { # verdict VALUE OP TARGET
  if [[ $1 =~ ^[0-9]+(\.[0-9]+)?$ ]] && [[ $3 =~ ^[0-9]+(\.[0-9]+)?$ ]] &&
    awk -v v="$1" -v t="$3" -v op="$2" 'BEGIN { exit !((op == ">=") ? (v + 0 >= t + 0) : (v + 0 <= t + 0)) }'; then
    echo met
  else
    echo "**missed**"
  fi
}
has_step() { [[ " $BENCH_STEPS " == *" $1 "* ]]; }

# ---------------------------------------------------------------------------------------------
for tool in psql pgbench wrk node npm curl; do command -v "$tool" >/dev/null || die "$tool is not installed"; done
pg_isready -q -h "$PG_HOST" -p "$PG_PORT" || die "PostgreSQL does not answer at $PG_HOST:$PG_PORT (bash scripts/postgres-dev.sh starts one)"
PG_VERSION=$(psql_q -d postgres -c "SHOW server_version")
PG_SETTINGS=$(psql_q -d postgres -F ' ' -c "SELECT string_agg(name || '=' || setting || COALESCE(unit, ''), ' ' ORDER BY name) FROM pg_settings WHERE name IN ('synchronous_commit', 'fsync', 'wal_sync_method', 'shared_buffers', 'max_connections', 'commit_delay')")
MAX_CONN=$(psql_q -d postgres -c "SHOW max_connections")
USED_CONN=$(psql_q -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'")
NEED_CONN=$((2 * (PG_POOL_SIZE + 3) + 4))   # the drain's peak: two worker processes' pools (+ LISTEN, leader, notifier)
log "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
log "dotnet $(dotnet --version), node $(node --version), $( (wrk --version 2>&1 || true) | head -n 1 | cut -d' ' -f1-2), $(pgbench --version), PostgreSQL $PG_VERSION on $PG_HOST:$PG_PORT"
log "PostgreSQL settings: $PG_SETTINGS; $USED_CONN client connections open now"
log "commit $(git rev-parse --short HEAD 2>/dev/null || echo none)$(git diff --quiet HEAD -- 2>/dev/null || echo ' (dirty)')"
log "settings: steps=[$BENCH_STEPS] worker slots=$WORKER_SLOTS x 2 processes, pool=$PG_POOL_SIZE per process; drain=$DRAIN_COUNT; dispatch=${DISPATCH_RATE}/s x ${DISPATCH_SECONDS}s (+${DISPATCH_WARMUP}s); create clients=$CREATE_CLIENTS ${BENCH_SECONDS}s (+${BENCH_WARMUP}s)"
if ((USED_CONN + NEED_CONN > MAX_CONN)); then
  log "WARNING: up to $NEED_CONN connections needed, $USED_CONN of max_connections=$MAX_CONN in use: lower PG_POOL_SIZE or stop other clients"
fi

if [[ $BENCH_SKIP_BUILD != 1 ]]; then
  log "building $BENCH_PROJECT (Release)"
  dotnet build "$BENCH_PROJECT" -c Release -nologo -v quiet
  if [[ -z ${BENCH_SERVER_BIN:-} ]]; then
    log "building $SERVER_PROJECT (Release)"
    dotnet build "$SERVER_PROJECT" -c Release -nologo -v quiet
  fi
fi
[[ -x $BENCH_BIN ]] || die "$BENCH_BIN not found (build $BENCH_PROJECT first)"
[[ -x $SERVER_BIN ]] || die "$SERVER_BIN not found (build $SERVER_PROJECT first)"
if [[ ! -d $PEER_DIR/node_modules/graphile-worker ]]; then
  log "installing graphile-worker (npm ci in $PEER_DIR)"
  (cd "$PEER_DIR" && npm ci --no-audit --no-fund --loglevel=error)
fi
GW_VERSION=$(node -p "require('./$PEER_DIR/node_modules/graphile-worker/package.json').version")
log "graphile-worker $GW_VERSION"

# ---------------------------------------------------------------------------------------------
# 1. Drain.
if has_step drain; then
  fresh_db "$BENCH_DB"
  migrate
  launch_node drain-api api
  API_PID=$LAST_PID
  wait_healthy "$URL" "$API_PID" "$WORK/drain-api.log"
  log "drain: creating $DRAIN_COUNT sleep(0) operations through the API-only node"
  run_tool lh-drain-create "$BENCH_BIN" drain --mode create --url "$URL" --count "$DRAIN_COUNT" --concurrency "$DRAIN_CONCURRENCY"
  stop "$API_PID"
  psql_q -d postgres -c "CHECKPOINT" >/dev/null
  XACTS_BEFORE=$(db_xacts "$BENCH_DB")
  POLLS=0
  log "drain: starting two worker-only nodes ($WORKER_SLOTS slots each)"
  launch_node drain-worker-1 worker Longhaul__WorkerSlots="$WORKER_SLOTS"
  W1=$LAST_PID; U1=$URL
  launch_node drain-worker-2 worker Longhaul__WorkerSlots="$WORKER_SLOTS"
  W2=$LAST_PID; U2=$URL
  wait_healthy "$U1" "$W1" "$WORK/drain-worker-1.log"
  wait_healthy "$U2" "$W2" "$WORK/drain-worker-2.log"
  deadline=$((SECONDS + DRAIN_TIMEOUT_S))
  while left=$(unfinished) && ((left > 0)); do
    ((SECONDS < deadline)) || die "drain: $(unfinished_count) operations still unfinished after ${DRAIN_TIMEOUT_S}s"
    POLLS=$((POLLS + 1))
    sleep 1
  done
  # CPU used by the two worker processes (since their start: includes .NET start-up and JIT) and by their
  # database sessions (opened after the backlog was created: claiming and completing it, plus session start-up).
  LH_CLIENT_CPU=$(proc_cpu_ms "$W1" "$W2")
  LH_DB_CPU=$(db_cpu_ms "$BENCH_DB" longhaul-worker)
  stop "$W1"; stop "$W2"
  XACTS_DRAIN=$(($(db_xacts "$BENCH_DB") - XACTS_BEFORE - POLLS - 2))   # minus this script's own queries (polls, db_cpu_ms)
  # The figure, by the server's clock, with the same command as the SQLite drain (it needs the API: a fresh API-only node).
  launch_node drain-read api
  API_PID=$LAST_PID
  wait_healthy "$URL" "$API_PID" "$WORK/drain-read.log"
  run_tool lh-drain "$BENCH_BIN" drain --mode drain --url "$URL"
  LH_DRAIN=$LINE
  stop "$API_PID"
  # The same from the table (microseconds) and how the work was split between the two processes.
  LH_DRAIN_SQL=$(psql_q -d "$BENCH_DB" -F ' ' -c "SELECT 'lh-drain-sql: succeeded=' || count(*) FILTER (WHERE status = 2) || ' other=' || count(*) FILTER (WHERE status <> 2) || ' drain_s=' || round(extract(epoch FROM max(finished_at) - min(started_at))::numeric, 4) || ' attempts_above_1=' || count(*) FILTER (WHERE attempt > 1) || ' client_cpu_s=' || round($LH_CLIENT_CPU / 1000.0, 2) || ' db_cpu_s=' || round($LH_DB_CPU / 1000.0, 2) || ' db_cpu_ms_per_op=' || round($LH_DB_CPU::numeric / greatest(count(*), 1), 3) || ' xacts_per_op=' || round($XACTS_DRAIN::numeric / greatest(count(*), 1), 2) FROM longhaul.operations")
  record "$LH_DRAIN_SQL"
  echo "$LH_DRAIN_SQL"

  if [[ $BENCH_SKIP_PEERS != 1 ]]; then
  fresh_db "$PEER_DB"
  log "drain peer: graphile-worker, 2 processes x concurrency $WORKER_SLOTS"
  XACTS_BEFORE=$(db_xacts "$PEER_DB")
  run_tool gw-drain node "$PEER_DIR/drain.mjs" --connection "$(peer_url "$PEER_DB")" --count "$DRAIN_COUNT" \
    --processes 2 --concurrency "$WORKER_SLOTS" --pool-size "$PG_POOL_SIZE"
  GW_DRAIN=$LINE
  # All of graphile's transactions in that database: migration, enqueue (one per 1,000 jobs), the drain, the polls.
  LINE="gw-drain-sql: xacts_per_op=$(awk -v x="$(($(db_xacts "$PEER_DB") - XACTS_BEFORE))" -v n="$DRAIN_COUNT" 'BEGIN { printf "%.2f", x / n }')"
  record "$LINE"; echo "$LINE"
  fi
fi

# 2. Dispatch latency.
if has_step dispatch; then
  fresh_db "$BENCH_DB"
  migrate
  launch_node dispatch-api api
  API_PID=$LAST_PID; API_URL=$URL
  launch_node dispatch-worker-1 worker Longhaul__WorkerSlots="$WORKER_SLOTS"
  W1=$LAST_PID; U1=$URL
  launch_node dispatch-worker-2 worker Longhaul__WorkerSlots="$WORKER_SLOTS"
  W2=$LAST_PID; U2=$URL
  wait_healthy "$API_URL" "$API_PID" "$WORK/dispatch-api.log"
  wait_healthy "$U1" "$W1" "$WORK/dispatch-worker-1.log"
  wait_healthy "$U2" "$W2" "$WORK/dispatch-worker-2.log"
  log "dispatch: ${DISPATCH_RATE}/s for ${DISPATCH_SECONDS}s through the API node, two worker nodes"
  run_tool lh-dispatch "$BENCH_BIN" dispatch --url "$API_URL" --rate "$DISPATCH_RATE" --seconds "$DISPATCH_SECONDS" --warmup "$DISPATCH_WARMUP"
  LH_DISPATCH=$LINE
  stop "$W1"; stop "$W2"; stop "$API_PID"

  if [[ $BENCH_SKIP_PEERS != 1 ]]; then
  fresh_db "$PEER_DB"
  log "dispatch peer: graphile-worker, 2 processes x concurrency $WORKER_SLOTS, addJob at ${DISPATCH_RATE}/s"
  run_tool gw-dispatch node "$PEER_DIR/dispatch.mjs" --connection "$(peer_url "$PEER_DB")" --rate "$DISPATCH_RATE" \
    --seconds "$DISPATCH_SECONDS" --warmup "$DISPATCH_WARMUP" --processes 2 --concurrency "$WORKER_SLOTS" --pool-size "$PG_POOL_SIZE"
  GW_DISPATCH=$LINE
  fi
fi

# 3. Create throughput: two API nodes, each with its own wrk (half the connections each), against pgbench.
if has_step create; then
  HALF=$((CREATE_CLIENTS / 2))
  ((HALF >= 1)) || die "CREATE_CLIENTS must be at least 2"
  fresh_db "$BENCH_DB"
  migrate
  launch_node create-api-1 api
  A1=$LAST_PID; C1=$URL
  launch_node create-api-2 api
  A2=$LAST_PID; C2=$URL
  wait_healthy "$C1" "$A1" "$WORK/create-api-1.log"
  wait_healthy "$C2" "$A2" "$WORK/create-api-2.log"
  if [[ $BENCH_WARMUP != 0 ]]; then
    log "create: wrk warm-up ${BENCH_WARMUP}s on both nodes (not measured)"
    wrk -t1 -c"$HALF" -d"${BENCH_WARMUP}s" -s "$WRK_SCRIPT" "$C1/v1/operations" >/dev/null 2>&1 &
    p1=$!
    wrk -t1 -c"$HALF" -d"${BENCH_WARMUP}s" -s "$WRK_SCRIPT" "$C2/v1/operations" >/dev/null 2>&1 &
    p2=$!
    PIDS+=("$p1" "$p2")
    wait "$p1" || true; wait "$p2" || true
    forget "$p1"; forget "$p2"
  fi
  log "create: wrk -t1 -c$HALF -d${BENCH_SECONDS}s on each of the two API nodes at once"
  wrk -t1 -c"$HALF" -d"${BENCH_SECONDS}s" --latency -s "$WRK_SCRIPT" "$C1/v1/operations" >"$WORK/lh-create-1.out" 2>&1 &
  p1=$!
  wrk -t1 -c"$HALF" -d"${BENCH_SECONDS}s" --latency -s "$WRK_SCRIPT" "$C2/v1/operations" >"$WORK/lh-create-2.out" 2>&1 &
  p2=$!
  PIDS+=("$p1" "$p2")
  RC1=0; RC2=0
  wait "$p1" || RC1=$?; wait "$p2" || RC2=$?
  forget "$p1"; forget "$p2"
  cat "$WORK/lh-create-1.out" "$WORK/lh-create-2.out"
  L1=$(grep -E '^wrk: ' "$WORK/lh-create-1.out" | tail -n 1 || true)
  L2=$(grep -E '^wrk: ' "$WORK/lh-create-2.out" | tail -n 1 || true)
  record "lh-create-node-1 ${L1:-wrk: no_summary=1}"
  record "lh-create-node-2 ${L2:-wrk: no_summary=1}"
  ((RC1 == 0 && RC2 == 0)) || FAILED+=("lh-create (wrk exit codes $RC1/$RC2)")
  for l in "$L1" "$L2"; do
    if [[ $(field "$l" non2xx) != 0 || $(field "$l" socket_errors) != 0 ]]; then FAILED+=("lh-create (wrk errors)"); fi
  done
  LH_CREATE_RPS=$(awk -v a="$(field "$L1" rps)" -v b="$(field "$L2" rps)" 'BEGIN { printf "%.1f", a + b }')
  LH_CREATE_P50=$(awk -v a="$(field "$L1" p50_ms)" -v b="$(field "$L2" p50_ms)" 'BEGIN { printf "%.1f", (a > b) ? a : b }')
  LH_CREATE_P99=$(awk -v a="$(field "$L1" p99_ms)" -v b="$(field "$L2" p99_ms)" 'BEGIN { printf "%.1f", (a > b) ? a : b }')
  LH_CREATE_ROWS=$(psql_q -d "$BENCH_DB" -c "SELECT count(*) FROM longhaul.operations")
  LINE="lh-create: rps=$LH_CREATE_RPS p50_ms=$LH_CREATE_P50 p99_ms=$LH_CREATE_P99 rows=$LH_CREATE_ROWS clients=$CREATE_CLIENTS nodes=2"
  record "$LINE"; echo "$LINE"
  stop "$A1"; stop "$A2"
fi
if has_step create && [[ $BENCH_SKIP_PEERS != 1 ]]; then
  fresh_db "$BENCH_DB"
  psql_q -d "$BENCH_DB" -f bench/pgbench/setup.sql >/dev/null
  PGBENCH=(pgbench -n -M prepared -c "$CREATE_CLIENTS" -j 2 -f bench/pgbench/insert.sql)
  if [[ $BENCH_WARMUP != 0 ]]; then
    log "create baseline: pgbench warm-up ${BENCH_WARMUP}s (not measured)"
    run_fg "$WORK/pgbench-warmup.out" "${PGBENCH[@]}" -T "$BENCH_WARMUP" "$BENCH_DB" >/dev/null
  fi
  log "create baseline: ${PGBENCH[*]} -T $BENCH_SECONDS $BENCH_DB"
  run_fg "$WORK/pgbench.out" "${PGBENCH[@]}" -T "$BENCH_SECONDS" "$BENCH_DB"
  ((RC == 0)) || FAILED+=("pgbench (exit code $RC)")
  PGB_TPS=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time).*/\1/p' "$WORK/pgbench.out" | head -n 1)
  [[ -z $PGB_TPS ]] || PGB_TPS=$(printf '%.1f' "$PGB_TPS")
  PGB_LAT=$(sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p' "$WORK/pgbench.out" | head -n 1)
  PGB_FAILED=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$WORK/pgbench.out" | head -n 1)
  LINE="pgbench: tps=${PGB_TPS:-n/a} latency_avg_ms=${PGB_LAT:-n/a} failed=${PGB_FAILED:-n/a} clients=$CREATE_CLIENTS threads=2"
  record "$LINE"; echo "$LINE"
fi

# ---------------------------------------------------------------------------------------------
echo
echo "================================ Longhaul on PostgreSQL: summary ================================"
printf '%s\n' "${SUMMARY[@]}"
echo "-------------------------------------------------------------------------------------------------"
echo "PostgreSQL $PG_VERSION ($PG_SETTINGS; client TLS: $PG_SSL), commit $(git rev-parse --short HEAD 2>/dev/null || echo none), $(date -u +%Y-%m-%d)"
echo "two worker processes x $WORKER_SLOTS slots/concurrency on both sides, $PG_POOL_SIZE connections per process"
echo
echo "| benchmark | Longhaul | peer / baseline | ratio | target |"
echo "|---|---|---|---|---|"
if has_step drain; then
  LH_OPS=$(field "$LH_DRAIN" drain_ops_per_s); GW_OPS=$(field "${GW_DRAIN:-}" drain_ops_per_s)
  R=$(ratio "$LH_OPS" "$GW_OPS")
  echo "| drain of $DRAIN_COUNT \`sleep(0)\` / no-op jobs, 2 worker processes × $WORKER_SLOTS | $LH_OPS ops/s ($(field "$LH_DRAIN" drain_s) s) | graphile-worker $GW_VERSION: $GW_OPS jobs/s ($(field "${GW_DRAIN:-}" drain_s) s) | **$R×** | ≥ 2×: $(verdict "$R" ">=" 2) |"
fi
if has_step dispatch; then
  LH99=$(field "$LH_DISPATCH" start_p99_ms); GW99=$(field "${GW_DISPATCH:-}" start_p99_ms)
  echo "| dispatch latency at ${DISPATCH_RATE}/s, p50 / p99 (max) | $(field "$LH_DISPATCH" start_p50_ms) / **$LH99** ms ($(field "$LH_DISPATCH" start_max_ms)) | graphile-worker: $(field "${GW_DISPATCH:-}" start_p50_ms) / **$GW99** ms ($(field "${GW_DISPATCH:-}" start_max_ms)) | p99 $(ratio "$LH99" "$GW99")× | p99 ≤ peer's: $(verdict "$LH99" "<=" "$GW99") |"
fi
if has_step create; then
  R=$(ratio "$LH_CREATE_RPS" "${PGB_TPS:-}")
  echo "| create throughput, 2 API nodes, $CREATE_CLIENTS clients | $LH_CREATE_RPS creates/s (p50 $LH_CREATE_P50 ms, p99 $LH_CREATE_P99 ms) | pgbench single-row INSERT: ${PGB_TPS:-n/a} tps | **$R** | (reported) |"
fi
echo "================================================================================================="
if ((${#FAILED[@]} > 0)); then
  log "failed: ${FAILED[*]}"
  exit 1
fi
