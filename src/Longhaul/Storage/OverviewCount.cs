using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>How many of the tenant's operations of one kind are in one status.</summary>
/// <param name="Kind">The kind.</param>
/// <param name="Status">The status.</param>
/// <param name="Count">How many.</param>
public sealed record OverviewCount(string Kind, OperationStatus Status, long Count);
