using System.Diagnostics;

namespace Longhaul.Bench;

/// <summary>
/// Fallback closed-loop load generator (wrk is the primary tool): CONNECTIONS workers each send POSTs
/// back to back for SECONDS; reports requests/s and latency percentiles of the measured window.
/// </summary>
internal static class CreateCommand
{
    public static async Task<int> RunAsync(BenchArgs a)
    {
        var url = a.Required("url");
        var connections = a.Int("connections", 64);
        var seconds = a.Double("seconds", 15, min: 0.1);
        var warmup = a.Double("warmup", 1, min: 0);
        var body = BenchHttp.Utf8(a.String("body", BenchHttp.SleepZeroBody));
        var path = a.String("path", "v1/operations").TrimStart('/');
        var apiKey = a.Optional("api-key");
        a.EnsureAllUsed();

        using var client = BenchHttp.CreateClient(url, connections, apiKey);

        Console.WriteLine($"create: POST {client.BaseAddress}{path} connections={connections} warmup={warmup}s seconds={seconds}s (closed loop)");

        var freq = Stopwatch.Frequency;
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmup * freq);
        var measureTo = measureFrom + (long)(seconds * freq);

        var workers = new Task<WorkerResult>[connections];
        for (var i = 0; i < connections; i++)
        {
            workers[i] = Task.Run(() => WorkerAsync(client, path, body, measureFrom, measureTo));
        }

        var results = await Task.WhenAll(workers);
        var actualEnd = Stopwatch.GetTimestamp();

        var latencies = results.SelectMany(r => r.LatenciesMs).ToArray();
        Array.Sort(latencies);
        long ok = results.Sum(r => r.Ok), non2xx = results.Sum(r => r.Non2xx), errors = results.Sum(r => r.Errors);
        // Requests are counted when they *complete* inside [measureFrom, measureTo].
        var window = seconds;
        var rps = latencies.Length / window;

        var firstError = results.Select(r => r.FirstError).FirstOrDefault(e => e is not null);
        if (firstError is not null)
        {
            Console.WriteLine($"  first error: {firstError}");
        }

        Console.WriteLine($"  requests={latencies.Length} in {Stats.F(window, 1)}s (wall incl. warmup/tail {Stats.F(Stats.Ms(actualEnd - start) / 1000, 1)}s)");
        Console.WriteLine($"  requests/s={Stats.F(rps, 1)}  latency p50={Stats.F(Stats.Percentile(latencies, 50))}ms p90={Stats.F(Stats.Percentile(latencies, 90))}ms p99={Stats.F(Stats.Percentile(latencies, 99))}ms max={Stats.F(Stats.Percentile(latencies, 100))}ms");
        Console.WriteLine($"  2xx={ok} non2xx={non2xx} errors={errors}");
        Console.WriteLine(
            $"create: requests={latencies.Length} seconds={Stats.F(window, 1)} rps={Stats.F(rps, 1)} " +
            $"p50_ms={Stats.F(Stats.Percentile(latencies, 50))} p90_ms={Stats.F(Stats.Percentile(latencies, 90))} " +
            $"p99_ms={Stats.F(Stats.Percentile(latencies, 99))} max_ms={Stats.F(Stats.Percentile(latencies, 100))} " +
            $"non2xx={non2xx} errors={errors} connections={connections}");
        return non2xx + errors > 0 ? 1 : 0;
    }

    private static async Task<WorkerResult> WorkerAsync(HttpClient client, string path, byte[] body, long measureFrom, long measureTo)
    {
        var result = new WorkerResult();
        while (true)
        {
            var t0 = Stopwatch.GetTimestamp();
            if (t0 >= measureTo)
            {
                break;
            }

            bool success;
            var counted = false;
            try
            {
                using var request = BenchHttp.NewPost(path, body);
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                success = response.IsSuccessStatusCode;
                var t1 = Stopwatch.GetTimestamp();
                if (t1 >= measureFrom && t1 <= measureTo)
                {
                    counted = true;
                    result.LatenciesMs.Add(Stats.Ms(t1 - t0));
                }

                if (!success)
                {
                    result.FirstError ??= $"HTTP {(int)response.StatusCode}: {Truncate(await response.Content.ReadAsStringAsync())}";
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                success = false;
                counted = Stopwatch.GetTimestamp() >= measureFrom;
                result.FirstError ??= ex.GetType().Name + ": " + ex.Message;
                if (counted)
                {
                    result.Errors++;
                }

                await Task.Delay(10); // do not spin on a dead server
                continue;
            }

            if (counted)
            {
                if (success)
                {
                    result.Ok++;
                }
                else
                {
                    result.Non2xx++;
                }
            }
        }

        return result;
    }

    private static string Truncate(string s) => s.Length <= 300 ? s : s[..300] + "…";

    private sealed class WorkerResult
    {
        public List<double> LatenciesMs { get; } = new(capacity: 4096);
        public long Ok { get; set; }
        public long Non2xx { get; set; }
        public long Errors { get; set; }
        public string? FirstError { get; set; }
    }
}
