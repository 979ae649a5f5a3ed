using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// <c>/metrics</c> after a scripted workload on PostgreSQL (an API node, a worker node, and a worker SIGKILLed while it
/// runs an operation): the counters and histogram counts are exact, and the text parses strictly (and with
/// <c>promtool check metrics</c> where promtool is installed).
/// </summary>
public sealed class PostgresMetricsWorkloadTests : PostgresNodesTest
{
    private static readonly TimeSpan DoneTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ScriptedWorkload_MetricsShowExactCounts()
    {
        var ct = EndToEndEnvironment.Ct;
        CreateSchema();
        var environment = Schema.Environment([.. PostgresTestSchema.ShortLease(5), ("Longhaul__RetryBaseDelay", "00:00:00.100"),
            ("Longhaul__Egress__AllowedNetworks__0", "127.0.0.0/8")]);
        var receiver = await StartUpstreamAsync(context => { context.Response.StatusCode = 204; return Task.CompletedTask; });
        var calls = 0;
        var upstream = await StartUpstreamAsync(context =>
        {
            // The first call is refused with 503 (a retry the http kind counts), the second answers.
            context.Response.StatusCode = Interlocked.Increment(ref calls) == 1 ? 503 : 200;
            if (context.Response.StatusCode == 503) context.Response.Headers.RetryAfter = "0";
            return Task.CompletedTask;
        });
        environment["Longhaul__Upstreams__echo__BaseUrl"] = upstream.Address;
        var api = await Env.StartNodeAsync(environment, "--role", "api");
        var doomed = await Env.StartNodeAsync(environment, "--role", "worker");

        // The orphan: running on the doomed worker when it is killed; the reaper requeues it, the worker runs attempt 2.
        var orphan = await Env.StartSleepAsync(api, new { seconds = 600, steps = 600 });
        LonghaulServerProcess worker;
        await using (var events = await SseStream.OpenAsync(api.Http, $"/v1/operations/{orphan}/events?after=0", null, ct))
        {
            await events.ReadUntilAsync(e => e.ProgressCurrent >= 1, DoneTimeout, ct);
            worker = await Env.StartNodeAsync(environment, "--role", "worker");
            doomed.Process.Kill();
            await events.ReadUntilAsync(e => e.Type == "status" && e.Json!["status"]!.GetValue<string>() == "running" && e.Json["attempt"]!.GetValue<int>() == 2, DoneTimeout, ct);
        }
        await CancelAsync(api, orphan);

        var ok1 = await Env.StartSleepAsync(api, new { seconds = 0 });
        var ok2 = await StartAsync(api, new { seconds = 0 }, new { }, callbackUrl: receiver.Address.TrimEnd('/') + "/hook");
        var retried = await StartAsync(api, new { seconds = 0.2, steps = 2, fail_attempts = 1 }, new { max_attempts = 2 });
        var call = await StartAsync(api, new { upstream = "echo", method = "GET", path = "/x" }, new { }, kind: "http");
        var failed = await StartAsync(api, new { seconds = 0.2, steps = 2, fail_attempts = 1 }, new { max_attempts = 1 });
        var late = await StartAsync(api, new { seconds = 600, steps = 600 }, new { timeout_seconds = 2 });
        var cancelled = await Env.StartSleepAsync(api, new { seconds = 600, steps = 600 });
        await using (var events = await SseStream.OpenAsync(api.Http, $"/v1/operations/{cancelled}/events?after=0", null, ct))
        {
            await events.ReadUntilAsync(e => e.ProgressCurrent >= 1, DoneTimeout, ct);
        }
        // While two operations run: the queue gauges have series.
        var (midText, midMetrics) = await ScrapeAsync(worker);
        await CancelAsync(api, cancelled);
        var expected = new Dictionary<string, (string Status, string? Code)>
        {
            [orphan] = ("cancelled", "cancelled"), [ok1] = ("succeeded", null), [ok2] = ("succeeded", null), [retried] = ("succeeded", null), [call] = ("succeeded", null),
            [failed] = ("failed", "attempts_exhausted"), [late] = ("failed", "deadline_exceeded"), [cancelled] = ("cancelled", "cancelled"),
        };
        foreach (var (id, (status, code)) in expected)
        {
            var done = await Env.WaitUntilDoneAsync(api, id, DoneTimeout);
            Assert.True(done["status"]!.GetValue<string>() == status && done["error"]?["code"]?.GetValue<string>() == code, $"{done.ToJsonString()}\n{Env.Logs}");
        }

        var (apiText, apiMetrics) = await ScrapeAsync(api);
        // The webhook attempt is recorded once its answer is read, just after the receiver saw it: ask until it shows.
        var (workerText, workerMetrics) = await Eventually.ValueAsync(() => ScrapeAsync(worker),
            m => m.Parsed.Sum("longhaul_webhooks_attempt_duration_seconds_count") >= 1, DoneTimeout);
        var message = $"api:\n{apiText}\nworker:\n{workerText}\n{Env.Logs}";
        var sleep = ("kind", "sleep");
        void Equal(double expectedValue, double actual, string what) => Assert.True(expectedValue == actual, $"{what}: expected {expectedValue}, was {actual}\n{message}");

        Equal(7, apiMetrics.Sum("longhaul_operations_created_total", sleep), "created");
        Equal(1, apiMetrics.Sum("longhaul_operations_created_total", ("kind", "http")), "created http");
        Equal(8, workerMetrics.Sum("longhaul_operation_attempts_total", sleep), "attempts");
        Equal(1, workerMetrics.Sum("longhaul_operation_retries_total", sleep), "retries");
        Equal(1, workerMetrics.Sum("longhaul_operation_attempt_duration_seconds_count", sleep, ("outcome", "retry")), "attempt ended in retry");
        Equal(1, workerMetrics.Sum("longhaul_http_upstream_retries_total", ("upstream", "echo"), ("reason", "503")), "upstream retries");
        Equal(1, workerMetrics.Sum("longhaul_operations_finished_total", ("kind", "http"), ("status", "succeeded")), "http succeeded");
        Equal(3, workerMetrics.Sum("longhaul_operations_finished_total", sleep, ("status", "succeeded"), ("error_code", "")), "succeeded");
        Equal(1, workerMetrics.Sum("longhaul_operations_finished_total", sleep, ("status", "failed"), ("error_code", "attempts_exhausted")), "failed");
        Equal(1, workerMetrics.Sum("longhaul_operations_finished_total", sleep, ("status", "failed"), ("error_code", "deadline_exceeded")), "deadline");
        Equal(2, workerMetrics.Sum("longhaul_operations_finished_total", sleep, ("status", "cancelled"), ("error_code", "cancelled")), "cancelled");
        Equal(7, workerMetrics.Sum("longhaul_operations_finished_total", sleep), "finished");
        Equal(1, workerMetrics.Sum("longhaul_operation_deadline_exceeded_total", sleep), "deadline_exceeded");
        Equal(1, workerMetrics.Sum("longhaul_operation_deadline_approaching_total", sleep), "deadline_approaching");
        Equal(2, workerMetrics.Sum("longhaul_operation_cancellations_total", sleep), "cancellations");
        Equal(1, apiMetrics.Sum("longhaul_operation_orphans_reaped_total", ("outcome", "requeued")) + workerMetrics.Sum("longhaul_operation_orphans_reaped_total", ("outcome", "requeued")), "reaped");
        Equal(8, workerMetrics.Sum("longhaul_operation_queue_wait_seconds_count", sleep), "queue wait count");
        Equal(8, workerMetrics.Sum("longhaul_operation_attempt_duration_seconds_count", sleep), "attempt duration count");
        Equal(8, workerMetrics.Sum("longhaul_operation_attempt_duration_seconds_bucket", sleep, ("le", "+Inf")), "attempt duration +Inf bucket");
        Equal(3, workerMetrics.Sum("longhaul_operation_duration_seconds_count", sleep, ("status", "succeeded")), "duration succeeded");
        Equal(2, workerMetrics.Sum("longhaul_operation_duration_seconds_count", sleep, ("status", "failed")), "duration failed");
        Equal(2, workerMetrics.Sum("longhaul_operation_duration_seconds_count", sleep, ("status", "cancelled")), "duration cancelled");
        Assert.True(workerMetrics.Types["longhaul_operation_duration_seconds"] == "histogram", message);
        Assert.Contains("Operation " + late + " (sleep) is approaching its deadline", worker.Output, StringComparison.Ordinal);
        var warning = Assert.Single(await Env.ReadFullLogAsync(api, late), e => e.Type == "warning");
        Assert.Equal("deadline_approaching", warning.Json!["code"]!.GetValue<string>());

        Assert.True(midMetrics.Sum("longhaul_queue_depth", sleep, ("status", "running")) >= 1, $"{midText}\n{message}");
        var exported = new[] { apiMetrics, workerMetrics, midMetrics }.SelectMany(m => m.Types).GroupBy(t => t.Key).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);
        // Counters appear on /metrics with their first event; these need events this workload does not script (a
        // shutdown mid-attempt, an upstream timeout, a webhook destination at its limit; imports, uploads, exports and limit
        // refusals, whose series CapabilityMetricsTests checks).
        string[] notScripted = ["longhaul_operation_handed_back_total", "longhaul_http_upstream_timeouts_total", "longhaul_webhooks_deferred_total"];
        notScripted = [.. notScripted, .. OperatorFiles.MetricNames().Where(n => n.StartsWith("longhaul_import_", StringComparison.Ordinal)
            || n.StartsWith("longhaul_uploads_", StringComparison.Ordinal) || n.StartsWith("longhaul_export_", StringComparison.Ordinal)
            || n.StartsWith("longhaul_limits_", StringComparison.Ordinal))];
        var missing = OperatorFiles.MetricNames().Where(n => !OperatorFiles.Exported(n, exported) && !notScripted.Contains(n)).ToList();
        Assert.True(missing.Count == 0, $"alerts.yml / longhaul.json name series the server does not export: {string.Join(", ", missing)}\n{message}");

