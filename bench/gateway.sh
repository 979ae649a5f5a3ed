#!/usr/bin/env bash
# Gateway overhead in one run: the same small POST against a fast local upstream (nginx answering a fixed JSON
# body), once directly and once through `POST /v1/proxy/fast/echo` with `Prefer: respond-async, wait=10`
# (each request is a durable http operation: create, claim, call, complete, wake the waiting request).
#
#   bench/gateway.sh                      # 10 s per side, 16 connections
#   GW_SECONDS=5 GW_CONNECTIONS=8 bench/gateway.sh
#
# Needs wrk and nginx (Debian packages). Every process started here is stopped on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export NUGET_CERT_REVOCATION_MODE=offline DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

GW_SECONDS=${GW_SECONDS:-10}
GW_CONNECTIONS=${GW_CONNECTIONS:-16}
GW_THREADS=${GW_THREADS:-2}
BIN=${BENCH_SERVER_BIN:-src/Longhaul.Server/bin/Release/net10.0/longhaul}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  dotnet build src/Longhaul.Server -c Release -v q -nologo >&2
fi

tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
up_port=$(free_port); lh_port=$(free_port)

mkdir -p "$tmp/logs" "$tmp/temp"
cat > "$tmp/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $tmp/nginx.pid;
error_log $tmp/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $tmp/temp/body; proxy_temp_path $tmp/temp/proxy;
  fastcgi_temp_path $tmp/temp/f; uwsgi_temp_path $tmp/temp/u; scgi_temp_path $tmp/temp/s;
  server {
    listen 127.0.0.1:$up_port;
    location / { default_type application/json; return 200 '{"ok":true}'; }
  }
}
CONF
"$NGINX" -p "$tmp/" -c "$tmp/nginx.conf" -e "$tmp/logs/error.log" &
pids+=($!)

Longhaul__Upstreams__fast__BaseUrl="http://127.0.0.1:$up_port" Logging__LogLevel__Default=Warning \
  "$BIN" serve --urls "http://127.0.0.1:$lh_port" --data-dir "$tmp/data" > "$tmp/serve.log" 2>&1 &
pids+=($!)

for url in "http://127.0.0.1:$up_port/" "http://127.0.0.1:$lh_port/healthz"; do
  for _ in $(seq 1 100); do curl -fs -o /dev/null "$url" && break; sleep 0.1; done   # readiness pacing
done
check=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -H 'Prefer: wait=10' \
  -d '{"prompt":"hi"}' "http://127.0.0.1:$lh_port/v1/proxy/fast/echo")
[ "$check" = 200 ] || { echo "gateway answered $check, expected 200"; cat "$tmp/serve.log"; exit 1; }

run() { # name url
  wrk -t"$GW_THREADS" -c"$GW_CONNECTIONS" -d"${GW_SECONDS}s" --latency -s bench/wrk/gateway.lua "$2" > "$tmp/$1.txt"
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$tmp/$1.txt")
  p50=$(awk '$1=="50%" {print $2}' "$tmp/$1.txt")
  p99=$(awk '$1=="99%" {print $2}' "$tmp/$1.txt")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$tmp/$1.txt")
  echo "$1 rps=$rps p50=$p50 p99=$p99 non2xx=${non2xx:-0}"
}
# Warm-up of the gateway (JIT, SQLite), not measured.
wrk -t1 -c4 -d2s -s bench/wrk/gateway.lua "http://127.0.0.1:$lh_port/v1/proxy/fast/echo" > /dev/null
direct=$(run direct "http://127.0.0.1:$up_port/echo")
gateway=$(run gateway "http://127.0.0.1:$lh_port/v1/proxy/fast/echo")
echo "$direct"
echo "$gateway"
d=$(sed -E 's/.*rps=([0-9.]+).*/\1/' <<<"$direct"); g=$(sed -E 's/.*rps=([0-9.]+).*/\1/' <<<"$gateway")
awk -v d="$d" -v g="$g" 'BEGIN { printf "throughput ratio gateway/direct = %.4f\n", g / d }'
