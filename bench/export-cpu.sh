#!/usr/bin/env bash
# Server CPU (utime+stime of the longhaul process, API and worker in one) per 1,000,000-row CSV export from
# PostgreSQL by the `export` kind, after one warm-up export, three measured exports; less sensitive to a loaded machine
# than bench/export.sh's wall-clock ratio. Same table as bench/export.sh; PG* variables as there.
#
#   bench/export-cpu.sh path/to/longhaul [port]
set -euo pipefail
bin=$1; port=${2:-5899}
export PGHOST=${PGHOST:-localhost} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres} PGPASSWORD=${PGPASSWORD:-longhaul} PGDATABASE=${PGDATABASE:-longhaul_test}
schema=bench_cpu_$$; dir=$(mktemp -d)
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; psql -q -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1; rm -rf "$dir"; }
trap cleanup EXIT
psql -q -v ON_ERROR_STOP=1 >/dev/null <<SQL
CREATE SCHEMA $schema;
CREATE TABLE $schema.items (id bigint PRIMARY KEY, name text NOT NULL, amount bigint NOT NULL, note text);
INSERT INTO $schema.items SELECT id, 'n' || id, id * 3,
  CASE id % 7 WHEN 0 THEN '=SUM(A1)' WHEN 1 THEN 'a,b' WHEN 2 THEN 'say "hi"' WHEN 3 THEN 'line1' || chr(10) || 'line2'
  WHEN 4 THEN '-5' WHEN 5 THEN NULL ELSE '@x' END FROM generate_series(1, 1000000) AS id;
VACUUM ANALYZE $schema.items;
SQL
env Longhaul__Export__Sources__pg__Provider=postgres "Longhaul__Export__Sources__pg__ConnectionString=Host=$PGHOST;Port=$PGPORT;Database=$PGDATABASE;Username=$PGUSER;Password=$PGPASSWORD" \
  "Longhaul__Export__Sources__pg__Tables__${schema}.items__Key__0=id" Logging__LogLevel__Default=Warning "$bin" serve --urls "http://127.0.0.1:$port" --data-dir "$dir/data" >"$dir/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
cpu() { awk '{print $14 + $15}' /proc/$pid/stat; }
run() {
  id=$(curl -sf -H 'Content-Type: application/json' "http://127.0.0.1:$port/v1/operations" -d "{\"kind\":\"export\",\"input\":{\"source\":\"pg\",\"table\":\"$schema.items\",\"columns\":[\"id\",\"name\",\"amount\",\"note\"],\"format\":\"csv\"}}" | sed -E 's/.*"id":"([^"]+)".*/\1/')
  until curl -sf "http://127.0.0.1:$port/v1/operations/$id/wait?timeout=30" | grep -q '"done":true'; do :; done
}
run
for r in 1 2 3; do c0=$(cpu); t0=$(date +%s%N); run; c1=$(cpu); t1=$(date +%s%N); echo "cpu_ms=$(( (c1 - c0) * 10 )) wall_ms=$(( (t1 - t0) / 1000000 ))"; done
