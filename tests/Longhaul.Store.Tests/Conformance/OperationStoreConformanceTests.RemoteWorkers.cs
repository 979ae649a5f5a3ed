using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.Store.Tests.Conformance;

/// <summary>What the worker protocol (issue 12) needs of a store: key scopes and kinds, and the claim's tenant filter.</summary>
public abstract partial class OperationStoreConformanceTests
{
    [Fact]
    public async Task CreateApiKeyAsync_WorkerKeyWithKinds_IsFoundWithScopeAndKinds()
    {
        var createdAt = Clock.GetUtcNow();
        await Store.CreateApiKeyAsync(new CreateApiKeyParams("key_w", Tenant, "hash-w", createdAt, ApiKeyScope.Worker, ["report", "import"]), Ct);
        await Store.CreateApiKeyAsync(new CreateApiKeyParams("key_all", ApiKeyRecord.AllTenants, "hash-all", createdAt, ApiKeyScope.Worker), Ct);

        var worker = await Store.FindApiKeyAsync(new FindApiKeyParams("hash-w"), Ct);
        var all = await Store.FindApiKeyAsync(new FindApiKeyParams("hash-all"), Ct);
        var listed = await Store.ListApiKeysAsync(Ct);

        Assert.NotNull(worker);
        Assert.Equal(ApiKeyScope.Worker, worker.Scope);
        Assert.Equal(["report", "import"], worker.Kinds);
        Assert.Equal(Tenant, worker.Tenant);
        Assert.NotNull(all);
        Assert.Equal(ApiKeyRecord.AllTenants, all.Tenant);
        Assert.Null(all.Kinds);
        Assert.All(listed, k => Assert.Equal(ApiKeyScope.Worker, k.Scope));
    }

    [Fact]
    public async Task CreateApiKeyAsync_NoScopeGiven_IsAClientKey()
    {
        await Store.CreateApiKeyAsync(new CreateApiKeyParams("key_c", Tenant, "hash-c", Clock.GetUtcNow()), Ct);

        var found = await Store.FindApiKeyAsync(new FindApiKeyParams("hash-c"), Ct);

        Assert.Equal(ApiKeyScope.Client, found!.Scope);
        Assert.Null(found.Kinds);
    }

    [Fact]
    public async Task ClaimAsync_WithTenant_ClaimsOnlyThatTenantsOperations()
    {
        var mine = await StartOperationAsync(tenant: Tenant);
        var theirs = await StartOperationAsync(tenant: OtherTenant);

        var claimed = await Store.ClaimAsync(new ClaimParams(OwnerA, [Kind], 10, Lease, Tenant), Ct);

        Assert.Equal([mine.Id], claimed.Select(o => o.Id));
        Assert.Equal(OperationStatus.Pending, (await GetAsync(theirs.Id)).Status);
        var rest = await Store.ClaimAsync(new ClaimParams(OwnerB, [Kind], 10, Lease, null), Ct);
        Assert.Equal([theirs.Id], rest.Select(o => o.Id));
    }

    [Fact]
    public async Task ClaimAsync_TenantWithNoReadyWork_ClaimsNothingAndChangesNothing()
    {
        var theirs = await StartOperationAsync(tenant: OtherTenant);
        var before = await SnapshotAsync(theirs.Id);

        var claimed = await Store.ClaimAsync(new ClaimParams(OwnerA, [Kind], 10, Lease, Tenant), Ct);

        Assert.Empty(claimed);
        Assert.Equal(before, await SnapshotAsync(theirs.Id));
    }
}
