using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Longhaul.Tests.Infrastructure;
using static Longhaul.Tests.Infrastructure.Http;

namespace Longhaul.Tests;

/// <summary>Create, read, wait, Prefer: wait, cancel and delete, over real HTTP.</summary>
public sealed class OperationLifecycleTests
{
    [Fact]
    public async Task Create_ValidSleep_Answers202WithLocationRetryAfterAndResource()
    {
        await using var host = await TestHost.StartAsync();
        var body = """{"kind":"sleep","input":{"seconds":0},"metadata":{"echoed":"as sent","n":[1,2,{"deep":true}]},"options":{"max_attempts":5,"priority":7,"timeout_seconds":60}}""";

        using var response = await host.Client.PostAsync("/v1/operations", Json(body), Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var op = await ReadJsonAsync(response);
        var id = op.Id();
        Assert.Matches(OperationId(), id);
        Assert.Equal($"/v1/operations/{id}", response.Headers.Location?.OriginalString);
        Assert.InRange(RetryAfterSeconds(response), 1, 30);
        Assert.Equal("sleep", op.GetProperty("kind").GetString());
        Assert.Contains(op.Status(), new[] { "pending", "running" });
        Assert.False(op.GetProperty("done").GetBoolean());
        Assert.Matches(Rfc3339Utc(), op.GetProperty("created_at").GetString()!);
        Assert.Matches(Rfc3339Utc(), op.GetProperty("updated_at").GetString()!);
        Assert.Equal(JsonValueKind.Null, op.GetProperty("finished_at").ValueKind);
        Assert.True(op.GetProperty("attempt").GetInt32() >= 0);
        Assert.Equal(5, op.GetProperty("max_attempts").GetInt32());
        Assert.False(op.GetProperty("cancel_requested").GetBoolean());
        Assert.Equal(JsonValueKind.Null, op.GetProperty("result").ValueKind);
        Assert.Equal(JsonValueKind.Null, op.GetProperty("error").ValueKind);
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse("""{"echoed":"as sent","n":[1,2,{"deep":true}]}""").RootElement, op.GetProperty("metadata")));
        foreach (var property in op.EnumerateObject()) Assert.Matches(SnakeCase(), property.Name);
        foreach (var name in new[] { "started_at", "progress", "estimated_completion" }) Assert.True(op.TryGetProperty(name, out _), name);
    }

    [Fact]
    public async Task Create_WithoutOptions_UsesDefaultMaxAttemptsAndEchoesNoMetadata()
    {
        await using var host = await TestHost.StartAsync();

        var op = await host.Client.SleepAsync();

        Assert.Equal(3, op.GetProperty("max_attempts").GetInt32());
        Assert.Equal(JsonValueKind.Null, op.GetProperty("metadata").ValueKind);
    }

    [Fact]
    public async Task Get_FinishedSleep_Answers200WithResultAndNoRetryAfter()
    {
        await using var host = await TestHost.StartAsync();
        var created = await host.Client.StartOperationOkAsync("sleep", new { seconds = 0, steps = 2 });
        await host.Client.WaitDoneAsync(created.Id());

        using var response = await host.Client.GetAsync($"/v1/operations/{created.Id()}", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Retry-After"));
        var op = await ReadJsonAsync(response);
        Assert.Equal("succeeded", op.Status());
        Assert.True(op.GetProperty("done").GetBoolean());
        Assert.Equal(1, op.GetProperty("attempt").GetInt32());
        Assert.Matches(Rfc3339Utc(), op.GetProperty("started_at").GetString()!);
        Assert.Matches(Rfc3339Utc(), op.GetProperty("finished_at").GetString()!);
        Assert.Equal(2, op.GetProperty("result").GetProperty("steps_completed").GetInt32());
        Assert.Equal(JsonValueKind.Null, op.GetProperty("error").ValueKind);
        Assert.Equal(100.0, op.GetProperty("progress").GetProperty("percent").GetDouble());
        Assert.Equal(JsonValueKind.Null, op.GetProperty("estimated_completion").ValueKind);
    }

    [Fact]
    public async Task Get_RunningOperation_Answers200WithRetryAfter()
    {
        await using var host = await TestHost.StartAsync();
        var gate = host.NewGate();
        var created = await host.Client.StartOperationOkAsync(GateHandler.Name, gate.Input);
        await gate.Started.Task.WaitAsync(Ct);

        using var response = await host.Client.GetAsync($"/v1/operations/{created.Id()}", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.InRange(RetryAfterSeconds(response), 1, 30);
        var op = await ReadJsonAsync(response);
        Assert.Equal("running", op.Status());
        Assert.False(op.GetProperty("done").GetBoolean());
        Assert.Equal(1, op.GetProperty("attempt").GetInt32());
        Assert.Matches(Rfc3339Utc(), op.GetProperty("started_at").GetString()!);
    }

    [Fact]
    public async Task Get_UnknownId_Answers404OperationNotFound()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client.GetAsync("/v1/operations/op_00000000000000000000000000", Ct);

        await AssertProblemAsync(response, 404, "operation_not_found");
    }

    [Fact]
    public async Task Get_PermanentFailure_FailsAtOnceWithHandlerError()
    {
        await using var host = await TestHost.StartAsync();
        var created = await host.Client.StartOperationOkAsync(FailHandler.Name, new { });

        var op = await host.Client.WaitDoneAsync(created.Id());

        Assert.Equal("failed", op.Status());
        Assert.Equal(1, op.GetProperty("attempt").GetInt32()); // Not retried, though max_attempts is 3.
        Assert.Equal(3, op.GetProperty("max_attempts").GetInt32());
        var error = op.GetProperty("error");
        Assert.Equal(FailHandler.ErrorCode, error.GetProperty("code").GetString());
        Assert.Equal("Refused on purpose.", error.GetProperty("message").GetString());
        Assert.Equal(1, error.GetProperty("details").GetProperty("attempt").GetInt32());
        Assert.Equal(JsonValueKind.Null, op.GetProperty("result").ValueKind);
    }

    [Fact]
    public async Task Wait_OperationFinishesDuringWait_ReturnsAsSoonAsDone()
    {
        await using var host = await TestHost.StartAsync();
        var gate = host.NewGate();
        var created = await host.Client.StartOperationOkAsync(GateHandler.Name, gate.Input);
        await gate.Started.Task.WaitAsync(Ct);
        var clock = Stopwatch.StartNew();

        var waiting = host.Client.GetAsync($"/v1/operations/{created.Id()}/wait?timeout=25", Ct);
        Assert.False(waiting.IsCompleted);
        gate.Open();
        using var response = await waiting;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"wait returned after {clock.Elapsed}");
        Assert.False(response.Headers.Contains("Retry-After"));
        var op = await ReadJsonAsync(response);
        Assert.Equal("succeeded", op.Status());
        Assert.Equal(gate.Token, op.GetProperty("result").GetProperty("token").GetString());
    }

    [Fact]
    public async Task Wait_TimeoutPasses_ReturnsNotDoneResourceWithRetryAfter()
    {
        await using var host = await TestHost.StartAsync();
        var gate = host.NewGate();
        var created = await host.Client.StartOperationOkAsync(GateHandler.Name, gate.Input);
        await gate.Started.Task.WaitAsync(Ct);
        var clock = Stopwatch.StartNew();

        using var response = await host.Client.GetAsync($"/v1/operations/{created.Id()}/wait?timeout=0.4", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(350), $"returned early, after {clock.Elapsed}");
        Assert.InRange(RetryAfterSeconds(response), 1, 30);
        var op = await ReadJsonAsync(response);
        Assert.Equal("running", op.Status());
        Assert.False(op.GetProperty("done").GetBoolean());
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("NaN")]
    [InlineData("")]
    public async Task Wait_BadTimeout_Answers400InvalidParameter(string timeout)
    {
        await using var host = await TestHost.StartAsync();
        var op = await host.Client.SleepAsync();

        using var response = await host.Client.GetAsync($"/v1/operations/{op.Id()}/wait?timeout={timeout}", Ct);

        await AssertProblemAsync(response, 400, "invalid_parameter", "timeout");
    }

    [Fact]
    public async Task Wait_UnknownId_Answers404()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client.GetAsync("/v1/operations/op_00000000000000000000000000/wait?timeout=1", Ct);

        await AssertProblemAsync(response, 404, "operation_not_found");
    }

    [Fact]
    public async Task CreatePreferWait_FinishesInTime_Answers200WithPreferenceApplied()
    {
        await using var host = await TestHost.StartAsync();
        using var request = Request(HttpMethod.Post, "/v1/operations", Json(Body("sleep", new { seconds = 0 })), ("Prefer", "respond-async, wait=10"));

        using var response = await host.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("wait=10", Assert.Single(response.Headers.GetValues("Preference-Applied")));
        Assert.False(response.Headers.Contains("Retry-After"));
        var op = await ReadJsonAsync(response);
        Assert.Equal("succeeded", op.Status());
        Assert.True(op.GetProperty("done").GetBoolean());
    }

    [Fact]
    public async Task CreatePreferWait_StillRunningAfterWait_Answers202()
    {
        await using var host = await TestHost.StartAsync();
        var gate = host.NewGate();
        using var request = Request(HttpMethod.Post, "/v1/operations", Json(Body(GateHandler.Name, gate.Input)), ("Prefer", "respond-async, wait=1"));

        using var response = await host.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.False(response.Headers.Contains("Preference-Applied"));
        var op = await ReadJsonAsync(response);
        Assert.Equal($"/v1/operations/{op.Id()}", response.Headers.Location?.OriginalString);
        Assert.InRange(RetryAfterSeconds(response), 1, 30);
        Assert.False(op.GetProperty("done").GetBoolean());
        await gate.Started.Task.WaitAsync(Ct);
        Assert.Equal("running", (await host.Client.GetJsonAsync($"/v1/operations/{op.Id()}")).Status());
    }

    [Fact]
    public async Task Cancel_PendingOperation_Answers200Cancelled()
    {
        await using var host = await TestHost.StartAsync(engine: o => o.RunWorkers = false);
        var created = await host.Client.SleepAsync(5);
        Assert.Equal("pending", created.Status());

        using var response = await host.Client.PostAsync($"/v1/operations/{created.Id()}/cancel", null, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Retry-After"));
        var op = await ReadJsonAsync(response);
        Assert.Equal("cancelled", op.Status());
        Assert.True(op.GetProperty("done").GetBoolean());
        Assert.Equal("cancelled", op.GetProperty("error").GetProperty("code").GetString());
        Assert.Matches(Rfc3339Utc(), op.GetProperty("finished_at").GetString()!);
        var read = await host.Client.GetJsonAsync($"/v1/operations/{created.Id()}");
        Assert.Equal("cancelled", read.Status());
    }

    [Fact]
    public async Task Cancel_RunningOperation_Answers202ThenEndsCancelledAndFiresToken()
    {
        await using var host = await TestHost.StartAsync();
        var gate = host.NewGate();
        var created = await host.Client.StartOperationOkAsync(StubbornHandler.Name, gate.Input);
        await gate.Started.Task.WaitAsync(Ct);

        using var response = await host.Client.PostAsync($"/v1/operations/{created.Id()}/cancel", null, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var op = await ReadJsonAsync(response);
        Assert.True(op.GetProperty("cancel_requested").GetBoolean());
        Assert.Equal("running", op.Status());
        Assert.False(op.GetProperty("done").GetBoolean());
        Assert.InRange(RetryAfterSeconds(response), 1, 30);

        await gate.TokenFired.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        using (var again = await host.Client.PostAsync($"/v1/operations/{created.Id()}/cancel", null, Ct))
        {
            Assert.Equal(HttpStatusCode.Accepted, again.StatusCode); // Still stopping: asking again changes nothing.
        }
        gate.Open();
        var final = await host.Client.WaitDoneAsync(created.Id());
        Assert.Equal("cancelled", final.Status());
        Assert.Equal("cancelled", final.GetProperty("error").GetProperty("code").GetString());
        Assert.True(final.GetProperty("cancel_requested").GetBoolean());
        Assert.Equal(JsonValueKind.Null, final.GetProperty("result").ValueKind);
    }

    [Fact]
    public async Task Cancel_GateHonouringToken_EndsCancelledWithoutRelease()
    {
        await using var host = await TestHost.StartAsync();
        var gate = host.NewGate();
        var created = await host.Client.StartOperationOkAsync(GateHandler.Name, gate.Input);
        await gate.Started.Task.WaitAsync(Ct);

        using var response = await host.Client.PostAsync($"/v1/operations/{created.Id()}/cancel", null, Ct);

        Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK);
        var final = await host.Client.WaitDoneAsync(created.Id());
        Assert.Equal("cancelled", final.Status());
        Assert.True(gate.TokenFired.Task.IsCompleted);
        Assert.False(gate.Release.Task.IsCompleted);
    }

    [Theory]
    [InlineData("sleep")]
    [InlineData(FailHandler.Name)]
    public async Task Cancel_FinishedOperation_Answers409OperationTerminal(string kind)
    {
        await using var host = await TestHost.StartAsync();
        var created = kind == "sleep" ? await host.Client.SleepAsync() : await host.Client.StartOperationOkAsync(kind, new { });
        var before = await host.Client.WaitDoneAsync(created.Id());

        using var response = await host.Client.PostAsync($"/v1/operations/{created.Id()}/cancel", null, Ct);

        await AssertProblemAsync(response, 409, "operation_terminal");
        var after = await host.Client.GetJsonAsync($"/v1/operations/{created.Id()}");
        Assert.True(JsonElement.DeepEquals(before, after));
    }

    [Fact]
    public async Task Cancel_UnknownId_Answers404()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client.PostAsync("/v1/operations/op_00000000000000000000000000/cancel", null, Ct);

        await AssertProblemAsync(response, 404, "operation_not_found");
    }

    [Fact]
    public async Task Delete_FinishedOperation_Answers204ThenGetAndEventsAnswer404()
    {
        await using var host = await TestHost.StartAsync();
        var created = await host.Client.SleepAsync();
        await host.Client.WaitDoneAsync(created.Id());

        using var response = await host.Client.DeleteAsync($"/v1/operations/{created.Id()}", Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Ct));
        using (var get = await host.Client.GetAsync($"/v1/operations/{created.Id()}", Ct)) await AssertProblemAsync(get, 404, "operation_not_found");
        using (var events = await SseClient.SendAsync(host.Client, $"/v1/operations/{created.Id()}/events")) await AssertProblemAsync(events, 404, "operation_not_found");
        using (var replay = await SseClient.SendAsync(host.Client, $"/v1/operations/{created.Id()}/events?after=0")) await AssertProblemAsync(replay, 404, "operation_not_found");
        using (var again = await host.Client.DeleteAsync($"/v1/operations/{created.Id()}", Ct)) await AssertProblemAsync(again, 404, "operation_not_found");
        Assert.DoesNotContain(await host.Client.ListAllAsync(), o => o.Id() == created.Id());
    }

    [Fact]
    public async Task Delete_RunningOperation_Answers409OperationNotTerminal()
    {
        await using var host = await TestHost.StartAsync();
        var gate = host.NewGate();
        var created = await host.Client.StartOperationOkAsync(GateHandler.Name, gate.Input);
        await gate.Started.Task.WaitAsync(Ct);

        using var response = await host.Client.DeleteAsync($"/v1/operations/{created.Id()}", Ct);

        await AssertProblemAsync(response, 409, "operation_not_terminal");
        var op = await host.Client.GetJsonAsync($"/v1/operations/{created.Id()}");
        Assert.Equal("running", op.Status());
        gate.Open();
        Assert.Equal("succeeded", (await host.Client.WaitDoneAsync(created.Id())).Status());
    }

    [Fact]
    public async Task Delete_PendingOperation_Answers409OperationNotTerminal()
    {
        await using var host = await TestHost.StartAsync(engine: o => o.RunWorkers = false);
        var created = await host.Client.SleepAsync();

        using var response = await host.Client.DeleteAsync($"/v1/operations/{created.Id()}", Ct);

        await AssertProblemAsync(response, 409, "operation_not_terminal");
        Assert.Equal("pending", (await host.Client.GetJsonAsync($"/v1/operations/{created.Id()}")).Status());
    }

    [Fact]
    public async Task Delete_UnknownId_Answers404()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client.DeleteAsync("/v1/operations/op_00000000000000000000000000", Ct);

        await AssertProblemAsync(response, 404, "operation_not_found");
    }
}
