using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.Store.Tests.Conformance;

public abstract partial class OperationStoreConformanceTests
{
    [Fact]
    public async Task ListAsync_SeveralStatuses_ReturnsEachOfThem()
    {
        var pending = await StartOperationAsync();
        var done = await CreateSucceededAsync();
        var cancelled = await StartOperationAsync();
        await Store.CancelAsync(new CancelParams(Tenant, cancelled.Id), Ct);

        var page = await Store.ListAsync(new ListParams(Tenant, null, null, 10, null) { Statuses = [OperationStatus.Pending, OperationStatus.Cancelled] }, Ct);
        var count = await Store.CountAsync(new ListParams(Tenant, null, null, 10, null) { Statuses = [OperationStatus.Pending, OperationStatus.Cancelled] }, Ct);

        Assert.Equal([cancelled.Id, pending.Id], page.Operations.Select(o => o.Id));
        Assert.Equal(new ListCount(2, true), count);
        Assert.DoesNotContain(done.Id, page.Operations.Select(o => o.Id));
    }

    [Fact]
    public async Task ListAsync_CreatedRange_AfterIsInclusiveBeforeExclusive()
    {
        var ids = await CreateSeriesAsync(5);
        var ops = new List<Operation>();
        foreach (var id in ids) ops.Add(await GetAsync(id));

        var filter = new ListParams(Tenant, null, null, 10, null) { CreatedAfter = ops[1].CreatedAt, CreatedBefore = ops[4].CreatedAt };
        var page = await Store.ListAsync(filter, Ct);

        Assert.Equal([ids[3], ids[2], ids[1]], page.Operations.Select(o => o.Id));
        Assert.Null(page.NextCursor);
        Assert.Equal(new ListCount(3, true), await Store.CountAsync(filter, Ct));
    }

    [Fact]
    public async Task ListAsync_MetadataEquality_MatchesStringValuesOnlyAndEveryFilter()
    {
        var acme = await StartOperationAsync(NewOp(metadata: """{"customer":"acme","region":"eu","a.b":"dotted"}"""));
        var acmeUs = await StartOperationAsync(NewOp(metadata: """{"customer":"acme","region":"us"}"""));
        await StartOperationAsync(NewOp(metadata: """{"customer":"other"}"""));
        await StartOperationAsync(NewOp(metadata: """{"customer":5,"region":true}"""));
        await StartOperationAsync(NewOp(metadata: """["customer","acme"]"""));
        await StartOperationAsync(NewOp());
        await StartOperationAsync(NewOp(tenant: OtherTenant, metadata: """{"customer":"acme"}"""));

        ListParams Filter(params MetadataMatch[] m) => new(Tenant, null, null, 10, null) { Metadata = m };

        Assert.Equal([acmeUs.Id, acme.Id], (await Store.ListAsync(Filter(new MetadataMatch("customer", "acme")), Ct)).Operations.Select(o => o.Id));
        Assert.Equal([acme.Id], (await Store.ListAsync(Filter(new MetadataMatch("customer", "acme"), new MetadataMatch("region", "eu")), Ct)).Operations.Select(o => o.Id));
        Assert.Equal([acme.Id], (await Store.ListAsync(Filter(new MetadataMatch("a.b", "dotted")), Ct)).Operations.Select(o => o.Id));
        Assert.Empty((await Store.ListAsync(Filter(new MetadataMatch("customer", "5")), Ct)).Operations);
        Assert.Empty((await Store.ListAsync(Filter(new MetadataMatch("region", "true")), Ct)).Operations);
        Assert.Empty((await Store.ListAsync(Filter(new MetadataMatch("customer", "ACME")), Ct)).Operations);
        Assert.Equal(new ListCount(2, true), await Store.CountAsync(Filter(new MetadataMatch("customer", "acme")), Ct));
    }

