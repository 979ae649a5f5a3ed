using Longhaul.Storage;

namespace Longhaul.Store.Tests.Conformance;

/// <summary>Remote kinds registered at run time by worker keys (issue 12): stored per tenant or for every tenant.</summary>
public abstract partial class OperationStoreConformanceTests
{
    private const string All = ApiKeyRecord.AllTenants;

    [Fact]
    public async Task PutRegisteredKindAsync_NewKind_IsCreatedAndFoundWithEveryField()
    {
        var outcome = await Store.PutRegisteredKindAsync(new PutRegisteredKindParams(Tenant, "report", "Monthly report", """{"type":"object"}""", 5, 30.5), Ct);

        var found = await Store.FindRegisteredKindAsync(new FindRegisteredKindParams(Tenant, "report"), Ct);

        Assert.Equal(PutRegisteredKindOutcome.Created, outcome);
        Assert.NotNull(found);
        Assert.Equal((Tenant, "report", "Monthly report", """{"type":"object"}""", (int?)5, (double?)30.5),
            (found.Tenant, found.Name, found.Description, found.InputSchema, found.MaxAttempts, found.TimeoutSeconds));
        Assert.Equal(found.CreatedAt, found.UpdatedAt);
    }

    [Fact]
    public async Task PutRegisteredKindAsync_SameTenantAgain_ReplacesAndKeepsCreation()
    {
        await Store.PutRegisteredKindAsync(new PutRegisteredKindParams(Tenant, "report", "one", null, 5, 30), Ct);
        var created = (await Store.FindRegisteredKindAsync(new FindRegisteredKindParams(Tenant, "report"), Ct))!.CreatedAt;
        Clock.Advance(TimeSpan.FromSeconds(10));

        var outcome = await Store.PutRegisteredKindAsync(new PutRegisteredKindParams(Tenant, "report", null, null, null, null), Ct);
        var found = await Store.FindRegisteredKindAsync(new FindRegisteredKindParams(Tenant, "report"), Ct);

        Assert.Equal(PutRegisteredKindOutcome.Updated, outcome);
        Assert.Equal((null, null, null, null), (found!.Description, found.InputSchema, found.MaxAttempts, found.TimeoutSeconds));
        Assert.Equal(created, found.CreatedAt);
        Assert.Equal(created + TimeSpan.FromSeconds(10), found.UpdatedAt);
    }

    [Fact]
    public async Task FindRegisteredKindAsync_OtherTenantsKind_IsNotFound()
    {
        await Store.PutRegisteredKindAsync(new PutRegisteredKindParams(Tenant, "report", null, null, null, null), Ct);

        Assert.Null(await Store.FindRegisteredKindAsync(new FindRegisteredKindParams(OtherTenant, "report"), Ct));
        Assert.Null(await Store.FindRegisteredKindAsync(new FindRegisteredKindParams(Tenant, "other"), Ct));
        Assert.NotNull(await Store.FindRegisteredKindAsync(new FindRegisteredKindParams(All, "report"), Ct));
    }

    [Fact]
    public async Task PutRegisteredKindAsync_TwoTenantsSameName_BothStoredEachSeesItsOwn()
    {
        await Store.PutRegisteredKindAsync(new PutRegisteredKindParams(Tenant, "report", "mine", null, null, null), Ct);
        var outcome = await Store.PutRegisteredKindAsync(new PutRegisteredKindParams(OtherTenant, "report", "theirs", null, null, null), Ct);

        Assert.Equal(PutRegisteredKindOutcome.Created, outcome);
        Assert.Equal("mine", (await Store.FindRegisteredKindAsync(new FindRegisteredKindParams(Tenant, "report"), Ct))!.Description);
        Assert.Equal("theirs", (await Store.FindRegisteredKindAsync(new FindRegisteredKindParams(OtherTenant, "report"), Ct))!.Description);
    }

    [Fact]
    public async Task PutRegisteredKindAsync_EveryTenantKind_IsSeenByEveryTenant()
    {
        await Store.PutRegisteredKindAsync(new PutRegisteredKindParams(All, "platform", null, null, null, null), Ct);

        var found = await Store.FindRegisteredKindAsync(new FindRegisteredKindParams(OtherTenant, "platform"), Ct);

        Assert.Equal(All, found!.Tenant);
    }

    [Fact]
    public async Task PutRegisteredKindAsync_OverlappingScopes_ConflictAndChangeNothing()
    {
        await Store.PutRegisteredKindAsync(new PutRegisteredKindParams(All, "platform", "global", null, null, null), Ct);
        await Store.PutRegisteredKindAsync(new PutRegisteredKindParams(Tenant, "report", "tenant", null, null, null), Ct);

        var tenantOverGlobal = await Store.PutRegisteredKindAsync(new PutRegisteredKindParams(Tenant, "platform", "x", null, null, null), Ct);
        var globalOverTenant = await Store.PutRegisteredKindAsync(new PutRegisteredKindParams(All, "report", "x", null, null, null), Ct);
        var listed = await Store.ListRegisteredKindsAsync(All, Ct);

        Assert.Equal(PutRegisteredKindOutcome.Conflict, tenantOverGlobal);
        Assert.Equal(PutRegisteredKindOutcome.Conflict, globalOverTenant);
        Assert.Equal([(All, "platform", "global"), (Tenant, "report", "tenant")], listed.Select(k => (k.Tenant, k.Name, k.Description!)));
    }

    [Fact]
    public async Task ListRegisteredKindsAsync_Tenant_ListsItsOwnAndEveryTenantKindsByName()
    {
        await Store.PutRegisteredKindAsync(new PutRegisteredKindParams(Tenant, "b", null, null, null, null), Ct);
        await Store.PutRegisteredKindAsync(new PutRegisteredKindParams(OtherTenant, "c", null, null, null, null), Ct);
        await Store.PutRegisteredKindAsync(new PutRegisteredKindParams(All, "a", null, null, null, null), Ct);

        var mine = await Store.ListRegisteredKindsAsync(Tenant, Ct);
        var every = await Store.ListRegisteredKindsAsync(All, Ct);

        Assert.Equal(["a", "b"], mine.Select(k => k.Name));
        Assert.Equal(["a", "b", "c"], every.Select(k => k.Name));
    }
}
