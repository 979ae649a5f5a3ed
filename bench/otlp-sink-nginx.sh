#!/usr/bin/env bash
# A local OTLP/HTTP sink on nginx for bench/run.sh: answers every request with 200 after reading its body, logs one
# line per request to DIR/access.log (count them for the number of exports). Runs in the foreground until killed.
# Cheaper than bench/otlp-sink.py, so that the telemetry on/off ratio measures the server, not the sink.
#   bench/otlp-sink-nginx.sh PORT DIR
set -euo pipefail
port=$1; dir=$2
mkdir -p "$dir"
cat >"$dir/nginx.conf" <<CONF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 256; }
http {
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy; fastcgi_temp_path $dir/fastcgi; uwsgi_temp_path $dir/uwsgi; scgi_temp_path $dir/scgi;
  client_max_body_size 64m;
  client_body_buffer_size 1m;
  keepalive_requests 100000;
  log_format sink '\$request_method \$uri \$status';
  access_log $dir/access.log sink;
  server { listen 127.0.0.1:$port; location / { return 200; } }
}
CONF
exec nginx -c "$dir/nginx.conf" -g 'daemon off;'
