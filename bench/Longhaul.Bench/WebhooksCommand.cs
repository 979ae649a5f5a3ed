using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Longhaul.Bench;

/// <summary>
/// Webhook delivery against completion: hosts a fast receiver (Kestrel on 127.0.0.1, answers 204), creates sleep(0)
/// operations with that receiver as their callback_url open-loop at RATE for SECONDS, then reads every operation's
/// finished_at and waits until every webhook-id has arrived. Completions/s is taken from the first to the last
/// finished_at, deliveries/s from the first to the last first arrival; the ratio says whether delivery keeps up.
/// The server must allow-list the receiver (Longhaul__Egress__AllowedNetworks__0=127.0.0.0/8).
/// </summary>
internal static class WebhooksCommand
{
    public static async Task<int> RunAsync(BenchArgs a)
    {
        var url = a.Required("url");
        var rate = a.Double("rate", 500, min: 0.01);
        var seconds = a.Double("seconds", 20, min: 0.1);
        var apiKey = a.Optional("api-key");
        var timeout = a.Double("timeout", 120, min: 1);
        a.EnsureAllUsed();

        var arrivals = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var requests = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        await using var receiver = builder.Build();
        receiver.MapPost("/hooks", (HttpContext context) =>
        {
            Interlocked.Increment(ref requests);
            arrivals.TryAdd(context.Request.Headers["webhook-id"].ToString(), DateTimeOffset.UtcNow);
            return Results.NoContent();
        });
        await receiver.StartAsync();
        var hooks = receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hooks";

        using var client = BenchHttp.CreateClient(url, 1024, apiKey);
        var body = BenchHttp.Utf8($$"""{"kind":"sleep","input":{"seconds":0},"callback_url":"{{hooks}}"}""");
        Console.WriteLine($"webhooks: creating sleep(0) with callback_url {hooks} open-loop at {Stats.F(rate, 1)}/s for {Stats.F(seconds, 1)}s against {client.BaseAddress}");
        var phase = await DispatchCommand.RunOpenLoopAsync(client, body, rate, seconds);
        var ids = phase.Created.Where(c => c.Id is not null).Select(c => c.Id!).ToArray();
        Console.WriteLine($"  sent {phase.Created.Length} creates in {Stats.F(phase.ElapsedS)}s, errors={phase.Created.Length - ids.Length}");

        var finished = await ReadFinishedAsync(client, ids);
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(timeout);
        var expected = ids.Select(id => "msg_" + id[3..]).ToArray();
        while (expected.Any(e => !arrivals.ContainsKey(e)) && DateTimeOffset.UtcNow < deadline) await Task.Delay(50);

        var done = finished.Where(f => f is not null).Select(f => f!.Value).Order().ToArray();
        var delivered = expected.Where(arrivals.ContainsKey).Select(e => arrivals[e]).Order().ToArray();
        var missing = expected.Length - delivered.Length;
        var completionsPerS = Rate(done);
        var deliveriesPerS = Rate(delivered);
        var lags = ids.Select((id, i) => (Finished: finished[i], Arrived: arrivals.TryGetValue(expected[i], out var t) ? t : (DateTimeOffset?)null))
            .Where(x => x.Finished is not null && x.Arrived is not null)
            .Select(x => (x.Arrived!.Value - x.Finished!.Value).TotalMilliseconds).Order().ToArray();
        var ratio = completionsPerS > 0 ? deliveriesPerS / completionsPerS : 0;
        Console.WriteLine($"  completed {done.Length} at {Stats.F(completionsPerS, 1)}/s; delivered {delivered.Length} at {Stats.F(deliveriesPerS, 1)}/s; {requests - delivered.Length} duplicate request(s); {missing} missing");
        Console.WriteLine($"  delivery lag (arrival - finished_at): p50={Stats.F(Stats.Percentile(lags, 50), 1)}ms p99={Stats.F(Stats.Percentile(lags, 99), 1)}ms max={Stats.F(Stats.Percentile(lags, 100), 1)}ms");
        Console.WriteLine(
            $"webhooks: rate={Stats.F(rate, 1)} seconds={Stats.F(seconds, 1)} ops={ids.Length} completions_per_s={Stats.F(completionsPerS, 1)} " +
            $"deliveries_per_s={Stats.F(deliveriesPerS, 1)} ratio={Stats.F(ratio, 3)} lag_p50_ms={Stats.F(Stats.Percentile(lags, 50), 1)} " +
            $"lag_p99_ms={Stats.F(Stats.Percentile(lags, 99), 1)} duplicates={requests - delivered.Length} missing={missing}");
        await receiver.StopAsync();
        return missing == 0 && ids.Length == phase.Created.Length ? 0 : 1;
    }

    /// <summary>Events per second from the first to the last time (n - 1 intervals).</summary>
    private static double Rate(DateTimeOffset[] sorted)
        => sorted.Length < 2 ? 0 : (sorted.Length - 1) / (sorted[^1] - sorted[0]).TotalSeconds;

    /// <summary>Each operation's finished_at (via /wait), null when it did not finish.</summary>
    private static async Task<DateTimeOffset?[]> ReadFinishedAsync(HttpClient client, string[] ids)
    {
        using var gate = new SemaphoreSlim(16);
        return await Task.WhenAll(ids.Select(async id =>
        {
            await gate.WaitAsync();
            try
            {
                using var response = await client.GetAsync($"v1/operations/{BenchHttp.Escape(id)}/wait?timeout=30");
                using var doc = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
                return BenchHttp.Timestamp(doc.RootElement, "finished_at");
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException or JsonException)
            {
                return null;
            }
            finally
            {
                gate.Release();
            }
        }));
    }
}
