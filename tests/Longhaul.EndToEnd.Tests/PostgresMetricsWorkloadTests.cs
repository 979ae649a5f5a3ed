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
        var environment = Schema.Environment([.. PostgresTestSchema.ShortLease(5), ("Longhaul__RetryBaseDelay", "00:00:00.100")]);
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
        var ok2 = await Env.StartSleepAsync(api, new { seconds = 0 });
        var failed = await StartAsync(api, new { seconds = 0.2, steps = 2, fail_attempts = 1 }, new { max_attempts = 1 });
        var late = await StartAsync(api, new { seconds = 600, steps = 600 }, new { timeout_seconds = 2 });
        var cancelled = await Env.StartSleepAsync(api, new { seconds = 600, steps = 600 });
        await using (var events = await SseStream.OpenAsync(api.Http, $"/v1/operations/{cancelled}/events?after=0", null, ct))
        {
            await events.ReadUntilAsync(e => e.ProgressCurrent >= 1, DoneTimeout, ct);
        }
        await CancelAsync(api, cancelled);
        var expected = new Dictionary<string, (string Status, string? Code)>
        {
            [orphan] = ("cancelled", "cancelled"), [ok1] = ("succeeded", null), [ok2] = ("succeeded", null),
            [failed] = ("failed", "attempts_exhausted"), [late] = ("failed", "deadline_exceeded"), [cancelled] = ("cancelled", "cancelled"),
        };
        foreach (var (id, (status, code)) in expected)
        {
            var done = await Env.WaitUntilDoneAsync(api, id, DoneTimeout);
            Assert.True(done["status"]!.GetValue<string>() == status && done["error"]?["code"]?.GetValue<string>() == code, $"{done.ToJsonString()}\n{Env.Logs}");
        }

        var (apiText, apiMetrics) = await ScrapeAsync(api);
        var (workerText, workerMetrics) = await ScrapeAsync(worker);
        var message = $"api:\n{apiText}\nworker:\n{workerText}\n{Env.Logs}";
        var sleep = ("kind", "sleep");
        void Equal(double expectedValue, double actual, string what) => Assert.True(expectedValue == actual, $"{what}: expected {expectedValue}, was {actual}\n{message}");

        Equal(6, apiMetrics.Sum("longhaul_operations_created_total", sleep), "created");
        Equal(6, workerMetrics.Sum("longhaul_operation_attempts_total", sleep), "attempts");
        Equal(2, workerMetrics.Sum("longhaul_operations_finished_total", sleep, ("status", "succeeded"), ("error_code", "")), "succeeded");
        Equal(1, workerMetrics.Sum("longhaul_operations_finished_total", sleep, ("status", "failed"), ("error_code", "attempts_exhausted")), "failed");
        Equal(1, workerMetrics.Sum("longhaul_operations_finished_total", sleep, ("status", "failed"), ("error_code", "deadline_exceeded")), "deadline");
        Equal(2, workerMetrics.Sum("longhaul_operations_finished_total", sleep, ("status", "cancelled"), ("error_code", "cancelled")), "cancelled");
        Equal(6, workerMetrics.Sum("longhaul_operations_finished_total", sleep), "finished");
        Equal(1, workerMetrics.Sum("longhaul_operation_deadline_exceeded_total", sleep), "deadline_exceeded");
        Equal(1, workerMetrics.Sum("longhaul_operation_deadline_approaching_total", sleep), "deadline_approaching");
        Equal(2, workerMetrics.Sum("longhaul_operation_cancellations_total", sleep), "cancellations");
        Equal(1, apiMetrics.Sum("longhaul_operation_orphans_reaped_total", ("outcome", "requeued")) + workerMetrics.Sum("longhaul_operation_orphans_reaped_total", ("outcome", "requeued")), "reaped");
        Equal(6, workerMetrics.Sum("longhaul_operation_queue_wait_seconds_count", sleep), "queue wait count");
        Equal(6, workerMetrics.Sum("longhaul_operation_attempt_duration_seconds_count", sleep), "attempt duration count");
        Equal(6, workerMetrics.Sum("longhaul_operation_attempt_duration_seconds_bucket", sleep, ("le", "+Inf")), "attempt duration +Inf bucket");
        Equal(2, workerMetrics.Sum("longhaul_operation_duration_seconds_count", sleep, ("status", "succeeded")), "duration succeeded");
        Equal(2, workerMetrics.Sum("longhaul_operation_duration_seconds_count", sleep, ("status", "failed")), "duration failed");
        Equal(2, workerMetrics.Sum("longhaul_operation_duration_seconds_count", sleep, ("status", "cancelled")), "duration cancelled");
        Assert.True(workerMetrics.Types["longhaul_operation_duration_seconds"] == "histogram", message);
        Assert.Contains("Operation " + late + " (sleep) is approaching its deadline", worker.Output, StringComparison.Ordinal);

        foreach (var text in new[] { apiText, workerText })
        {
            if (await PrometheusText.PromtoolCheckAsync(text, ct) is { } check) Assert.True(check.ExitCode == 0, $"promtool check metrics: {check.Output}\n{text}");
        }
    }

    private async Task<string> StartAsync(LonghaulServerProcess api, object input, object options)
    {
        var body = new JsonObject { ["kind"] = "sleep", ["input"] = System.Text.Json.JsonSerializer.SerializeToNode(input), ["options"] = System.Text.Json.JsonSerializer.SerializeToNode(options) };
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
