using System.Text;
using Longhaul.AspNetCore;
using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.Tests;

/// <summary>What page tokens are bound to: the new filters change the binding only when they are set.</summary>
public sealed class PageTokenScopeTests
{
    [Fact]
    public void AssociatedData_OneStatusAndKindOnly_IsTheEncodingTokensWereIssuedWithBefore()
    {
        var scope = new PageTokenScope(new ListParams("acme", OperationStatus.Running, "sleep", 20, null));

        Assert.Equal("longhaul.list.v1\n4:acme\nrunning\n5:sleep", Encoding.UTF8.GetString(scope.AssociatedData()));
        Assert.Equal("longhaul.list.v1\n4:acme\n\n1:\0", Encoding.UTF8.GetString(new PageTokenScope(new ListParams("acme", null, null, 20, null)).AssociatedData()));
    }

    [Fact]
    public void AssociatedData_NewFilters_DifferByEachFilterButNotByOrder()
    {
        var baseline = new ListParams("acme", null, null, 20, null);
        byte[] Of(ListParams p) => new PageTokenScope(p).AssociatedData();

        var twoStatuses = Of(baseline with { Statuses = [OperationStatus.Failed, OperationStatus.Running] });
        Assert.Equal(twoStatuses, Of(baseline with { Statuses = [OperationStatus.Running, OperationStatus.Failed] }));
        var metadata = Of(baseline with { Metadata = [new MetadataMatch("a", "1"), new MetadataMatch("b", "2")] });
        Assert.Equal(metadata, Of(baseline with { Metadata = [new MetadataMatch("b", "2"), new MetadataMatch("a", "1")] }));
        Assert.NotEqual(metadata, Of(baseline with { Metadata = [new MetadataMatch("a", "1"), new MetadataMatch("b", "3")] }));
        Assert.NotEqual(metadata, Of(baseline with { Metadata = [new MetadataMatch("a", "1=b"), new MetadataMatch("", "2")] }));
        var after = DateTimeOffset.Parse("2026-12-06T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEqual(Of(baseline with { CreatedAfter = after }), Of(baseline with { CreatedBefore = after }));
        Assert.NotEqual(Of(baseline with { CreatedAfter = after }), Of(baseline with { CreatedAfter = after.AddTicks(1) }));
        Assert.NotEqual(Of(baseline), twoStatuses);
    }
}
