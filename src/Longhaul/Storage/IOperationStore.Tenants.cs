using Longhaul.Tenancy;

namespace Longhaul.Storage;

/// <summary>Per-tenant limit overrides set by an operator (issue 19), stored so every node sees them.</summary>
public partial interface IOperationStore
{
    /// <summary>The tenant's stored overrides; null when it has none.</summary>
    Task<TenantLimitOverrides?> GetTenantLimitsAsync(string tenant, CancellationToken cancellationToken);

    /// <summary>Stores the tenant's overrides, replacing any it had; overrides with every field null remove the tenant's row.</summary>
    Task SetTenantLimitsAsync(string tenant, TenantLimitOverrides overrides, CancellationToken cancellationToken);

    /// <summary>Every tenant with stored overrides, ordered by tenant.</summary>
    Task<IReadOnlyList<KeyValuePair<string, TenantLimitOverrides>>> ListTenantLimitsAsync(CancellationToken cancellationToken);
}
