using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// A real Python worker's attempts in the real binary's telemetry, as in-process attempts are: the attempt's span over
/// OTLP (the child of its claim span, linked to the request that created the operation, with its events, and the
/// worker's own calls in its trace through the claim answer's <c>traceparent</c>), exact counts on <c>/metrics</c> after
/// a scripted workload (successes, retries, a failure with attempts exhausted) and the <c>deadline_approaching</c> warning.
/// </summary>
public sealed class RemoteWorkerTelemetryTests : RemoteWorkerTest
{
    [Fact]
    public async Task PythonWorker_Workload_AttemptSpansOverOtlp_ExactMetrics_DeadlineWarning()
    {
        await using var collector = await OtlpReceiver.StartAsync(Ct);
        await StartAsync(
            ("OTEL_EXPORTER_OTLP_ENDPOINT", collector.Address),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
            ("OTEL_BSP_SCHEDULE_DELAY", "100"),
            ("Longhaul__RemoteKinds__flaky__Description", "Fails its first attempts."),
            ("Longhaul__RemoteKinds__flaky__MaxAttempts", "2"),
            ("Longhaul__RetryBaseDelay", "00:00:00.1"),
            ("Longhaul__DeadlineWarningFraction", "0.1"));

        var clientTrace = ActivityTraceId.CreateRandom().ToHexString();
        var traced = await StartTracedAsync(new JsonObject { ["kind"] = "report", ["input"] = new JsonObject { ["rows"] = 3, ["delay"] = 0.05 } }, clientTrace);
        var plain = await StartReportAsync(rows: 2, delay: 0.01);
        var flaky = await Api.StartAsync(ClientKey, "flaky", new JsonObject { ["failures"] = 1 });
        var failing = await Api.StartAsync(ClientKey, "flaky", new JsonObject { ["failures"] = 9 });
        // Warned at 10 % of 20 s (at a heartbeat, every second), done after about 4 s.
        var warned = await StartTracedAsync(new JsonObject
        {
            ["kind"] = "report", ["input"] = new JsonObject { ["rows"] = 10, ["delay"] = 0.4 }, ["options"] = new JsonObject { ["timeout_seconds"] = 20 },
        }, null);
        await PythonWorker.StartAsync(Env, Server.BaseAddress, WorkerKey, "w1", kinds: "report,flaky");

        foreach (var (id, status) in new[] { (traced, "succeeded"), (plain, "succeeded"), (failing, "failed"), (flaky, "succeeded"), (warned, "succeeded") })
        {
            var done = await Api.WaitDoneAsync(ClientKey, id, DoneTimeout);
            Assert.True(done["status"]!.GetValue<string>() == status, $"{done.ToJsonString()}\n{Env.Logs}");
        }

        // Metrics: the worker's last call may still be recording when the status is visible, so wait for the totals first.
        var metrics = await Eventually.ValueAsync(ScrapeAsync,
            m => m.Sum("longhaul_operation_attempt_duration_seconds_count") == 7 && m.Sum("longhaul_operations_finished_total") == 5, DoneTimeout);
        var report = ("kind", "report");
        Equal(metrics, 3, "longhaul_operation_attempts_total", report);
        Equal(metrics, 4, "longhaul_operation_attempts_total", ("kind", "flaky"));
        Equal(metrics, 7, "longhaul_operation_attempts_total");
        Equal(metrics, 7, "longhaul_operation_queue_wait_seconds_count");
        Equal(metrics, 2, "longhaul_operation_retries_total", ("kind", "flaky"));
        Equal(metrics, 2, "longhaul_operation_retries_total");
        Equal(metrics, 3, "longhaul_operations_finished_total", report, ("status", "succeeded"), ("error_code", ""));
        Equal(metrics, 1, "longhaul_operations_finished_total", ("kind", "flaky"), ("status", "failed"), ("error_code", "handler_error"));
        Equal(metrics, 1, "longhaul_operations_finished_total", ("kind", "flaky"), ("status", "succeeded"));
        Equal(metrics, 3, "longhaul_operation_attempt_duration_seconds_count", report, ("outcome", "succeeded"));
        Equal(metrics, 1, "longhaul_operation_attempt_duration_seconds_count", ("kind", "flaky"), ("outcome", "failed"));
        Equal(metrics, 2, "longhaul_operation_attempt_duration_seconds_count", ("kind", "flaky"), ("outcome", "retry"));
        Equal(metrics, 1, "longhaul_operation_attempt_duration_seconds_count", ("kind", "flaky"), ("outcome", "succeeded"));
        Equal(metrics, 7, "longhaul_operation_attempt_duration_seconds_bucket", ("le", "+Inf"));
        Equal(metrics, 4, "longhaul_operation_duration_seconds_count", ("status", "succeeded"));
        Equal(metrics, 1, "longhaul_operation_duration_seconds_count", ("status", "failed"));
        Equal(metrics, 1, "longhaul_operation_deadline_approaching_total", report);
        Equal(metrics, 0, "longhaul_operation_deadline_exceeded_total");
        Equal(metrics, 0, "longhaul_operation_handed_back_total");
        Equal(metrics, 0, "longhaul_operation_cancellations_total");

        // The deadline warning: one SSE warning event and one log line, as for an in-process attempt.
        var log = await LogAsync(warned);
        var warnings = log.Where(e => e.Type == "warning").ToList();
        Assert.True(warnings.Count == 1 && warnings[0].Json!["code"]!.GetValue<string>() == "deadline_approaching", $"{string.Join("\n", log)}\n{Env.Logs}");
        Assert.True(Server.Output.Split('\n').Count(l => l.Contains($"Operation {warned} (report) is approaching its deadline", StringComparison.Ordinal)) == 1, Env.Logs);
        Assert.True((await LogAsync(traced)).All(e => e.Type != "warning"), Env.Logs);

        // Traces: the attempt span, back-dated to the claim, the child of the claim span, linked to the creating request.
        OtlpSpan? Attempt(OtlpReceiver r, string id, string outcome) => r.Spans.FirstOrDefault(s => s.Name.StartsWith("longhaul.attempt ", StringComparison.Ordinal)
            && s.Attributes.GetValueOrDefault("longhaul.operation.id") == id && s.Attributes.GetValueOrDefault("longhaul.attempt.outcome") == outcome);
        await collector.WaitUntilAsync(r => Attempt(r, traced, "succeeded") is { } a
            && r.Spans.Any(s => s.Scope == "Microsoft.AspNetCore" && s.TraceId == a.TraceId && s.Name == "POST /v1/leases/complete")
            && Attempt(r, flaky, "retry") is not null && Attempt(r, flaky, "succeeded") is not null
            && Attempt(r, failing, "failed") is not null && Attempt(r, warned, "succeeded") is not null, DoneTimeout, Ct);
        var spans = collector.Spans;
        var message = $"{string.Join("\n", spans)}\n{Env.Logs}";
        var create = Assert.Single(spans, s => s.Scope == "Microsoft.AspNetCore" && s.TraceId == clientTrace && s.Name == "POST /v1/operations");
        var attempt = Attempt(collector, traced, "succeeded")!;
        var claim = Assert.Single(spans, s => s.Name == "longhaul.worker.claim" && s.Attributes.GetValueOrDefault("longhaul.operation.id") == traced);
        Assert.True(claim.TraceId != clientTrace && claim.ParentSpanId == "", message);
        Assert.True(claim.Links.Count == 1 && claim.Links[0] == (clientTrace, create.SpanId), message);
        Assert.True(attempt.Name == "longhaul.attempt report" && attempt.TraceId == claim.TraceId && attempt.ParentSpanId == claim.SpanId, message);
        Assert.True(attempt.Links.Count == 1 && attempt.Links[0] == (clientTrace, create.SpanId), message);
        Assert.Equal("report", attempt.Attributes.GetValueOrDefault("longhaul.operation.kind"));
        Assert.Equal("1", attempt.Attributes.GetValueOrDefault("longhaul.operation.attempt"));
        Assert.Equal("acme", attempt.Attributes.GetValueOrDefault("longhaul.tenant"));
        Assert.True(attempt.Events.Count(e => e == "progress") == 3 && attempt.Events.Contains("output"), $"{string.Join(",", attempt.Events)}\n{message}");
        // The worker's own calls under the lease, sent with the claim answer's traceparent, are in the attempt's trace.
        Assert.True(spans.Count(s => s.Scope == "Microsoft.AspNetCore" && s.ParentSpanId == claim.SpanId && s.Name == "POST /v1/leases/checkpoint") == 3, message);
        Assert.Contains("warning", Attempt(collector, warned, "succeeded")!.Events);
        var retry = Attempt(collector, flaky, "retry")!;
        Assert.True(retry.Attributes.GetValueOrDefault("error.type") == "handler_error" && retry.Attributes.GetValueOrDefault("longhaul.operation.attempt") == "1", message);
        Assert.Equal("2", Attempt(collector, flaky, "succeeded")!.Attributes.GetValueOrDefault("longhaul.operation.attempt"));
        Assert.Equal("handler_error", Attempt(collector, failing, "failed")!.Attributes.GetValueOrDefault("error.type"));
    }

    private async Task<string> StartTracedAsync(JsonObject body, string? traceId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/operations") { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        if (traceId is not null) request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await ClientHttp.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{text}\n{Env.Logs}");
        return JsonNode.Parse(text)!["id"]!.GetValue<string>();
    }

    private async Task<PrometheusText> ScrapeAsync()
    {
        using var response = await Server.Http.GetAsync("/metrics", Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{text}\n{Env.Logs}");
        return PrometheusText.Parse(text);
    }

    private void Equal(PrometheusText metrics, double expected, string name, params (string Key, string Value)[] labels)
    {
        var actual = metrics.Sum(name, labels);
        Assert.True(actual == expected, $"{name}{{{string.Join(",", labels.Select(l => $"{l.Key}={l.Value}"))}}}: expected {expected}, got {actual}\n{Env.Logs}");
    }
}
