using Longhaul.Contracts;
using Longhaul.Storage;
using Longhaul.Tenancy;

namespace Longhaul.Store.Tests.Conformance;

/// <summary>Fair scheduling (issue 19, ADR 0025): tenants take turns; priority orders work within a tenant.</summary>
public abstract partial class OperationStoreConformanceTests
{
    private const string Third = "tenant-c";

    private async Task<List<Operation>> StartManyAsync(string tenant, int count, int priority = 0)
    {
        var ops = new List<Operation>();
        for (var i = 0; i < count; i++) ops.Add(await StartOperationAsync(tenant: tenant, priority: priority));
        return ops;
    }

    private Task<IReadOnlyList<Operation>> ClaimForAsync(int max, int? defaultMaxRunning = null)
        => Store.ClaimAsync(new ClaimParams(OwnerA, [Kind], max, Lease, DefaultMaxRunning: defaultMaxRunning), Ct);

    private Task<bool> SucceedAsync(Operation running)
        => Store.CompleteAsync(new CompleteParams(LeaseOf(running), OperationStatus.Succeeded, Json("{}"), null), Ct);

    [Fact]
    public async Task ClaimAsync_NoisyNeighbour_OneOperationOfAnotherTenantTakesTheNextFreeSlot()
    {
        await StartManyAsync(Tenant, 200);
        var running = await ClaimForAsync(32);
        Assert.All(running, op => Assert.Equal(Tenant, op.Tenant));
        Clock.Advance(TimeSpan.FromSeconds(1));
        var quiet = await StartOperationAsync(tenant: OtherTenant);

        Assert.True(await SucceedAsync(running[0]));
        var next = Assert.Single(await ClaimForAsync(1));

        Assert.Equal(quiet.Id, next.Id);
    }

    [Fact]
    public async Task ClaimAsync_TwoBacklogs_TakeTurns()
    {
        await StartManyAsync(Tenant, 20);
        await StartManyAsync(OtherTenant, 20);

        var claimed = await ClaimForAsync(10);

        Assert.Equal(10, claimed.Count);
        Assert.Equal(5, claimed.Count(op => op.Tenant == Tenant));
        Assert.Equal(5, claimed.Count(op => op.Tenant == OtherTenant));
    }

    [Fact]
    public async Task ClaimAsync_OneAtATime_AlternatesBetweenTenants()
    {
        await StartManyAsync(Tenant, 6);
        await StartManyAsync(OtherTenant, 6);
        await StartManyAsync(Third, 6);

        var order = new List<string>();
        for (var i = 0; i < 9; i++) order.Add(Assert.Single(await ClaimForAsync(1)).Tenant);

        // Every window of three claims serves each tenant once.
        for (var i = 0; i < 9; i += 3) Assert.Equal(3, order.Skip(i).Take(3).Distinct().Count());
    }

    [Fact]
    public async Task ClaimAsync_Weight_GivesMoreTurns()
    {
        await Store.SetTenantLimitsAsync(Tenant, new TenantLimitOverrides(Weight: 2), Ct);
        await StartManyAsync(Tenant, 40);
        await StartManyAsync(OtherTenant, 40);

        var claimed = await ClaimForAsync(30);

        var heavy = claimed.Count(op => op.Tenant == Tenant);
        var light = claimed.Count(op => op.Tenant == OtherTenant);
        Assert.Equal(30, heavy + light);
        Assert.True(heavy >= light * 3 / 2, $"weight 2 got {heavy}, weight 1 got {light}");
    }

    [Fact]
    public async Task ClaimAsync_PriorityOfAnotherTenant_DoesNotJumpTheTurns()
    {
        await StartManyAsync(Tenant, 3, priority: 0);
        await StartManyAsync(OtherTenant, 3, priority: 100);

        var claimed = await ClaimForAsync(2);

        Assert.Equal(1, claimed.Count(op => op.Tenant == Tenant));
        Assert.Equal(1, claimed.Count(op => op.Tenant == OtherTenant));
    }

    [Fact]
    public async Task ClaimAsync_PriorityWithinATenant_OrdersItsOwnWork()
    {
        await StartManyAsync(Tenant, 3, priority: 0);
        var urgent = await StartOperationAsync(tenant: Tenant, priority: 50);

        Assert.Equal(urgent.Id, Assert.Single(await ClaimForAsync(1)).Id);
    }

    [Fact]
    public async Task ClaimAsync_TenantMaxRunning_IsNeverExceededAndOthersFillTheSlots()
    {
        await Store.SetTenantLimitsAsync(Tenant, new TenantLimitOverrides(MaxRunning: 2), Ct);
        await StartManyAsync(Tenant, 10);
        await StartManyAsync(OtherTenant, 5);

        var first = await ClaimForAsync(10);
        var second = await ClaimForAsync(10);

        Assert.Equal(2, first.Count(op => op.Tenant == Tenant));
        Assert.Equal(5, first.Count(op => op.Tenant == OtherTenant));
        Assert.Empty(second);
        Assert.True(await SucceedAsync(first.First(op => op.Tenant == Tenant)));
        Assert.Equal(Tenant, Assert.Single(await ClaimForAsync(10)).Tenant);
    }

    [Fact]
    public async Task ClaimAsync_DefaultMaxRunning_AppliesToTenantsWithoutAnOverride()
    {
        await Store.SetTenantLimitsAsync(OtherTenant, new TenantLimitOverrides(MaxRunning: 3), Ct);
        await StartManyAsync(Tenant, 5);
        await StartManyAsync(OtherTenant, 5);

        var claimed = await ClaimForAsync(10, defaultMaxRunning: 1);

        Assert.Equal(1, claimed.Count(op => op.Tenant == Tenant));
        Assert.Equal(3, claimed.Count(op => op.Tenant == OtherTenant));
    }

