using System.Text.Json;
using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.Store.Tests.Conformance;

public abstract partial class OperationStoreConformanceTests
{
    private static readonly OperationError TransientError = new() { Code = "transient", Message = "try again" };

    /// <summary>Owner A's lease expired, the reaper requeued, owner B claimed with a higher epoch and wrote progress.</summary>
    private async Task<(Operation Stale, Operation Current)> ReclaimedByAnotherOwnerAsync()
    {
        var stale = await CreateRunningAsync(owner: OwnerA);
        Assert.True(await Store.RecordAsync(new RecordParams(LeaseOf(stale), new ProgressInfo { Percent = 10 }, null, Json("""{"step":1}""")), Ct));
        await AdvanceAsync(Lease + TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await Store.ReapAsync(new ReapParams(), Ct)).Requeued);
        var current = await ClaimOneAsync(stale.Id, OwnerB);
        Assert.True(current.LeaseEpoch > stale.LeaseEpoch);
        Assert.True(await Store.RecordAsync(new RecordParams(LeaseOf(current), new ProgressInfo { Percent = 20 }, null, Json("""{"step":2}""")), Ct));
        // Time moves on so that a write wrongly let through would change updated_at or the lease expiry.
        await AdvanceAsync(TimeSpan.FromSeconds(1));
        return (stale, current);
    }

    [Theory]
    [InlineData("record")]
    [InlineData("output")]
    [InlineData("warning")]
    [InlineData("complete_succeeded")]
    [InlineData("complete_failed")]
    [InlineData("complete_cancelled")]
    [InlineData("retry")]
    [InlineData("hand_back")]
    [InlineData("heartbeat")]
    public async Task WorkerWrite_StaleEpochAfterReclaim_IsRefusedAndChangesNothing(string write)
    {
        var (stale, _) = await ReclaimedByAnotherOwnerAsync();
        var lease = LeaseOf(stale);
        var before = await SnapshotAsync(stale.Id);

        var accepted = write switch
        {
            "record" => await Store.RecordAsync(new RecordParams(lease, new ProgressInfo { Percent = 99 }, Clock.GetUtcNow(), Json("""{"step":99}""")), Ct),
            "output" => await Store.AppendOutputAsync(new OutputParams(lease, Json("""{"token":"zombie"}""")), Ct),
            "warning" => await Store.AppendWarningAsync(new WarningParams(lease, Json("""{"code":"deadline_approaching"}""")), Ct),
            "complete_succeeded" => await Store.CompleteAsync(new CompleteParams(lease, OperationStatus.Succeeded, Json("""{"zombie":true}"""), null), Ct),
            "complete_failed" => await Store.CompleteAsync(new CompleteParams(lease, OperationStatus.Failed, null, TransientError), Ct),
            "complete_cancelled" => await Store.CompleteAsync(new CompleteParams(lease, OperationStatus.Cancelled, null, TransientError), Ct),
            "retry" => await Store.RetryAsync(new RetryParams(lease, TransientError, TimeSpan.FromSeconds(5)), Ct),
            "hand_back" => await Store.HandBackAsync(new HandBackParams(lease), Ct),
            "heartbeat" => await HeartbeatAcceptedAsync(lease),
            _ => throw new ArgumentOutOfRangeException(nameof(write)),
        };

        Assert.False(accepted);
        Assert.Equal(before, await SnapshotAsync(stale.Id));
    }

    private async Task<bool> HeartbeatAcceptedAsync(LeaseRef lease)
    {
        var result = await Store.HeartbeatAsync(new HeartbeatParams(OwnerA, [lease], Lease), Ct);
        Assert.Empty(result.CancelRequested);
        return !result.Lost.Contains(lease.Id);
    }

    [Fact]
    public async Task WorkerWrites_CurrentEpochAfterStaleOnesWereRefused_AreAccepted()
    {
        var (stale, current) = await ReclaimedByAnotherOwnerAsync();
        Assert.False(await Store.CompleteAsync(new CompleteParams(LeaseOf(stale), OperationStatus.Succeeded, Json("""{"zombie":true}"""), null), Ct));

        var heartbeat = await Store.HeartbeatAsync(new HeartbeatParams(OwnerB, [LeaseOf(current)], Lease), Ct);
        var completed = await Store.CompleteAsync(new CompleteParams(LeaseOf(current), OperationStatus.Succeeded, Json("""{"by":"b"}"""), null), Ct);

        Assert.Empty(heartbeat.Lost);
        Assert.True(completed);
        var op = await GetAsync(stale.Id);
        Assert.Equal(OperationStatus.Succeeded, op.Status);
        Assert.True(op.Result is { } r && JsonElement.DeepEquals(Json("""{"by":"b"}"""), r));
        Assert.True(op.Checkpoint is { } c && JsonElement.DeepEquals(Json("""{"step":2}"""), c));
        Assert.Equal(20, op.Progress?.Percent);
    }

    [Fact]
    public async Task WorkerWrites_AfterOperationFinished_AreRefused()
    {
        var running = await CreateRunningAsync();
        Assert.True(await Store.CompleteAsync(new CompleteParams(LeaseOf(running), OperationStatus.Succeeded, Json("1"), null), Ct));
        await AdvanceAsync(TimeSpan.FromSeconds(1));
        var before = await SnapshotAsync(running.Id);

        Assert.False(await Store.CompleteAsync(new CompleteParams(LeaseOf(running), OperationStatus.Failed, null, TransientError), Ct));
        Assert.False(await Store.RecordAsync(new RecordParams(LeaseOf(running), new ProgressInfo { Percent = 50 }, null, null), Ct));
        Assert.False(await Store.AppendOutputAsync(new OutputParams(LeaseOf(running), Json("\"late\"")), Ct));
        Assert.False(await Store.RetryAsync(new RetryParams(LeaseOf(running), TransientError, TimeSpan.Zero), Ct));
        Assert.False(await Store.HandBackAsync(new HandBackParams(LeaseOf(running)), Ct));
        Assert.Contains(running.Id, (await Store.HeartbeatAsync(new HeartbeatParams(OwnerA, [LeaseOf(running)], Lease), Ct)).Lost);

        Assert.Equal(before, await SnapshotAsync(running.Id));
    }

    [Fact]
    public async Task HeartbeatAsync_BeforeLeaseExpires_ExtendsLeaseSoReapRequeuesNothing()
    {
        var running = await CreateRunningAsync();
        await AdvanceAsync(TimeSpan.FromSeconds(20));

        var heartbeat = await Store.HeartbeatAsync(new HeartbeatParams(OwnerA, [LeaseOf(running)], Lease), Ct);
        var renewedUntil = (await GetAsync(running.Id)).LeaseExpiresAt;
        await AdvanceAsync(TimeSpan.FromSeconds(20));
        var reapWithinRenewedLease = await Store.ReapAsync(new ReapParams(), Ct);
        var stillRunning = await GetAsync(running.Id);
        await AdvanceAsync(TimeSpan.FromSeconds(11));
        var reapAfterRenewedLease = await Store.ReapAsync(new ReapParams(), Ct);

        Assert.Empty(heartbeat.Lost);
        Assert.Empty(heartbeat.CancelRequested);
        Assert.Equal(running.LeaseExpiresAt + TimeSpan.FromSeconds(20), renewedUntil);
        Assert.Equal(new ReapResult(0, 0), reapWithinRenewedLease);
        Assert.Equal(OperationStatus.Running, stillRunning.Status);
        Assert.Equal(running.LeaseEpoch, stillRunning.LeaseEpoch);
        Assert.Equal(1, reapAfterRenewedLease.Requeued);
        Assert.Equal(OperationStatus.Pending, (await GetAsync(running.Id)).Status);
    }

    [Fact]
    public async Task HeartbeatAsync_SeveralLeases_ReportsOnlyTheStaleOneAsLost()
    {
        var kept = await CreateRunningAsync();
        var lost = await CreateRunningAsync();
        Assert.True(await Store.HandBackAsync(new HandBackParams(LeaseOf(lost)), Ct));

        var result = await Store.HeartbeatAsync(new HeartbeatParams(OwnerA, [LeaseOf(kept), LeaseOf(lost)], Lease), Ct);

        Assert.Equal([lost.Id], result.Lost);
        Assert.Empty(result.CancelRequested);
    }

    [Fact]
    public async Task HeartbeatAsync_CancelRequested_ReportsTheOperationAndStillRenews()
    {
        var cancelled = await CreateRunningAsync();
        var other = await CreateRunningAsync();
        Assert.Equal(CancelOutcome.Requested, (await Store.CancelAsync(new CancelParams(Tenant, cancelled.Id), Ct)).Outcome);
        await AdvanceAsync(TimeSpan.FromSeconds(10));

        var result = await Store.HeartbeatAsync(new HeartbeatParams(OwnerA, [LeaseOf(cancelled), LeaseOf(other)], Lease), Ct);

        Assert.Equal([cancelled.Id], result.CancelRequested);
        Assert.Empty(result.Lost);
        Assert.Equal(Clock.GetUtcNow() + Lease, (await GetAsync(cancelled.Id)).LeaseExpiresAt);
    }
}
