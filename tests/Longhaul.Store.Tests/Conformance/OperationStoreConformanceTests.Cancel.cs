using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.Store.Tests.Conformance;

public abstract partial class OperationStoreConformanceTests
{
    [Fact]
    public async Task CancelAsync_UnknownId_ReturnsNotFound()
    {
        var result = await Store.CancelAsync(new CancelParams(Tenant, OperationIds.New(Clock)), Ct);

        Assert.Equal(CancelOutcome.NotFound, result.Outcome);
        Assert.Null(result.Operation);
    }

    [Fact]
    public async Task CancelAsync_Pending_CancelsAtOnceWithStatusAndDoneEvents()
    {
        var op = await StartOperationAsync();
        await AdvanceAsync(TimeSpan.FromSeconds(1));

        var result = await Store.CancelAsync(new CancelParams(Tenant, op.Id), Ct);

        Assert.Equal(CancelOutcome.Cancelled, result.Outcome);
        Assert.Equal(OperationStatus.Cancelled, result.Operation?.Status);
        var stored = await GetAsync(op.Id);
        Assert.Equal(OperationStatus.Cancelled, stored.Status);
        Assert.Equal("cancelled", stored.Error?.Code);
        Assert.Equal(Clock.GetUtcNow(), stored.FinishedAt);
        var events = await EventsAsync(op.Id);
        Assert.Equal([EventTypes.Status, EventTypes.Done], events.Select(e => e.Type));
        AssertGapFree(events);
        AssertEndsWithStatusThenDone(events, OperationStatus.Cancelled);
        Assert.Empty(await ClaimAsync());
    }

    [Fact]
    public async Task CancelAsync_Running_RequestsCancellationAndLeavesItRunning()
    {
        var running = await CreateRunningAsync();

        var result = await Store.CancelAsync(new CancelParams(Tenant, running.Id), Ct);

        Assert.Equal(CancelOutcome.Requested, result.Outcome);
        Assert.True(result.Operation?.CancelRequested);
        Assert.Equal(OperationStatus.Running, result.Operation?.Status);
        var stored = await GetAsync(running.Id);
        Assert.True(stored.CancelRequested);
        Assert.Equal(OperationStatus.Running, stored.Status);
        Assert.Equal(running.LeaseEpoch, stored.LeaseEpoch);
        Assert.True(await Store.CompleteAsync(new CompleteParams(LeaseOf(running), OperationStatus.Cancelled, null, new OperationError { Code = "cancelled", Message = "stopped" }), Ct));
        Assert.Equal(OperationStatus.Cancelled, (await GetAsync(running.Id)).Status);
    }

    [Fact]
    public async Task CancelAsync_RunningTwice_IsIdempotent()
    {
        var running = await CreateRunningAsync();
        await Store.CancelAsync(new CancelParams(Tenant, running.Id), Ct);
        var before = await SnapshotAsync(running.Id);

        var second = await Store.CancelAsync(new CancelParams(Tenant, running.Id), Ct);

        Assert.Equal(CancelOutcome.Requested, second.Outcome);
        Assert.True(second.Operation?.CancelRequested);
        Assert.Equal(before, await SnapshotAsync(running.Id));
    }

    [Fact]
    public async Task CancelAsync_Finished_ReturnsAlreadyTerminalAndChangesNothing()
    {
        var done = await CreateSucceededAsync();
        var before = await SnapshotAsync(done.Id);

        var result = await Store.CancelAsync(new CancelParams(Tenant, done.Id), Ct);

        Assert.Equal(CancelOutcome.AlreadyTerminal, result.Outcome);
        Assert.Equal(OperationStatus.Succeeded, result.Operation?.Status);
        Assert.Equal(before, await SnapshotAsync(done.Id));
    }

    [Fact]
    public async Task DeleteAsync_UnknownId_ReturnsNotFound()
    {
        Assert.Equal(DeleteOutcome.NotFound, await Store.DeleteAsync(new DeleteParams(Tenant, OperationIds.New(Clock)), Ct));
    }

