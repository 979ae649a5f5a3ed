using System.Net;
using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// A remote attempt whose worker dies (a real Python worker, SIGKILL) is ended by the reaper when its lease expires:
/// the reaper records its attempt span (over OTLP, back-dated to the claim, outcome <c>lease_expired</c>, status
/// "lease expired") and its run time, once, and the next attempt resumes and succeeds as usual.
/// </summary>
public sealed class RemoteWorkerReapTelemetryTests : RemoteWorkerTest
{
    [Fact]
    public async Task PythonWorkerKilled_LeaseExpires_ReaperRecordsAttemptSpanAndRunTimeOnce()
    {
        await using var collector = await OtlpReceiver.StartAsync(Ct);
        await StartAsync(
            ("OTEL_EXPORTER_OTLP_ENDPOINT", collector.Address),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
            ("OTEL_BSP_SCHEDULE_DELAY", "100"));
        var id = await StartReportAsync(rows: 30, delay: 0.2);
        var doomed = await PythonWorker.StartAsync(Env, Server.BaseAddress, WorkerKey, "doomed", kinds: "report");
        await using (var events = await EventsAsync(id))
        {
            await events.ReadUntilAsync(e => e.ProgressCurrent >= 1, LineTimeout, Ct);
            doomed.Kill();
        }
        await doomed.WaitForExitAsync(TimeSpan.FromSeconds(10), Ct);
        // The reaper requeues it once the lease (3 s) expires; the second worker resumes it from the checkpoint.
        await Eventually.ValueAsync(() => Api.GetAsync(ClientKey, $"/v1/operations/{id}"), o => o["status"]!.GetValue<string>() == "pending", DoneTimeout);
        await PythonWorker.StartAsync(Env, Server.BaseAddress, WorkerKey, "survivor", kinds: "report");
        var done = await Api.WaitDoneAsync(ClientKey, id, DoneTimeout);
        Assert.True(done["status"]!.GetValue<string>() == "succeeded" && done["attempt"]!.GetValue<int>() == 2, $"{done.ToJsonString()}\n{Env.Logs}");

        var metrics = await Eventually.ValueAsync(ScrapeAsync,
            m => m.Sum("longhaul_operation_attempt_duration_seconds_count", ("kind", "report")) == 2, DoneTimeout);
        Assert.True(metrics.Sum("longhaul_operation_attempt_duration_seconds_count", ("kind", "report"), ("outcome", "lease_expired")) == 1, Env.Logs);
        Assert.True(metrics.Sum("longhaul_operation_attempt_duration_seconds_count", ("kind", "report"), ("outcome", "succeeded")) == 1, Env.Logs);
        Assert.True(metrics.Sum("longhaul_operation_attempts_total", ("kind", "report")) == 2, Env.Logs);
        Assert.True(metrics.Sum("longhaul_operation_orphans_reaped_total", ("outcome", "requeued")) == 1, Env.Logs);

        OtlpSpan? Attempt(OtlpReceiver r, string outcome) => r.Spans.FirstOrDefault(s => s.Name == "longhaul.attempt report"
            && s.Attributes.GetValueOrDefault("longhaul.operation.id") == id && s.Attributes.GetValueOrDefault("longhaul.attempt.outcome") == outcome);
        OtlpSpan? Claim(OtlpReceiver r, string attempt) => r.Spans.FirstOrDefault(s => s.Name == "longhaul.worker.claim"
            && s.Attributes.GetValueOrDefault("longhaul.operation.id") == id && s.Attributes.GetValueOrDefault("longhaul.operation.attempt") == attempt);
        await collector.WaitUntilAsync(r => Attempt(r, "lease_expired") is not null && Attempt(r, "succeeded") is not null && Claim(r, "1") is not null, DoneTimeout, Ct);
        var spans = collector.Spans;
        var message = $"{string.Join("\n", spans)}\n{Env.Logs}";
        var expired = Assert.Single(spans, s => s.Name == "longhaul.attempt report" && s.Attributes.GetValueOrDefault("longhaul.operation.id") == id
            && s.Attributes.GetValueOrDefault("longhaul.operation.attempt") == "1");
        Assert.True(expired.Attributes.GetValueOrDefault("longhaul.attempt.outcome") == "lease_expired", message);
        Assert.True(expired.Attributes.GetValueOrDefault("error.type") == "lease_expired", message);
        Assert.True(expired.Attributes.GetValueOrDefault("longhaul.worker") == "doomed", message);
        Assert.True(expired.Attributes.GetValueOrDefault("longhaul.reap.outcome") == "requeued", message);
        Assert.True(expired.StatusCode == 2 && expired.StatusMessage == "lease expired", $"{expired.StatusCode} {expired.StatusMessage}\n{message}");
        // Back-dated to the claim (logged before the claim span started), ended after it, by the reaper.
        var claim = Claim(collector, "1")!;
        Assert.True(expired.StartNanos > 0 && expired.StartNanos <= claim.StartNanos && expired.EndNanos >= claim.EndNanos,
            $"attempt {expired.StartNanos}..{expired.EndNanos}, claim {claim.StartNanos}..{claim.EndNanos}\n{message}");
        Assert.DoesNotContain(spans, s => s.Attributes.GetValueOrDefault("longhaul.attempt.outcome") == "lease_lost");
    }

    private async Task<PrometheusText> ScrapeAsync()
    {
        using var response = await Server.Http.GetAsync("/metrics", Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{text}\n{Env.Logs}");
        return PrometheusText.Parse(text);
    }
}
