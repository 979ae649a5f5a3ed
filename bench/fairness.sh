#!/usr/bin/env bash
# Fair scheduling cost (issue 19, method in docs/benchmarks.md): drain COUNT zero-work operations spread over TENANTS
# tenants as a ratio to the same COUNT in one tenant, in the same run, interleaved, on SQLite and on PostgreSQL.
#
#   bench/fairness.sh                                  # both stores, 20,000 operations, 100 tenants, 2 rounds
#   FAIR_COUNT=2000 FAIR_ROUNDS=1 bench/fairness.sh    # smoke run
#   FAIR_STORES=sqlite bench/fairness.sh               # one store
#   DISPATCH_BEFORE_BIN=/path/to/main/longhaul bench/fairness.sh   # also dispatch p99 at 100/s, before vs after
#
# Per case: a fresh store with the tenants' API keys already in it; the COUNT sleep(0) operations are created with
# workers off (creates go round-robin over the tenants' keys), then one node serves them with workers on. The drain is
# timed by the server's own timestamps (first started_at -> last finished_at, read from the database), and the node's
# CPU time during the drain is read from /proc (CPU ms per operation is the less noisy figure on a loaded machine).
#
# Environment (defaults in brackets):
#   FAIR_COUNT [20000]  FAIR_TENANTS [100]  FAIR_ROUNDS [2]  FAIR_STORES [sqlite postgres]
#   FAIR_WORKER_SLOTS [128]  FAIR_CONCURRENCY [64]
#   PG_HOST/PG_PORT/PG_USER/PG_PASSWORD [localhost/5432/postgres/longhaul]
#   DISPATCH_BEFORE_BIN []  DISPATCH_RATE [100]  DISPATCH_SECONDS [20]  (SQLite, before vs this build, interleaved)
#   BENCH_SKIP_BUILD [0]  BENCH_SERVER_BIN [src/Longhaul.Server/bin/Release/net10.0/longhaul]  BENCH_KEEP [0]
#   BENCH_OUT []  also append the summary lines to this file
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export NUGET_CERT_REVOCATION_MODE=offline DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

FAIR_COUNT=${FAIR_COUNT:-20000}
FAIR_TENANTS=${FAIR_TENANTS:-100}
FAIR_ROUNDS=${FAIR_ROUNDS:-2}
FAIR_STORES=${FAIR_STORES-sqlite postgres}
FAIR_WORKER_SLOTS=${FAIR_WORKER_SLOTS:-128}
FAIR_CONCURRENCY=${FAIR_CONCURRENCY:-64}
DISPATCH_BEFORE_BIN=${DISPATCH_BEFORE_BIN:-}
DISPATCH_RATE=${DISPATCH_RATE:-100}
DISPATCH_SECONDS=${DISPATCH_SECONDS:-20}
BENCH_SKIP_BUILD=${BENCH_SKIP_BUILD:-0}
BENCH_KEEP=${BENCH_KEEP:-0}
BENCH_OUT=${BENCH_OUT:-}
BENCH_BASE_PORT=${BENCH_BASE_PORT:-5900}
START_TIMEOUT_S=${START_TIMEOUT_S:-60}
PG_HOST=${PG_HOST:-localhost}
PG_PORT=${PG_PORT:-5432}
PG_USER=${PG_USER:-postgres}
PG_PASSWORD=${PG_PASSWORD:-${PGPASSWORD:-longhaul}}
export PGHOST=$PG_HOST PGPORT=$PG_PORT PGUSER=$PG_USER PGPASSWORD=$PG_PASSWORD

BENCH_PROJECT=bench/Longhaul.Bench
BENCH_BIN=$BENCH_PROJECT/bin/Release/net10.0/Longhaul.Bench
SERVER_BIN=${BENCH_SERVER_BIN:-src/Longhaul.Server/bin/Release/net10.0/longhaul}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/longhaul-fair.XXXXXX")
BENCH_LOG_TAG=fair
LOG_REDACT="Password=$PG_PASSWORD"
source "$ROOT/bench/lib.sh"

