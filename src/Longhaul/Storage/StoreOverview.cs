namespace Longhaul.Storage;

/// <summary>A tenant's overview, read from indexes only.</summary>
/// <param name="Now">The store's clock when it was read.</param>
/// <param name="Active">Pending and running operations by kind and status (all of them).</param>
/// <param name="Finished">Operations that finished within the window, by kind and final status.</param>
/// <param name="Ready">Pending operations whose <c>run_after</c> has passed: the queue depth.</param>
public sealed record StoreOverview(DateTimeOffset Now, IReadOnlyList<OverviewCount> Active, IReadOnlyList<OverviewCount> Finished, long Ready);
