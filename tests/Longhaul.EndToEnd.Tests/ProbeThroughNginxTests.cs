using System.Globalization;
using System.Text.RegularExpressions;
using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary><c>longhaul probe</c> through a real nginx with <c>proxy_read_timeout 5s</c> in front of a real <c>longhaul serve</c>.</summary>
public sealed partial class ProbeThroughNginxTests : IAsyncDisposable
{
    private readonly EndToEndEnvironment _env = new();

    public ValueTask DisposeAsync() => _env.DisposeAsync();

    [GeneratedRegex(@"^(silent|drip) budget: (>= )?([0-9.]+) s", RegexOptions.Multiline)]
    private static partial Regex BudgetLine();

    [Fact]
    public async Task Probe_ThroughNginxWithA5sReadTimeout_FindsA5sSilentBudget_AndALongerDripBudget()
    {
        var server = await _env.StartServerAsync();
        await using var nginx = await NginxProcess.StartAsync(server.BaseAddress, "5s", EndToEndEnvironment.Ct);

        var probe = await LonghaulProcess.RunAsync(["probe", nginx.Address.ToString(), "--max", "15"], null, _env.Root,
            TimeSpan.FromSeconds(150), EndToEndEnvironment.Ct);

        var context = $"{probe.Output}\n===== nginx =====\n{nginx.Output}";
        Assert.True(probe.ExitCode == 0, context);
        var budgets = BudgetLine().Matches(probe.Stdout).ToDictionary(m => m.Groups[1].Value, m => double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture));
        Assert.True(budgets.ContainsKey("silent") && budgets.ContainsKey("drip"), context);
        Assert.InRange(budgets["silent"], 3, 7);
        Assert.True(budgets["drip"] >= 2 * budgets["silent"], context);
        Assert.Contains("Longhaul:Http:LongPollMax", probe.Stdout, StringComparison.Ordinal);
        Assert.Contains("Longhaul:Http:KeepAliveInterval", probe.Stdout, StringComparison.Ordinal);
    }
}
