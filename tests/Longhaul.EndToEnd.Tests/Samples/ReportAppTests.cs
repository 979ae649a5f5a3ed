using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests.Samples;

/// <summary>
/// samples/ReportApp run as a real process: an ASP.NET Core app that embeds Longhaul (SQLite) with its own typed kind
/// <c>report</c>, its own sign-in (demo bearer tokens of appsettings.json, the tenant a claim), Longhaul's API at
/// <c>/v1</c> behind <c>RequireAuthorization</c>, and its own <c>POST /reports</c>, which starts operations from code
/// through <c>IOperationStarter</c> in the user's tenant.
/// </summary>
public sealed partial class ReportAppTests : IAsyncDisposable
{
    /// <summary>alice, tenant acme (samples/ReportApp/appsettings.json): what <see cref="SampleAppProcess.Http"/> sends.</summary>
    public const string AliceToken = "demo-alice";

    /// <summary>bob, tenant globex.</summary>
    public const string BobToken = "demo-bob";

    /// <summary>carol, who has no tenant.</summary>
    public const string CarolToken = "demo-carol";

    private static readonly TimeSpan DoneTimeout = TimeSpan.FromSeconds(60);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "longhaul-e2e", Guid.NewGuid().ToString("N"));
    private readonly List<SampleAppProcess> _apps = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Logs => string.Join("\n", _apps.Select((a, i) => $"===== ReportApp run {i + 1} =====\n{a.Process.Output}"));

    [Fact]
    public async Task Kinds_ShowReportWithSchemaFromItsType_AndBadInputIs422WithJsonPaths()
    {
        var app = await StartAppAsync();

        var kinds = await app.GetJsonAsync("/v1/kinds", Ct);
        var report = kinds["kinds"]!.AsArray().Single(k => k!["name"]!.GetValue<string>() == "report")!;
        var message = $"{report.ToJsonString()}\n{Logs}";
        Assert.True(report["description"]!.GetValue<string>().Contains("page by page", StringComparison.Ordinal), message);
        var schema = report["input_schema"]!;
        var pages = schema["properties"]!["pages"]!;
        Assert.Equal("integer", pages["type"]!.GetValue<string>());
        Assert.Equal(1, pages["minimum"]!.GetValue<int>());
        Assert.Equal(1000, pages["maximum"]!.GetValue<int>());
        Assert.Equal("How many pages to render.", pages["description"]!.GetValue<string>());
        Assert.Equal(200, schema["properties"]!["title"]!["maxLength"]!.GetValue<int>());
        Assert.Equal(["title", "pages"], schema["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.False(schema["additionalProperties"]!.GetValue<bool>(), message);

        using var bad = await PostJsonAsync(app, "/v1/operations", """{"kind":"report","input":{"title":"","pages":0,"colour":"red"}}""", idempotencyKey: null);
        var body = await bad.Content.ReadAsStringAsync(Ct);
        Assert.True(bad.StatusCode == HttpStatusCode.UnprocessableEntity, $"{(int)bad.StatusCode} {body}\n{Logs}");
        var errors = JsonNode.Parse(body)!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("input.pages") && errors.ContainsKey("input.title") && errors.ContainsKey("input.colour"), body);
    }

    [Fact]
    public async Task PostReports_StartsFromCode_RunsToSucceeded_AndTheSameKeyReturnsTheSameOperation()
    {
        var app = await StartAppAsync();
        const string Body = """{"title":"Quarterly","pages":3,"pageMilliseconds":20}""";

        using var first = await PostJsonAsync(app, "/reports", Body, "quarterly-1");
        var firstBody = await first.Content.ReadAsStringAsync(Ct);
        Assert.True(first.StatusCode == HttpStatusCode.Accepted, $"{(int)first.StatusCode} {firstBody}\n{Logs}");
        var location = first.Headers.Location!.OriginalString;
        var id = JsonNode.Parse(firstBody)!["id"]!.GetValue<string>();
        Assert.Equal($"/v1/operations/{id}", location);
        Assert.False(JsonNode.Parse(firstBody)!["replayed"]!.GetValue<bool>());

        var op = await app.WaitUntilDoneAsync(location, DoneTimeout, Ct);
        var message = $"{op.ToJsonString()}\n{Logs}";
        Assert.True(op["status"]!.GetValue<string>() == "succeeded", message);
        Assert.True(op["kind"]!.GetValue<string>() == "report", message);
        Assert.True(op["max_attempts"]!.GetValue<int>() == 5, message);   // ReportHandler.Defaults
        var result = op["result"]!;
        Assert.True(result["title"]!.GetValue<string>() == "Quarterly", message);
        Assert.True(result["pages"]!.GetValue<int>() == 3, message);
        Assert.True(result["resumed_from_page"]!.GetValue<int>() == 0, message);
        Assert.True(result["attempt"]!.GetValue<int>() == 1, message);

        using var again = await PostJsonAsync(app, "/reports", Body, "quarterly-1");
        var againBody = await again.Content.ReadAsStringAsync(Ct);
        Assert.True(again.StatusCode == HttpStatusCode.Accepted, $"{(int)again.StatusCode} {againBody}\n{Logs}");
        Assert.Equal(location, again.Headers.Location!.OriginalString);
        Assert.Equal(id, JsonNode.Parse(againBody)!["id"]!.GetValue<string>());
        Assert.True(JsonNode.Parse(againBody)!["replayed"]!.GetValue<bool>(), againBody);
    }

    [Fact]
    public async Task PostReports_BadInput_Is422FromTheStarter()
    {
        var app = await StartAppAsync();
        using var bad = await PostJsonAsync(app, "/reports", """{"title":"x","pages":1001}""", "too-long");
        var body = await bad.Content.ReadAsStringAsync(Ct);
        Assert.True(bad.StatusCode == HttpStatusCode.UnprocessableEntity, $"{(int)bad.StatusCode} {body}\n{Logs}");
        Assert.True(JsonNode.Parse(body)!["errors"]!.AsObject().ContainsKey("input.pages"), body);
    }

    [Fact]
    public async Task Sigkill_MidReport_RestartOnSameDataDir_ResumesFromItsCheckpointOnAttempt2()
    {
        var first = await StartAppAsync();
        using var started = await PostJsonAsync(first, "/reports", """{"title":"Annual","pages":30,"pageMilliseconds":200}""", "annual-1");
        var startedBody = await started.Content.ReadAsStringAsync(Ct);
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, $"{(int)started.StatusCode} {startedBody}\n{Logs}");
        var location = started.Headers.Location!.OriginalString;

        // Signal, not sleep: the progress events of the operation's stream.
        await using (var events = await SseStream.OpenAsync(first.Http, $"{location}/events", null, Ct))
        {
            await events.ReadUntilAsync(e => e.ProgressCurrent >= 2, TimeSpan.FromSeconds(20), Ct);
            first.Process.Kill();
        }
        var exitCode = await first.Process.WaitForExitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.True(exitCode != 0, $"A SIGKILLed app cannot exit 0.\n{Logs}");

        var second = await StartAppAsync();
        var op = await second.WaitUntilDoneAsync(location, DoneTimeout, Ct);
        var message = $"{op.ToJsonString()}\n{Logs}";
        Assert.True(op["status"]!.GetValue<string>() == "succeeded", message);
        Assert.True(op["attempt"]!.GetValue<int>() == 2, message);
        var result = op["result"]!;
        Assert.True(result["pages"]!.GetValue<int>() == 30, message);
        Assert.True(result["resumed_from_page"]!.GetValue<int>() is >= 2 and < 30, message);
        Assert.True(result["attempt"]!.GetValue<int>() == 2, message);
        await second.Process.WaitForLineAsync(l => l.Contains("Resuming the report after page", StringComparison.Ordinal), TimeSpan.FromSeconds(5), Ct);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps) await app.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort; it is under the temp directory.
        }
    }

    /// <summary>Starts ReportApp on this test's data directory (the same one on every call, as after a restart).</summary>
    private async Task<SampleAppProcess> StartAppAsync()
    {
        Directory.CreateDirectory(_root);
        var environment = new Dictionary<string, string> { ["ReportApp__DataDir"] = Path.Combine(_root, "data") };
        var app = await SampleAppProcess.StartAsync("ReportApp", environment, _root, Ct, AliceToken);
        _apps.Add(app);
        return app;
    }

    private static async Task<HttpResponseMessage> PostJsonAsync(SampleAppProcess app, string path, string json, string? idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await app.Http.SendAsync(request, Ct);
    }
}
