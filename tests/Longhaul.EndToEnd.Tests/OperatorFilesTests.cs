using System.Diagnostics;
using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// <c>deploy/prometheus/alerts.yml</c> passes <c>promtool check rules</c> (Debian's prometheus package; .ci/run installs
/// it), and <c>deploy/grafana/longhaul.json</c> parses with a Longhaul query in every panel. That every name they use is
/// one the server exports is checked against real scrapes in <see cref="PostgresMetricsWorkloadTests"/>.
/// </summary>
public sealed class OperatorFilesTests
{
    [Fact]
    public async Task AlertRules_PromtoolCheckRules_Succeeds()
    {
        var ct = EndToEndEnvironment.Ct;
        var promtool = PrometheusText.Promtool;
        Assert.True(promtool is not null, "promtool is not installed (apt-get install prometheus; .ci/run does).");
        using var process = Process.Start(new ProcessStartInfo(promtool, ["check", "rules", OperatorFiles.AlertRules])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, output);
        Assert.Contains("SUCCESS: 10 rules found", output, StringComparison.Ordinal);
    }

    [Fact]
    public void GrafanaDashboard_Parses_EveryPanelQueriesLonghaulMetrics()
    {
        var queries = OperatorFiles.DashboardQueries();

        Assert.NotEmpty(queries);
        Assert.All(queries, q => Assert.Contains("longhaul_", q, StringComparison.Ordinal));
        Assert.Contains(OperatorFiles.MetricNames(), n => n == "longhaul_queue_oldest_pending_age_seconds");
    }
}
