using System.Text.Json;
using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.Store.Tests.Conformance;

public abstract partial class OperationStoreConformanceTests
{
    [Fact]
    public async Task ClaimAsync_NoReadyWork_ReturnsEmpty()
    {
        Assert.Empty(await ClaimAsync());
    }

    [Fact]
    public async Task ClaimAsync_ReadyOperation_TakesLeaseWithFirstAttemptAndEpoch()
    {
        var op = await StartOperationAsync();
        await AdvanceAsync(TimeSpan.FromSeconds(3));
        var now = Clock.GetUtcNow();

        var claimed = await ClaimOneAsync(op.Id);
        var stored = await GetAsync(op.Id);

        foreach (var o in new[] { claimed, stored })
        {
            Assert.Equal(OperationStatus.Running, o.Status);
            Assert.Equal(1, o.Attempt);
            Assert.Equal(1, o.LeaseEpoch);
            Assert.Equal(OwnerA, o.LeaseOwner);
            Assert.Equal(now + Lease, o.LeaseExpiresAt);
            Assert.Equal(now, o.StartedAt);
            Assert.Equal(now, o.UpdatedAt);
            Assert.Null(o.Checkpoint);
        }
        var events = await EventsAsync(op.Id);
        var status = Assert.Single(events);
        Assert.Equal(1, status.Seq);
        Assert.Equal(EventTypes.Status, status.Type);
        Assert.Equal("running", StatusOf(status));
        Assert.Equal(1, stored.LastEventSeq);
    }

    [Fact]
    public async Task ClaimAsync_AlreadyClaimed_IsNotClaimedAgain()
    {
        var op = await StartOperationAsync();
        await ClaimOneAsync(op.Id, OwnerA);

        Assert.Empty(await ClaimAsync(OwnerB));
        Assert.Equal(OwnerA, (await GetAsync(op.Id)).LeaseOwner);
    }

    [Fact]
    public async Task ClaimAsync_SamePriority_ClaimsOldestFirst()
    {
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await StartOperationAsync()).Id);
            await AdvanceAsync(TimeSpan.FromMilliseconds(1));
        }

        var order = new List<string>();
        for (var i = 0; i < 4; i++) order.Add(Assert.Single(await ClaimAsync(max: 1)).Id);

        Assert.Equal(ids, order);
    }

    [Fact]
    public async Task ClaimAsync_BatchSmallerThanReadyWork_TakesTheOldest()
    {
        var older = await StartOperationAsync();
        await AdvanceAsync(TimeSpan.FromMilliseconds(1));
        var newer = await StartOperationAsync();
        await AdvanceAsync(TimeSpan.FromMilliseconds(1));
        var newest = await StartOperationAsync();

        var claimed = await ClaimAsync(max: 2);

        Assert.Equal(new[] { older.Id, newer.Id }.Order(StringComparer.Ordinal), claimed.Select(o => o.Id).Order(StringComparer.Ordinal));
        Assert.Equal(OperationStatus.Pending, (await GetAsync(newest.Id)).Status);
    }

    [Fact]
    public async Task ClaimAsync_HigherPriority_IsClaimedBeforeOlderLowerPriority()
    {
        var low = await StartOperationAsync(priority: 0);
        await AdvanceAsync(TimeSpan.FromMilliseconds(1));
        var high = await StartOperationAsync(priority: 10);
        await AdvanceAsync(TimeSpan.FromMilliseconds(1));
        var middle = await StartOperationAsync(priority: 5);

        var order = new List<string>();
        for (var i = 0; i < 3; i++) order.Add(Assert.Single(await ClaimAsync(max: 1)).Id);

        Assert.Equal([high.Id, middle.Id, low.Id], order);
    }

    [Fact]
    public async Task ClaimAsync_KindsFilter_ClaimsOnlyTheGivenKinds()
    {
        var a = await StartOperationAsync(kind: "alpha");
        var b = await StartOperationAsync(kind: "beta");
        var c = await StartOperationAsync(kind: "gamma");

        var claimed = await ClaimAsync(max: 10, kinds: ["beta", "gamma"]);

        Assert.Equal(new[] { b.Id, c.Id }.Order(StringComparer.Ordinal), claimed.Select(o => o.Id).Order(StringComparer.Ordinal));
        Assert.Equal(OperationStatus.Pending, (await GetAsync(a.Id)).Status);
        Assert.Empty(await ClaimAsync(max: 10, kinds: ["delta"]));
    }

    [Fact]
    public async Task ClaimAsync_MoreReadyThanMax_ClaimsAtMostMax()
    {
        for (var i = 0; i < 5; i++) await StartOperationAsync();

        var first = await ClaimAsync(max: 2);
        var second = await ClaimAsync(max: 2);
        var third = await ClaimAsync(max: 2);

        Assert.Equal(2, first.Count);
        Assert.Equal(2, second.Count);
        Assert.Single(third);
        Assert.Equal(5, first.Concat(second).Concat(third).Select(o => o.Id).Distinct().Count());
    }

    [Fact]
    public async Task ClaimAsync_AfterLeaseExpiredAndReaped_IncrementsAttemptAndEpochAndReturnsCheckpoint()
    {
        var first = await CreateRunningAsync(owner: OwnerA);
        Assert.True(await Store.RecordAsync(new RecordParams(LeaseOf(first), null, null, Json("""{"step":3}""")), Ct));
        await AdvanceAsync(Lease + TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await Store.ReapAsync(new ReapParams(), Ct)).Requeued);

        var second = await ClaimOneAsync(first.Id, OwnerB);

        Assert.Equal(2, second.Attempt);
        Assert.Equal(first.LeaseEpoch + 1, second.LeaseEpoch);
        Assert.Equal(OwnerB, second.LeaseOwner);
        Assert.Equal(first.StartedAt, second.StartedAt);
        Assert.True(second.Checkpoint is { } c && JsonElement.DeepEquals(Json("""{"step":3}"""), c));
    }
}
