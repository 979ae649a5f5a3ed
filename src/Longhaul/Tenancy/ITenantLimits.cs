namespace Longhaul.Tenancy;

/// <summary>
/// Per-tenant limits: configured defaults (<see cref="TenantLimitsOptions"/>) with operator overrides stored per tenant.
/// Reads are cached per node for at most 2 seconds, so a change made on another node is seen within 2 seconds; a
/// change made through this node is seen at once.
/// </summary>
public interface ITenantLimits
{
    /// <summary>The limits in force for <paramref name="tenant"/>.</summary>
    ValueTask<TenantLimits> GetAsync(string tenant, CancellationToken ct);

    /// <summary>Stores the tenant's overrides (all fields null removes them: the defaults apply again).</summary>
    Task SetAsync(string tenant, TenantLimitOverrides overrides, CancellationToken ct);

    /// <summary>Every tenant with overrides, ordered by tenant.</summary>
    Task<IReadOnlyList<KeyValuePair<string, TenantLimitOverrides>>> ListAsync(CancellationToken ct);
}
