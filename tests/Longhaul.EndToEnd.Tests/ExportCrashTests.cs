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

    [Theory]
    [InlineData("csv", false)]
    [InlineData("ndjson", true)]
    [InlineData("parquet", false)]
    public async Task Serve_SigkillMidExportThenRestart_ResumesFromCheckpointAndTheFileEqualsTheSource(string format, bool gzip)
    {
        var (progress, killedAfter) = await KillMidExportAndFinishAsync("checkpoint", format, gzip);

        AssertResumedFromCheckpoint(progress, killedAfter);
    }

    [Fact]
    public async Task Serve_SigkillMidRestartModeExport_StartsAgainFromTheFirstRowAndTheFileEqualsTheSource()
    {
        var (progress, killedAfter) = await KillMidExportAndFinishAsync("restart", "csv", gzip: false);

        // Attempt 2 wrote the file again from the first row: its first progress is attempt 1's first segment again.
        var back = Enumerable.Range(1, progress.Count - 1).Where(i => progress[i] < progress[i - 1]).ToList();
        Assert.True(back.Count == 1 && progress[^1] == Rows, string.Join(",", progress));
        Assert.Equal(progress[1], progress[back[0]]);
        Assert.Contains(progress, p => p < killedAfter);
    }

    [Fact]
    public async Task Serve_SigkillMidPostgresCsvExport_ResumesThroughCopyFromTheCheckpointAndTheFileEqualsTheSource()
    {
        await using var schema = PostgresTestSchema.CreateOrSkip();
        await ExportRows.CreatePostgresAsync(schema.ConnectionString, schema.Name, Rows, EndToEndEnvironment.Ct);
        var (progress, killedAfter) = await KillMidExportAndFinishAsync("checkpoint", "csv", gzip: false, ("postgres", schema.ConnectionString, $"{schema.Name}.items"));
        AssertResumedFromCheckpoint(progress, killedAfter);
    }

    private async Task<(List<long> Progress, long KilledAfter)> KillMidExportAndFinishAsync(string resume, string format, bool gzip,
        (string Provider, string ConnectionString, string Table)? postgres = null)
    {
        var ct = EndToEndEnvironment.Ct;
        var source = postgres is null ? ExportRows.CreateSqlite(Rows) : null;
        var (provider, connectionString, table) = postgres ?? ("sqlite", $"Data Source={source}", "items");
        // A checkpoint about every 1 MiB: many to crash between.
        var environment = ExportCli.Source(provider, connectionString, table, ("Longhaul__Export__CheckpointBytes", "1048576"));
        var first = await _env.StartServerAsync(environment);
        var id = await _env.StartOperationAsync(first,
            $$$"""{"kind":"export","input":{"source":"main","table":"{{{table}}}","format":"{{{format}}}","gzip":{{{(gzip ? "true" : "false")}}},"resume":"{{{resume}}}"}}""");

        long killedAfter;
        double firstRows;
        await using (var events = await SseStream.OpenAsync(first.Http, $"/v1/operations/{id}/events", null, ct))
        {
            var seen = await events.ReadUntilAsync(e => e.ProgressCurrent >= 400_000, EventTimeout, ct);
            // The rows attempt 1 has kept so far (checkpoints saved): at most what attempt 2 resumes after.
            firstRows = await ExportedRowsAsync(first);
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

        // Metrics count each kept row once: attempt 2 counts only what it writes after the checkpoint it resumed from
        // (restart mode: every row again, as it writes them again).
        var secondRows = await ExportedRowsAsync(second);
        if (resume == "restart") Assert.True(secondRows == Rows, $"{secondRows}\n{message}");
        else Assert.True(secondRows > 0 && secondRows < Rows && secondRows <= Rows - firstRows, $"first {firstRows}, second {secondRows}\n{message}");

        var progress = (await _env.ReadFullLogAsync(second, id)).Where(e => e.Type == "progress").Select(e => e.ProgressCurrent!.Value).ToList();
        var path = Path.Combine(_env.Root, "export." + format);
        using (var anonymous = new HttpClient { BaseAddress = second.BaseAddress })
        {
            await File.WriteAllBytesAsync(path, await anonymous.GetByteArrayAsync(result["download_url"]!.GetValue<string>(), ct), ct);
        }
        Assert.Equal(result["bytes"]!.GetValue<long>(), new FileInfo(path).Length);
        Assert.Equal(result["sha256"]!.GetValue<string>(), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(path, ct))));
        Assert.Equal($"OK {Rows}", format == "parquet" ? DuckDbReader.CheckItems(path, Rows) : await PythonReader.CheckAsync(path, format, Rows, gzip));
        File.Delete(path);
        if (source is not null) File.Delete(source);
        return (progress, killedAfter);
    }

    /// <summary>
    /// Attempt 2 went on from attempt 1's last stored checkpoint: progress goes back at most once (to that checkpoint's
    /// next segment), never to the first segment, and on past where attempt 1 was killed.
    /// </summary>
    private static void AssertResumedFromCheckpoint(List<long> progress, long killedAfter)
    {
        var back = Enumerable.Range(1, progress.Count - 1).Where(i => progress[i] < progress[i - 1]).ToList();
        Assert.True(back.Count <= 1 && progress[^1] == Rows, string.Join(",", progress));
        if (back.Count == 1) Assert.True(progress[back[0]] > progress[1], string.Join(",", progress));
        Assert.Contains(progress, p => p > killedAfter);
    }

    /// <summary><c>longhaul_export_rows_total</c> on <paramref name="server"/>'s <c>/metrics</c>.</summary>
    private static async Task<double> ExportedRowsAsync(LonghaulServerProcess server)
    {
        using var response = await server.Http.GetAsync("/metrics", EndToEndEnvironment.Ct);
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync(EndToEndEnvironment.Ct)).Sum("longhaul_export_rows_total");
    }
}
