using System.Diagnostics;
using System.Net;
using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// Real processes on one PostgreSQL (a fresh schema per test): an API-only node and worker-only nodes. Work created on
/// the API node runs on a worker node; events, completion and cancellation cross between them; a SIGKILLed worker's
/// operation is taken over by another worker after its lease.
/// </summary>
public sealed class PostgresNodesTests : PostgresNodesTest
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(20);


    [Fact]
    public async Task ApiAndWorkerNodes_SleepCreatedOnApiNode_RunsOnWorkerNodeAndApiNodeStreamsItsEvents()
    {
        var ct = EndToEndEnvironment.Ct;
        CreateSchema();
        var migrate = await Env.RunAsync(new Dictionary<string, string> { ["Longhaul__Postgres__Schema"] = Schema.Name },
            "migrate", "--store", "postgres", "--connection", Schema.ConnectionString);
        Assert.True(migrate.ExitCode == 0 && migrate.Stdout.Contains($"schema {Schema.Name}", StringComparison.Ordinal), migrate.Output);

        var api = await Env.StartNodeAsync(Schema.Environment(), "--role", "api", "--no-migrate");
        var worker = await Env.StartNodeAsync(Schema.Environment(), "--role", "worker");
        await api.Process.WaitForLineAsync(l => l.Contains("Role: api", StringComparison.Ordinal), EventTimeout, ct);
        await api.Process.WaitForLineAsync(l => l.Contains("worker slots: 0", StringComparison.Ordinal), EventTimeout, ct);
        await worker.Process.WaitForLineAsync(l => l.Contains("Role: worker", StringComparison.Ordinal), EventTimeout, ct);

        // A worker-only node says so for any /v1 call (before authentication), and answers other errors as problems too.
        await AssertProblemAsync(await worker.Http.GetAsync("/v1/operations", ct), HttpStatusCode.NotFound, "not_an_api_node");
        await AssertProblemAsync(await worker.Http.PostAsync("/v1/operations", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"), ct), HttpStatusCode.NotFound, "not_an_api_node");
        await AssertProblemAsync(await worker.Http.GetAsync("/nowhere", ct), HttpStatusCode.NotFound, "not_found");
        using (var health = await worker.Http.GetAsync("/healthz", ct)) Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using (var ready = await worker.Http.GetAsync("/readyz", ct)) Assert.Equal(HttpStatusCode.OK, ready.StatusCode);

        var id = await Env.StartSleepAsync(api, new { seconds = 1, steps = 4 });
        var log = await Env.ReadFullLogAsync(api, id);

        var message = $"{string.Join('\n', log)}\n{Env.Logs}";
        Assert.True(log.Count(e => e.Type == "progress") >= 4, message);
        Assert.Equal("done", log[^1].Type);
        var op = await Env.GetJsonAsync(api, $"/v1/operations/{id}");
        Assert.True(op["status"]!.GetValue<string>() == "succeeded", $"{op.ToJsonString()}\n{message}");
    }

    [Fact]
    public async Task WorkerNode_PoolAboveServerConnectionLimit_WarnsAtStartAndInReadyz()
    {
        var ct = EndToEndEnvironment.Ct;
        CreateSchema();
        var node = await Env.StartNodeAsync(
            Schema.Environment(("Longhaul__Postgres__ConnectionString", $"{Schema.ConnectionString};Maximum Pool Size=1000")), "--role", "worker");

        var line = await node.Process.WaitForLineAsync(l => l.Contains("PostgreSQL connection budget exceeded", StringComparison.Ordinal), EventTimeout, ct);
        Assert.Contains("Maximum Pool Size 1000 + 3 dedicated", line, StringComparison.Ordinal);
        Assert.Contains("max_connections", line, StringComparison.Ordinal);

        var ready = await Env.GetJsonAsync(node, "/readyz");
        Assert.Equal("ready", ready["status"]!.GetValue<string>());
        var warning = ready["warnings"]![0]!;
        Assert.Equal("connection_budget", warning["code"]!.GetValue<string>());
        Assert.Contains("Maximum Pool Size 1000", warning["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelOnApiNode_HandlerRunningOnWorkerNode_StopsWithinTwoSeconds()
    {
        var ct = EndToEndEnvironment.Ct;
        CreateSchema();
        var api = await Env.StartNodeAsync(Schema.Environment(), "--role", "api");
        await Env.StartNodeAsync(Schema.Environment(), "--role", "worker");
        var id = await Env.StartSleepAsync(api, new { seconds = 60, steps = 60 });

        await using var events = await SseStream.OpenAsync(api.Http, $"/v1/operations/{id}/events", null, ct);
        await events.ReadUntilAsync(e => e.ProgressCurrent >= 1, EventTimeout, ct);
        var clock = Stopwatch.StartNew();
        using (var cancel = await api.Http.PostAsync($"/v1/operations/{id}/cancel", null, ct))
        {
            Assert.True(cancel.IsSuccessStatusCode, $"cancel answered {(int)cancel.StatusCode}\n{Env.Logs}");
        }
        await events.ReadUntilAsync(e => e.Type == "done", EventTimeout, ct);
        var elapsed = clock.Elapsed;

        var op = await Env.GetJsonAsync(api, $"/v1/operations/{id}");
        var message = $"{elapsed.TotalSeconds:F2} s; {op.ToJsonString()}\n{Env.Logs}";
        Assert.True(op["status"]!.GetValue<string>() == "cancelled", message);
        Assert.True(elapsed < TimeSpan.FromSeconds(2), message);
    }

    [Fact]
    public async Task NotificationsOff_SleepCreatedOnApiNode_StillCompletesByPolling()
    {
        CreateSchema();
        var environment = Schema.Environment(("Longhaul__Postgres__Notifications", "false"));
        var api = await Env.StartNodeAsync(environment, "--role", "api");
        await Env.StartNodeAsync(environment, "--role", "worker");
        await api.Process.WaitForLineAsync(l => l.Contains("notifications off", StringComparison.Ordinal), EventTimeout, EndToEndEnvironment.Ct);

        var id = await Env.StartSleepAsync(api, new { seconds = 0.5, steps = 2 });
        var op = await Env.WaitUntilDoneAsync(api, id, TimeSpan.FromSeconds(30));

        Assert.True(op["status"]!.GetValue<string>() == "succeeded", $"{op.ToJsonString()}\n{Env.Logs}");
        Assert.DoesNotContain("Notifications: listening", Env.Logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkerNodeSigkilled_SecondWorkerNode_TakesOverAfterLeaseAndResumesFromCheckpoint()
    {
        var ct = EndToEndEnvironment.Ct;
        CreateSchema();
        var environment = Schema.Environment(
            PostgresTestSchema.ShortLease(5));
        var api = await Env.StartNodeAsync(environment, "--role", "api");
        var first = await Env.StartNodeAsync(environment, "--role", "worker");
        var id = await Env.StartSleepAsync(api, new { seconds = 6, steps = 6 });

        await using var events = await SseStream.OpenAsync(api.Http, $"/v1/operations/{id}/events", null, ct);
        await events.ReadUntilAsync(e => e.ProgressCurrent >= 2, EventTimeout, ct);
        first.Process.Kill();
        var exitCode = await first.Process.WaitForExitAsync(TimeSpan.FromSeconds(10), ct);
        Assert.True(exitCode != 0, $"A SIGKILLed worker cannot exit 0.\n{Env.Logs}");

        await Env.StartNodeAsync(environment, "--role", "worker");
        await events.ReadUntilAsync(e => e.Type == "done", TimeSpan.FromSeconds(30), ct);

        var op = await Env.GetJsonAsync(api, $"/v1/operations/{id}");
        var message = $"{op.ToJsonString()}\n{string.Join('\n', events.Received)}\n{Env.Logs}";
        Assert.True(op["status"]!.GetValue<string>() == "succeeded", message);
        Assert.True(op["attempt"]!.GetValue<int>() == 2, message);
        Assert.True(op["result"]!["resumed_from_step"]!.GetValue<int>() >= 2, message);
        Assert.True(op["result"]!["steps_completed"]!.GetValue<int>() == 6, message);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(EndToEndEnvironment.Ct);
            Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(code, System.Text.Json.Nodes.JsonNode.Parse(body)!["code"]!.GetValue<string>());
        }
    }
}
