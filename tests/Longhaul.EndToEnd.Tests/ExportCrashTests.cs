using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;
using Longhaul.Tests.Export;

namespace Longhaul.EndToEnd.Tests;

/// <summary>The real <c>longhaul</c> binary SIGKILLed mid-export: the restarted server resumes from the last stored part.</summary>
public sealed class ExportCrashTests : IAsyncDisposable
{
    private const int Rows = 1_000_000;
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(60);
    private readonly EndToEndEnvironment _env = new();

    public ValueTask DisposeAsync() => _env.DisposeAsync();

    [Fact]
    public async Task Serve_SigkillMidExportThenRestart_ResumesFromCheckpointAndTheFileEqualsTheSource()
    {
        var (progress, killedAfter) = await KillMidExportAndFinishAsync("checkpoint");

        // Attempt 2 started from a checkpoint: its progress goes on from where attempt 1 stood, never back (it may report
        // the segment attempt 1 reported but had not stored yet once more).
        Assert.True(progress.Zip(progress.Skip(1)).All(p => p.Second >= p.First), string.Join(",", progress));
        Assert.Contains(progress, p => p > killedAfter);
    }

    [Fact]
    public async Task Serve_SigkillMidRestartModeExport_StartsAgainFromTheFirstRowAndTheFileEqualsTheSource()
    {
        var (progress, killedAfter) = await KillMidExportAndFinishAsync("restart");

        // Attempt 2 wrote every part again: its first progress is below where attempt 1 was killed.
        var back = progress.Zip(progress.Skip(1)).Count(p => p.Second < p.First);
        Assert.True(back == 1 && progress[^1] == Rows, string.Join(",", progress));
        Assert.Contains(progress, p => p < killedAfter);
    }

    private async Task<(List<long> Progress, long KilledAfter)> KillMidExportAndFinishAsync(string resume)
    {
        var ct = EndToEndEnvironment.Ct;
        var source = ExportRows.CreateSqlite(Rows);
        var environment = new Dictionary<string, string>
        {
            ["Longhaul__Export__Sources__main__Provider"] = "sqlite",
            ["Longhaul__Export__Sources__main__ConnectionString"] = $"Data Source={source}",
            ["Longhaul__Export__Sources__main__Tables__items__Key__0"] = "id",
            // A checkpoint about every 1 MiB: many to crash between.
            ["Longhaul__Export__CheckpointBytes"] = "1048576",
        };
        var first = await _env.StartServerAsync(environment);
        string id;
        using (var response = await first.Http.PostAsync("/v1/operations",
            new StringContent($$$"""{"kind":"export","input":{"source":"main","table":"items","format":"csv","resume":"{{{resume}}}"}}""", Encoding.UTF8, "application/json"), ct))
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
            id = JsonNode.Parse(body)!["id"]!.GetValue<string>();
        }

        long killedAfter;
        await using (var events = await SseStream.OpenAsync(first.Http, $"/v1/operations/{id}/events", null, ct))
        {
            var seen = await events.ReadUntilAsync(e => e.ProgressCurrent >= 200_000, EventTimeout, ct);
            first.Process.Kill();
            killedAfter = seen.ProgressCurrent!.Value;
        }
        Assert.True(await first.Process.WaitForExitAsync(TimeSpan.FromSeconds(10), ct) != 0, _env.Logs);

        var second = await _env.StartServerAsync(environment);
        var op = await _env.WaitUntilDoneAsync(second, id, TimeSpan.FromSeconds(120));
        var message = $"{op.ToJsonString()}\n{_env.Logs}";
        Assert.True(op["status"]!.GetValue<string>() == "succeeded", message);
        Assert.True(op["attempt"]!.GetValue<int>() == 2, message);
        var result = op["result"]!;
        Assert.True(result["row_count"]!.GetValue<long>() == Rows, message);

        var progress = (await _env.ReadFullLogAsync(second, id)).Where(e => e.Type == "progress").Select(e => e.ProgressCurrent!.Value).ToList();
        var path = Path.Combine(_env.Root, "export.csv");
        using (var anonymous = new HttpClient { BaseAddress = second.BaseAddress })
        {
            await File.WriteAllBytesAsync(path, await anonymous.GetByteArrayAsync(result["download_url"]!.GetValue<string>(), ct), ct);
        }
        Assert.Equal(result["bytes"]!.GetValue<long>(), new FileInfo(path).Length);
        Assert.Equal($"OK {Rows}", await PythonReader.CheckAsync(path, "csv", Rows, gzip: false));
        return (progress, killedAfter);
    }
}
