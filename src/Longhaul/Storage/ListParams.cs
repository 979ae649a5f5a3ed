using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>One page, newest first. <see cref="BeforeCursor"/> continues after the previous page.</summary>
/// <param name="Tenant">Only this tenant's operations.</param>
/// <param name="Status">Only operations in this status, when set (see also <see cref="Statuses"/>).</param>
/// <param name="Kind">Only operations of this kind, when set.</param>
/// <param name="PageSize">At most this many operations.</param>
/// <param name="BeforeCursor">The previous page's <see cref="ListResult.NextCursor"/>; null for the first page.</param>
public sealed record ListParams(string Tenant, OperationStatus? Status, string? Kind, int PageSize, long? BeforeCursor)
{
    /// <summary>The default for <see cref="ScanLimit"/>: 10 000 rows.</summary>
    public const int DefaultScanLimit = 10_000;

    /// <summary>Only operations in one of these statuses, when set and not empty (combined with <see cref="Status"/> when both are set).</summary>
    public IReadOnlyList<OperationStatus>? Statuses { get; init; }

    /// <summary>Only operations created at or after this time, when set.</summary>
    public DateTimeOffset? CreatedAfter { get; init; }

    /// <summary>Only operations created before this time, when set.</summary>
    public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>Only operations whose metadata has each of these members with exactly this string value.</summary>
    public IReadOnlyList<MetadataMatch> Metadata { get; init; } = [];

    /// <summary>
    /// With a time or metadata filter (which no index serves), a page examines at most this many of the tenant's
    /// operations that match the indexed filters (status, kind), newest first, so a page may hold fewer than
    /// <see cref="PageSize"/> operations and still have a next cursor. Defaults to <see cref="DefaultScanLimit"/>.
    /// </summary>
    public int ScanLimit { get; init; } = DefaultScanLimit;

    /// <summary>Whether a filter no index serves is set (time or metadata): then <see cref="ScanLimit"/> bounds the work.</summary>
    public bool HasScanFilter => CreatedAfter is not null || CreatedBefore is not null || Metadata.Count > 0;

    /// <summary>The statuses to match (from <see cref="Status"/> and <see cref="Statuses"/>); empty means any.</summary>
    public IReadOnlyList<OperationStatus> StatusSet()
    {
        if (Statuses is not { Count: > 0 } many) return Status is { } one ? [one] : [];
        return Status is { } s && !many.Contains(s) ? [.. many, s] : many;
    }
}
