using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.Store.Tests.Conformance;

public abstract partial class OperationStoreConformanceTests
{
    /// <summary>Creates operations of alternating kinds, one millisecond apart; returns their ids oldest first.</summary>
    private async Task<List<string>> CreateSeriesAsync(int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await StartOperationAsync(kind: i % 2 == 0 ? "even" : "odd")).Id);
            await AdvanceAsync(TimeSpan.FromMilliseconds(1));
        }
        return ids;
    }

    [Fact]
    public async Task ListAsync_NoFilter_ReturnsNewestFirstOnlyForTheTenant()
    {
        var ids = await CreateSeriesAsync(3);
        await StartOperationAsync(tenant: OtherTenant);

        var page = await Store.ListAsync(new ListParams(Tenant, null, null, 10, null), Ct);

        Assert.Equal(Enumerable.Reverse(ids), page.Operations.Select(o => o.Id));
        Assert.Null(page.NextCursor);
        Assert.Single((await Store.ListAsync(new ListParams(OtherTenant, null, null, 10, null), Ct)).Operations);
        Assert.Empty((await Store.ListAsync(new ListParams("tenant-nobody", null, null, 10, null), Ct)).Operations);
    }

    [Fact]
    public async Task ListAsync_StatusFilter_ReturnsOnlyThatStatus()
    {
        var pending = await StartOperationAsync();
        var done = await CreateSucceededAsync();
        var cancelled = await StartOperationAsync();
        await Store.CancelAsync(new CancelParams(Tenant, cancelled.Id), Ct);

        var succeeded = await Store.ListAsync(new ListParams(Tenant, OperationStatus.Succeeded, null, 10, null), Ct);
        var pendings = await Store.ListAsync(new ListParams(Tenant, OperationStatus.Pending, null, 10, null), Ct);
        var running = await Store.ListAsync(new ListParams(Tenant, OperationStatus.Running, null, 10, null), Ct);

        Assert.Equal([done.Id], succeeded.Operations.Select(o => o.Id));
        Assert.Equal([pending.Id], pendings.Operations.Select(o => o.Id));
        Assert.Empty(running.Operations);
    }

    [Fact]
    public async Task ListAsync_KindFilter_ReturnsOnlyThatKindNewestFirst()
    {
        var ids = await CreateSeriesAsync(5);

        var odd = await Store.ListAsync(new ListParams(Tenant, null, "odd", 10, null), Ct);

        Assert.Equal([ids[3], ids[1]], odd.Operations.Select(o => o.Id));
        Assert.All(odd.Operations, o => Assert.Equal("odd", o.Kind));
    }

    [Fact]
    public async Task ListAsync_CursorPages_CoverEverythingOnceInOrder()
    {
        var ids = await CreateSeriesAsync(5);

        var first = await Store.ListAsync(new ListParams(Tenant, null, null, 2, null), Ct);
        var second = await Store.ListAsync(new ListParams(Tenant, null, null, 2, first.NextCursor), Ct);
        var third = await Store.ListAsync(new ListParams(Tenant, null, null, 2, second.NextCursor), Ct);

        Assert.NotNull(first.NextCursor);
        Assert.NotNull(second.NextCursor);
        Assert.Null(third.NextCursor);
        Assert.Equal(2, first.Operations.Count);
        Assert.Equal(2, second.Operations.Count);
        Assert.Single(third.Operations);
        Assert.Equal(Enumerable.Reverse(ids), first.Operations.Concat(second.Operations).Concat(third.Operations).Select(o => o.Id));
    }

    [Fact]
    public async Task ListAsync_CursorWithFilter_PagesWithinTheFilter()
    {
        var ids = await CreateSeriesAsync(6);

        var first = await Store.ListAsync(new ListParams(Tenant, null, "even", 2, null), Ct);
        var second = await Store.ListAsync(new ListParams(Tenant, null, "even", 2, first.NextCursor), Ct);

        Assert.Equal([ids[4], ids[2]], first.Operations.Select(o => o.Id));
        Assert.Equal([ids[0]], second.Operations.Select(o => o.Id));
        Assert.Null(second.NextCursor);
    }

    [Fact]
    public async Task ListAsync_CursorTakenBeforeNewOperations_DoesNotRepeatOrSkip()
    {
        var ids = await CreateSeriesAsync(4);
        var first = await Store.ListAsync(new ListParams(Tenant, null, null, 2, null), Ct);
        await CreateSeriesAsync(2);

        var second = await Store.ListAsync(new ListParams(Tenant, null, null, 2, first.NextCursor), Ct);

        Assert.Equal([ids[1], ids[0]], second.Operations.Select(o => o.Id));
    }

    [Fact]
    public async Task CreateApiKeyAsync_NewKey_IsFoundByHash()
    {
        var createdAt = Clock.GetUtcNow();
        await Store.CreateApiKeyAsync(new CreateApiKeyParams("key_1", Tenant, "hash-1", createdAt), Ct);

        var found = await Store.FindApiKeyAsync(new FindApiKeyParams("hash-1"), Ct);

        Assert.Equal(new ApiKeyRecord("key_1", Tenant, "hash-1", createdAt, null), found);
        Assert.Null(await Store.FindApiKeyAsync(new FindApiKeyParams("hash-unknown"), Ct));
    }

    [Fact]
    public async Task ListApiKeysAsync_SeveralKeys_ReturnsAll()
    {
        await Store.CreateApiKeyAsync(new CreateApiKeyParams("key_1", Tenant, "hash-1", Clock.GetUtcNow()), Ct);
        await AdvanceAsync(TimeSpan.FromSeconds(1));
        await Store.CreateApiKeyAsync(new CreateApiKeyParams("key_2", OtherTenant, "hash-2", Clock.GetUtcNow()), Ct);

        var keys = await Store.ListApiKeysAsync(Ct);

        Assert.Equal(["key_1", "key_2"], keys.Select(k => k.Id).Order(StringComparer.Ordinal));
        Assert.Equal(OtherTenant, keys.Single(k => k.Id == "key_2").Tenant);
    }

    [Fact]
    public async Task RevokeApiKeyAsync_ActiveKey_RevokesOnceWithStoreTime()
    {
        await Store.CreateApiKeyAsync(new CreateApiKeyParams("key_1", Tenant, "hash-1", Clock.GetUtcNow()), Ct);
        await Store.CreateApiKeyAsync(new CreateApiKeyParams("key_2", Tenant, "hash-2", Clock.GetUtcNow()), Ct);
        await AdvanceAsync(TimeSpan.FromMinutes(1));

        var first = await Store.RevokeApiKeyAsync(new RevokeApiKeyParams("key_1"), Ct);
        var again = await Store.RevokeApiKeyAsync(new RevokeApiKeyParams("key_1"), Ct);
        var unknown = await Store.RevokeApiKeyAsync(new RevokeApiKeyParams("key_nope"), Ct);

        Assert.True(first);
        Assert.False(again);
        Assert.False(unknown);
        Assert.Equal(Clock.GetUtcNow(), (await Store.FindApiKeyAsync(new FindApiKeyParams("hash-1"), Ct))?.RevokedAt);
        Assert.Null((await Store.FindApiKeyAsync(new FindApiKeyParams("hash-2"), Ct))?.RevokedAt);
        Assert.NotNull((await Store.ListApiKeysAsync(Ct)).Single(k => k.Id == "key_1").RevokedAt);
    }
}
