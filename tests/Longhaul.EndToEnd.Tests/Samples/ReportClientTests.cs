using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests.Samples;

/// <summary>
/// samples/ReportClient (a console app on <c>Longhaul.Client</c>) run as a real process against samples/ReportApp run
/// as another: it starts a report with an Idempotency-Key, prints its progress events and result, and its exit code
/// says whether the report succeeded.
/// </summary>
public sealed class ReportClientTests : IAsyncDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "longhaul-e2e", Guid.NewGuid().ToString("N"));
    private readonly List<IAsyncDisposable> _processes = [];
    private string _log = "";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Client_StartsAReport_PrintsEveryPageAndTheResult_Exits0_AndTheSameKeyReplays()
    {
        var app = await StartAppAsync();

        var (exit, output) = await RunClientAsync(app, ["--token", ReportAppTests.AliceToken, "--title", "Monthly", "--pages", "3", "--page-ms", "20", "--key", "monthly-1"]);
        Assert.True(exit == 0, _log);
        var id = output.Split('\n').Single(l => l.StartsWith("Started ", StringComparison.Ordinal)).Split(' ')[1];
        Assert.Contains("Page 3 of 3", output, StringComparison.Ordinal);
        var result = JsonNode.Parse(output.Split('\n').Single(l => l.StartsWith("Succeeded: ", StringComparison.Ordinal))["Succeeded: ".Length..])!;
        Assert.True(result["title"]!.GetValue<string>() == "Monthly" && result["pages"]!.GetValue<int>() == 3, _log);

        // The operation is alice's, over the same API the client used.
        var op = await app.GetJsonAsync($"/v1/operations/{id}", Ct);
        Assert.True(op["status"]!.GetValue<string>() == "succeeded", op.ToJsonString());

        var (again, againOutput) = await RunClientAsync(app, ["--token", ReportAppTests.AliceToken, "--title", "Monthly", "--pages", "3", "--page-ms", "20", "--key", "monthly-1"]);
        Assert.True(again == 0, _log);
        Assert.Contains($"Started {id} (succeeded)", againOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_ReportThatMissesItsDeadline_ExitsNonZeroWithTheErrorCode()
    {
        var app = await StartAppAsync();
        var (exit, output) = await RunClientAsync(app, ["--token", ReportAppTests.AliceToken, "--title", "Late", "--pages", "100", "--page-ms", "100", "--timeout", "1"]);
        Assert.True(exit == 1, $"exit {exit}\n{_log}");
        Assert.Contains("Report failed: deadline_exceeded", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_UnknownTokenOrBadInput_ExitsNonZeroWithTheProblem()
    {
        var app = await StartAppAsync();
        var (unauthorized, unauthorizedOutput) = await RunClientAsync(app, ["--token", "not-a-user", "--title", "x", "--pages", "1"]);
        Assert.True(unauthorized == 2, $"exit {unauthorized}\n{_log}");
        Assert.Contains("401 unauthorized", unauthorizedOutput, StringComparison.Ordinal);

        var (invalid, invalidOutput) = await RunClientAsync(app, ["--token", ReportAppTests.AliceToken, "--title", "x", "--pages", "0"]);
        Assert.True(invalid == 2, $"exit {invalid}\n{_log}");
        Assert.Contains("422 validation_failed", invalidOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_RehydratedFromTheIdOnItsNet8Build_WaitsWithProgressAndPrintsTheResult()
    {
        var app = await StartAppAsync();
        var (first, output) = await RunClientAsync(app, ["--token", ReportAppTests.AliceToken, "--title", "Weekly", "--pages", "3", "--page-ms", "20"]);
        Assert.True(first == 0, _log);
        var id = output.Split('\n').Single(l => l.StartsWith("Started ", StringComparison.Ordinal)).Split(' ')[1];

        // The net8.0 build of the sample (and so of Longhaul.Client and Longhaul.Contracts), on this machine's newer runtime.
        var net10 = SampleAppProcess.Locate("ReportClient");
        var net8 = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(net10))!, "net8.0", "ReportClient.dll");
        Assert.True(File.Exists(net8), $"no net8.0 build at {net8}: build Longhaul.sln");
        var client = LonghaulProcess.Start("dotnet", [net8, "--url", app.BaseAddress.ToString(), "--token", ReportAppTests.AliceToken, "--id", id, "--wait", "yes"],
            new Dictionary<string, string> { ["DOTNET_ROLL_FORWARD"] = "Major" }, _root);
        _processes.Add(client);
        var exit = await client.WaitForExitAsync(RunTimeout, Ct);

        Assert.True(exit == 0, client.Output);
        Assert.Contains($"Started {id} (succeeded)", client.Stdout, StringComparison.Ordinal);
        Assert.Contains("Succeeded: {", client.Stdout, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes) await process.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort; it is under the temp directory.
        }
    }

    private async Task<SampleAppProcess> StartAppAsync()
    {
        Directory.CreateDirectory(_root);
        var environment = new Dictionary<string, string> { ["ReportApp__DataDir"] = Path.Combine(_root, "data") };
        var app = await SampleAppProcess.StartAsync("ReportApp", environment, _root, Ct, ReportAppTests.AliceToken);
        _processes.Add(app);
        return app;
    }

    /// <summary>Runs ReportClient against <paramref name="app"/> to its exit; returns the exit code and its output.</summary>
    /// <remarks>The output is the client's (stdout, then stderr); assertion messages add the app's log.</remarks>
    private async Task<(int ExitCode, string Output)> RunClientAsync(SampleAppProcess app, string[] args)
    {
        var client = LonghaulProcess.Start(SampleAppProcess.Locate("ReportClient"), ["--url", app.BaseAddress.ToString(), .. args], null, _root);
        _processes.Add(client);
        var exit = await client.WaitForExitAsync(RunTimeout, Ct);
        _log = $"{client.Output}\n===== ReportApp =====\n{app.Process.Output}";
        return (exit, $"{client.Stdout}\n{client.Stderr}");
    }
}
