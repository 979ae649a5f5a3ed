using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.Store.Tests.Conformance;

/// <summary>
/// The fenced event write's answer (ADR 0037): the one write that ends an operation by its event limit says so, every
/// other refused write (later, concurrent, stale) is only refused, so a caller can count the end exactly once.
/// </summary>
public abstract partial class OperationStoreConformanceTests
{
    [Theory]
    [InlineData("output")]
    [InlineData("progress")]
    [InlineData("warning")]
    public async Task FencedEvents_TheWriteThatEndsByEventLimit_AnswersEndedByEventLimit_LaterWritesOnlyRefused(string type)
    {
        var op = await StartOperationAsync(NewOp(priority: 1_000), maxEvents: 2);
        var running = await ClaimOneAsync(op.Id);
        Assert.Equal(EventWriteOutcome.Written, (await WriteEventAsync(type, LeaseOf(running))).Outcome);

        var ending = await WriteEventAsync(type, LeaseOf(running));

        Assert.Equal(EventWriteOutcome.EndedByEventLimit, ending.Outcome);
        Assert.False(ending);
        var failed = await GetAsync(op.Id);
        Assert.Equal(OperationStatus.Failed, failed.Status);
        Assert.Equal(OperationErrors.EventLimitExceededCode, failed.Error!.Code);
        Assert.Equal(running.LeaseEpoch, failed.LeaseEpoch);
        foreach (var again in new[] { "output", "progress", "warning" })
            Assert.Equal(EventWriteOutcome.Refused, (await WriteEventAsync(again, LeaseOf(running))).Outcome);
        AssertEndsWithStatusThenDone(await EventsAsync(op.Id), OperationStatus.Failed);
    }

    [Fact]
    public async Task FencedEvents_ConcurrentWritesOfOneOperationPastMaxEvents_ExactlyOneEndsIt()
    {
        // As two nodes (or a retried call) writing under one lease at once: one write fits, one ends it, the rest are refused.
        var op = await StartOperationAsync(NewOp(priority: 1_000), maxEvents: 2);
        var running = await ClaimOneAsync(op.Id);

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(n => Task.Run(() => WriteEventAsync(n % 2 == 0 ? "output" : "progress", LeaseOf(running)), Ct)));

        Assert.Single(results, r => r.Outcome == EventWriteOutcome.Written);
        Assert.Single(results, r => r.Outcome == EventWriteOutcome.EndedByEventLimit);
        Assert.Equal(4, results.Count(r => r.Outcome == EventWriteOutcome.Refused));
        Assert.Equal(OperationErrors.EventLimitExceededCode, (await GetAsync(op.Id)).Error!.Code);
    }

    [Fact]
    public async Task FencedEvents_StaleLeaseWithFullLog_OnlyRefused_OperationStillRunning()
    {
        var op = await StartOperationAsync(NewOp(priority: 1_000), maxEvents: 2);
        var running = await ClaimOneAsync(op.Id);
        Assert.True(await Store.AppendOutputAsync(new OutputParams(LeaseOf(running), Json("\"a\"")), Ct));
        var stale = LeaseOf(running) with { Epoch = running.LeaseEpoch - 1 };

        Assert.Equal(EventWriteOutcome.Refused, (await Store.AppendOutputAsync(new OutputParams(stale, Json("\"b\"")), Ct)).Outcome);
        Assert.Equal(OperationStatus.Running, (await GetAsync(op.Id)).Status);
    }

    private Task<EventWriteResult> WriteEventAsync(string type, LeaseRef lease) => type switch
    {
        "output" => Store.AppendOutputAsync(new OutputParams(lease, Json("\"line\"")), Ct),
        "progress" => Store.RecordAsync(new RecordParams(lease, new ProgressInfo { Percent = 50 }, null, null), Ct),
        _ => Store.AppendWarningAsync(new WarningParams(lease, Json("""{"code":"deadline_approaching","message":"soon"}""")), Ct),
    };
}
