-- wrk script: POST /v1/operations with a sleep(0) operation, as fast as the connections allow.
--
--   wrk -t2 -c64 -d15s --latency -s bench/wrk/create.lua http://127.0.0.1:PORT/v1/operations
--
-- Environment (optional):
--   BENCH_API_KEY  sent as "Authorization: Bearer <key>"
--   BENCH_BODY     request body (default {"kind":"sleep","input":{"seconds":0}})
--
-- done() prints one machine-readable line (latencies in ms, throughput in requests/s):
--   wrk: requests=N duration_s=S rps=R p50_ms=.. p90_ms=.. p99_ms=.. max_ms=.. non2xx=.. socket_errors=..
-- Note: wrk's latency is closed-loop (it waits for each answer before sending the next request on a
-- connection), so the percentiles are service times under saturation, not open-loop latencies.

wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY") or '{"kind":"sleep","input":{"seconds":0}}'
wrk.headers["Content-Type"] = "application/json"

local key = os.getenv("BENCH_API_KEY")
if key ~= nil and key ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. key
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  io.write(string.format(
    "wrk: requests=%d duration_s=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f mean_ms=%.3f non2xx=%d socket_errors=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, latency.mean / 1000,
    e.status, socket_errors, e.connect, e.read, e.write, e.timeout))
end
