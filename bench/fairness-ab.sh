#!/usr/bin/env bash
# SQLite drain cost, two builds interleaved (issue 19, ADR 31): CPU per operation and bytes written per operation of the
# same pending store drained by each build, 1 tenant and TENANTS tenants. Less sensitive to a loaded machine than
# bench/fairness.sh's wall-clock ratio: the pending stores are made once (creates are not measured) and every drain
# starts from a copy of them.
#
#   bench/fairness-ab.sh ROUNDS base=/path/to/longhaul new=/path/to/longhaul
#
# The first build creates the stores (workers off); each build migrates its copy before serving it. Environment:
# FAIR_COUNT [20000]  FAIR_TENANTS [100]  FAIR_WORKER_SLOTS [128]  FAIR_CONCURRENCY [64]  AB_PORT [5995]
# Needs: sqlite3, curl, bench/Longhaul.Bench built in Release.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=$1; shift
count=${FAIR_COUNT:-20000}; tenants=${FAIR_TENANTS:-100}; slots=${FAIR_WORKER_SLOTS:-128}; port=${AB_PORT:-5995}
bench=$ROOT/bench/Longhaul.Bench/bin/Release/net10.0/Longhaul.Bench
hz=$(getconf CLK_TCK)
work=$(mktemp -d "${TMPDIR:-/tmp}/longhaul-fair-ab.XXXXXX")
trap 'rm -rf "$work"' EXIT
first=${1#*=}
url=http://127.0.0.1:$port

serve() { # serve BIN DIR [env...] : starts the server, sets pid
  local bin=$1 dir=$2; shift 2
  env "$@" Logging__LogLevel__Default=Warning "$bin" serve --urls "$url" --no-migrate --data-dir "$dir" >"$dir.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "$url/healthz"; do kill -0 "$pid" 2>/dev/null || { cat "$dir.log"; exit 1; }; sleep 0.05; done
}

# The pending stores: keys for the tenants, then COUNT sleep(0) operations created round-robin over them.
mkdir -p "$work/template"
"$first" migrate --data-dir "$work/template" >/dev/null
: >"$work/keys.txt"
for ((i = 0; i < tenants; i++)); do "$first" keys create --tenant "t$i" --data-dir "$work/template" 2>/dev/null | tail -n 1 >>"$work/keys.txt"; done
head -n 1 "$work/keys.txt" >"$work/keys-1.txt"
for n in 1 "$tenants"; do
  keys=$work/keys.txt; [[ $n == 1 ]] && keys=$work/keys-1.txt
  cp -r "$work/template" "$work/snap-$n"
  serve "$first" "$work/snap-$n" Longhaul__RunWorkers=false
  "$bench" drain --mode create --url "$url" --count "$count" --concurrency "${FAIR_CONCURRENCY:-64}" --api-keys-file "$keys" --api-key "$(head -n 1 "$keys")" >/dev/null
  kill "$pid"; wait "$pid" || true
done

for ((r = 1; r <= rounds; r++)); do
  for nb in "$@"; do
    name=${nb%%=*}; bin=${nb#*=}
    for n in 1 "$tenants"; do
      d=$work/run; rm -rf "$d"; cp -r "$work/snap-$n" "$d"
      "$bin" migrate --data-dir "$d" >/dev/null
      serve "$bin" "$d" Longhaul__WorkerSlots="$slots"
      c0=$(awk '{ print $14 + $15 }' "/proc/$pid/stat"); w0=$(awk '/^wchar/ { print $2 }' "/proc/$pid/io")
      while [[ $(sqlite3 -readonly "$d/longhaul.db" "SELECT count(*) FROM operations WHERE status < 2" 2>/dev/null || echo x) != 0 ]]; do sleep 0.2; done
      c1=$(awk '{ print $14 + $15 }' "/proc/$pid/stat"); w1=$(awk '/^wchar/ { print $2 }' "/proc/$pid/io")
      s=$(sqlite3 -readonly "$d/longhaul.db" "SELECT (max(finished_at) - min(started_at)) / 1000.0 FROM operations WHERE status = 2")
      kill "$pid"; wait "$pid" || true
      awk -v r="$r" -v b="$name" -v n="$n" -v c=$((c1 - c0)) -v w=$((w1 - w0)) -v s="$s" -v k="$count" -v hz="$hz" -v l="$(cut -d' ' -f1 /proc/loadavg)" \
        'BEGIN { printf "round=%d build=%s tenants=%d cpu_ms_per_op=%.3f written_kb_per_op=%.1f ops_per_s=%.0f load=%s\n", r, b, n, c * 1000 / hz / k, w / k / 1024, k / s, l }'
    done
  done
done
