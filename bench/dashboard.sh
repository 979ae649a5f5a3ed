#!/usr/bin/env bash
# The dashboard's page weight and its time to first live update (a benchmark, not a test).
#
#   bench/dashboard.sh            (builds src/Longhaul.Server and bench/DashboardBench in Release; needs /usr/bin/chromium)
#
# 1. Page weight: bytes of /ui/ and every asset it loads, raw and gzip -9 (the server sends them uncompressed).
# 2. Time from POST /v1/operations to the row in the browser's table, against polling the list once a second
#    (the baseline), both in the same run: bench/DashboardBench. Environment: DASH_RUNS [20], DASH_PORT [5813].
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=${DASH_RUNS:-20}; port=${DASH_PORT:-5813}
export NUGET_CERT_REVOCATION_MODE=offline DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build "$ROOT/src/Longhaul.Server" -c Release -v q -nologo >/dev/null
dotnet build "$ROOT/bench/DashboardBench" -c Release -v q -nologo >/dev/null
bin="$ROOT/src/Longhaul.Server/bin/Release/net10.0/longhaul"
dir=$(mktemp -d)
key=$("$bin" keys create --tenant bench --data-dir "$dir/data")
Logging__LogLevel__Default=Warning "$bin" serve --urls "http://127.0.0.1:$port" --data-dir "$dir/data" >"$dir/serve.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

base="http://127.0.0.1:$port/ui"
total_raw=0; total_gz=0; files=0
for f in "" app.css app.js api.js dom.js format.js stream.js list.js overview.js bulk.js detail.js confirm.js; do
  curl -sf "$base/$f" -o "$dir/asset"
  raw=$(stat -c %s "$dir/asset"); gz=$(gzip -9 -c "$dir/asset" | wc -c)
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz)); files=$((files + 1))
  echo "asset=/ui/${f} raw_bytes=$raw gzip_bytes=$gz"
done
echo "page_weight files=$files raw_bytes=$total_raw gzip_bytes=$total_gz"

dotnet "$ROOT/bench/DashboardBench/bin/Release/net10.0/DashboardBench.dll" "http://127.0.0.1:$port" "$key" "$runs"
