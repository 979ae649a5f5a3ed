using System.Diagnostics;
using System.Text.Json;

namespace Longhaul.Bench;

/// <summary>
/// Dispatch latency: create sleep(0) operations open-loop at a fixed RATE for SECONDS (request i is due
/// at t0 + i/RATE whatever happened to earlier requests; late requests are sent at once, never skipped),
/// then read every operation via `GET /v1/operations/{id}/wait?timeout=10` and compute
/// `started_at - created_at` from the server's own timestamps (no client/server clock skew involved).
/// Reading happens after the create phase so that the long-polls do not load the server while it is
/// being measured. An optional warm-up phase at the same rate is excluded from the figures.
/// </summary>
internal static class DispatchCommand
{
    public static async Task<int> RunAsync(BenchArgs a)
    {
        var url = a.Required("url");
        var rate = a.Double("rate", 100, min: 0.01);
        var seconds = a.Double("seconds", 20, min: 0.1);
        var warmup = a.Double("warmup", 2, min: 0);
        var apiKey = a.Optional("api-key");
        var waitTimeout = a.Int("wait-timeout", 10);
        a.EnsureAllUsed();

        using var client = BenchHttp.CreateClient(url, 1024, apiKey);
        var body = BenchHttp.Utf8(BenchHttp.SleepZeroBody);

        if (warmup > 0)
        {
            Console.WriteLine($"dispatch: warm-up {Stats.F(warmup, 1)}s at {Stats.F(rate, 1)}/s (excluded)");
            var warm = await RunOpenLoopAsync(client, body, rate, warmup);
            // Let the warm-up operations finish so they do not overlap with the measured phase.
            await ReadAllAsync(client, warm.Created.Where(c => c.Id is not null).Select(c => c.Id!).ToArray(), waitTimeout);
        }

        Console.WriteLine($"dispatch: creating {BenchHttp.SleepZeroBody} open-loop at {Stats.F(rate, 1)}/s for {Stats.F(seconds, 1)}s against {client.BaseAddress}");
        var phase = await RunOpenLoopAsync(client, body, rate, seconds);
        var created = phase.Created;
        var ids = created.Where(c => c.Id is not null).Select(c => c.Id!).ToArray();
        var createErrors = created.Length - ids.Length;
        var firstError = created.Select(c => c.Error).FirstOrDefault(e => e is not null);

        var createLat = created.Where(c => c.Id is not null).Select(c => c.LatencyMs).ToArray();
        Array.Sort(createLat);
        Console.WriteLine($"  sent {created.Length} creates in {Stats.F(phase.ElapsedS)}s (achieved {Stats.F(created.Length / phase.ElapsedS, 1)}/s), errors={createErrors}, max schedule lag {Stats.F(phase.MaxLagMs, 1)}ms");
        if (firstError is not null)
        {
            Console.WriteLine($"  first create error: {firstError}");
        }

        Console.WriteLine($"  create latency (client-observed): p50={Stats.F(Stats.Percentile(createLat, 50))}ms p99={Stats.F(Stats.Percentile(createLat, 99))}ms max={Stats.F(Stats.Percentile(createLat, 100))}ms");

        var reads = await ReadAllAsync(client, ids, waitTimeout);
        var start = new List<double>(reads.Length);
        var finish = new List<double>(reads.Length);
        var statuses = new Dictionary<string, int>(StringComparer.Ordinal);
        var notDone = 0;
        foreach (var r in reads)
        {
            statuses[r.Status] = statuses.GetValueOrDefault(r.Status) + 1;
            if (!r.Done)
            {
                notDone++;
            }

            if (r.StartMs is { } s)
            {
                start.Add(s);
            }

            if (r.FinishMs is { } f)
            {
                finish.Add(f);
            }
        }

        var startSorted = start.ToArray();
        Array.Sort(startSorted);
        var finishSorted = finish.ToArray();
        Array.Sort(finishSorted);
        Console.WriteLine($"  statuses: {string.Join(", ", statuses.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"))}");
        Console.WriteLine($"  dispatch latency started_at - created_at over {startSorted.Length} ops: p50={Stats.F(Stats.Percentile(startSorted, 50), 1)}ms p90={Stats.F(Stats.Percentile(startSorted, 90), 1)}ms p99={Stats.F(Stats.Percentile(startSorted, 99), 1)}ms max={Stats.F(Stats.Percentile(startSorted, 100), 1)}ms");
        Console.WriteLine($"  completion latency finished_at - created_at: p50={Stats.F(Stats.Percentile(finishSorted, 50), 1)}ms p99={Stats.F(Stats.Percentile(finishSorted, 99), 1)}ms");
        Console.WriteLine(
            $"dispatch: rate={Stats.F(rate, 1)} seconds={Stats.F(seconds, 1)} ops={ids.Length} create_errors={createErrors} not_done={notDone} " +
            $"start_p50_ms={Stats.F(Stats.Percentile(startSorted, 50), 1)} start_p90_ms={Stats.F(Stats.Percentile(startSorted, 90), 1)} " +
            $"start_p99_ms={Stats.F(Stats.Percentile(startSorted, 99), 1)} start_max_ms={Stats.F(Stats.Percentile(startSorted, 100), 1)} " +
            $"finish_p99_ms={Stats.F(Stats.Percentile(finishSorted, 99), 1)} " +
            $"create_p50_ms={Stats.F(Stats.Percentile(createLat, 50))} create_p99_ms={Stats.F(Stats.Percentile(createLat, 99))} " +
            $"max_sched_lag_ms={Stats.F(phase.MaxLagMs, 1)}");
        return createErrors == 0 && notDone == 0 && startSorted.Length == ids.Length ? 0 : 1;
    }

    internal static async Task<Phase> RunOpenLoopAsync(HttpClient client, byte[] body, double rate, double seconds)
    {
        var freq = Stopwatch.Frequency;
        var total = Math.Max(1, (int)Math.Round(rate * seconds));
        var tasks = new Task<Created>[total];
        var maxLag = 0L;
        var t0 = Stopwatch.GetTimestamp();
        for (var i = 0; i < total; i++)
        {
            var due = t0 + (long)(i * (freq / rate));
            var remaining = due - Stopwatch.GetTimestamp();
            if (remaining * 1000 >= freq)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Floor(remaining * 1000.0 / freq)));
            }

            // Timer granularity is ~1 ms: a request is sent at most that early or (under load) late,
            // and a late one is sent immediately — the schedule never waits for earlier answers.
            maxLag = Math.Max(maxLag, Stopwatch.GetTimestamp() - due);
            tasks[i] = Task.Run(() => CreateAsync(client, body));
        }

        var created = await Task.WhenAll(tasks);
        var elapsed = (Stopwatch.GetTimestamp() - t0) / (double)freq;
        return new Phase(created, elapsed, Stats.Ms(maxLag));
    }

    private static async Task<Created> CreateAsync(HttpClient client, byte[] body)
    {
        var t0 = Stopwatch.GetTimestamp();
        try
        {
            using var request = BenchHttp.NewPost("v1/operations", body);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            var latency = Stats.Ms(Stopwatch.GetTimestamp() - t0);
            if (response.IsSuccessStatusCode && BenchHttp.OperationId(response, bytes) is { } id)
            {
                return new Created(id, latency, null);
            }

            return new Created(null, latency, $"HTTP {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(bytes.AsSpan(0, Math.Min(bytes.Length, 300)))}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            return new Created(null, Stats.Ms(Stopwatch.GetTimestamp() - t0), ex.GetType().Name + ": " + ex.Message);
        }
    }

    private static async Task<Read[]> ReadAllAsync(HttpClient client, string[] ids, int waitTimeout)
    {
        using var gate = new SemaphoreSlim(16);
        var tasks = ids.Select(async id =>
        {
            await gate.WaitAsync();
            try
            {
                return await ReadOneAsync(client, id, waitTimeout);
            }
            finally
            {
                gate.Release();
            }
        });
        return await Task.WhenAll(tasks);
    }

    private static async Task<Read> ReadOneAsync(HttpClient client, string id, int waitTimeout)
    {
        var status = "(unread)";
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                using var response = await client.GetAsync($"v1/operations/{BenchHttp.Escape(id)}/wait?timeout={waitTimeout}");
                if (!response.IsSuccessStatusCode)
                {
                    status = $"HTTP {(int)response.StatusCode}";
                    continue;
                }

                using var doc = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
                var root = doc.RootElement;
                status = BenchHttp.Str(root, "status") ?? "(no status)";
                var done = root.TryGetProperty("done", out var d) && d.ValueKind == JsonValueKind.True;
                if (!done)
                {
                    continue;
                }

                var createdAt = BenchHttp.Timestamp(root, "created_at");
                var startedAt = BenchHttp.Timestamp(root, "started_at");
                var finishedAt = BenchHttp.Timestamp(root, "finished_at");
                return new Read(
                    status,
                    true,
                    createdAt is { } c && startedAt is { } s ? (s - c).TotalMilliseconds : null,
                    createdAt is { } c2 && finishedAt is { } f ? (f - c2).TotalMilliseconds : null);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException or JsonException)
            {
                status = ex.GetType().Name;
            }
        }

        return new Read(status, false, null, null);
    }

    internal sealed record Created(string? Id, double LatencyMs, string? Error);

    internal sealed record Phase(Created[] Created, double ElapsedS, double MaxLagMs);

    private sealed record Read(string Status, bool Done, double? StartMs, double? FinishMs);
}
