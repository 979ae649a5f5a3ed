namespace Longhaul.Contracts;

/// <summary><c>GET/PUT /v1/tenants/{tenant}/limits</c>: a tenant's overrides and the limits in force.</summary>
public sealed record TenantLimitsResource
{
    /// <summary>The tenant.</summary>
    public required string Tenant { get; init; }
    /// <summary>What an operator set for the tenant; a null field takes the configured default.</summary>
    public required TenantLimitValues Overrides { get; init; }
    /// <summary>The limits in force: each override where set, else the default; null is unlimited.</summary>
    public required TenantLimitValues Limits { get; init; }
}
