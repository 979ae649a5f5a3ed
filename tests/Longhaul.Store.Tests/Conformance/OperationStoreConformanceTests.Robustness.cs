using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.Store.Tests.Conformance;

public abstract partial class OperationStoreConformanceTests
{
    private static readonly TimeSpan WriteGuard = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Writes_ListenerThrows_StillCommitAndStoreKeepsWorking()
    {
        using var faulty = Notifier.Subscribe((_, _) => throw new InvalidOperationException("a listener with a bug"));

        var op = await Store.StartAsync(new StartParams(NewOp(), null), Ct).WaitAsync(WriteGuard, Ct);
        var claimed = await Store.ClaimAsync(new ClaimParams(OwnerA, [Kind], 1, Lease), Ct).WaitAsync(WriteGuard, Ct);

        Assert.Equal(StartOutcome.Started, op.Outcome);
        Assert.Equal(op.Operation?.Id, Assert.Single(claimed).Id);
        Assert.Equal(OperationStatus.Running, (await GetAsync(op.Operation!.Id)).Status);
    }

    [Fact]
    public async Task CompleteAsync_NonFinalStatus_ThrowsAndChangesNothing()
    {
        var running = await CreateRunningAsync();
        var before = await SnapshotAsync(running.Id);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.CompleteAsync(new CompleteParams(LeaseOf(running), OperationStatus.Pending, null, null), Ct));

        Assert.Equal(before, await SnapshotAsync(running.Id));
        Assert.True(await Store.CompleteAsync(new CompleteParams(LeaseOf(running), OperationStatus.Succeeded, null, null), Ct));
    }

    [Fact]
    public async Task ReapAsync_ExpiredLeasePastDeadline_FailsWithDeadlineExceeded()
    {
        var op = await StartOperationAsync(timeoutSeconds: 20, priority: 1);
        var running = await ClaimOneAsync(op.Id);
        await AdvanceAsync(Lease + TimeSpan.FromSeconds(1));

        await Store.ReapAsync(new ReapParams(), Ct);

        var after = await GetAsync(running.Id);
        Assert.Equal(OperationStatus.Failed, after.Status);
        Assert.Equal("deadline_exceeded", after.Error?.Code);
        var events = await EventsAsync(running.Id);
        AssertGapFree(events);
        AssertEndsWithStatusThenDone(events, OperationStatus.Failed);
        Assert.Empty(await ClaimAsync());
    }
}
