namespace Longhaul.Contracts;

/// <summary><c>GET /v1/tenants</c>: the configured defaults and every known tenant (with an API key or overrides).</summary>
public sealed record TenantList
{
    /// <summary>The limits of a tenant without overrides (<c>Longhaul:Tenants:Defaults</c>).</summary>
    public required TenantLimitValues Defaults { get; init; }
    /// <summary>Tenants in name order.</summary>
    public required IReadOnlyList<TenantLimitsResource> Tenants { get; init; }
}
