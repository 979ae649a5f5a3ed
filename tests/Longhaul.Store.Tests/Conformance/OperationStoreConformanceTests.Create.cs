using System.Text.Json;
using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.Store.Tests.Conformance;

public abstract partial class OperationStoreConformanceTests
{
    [Fact]
    public async Task MigrateAsync_CalledAgain_IsHarmlessAndStoreAnswersPing()
    {
        var op = await StartOperationAsync();

        await Store.MigrateAsync(Ct);

        Assert.True(await Store.PingAsync(Ct));
        Assert.Equal(op.Id, (await GetAsync(op.Id)).Id);
    }

    [Fact]
    public async Task StartAsync_WithTraceParent_ReadAndClaimReturnIt()
    {
        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        var input = NewOp() with { TraceParent = traceParent };

        var created = await StartOperationAsync(input);

        Assert.Equal(traceParent, created.TraceParent);
        Assert.Equal(traceParent, (await GetAsync(input.Id)).TraceParent);
        Assert.Equal(traceParent, (await ClaimOneAsync(input.Id)).TraceParent);
        var plain = await StartOperationAsync();
        Assert.Null((await GetAsync(plain.Id)).TraceParent);
    }

    [Fact]
    public async Task CountQueueAsync_PendingRunningAndFinished_CountsUnfinishedByKindAndStatus()
    {
        var first = await StartOperationAsync();
        var readyAt = Clock.GetUtcNow();
        await StartOperationAsync();
        await StartOperationAsync();
        await ClaimOneAsync(first.Id);

        var counts = await Store.CountQueueAsync(Ct);

        var pending = Assert.Single(counts, c => c.Kind == Kind && c.Status == OperationStatus.Pending);
        Assert.Equal(2, pending.Count);
        Assert.Equal(readyAt, pending.OldestReadyAt);
        var running = Assert.Single(counts, c => c.Kind == Kind && c.Status == OperationStatus.Running);
        Assert.Equal(1, running.Count);
        Assert.Null(running.OldestReadyAt);
        Assert.DoesNotContain(counts, c => c.Status is not (OperationStatus.Pending or OperationStatus.Running));
    }

    [Fact]
    public async Task StartAsync_NewOperation_StoresPendingOperationStampedWithStoreClock()
    {
        var now = Clock.GetUtcNow();
        var input = NewOp(priority: 5, maxAttempts: 4, input: """{"n":7,"s":"x"}""", metadata: """{"m":"v"}""");

        var created = await StartOperationAsync(input);
        var read = await GetAsync(input.Id);

        foreach (var op in new[] { created, read })
        {
            Assert.Equal(input.Id, op.Id);
            Assert.Equal(Tenant, op.Tenant);
            Assert.Equal(Kind, op.Kind);
            Assert.Equal(OperationStatus.Pending, op.Status);
            Assert.False(op.Done);
            Assert.Equal(0, op.Attempt);
            Assert.Equal(4, op.MaxAttempts);
            Assert.Equal(5, op.Priority);
            Assert.Equal(now, op.CreatedAt);
            Assert.Equal(now, op.UpdatedAt);
            Assert.Equal(now, op.RunAfter);
            Assert.Null(op.StartedAt);
            Assert.Null(op.FinishedAt);
            Assert.Null(op.DeadlineAt);
            Assert.Null(op.LeaseOwner);
            Assert.False(op.CancelRequested);
            Assert.True(JsonElement.DeepEquals(input.Input, op.Input));
            Assert.True(op.Metadata is { } m && JsonElement.DeepEquals(input.Metadata!.Value, m));
        }
        Assert.Equal(0, read.LastEventSeq);
        Assert.Empty(await EventsAsync(input.Id));
    }

    [Fact]
    public async Task StartAsync_WithTimeout_SetsDeadlineFromStoreClock()
    {
        var now = Clock.GetUtcNow();

        var op = await StartOperationAsync(timeoutSeconds: 90);

        Assert.Equal(90, (await GetAsync(op.Id)).TimeoutSeconds);
        Assert.Equal(now + TimeSpan.FromSeconds(90), (await GetAsync(op.Id)).DeadlineAt);
    }

