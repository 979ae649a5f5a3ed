using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.Store.Tests.Conformance;

/// <summary>The store's part of the admission limits (issue 19): the pending limit at start, the event limit, usage.</summary>
public abstract partial class OperationStoreConformanceTests
{
    [Fact]
    public async Task Start_AtMaxPending_PendingLimitReachedAndNothingStored_OtherTenantAndReplaysUnaffected()
    {
        var tenant = $"pending-{Guid.NewGuid():N}";
        var other = $"pending-{Guid.NewGuid():N}";
        var key = new IdempotencyClaim("k1", "hash-1", TimeSpan.FromHours(1), null);
        var first = await Store.StartAsync(new StartParams(NewOp(tenant), key) { MaxPending = 2 }, Ct);
        var second = await Store.StartAsync(new StartParams(NewOp(tenant), null) { MaxPending = 2 }, Ct);
        Assert.Equal(StartOutcome.Started, first.Outcome);
        Assert.Equal(StartOutcome.Started, second.Outcome);

        var refusedOp = NewOp(tenant);
        var refused = await Store.StartAsync(new StartParams(refusedOp, new IdempotencyClaim("k2", "hash-2", TimeSpan.FromHours(1), null)) { MaxPending = 2 }, Ct);
        var replay = await Store.StartAsync(new StartParams(NewOp(tenant), key) { MaxPending = 2 }, Ct);
        var elsewhere = await Store.StartAsync(new StartParams(NewOp(other), null) { MaxPending = 2 }, Ct);

        Assert.Equal(StartOutcome.PendingLimitReached, refused.Outcome);
        Assert.Null(refused.Operation);
        Assert.Null(await Store.GetAsync(new GetParams(null, refusedOp.Id), Ct));
        Assert.Equal(StartOutcome.Replayed, replay.Outcome);
        Assert.Equal(first.Operation!.Id, replay.Operation!.Id);
        Assert.Equal(StartOutcome.Started, elsewhere.Outcome);
        Assert.Equal(2, (await Store.GetStorageUsageAsync(new StorageUsageParams(tenant), Ct)).Pending);

        // The refused key was not recorded: once a pending operation is claimed, the same key starts one.
        var running = await Store.ClaimAsync(new ClaimParams(OwnerA, [Kind], 1, Lease, tenant), Ct);
        Assert.Single(running);
        var retried = await Store.StartAsync(new StartParams(NewOp(tenant), new IdempotencyClaim("k2", "hash-2", TimeSpan.FromHours(1), null)) { MaxPending = 2 }, Ct);
        Assert.Equal(StartOutcome.Started, retried.Outcome);
    }

    [Fact]
    public async Task FencedEvents_PastMaxEvents_OperationFailsWithEventLimitExceeded_FinalEventsWritten()
    {
        var op = await StartOperationAsync(NewOp(priority: 1_000), maxEvents: 4);
        var running = await ClaimOneAsync(op.Id);
        // The claim's status event is the first; three more fit.
        Assert.True(await Store.AppendOutputAsync(new OutputParams(LeaseOf(running), Json("\"a\"")), Ct));
        Assert.True(await Store.RecordAsync(new RecordParams(LeaseOf(running), new ProgressInfo { Percent = 10 }, null, null), Ct));
        Assert.True(await Store.RecordAsync(new RecordParams(LeaseOf(running), null, null, Json("""{"at":1}""")), Ct));
        Assert.True(await Store.AppendOutputAsync(new OutputParams(LeaseOf(running), Json("\"b\"")), Ct));

        Assert.False(await Store.AppendOutputAsync(new OutputParams(LeaseOf(running), Json("\"c\"")), Ct));

        var failed = await GetAsync(op.Id);
        Assert.Equal(OperationStatus.Failed, failed.Status);
        Assert.Equal(OperationErrors.EventLimitExceededCode, failed.Error!.Code);
        var events = await EventsAsync(op.Id);
        Assert.Equal(6, events.Count);
        Assert.DoesNotContain(events, e => e.Type == EventTypes.Output && e.Data?.GetString() == "c");
        AssertEndsWithStatusThenDone(events, OperationStatus.Failed);
        // The lease is gone: later writes change nothing.
        Assert.False(await Store.RecordAsync(new RecordParams(LeaseOf(running), new ProgressInfo { Percent = 20 }, null, null), Ct));
        Assert.Equal(6, (await EventsAsync(op.Id)).Count);
    }

