using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.Store.Tests.Conformance;

/// <summary>
/// The worker registry (GET /v1/workers), deleting kinds registered at run time, and the expired remote leases the
/// reaper records attempts for (issue 12, ADR 29).
/// </summary>
public abstract partial class OperationStoreConformanceTests
{
    [Fact]
    public async Task RecordWorkerAsync_ClaimThenHeartbeat_KeepsFirstSeenAndKindsAndMovesLastSeen()
    {
        var first = Clock.GetUtcNow();
        await Store.RecordWorkerAsync(new RecordWorkerParams(Tenant, "w1", "key1", ["report", "import"], "node-1", Claimed: true), Ct);
        await AdvanceAsync(TimeSpan.FromSeconds(5));
        await Store.RecordWorkerAsync(new RecordWorkerParams(Tenant, "w1", "key1", null, "node-2", Claimed: false), Ct);

        var worker = Assert.Single(await Store.ListWorkersAsync(new ListWorkersParams(Tenant, 100), Ct));

        Assert.Equal((Tenant, "w1", "key1", "node-2"), (worker.Tenant, worker.Name, worker.KeyId, worker.Node));
        Assert.Equal(["report", "import"], worker.Kinds);
        Assert.Equal(first, worker.FirstSeenAt);
        Assert.Equal(first + TimeSpan.FromSeconds(5), worker.LastSeenAt);
        Assert.Equal(first, worker.LastClaimAt);
        Assert.Equal(Clock.GetUtcNow(), worker.AsOf);
        Assert.Equal(0, worker.Leases);
    }

