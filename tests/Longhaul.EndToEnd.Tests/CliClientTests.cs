using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// The client commands of the real <c>longhaul</c> binary against a real server: in a real terminal (tmux) a watched
/// start shows a progress bar that advances and ends with the result; redirected, plain lines; <c>--output json</c> is
/// JSON; and every documented exit code.
/// </summary>
public sealed partial class CliClientTests : IAsyncDisposable
{
    private readonly EndToEndEnvironment _env = new();

    public ValueTask DisposeAsync() => _env.DisposeAsync();

    private static CancellationToken Ct => EndToEndEnvironment.Ct;

    private async Task<LonghaulProcess> CliAsync(LonghaulServerProcess server, params string[] args)
        => await _env.RunAsync(new Dictionary<string, string> { ["LONGHAUL_URL"] = server.BaseAddress.ToString() }, args);

    [Fact]
    public async Task StartWatch_InATerminal_ShowsAProgressBarThatAdvancesAndEndsWithTheResult()
    {
        var server = await _env.StartServerAsync();
        await using var terminal = await TmuxTerminal.StartAsync(_env.Root, Ct);

        await terminal.SendLineAsync($"{LonghaulBinary.Path} start sleep --input '{{\"seconds\":5,\"steps\":10,\"output\":true}}' --watch --url {server.BaseAddress}; echo EXIT=$?", Ct);

        var first = Percent(await terminal.WaitForScreenAsync(s => Percent(s) is > 0 and < 100, TimeSpan.FromSeconds(20), "a progress bar part-way", Ct));
        // Further on, the line also shows the rate seen and the server's ETA.
        await terminal.WaitForScreenAsync(s => Percent(s) > first && RateAndEta().IsMatch(s), TimeSpan.FromSeconds(20), $"the bar past {first}% with a rate and an ETA", Ct);
        var end = await terminal.WaitForScreenAsync(s => ExitLine().IsMatch(s), TimeSpan.FromSeconds(30), "the command's end", Ct);

        Assert.True(end.Contains("EXIT=0", StringComparison.Ordinal), terminal.History);
        Assert.True(end.Contains("succeeded {\"steps_completed\":10", StringComparison.Ordinal), terminal.History);
        Assert.True(Percent(end) == 100, terminal.History);
        // Streamed output is printed above the bar as it arrives, one chunk a line.
        var lines = end.Split('\n').Select(l => l.TrimEnd()).ToList();
        var bar = lines.FindIndex(l => BarPercent().IsMatch(l));
        Assert.True(bar > 0 && lines.IndexOf("{\"step\":10,\"of\":10}") is var last && last >= 0 && last < bar, terminal.History);
        // The percent is shown once, by the bar's column, not again in the description.
        Assert.True(lines[bar].Count(c => c == '%') == 1, lines[bar]);
    }