    [Fact]
    public async Task DeleteAsync_NotFinished_ReturnsNotTerminalAndKeepsIt()
    {
        var pending = await StartOperationAsync();
        var running = await CreateRunningAsync();

        Assert.Equal(DeleteOutcome.NotTerminal, await Store.DeleteAsync(new DeleteParams(Tenant, pending.Id), Ct));
        Assert.Equal(DeleteOutcome.NotTerminal, await Store.DeleteAsync(new DeleteParams(Tenant, running.Id), Ct));

        Assert.Equal(OperationStatus.Pending, (await GetAsync(pending.Id)).Status);
        Assert.Equal(OperationStatus.Running, (await GetAsync(running.Id)).Status);
        Assert.NotEmpty(await EventsAsync(running.Id));
    }

    [Fact]
    public async Task DeleteAsync_Finished_ForgetsOperationEventsAndIdempotencyKey()
    {
        var key = new IdempotencyClaim("key-1", "hash-1", TimeSpan.FromHours(24), null);
        var done = await CreateSucceededAsync(key: key);
        Assert.NotEmpty(await EventsAsync(done.Id));

        var outcome = await Store.DeleteAsync(new DeleteParams(Tenant, done.Id), Ct);

        Assert.Equal(DeleteOutcome.Deleted, outcome);
        Assert.Null(await Store.GetAsync(new GetParams(null, done.Id), Ct));
        Assert.Empty(await EventsAsync(done.Id));
        Assert.Equal(DeleteOutcome.NotFound, await Store.DeleteAsync(new DeleteParams(Tenant, done.Id), Ct));
        var fresh = NewOp();
        var reused = await Store.StartAsync(new StartParams(fresh, key with { RequestHash = "hash-2" }), Ct);
        Assert.Equal(StartOutcome.Started, reused.Outcome);
        Assert.Equal(fresh.Id, reused.Operation?.Id);
    }

    [Fact]
    public async Task PruneAsync_Retention_DeletesOnlyFinishedOperationsOlderThanIt()
    {
        var old = await CreateSucceededAsync();
        var pending = await StartOperationAsync();
        var running = await CreateRunningAsync();
        await AdvanceAsync(TimeSpan.FromHours(1));
        var young = await CreateSucceededAsync();
        await AdvanceAsync(TimeSpan.FromMinutes(1));

        var pruned = await Store.PruneAsync(new PruneParams(TimeSpan.FromMinutes(30), 100), Ct);

        Assert.Equal(1, pruned);
        Assert.Null(await Store.GetAsync(new GetParams(null, old.Id), Ct));
        Assert.Empty(await EventsAsync(old.Id));
        Assert.Equal(OperationStatus.Succeeded, (await GetAsync(young.Id)).Status);
        Assert.Equal(OperationStatus.Pending, (await GetAsync(pending.Id)).Status);
        Assert.Equal(OperationStatus.Running, (await GetAsync(running.Id)).Status);

        await AdvanceAsync(TimeSpan.FromDays(30));
        Assert.Equal(1, await Store.PruneAsync(new PruneParams(TimeSpan.FromMinutes(30), 100), Ct));
        Assert.Null(await Store.GetAsync(new GetParams(null, young.Id), Ct));
        Assert.NotNull(await Store.GetAsync(new GetParams(null, pending.Id), Ct));
        Assert.NotNull(await Store.GetAsync(new GetParams(null, running.Id), Ct));
    }

    [Fact]
    public async Task PruneAsync_MoreVictimsThanBatch_DeletesAtMostBatchSize()
    {
        for (var i = 0; i < 3; i++) await CreateSucceededAsync();
        await AdvanceAsync(TimeSpan.FromDays(1));

        var first = await Store.PruneAsync(new PruneParams(TimeSpan.FromHours(1), 2), Ct);
        var second = await Store.PruneAsync(new PruneParams(TimeSpan.FromHours(1), 2), Ct);

        Assert.Equal(2, first);
        Assert.Equal(1, second);
        Assert.Empty((await Store.ListAsync(new ListParams(Tenant, null, null, 10, null), Ct)).Operations);
    }
}