DBS=()
cleanup() {
  local pid db
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  PIDS=()
  for db in "${DBS[@]}"; do dropdb --if-exists "$db" >/dev/null 2>&1 || true; done
  if [[ $BENCH_KEEP == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

pg_conn() { printf 'Host=%s;Port=%s;Database=%s;Username=%s;Password=%s' "$PG_HOST" "$PG_PORT" "$1" "$PG_USER" "$PG_PASSWORD"; }

if [[ $BENCH_SKIP_BUILD != 1 ]]; then
  log "building $BENCH_PROJECT and src/Longhaul.Server (Release)"
  dotnet build "$BENCH_PROJECT" -c Release -v q -nologo >"$WORK/build-bench.log" 2>&1 || { cat "$WORK/build-bench.log"; die "bench build failed"; }
  dotnet build src/Longhaul.Server -c Release -v q -nologo >"$WORK/build-server.log" 2>&1 || { cat "$WORK/build-server.log"; die "server build failed"; }
fi
log "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); commit $(git rev-parse --short HEAD)"
log "settings: count=$FAIR_COUNT tenants=$FAIR_TENANTS rounds=$FAIR_ROUNDS slots=$FAIR_WORKER_SLOTS stores=$FAIR_STORES"

# store_args STORE TARGET : the serve/keys arguments of a store (a data dir for SQLite, a database for PostgreSQL).
store_args() { if [[ $1 == sqlite ]]; then echo "--data-dir $2"; else echo "--store postgres --connection $(pg_conn "$2")"; fi; }

# template STORE : a store holding FAIR_TENANTS client keys (tenants t0…), written to $WORK/keys-STORE.txt.
template() {
  local store=$1 target i
  if [[ $store == sqlite ]]; then target=$WORK/template-sqlite; mkdir -p "$target"; else target=lh_fair_tmpl_$$; DBS+=("$target"); createdb "$target"; fi
  : >"$WORK/keys-$store.txt"
  # shellcheck disable=SC2046
  "$SERVER_BIN" migrate $(store_args "$store" "$target") >"$WORK/migrate-$store.log" 2>&1 || { cat "$WORK/migrate-$store.log"; die "migrate failed"; }
  for ((i = 0; i < FAIR_TENANTS; i++)); do
    # shellcheck disable=SC2046
    "$SERVER_BIN" keys create --tenant "t$i" $(store_args "$store" "$target") 2>>"$WORK/keys.log" | tail -n 1 >>"$WORK/keys-$store.txt"
  done
  head -n 1 "$WORK/keys-$store.txt" >"$WORK/keys-$store-1.txt"
  TEMPLATE=$target
}

# fresh STORE NAME : a copy of the template; sets TARGET.
fresh() {
  if [[ $1 == sqlite ]]; then TARGET=$WORK/data-$2; rm -rf "$TARGET"; cp -r "$TEMPLATE" "$TARGET"
  else TARGET=lh_fair_${2//-/_}_$$; DBS+=("$TARGET"); dropdb --if-exists "$TARGET" >/dev/null 2>&1; createdb -T "$TEMPLATE" "$TARGET"; fi
}

# sql STORE TARGET QUERY : one value from the store's database.
sql() {
  if [[ $1 == sqlite ]]; then sqlite3 -readonly "$2/longhaul.db" "$3"; else psql -X -q -t -A -d "$2" -c "SET search_path TO longhaul; $3"; fi
}

serve() { # serve STORE TARGET LABEL (settings as VAR=value before the call)
  local store=$1 target=$2 label=$3
  free_port
  URL=http://127.0.0.1:$PORT
  # shellcheck disable=SC2046
  Logging__LogLevel__Default=Warning start "$label" "$WORK/$label.log" "$SERVER_BIN" serve --urls "$URL" --no-migrate $(store_args "$store" "$target")
  wait_healthy "$URL" "$LAST_PID" "$WORK/$label.log"
}

cpu_ms() { awk '{ printf "%d", ($14 + $15) * 1000 / '"$(getconf CLK_TCK)"' }' "/proc/$1/stat"; }

# drain_case STORE TENANTS ROUND : sets OPS (ops/s) and CPU (CPU ms per operation).
drain_case() {
  local store=$1 tenants=$2 round=$3 keys label pid cpu0 cpu1 left drain_s
  keys=$WORK/keys-$store.txt; [[ $tenants == 1 ]] && keys=$WORK/keys-$store-1.txt
  label=$store-$tenants-r$round
  fresh "$store" "$label"
  Longhaul__RunWorkers=false serve "$store" "$TARGET" "create-$label"
  "$BENCH_BIN" drain --mode create --url "$URL" --count "$FAIR_COUNT" --concurrency "$FAIR_CONCURRENCY" --api-keys-file "$keys" --api-key "$(head -n 1 "$keys")" >"$WORK/create-$label.log" 2>&1 \
    || { cat "$WORK/create-$label.log"; die "create failed"; }
  stop "$LAST_PID"
  Longhaul__WorkerSlots=$FAIR_WORKER_SLOTS serve "$store" "$TARGET" "drain-$label"
  pid=$LAST_PID
  cpu0=$(cpu_ms "$pid")
  while :; do
    left=$(sql "$store" "$TARGET" "SELECT count(*) FROM operations WHERE status < 2")
    [[ $left == 0 ]] && break
    sleep 0.5
  done
  cpu1=$(cpu_ms "$pid")
  stop "$pid"
  if [[ $store == sqlite ]]; then
    drain_s=$(sql "$store" "$TARGET" "SELECT (max(finished_at) - min(started_at)) / 1000.0 FROM operations WHERE status = 2")
  else
    drain_s=$(sql "$store" "$TARGET" "SELECT extract(epoch FROM max(finished_at) - min(started_at)) FROM operations WHERE status = 2")
  fi
  OPS=$(awk -v n="$FAIR_COUNT" -v s="$drain_s" 'BEGIN { printf "%.1f", n / s }')
  CPU=$(awk -v n="$FAIR_COUNT" -v c=$((cpu1 - cpu0)) 'BEGIN { printf "%.3f", c / n }')
}

median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

for store in $FAIR_STORES; do
  log "$store: template with $FAIR_TENANTS tenant keys"
  template "$store"
  one=(); many=(); one_cpu=(); many_cpu=()
  for ((r = 1; r <= FAIR_ROUNDS; r++)); do
    drain_case "$store" 1 "$r"; one+=("$OPS"); one_cpu+=("$CPU")
    log "$store round $r: 1 tenant: $OPS ops/s, $CPU CPU ms/op"
    drain_case "$store" "$FAIR_TENANTS" "$r"; many+=("$OPS"); many_cpu+=("$CPU")
    log "$store round $r: $FAIR_TENANTS tenants: $OPS ops/s, $CPU CPU ms/op"
  done
  m1=$(printf '%s\n' "${one[@]}" | median); mn=$(printf '%s\n' "${many[@]}" | median)
  c1=$(printf '%s\n' "${one_cpu[@]}" | median); cn=$(printf '%s\n' "${many_cpu[@]}" | median)
  ratio=$(awk -v a="$mn" -v b="$m1" 'BEGIN { printf "%.3f", a / b }')
  cpu_ratio=$(awk -v a="$c1" -v b="$cn" 'BEGIN { printf "%.3f", a / b }')
  line="fairness: store=$store count=$FAIR_COUNT tenants=$FAIR_TENANTS rounds=$FAIR_ROUNDS one_ops_per_s=$m1 many_ops_per_s=$mn ratio=$ratio one_cpu_ms_per_op=$c1 many_cpu_ms_per_op=$cn cpu_ratio=$cpu_ratio target=0.8"
  log "$line"
  [[ -z $BENCH_OUT ]] || echo "$line" >>"$BENCH_OUT"
done

if [[ -n $DISPATCH_BEFORE_BIN ]]; then
  # Dispatch latency (started_at - created_at) at DISPATCH_RATE/s on SQLite, before (DISPATCH_BEFORE_BIN) and after
  # (this build), interleaved twice.
  for round in 1 2; do
    for which in before after; do
      bin=$SERVER_BIN; [[ $which == before ]] && bin=$DISPATCH_BEFORE_BIN
      mkdir -p "$WORK/dispatch-$which-$round"; free_port; URL=http://127.0.0.1:$PORT
      start "dispatch-$which" "$WORK/dispatch-$which-$round.log" env Logging__LogLevel__Default=Warning "$bin" serve --urls "$URL" --data-dir "$WORK/dispatch-$which-$round"
      wait_healthy "$URL" "$LAST_PID" "$WORK/dispatch-$which-$round.log"
      out=$("$BENCH_BIN" dispatch --url "$URL" --rate "$DISPATCH_RATE" --seconds "$DISPATCH_SECONDS" | tail -n 1)
      stop "$LAST_PID"
      log "dispatch $which round $round: $out"
      [[ -z $BENCH_OUT ]] || echo "dispatch-$which round=$round $out" >>"$BENCH_OUT"
    done
  done
fi