    [Fact]
    public async Task StartWatch_Redirected_PrintsPlainLinesWithoutEscapes()
    {
        var server = await _env.StartServerAsync();

        // Started by the command itself, so its watch begins before the first step ends however slow the machine.
        var watch = await CliAsync(server, "start", "sleep", "--input", "{\"seconds\":2,\"steps\":4,\"output\":true}", "--watch");

        Assert.True(watch.ExitCode == 0, watch.Output);
        Assert.DoesNotContain("\u001b", watch.Stdout, StringComparison.Ordinal);
        var lines = watch.Stdout.Split('\n');
        Assert.True(lines.Any(l => l.StartsWith("progress\t", StringComparison.Ordinal)), watch.Output);
        Assert.Contains("output\t{\"step\":4,\"of\":4}", lines);
        Assert.StartsWith("succeeded\t{\"steps_completed\":4", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutputJson_EveryCommand_PrintsJson()
    {
        var server = await _env.StartServerAsync();

        var start = await CliAsync(server, "start", "sleep", "--input", "{\"seconds\":0.2,\"steps\":2}", "--metadata", "team=data", "--wait", "--output", "json");
        Assert.True(start.ExitCode == 0, start.Output);
        var op = JsonNode.Parse(start.Stdout)!;
        var id = op["id"]!.GetValue<string>();
        Assert.True(op["status"]!.GetValue<string>() == "succeeded" && op["metadata"]!["team"]!.GetValue<string>() == "data", start.Output);

        var get = await CliAsync(server, "get", id, "-o", "json");
        Assert.Equal(id, JsonNode.Parse(get.Stdout)!["id"]!.GetValue<string>());
        var list = await CliAsync(server, "list", "--status", "succeeded", "--limit", "5", "-o", "json");
        Assert.Equal(id, JsonNode.Parse(list.Stdout)!.AsArray().Single()!["id"]!.GetValue<string>());
        var events = await CliAsync(server, "events", id, "--after", "0");
        var parsed = events.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(Enumerable.Range(1, parsed.Count).Select(i => (long)i), parsed.Select(e => e["id"]!.GetValue<long>()));
        Assert.Equal("done", parsed[^1]["event"]!.GetValue<string>());
        var watch = await CliAsync(server, "watch", id, "-o", "json");
        Assert.All(watch.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => JsonNode.Parse(l));
        var delete = await CliAsync(server, "delete", id, "-o", "json");
        Assert.True(JsonNode.Parse(delete.Stdout)!["deleted"]!.GetValue<bool>(), delete.Output);
    }

    [Fact]
    public async Task ExitCodes_SucceededFailedCancelledNotFoundConflictUsageUnavailable()
    {
        var server = await _env.StartServerAsync();

        Assert.Equal(0, (await CliAsync(server, "start", "sleep", "--input", "{\"seconds\":0}", "--wait")).ExitCode);
        var failed = await CliAsync(server, "start", "sleep", "--input", "{\"seconds\":0.2,\"steps\":2,\"fail_attempts\":1}", "--max-attempts", "1", "--wait");
        Assert.True(failed.ExitCode == 1, failed.Output);

        var id = await _env.StartSleepAsync(server, new { seconds = 60, steps = 60 });
        var delete = await CliAsync(server, "delete", id);
        Assert.True(delete.ExitCode == 6, delete.Output);
        var cancel = await CliAsync(server, "cancel", id);
        Assert.True(cancel.ExitCode == 0 && Regex.IsMatch(cancel.Stdout, $"^{id}\t(cancelled|stopping)$"), cancel.Output);
        var cancelled = await CliAsync(server, "start", "sleep", "--input", "{\"seconds\":60}", "--idempotency-key", "k1");
        var cancelledId = cancelled.Stdout.Split('\n').Single(l => l.StartsWith("id\t", StringComparison.Ordinal))[3..];
        Assert.Equal(0, (await CliAsync(server, "cancel", cancelledId)).ExitCode);
        var wait = await CliAsync(server, "start", "sleep", "--input", "{\"seconds\":60}", "--idempotency-key", "k1", "--wait");
        Assert.True(wait.ExitCode == 3, wait.Output);
        var again = await CliAsync(server, "cancel", cancelledId);
        Assert.True(again.ExitCode == 6 && again.Stdout.Contains("already finished", StringComparison.Ordinal), again.Output);

        var missing = await CliAsync(server, "get", "op_missing");
        Assert.True(missing.ExitCode == 4 && missing.Stderr.Contains("operation_not_found", StringComparison.Ordinal), missing.Output);
        foreach (var usage in new[] { new[] { "list", "--limit", "0" }, ["start", "sleep", "--input", "not json"], ["start", "nope", "--input", "{}"], ["get"], ["start", "sleep", "--wait", "--watch"] })
        {
            var run = await CliAsync(server, usage);
            Assert.True(run.ExitCode == 2, run.Output);
        }
        var unreachable = await _env.RunAsync(null, "get", "op_x", "--url", "http://127.0.0.1:9");
        Assert.True(unreachable.ExitCode == 7 && unreachable.Stderr.Contains("cannot reach", StringComparison.Ordinal), unreachable.Output);
    }

    [Fact]
    public async Task ExitCodes_WithoutOrWithAWrongApiKey_Auth()
    {
        var keys = await _env.RunAsync(null, "keys", "create", "--tenant", "acme", "--data-dir", _env.DataDir);
        Assert.True(keys.ExitCode == 0, keys.Output);
        var key = keys.Stdout.Trim();
        var server = await _env.StartServerAsync();

        var none = await CliAsync(server, "list");
        Assert.True(none.ExitCode == 5, none.Output);
        var wrong = await CliAsync(server, "list", "--api-key", "lh_wrong");
        Assert.True(wrong.ExitCode == 5, wrong.Output);
        var right = await _env.RunAsync(new Dictionary<string, string> { ["LONGHAUL_URL"] = server.BaseAddress.ToString(), ["LONGHAUL_API_KEY"] = key }, "list");
        Assert.True(right.ExitCode == 0, right.Output);
        var help = await _env.RunAsync(new Dictionary<string, string> { ["LONGHAUL_API_KEY"] = key }, "list", "--help");
        Assert.True(help.ExitCode == 0 && !(help.Stdout + help.Stderr).Contains(key, StringComparison.Ordinal), "--help printed the API key");
    }

    /// <summary>The percentage the progress bar's line shows (the number before '%' after the bar), or null.</summary>
    private static double? Percent(string screen)
    {
        var matches = BarPercent().Matches(screen);
        return matches.Count == 0 ? null : double.Parse(matches[^1].Groups["p"].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^EXIT=\d+$", RegexOptions.Multiline)]
    private static partial Regex ExitLine();

    [GeneratedRegex(@"━+\s+(?<p>\d+)%")]
    private static partial Regex BarPercent();

    [GeneratedRegex(@"\d+(\.\d+)? steps/s · ETA \d+:\d\d")]
    private static partial Regex RateAndEta();
}
