namespace Longhaul.Tenancy;

/// <summary>
/// One tenant's limits as set by an operator (<c>longhaul tenants set</c>, the operator API), stored in the
/// <c>tenant_limits</c> table. Every field is optional: null means "the configured default"
/// (<see cref="TenantLimitsOptions"/>).
/// </summary>
/// <param name="Weight">The tenant's share of worker slots when tenants with ready work take turns (1 or more).</param>
/// <param name="MaxRunning">At most this many of the tenant's operations run at once, across every node.</param>
/// <param name="MaxPending">At most this many of the tenant's operations wait to run; a create past it is refused.</param>
/// <param name="CreateRatePerSecond">Sustained creates per second (token bucket refill rate).</param>
/// <param name="CreateBurst">Creates allowed at once above the rate (token bucket size).</param>
/// <param name="MaxConnections">Concurrent streaming / long-poll connections.</param>
/// <param name="MaxEventsPerOperation">Events one operation may write to its event log.</param>
/// <param name="MaxStoredBytes">Bytes the tenant may keep stored (operation files, uploads).</param>
public sealed record TenantLimitOverrides(
    int? Weight = null,
    int? MaxRunning = null,
    int? MaxPending = null,
    double? CreateRatePerSecond = null,
    int? CreateBurst = null,
    int? MaxConnections = null,
    int? MaxEventsPerOperation = null,
    long? MaxStoredBytes = null)
{
    /// <summary>True when no field is set (storing it removes the tenant's row).</summary>
    public bool IsEmpty => Weight is null && MaxRunning is null && MaxPending is null && CreateRatePerSecond is null
        && CreateBurst is null && MaxConnections is null && MaxEventsPerOperation is null && MaxStoredBytes is null;
}