    [Fact]
    public async Task FencedEvents_ConcurrentWritesOfManyOperationsPastMaxEvents_EachFailsWithOneOutputKept()
    {
        // Concurrent writes of several operations share group commits (PostgreSQL's set statements): the limit holds there too.
        var running = new List<Operation>();
        for (var i = 0; i < 5; i++) running.Add(await ClaimOneAsync((await StartOperationAsync(NewOp(priority: 1_000), maxEvents: 2)).Id));

        var writes = running.SelectMany(op => Enumerable.Range(0, 3).Select(n => Store.AppendOutputAsync(new OutputParams(LeaseOf(op), Json($"{n}")), Ct))).ToList();
        var written = await Task.WhenAll(writes);

        Assert.Equal(5, written.Count(w => w));
        foreach (var op in running)
        {
            var failed = await GetAsync(op.Id);
            Assert.Equal(OperationStatus.Failed, failed.Status);
            Assert.Equal(OperationErrors.EventLimitExceededCode, failed.Error!.Code);
            var events = await EventsAsync(op.Id);
            Assert.Single(events, e => e.Type == EventTypes.Output);
            AssertEndsWithStatusThenDone(events, OperationStatus.Failed);
            Assert.Equal(4, events.Count);
        }
    }

    [Fact]
    public async Task FencedEvents_LostLeaseWithRoomLeft_OnlyRefused_OperationUnchanged()
    {
        var op = await StartOperationAsync(NewOp(priority: 1_000), maxEvents: 2);
        var running = await ClaimOneAsync(op.Id);
        var stale = LeaseOf(running) with { Epoch = running.LeaseEpoch - 1 };

        Assert.False(await Store.AppendOutputAsync(new OutputParams(stale, Json("\"a\"")), Ct));
        Assert.Equal(OperationStatus.Running, (await GetAsync(op.Id)).Status);
        Assert.True(await Store.AppendOutputAsync(new OutputParams(LeaseOf(running), Json("\"b\"")), Ct));
        Assert.True(await Store.CompleteAsync(new CompleteParams(LeaseOf(running), OperationStatus.Succeeded, Json("1"), null), Ct));
        Assert.Equal(OperationStatus.Succeeded, (await GetAsync(op.Id)).Status);
    }

    [Fact]
    public async Task StorageUsage_CountsUploadsByDeclaredLengthAndUnfinishedOperations()
    {
        var tenant = $"usage-{Guid.NewGuid():N}";
        await Store.CreateUploadAsync(new CreateUploadParams("up_" + Guid.NewGuid().ToString("N"), tenant, 100, null, TimeSpan.FromHours(1), TimeSpan.FromDays(1)), Ct);
        await Store.CreateUploadAsync(new CreateUploadParams("up_" + Guid.NewGuid().ToString("N"), tenant, 50, null, TimeSpan.FromHours(1), TimeSpan.FromDays(1)), Ct);
        await Store.CreateUploadAsync(new CreateUploadParams("up_" + Guid.NewGuid().ToString("N"), OtherTenant, 7, null, TimeSpan.FromHours(1), TimeSpan.FromDays(1)), Ct);
        await StartOperationAsync(tenant: tenant);
        await CreateRunningAsync(tenant: tenant);

        var usage = await Store.GetStorageUsageAsync(new StorageUsageParams(tenant), Ct);

        Assert.Equal(2, usage.Uploads);
        Assert.Equal(150, usage.UploadBytes);
        Assert.Equal(150, usage.StoredBytes);
        Assert.Equal(1, usage.Pending);
        Assert.Equal(1, usage.Running);
    }

    private async Task<Operation> StartOperationAsync(OperationToStart op, int maxEvents)
    {
        var created = await Store.StartAsync(new StartParams(op, null) { MaxEvents = maxEvents }, Ct);
        Assert.Equal(StartOutcome.Started, created.Outcome);
        return created.Operation!;
    }
}
