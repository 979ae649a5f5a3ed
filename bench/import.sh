#!/usr/bin/env bash
# Import throughput in one run: rows/s of a 1,000,000-row CSV import into PostgreSQL by the `import` kind (POST to
# done: the upload read from the store, parsed, converted and written with binary COPY, one transaction per chunk with
# its checkpoint), as a ratio to `psql \copy items FROM file WITH (FORMAT csv, HEADER)` of the same file into the same
# table. Target ratio >= 0.8. Both on_error modes: `skip` reads the file once; `fail` (the default) checks it first.
# Also reports the server's peak RSS (VmHWM; API and worker in one process, the upload included). Target < 200 MiB.
# Per run also the server's CPU milliseconds per import (utime+stime of the longhaul process, from /proc; less
# sensitive to a loaded machine than the wall-clock ratio) and the load average.
#
#   bench/import.sh [path/to/longhaul]     (default artifacts/publish/linux-x64/longhaul: scripts/publish.sh)
#
# Environment: IMPORT_ROWS [1000000], IMPORT_RUNS [3] (median reported), IMPORT_CHUNK_ROWS [50000], IMPORT_PORT [5814],
# PGHOST [localhost], PGPORT [5432], PGUSER [postgres], PGPASSWORD [longhaul], PGDATABASE [longhaul_test]. The server's
# store is SQLite.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin=${1:-$ROOT/artifacts/publish/linux-x64/longhaul}
rows=${IMPORT_ROWS:-1000000}; runs=${IMPORT_RUNS:-3}; port=${IMPORT_PORT:-5814}; chunk=${IMPORT_CHUNK_ROWS:-50000}
export PGHOST=${PGHOST:-localhost} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres} PGPASSWORD=${PGPASSWORD:-longhaul} PGDATABASE=${PGDATABASE:-longhaul_test}
[ -x "$bin" ] || { echo "no executable at $bin (run scripts/publish.sh)" >&2; exit 1; }
schema=bench_import_$$
dir=$(mktemp -d)
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; psql -q -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1; rm -rf "$dir"; }
trap cleanup EXIT

# The file: the rows of bench/export.sh (quotes, commas, line breaks, NULLs), written by psql itself.
psql -q -v ON_ERROR_STOP=1 <<SQL >/dev/null
CREATE SCHEMA $schema;
CREATE TABLE $schema.items (id bigint PRIMARY KEY, name text NOT NULL, amount bigint NOT NULL, note text);
\copy (SELECT id, 'n' || id AS name, id * 3 AS amount, CASE id % 7 WHEN 0 THEN '=SUM(A1)' WHEN 1 THEN 'a,b' WHEN 2 THEN 'say "hi"' WHEN 3 THEN 'line1' || chr(10) || 'line2' WHEN 4 THEN '-5' WHEN 5 THEN NULL ELSE '@x' END AS note FROM generate_series(1, $rows) AS id) TO '$dir/items.csv' WITH (FORMAT csv, HEADER)
SQL

env Longhaul__Import__Targets__pg__Provider=postgres \
  "Longhaul__Import__Targets__pg__ConnectionString=Host=$PGHOST;Port=$PGPORT;Database=$PGDATABASE;Username=$PGUSER;Password=$PGPASSWORD;Search Path=$schema" \
  Longhaul__Import__Targets__pg__Tables__0=items \
  Logging__LogLevel__Default=Warning "$bin" serve --urls "http://127.0.0.1:$port" --data-dir "$dir/data" >"$dir/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | sed -n "$(( (runs + 1) / 2 ))p"; }
t0=$(now_ms)
upload=$(curl -sf -X PUT --data-binary "@$dir/items.csv" "http://127.0.0.1:$port/v1/uploads" | sed -E 's/.*"id":"([^"]+)".*/\1/')
upload_ms=$(( $(now_ms) - t0 ))

cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
import() { # $1 = on_error; prints the milliseconds from POST to done; the server's CPU milliseconds go to $dir/cpu_ms
  local t0 c0 id status
  psql -q -c "TRUNCATE $schema.items"
  c0=$(cpu_ticks)
  t0=$(now_ms)
  id=$(curl -sf -H 'Content-Type: application/json' "http://127.0.0.1:$port/v1/operations" \
    -d "{\"kind\":\"import\",\"input\":{\"upload\":\"$upload\",\"target\":\"pg\",\"table\":\"items\",\"on_error\":\"$1\",\"chunk_rows\":$chunk}}" \
    | sed -E 's/.*"id":"([^"]+)".*/\1/')
  until curl -sf "http://127.0.0.1:$port/v1/operations/$id/wait?timeout=30" | grep -q '"done":true'; do :; done
  echo $(( $(now_ms) - t0 ))
  echo $(( ($(cpu_ticks) - c0) * 10 )) >"$dir/cpu_ms"
  status=$(curl -sf "http://127.0.0.1:$port/v1/operations/$id" | sed -E 's/.*"status":"([^"]+)".*/\1/')
  [ "$status" = succeeded ] || { echo "import $id: $status" >&2; curl -sf "http://127.0.0.1:$port/v1/operations/$id" >&2; exit 1; }
  [ "$(psql -tAc "SELECT count(*) FROM $schema.items")" = "$rows" ] || { echo "import $id: row count differs" >&2; exit 1; }
}

copy_ms=(); skip_ms=(); fail_ms=()
for r in $(seq 1 "$runs"); do
  psql -q -c "TRUNCATE $schema.items"
  t0=$(now_ms)
  psql -q -c "\\copy $schema.items FROM '$dir/items.csv' WITH (FORMAT csv, HEADER)"
  copy_ms+=($(( $(now_ms) - t0 )))
  skip_ms+=($(import skip)); skip_cpu=$(cat "$dir/cpu_ms")
  fail_ms+=($(import fail)); fail_cpu=$(cat "$dir/cpu_ms")
  echo "run=$r copy_ms=${copy_ms[-1]} import_skip_ms=${skip_ms[-1]} import_fail_ms=${fail_ms[-1]} server_cpu_ms_skip=$skip_cpu server_cpu_ms_fail=$fail_cpu load=$(cut -d' ' -f1 /proc/loadavg)"
done
c=$(printf '%s\n' "${copy_ms[@]}" | median); s=$(printf '%s\n' "${skip_ms[@]}" | median); f=$(printf '%s\n' "${fail_ms[@]}" | median)
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status"); rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
echo "rows=$rows runs=$runs file_bytes=$(stat -c %s "$dir/items.csv") upload_put_ms=$upload_ms psql_copy_rows_per_s=$((rows * 1000 / c)) import_skip_rows_per_s=$((rows * 1000 / s)) ratio_skip=$(echo "scale=2; $c / $s" | bc) import_fail_rows_per_s=$((rows * 1000 / f)) ratio_fail=$(echo "scale=2; $c / $f" | bc) server_peak_rss_mb=$((hwm / 1024)) server_rss_mb=$((rss / 1024))"
