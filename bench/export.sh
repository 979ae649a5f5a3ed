#!/usr/bin/env bash
# Export throughput in one run: rows/s of a 1,000,000-row CSV export from PostgreSQL by the `export` kind (POST to
# done: the row estimate, the file streamed into the store with its checkpoints, and its SHA-256), as a ratio to
# `psql \copy (SELECT … ORDER BY id) TO file WITH (FORMAT csv, HEADER)` of the same rows. Target ratio >= 0.7.
# Per run also the server's CPU milliseconds per export (utime+stime, from /proc), the load average, and server_ms: the
# operation's created_at to finished_at (the export without the client's side; the ratio stays POST to done as the
# client sees it, by a long-poll that the server wakes when the operation finishes).
# Also reports the server's peak RSS (VmHWM; API and worker in one process) and its RSS at the end.
#
#   bench/export.sh [path/to/longhaul]     (default artifacts/publish/linux-x64/longhaul: scripts/publish.sh)
#
# Environment: EXPORT_ROWS [1000000], EXPORT_RUNS [3] (median reported), EXPORT_PORT [5813], PGHOST [localhost],
# PGPORT [5432], PGUSER [postgres], PGPASSWORD [longhaul], PGDATABASE [longhaul_test], EXPORT_KEEP_LOG [unset: a path
# to copy the server's log to]. The server's store is SQLite.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin=${1:-$ROOT/artifacts/publish/linux-x64/longhaul}
rows=${EXPORT_ROWS:-1000000}; runs=${EXPORT_RUNS:-3}; port=${EXPORT_PORT:-5813}
export PGHOST=${PGHOST:-localhost} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres} PGPASSWORD=${PGPASSWORD:-longhaul} PGDATABASE=${PGDATABASE:-longhaul_test}
[ -x "$bin" ] || { echo "no executable at $bin (run scripts/publish.sh)" >&2; exit 1; }
schema=bench_export_$$
dir=$(mktemp -d)
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; psql -q -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1; [ -n "${EXPORT_KEEP_LOG:-}" ] && cp "$dir/server.log" "$EXPORT_KEEP_LOG"; rm -rf "$dir"; }
trap cleanup EXIT

psql -q -v ON_ERROR_STOP=1 <<SQL >/dev/null
CREATE SCHEMA $schema;
CREATE TABLE $schema.items (id bigint PRIMARY KEY, name text NOT NULL, amount bigint NOT NULL, note text);
INSERT INTO $schema.items SELECT id, 'n' || id, id * 3,
  CASE id % 7 WHEN 0 THEN '=SUM(A1)' WHEN 1 THEN 'a,b' WHEN 2 THEN 'say "hi"' WHEN 3 THEN 'line1' || chr(10) || 'line2'
  WHEN 4 THEN '-5' WHEN 5 THEN NULL ELSE '@x' END
FROM generate_series(1, $rows) AS id;
VACUUM ANALYZE $schema.items;
SQL

# `env`: the table's name has a '.', which a shell variable assignment cannot hold.
env Longhaul__Export__Sources__pg__Provider=postgres \
  "Longhaul__Export__Sources__pg__ConnectionString=Host=$PGHOST;Port=$PGPORT;Database=$PGDATABASE;Username=$PGUSER;Password=$PGPASSWORD" \
  "Longhaul__Export__Sources__pg__Tables__${schema}.items__Key__0=id" \
  Logging__LogLevel__Default=Warning "$bin" serve --urls "http://127.0.0.1:$port" --data-dir "$dir/data" >"$dir/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | sed -n "$(( (runs + 1) / 2 ))p"; }
copy_ms=(); export_ms=(); server_ms=()
for r in $(seq 1 "$runs"); do
  t0=$(now_ms)
  psql -q -c "\\copy (SELECT id, name, amount, note FROM $schema.items ORDER BY id) TO '$dir/copy.csv' WITH (FORMAT csv, HEADER)"
  t1=$(now_ms); copy_ms+=($((t1 - t0)))

  c0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  t0=$(now_ms)
  id=$(curl -sf -H 'Content-Type: application/json' "http://127.0.0.1:$port/v1/operations" \
    -d "{\"kind\":\"export\",\"input\":{\"source\":\"pg\",\"table\":\"$schema.items\",\"columns\":[\"id\",\"name\",\"amount\",\"note\"],\"format\":\"csv\"}}" \
    | sed -E 's/.*"id":"([^"]+)".*/\1/')
  until curl -sf "http://127.0.0.1:$port/v1/operations/$id/wait?timeout=30" | grep -q '"done":true'; do :; done
  t1=$(now_ms); export_ms+=($((t1 - t0))); cpu_ms=$(( ($(awk '{print $14 + $15}' "/proc/$pid/stat") - c0) * 10 ))
  op=$(curl -sf "http://127.0.0.1:$port/v1/operations/$id")
  status=$(echo "$op" | sed -E 's/.*"status":"([^"]+)".*/\1/')
  [ "$status" = succeeded ] || { echo "export $id: $status" >&2; cat "$dir/server.log" >&2; exit 1; }
  # The server's own view: created_at to finished_at (no curl start, no HTTP round trips, no long-poll wake-up).
  at() { date -d "$(echo "$op" | sed -E "s/.*\"$1\":\"([^\"]+)\".*/\1/")" +%s%3N; }
  server_ms+=($(( $(at finished_at) - $(at created_at) )))
  echo "run=$r copy_ms=${copy_ms[-1]} export_ms=${export_ms[-1]} server_ms=${server_ms[-1]} copy_bytes=$(stat -c %s "$dir/copy.csv") server_cpu_ms=$cpu_ms load=$(cut -d' ' -f1 /proc/loadavg)"
done
c=$(printf '%s\n' "${copy_ms[@]}" | median); e=$(printf '%s\n' "${export_ms[@]}" | median); s=$(printf '%s\n' "${server_ms[@]}" | median)
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status"); rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
echo "rows=$rows runs=$runs psql_copy_rows_per_s=$((rows * 1000 / c)) export_rows_per_s=$((rows * 1000 / e)) ratio=$(echo "scale=2; $c / $e" | bc) export_server_ms=$s server_peak_rss_mb=$((hwm / 1024)) server_rss_mb=$((rss / 1024))"
