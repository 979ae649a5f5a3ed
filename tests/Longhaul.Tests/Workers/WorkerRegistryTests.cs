using System.Net;
using System.Text.Json;
using Longhaul.AspNetCore.Workers;
using Longhaul.Testing;
using Longhaul.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Longhaul.Tests.Workers;

/// <summary>
/// The worker registry on fake time, over the worker protocol: a worker's row is written at most once per heartbeat
/// interval (capped at 5 s) however often it calls, again when its kinds change, and its status moves from active to
/// idle to gone (after three heartbeat intervals unheard of).
/// </summary>
public sealed class WorkerRegistryTests
{
    [Fact]
    public async Task Registry_ManyCallsWithinTheWriteInterval_OneWrite_ThenStatusActiveIdleGone()
    {
        var kind = "rk" + Guid.NewGuid().ToString("N")[..10];
        var other = kind + "b";
        var clock = new ManualTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        await using var host = await TestHost.StartWithServicesAsync(
            s => s.AddSingleton<TimeProvider>(clock).Configure<LonghaulEngineOptions>(o =>
            {
                o.ReaperInterval = TimeSpan.FromHours(1);
                o.LeaseDuration = TimeSpan.FromHours(1);
            })
            .AddSingleton<IOperationHandler>(sp => RemoteKindLoader.Load(kind, new RemoteKindOptions(), sp.GetRequiredService<IOptions<LonghaulEngineOptions>>().Value, []))
            .AddSingleton<IOperationHandler>(sp => RemoteKindLoader.Load(other, new RemoteKindOptions(), sp.GetRequiredService<IOptions<LonghaulEngineOptions>>().Value, [])));
        var t0 = clock.GetUtcNow();
        using (var started = await host.Client.PostAsync("/v1/operations", Http.Json(new { kind, input = new { } }), Http.Ct))
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);

        var token = (await ClaimAsync(host, kind)).GetProperty("operations")[0].GetProperty("lease").GetProperty("token").GetString()!;
        var first = await WorkerAsync(host);
        Assert.Equal(("active", 1, t0, t0), (first.GetProperty("status").GetString(), first.GetProperty("running").GetInt32(),
            first.GetProperty("first_seen_at").GetDateTimeOffset(), first.GetProperty("last_seen_at").GetDateTimeOffset()));

        // Within the write interval (5 s with the default 10 s heartbeat): claims and heartbeats write nothing.
        clock.Advance(TimeSpan.FromSeconds(4));
        await ClaimAsync(host, kind);
        using (var beat = await host.Client.PostAsync("/v1/leases/heartbeat", Http.Json(new { leases = new[] { token }, worker = "w1" }), Http.Ct))
            Assert.Equal(HttpStatusCode.OK, beat.StatusCode);
        Assert.Equal(t0, (await WorkerAsync(host)).GetProperty("last_seen_at").GetDateTimeOffset());
        // Other kinds are written at once.
        await ClaimAsync(host, other);
        var changed = await WorkerAsync(host);
        Assert.Equal(t0 + TimeSpan.FromSeconds(4), changed.GetProperty("last_seen_at").GetDateTimeOffset());
        Assert.Equal([other], changed.GetProperty("kinds").EnumerateArray().Select(k => k.GetString()));

        // Past the interval, a heartbeat writes; after the operation ends the worker is idle; unheard of for 3 × 10 s, gone.
        clock.Advance(TimeSpan.FromSeconds(6));
        using (var beat = await host.Client.PostAsync("/v1/leases/heartbeat", Http.Json(new { leases = new[] { token }, worker = "w1" }), Http.Ct))
            Assert.Equal(HttpStatusCode.OK, beat.StatusCode);
        Assert.Equal(t0 + TimeSpan.FromSeconds(10), (await WorkerAsync(host)).GetProperty("last_seen_at").GetDateTimeOffset());
        using (var done = await host.Client.PostAsync("/v1/leases/complete", Http.Json(new { lease = token }), Http.Ct))
            Assert.Equal(HttpStatusCode.NoContent, done.StatusCode);
        var idle = await WorkerAsync(host);
        Assert.Equal(("idle", 0), (idle.GetProperty("status").GetString(), idle.GetProperty("running").GetInt32()));
        clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal("gone", (await WorkerAsync(host)).GetProperty("status").GetString());
    }

    private static async Task<JsonElement> ClaimAsync(TestHost host, string kind)
    {
        using var claim = await host.Client.PostAsync("/v1/workers/claim", Http.Json(new { worker = "w1", kinds = new[] { kind } }), Http.Ct);
        Assert.Equal(HttpStatusCode.OK, claim.StatusCode);
        return await Http.ReadJsonAsync(claim);
    }

    private static async Task<JsonElement> WorkerAsync(TestHost host)
    {
        using var list = await host.Client.GetAsync("/v1/workers", Http.Ct);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        return Assert.Single((await Http.ReadJsonAsync(list)).GetProperty("workers").EnumerateArray());
    }
}
