using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// The reference Python worker (samples/python-worker) writing past its tenant's <c>MaxEventsPerOperation</c>: it gets
/// 409 <c>event_limit_exceeded</c> and says so (its <c>EventLimitExceeded</c> stop), not that its lease was lost.
/// </summary>
public sealed class PythonWorkerEventLimitTests : RemoteWorkerTest
{
    [Fact]
    public async Task PythonWorker_ReportPastTheEventLimit_StopsWithEventLimitExceeded_NotLeaseLost()
    {
        await StartAsync(LongLease, ("Longhaul__Tenants__Defaults__MaxEventsPerOperation", "6"));
        var worker = await PythonWorker.StartAsync(Env, Server.BaseAddress, WorkerKey, "w1");
        // Per row one output and a checkpoint with progress: the claim and rows 1 and 2 take six events, row 3's checkpoint is refused.
        var id = await StartReportAsync(rows: 10, delay: 0);

        await worker.WaitForLineAsync(l => l.Contains($"event limit exceeded {id}", StringComparison.Ordinal), LineTimeout, Ct);
        var op = await Api.GetAsync(ClientKey, $"/v1/operations/{id}");
        Assert.Equal("failed", op["status"]!.GetValue<string>());
        Assert.Equal("event_limit_exceeded", op["error"]!["code"]!.GetValue<string>());
        Assert.Contains($"event_limit_exceeded /leases/checkpoint {id}", worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain($"lease_lost /leases/checkpoint {id}", worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain($"lease lost {id}", worker.Output, StringComparison.Ordinal);
        worker.Terminate();
    }
}
