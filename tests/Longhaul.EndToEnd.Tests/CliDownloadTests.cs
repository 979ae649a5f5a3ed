using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;
using Longhaul.Tests.Export;
using Microsoft.AspNetCore.Http;

namespace Longhaul.EndToEnd.Tests;

/// <summary>The download of <c>longhaul export</c>/<c>longhaul download</c>: resumed after a SIGKILL, a corrupt part refused, an expired link, several files.</summary>
public sealed class CliDownloadTests : IAsyncDisposable
{
    private readonly EndToEndEnvironment _env = new();

    public ValueTask DisposeAsync() => _env.DisposeAsync();

    private static CancellationToken Ct => EndToEndEnvironment.Ct;

    [Fact]
    public async Task Export_SigkilledMidDownloadAndRunAgain_ContinuesTheSameExportWithRangeAndTheFileVerifies()
    {
        const int rows = 1_000_000;
        var source = ExportRows.CreateSqlite(rows);
        var server = await _env.StartServerAsync(ExportCli.Source("sqlite", $"Data Source={source}", "items"));
        string[] args = ["export", "--source", "main", "--table", "items", "-o", "big.csv"];
        var path = Path.Combine(_env.Root, "big.csv");

        var first = _env.Start(ExportCli.Client(server), args);
        await PollAsync(() => File.Exists(path + ".part") && new FileInfo(path + ".part").Length > 0 || first.HasExited, TimeSpan.FromSeconds(120), "the .part file to have bytes");
        Assert.False(first.HasExited, "The download ended before it could be killed.\n" + first.Output);
        first.Kill();
        await first.WaitForExitAsync(TimeSpan.FromSeconds(10), Ct);
        var kept = new FileInfo(path + ".part").Length;
        Assert.True(kept > 0 && File.Exists(path + ".longhaul-export") && File.Exists(path + ".part.etag"), first.Output);
        var id = first.Stderr.Split('\n').First(l => l.StartsWith("Started ", StringComparison.Ordinal))["Started ".Length..].Trim();

        var second = _env.Start(ExportCli.Client(server), args);
        await second.WaitForExitAsync(TimeSpan.FromSeconds(120), Ct);

        Assert.True(second.ExitCode == 0, second.Output + first.Output);
        // The same export, not a new one; and the server answered 206 from the byte the killed run had kept.
        Assert.Contains($"Continuing {id}", second.Stderr, StringComparison.Ordinal);
        Assert.Contains($"the server continued at byte {kept} (206 Partial Content)", second.Stderr, StringComparison.Ordinal);
        Assert.Single((await _env.GetJsonAsync(server, "/v1/operations"))["operations"]!.AsArray());
        var op = await _env.GetJsonAsync(server, $"/v1/operations/{id}");
        Assert.Equal((string?)op["result"]!["sha256"], ExportCli.Sha256(path));
        Assert.Equal(ExportCli.Sha256(await server.Http.GetByteArrayAsync($"/v1/operations/{id}/files/export.csv", Ct)), ExportCli.Sha256(path));
        Assert.False(File.Exists(path + ".part") || File.Exists(path + ".part.etag") || File.Exists(path + ".longhaul-export"));
        File.Delete(path);
        File.Delete(source);
    }

