# Shared loop of bench/cpu-per-get.sh and bench/cpu-per-start.sh; sourced, not run.
#
# cpu_rounds ROUNDS PORT SECONDS WARMUP name=path/to/longhaul [...] : round by round, each build in turn (interleaved,
# so that drift of a noisy machine hits them alike): an API-only server (no workers, development mode: no key) on
# 127.0.0.1:PORT with a fresh data directory, a WARMUP s load, then a SECONDS s load over which the server process's
# utime+stime is taken; prints `round=R build=NAME <fields> cpu_us_per_request=X`.
#
# The sourcing script defines the load: cpu_load DURATION_S PORT (runs wrk against the server, prints its output) and
# cpu_fields (reads that output on stdin, prints its key=value fields, requests=N among them).
cpu_rounds() {
  local rounds=$1 port=$2 seconds=$3 warmup=$4 hz r nb name bin dir pid c0 c1 fields requests
  shift 4
  hz=$(getconf CLK_TCK)
  for r in $(seq 1 "$rounds"); do
    for nb in "$@"; do
      name=${nb%%=*}; bin=${nb#*=}
      dir=$(mktemp -d)
      Longhaul__RunWorkers=false Logging__LogLevel__Default=Warning "$bin" serve --urls "http://127.0.0.1:$port" --data-dir "$dir" >/dev/null 2>&1 &
      pid=$!
      for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
      cpu_load "$warmup" "$port" >/dev/null 2>&1
      c0=$(awk '{print $14+$15}' "/proc/$pid/stat")
      fields=$(cpu_load "$seconds" "$port" 2>/dev/null | cpu_fields)
      c1=$(awk '{print $14+$15}' "/proc/$pid/stat")
      requests=$(sed -nE 's/(^|.* )requests=([0-9]+).*/\2/p' <<<"$fields")
      echo "round=$r build=$name $fields cpu_us_per_request=$(echo "scale=1; ($c1-$c0)*1000000/$hz/$requests" | bc)"
      kill "$pid"; wait "$pid" 2>/dev/null || true; rm -rf "$dir"
    done
  done
}