    [Fact]
    public async Task GetAsync_UnknownId_ReturnsNull()
    {
        await StartOperationAsync();

        Assert.Null(await Store.GetAsync(new GetParams(Tenant, OperationIds.New(Clock)), Ct));
        Assert.Null(await Store.GetAsync(new GetParams(null, OperationIds.New(Clock)), Ct));
    }

    [Fact]
    public async Task GetAsync_OtherTenant_ReturnsNullWhileOwnerAndEngineSeeIt()
    {
        var op = await StartOperationAsync();

        Assert.Null(await Store.GetAsync(new GetParams(OtherTenant, op.Id), Ct));
        Assert.Equal(op.Id, (await Store.GetAsync(new GetParams(Tenant, op.Id), Ct))?.Id);
        Assert.Equal(op.Id, (await Store.GetAsync(new GetParams(null, op.Id), Ct))?.Id);
    }

    [Fact]
    public async Task CancelAsync_OtherTenant_ReturnsNotFoundAndLeavesOperation()
    {
        var op = await StartOperationAsync();

        var result = await Store.CancelAsync(new CancelParams(OtherTenant, op.Id), Ct);

        Assert.Equal(CancelOutcome.NotFound, result.Outcome);
        Assert.Null(result.Operation);
        var after = await GetAsync(op.Id);
        Assert.Equal(OperationStatus.Pending, after.Status);
        Assert.False(after.CancelRequested);
        Assert.Empty(await EventsAsync(op.Id));
    }

    [Fact]
    public async Task DeleteAsync_OtherTenant_ReturnsNotFoundAndKeepsOperation()
    {
        var op = await CreateSucceededAsync();

        Assert.Equal(DeleteOutcome.NotFound, await Store.DeleteAsync(new DeleteParams(OtherTenant, op.Id), Ct));

        Assert.Equal(OperationStatus.Succeeded, (await GetAsync(op.Id)).Status);
        Assert.NotEmpty(await EventsAsync(op.Id));
    }

    [Fact]
    public async Task StartAsync_NewIdempotencyKey_ReturnsCreated()
    {
        var op = NewOp();

        var result = await Store.StartAsync(new StartParams(op, new IdempotencyClaim("key-1", "hash-1", TimeSpan.FromHours(24), null)), Ct);

        Assert.Equal(StartOutcome.Started, result.Outcome);
        Assert.Equal(op.Id, result.Operation?.Id);
    }

    [Fact]
    public async Task StartAsync_SameKeySameHash_ReplaysTheSameOperationWithoutCreatingAnother()
    {
        var key = new IdempotencyClaim("key-1", "hash-1", TimeSpan.FromHours(24), null);
        var first = await StartOperationAsync(NewOp(), key);
        await AdvanceAsync(TimeSpan.FromMinutes(5));

        var again = await Store.StartAsync(new StartParams(NewOp(), key), Ct);

        Assert.Equal(StartOutcome.Replayed, again.Outcome);
        Assert.Equal(first.Id, again.Operation?.Id);
        Assert.Equal(first.CreatedAt, again.Operation?.CreatedAt);
        Assert.Single((await Store.ListAsync(new ListParams(Tenant, null, null, 10, null), Ct)).Operations);
    }

    [Fact]
    public async Task StartAsync_ReplayAfterProgress_ReturnsCurrentState()
    {
        var key = new IdempotencyClaim("key-1", "hash-1", TimeSpan.FromHours(24), null);
        var first = await StartOperationAsync(NewOp(), key);
        await ClaimOneAsync(first.Id);

        var again = await Store.StartAsync(new StartParams(NewOp(), key), Ct);

        Assert.Equal(StartOutcome.Replayed, again.Outcome);
        Assert.Equal(OperationStatus.Running, again.Operation?.Status);
    }

    [Fact]
    public async Task StartAsync_SameKeyDifferentHash_ReturnsKeyReusedAndCreatesNothing()
    {
        await StartOperationAsync(NewOp(), new IdempotencyClaim("key-1", "hash-1", TimeSpan.FromHours(24), null));
        var second = NewOp();

        var result = await Store.StartAsync(new StartParams(second, new IdempotencyClaim("key-1", "hash-2", TimeSpan.FromHours(24), null)), Ct);

        Assert.Equal(StartOutcome.KeyReused, result.Outcome);
        Assert.Null(result.Operation);
        Assert.Null(await Store.GetAsync(new GetParams(null, second.Id), Ct));
    }

