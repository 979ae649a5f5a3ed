using System.Net;
using System.Text.Json;
using Longhaul.Tests.Infrastructure;
using static Longhaul.Tests.Infrastructure.Http;

namespace Longhaul.Tests;

/// <summary>Idempotency-Key on POST /v1/operations.</summary>
public sealed class IdempotencyTests
{
    private static HttpRequestMessage Create(string body, string key, string? prefer = null)
    {
        var request = Request(HttpMethod.Post, "/v1/operations", Json(body), ("Idempotency-Key", key));
        if (prefer is not null) request.Headers.TryAddWithoutValidation("Prefer", prefer);
        return request;
    }

    [Fact]
    public async Task Create_SameKeySameBody_ReplaysSameOperationAndCreatesOnlyOne()
    {
        await using var host = await TestHost.StartAsync();
        var body = Body("sleep", new { seconds = 0 });

        using var first = await host.Client.SendAsync(Create(body, "order-42"), Ct);
        using var second = await host.Client.SendAsync(Create(body, "order-42"), Ct);
        using var third = await host.Client.SendAsync(Create(body, "order-42"), Ct);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        foreach (var replay in new[] { second, third })
        {
            Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
            Assert.Equal("true", Assert.Single(replay.Headers.GetValues("Idempotent-Replayed")));
            Assert.Equal(first.Headers.Location, replay.Headers.Location);
            Assert.Equal((await ReadJsonAsync(first)).Id(), (await ReadJsonAsync(replay)).Id());
        }
        var all = await host.Client.ListAllAsync();
        Assert.Equal((await ReadJsonAsync(first)).Id(), Assert.Single(all).Id());
    }

    [Fact]
    public async Task Create_SameKeyAfterOperationFinished_ReplaysFinishedResource()
    {
        await using var host = await TestHost.StartAsync();
        var body = Body("sleep", new { seconds = 0 });
        using var first = await host.Client.SendAsync(Create(body, "k"), Ct);
        var id = (await ReadJsonAsync(first)).Id();
        await host.Client.WaitDoneAsync(id);

        using var replay = await host.Client.SendAsync(Create(body, "k"), Ct);

        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        Assert.Equal("true", Assert.Single(replay.Headers.GetValues("Idempotent-Replayed")));
        var op = await ReadJsonAsync(replay);
        Assert.Equal(id, op.Id());
        Assert.Equal("succeeded", op.Status());
        Assert.Single(await host.Client.ListAllAsync());
    }

    [Fact]
    public async Task Create_SameKeyDifferentBody_Answers422KeyReused()
    {
        await using var host = await TestHost.StartAsync();
        using var first = await host.Client.SendAsync(Create(Body("sleep", new { seconds = 0 }), "same"), Ct);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);

        using var second = await host.Client.SendAsync(Create(Body("sleep", new { seconds = 1 }), "same"), Ct);

        await AssertProblemAsync(second, 422, "idempotency_key_reused");
        Assert.Single(await host.Client.ListAllAsync());
    }

    [Fact]
    public async Task Create_SameKeyWhileFirstStillOpen_Answers409InFlight()
    {
        await using var host = await TestHost.StartAsync();
        var gate = host.NewGate();
        var body = Body(GateHandler.Name, gate.Input);
        var first = host.Client.SendAsync(Create(body, "slow-1", "respond-async, wait=20"), Ct);
        await gate.Started.Task.WaitAsync(Ct);
        Assert.False(first.IsCompleted);

        using (var second = await host.Client.SendAsync(Create(body, "slow-1"), Ct))
        {
            await AssertProblemAsync(second, 409, "idempotency_key_in_flight");
        }
        gate.Open();
        using var firstResponse = await first;
        Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
        var op = await ReadJsonAsync(firstResponse);
        Assert.Equal("succeeded", op.Status());

        using var third = await host.Client.SendAsync(Create(body, "slow-1"), Ct);
        Assert.Equal(HttpStatusCode.Accepted, third.StatusCode);
        Assert.Equal("true", Assert.Single(third.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal(op.Id(), (await ReadJsonAsync(third)).Id());
        Assert.Single(await host.Client.ListAllAsync());
        Assert.Equal(1, gate.Runs);
    }

    [Fact]
    public async Task Create_SameKeyTwoTenants_CreatesOneOperationEach()
    {
        await using var host = await TestHost.StartAsync(tenants: ["alpha", "beta"]);
        var alpha = host.ClientFor("alpha");
        var beta = host.ClientFor("beta");
        var body = Body("sleep", new { seconds = 0 });

        using var a = await alpha.SendAsync(Create(body, "shared-key"), Ct);
        using var b = await beta.SendAsync(Create(body, "shared-key"), Ct);

        Assert.Equal(HttpStatusCode.Accepted, a.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, b.StatusCode);
        Assert.False(b.Headers.Contains("Idempotent-Replayed"));
        var aId = (await ReadJsonAsync(a)).Id();
        var bId = (await ReadJsonAsync(b)).Id();
        Assert.NotEqual(aId, bId);
        Assert.Equal(aId, Assert.Single(await alpha.ListAllAsync()).Id());
        Assert.Equal(bId, Assert.Single(await beta.ListAllAsync()).Id());

        using var betaDifferentBody = await beta.SendAsync(Create(Body("sleep", new { seconds = 2 }), "shared-key"), Ct);
        await AssertProblemAsync(betaDifferentBody, 422, "idempotency_key_reused");
    }

    public static TheoryData<string> InvalidKeys => new()
    {
        "",
        new string('k', 256),
        "ключ",
        "caf\u00e9",
        "tab\there",
    };

    [Theory]
    [MemberData(nameof(InvalidKeys))]
    public async Task Create_InvalidKey_Answers400AndCreatesNothing(string key)
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client.SendAsync(Create(Body("sleep", new { seconds = 0 }), key), Ct);

        await AssertProblemAsync(response, 400, "idempotency_key_invalid");
        Assert.Empty(await host.Client.ListAllAsync());
    }

    [Fact]
    public async Task Create_Key255PrintableChars_IsAccepted()
    {
        await using var host = await TestHost.StartAsync();
        var key = string.Concat(Enumerable.Range(0, 255).Select(i => (char)(' ' + 1 + (i % 94))));

        using var response = await host.Client.SendAsync(Create(Body("sleep", new { seconds = 0 }), key), Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Create_InvalidBodyWithKey_DoesNotBurnTheKey()
    {
        await using var host = await TestHost.StartAsync();

        using var bad = await host.Client.SendAsync(Create(Body("sleep", new { seconds = -1 }), "retry-me"), Ct);
        using var good = await host.Client.SendAsync(Create(Body("sleep", new { seconds = 0 }), "retry-me"), Ct);

        await AssertProblemAsync(bad, 422, "validation_failed", "input.seconds");
        Assert.Equal(HttpStatusCode.Accepted, good.StatusCode);
        Assert.False(good.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(JsonValueKind.Object, (await ReadJsonAsync(good)).ValueKind);
    }
}