    [Fact]
    public async Task ListWorkersAsync_Tenants_EachSeesItsOwnAndEveryTenantWorkers_AllSeesAll()
    {
        await Store.RecordWorkerAsync(new RecordWorkerParams(Tenant, "mine", null, ["a"], "n", true), Ct);
        await Store.RecordWorkerAsync(new RecordWorkerParams(OtherTenant, "theirs", null, ["a"], "n", true), Ct);
        await Store.RecordWorkerAsync(new RecordWorkerParams(All, "platform", null, ["a"], "n", true), Ct);

        var mine = await Store.ListWorkersAsync(new ListWorkersParams(Tenant, 100), Ct);
        var all = await Store.ListWorkersAsync(new ListWorkersParams(All, 100), Ct);

        Assert.Equal(["mine", "platform"], mine.Select(w => w.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["mine", "platform", "theirs"], all.Select(w => w.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ListWorkersAsync_Leases_CountsUnexpiredLeasesOfTheWorkerInTheAskingTenant()
    {
        await Store.RecordWorkerAsync(new RecordWorkerParams(All, "platform", null, [Kind], "n", true), Ct);
        await Store.RecordWorkerAsync(new RecordWorkerParams(Tenant, "w1", null, [Kind], "n", true), Ct);
        await CreateRunningAsync(owner: "remote/w1");
        await CreateRunningAsync(owner: "remote/w1");
        await CreateRunningAsync(owner: "remote/platform");
        await CreateRunningAsync(owner: "remote/platform", tenant: OtherTenant);
        await CreateRunningAsync(owner: OwnerA);

        var mine = (await Store.ListWorkersAsync(new ListWorkersParams(Tenant, 100), Ct)).ToDictionary(w => w.Name, w => w.Leases);
        var all = (await Store.ListWorkersAsync(new ListWorkersParams(All, 100), Ct)).ToDictionary(w => w.Name, w => w.Leases);
        await AdvanceAsync(Lease + TimeSpan.FromSeconds(1));
        var expired = (await Store.ListWorkersAsync(new ListWorkersParams(All, 100), Ct)).ToDictionary(w => w.Name, w => w.Leases);

        Assert.Equal(new Dictionary<string, int> { ["w1"] = 2, ["platform"] = 1 }, mine);
        Assert.Equal(new Dictionary<string, int> { ["w1"] = 2, ["platform"] = 2 }, all);
        Assert.Equal(new Dictionary<string, int> { ["w1"] = 0, ["platform"] = 0 }, expired);
    }

    [Fact]
    public async Task ListWorkersAsync_MostRecentlySeenFirst_UpToTheLimit()
    {
        foreach (var name in new[] { "old", "middle", "new" })
        {
            await Store.RecordWorkerAsync(new RecordWorkerParams(Tenant, name, null, null, "n", false), Ct);
            await AdvanceAsync(TimeSpan.FromSeconds(1));
        }

        var listed = await Store.ListWorkersAsync(new ListWorkersParams(Tenant, 2), Ct);

        Assert.Equal(["new", "middle"], listed.Select(w => w.Name));
        Assert.Empty(listed[0].Kinds);
        Assert.Null(listed[0].LastClaimAt);
    }

    [Fact]
    public async Task PruneAsync_WorkersUnseenPastTheirRetention_AreDeleted()
    {
        await Store.RecordWorkerAsync(new RecordWorkerParams(Tenant, "old", null, null, "n", false), Ct);
        await AdvanceAsync(TimeSpan.FromHours(2));
        await Store.RecordWorkerAsync(new RecordWorkerParams(Tenant, "recent", null, null, "n", false), Ct);
        await AdvanceAsync(TimeSpan.FromMinutes(30));

        await Store.PruneAsync(new PruneParams(TimeSpan.FromDays(7), 100, WorkerRetention: TimeSpan.FromHours(1)), Ct);

        Assert.Equal(["recent"], (await Store.ListWorkersAsync(new ListWorkersParams(All, 100), Ct)).Select(w => w.Name));
    }

    [Fact]
    public async Task DeleteRegisteredKindAsync_Unknown_NotFound_AndOtherScopeIsNotDeleted()
    {
        await Store.PutRegisteredKindAsync(new PutRegisteredKindParams(All, "platform", null, null, null, null), Ct);

        var unknown = await Store.DeleteRegisteredKindAsync(new DeleteRegisteredKindParams(Tenant, "nope", false), Ct);
        var otherScope = await Store.DeleteRegisteredKindAsync(new DeleteRegisteredKindParams(Tenant, "platform", false), Ct);

        Assert.Equal(DeleteRegisteredKindOutcome.NotFound, unknown.Outcome);
        Assert.Equal(DeleteRegisteredKindOutcome.NotFound, otherScope.Outcome);
        Assert.NotNull(await Store.FindRegisteredKindAsync(new FindRegisteredKindParams(Tenant, "platform"), Ct));
    }

    [Fact]
    public async Task DeleteRegisteredKindAsync_NoUnfinishedOperations_Deletes()
    {
        await Store.PutRegisteredKindAsync(new PutRegisteredKindParams(Tenant, Kind, null, null, null, null), Ct);
        await CreateSucceededAsync();

        var result = await Store.DeleteRegisteredKindAsync(new DeleteRegisteredKindParams(Tenant, Kind, false), Ct);

        Assert.Equal(DeleteRegisteredKindOutcome.Deleted, result.Outcome);
        Assert.Empty(result.Unfinished);
        Assert.Null(await Store.FindRegisteredKindAsync(new FindRegisteredKindParams(Tenant, Kind), Ct));
    }

    [Fact]
    public async Task DeleteRegisteredKindAsync_PendingOrRunningOfTheKind_InUseUnlessForced()
    {
        await Store.PutRegisteredKindAsync(new PutRegisteredKindParams(Tenant, Kind, null, null, null, null), Ct);
        var running = await CreateRunningAsync();
        var pending = await StartOperationAsync();
        await StartOperationAsync(tenant: OtherTenant);
        await StartOperationAsync(kind: "other");

        var refused = await Store.DeleteRegisteredKindAsync(new DeleteRegisteredKindParams(Tenant, Kind, false), Ct);
        var stillThere = await Store.FindRegisteredKindAsync(new FindRegisteredKindParams(Tenant, Kind), Ct);
        var forced = await Store.DeleteRegisteredKindAsync(new DeleteRegisteredKindParams(Tenant, Kind, true), Ct);

        Assert.Equal(DeleteRegisteredKindOutcome.InUse, refused.Outcome);
        Assert.NotNull(stillThere);
        Assert.Equal(DeleteRegisteredKindOutcome.Deleted, forced.Outcome);
        Assert.Equal([(Tenant, running.Id), (Tenant, pending.Id)], forced.Unfinished.OrderBy(u => u.Id == pending.Id));
        Assert.Null(await Store.FindRegisteredKindAsync(new FindRegisteredKindParams(Tenant, Kind), Ct));
        Assert.Equal(OperationStatus.Pending, (await GetAsync(pending.Id)).Status);
    }

    [Fact]
    public async Task DeleteRegisteredKindAsync_EveryTenantKind_LooksAtEveryTenantsOperations()
    {
        await Store.PutRegisteredKindAsync(new PutRegisteredKindParams(All, Kind, null, null, null, null), Ct);
        var theirs = await StartOperationAsync(tenant: OtherTenant);

        var refused = await Store.DeleteRegisteredKindAsync(new DeleteRegisteredKindParams(All, Kind, false), Ct);

        Assert.Equal(DeleteRegisteredKindOutcome.InUse, refused.Outcome);
        Assert.Equal([(OtherTenant, theirs.Id)], refused.Unfinished);
    }

    [Fact]
    public async Task ListExpiredRemoteLeasesAsync_OnlyExpiredRemoteLeases_WithTheirClaimTime()
    {
        var claimedAt = Clock.GetUtcNow();
        var remote = await CreateRunningAsync(owner: "remote/w1");
        await CreateRunningAsync(owner: OwnerA);
        Assert.Empty(await Store.ListExpiredRemoteLeasesAsync(new ExpiredLeasesParams(100), Ct));
        await AdvanceAsync(Lease + TimeSpan.FromSeconds(1));

        var expired = Assert.Single(await Store.ListExpiredRemoteLeasesAsync(new ExpiredLeasesParams(100), Ct));

        Assert.Equal(new ExpiredLease(remote.Id, remote.LeaseEpoch, 1, "remote/w1", claimedAt), expired);
        await Store.ReapAsync(new ReapParams(), Ct);
        Assert.Empty(await Store.ListExpiredRemoteLeasesAsync(new ExpiredLeasesParams(100), Ct));
    }

    [Fact]
    public async Task ListExpiredRemoteLeasesAsync_SecondAttempt_ClaimTimeOfThatAttempt()
    {
        var op = await StartOperationAsync();
        await ClaimOneAsync(op.Id, owner: "remote/w1");
        await AdvanceAsync(Lease + TimeSpan.FromSeconds(1));
        await Store.ReapAsync(new ReapParams(), Ct);
        await AdvanceAsync(TimeSpan.FromSeconds(3));
        var secondClaim = Clock.GetUtcNow();
        var again = await ClaimOneAsync(op.Id, owner: "remote/w2");
        await AdvanceAsync(Lease + TimeSpan.FromSeconds(1));

        var expired = Assert.Single(await Store.ListExpiredRemoteLeasesAsync(new ExpiredLeasesParams(100), Ct));

        Assert.Equal(new ExpiredLease(op.Id, again.LeaseEpoch, 2, "remote/w2", secondClaim), expired);
    }
}
