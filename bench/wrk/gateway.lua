-- POST a small JSON body through the gateway with Prefer: wait (bench/gateway.sh).
wrk.method = "POST"
wrk.body = '{"prompt":"hi"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Prefer"] = "respond-async, wait=10"
if os.getenv("BENCH_API_KEY") and os.getenv("BENCH_API_KEY") ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_API_KEY")
end
