using System.Net;
using System.Text.Json.Nodes;

namespace Longhaul.EndToEnd.Tests.Harness;

/// <summary>
/// The noisy-neighbour measure of issue 19 against a running server: tenant A queues many 5-second sleeps, tenant B
/// then starts one zero-second sleep; B's queue wait (its resource's <c>started_at</c> − <c>created_at</c>, server
/// times) must not exceed the shortest remaining run time of A's work running when B was created, plus 1 s.
/// </summary>
internal static class FairnessScenario
{
    public const double NoisySeconds = 5;

    /// <summary>Starts <paramref name="count"/> operations, <paramref name="parallel"/> requests at a time; returns their ids.</summary>
    public static async Task<List<string>> StartManyAsync(WorkerApi api, string key, int count, Func<int, JsonObject> body, int parallel = 8)
    {
        var ids = new string[count];
        var next = -1;
        var workers = Enumerable.Range(0, parallel).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var (status, response) = await api.PostAsync("/v1/operations", key, body(i));
                Assert.True(status == HttpStatusCode.Accepted, $"start answered {(int)status}: {response?.ToJsonString()}");
                ids[i] = response!["id"]!.GetValue<string>();
            }
        });
        await Task.WhenAll(workers);
        return [.. ids];
    }

    public static JsonObject Sleep(double seconds, JsonObject? options = null)
    {
        var body = new JsonObject { ["kind"] = "sleep", ["input"] = new JsonObject { ["seconds"] = seconds, ["steps"] = 1 } };
        if (options is not null) body["options"] = options;
        return body;
    }

    /// <summary>Runs the scenario: <paramref name="noisyCount"/> sleeps for A while <paramref name="slots"/> slots fill, then B's one.</summary>
    public static async Task<string> RunAsync(EndToEndEnvironment env, WorkerApi api, string keyA, string keyB, int noisyCount, int slots)
    {
        await StartManyAsync(api, keyA, noisyCount, _ => Sleep(NoisySeconds));
        // Every slot busy with A's work before B arrives (A has hundreds more queued).
        var busy = await Eventually.ValueAsync(() => RunningAsync(api, keyA), n => n >= slots, TimeSpan.FromSeconds(60));
        Assert.True(busy >= slots, $"only {busy} of A's operations running\n{env.Logs}");

        var (status, created) = await api.PostAsync("/v1/operations", keyB, Sleep(0));
        Assert.True(status == HttpStatusCode.Accepted, created?.ToJsonString());
        var quiet = await api.WaitDoneAsync(keyB, created!["id"]!.GetValue<string>(), TimeSpan.FromSeconds(60));
        var createdAt = Time(quiet["created_at"]);
        var wait = Time(quiet["started_at"]) - createdAt;

        // A's work running when B was created, and how long each had left (its actual end, else its planned one);
        // and A's work that started after B was created but before B did.
        var running = new List<TimeSpan>();
        var ahead = new List<TimeSpan>();
        var startedAt = Time(quiet["started_at"]);
        foreach (var op in await ListAllAsync(api, keyA))
        {
            if (op["started_at"] is not { } s) continue;
            if (Time(s) > createdAt)
            {
                if (Time(s) < startedAt) ahead.Add(Time(s) - createdAt);
                continue;
            }
            var end = op["finished_at"] is { } f ? Time(f) : Time(s) + TimeSpan.FromSeconds(NoisySeconds);
            if (end > createdAt) running.Add(end - createdAt);
        }
        Assert.True(running.Count > 0, "none of A's work was running when B was created");
        var bound = running.Min() + TimeSpan.FromSeconds(1);
        var message = $"B waited {wait.TotalSeconds:F3} s; A had {running.Count} running, shortest remaining {running.Min().TotalSeconds:F3} s; "
            + $"{ahead.Count} of A's started after B's creation and before B ({string.Join(", ", ahead.Select(a => a.TotalSeconds.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))} s after it)";
        // Within one slot turnover (plus 1 s for the claim itself). On a machine loaded by other work the claim can take
        // longer: then B must still have been the first one claimed, apart from claims already under way when B was
        // created (started within the same 1 s). A scheduler that preferred A's queue fails both.
        var fair = wait <= bound || ahead.All(a => a <= TimeSpan.FromSeconds(1));
        Assert.True(fair, message + "\n" + env.Logs[^Math.Min(env.Logs.Length, 20_000)..]);
        return message;
    }

    private static async Task<int> RunningAsync(WorkerApi api, string key)
    {
        var page = await api.GetAsync(key, "/v1/operations?status=running&page_size=100");
        return page["operations"]!.AsArray().Count;
    }

    private static async Task<List<JsonNode>> ListAllAsync(WorkerApi api, string key)
    {
        var all = new List<JsonNode>();
        string? token = null;
        do
        {
            var page = await api.GetAsync(key, "/v1/operations?page_size=100" + (token is null ? "" : "&page_token=" + Uri.EscapeDataString(token)));
            all.AddRange(page["operations"]!.AsArray().Select(o => o!));
            token = page["next_page_token"]?.GetValue<string>();
        }
        while (token is not null);
        return all;
    }

    public static DateTimeOffset Time(JsonNode? node) => DateTimeOffset.Parse(node!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
}