    [Fact]
    public async Task ListAsync_ScanLimitReached_ReturnsShortPagesWithCursorsCoveringEverything()
    {
        var ids = new List<string>();
        for (var i = 0; i < 7; i++) ids.Add((await StartOperationAsync(NewOp(metadata: i % 3 == 0 ? """{"pick":"yes"}""" : null))).Id);
        var filter = new ListParams(Tenant, null, null, 10, null) { Metadata = [new("pick", "yes")], ScanLimit = 2 };

        var found = new List<string>();
        long? cursor = null;
        var pages = 0;
        do
        {
            var page = await Store.ListAsync(filter with { BeforeCursor = cursor }, Ct);
            Assert.True(page.Operations.Count <= 2);
            found.AddRange(page.Operations.Select(o => o.Id));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null && pages < 20);

        Assert.Equal([ids[6], ids[3], ids[0]], found);
        Assert.Equal(4, pages);
        var count = await Store.CountAsync(filter, Ct);
        Assert.False(count.Exact);
        Assert.Equal(new ListCount(3, true), await Store.CountAsync(filter with { ScanLimit = 100 }, Ct));
    }

    [Fact]
    public async Task CountAsync_MoreThanTheScanLimit_IsALowerBound()
    {
        for (var i = 0; i < 4; i++) await StartOperationAsync();

        Assert.Equal(new ListCount(3, false), await Store.CountAsync(new ListParams(Tenant, null, null, 10, null) { ScanLimit = 3 }, Ct));
        Assert.Equal(new ListCount(4, true), await Store.CountAsync(new ListParams(Tenant, null, null, 10, null) { ScanLimit = 4 }, Ct));
    }

    [Fact]
    public async Task OverviewAsync_Mixed_CountsActiveFinishedWithinTheWindowAndReady()
    {
        var old = await CreateSucceededAsync();
        await AdvanceAsync(TimeSpan.FromHours(2));
        await StartOperationAsync();
        await StartOperationAsync(kind: "other");
        await CreateRunningAsync();
        await CreateSucceededAsync();
        var cancelled = await StartOperationAsync();
        await Store.CancelAsync(new CancelParams(Tenant, cancelled.Id), Ct);
        await StartOperationAsync(tenant: OtherTenant);

        var overview = await Store.OverviewAsync(new OverviewParams(Tenant, TimeSpan.FromHours(1)), Ct);

        Assert.Equal(
            ["other/Pending/1", "work/Pending/1", "work/Running/1"],
            overview.Active.Select(c => $"{c.Kind}/{c.Status}/{c.Count}").Order(StringComparer.Ordinal));
        Assert.Equal(
            ["work/Cancelled/1", "work/Succeeded/1"],
            overview.Finished.Select(c => $"{c.Kind}/{c.Status}/{c.Count}").Order(StringComparer.Ordinal));
        Assert.Equal(2, overview.Ready);
        Assert.NotEqual(old.Id, cancelled.Id);
    }

    [Fact]
    public async Task ListChangesAsync_SinceATime_ReturnsChangedOperationsOldestChangeFirst()
    {
        var before = await StartOperationAsync();
        var finishedBefore = await CreateSucceededAsync();
        await AdvanceAsync(TimeSpan.FromSeconds(10));
        var since = Clock.GetUtcNow();
        var created = await StartOperationAsync();
        await AdvanceAsync(TimeSpan.FromSeconds(1));
        await Store.CancelAsync(new CancelParams(Tenant, before.Id), Ct);
        await StartOperationAsync(tenant: OtherTenant);

        var changes = await Store.ListChangesAsync(new ChangesParams(new ListParams(Tenant, null, null, 0, null), since, 100), Ct);
        var onlyPending = await Store.ListChangesAsync(new ChangesParams(new ListParams(Tenant, OperationStatus.Pending, null, 0, null), since, 100), Ct);

        Assert.Equal([created.Id, before.Id], changes.Select(o => o.Id));
        Assert.Equal(OperationStatus.Cancelled, changes[1].Status);
        Assert.Equal([created.Id], onlyPending.Select(o => o.Id));
        Assert.DoesNotContain(finishedBefore.Id, changes.Select(o => o.Id));
    }
}
