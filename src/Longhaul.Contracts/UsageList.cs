namespace Longhaul.Contracts;

/// <summary><c>GET /v1/usage</c> with an operator key and no <c>tenant</c>: every known tenant's usage.</summary>
public sealed record UsageList
{
    /// <summary>Tenants in name order.</summary>
    public required IReadOnlyList<StorageUsageResource> Tenants { get; init; }
}