        foreach (var text in new[] { apiText, workerText, midText })
        {
            if (await PrometheusText.PromtoolCheckAsync(text, ct) is { } check) Assert.True(check.ExitCode == 0, $"promtool check metrics: {check.Output}\n{text}");
        }
    }

    private async Task<string> StartAsync(LonghaulServerProcess api, object input, object options, string? callbackUrl = null, string kind = "sleep")
    {
        var body = new JsonObject { ["kind"] = kind, ["input"] = System.Text.Json.JsonSerializer.SerializeToNode(input), ["options"] = System.Text.Json.JsonSerializer.SerializeToNode(options) };
        if (callbackUrl is not null) body["callback_url"] = callbackUrl;
        using var response = await api.Http.PostAsJsonAsync("/v1/operations", body, EndToEndEnvironment.Ct);
        var text = await response.Content.ReadAsStringAsync(EndToEndEnvironment.Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{text}\n{Env.Logs}");
        return JsonNode.Parse(text)!["id"]!.GetValue<string>();
    }

    private async Task CancelAsync(LonghaulServerProcess api, string id)
    {
        using var cancel = await api.Http.PostAsync($"/v1/operations/{id}/cancel", null, EndToEndEnvironment.Ct);
        Assert.True(cancel.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, $"cancel {id} answered {(int)cancel.StatusCode}\n{Env.Logs}");
    }

    private static async Task<(string Text, PrometheusText Parsed)> ScrapeAsync(LonghaulServerProcess node)
    {
        using var response = await node.Http.GetAsync("/metrics", EndToEndEnvironment.Ct);
        var text = await response.Content.ReadAsStringAsync(EndToEndEnvironment.Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return (text, PrometheusText.Parse(text));
    }
}
