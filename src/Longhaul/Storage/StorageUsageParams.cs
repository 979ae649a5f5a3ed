namespace Longhaul.Storage;

/// <summary>Whose stored files to add up.</summary>
/// <param name="Tenant">The tenant.</param>
public sealed record StorageUsageParams(string Tenant);