    [Fact]
    public async Task Download_CorruptPart_FailsVerificationDeletesThePartAndSavesNothing()
    {
        var source = ExportRows.CreateSqlite(5_000);
        var server = await _env.StartServerAsync(ExportCli.Source("sqlite", $"Data Source={source}", "items"));
        var id = await ExportNoWatchAsync(server);
        // A part of the same file (its ETag) whose bytes are wrong: the rest comes with Range and the whole does not verify.
        using var head = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v1/operations/{id}/files/export.csv"), Ct);
        var path = Path.Combine(_env.Root, "x.csv");
        await File.WriteAllBytesAsync(path + ".part", Enumerable.Repeat((byte)'x', 1000).ToArray(), Ct);
        await File.WriteAllTextAsync(path + ".part.etag", head.Headers.ETag!.ToString(), Ct);

        var run = await _env.RunAsync(ExportCli.Client(server), "download", id, "-o", "x.csv");

        Assert.True(run.ExitCode == 1, run.Output);
        Assert.Contains("SHA-256", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("the partial file was deleted", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(path) || File.Exists(path + ".part") || File.Exists(path + ".part.etag"), run.Output);

        // Run again: a clean download that verifies.
        var again = await _env.RunAsync(ExportCli.Client(server), "download", id, "-o", "x.csv");
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Equal(ExportCli.ExpectedCsv(5_000), await File.ReadAllTextAsync(path, Ct));
        File.Delete(source);
    }

    [Fact]
    public async Task Download_ExpiredLink_SaysSoAndFetchesTheFileWithTheApiKey()
    {
        var source = ExportRows.CreateSqlite(100);
        var server = await _env.StartServerAsync(ExportCli.Source("sqlite", $"Data Source={source}", "items", ("Longhaul__Export__MinLinkLifetime", "00:00:01")));
        var id = await ExportNoWatchAsync(server, "--expires-in", "1");
        var link = (string)(await _env.GetJsonAsync(server, $"/v1/operations/{id}"))["result"]!["download_url"]!;
        using var anonymous = new HttpClient { BaseAddress = server.BaseAddress };
        await PollAsync(async () => (await anonymous.GetAsync(link, Ct)).StatusCode == HttpStatusCode.Gone, TimeSpan.FromSeconds(30), "the link to expire (410)");

        var run = await _env.RunAsync(ExportCli.Client(server), "download", id, "-o", "e.csv");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains($"the download link of {id} expired at", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("fetching the file with the API key instead", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(ExportCli.ExpectedCsv(100), await File.ReadAllTextAsync(Path.Combine(_env.Root, "e.csv"), Ct));
        File.Delete(source);
    }

    [Fact]
    public async Task Download_ExpiredLinkAndNoFileAccess_SaysToStartTheExportAgainAndExitsNotFound()
    {
        // A real local server standing in for Longhaul: the link answers 410, the file endpoint 403.
        await using var fake = await LocalUpstream.StartAsync(context => context.Request.Path.Value switch
        {
            "/v1/operations/op_fake" => Json(context, 200, Operation("export", new JsonObject
            {
                ["download_url"] = "/downloads/op_fake/export.csv?tenant=t&expires=1&signature=s",
                ["expires_at"] = "2026-01-01T00:00:00Z", ["bytes"] = 10, ["sha256"] = new string('0', 64),
            })),
            "/downloads/op_fake/export.csv" => Json(context, 410, new JsonObject { ["code"] = "link_expired", ["title"] = "The link expired.", ["status"] = 410 }),
            _ => Json(context, 403, new JsonObject { ["code"] = "forbidden", ["title"] = "Not allowed.", ["status"] = 403 }),
        }, Ct);

        var run = await _env.RunAsync(new Dictionary<string, string> { ["LONGHAUL_URL"] = fake.Address }, "download", "op_fake");

        Assert.True(run.ExitCode == 4, run.Output);
        Assert.Contains("the download link of op_fake expired at 2026-01-01 00:00:00Z (410 link_expired)", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("start the export again", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_env.Root, "export.csv")));
    }

    [Fact]
    public async Task Download_SeveralFilesWithoutAName_ListsThemAndExitsWithTheUsageCode()
    {
        await using var fake = await LocalUpstream.StartAsync(context => Json(context, 200, Operation("http", new JsonObject
        {
            ["body_url"] = "/v1/operations/op_fake/files/body", ["body_bytes"] = 5,
            ["text_url"] = "/v1/operations/op_fake/files/text", ["text_bytes"] = 7,
        })), Ct);

        var run = await _env.RunAsync(new Dictionary<string, string> { ["LONGHAUL_URL"] = fake.Address }, "download", "op_fake");

        Assert.True(run.ExitCode == 2, run.Output);
        Assert.Contains("op_fake has 2 files; name one:", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("body\t5 bytes", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("text\t7 bytes", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_InATerminal_ShowsTheProgressLineAndSavedTo()
    {
        var source = ExportRows.CreateSqlite(200_000);
        var server = await _env.StartServerAsync(ExportCli.Source("sqlite", $"Data Source={source}", "items", ("Longhaul__Export__CheckpointBytes", "1048576")));
        await using var terminal = await TmuxTerminal.StartAsync(_env.Root, Ct);

        await terminal.SendLineAsync($"{LonghaulBinary.Path} export --source main --table items -o t.csv --url {server.BaseAddress}; echo EXIT=$?", Ct);

        var end = await terminal.WaitForScreenAsync(s => s.Split('\n').Any(l => l.StartsWith("EXIT=", StringComparison.Ordinal)), TimeSpan.FromSeconds(120), "the command's end", Ct);
        var lines = end.Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.True(lines.Contains("EXIT=0"), terminal.History + _env.Logs);
        // The watch's bar (export and the id, rows, 100%), then the download's line, then where the file went.
        var screen = terminal.History;
        Assert.True(lines.Any(l => l.Contains("export op_", StringComparison.Ordinal) && l.Contains("200000/200000 rows", StringComparison.Ordinal) && l.Contains("100%", StringComparison.Ordinal)), screen);
        Assert.True(lines.Any(l => l.Contains("downloaded export.csv:", StringComparison.Ordinal) && l.Contains("(100 %)", StringComparison.Ordinal)), screen);
        var saved = Path.Combine(_env.Root, "t.csv");
        Assert.True(lines.Any(l => l.StartsWith($"saved to {saved} (", StringComparison.Ordinal) && l.EndsWith(", verified)", StringComparison.Ordinal)), screen);
        Assert.Equal(ExportCli.ExpectedCsv(200_000), await File.ReadAllTextAsync(saved, Ct));
        File.Delete(source);
    }

    private async Task<string> ExportNoWatchAsync(LonghaulServerProcess server, params string[] extra)
    {
        var start = await _env.RunAsync(ExportCli.Client(server), ["export", "--source", "main", "--table", "items", "--no-watch", "--output", "json", .. extra]);
        Assert.True(start.ExitCode == 0, start.Output);
        var id = (string)JsonNode.Parse(start.Stdout)!["id"]!;
        var op = await _env.WaitUntilDoneAsync(server, id, TimeSpan.FromSeconds(60));
        Assert.True((string?)op["status"] == "succeeded", op.ToJsonString());
        return id;
    }

    private static JsonObject Operation(string kind, JsonObject result) => new()
    {
        ["id"] = "op_fake", ["kind"] = kind, ["status"] = "succeeded", ["done"] = true, ["attempt"] = 1, ["max_attempts"] = 1,
        ["created_at"] = "2026-01-01T00:00:00Z", ["updated_at"] = "2026-01-01T00:00:00Z", ["result"] = result,
    };

    private static Task Json(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = status < 400 ? "application/json" : "application/problem+json";
        return context.Response.WriteAsync(body.ToJsonString());
    }

    private static Task PollAsync(Func<bool> done, TimeSpan timeout, string what) => PollAsync(() => Task.FromResult(done()), timeout, what);

    /// <summary>Checks <paramref name="done"/> until it holds; fails after <paramref name="timeout"/>.</summary>
    private static async Task PollAsync(Func<Task<bool>> done, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await done())
        {
            Assert.True(clock.Elapsed < timeout, $"Waited {timeout.TotalSeconds} s for {what}.");
            await Task.Delay(2, Ct); // pacing between checks, not a wait for state
        }
    }
}