    [Fact]
    public async Task StartAsync_KeyHeldInFlight_ReturnsKeyInFlightUntilReleasedThenReplays()
    {
        var key = new IdempotencyClaim("key-1", "hash-1", TimeSpan.FromHours(24), TimeSpan.FromMinutes(1));
        var first = await StartOperationAsync(NewOp(), key);
        var retryKey = key with { HoldFor = null };

        var whileHeld = await Store.StartAsync(new StartParams(NewOp(), retryKey), Ct);
        await AdvanceAsync(TimeSpan.FromSeconds(30));
        var stillHeld = await Store.StartAsync(new StartParams(NewOp(), retryKey), Ct);
        await Store.ReleaseIdempotencyKeyAsync(new ReleaseIdempotencyParams(Tenant, "key-1"), Ct);
        var released = await Store.StartAsync(new StartParams(NewOp(), retryKey), Ct);

        Assert.Equal(StartOutcome.KeyInFlight, whileHeld.Outcome);
        Assert.Null(whileHeld.Operation);
        Assert.Equal(StartOutcome.KeyInFlight, stillHeld.Outcome);
        Assert.Equal(StartOutcome.Replayed, released.Outcome);
        Assert.Equal(first.Id, released.Operation?.Id);
    }

    [Fact]
    public async Task StartAsync_KeyHoldElapsed_ReplaysWithoutRelease()
    {
        var key = new IdempotencyClaim("key-1", "hash-1", TimeSpan.FromHours(24), TimeSpan.FromMinutes(1));
        var first = await StartOperationAsync(NewOp(), key);
        await AdvanceAsync(TimeSpan.FromMinutes(1) + TimeSpan.FromMilliseconds(1));

        var result = await Store.StartAsync(new StartParams(NewOp(), key with { HoldFor = null }), Ct);

        Assert.Equal(StartOutcome.Replayed, result.Outcome);
        Assert.Equal(first.Id, result.Operation?.Id);
    }

    [Fact]
    public async Task StartAsync_KeyPastRetention_IsForgottenAndCreatesANewOperation()
    {
        var key = new IdempotencyClaim("key-1", "hash-1", TimeSpan.FromHours(1), null);
        var first = await StartOperationAsync(NewOp(), key);
        await AdvanceAsync(TimeSpan.FromMinutes(59));
        var withinRetention = await Store.StartAsync(new StartParams(NewOp(), key), Ct);
        await AdvanceAsync(TimeSpan.FromMinutes(1));
        var second = NewOp();

        var afterRetention = await Store.StartAsync(new StartParams(second, key with { RequestHash = "hash-2" }), Ct);

        Assert.Equal(StartOutcome.Replayed, withinRetention.Outcome);
        Assert.Equal(StartOutcome.Started, afterRetention.Outcome);
        Assert.Equal(second.Id, afterRetention.Operation?.Id);
        Assert.NotEqual(first.Id, second.Id);
        var again = await Store.StartAsync(new StartParams(NewOp(), key with { RequestHash = "hash-2" }), Ct);
        Assert.Equal(StartOutcome.Replayed, again.Outcome);
        Assert.Equal(second.Id, again.Operation?.Id);
    }

    [Fact]
    public async Task StartAsync_SameKeyOtherTenant_CreatesSeparateOperation()
    {
        var key = new IdempotencyClaim("key-1", "hash-1", TimeSpan.FromHours(24), null);
        var mine = await StartOperationAsync(NewOp(), key);
        var theirs = NewOp(tenant: OtherTenant);

        var result = await Store.StartAsync(new StartParams(theirs, key with { RequestHash = "other-hash" }), Ct);

        Assert.Equal(StartOutcome.Started, result.Outcome);
        Assert.Equal(theirs.Id, result.Operation?.Id);
        Assert.NotEqual(mine.Id, theirs.Id);
    }
}
