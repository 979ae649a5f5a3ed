using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Longhaul.Bench;

/// <summary>
/// Drain throughput: create COUNT sleep(0) operations as fast as CONCURRENCY connections allow
/// (create phase), then poll `status=pending` and `status=running` list pages every 20 ms until both
/// are empty (drain phase), then read a sample and check it is `succeeded`.
/// With workers paused during creation, drain_ops_per_s is the pure worker throughput; with workers
/// running, most work happens during the create phase and end_to_end_ops_per_s is the figure to read.
/// </summary>
internal static class DrainCommand
{
    public static async Task<int> RunAsync(BenchArgs a)
    {
        var url = a.Required("url");
        var count = a.Int("count", 20000);
        var concurrency = a.Int("concurrency", 64);
        var apiKey = a.Optional("api-key");
        var verify = a.Int("verify", 500, min: 0);
        var timeoutS = a.Double("timeout", 300, min: 1);
        var pollMs = a.Int("poll-ms", 20);
        var resumePath = a.Optional("resume-path");
        // One key per line: the creates go round-robin over them (one tenant per key; bench/fairness.sh).
        var keysFile = a.Optional("api-keys-file");
        var keys = keysFile is null ? null : File.ReadAllLines(keysFile).Where(l => l.Length > 0).ToArray();
        // all: create then drain; create: create only (server started with workers off);
        // drain: only wait for the drain of what is already stored, timed by the server's own timestamps.
        var mode = a.Optional("mode") ?? "all";
        a.EnsureAllUsed();
        if (mode is not ("all" or "create" or "drain"))
        {
            Console.Error.WriteLine("drain: --mode must be all, create or drain");
            return 2;
        }

        using var client = BenchHttp.CreateClient(url, concurrency + 4, apiKey);
        var freq = Stopwatch.Frequency;

        // Pre-flight: the drain criterion is "nothing pending or running", so say if the server is not idle.
        var (pending0, err0, _) = await ListIsEmptyAsync(client, "pending");
        if (err0 is not null)
        {
            Console.Error.WriteLine($"drain: list endpoint not usable: {err0}");
            return 1;
        }

        if (mode == "drain")
        {
            return await DrainStoredAsync(client, timeoutS, pollMs);
        }

        if (!pending0 || !(await ListIsEmptyAsync(client, "running")).Empty)
        {
            Console.WriteLine("drain: warning: the server already has pending/running operations; they count towards the drain.");
        }

        Console.WriteLine($"drain: creating {count} operations {BenchHttp.SleepZeroBody} with concurrency={concurrency} at {client.BaseAddress}");
        var body = BenchHttp.Utf8(BenchHttp.SleepZeroBody);
        var ids = new string?[count];
        var next = -1;
        long errors = 0;
        string? firstError = null;

        var tStart = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, Math.Min(concurrency, count)).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= count)
                {
                    return;
                }

                try
                {
                    using var request = BenchHttp.NewPost("v1/operations", body);
                    if (keys is { Length: > 0 }) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", keys[i % keys.Length]);
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                    var bytes = await response.Content.ReadAsByteArrayAsync();
                    if (response.IsSuccessStatusCode && BenchHttp.OperationId(response, bytes) is { } id)
                    {
                        ids[i] = id;
                    }
                    else
                    {
                        Interlocked.Increment(ref errors);
                        Interlocked.CompareExchange(ref firstError, $"HTTP {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(bytes.AsSpan(0, Math.Min(bytes.Length, 300)))}", null);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, ex.GetType().Name + ": " + ex.Message, null);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var tCreated = Stopwatch.GetTimestamp();
        var createS = (tCreated - tStart) / (double)freq;

        var created = ids.Count(id => id is not null);
        Console.WriteLine($"  create phase: created={created} errors={errors} in {Stats.F(createS)}s = {Stats.F(created / createS, 1)} creates/s");
        if (firstError is not null)
        {
            Console.WriteLine($"  first create error: {firstError}");
        }

        if (mode == "create")
        {
            Console.WriteLine($"drain-create: created={created} create_errors={errors} create_s={Stats.F(createS)} create_ops_per_s={Stats.F(created / createS, 1)}");
            return errors == 0 ? 0 : 1;
        }

        if (created == 0)
        {
            Console.WriteLine($"drain: created=0 errors={errors} (nothing to drain)");
            return 1;
        }

        // Workers paused during creation: ask the server to start them; the drain phase starts now.
        if (resumePath is not null)
        {
            tCreated = Stopwatch.GetTimestamp(); // conservative: the drain clock starts before the resume request
            using var resume = await client.PostAsync(resumePath.TrimStart('/'), content: null);
            Console.WriteLine($"  POST {resumePath} -> {(int)resume.StatusCode}");
            if (!resume.IsSuccessStatusCode)
            {
                Console.Error.WriteLine($"drain: resuming workers failed: HTTP {(int)resume.StatusCode} {await resume.Content.ReadAsStringAsync()}");
                return 1;
            }
        }

        // Drain phase: poll both lists every pollMs until both are empty (pending, running, pending again
        // so that an operation moving running -> pending for a retry between two polls is not missed).
        var deadline = tCreated + (long)(timeoutS * freq);
        long polls = 0, pollErrors = 0;
        long tDrained;
        var nextReport = tCreated + 5 * freq;
        while (true)
        {
            var tick = Stopwatch.GetTimestamp();
            polls++;
            var (pendingEmpty, error, fatal) = await ListIsEmptyAsync(client, "pending");
            if (error is null && pendingEmpty)
            {
                (var runningEmpty, error, fatal) = await ListIsEmptyAsync(client, "running");
                var tObserved = Stopwatch.GetTimestamp();
                if (error is null && runningEmpty)
                {
                    (var pendingStillEmpty, error, fatal) = await ListIsEmptyAsync(client, "pending");
                    if (error is null && pendingStillEmpty)
                    {
                        tDrained = tObserved;
                        break;
                    }
                }
            }

            if (error is not null)
            {
                pollErrors++;
                if (fatal)
                {
                    Console.Error.WriteLine($"drain: polling failed: {error}");
                    return 1;
                }
            }

            var now = Stopwatch.GetTimestamp();
            if (now > deadline)
            {
                Console.WriteLine($"drain: created={created} create_s={Stats.F(createS)} drain_s=timeout({timeoutS}s) polls={polls} poll_errors={pollErrors}");
                return 1;
            }

            if (now > nextReport)
            {
                Console.WriteLine($"  … still draining after {Stats.F((now - tCreated) / (double)freq, 1)}s");
                nextReport = now + 5 * freq;
            }

            var wait = tick + pollMs * freq / 1000 - now;
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(wait / (double)freq));
            }
        }

        var drainS = (tDrained - tCreated) / (double)freq;
        var totalS = (tDrained - tStart) / (double)freq;
        Console.WriteLine($"  drain phase: nothing pending or running {Stats.F(drainS)}s after creation finished ({polls} polls, {pollErrors} poll errors)");
        Console.WriteLine($"  drain ops/s (created / drain phase) = {Stats.F(created / Math.Max(drainS, 1e-9), 1)}" +
            (resumePath is null ? "  [only meaningful if workers were paused while creating; otherwise read end-to-end]" : ""));
        Console.WriteLine($"  end-to-end ops/s (created / (create + drain)) = {Stats.F(created / totalS, 1)}");

        // Verify a sample, evenly spread over creation order.
        var (sampled, succeeded, other) = await VerifySampleAsync(client, ids, verify);
        Console.WriteLine($"  verify: {succeeded}/{sampled} sampled operations succeeded" + (other.Count > 0 ? " (others: " + string.Join(", ", other.Select(kv => $"{kv.Key}={kv.Value}")) + ")" : ""));

        Console.WriteLine(
            $"drain: created={created} create_errors={errors} create_s={Stats.F(createS)} create_ops_per_s={Stats.F(created / createS, 1)} " +
            $"drain_s={Stats.F(drainS)} drain_ops_per_s={Stats.F(created / Math.Max(drainS, 1e-9), 1)} " +
            $"total_s={Stats.F(totalS)} end_to_end_ops_per_s={Stats.F(created / totalS, 1)} " +
            $"verified={succeeded}/{sampled} concurrency={concurrency} resumed={(resumePath is null ? "no" : "yes")}");
        return errors == 0 && succeeded == sampled ? 0 : 1;
    }

    /// <summary>
    /// Waits until nothing is pending or running, then pages through every succeeded operation and times the drain by
    /// the server's own clock: from the first started_at to the last finished_at.
    /// </summary>
    private static async Task<int> DrainStoredAsync(HttpClient client, double timeoutS, int pollMs)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeoutS * Stopwatch.Frequency);
        while (true)
        {
            var (pendingEmpty, _, _) = await ListIsEmptyAsync(client, "pending");
            var (runningEmpty, _, _) = await ListIsEmptyAsync(client, "running");
            if (pendingEmpty && runningEmpty && (await ListIsEmptyAsync(client, "pending")).Empty)
            {
                break;
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                Console.WriteLine($"drain: drain_s=timeout({timeoutS}s)");
                return 1;
            }

            await Task.Delay(pollMs);
        }

        DateTimeOffset? first = null, last = null;
        long succeeded = 0, other = 0;
        string? token = null;
        do
        {
            var url = "v1/operations?page_size=100" + (token is null ? "" : "&page_token=" + Uri.EscapeDataString(token));
            using var doc = JsonDocument.Parse(await client.GetByteArrayAsync(url));
            foreach (var op in doc.RootElement.GetProperty("operations").EnumerateArray())
            {
                if (BenchHttp.Str(op, "status") != "succeeded")
                {
                    other++;
                    continue;
                }

                succeeded++;
                var started = op.GetProperty("started_at").GetDateTimeOffset();
                var finished = op.GetProperty("finished_at").GetDateTimeOffset();
                if (first is null || started < first) first = started;
                if (last is null || finished > last) last = finished;
            }

            token = doc.RootElement.TryGetProperty("next_page_token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        }
        while (token is not null);

        var seconds = first is null ? 0 : (last!.Value - first.Value).TotalSeconds;
        Console.WriteLine(
            $"drain: succeeded={succeeded} not_succeeded={other} drain_s={Stats.F(seconds)} " +
            $"drain_ops_per_s={Stats.F(succeeded / Math.Max(seconds, 1e-3), 1)} timed_by=server_timestamps");
        return other == 0 && succeeded > 0 ? 0 : 1;
    }

    /// <summary>GET /v1/operations?status=S&amp;page_size=1 → whether `operations` is empty, or an error string.</summary>
    private static async Task<(bool Empty, string? Error, bool Fatal)> ListIsEmptyAsync(HttpClient client, string status)
    {
        try
        {
            using var response = await client.GetAsync($"v1/operations?status={status}&page_size=1");
            var bytes = await response.Content.ReadAsByteArrayAsync();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                var fatal = (int)response.StatusCode is >= 400 and < 500 and not 408 and not 429;
                return (false, $"HTTP {(int)response.StatusCode} on status={status}: {System.Text.Encoding.UTF8.GetString(bytes.AsSpan(0, Math.Min(bytes.Length, 300)))}", fatal);
            }

            using var doc = JsonDocument.Parse(bytes);
            if (!doc.RootElement.TryGetProperty("operations", out var ops) || ops.ValueKind != JsonValueKind.Array)
            {
                return (false, "list response has no `operations` array", true);
            }

            return (ops.GetArrayLength() == 0, null, false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException or JsonException)
        {
            return (false, ex.GetType().Name + ": " + ex.Message, false);
        }
    }

    private static async Task<(int Sampled, int Succeeded, Dictionary<string, int> Other)> VerifySampleAsync(HttpClient client, string?[] ids, int verify)
    {
        var known = ids.Where(id => id is not null).Select(id => id!).ToArray();
        var n = Math.Min(verify, known.Length);
        var sample = Enumerable.Range(0, n).Select(i => known[(int)((long)i * known.Length / n)]).ToArray();
        var other = new Dictionary<string, int>(StringComparer.Ordinal);
        var succeeded = 0;
        var gate = new SemaphoreSlim(16);
        var tasks = sample.Select(async id =>
        {
            await gate.WaitAsync();
            try
            {
                using var response = await client.GetAsync("v1/operations/" + BenchHttp.Escape(id));
                if (!response.IsSuccessStatusCode)
                {
                    return $"HTTP {(int)response.StatusCode}";
                }

                using var doc = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
                return BenchHttp.Str(doc.RootElement, "status") ?? "(no status)";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException or JsonException)
            {
                return ex.GetType().Name;
            }
            finally
            {
                gate.Release();
            }
        });
        foreach (var status in await Task.WhenAll(tasks))
        {
            if (status == "succeeded")
            {
                succeeded++;
            }
            else
            {
                other[status] = other.GetValueOrDefault(status) + 1;
            }
        }

        return (n, succeeded, other);
    }
}
