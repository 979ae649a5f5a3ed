using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Longhaul.Client;
using Longhaul.Contracts;
using Longhaul.Tests.Infrastructure;
using Longhaul.Tests.Proxy;

namespace Longhaul.Tests.Client;

/// <summary>
/// The client against a fake server (a real Kestrel on 127.0.0.1) that answers 503 and 429: it waits what
/// <c>Retry-After</c> says, else backs off exponentially, and a retried start never creates a second operation.
/// </summary>
public sealed class ClientRetryTests
{
    private static (LonghaulClient Client, HttpClient Http, RecordingDelays Clock) ClientFor(FakeUpstream fake, Action<LonghaulClientOptions>? configure = null)
    {
        var clock = new RecordingDelays();
        var options = new LonghaulClientOptions { TimeProvider = clock };
        configure?.Invoke(options);
        var http = new HttpClient { BaseAddress = fake.Address };
        return (new LonghaulClient(http, options), http, clock);
    }

    [Fact]
    public async Task StartAsync_503Then429WithRetryAfterThen202_WaitsAsToldAndCreatesOneOperation()
    {
        // The fake creates the operation on the first request it sees for a key (as a server whose answer got lost
        // would) and answers 503, 429, then 202: a client sending a new key per try would create three.
        var created = new ConcurrentDictionary<string, string>();
        await using var fake = await FakeUpstream.StartAsync(async (context, request) =>
        {
            var key = request.Headers.GetValueOrDefault("Idempotency-Key") ?? Guid.NewGuid().ToString();
            var id = created.GetOrAdd(key, _ => $"op_{created.Count + 1}");
            switch (request.Number)
            {
                case 1: await FakeResponses.ProblemAsync(context, 503, ProblemCodes.StoreUnavailable, retryAfter: 2); break;
                case 2: await FakeResponses.ProblemAsync(context, 429, "too_many_requests", retryAfter: 3); break;
                default: await FakeResponses.ResourceAsync(context, 202, FakeResponses.Operation(id, OperationStatus.Pending), retryAfter: 1); break;
            }
        });
        var (client, http, clock) = ClientFor(fake);
        using var _ = http;

        var operation = await client.StartAsync<object, JsonElement>("sleep", new { seconds = 1 }, cancellationToken: Http.Ct);

        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3)], clock.Delays);
        Assert.Equal(3, fake.Requests.Count);
        Assert.Single(created);
        Assert.Equal("op_1", operation.Id);
        var keys = fake.Requests.Select(r => r.Headers.GetValueOrDefault("Idempotency-Key")).Distinct().ToList();
        Assert.True(keys is [{ Length: > 0 }], $"keys sent: {string.Join(", ", keys)}");
        Assert.All(fake.Requests, r => Assert.Equal("/v1/operations", r.PathAndQuery));
        Assert.Contains("\"seconds\":1", fake.Requests[0].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_503WithoutRetryAfter_BacksOffFromOneSecondDoublingWithJitter()
    {
        await using var fake = await FakeUpstream.StartAsync((context, request) => request.Number <= 3
            ? FakeResponses.ProblemAsync(context, 503, ProblemCodes.StoreUnavailable)
            : FakeResponses.ResourceAsync(context, 200, FakeResponses.Operation("op_1", OperationStatus.Running)));
        var (client, http, clock) = ClientFor(fake);
        using var _ = http;

        var operation = await client.GetAsync("op_1", Http.Ct);

        Assert.Equal(OperationStatus.Running, operation.Status);
        var delays = clock.Delays;
        Assert.Equal(3, delays.Count);
        for (var i = 0; i < 3; i++)
        {
            var ceiling = TimeSpan.FromSeconds(Math.Pow(2, i));
            Assert.True(delays[i] >= ceiling / 2 && delays[i] <= ceiling, $"delay {i} was {delays[i]}, not in [{ceiling / 2}, {ceiling}]");
        }
    }

    [Fact]
    public async Task GetAsync_503MoreThanMaxRetries_ThrowsTheProblem()
    {
        await using var fake = await FakeUpstream.StartAsync((context, _) => FakeResponses.ProblemAsync(context, 503, ProblemCodes.ShuttingDown, retryAfter: 1));
        var (client, http, clock) = ClientFor(fake, o => o.MaxRetries = 2);
        using var _ = http;

        var error = await Assert.ThrowsAsync<LonghaulApiException>(() => client.GetAsync("op_1", Http.Ct));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(ProblemCodes.ShuttingDown, error.Problem?.Code);
        Assert.Equal(3, fake.Requests.Count);
        Assert.Equal(2, clock.Delays.Count);
    }

    [Fact]
    public async Task DeleteAsync_FirstAnswerLostThenRetryFindsItGone_CountsAsDeleted()
    {
        // The fake deletes on the first request and answers 503 (as if the answer were lost), then 404 to the retry.
        var deleted = 0;
        await using var fake = await FakeUpstream.StartAsync((context, request) =>
        {
            if (request.Number == 1)
            {
                Interlocked.Increment(ref deleted);
                return FakeResponses.ProblemAsync(context, 503, ProblemCodes.StoreUnavailable, retryAfter: 1);
            }
            return FakeResponses.ProblemAsync(context, 404, ProblemCodes.OperationNotFound);
        });
        var (client, http, clock) = ClientFor(fake);
        using var _ = http;

        await client.DeleteAsync("op_1", Http.Ct);

        Assert.Equal(1, deleted);
        Assert.Equal(2, fake.Requests.Count);
        Assert.All(fake.Requests, r => Assert.Equal("DELETE", r.Method));
    }

    [Fact]
    public async Task DeleteAsync_404OnTheFirstTry_Throws()
    {
        await using var fake = await FakeUpstream.StartAsync((context, _) => FakeResponses.ProblemAsync(context, 404, ProblemCodes.OperationNotFound));
        var (client, http, _) = ClientFor(fake);
        using var __ = http;

        var error = await Assert.ThrowsAsync<LonghaulApiException>(() => client.DeleteAsync("op_1", Http.Ct));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task GetAsync_404_IsNotRetried()
    {
        await using var fake = await FakeUpstream.StartAsync((context, _) => FakeResponses.ProblemAsync(context, 404, ProblemCodes.OperationNotFound));
        var (client, http, clock) = ClientFor(fake);
        using var _ = http;

        var error = await Assert.ThrowsAsync<LonghaulApiException>(() => client.GetAsync("op_1", Http.Ct));

        Assert.Equal(ProblemCodes.OperationNotFound, error.Problem?.Code);
        Assert.Single(fake.Requests);
        Assert.Empty(clock.Delays);
    }

    [Fact]
    public async Task WaitForCompletionAsync_NoWaitEndpoint_PollsPacedByRetryAfterElseBackoff()
    {
        var gets = 0;
        await using var fake = await FakeUpstream.StartAsync((context, request) =>
        {
            if (request.PathAndQuery.Contains("/wait", StringComparison.Ordinal)) return FakeResponses.ProblemAsync(context, 404, ProblemCodes.NotFound);
            return Interlocked.Increment(ref gets) switch
            {
                1 => FakeResponses.ResourceAsync(context, 200, FakeResponses.Operation("op_1", OperationStatus.Pending)),
                2 => FakeResponses.ResourceAsync(context, 200, FakeResponses.Operation("op_1", OperationStatus.Running), retryAfter: 4),
                3 or 4 => FakeResponses.ResourceAsync(context, 200, FakeResponses.Operation("op_1", OperationStatus.Running)),
                _ => FakeResponses.ResourceAsync(context, 200, FakeResponses.Operation("op_1", OperationStatus.Succeeded, """{"steps_completed":3}""")),
            };
        });
        var (client, http, clock) = ClientFor(fake);
        using var _ = http;

        var operation = await client.GetOperationAsync<SleepOutcome>("op_1", Http.Ct);
        var result = await operation.WaitForCompletionAsync(Http.Ct);

        Assert.Equal(3, result.StepsCompleted);
        Assert.True(operation.HasCompleted && operation.HasValue);
        Assert.Equal([TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], clock.Delays);
        Assert.Single(fake.Requests, r => r.PathAndQuery.Contains("/wait", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Client_ApiPathOption_SendsEveryCallUnderThatPrefix()
    {
        await using var fake = await FakeUpstream.StartAsync((context, request) => request.Method == "POST" && request.PathAndQuery.EndsWith("/cancel", StringComparison.Ordinal)
            ? FakeResponses.ResourceAsync(context, 202, FakeResponses.Operation("op_1", OperationStatus.Running) with { CancelRequested = true })
            : FakeResponses.ResourceAsync(context, request.Method == "POST" ? 202 : 200, FakeResponses.Operation("op_1", OperationStatus.Running)));
        var (client, http, _) = ClientFor(fake, o => o.ApiPath = "/api/jobs/");
        using var __ = http;

        var operation = await client.StartAsync(new StartOperationRequest { Kind = "sleep" }, "k1", Http.Ct);
        await operation.UpdateStatusAsync(Http.Ct);
        var outcome = await operation.CancelAsync(Http.Ct);

        Assert.Equal(CancelOutcome.Stopping, outcome);
        Assert.True(operation.Resource.CancelRequested);
        Assert.Equal(["POST /api/jobs/operations", "GET /api/jobs/operations/op_1", "POST /api/jobs/operations/op_1/cancel"],
            fake.Requests.Select(r => $"{r.Method} {r.PathAndQuery}"));
    }

    private sealed record SleepOutcome(int StepsCompleted);
}
