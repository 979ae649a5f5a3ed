using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.Store.Tests.Conformance;

/// <summary>
/// Priority within a tenant while tenants take turns (ADR 0025), including priorities below the default and the
/// listing of a tenant's work by status as it moves through claims and final writes.
/// </summary>
public abstract partial class OperationStoreConformanceTests
{
    private static HashSet<string> Ids(IEnumerable<Operation> ops) => [.. ops.Select(op => op.Id)];

    [Fact]
    public async Task ClaimAsync_LowerPriorityWithinATenant_WaitsBehindItsDefaultAndHigherWork()
    {
        var low1 = await StartOperationAsync(tenant: Tenant, priority: -5);
        var low2 = await StartOperationAsync(tenant: Tenant, priority: -1);
        var zero = await StartManyAsync(Tenant, 3);
        var high = await StartOperationAsync(tenant: Tenant, priority: 5);

        Assert.Equal(Ids([high, zero[0]]), Ids(await ClaimForAsync(2)));
        Assert.Equal(Ids([zero[1], zero[2]]), Ids(await ClaimForAsync(2)));
        Assert.Equal(low2.Id, Assert.Single(await ClaimForAsync(1)).Id);
        Assert.Equal(low1.Id, Assert.Single(await ClaimForAsync(1)).Id);
        Assert.Empty(await ClaimForAsync(2));
    }

    [Fact]
    public async Task ClaimAsync_MixedPrioritiesInSeveralTenants_EachTenantsShareIsItsHighestPriority()
    {
        var a = await StartManyAsync(Tenant, 3);
        var aUrgent = await StartOperationAsync(tenant: Tenant, priority: 7);
        var b = await StartManyAsync(OtherTenant, 2);
        await StartOperationAsync(tenant: OtherTenant, priority: -3);
        var bUrgent = await StartOperationAsync(tenant: OtherTenant, priority: 9);
        var c = await StartManyAsync(Third, 2);

        var claimed = await ClaimForAsync(6);

        Assert.Equal(Ids([aUrgent, a[0], bUrgent, b[0], c[0], c[1]]), Ids(claimed));
    }

    [Fact]
    public async Task ListAndCount_ByStatus_FollowClaimsRetriesAndFinalWrites()
    {
        var ops = await StartManyAsync(Tenant, 4);
        await StartManyAsync(OtherTenant, 2);
        var running = await ClaimForAsync(6);
        var mine = running.Where(op => op.Tenant == Tenant).OrderBy(op => op.Id, StringComparer.Ordinal).ToList();
        Assert.True(mine.Count >= 3);
        Assert.True(await SucceedAsync(mine[0]));
        Assert.True(await Store.CompleteAsync(new CompleteParams(LeaseOf(mine[1]), OperationStatus.Failed, null, TransientError), Ct));
        Assert.True(await Store.RetryAsync(new RetryParams(LeaseOf(mine[2]), TransientError, TimeSpan.Zero), Ct));

        async Task<HashSet<string>> ListedAsync(params OperationStatus[] statuses)
        {
            var p = new ListParams(Tenant, null, null, 100, null) { Statuses = statuses };
            var page = await Store.ListAsync(p, Ct);
            Assert.Equal(page.Operations.Count, (await Store.CountAsync(p, Ct)).Count);
            Assert.All(page.Operations, op => Assert.Contains(op.Status, statuses));
            return Ids(page.Operations);
        }

        var finished = await ListedAsync(OperationStatus.Succeeded, OperationStatus.Failed);
        Assert.Equal(Ids([mine[0], mine[1]]), finished);
        var unfinished = await ListedAsync(OperationStatus.Pending, OperationStatus.Running);
        Assert.Equal(Ids(ops).Except(finished).ToHashSet(), unfinished);
        Assert.Contains(mine[2].Id, await ListedAsync(OperationStatus.Pending));
        Assert.Equal(Ids(ops), await ListedAsync(OperationStatus.Pending, OperationStatus.Running, OperationStatus.Succeeded, OperationStatus.Failed));
        Assert.Equal(Ids([mine[1]]).Union(await ListedAsync(OperationStatus.Running)).ToHashSet(), await ListedAsync(OperationStatus.Running, OperationStatus.Failed));
        var usage = await Store.GetStorageUsageAsync(new StorageUsageParams(Tenant), Ct);
        Assert.Equal((await ListedAsync(OperationStatus.Pending)).Count, usage.Pending);
        Assert.Equal((await ListedAsync(OperationStatus.Running)).Count, usage.Running);
    }
}
