using Longhaul.Tenancy;

namespace Longhaul.Store.Tests.Conformance;

/// <summary>Per-tenant limit overrides (issue 19): stored per tenant, every field optional.</summary>
public abstract partial class OperationStoreConformanceTests
{
    [Fact]
    public async Task GetTenantLimitsAsync_NothingStored_IsNull()
    {
        Assert.Null(await Store.GetTenantLimitsAsync(Tenant, Ct));
        Assert.Empty(await Store.ListTenantLimitsAsync(Ct));
    }

    [Fact]
    public async Task SetTenantLimitsAsync_EveryField_RoundTrips()
    {
        var overrides = new TenantLimitOverrides(3, 10, 1000, 2.5, 20, 4, 5000, 1L << 40);

        await Store.SetTenantLimitsAsync(Tenant, overrides, Ct);

        Assert.Equal(overrides, await Store.GetTenantLimitsAsync(Tenant, Ct));
        Assert.Null(await Store.GetTenantLimitsAsync(OtherTenant, Ct));
    }

    [Fact]
    public async Task SetTenantLimitsAsync_Again_ReplacesEveryField()
    {
        await Store.SetTenantLimitsAsync(Tenant, new TenantLimitOverrides(3, 10, 1000, 2.5, 20, 4, 5000, 99), Ct);

        await Store.SetTenantLimitsAsync(Tenant, new TenantLimitOverrides(MaxRunning: 7), Ct);

        Assert.Equal(new TenantLimitOverrides(MaxRunning: 7), await Store.GetTenantLimitsAsync(Tenant, Ct));
    }

    [Fact]
    public async Task SetTenantLimitsAsync_AllNull_RemovesTheRow()
    {
        await Store.SetTenantLimitsAsync(Tenant, new TenantLimitOverrides(Weight: 2), Ct);

        await Store.SetTenantLimitsAsync(Tenant, new TenantLimitOverrides(), Ct);

        Assert.Null(await Store.GetTenantLimitsAsync(Tenant, Ct));
        Assert.Empty(await Store.ListTenantLimitsAsync(Ct));
    }

    [Fact]
    public async Task ListTenantLimitsAsync_SeveralTenants_OrderedByTenant()
    {
        await Store.SetTenantLimitsAsync("zeta", new TenantLimitOverrides(Weight: 1), Ct);
        await Store.SetTenantLimitsAsync("alpha", new TenantLimitOverrides(MaxPending: 5), Ct);

        var list = await Store.ListTenantLimitsAsync(Ct);

        Assert.Equal(["alpha", "zeta"], list.Select(e => e.Key));
        Assert.Equal(new TenantLimitOverrides(MaxPending: 5), list[0].Value);
    }

    [Fact]
    public async Task StoreTenantLimits_OverrideElseDefault_AndLocalSetSeenAtOnce()
    {
        var limits = new StoreTenantLimits(Store, Microsoft.Extensions.Options.Options.Create(new TenantLimitsOptions { MaxRunning = 4, MaxPending = 100 }), Clock);
        Assert.Equal((1, (int?)4, (int?)100), Shape(await limits.GetAsync(Tenant, Ct)));

        await limits.SetAsync(Tenant, new TenantLimitOverrides(Weight: 3, MaxRunning: 2), Ct);

        Assert.Equal((3, (int?)2, (int?)100), Shape(await limits.GetAsync(Tenant, Ct)));
        Assert.Equal((1, (int?)4, (int?)100), Shape(await limits.GetAsync(OtherTenant, Ct)));
        static (int, int?, int?) Shape(TenantLimits l) => (l.Weight, l.MaxRunning, l.MaxPending);
    }

    [Fact]
    public async Task StoreTenantLimits_ChangeByAnotherNode_SeenAfterTheRefreshInterval()
    {
        var limits = new StoreTenantLimits(Store, Microsoft.Extensions.Options.Options.Create(new TenantLimitsOptions()), Clock);
        Assert.Null((await limits.GetAsync(Tenant, Ct)).MaxRunning);

        await Store.SetTenantLimitsAsync(Tenant, new TenantLimitOverrides(MaxRunning: 9), Ct);
        var cached = await limits.GetAsync(Tenant, Ct);
        Clock.Advance(StoreTenantLimits.RefreshInterval);
        var refreshed = await limits.GetAsync(Tenant, Ct);

        Assert.Null(cached.MaxRunning);
        Assert.Equal(9, refreshed.MaxRunning);
    }
}