    [Fact]
    public async Task ClaimAsync_ConcurrencyKeyLimitOne_RunsOneAtATimeAndOtherWorkGoesOn()
    {
        var keyed = new List<Operation>();
        for (var i = 0; i < 3; i++) keyed.Add(await StartOperationAsync(NewOp() with { ConcurrencyKey = "account-1" }));
        var plain = await StartOperationAsync();
        var otherTenantSameKey = await StartOperationAsync(NewOp(OtherTenant) with { ConcurrencyKey = "account-1" });

        var first = await ClaimForAsync(10);
        var second = await ClaimForAsync(10);

        Assert.Equal(3, first.Count);
        Assert.Contains(first, op => op.Id == plain.Id);
        Assert.Contains(first, op => op.Id == otherTenantSameKey.Id);
        Assert.Equal(keyed[0].Id, Assert.Single(first, op => op.Tenant == Tenant && op.ConcurrencyKey == "account-1").Id);
        Assert.Empty(second);
        Assert.True(await SucceedAsync(first.Single(op => op.Id == keyed[0].Id)));
        Assert.Equal(keyed[1].Id, Assert.Single(await ClaimForAsync(10)).Id);
    }

    [Fact]
    public async Task ClaimAsync_ConcurrencyKeyLimitTwo_RunsTwoAtATime()
    {
        for (var i = 0; i < 5; i++) await StartOperationAsync(NewOp() with { ConcurrencyKey = "doc", ConcurrencyLimit = 2 });

        var claimed = await ClaimForAsync(10);

        Assert.Equal(2, claimed.Count);
        Assert.All(claimed, op => Assert.Equal((int?)2, op.ConcurrencyLimit));
        Assert.Empty(await ClaimForAsync(10));
    }

    [Fact]
    public async Task ClaimAsync_StartAfter_IsNotClaimedBeforeItsTime()
    {
        var at = Clock.GetUtcNow() + TimeSpan.FromSeconds(30);
        var delayed = await StartOperationAsync(NewOp() with { StartAfter = at });
        var scheduled = (await GetAsync(delayed.Id)).ToResource().ScheduledFor;

        var early = await ClaimForAsync(10);
        Clock.Advance(TimeSpan.FromSeconds(29.5));
        var stillEarly = await ClaimForAsync(10);
        Clock.Advance(TimeSpan.FromSeconds(0.5));
        var onTime = await ClaimForAsync(10);

        Assert.Equal(at, delayed.RunAfter);
        Assert.Equal(at, scheduled);
        Assert.Empty(early);
        Assert.Empty(stillEarly);
        Assert.Equal(delayed.Id, Assert.Single(onTime).Id);
    }

    [Fact]
    public async Task ClaimAsync_StartByPassed_IsNotClaimed()
    {
        var op = await StartOperationAsync(NewOp() with { StartBy = Clock.GetUtcNow() + TimeSpan.FromSeconds(5) });
        Assert.Equal(Clock.GetUtcNow() + TimeSpan.FromSeconds(5), (await GetAsync(op.Id)).StartBy);

        Clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Empty(await ClaimForAsync(10));
    }

    [Fact]
    public async Task ReapAsync_StartByPassed_FailsWithStartDeadlinePassedThroughTheFinalWrite()
    {
        var late = await StartOperationAsync(NewOp() with { StartBy = Clock.GetUtcNow() + TimeSpan.FromSeconds(5) });
        var early = await StartOperationAsync(NewOp() with { StartBy = Clock.GetUtcNow() + TimeSpan.FromSeconds(60) });

        Clock.Advance(TimeSpan.FromSeconds(4.9));
        var before = await Store.ReapAsync(new ReapParams(), Ct);
        Clock.Advance(TimeSpan.FromSeconds(0.1));
        var at = await Store.ReapAsync(new ReapParams(), Ct);

        Assert.Equal(0, before.Failed);
        Assert.Equal(1, at.Failed);
        var failed = await GetAsync(late.Id);
        Assert.Equal(OperationStatus.Failed, failed.Status);
        Assert.Equal(OperationErrors.StartDeadlinePassedCode, failed.Error!.Code);
        Assert.Equal("failed", StatusOf((await EventsAsync(late.Id))[^2]));
        Assert.Equal(OperationStatus.Pending, (await GetAsync(early.Id)).Status);
    }

    [Fact]
    public async Task ClaimAsync_KindCap_IsNeverExceededAcrossClaimsAndOtherKindsGoOn()
    {
        for (var i = 0; i < 5; i++) await StartOperationAsync(tenant: i % 2 == 0 ? Tenant : OtherTenant);
        for (var i = 0; i < 3; i++) await StartOperationAsync(kind: "other");
        var caps = new Dictionary<string, int> { [Kind] = 2 };

        var first = await Store.ClaimAsync(new ClaimParams(OwnerA, [Kind, "other"], 10, Lease, KindCaps: caps), Ct);
        var second = await Store.ClaimAsync(new ClaimParams(OwnerB, [Kind, "other"], 10, Lease, KindCaps: caps), Ct);

        Assert.Equal(2, first.Count(op => op.Kind == Kind));
        Assert.Equal(3, first.Count(op => op.Kind == "other"));
        Assert.Empty(second);
        Assert.True(await SucceedAsync(first.First(op => op.Kind == Kind)));
        Assert.Equal(Kind, Assert.Single(await Store.ClaimAsync(new ClaimParams(OwnerB, [Kind], 10, Lease, KindCaps: caps), Ct)).Kind);
    }
}
