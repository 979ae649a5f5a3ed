using System.Text.Json;
using Longhaul.Client;
using Longhaul.Contracts;
using Longhaul.Tests.Infrastructure;
using Longhaul.Tests.Proxy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Longhaul.Tests.Client;

/// <summary>The operation handle against a fake server (a real Kestrel on 127.0.0.1): watch, values, cancel, DI.</summary>
public sealed class ClientHandleTests
{
    private static async Task WriteEventsAsync(HttpContext context, params (long Id, string Type, string Data)[] events)
    {
        context.Response.ContentType = "text/event-stream";
        await context.Response.WriteAsync("retry: 1000\n\n", context.RequestAborted);
        foreach (var (id, type, data) in events)
            await context.Response.WriteAsync($"id: {id}\nevent: {type}\ndata: {data}\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    private static string Json(OperationResource operation) => JsonSerializer.Serialize(operation, LonghaulJson.Default.OperationResource);

    private static LonghaulClient ClientFor(FakeUpstream fake, out HttpClient http)
    {
        http = new HttpClient { BaseAddress = fake.Address };
        return new LonghaulClient(http, new LonghaulClientOptions { TimeProvider = new RecordingDelays() });
    }

    [Fact]
    public async Task WatchAsync_ConnectionDropsMidStream_ResumesWithLastEventIdAndYieldsEachEventOnce()
    {
        var running = FakeResponses.Operation("op_1", OperationStatus.Running);
        var done = FakeResponses.Operation("op_1", OperationStatus.Succeeded, """{"steps_completed":2}""");
        var sawThird = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var fake = await FakeUpstream.StartAsync(async (context, request) =>
        {
            if (!request.PathAndQuery.EndsWith("/events", StringComparison.Ordinal))
            {
                await FakeResponses.ResourceAsync(context, 200, running);
                return;
            }
            if (request.Number == 2)
            {
                await WriteEventsAsync(context, (1, "snapshot", Json(running)), (2, "progress", """{"progress":{"percent":50,"current":1,"total":2},"estimated_completion":null}"""),
                    (3, "output", """{"step":1,"of":2}"""));
                await sawThird.Task.WaitAsync(context.RequestAborted);
                context.Abort(); // the connection breaks before the operation is done
                return;
            }
            // The resumed stream repeats event 3 (as a server might around a restart): the client must not yield it twice.
            await WriteEventsAsync(context, (3, "output", """{"step":1,"of":2}"""), (4, "status", """{"status":"succeeded","attempt":1}"""), (5, "done", Json(done)));
        });
        var client = ClientFor(fake, out var http);
        using var _ = http;

        var operation = await client.GetOperationAsync<JsonElement>("op_1", Http.Ct);
        var seen = new List<Longhaul.Client.OperationEvent>();
        await foreach (var e in operation.WatchAsync<StepOutput>(cancellationToken: Http.Ct))
        {
            seen.Add(e);
            if (e.Id == 3) sawThird.TrySetResult();
        }

        Assert.Equal([1L, 2, 3, 4, 5], seen.Select(e => e.Id));
        Assert.IsType<OperationSnapshotEvent>(seen[0]);
        Assert.Equal(50, Assert.IsType<OperationProgressEvent>(seen[1]).Progress.Percent);
        Assert.Equal(new StepOutput(1, 2), Assert.IsType<OperationOutputEvent<StepOutput>>(seen[2]).Output);
        Assert.Equal(OperationStatus.Succeeded, Assert.IsType<OperationStatusEvent>(seen[3]).Status);
        Assert.IsType<OperationDoneEvent>(seen[4]);
        var resumed = fake.Requests[2];
        Assert.Equal("3", resumed.Headers.GetValueOrDefault("Last-Event-ID"));
        Assert.False(fake.Requests[1].Headers.ContainsKey("Last-Event-ID"));
        Assert.Equal(2, operation.Value.GetProperty("steps_completed").GetInt32());
    }

    [Fact]
    public async Task Value_FailedOrCancelledOperation_ThrowsTypedExceptionWithTheServersCode()
    {
        await using var fake = await FakeUpstream.StartAsync((context, request) => FakeResponses.ResourceAsync(context, 200, request.PathAndQuery.EndsWith("op_f", StringComparison.Ordinal)
            ? FakeResponses.Operation("op_f", OperationStatus.Failed, error: new OperationError { Code = "deadline_exceeded", Message = "too slow" })
            : FakeResponses.Operation("op_c", OperationStatus.Cancelled, error: new OperationError { Code = "cancelled", Message = "by a client" })));
        var client = ClientFor(fake, out var http);
        using var _ = http;

        var failed = await client.GetOperationAsync("op_f", Http.Ct);
        var cancelled = await client.GetOperationAsync("op_c", Http.Ct);

        var failure = Assert.Throws<OperationFailedException>(() => failed.Value);
        Assert.Equal(("op_f", "deadline_exceeded"), (failure.OperationId, failure.ErrorCode));
        var cancel = await Assert.ThrowsAsync<OperationCancelledException>(() => cancelled.WaitForCompletionAsync(Http.Ct));
        Assert.Equal("cancelled", cancel.ErrorCode);
        Assert.False(failed.HasValue);
    }

    [Fact]
    public async Task Value_RunningOperation_ThrowsInvalidOperation()
    {
        await using var fake = await FakeUpstream.StartAsync((context, _) => FakeResponses.ResourceAsync(context, 200, FakeResponses.Operation("op_1", OperationStatus.Running)));
        var client = ClientFor(fake, out var http);
        using var _ = http;

        var operation = await client.GetOperationAsync("op_1", Http.Ct);

        Assert.Throws<InvalidOperationException>(() => operation.Value);
    }

    [Fact]
    public async Task CancelAsync_SaysCancelledStoppingOrAlreadyFinished()
    {
        await using var fake = await FakeUpstream.StartAsync((context, request) => (request.Method, request.PathAndQuery) switch
        {
            ("POST", "/v1/operations/op_a/cancel") => FakeResponses.ResourceAsync(context, 200, FakeResponses.Operation("op_a", OperationStatus.Cancelled)),
            ("POST", "/v1/operations/op_b/cancel") => FakeResponses.ResourceAsync(context, 202, FakeResponses.Operation("op_b", OperationStatus.Running) with { CancelRequested = true }),
            ("POST", _) => FakeResponses.ProblemAsync(context, 409, ProblemCodes.OperationTerminal),
            _ => FakeResponses.ResourceAsync(context, 200, FakeResponses.Operation(request.PathAndQuery.Split('/')[^1], OperationStatus.Succeeded)),
        });
        var client = ClientFor(fake, out var http);
        using var _ = http;

        var outcomes = new List<CancelOutcome>();
        foreach (var id in new[] { "op_a", "op_b", "op_c" })
        {
            var operation = await client.GetOperationAsync(id, Http.Ct);
            outcomes.Add(await operation.CancelAsync(Http.Ct));
        }

        Assert.Equal([CancelOutcome.Cancelled, CancelOutcome.Stopping, CancelOutcome.AlreadyFinished], outcomes);
    }

    [Fact]
    public async Task AddLonghaulClient_ResolvesAClientOnTheFactorysHttpClient_WithTheOptions()
    {
        await using var fake = await FakeUpstream.StartAsync((context, _) => FakeResponses.ResourceAsync(context, 200, FakeResponses.Operation("op_1", OperationStatus.Running)));
        var services = new ServiceCollection();
        services.AddLonghaulClient(o =>
        {
            o.BaseAddress = fake.Address;
            o.ApiKey = "lh_test";
            o.ApiPath = "api/jobs";
        });
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<LonghaulClient>();
        var operation = await client.GetAsync("op_1", Http.Ct);

        Assert.Equal("op_1", operation.Id);
        Assert.Equal("/api/jobs/operations/op_1", fake.Requests[0].PathAndQuery);
        Assert.Equal("Bearer lh_test", fake.Requests[0].Headers.GetValueOrDefault("Authorization"));
    }

    [Fact]
    public void Options_Invalid_AreRefusedNamingTheSetting()
    {
        using var http = new HttpClient();
        var error = Assert.Throws<ArgumentException>(() => new LonghaulClient(http, new LonghaulClientOptions { MaxRetries = -1 }));
        Assert.Contains("MaxRetries", error.Message, StringComparison.Ordinal);
    }

    private sealed record StepOutput(int Step, int Of);
}
