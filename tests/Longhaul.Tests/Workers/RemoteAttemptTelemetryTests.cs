using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using Longhaul.AspNetCore.Workers;
using Longhaul.Contracts;
using Longhaul.Storage;
using Longhaul.Testing;
using Longhaul.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Longhaul.Tests.Workers;

/// <summary>
/// A remote attempt on fake time, over the worker protocol: its deadline warning at a heartbeat (metric and SSE
/// <c>warning</c> event), its end by the deadline at a later heartbeat (finished, deadline exceeded, run time from the
/// claim), and its span back-dated to the claim as the child of the claim span whose context the claim answered.
/// </summary>
public sealed class RemoteAttemptTelemetryTests
{
    [Fact]
    public async Task RemoteAttempt_PastWarningThenDeadlineAtHeartbeats_WarnedOnceEndedAndTracedFromTheClaim()
    {
        var kind = "rk" + Guid.NewGuid().ToString("N")[..10];
        var stopped = new ConcurrentQueue<Activity>();
        using var activities = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Longhaul",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(activities);
        var measured = new ConcurrentQueue<(string Name, double Value, Dictionary<string, object?> Tags)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Longhaul") listener.EnableMeasurementEvents(instrument);
            },
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var tag in tags) copy[tag.Key] = tag.Value;
            if (copy.GetValueOrDefault("kind") as string == kind) measured.Enqueue((instrument.Name, value, copy));
        }
        meters.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        meters.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        meters.Start();

        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await TestHost.StartWithServicesAsync(
            s => s.AddSingleton<TimeProvider>(clock).Configure<LonghaulEngineOptions>(o =>
            {
                o.ReaperInterval = TimeSpan.FromHours(1);
                o.LeaseDuration = TimeSpan.FromHours(1);
            }).AddSingleton<IOperationHandler>(sp => RemoteKindLoader.Load(kind, new RemoteKindOptions(), sp.GetRequiredService<IOptions<LonghaulEngineOptions>>().Value, [])));
        var started = await host.Client.PostAsync("/v1/operations", Http.Json(new { kind, input = new { }, options = new { timeout_seconds = 60 } }), Http.Ct);
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync(Http.Ct));
        var id = (await Http.ReadJsonAsync(started)).Id();
        var claimedAt = clock.GetUtcNow();

        using var claim = await host.Client.PostAsync("/v1/workers/claim", Http.Json(new { worker = "w1", kinds = new[] { kind } }), Http.Ct);
        Assert.Equal(HttpStatusCode.OK, claim.StatusCode);
        var claimed = (await Http.ReadJsonAsync(claim)).GetProperty("operations")[0];
        var token = claimed.GetProperty("lease").GetProperty("token").GetString()!;
        var traceparent = claimed.GetProperty("traceparent").GetString()!;

        clock.Advance(TimeSpan.FromSeconds(50)); // past 80 % of 60 s
        for (var i = 0; i < 2; i++)
        {
            using var beat = await host.Client.PostAsync("/v1/leases/heartbeat", Http.Json(new { leases = new[] { token } }), Http.Ct);
            Assert.Equal(HttpStatusCode.OK, beat.StatusCode);
            Assert.True((await Http.ReadJsonAsync(beat)).GetProperty("leases")[0].GetProperty("held").GetBoolean());
        }
        clock.Advance(TimeSpan.FromSeconds(11)); // past the deadline
        using (var beat = await host.Client.PostAsync("/v1/leases/heartbeat", Http.Json(new { leases = new[] { token } }), Http.Ct))
            Assert.Equal(HttpStatusCode.Conflict, beat.StatusCode);

        var store = host.Services.GetRequiredService<IOperationStore>();
        var events = await store.ReadEventsAsync(new ReadEventsParams(id, 0, 100), Http.Ct);
        var warning = Assert.Single(events, e => e.Type == "warning");
        Assert.Equal("deadline_approaching", warning.Data!.Value.GetProperty("code").GetString());
        var op = await store.GetAsync(new GetParams(null, id), Http.Ct);
        Assert.Equal(OperationStatus.Failed, op!.Status);
        Assert.Equal("deadline_exceeded", op.Error!.Code);

        var m = measured.ToList();
        Assert.Equal(1, m.Count(x => x.Name == "longhaul.operation.attempts"));
        Assert.Equal(1, m.Count(x => x.Name == "longhaul.operation.deadline_approaching"));
        Assert.Equal(1, m.Count(x => x.Name == "longhaul.operation.deadline_exceeded"));
        var finished = Assert.Single(m, x => x.Name == "longhaul.operations.finished");
        Assert.Equal("deadline_exceeded", finished.Tags["error.code"]);
        var run = Assert.Single(m, x => x.Name == "longhaul.operation.attempt.duration");
        Assert.Equal("failed", run.Tags["outcome"]);
        Assert.Equal(61, run.Value, 0.002);

        var ours = stopped.Where(a => (string?)a.GetTagItem("longhaul.operation.id") == id).ToList();
        var claimSpan = Assert.Single(ours, a => a.OperationName == "longhaul.worker.claim");
        Assert.Equal(claimSpan.Id, traceparent);
        Assert.StartsWith($"00-{claimSpan.TraceId}-{claimSpan.SpanId}-", traceparent, StringComparison.Ordinal);
        var attempt = Assert.Single(ours, a => a.OperationName == "longhaul.attempt " + kind);
        Assert.Equal(claimSpan.TraceId, attempt.TraceId);
        Assert.Equal(claimSpan.SpanId, attempt.ParentSpanId);
        Assert.True(Math.Abs((claimedAt.UtcDateTime - attempt.StartTimeUtc).TotalMilliseconds) <= 2, $"started {attempt.StartTimeUtc:O}, claimed {claimedAt:O}");
        Assert.True(Math.Abs(attempt.Duration.TotalSeconds - 61) <= 0.002, $"duration {attempt.Duration}");
        Assert.Equal("failed", attempt.GetTagItem("longhaul.attempt.outcome"));
        Assert.Equal("deadline_exceeded", attempt.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Error, attempt.Status);
        Assert.Equal(["warning"], attempt.Events.Select(e => e.Name));
        Assert.Equal(JsonValueKind.String, claimed.GetProperty("traceparent").ValueKind);
    }
}
