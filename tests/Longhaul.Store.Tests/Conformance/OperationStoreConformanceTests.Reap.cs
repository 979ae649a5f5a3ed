using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.Store.Tests.Conformance;

public abstract partial class OperationStoreConformanceTests
{
    [Fact]
    public async Task ReapAsync_LeaseNotExpired_LeavesOperationRunning()
    {
        var running = await CreateRunningAsync();
        await AdvanceAsync(Lease - TimeSpan.FromSeconds(1));

        var result = await Store.ReapAsync(new ReapParams(), Ct);

        Assert.Equal(new ReapResult(0, 0), result);
        Assert.Equal(OperationStatus.Running, (await GetAsync(running.Id)).Status);
    }

    [Fact]
    public async Task ReapAsync_ExpiredLease_RequeuesWithAttemptKept()
    {
        var running = await CreateRunningAsync();
        await AdvanceAsync(Lease + TimeSpan.FromSeconds(1));

        var result = await Store.ReapAsync(new ReapParams(), Ct);

        Assert.Equal(new ReapResult(1, 0), result);
        var op = await GetAsync(running.Id);
        Assert.Equal(OperationStatus.Pending, op.Status);
        Assert.Equal(1, op.Attempt);
        Assert.Null(op.LeaseOwner);
        Assert.Null(op.FinishedAt);
        Assert.True(op.RunAfter <= Clock.GetUtcNow());
        var last = (await EventsAsync(running.Id))[^1];
        Assert.Equal(EventTypes.Status, last.Type);
        Assert.Equal("pending", StatusOf(last));
    }

    [Fact]
    public async Task ReapAsync_ExpiredLeaseWithNoAttemptsLeft_FailsWithWorkerLost()
    {
        var running = await CreateRunningAsync(maxAttempts: 1);
        await AdvanceAsync(Lease + TimeSpan.FromSeconds(1));

        var result = await Store.ReapAsync(new ReapParams(), Ct);

        Assert.Equal(new ReapResult(0, 1), result);
        var op = await GetAsync(running.Id);
        Assert.Equal(OperationStatus.Failed, op.Status);
        Assert.Equal("worker_lost", op.Error?.Code);
        Assert.Equal(Clock.GetUtcNow(), op.FinishedAt);
        Assert.Null(op.LeaseOwner);
        AssertEndsWithStatusThenDone(await EventsAsync(running.Id), OperationStatus.Failed);
        Assert.Empty(await ClaimAsync());
    }

    [Fact]
    public async Task ReapAsync_CancelRequestedAndOrphaned_CancelsInsteadOfRequeueing()
    {
        var running = await CreateRunningAsync();
        Assert.Equal(CancelOutcome.Requested, (await Store.CancelAsync(new CancelParams(Tenant, running.Id), Ct)).Outcome);
        await AdvanceAsync(Lease + TimeSpan.FromSeconds(1));

        var result = await Store.ReapAsync(new ReapParams(), Ct);

        Assert.Equal(0, result.Requeued);
        var op = await GetAsync(running.Id);
        Assert.Equal(OperationStatus.Cancelled, op.Status);
        Assert.Equal("cancelled", op.Error?.Code);
        Assert.NotNull(op.FinishedAt);
        AssertEndsWithStatusThenDone(await EventsAsync(running.Id), OperationStatus.Cancelled);
        Assert.Empty(await ClaimAsync());
    }

    [Fact]
    public async Task ReapAsync_PendingPastDeadline_FailsWithDeadlineExceeded()
    {
        var doomed = await StartOperationAsync(timeoutSeconds: 10);
        var patient = await StartOperationAsync(timeoutSeconds: 60);
        var unbounded = await StartOperationAsync();
        await AdvanceAsync(TimeSpan.FromSeconds(9));
        var early = await Store.ReapAsync(new ReapParams(), Ct);
        await AdvanceAsync(TimeSpan.FromSeconds(1));

        var result = await Store.ReapAsync(new ReapParams(), Ct);

        Assert.Equal(new ReapResult(0, 0), early);
        Assert.Equal(new ReapResult(0, 1), result);
        var op = await GetAsync(doomed.Id);
        Assert.Equal(OperationStatus.Failed, op.Status);
        Assert.Equal("deadline_exceeded", op.Error?.Code);
        Assert.Equal(Clock.GetUtcNow(), op.FinishedAt);
        AssertEndsWithStatusThenDone(await EventsAsync(doomed.Id), OperationStatus.Failed);
        Assert.Equal(OperationStatus.Pending, (await GetAsync(patient.Id)).Status);
        Assert.Equal(OperationStatus.Pending, (await GetAsync(unbounded.Id)).Status);
    }

    [Fact]
    public async Task ReapAsync_OrphanPastItsDeadline_FailsOnceWithDeadlineExceededWithoutRequeue()
    {
        var running = await CreateRunningAsync(timeoutSeconds: 1);
        await AdvanceAsync(Lease + TimeSpan.FromSeconds(1));

        var result = await Store.ReapAsync(new ReapParams(), Ct);

        Assert.Equal(new ReapResult(0, 1), result);
        var op = await GetAsync(running.Id);
        Assert.Equal(OperationStatus.Failed, op.Status);
        Assert.Equal("deadline_exceeded", op.Error?.Code);
        Assert.Null(op.LeaseOwner);
        Assert.Null(op.LeaseExpiresAt);
        var events = await EventsAsync(running.Id);
        AssertEndsWithStatusThenDone(events, OperationStatus.Failed);
        // Straight from running to failed: no requeue (a pending status with reason lease_expired) on the way.
        Assert.DoesNotContain(events, e => e.Type == EventTypes.Status && e.Data?.GetRawText().Contains("lease_expired", StringComparison.Ordinal) == true);
        Assert.Empty(await ClaimAsync());
    }

    [Fact]
    public async Task ReapAsync_AllLeasesOf_RequeuesEveryRunningOperationRegardlessOfLease()
    {
        var first = await CreateRunningAsync(owner: OwnerA);
        var second = await CreateRunningAsync(owner: OwnerB);
        var pending = await StartOperationAsync();
        var done = await CreateSucceededAsync();

        var result = await Store.ReapAsync(new ReapParams(AllLeasesOf: true), Ct);

        Assert.Equal(new ReapResult(2, 0), result);
        foreach (var id in new[] { first.Id, second.Id })
        {
            var op = await GetAsync(id);
            Assert.Equal(OperationStatus.Pending, op.Status);
            Assert.Equal(1, op.Attempt);
            Assert.Null(op.LeaseOwner);
        }
        Assert.Equal(0, (await GetAsync(pending.Id)).Attempt);
        Assert.Equal(OperationStatus.Succeeded, (await GetAsync(done.Id)).Status);
        var reclaimed = await ClaimAsync(OwnerB, max: 10);
        Assert.Equal(3, reclaimed.Count);
        Assert.All(reclaimed.Where(o => o.Id != pending.Id), o => Assert.Equal(2, o.Attempt));
    }
}
