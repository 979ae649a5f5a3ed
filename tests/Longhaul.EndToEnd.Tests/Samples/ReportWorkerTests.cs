using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests.Samples;

/// <summary>
/// samples/ReportWorker run as a real process: a worker-only generic host (no web server) that runs the <c>report</c>
/// kind on PostgreSQL. The API node is samples/ReportApp on the same schema (<c>ReportApp:Store=postgres</c>) with
/// <c>Longhaul:RunWorkers=false</c>: <c>longhaul serve --role api</c> cannot accept <c>report</c>, whose handler it does
/// not have (a start is validated against the API node's own kinds).
/// </summary>
public sealed class ReportWorkerTests : PostgresNodesTest
{
    private static readonly TimeSpan DoneTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => EndToEndEnvironment.Ct;

    [Fact]
    public async Task Report_StartedOnTheApiNode_WaitsForAWorker_AndRunsToSucceededOnTheWorkerProcess()
    {
        CreateSchema();
        var api = await StartApiAsync();
        var location = await StartReportAsync(api, """{"title":"Weekly","pages":3,"page_milliseconds":20}""", "weekly-1");

        // The API node runs no workers: a one-second long-poll sees the report still pending.
        var before = await api.GetJsonAsync($"{location}/wait?timeout=1", Ct);
        Assert.True(before["status"]!.GetValue<string>() == "pending", $"{before.ToJsonString()}\n{Env.Logs}");

        var worker = await StartWorkerAsync();
        var op = await api.WaitUntilDoneAsync(location, DoneTimeout, Ct);
        var message = $"{op.ToJsonString()}\n{Env.Logs}";
        Assert.True(op["status"]!.GetValue<string>() == "succeeded", message);
        Assert.True(op["max_attempts"]!.GetValue<int>() == 5, message);   // ReportHandler.Defaults, on the API node too
        var result = op["result"]!;
        Assert.True(result["title"]!.GetValue<string>() == "Weekly", message);
        Assert.True(result["pages"]!.GetValue<int>() == 3, message);
        Assert.True(result["resumed_from_page"]!.GetValue<int>() == 0, message);
        Assert.True(result["attempt"]!.GetValue<int>() == 1, message);
        await worker.WaitForLineAsync(l => l.Contains("Rendered 3 pages", StringComparison.Ordinal), TimeSpan.FromSeconds(5), Ct);
    }

    [Fact]
    public async Task Sigkill_WorkerMidReport_ANewWorkerProcessResumesFromItsCheckpointOnAttempt2()
    {
        CreateSchema();
        var api = await StartApiAsync();
        var first = await StartWorkerAsync();
        var location = await StartReportAsync(api, """{"title":"Annual","pages":30,"page_milliseconds":200}""", "annual-1");

        // Signal, not sleep: the progress events of the operation's stream, served by the API node.
        await using (var events = await SseStream.OpenAsync(api.Http, $"{location}/events", null, Ct))
        {
            await events.ReadUntilAsync(e => e.ProgressCurrent >= 2, TimeSpan.FromSeconds(30), Ct);
            first.Kill();
        }
        var exitCode = await first.WaitForExitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.True(exitCode != 0, $"A SIGKILLed worker cannot exit 0.\n{Env.Logs}");

        var second = await StartWorkerAsync();
        var op = await api.WaitUntilDoneAsync(location, DoneTimeout, Ct);
        var message = $"{op.ToJsonString()}\n{Env.Logs}";
        Assert.True(op["status"]!.GetValue<string>() == "succeeded", message);
        Assert.True(op["attempt"]!.GetValue<int>() == 2, message);
        var result = op["result"]!;
        Assert.True(result["pages"]!.GetValue<int>() == 30, message);
        Assert.True(result["resumed_from_page"]!.GetValue<int>() is >= 2 and < 30, message);
        Assert.True(result["attempt"]!.GetValue<int>() == 2, message);
        await second.WaitForLineAsync(l => l.Contains("Resuming the report after page", StringComparison.Ordinal), TimeSpan.FromSeconds(5), Ct);
    }

    /// <summary>samples/ReportApp on this test's schema, serving the API only.</summary>
    private async Task<SampleAppProcess> StartApiAsync()
    {
        var environment = Schema.Environment([("ReportApp__Store", "postgres"), ("Longhaul__RunWorkers", "false"), .. PostgresTestSchema.ShortLease(2)]);
        var app = await SampleAppProcess.StartAsync("ReportApp", environment, Env.Root, Ct, ReportAppTests.AliceToken);
        Env.Adopt(app.Process);
        return app;
    }

    /// <summary>samples/ReportWorker on this test's schema, ready once the generic host logs that it started.</summary>
    private async Task<LonghaulProcess> StartWorkerAsync()
    {
        var environment = Schema.Environment(PostgresTestSchema.ShortLease(2));
        var worker = LonghaulProcess.Start(SampleAppProcess.Locate("ReportWorker"), [], environment, Env.Root);
        Env.Adopt(worker);
        await worker.WaitForLineAsync(l => l.Contains("Application started", StringComparison.Ordinal), StartTimeout, Ct);
        Assert.False(worker.HasExited, Env.Logs);
        return worker;
    }

    /// <summary><c>POST /v1/operations</c> of a <c>report</c> on the API node; asserts 202 and returns its location.</summary>
    private async Task<string> StartReportAsync(SampleAppProcess api, string input, string idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/operations")
        {
            Content = new StringContent($$"""{"kind":"report","input":{{input}}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await api.Http.SendAsync(request, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode} {body}\n{Env.Logs}");
        return $"/v1/operations/{JsonNode.Parse(body)!["id"]!.GetValue<string>()}";
    }
}
