namespace Longhaul.Storage;

/// <summary>What the overview counts.</summary>
/// <param name="Tenant">Only this tenant's operations.</param>
/// <param name="Window">Finished operations are counted when they finished within this long before the store's now.</param>
public sealed record OverviewParams(string Tenant, TimeSpan Window);
