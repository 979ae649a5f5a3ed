using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// An in-process kind that writes past its tenant's <c>MaxEventsPerOperation</c>, against the real binary (ADR 0037): the
/// operation fails <c>event_limit_exceeded</c>, and the node counts and logs it as that final state (finished, the
/// attempt's outcome, one refusal of the limit), not as a lost lease. The remote worker's side is in TenantLimitsTests.
/// </summary>
public sealed class EventLimitTests : IAsyncDisposable
{
    private static readonly TimeSpan DoneTimeout = TimeSpan.FromSeconds(60);
    private readonly EndToEndEnvironment _env = new();

    public ValueTask DisposeAsync() => _env.DisposeAsync();

    private static CancellationToken Ct => EndToEndEnvironment.Ct;

    [Fact]
    public async Task InProcessKind_PastMaxEventsPerOperation_FailedWithTheLimitsCode_CountedFinishedAndRefusedOnce_LoggedAsLimitStop()
    {
        var server = await _env.StartServerAsync(new Dictionary<string, string> { ["Longhaul__Tenants__Defaults__MaxEventsPerOperation"] = "4" });
        // The claim's status event is the first; progress of steps 1 to 3 fits, step 4's ends the operation.
        using var response = await server.Http.PostAsync("/v1/operations",
            new StringContent("""{"kind":"sleep","input":{"seconds":0,"steps":10}}""", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["id"]!.GetValue<string>();

        var op = await _env.WaitUntilDoneAsync(server, id, DoneTimeout);
        Assert.True(op["status"]!.GetValue<string>() == "failed", $"{op.ToJsonString()}\n{_env.Logs}");
        Assert.Equal("event_limit_exceeded", op["error"]!["code"]!.GetValue<string>());
        Assert.Equal(1, op["attempt"]!.GetValue<int>());

        // The node counts the end once the handler has stopped, a moment after the store failed the operation.
        var metrics = await Eventually.ValueAsync(() => ScrapeAsync(server),
            m => m.Sum("longhaul_operations_finished_total", ("kind", "sleep")) >= 1, DoneTimeout);
        Equal(metrics, 1, "longhaul_operations_finished_total", ("kind", "sleep"), ("status", "failed"), ("error_code", "event_limit_exceeded"));
        Equal(metrics, 1, "longhaul_operations_finished_total");
        Equal(metrics, 1, "longhaul_operation_attempt_duration_seconds_count", ("kind", "sleep"), ("outcome", "failed"));
        Equal(metrics, 1, "longhaul_operation_attempt_duration_seconds_count");
        Equal(metrics, 1, "longhaul_limits_refusals_total", ("limit", "max_events_per_operation"));
        Equal(metrics, 1, "longhaul_limits_refusals_total");

        var logs = server.Output;
        Assert.Contains($"Operation {id} (sleep) attempt 1 wrote past its tenant's MaxEventsPerOperation; it failed with event_limit_exceeded", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("lease epoch", logs, StringComparison.Ordinal);
    }

    private static async Task<PrometheusText> ScrapeAsync(LonghaulServerProcess server)
    {
        using var response = await server.Http.GetAsync("/metrics", Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return PrometheusText.Parse(text);
    }

    private static void Equal(PrometheusText metrics, double expected, string name, params (string Key, string Value)[] labels)
    {
        var actual = metrics.Sum(name, labels);
        Assert.True(actual == expected, $"{name}{{{string.Join(",", labels.Select(l => $"{l.Key}=\"{l.Value}\""))}}}: expected {expected}, got {actual}");
    }
}
