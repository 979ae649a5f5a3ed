using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.Store.Tests.Conformance;

/// <summary>The pending count behind <c>max_pending</c> and <c>/v1/usage</c> follows every change of an operation's status.</summary>
public abstract partial class OperationStoreConformanceTests
{
    private async Task<StartOutcome> StartUnderAsync(int maxPending, string tenant = Tenant)
        => (await Store.StartAsync(new StartParams(NewOp(tenant), null) { MaxPending = maxPending }, Ct)).Outcome;

    private async Task<long> PendingOfAsync(string tenant = Tenant)
        => (await Store.GetStorageUsageAsync(new StorageUsageParams(tenant), Ct)).Pending;

    [Fact]
    public async Task MaxPending_FollowsClaimsRetriesHandBacksCancelsAndDeletes()
    {
        Assert.Equal(StartOutcome.Started, await StartUnderAsync(2));
        Assert.Equal(StartOutcome.Started, await StartUnderAsync(2));
        Assert.Equal(StartOutcome.PendingLimitReached, await StartUnderAsync(2));
        Assert.Equal(StartOutcome.Started, await StartUnderAsync(2, OtherTenant));

        var running = (await ClaimForAsync(10)).Where(op => op.Tenant == Tenant).ToList();
        Assert.Equal(2, running.Count);
        Assert.Equal(0, await PendingOfAsync());
        Assert.Equal(StartOutcome.Started, await StartUnderAsync(2));

        Assert.True(await Store.RetryAsync(new RetryParams(LeaseOf(running[0]), TransientError, TimeSpan.Zero), Ct));
        Assert.Equal(2, await PendingOfAsync());
        Assert.Equal(StartOutcome.PendingLimitReached, await StartUnderAsync(2));

        Assert.True(await SucceedAsync(running[1]));
        Assert.Equal(2, await PendingOfAsync());
        var pending = (await Store.ListAsync(new ListParams(Tenant, OperationStatus.Pending, null, 10, null), Ct)).Operations;
        Assert.Equal(2, pending.Count);
        await Store.CancelAsync(new CancelParams(Tenant, pending[0].Id), Ct);
        Assert.Equal(1, await PendingOfAsync());
        Assert.Equal(StartOutcome.Started, await StartUnderAsync(2));
        Assert.Equal(StartOutcome.PendingLimitReached, await StartUnderAsync(2));

        Assert.Equal(DeleteOutcome.Deleted, await Store.DeleteAsync(new DeleteParams(Tenant, running[1].Id), Ct));
        Assert.Equal(DeleteOutcome.Deleted, await Store.DeleteAsync(new DeleteParams(Tenant, pending[0].Id), Ct));
        Assert.Equal(2, await PendingOfAsync());
        Assert.Equal(0, await PendingOfAsync(OtherTenant));
    }
}
